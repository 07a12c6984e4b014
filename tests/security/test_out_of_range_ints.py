"""Numbers no row can have answer 404 or 400, never 500 (PostgreSQL refuses them in an integer column):
in every route that takes an id, in page numbers, and in ids sent in forms and JSON bodies."""

from __future__ import annotations

import re

import pytest

from synergy_app.int_params import DB_INT_MAX

HUGE = ["99999999999999999999", str(DB_INT_MAX + 1), "9" * 5000]


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items()
                if type(converter).__name__ == "DatabaseIdConverter"]
        if ints:
            yield rule, ints


def test_every_int_route_uses_the_bounded_converter(app):
    plain = [rule.rule for rule in app.url_map.iter_rules()
             if any(type(c).__name__ == "IntegerConverter" for c in rule._converters.values())]
    assert plain == []
    assert len(list(_int_routes(app))) > 30


@pytest.mark.parametrize("number", HUGE, ids=["20-digits", "int32+1", "5000-digits"])
def test_an_id_out_of_range_is_404_in_every_route(app, client, make_user, login, api_token, number):
    admin = make_user("admin")
    login(admin)
    token = api_token(admin)
    for rule, names in _int_routes(app):
        path = rule.rule
        for name in names:
            path = re.sub(rf"<int:{name}>", number, path)
        path = re.sub(r"<[^>]+>", "x", path)  # any other part (a slug) gets a plain word
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = token if path.startswith("/api/") else {}
            response = client.open(path, method=method, headers=headers)
            assert response.status_code in (404, 405), (method, path, response.status_code)


PAGED = ["/admin/audit", "/projects/", "/dialogues/", "/calendar/", "/stateaid/"]
PAGED_API = ["/api/v1/rulings", "/api/v1/rounds", "/api/v1/calls"]


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999", "9" * 5000, str(DB_INT_MAX + 1)])
def test_any_page_number_is_a_page_or_400(client, make_user, login, api_token, page):
    admin = make_user("admin")
    login(admin)
    for path in PAGED:
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 200, (path, response.status_code)
    token = api_token(admin)
    for path in PAGED_API:
        response = client.get(f"{path}?page={page}", headers=token)
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["error"]["field"] == "page"


def test_ids_in_bodies_and_forms_out_of_range(client, make_user, login, api_token, db_session):
    planner = make_user("planner")
    token = api_token(planner)
    response = client.post("/api/v1/calls/alignment", json={"call_ids": [99999999999999999999]}, headers=token)
    assert response.status_code == 404 and "99999999999999999999" in response.get_json()["error"]["message"]
    strategist = make_user("strategist", region="05")
    response = client.post("/api/v1/rounds/1/bookings", json={"slot_id": 99999999999999999999},
                           headers=api_token(strategist))
    assert response.status_code == 404
