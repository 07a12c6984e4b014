"""Every state-changing form needs its CSRF token, and the API cannot be driven by the session cookie."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from synergy_app.auth.access import PUBLIC, access_of
from synergy_app.dialogues.models import Booking
from tests.conftest import TEST_PASSWORD
from tests.security.support import WRITES, row_counts, rules
from tests.test_route_access import SAMPLES, _url

CSRF_MESSAGE = "Formuläret har gått ut eller saknar säkerhetsnyckel"


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    # A page another test kept while CSRF was off has no token in its forms; a deployment never switches
    # CSRF on at run time, so these tests read pages built afresh.
    monkeypatch.setitem(app.config, "PAGE_CACHE", False)


def _form_writes(app):
    return [(rule, method) for rule in rules(app) if not rule.rule.startswith("/api/")
            for method in sorted(rule.methods & WRITES)]


def test_every_form_write_without_a_token_is_refused_and_changes_nothing(app, client, make_user, login,
                                                                        db_session, csrf_on):
    admin = make_user("admin")
    # Log in with a token (the login form is itself protected).
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token, "the login form carries a CSRF token"
    assert client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD,
                                       "csrf_token": token.group(1)}).status_code == 302
    writes = _form_writes(app)
    assert len(writes) > 40  # the walk found the forms
    before = row_counts()
    problems = []
    for rule, method in writes:
        url = _url(rule)
        response = client.open(url, method=method, data={"title": "x", "name": "x", "text": "x"})
        body = response.get_data(as_text=True)
        if response.status_code != 400 or CSRF_MESSAGE not in body:
            problems.append(f"{method} {url}: {response.status_code}")
    assert problems == []
    assert row_counts() == before
    # Still logged in: the refused POST /logout did not end the session.
    assert client.get("/profile").status_code == 200


def test_a_form_write_with_its_token_goes_through(app, client, make_user, login, csrf_on):
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    user = make_user("reader")
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 400
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    # The token is renewed at login: the one from the login page no longer passes...
    refused = client.post("/profile/tokens", data={"name": "laptop", "csrf_token": token})
    assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_data(as_text=True)
    # ...the one on the pages shown after login does.
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/profile").get_data(as_text=True)).group(1)
    assert client.post("/profile/tokens", data={"name": "laptop", "csrf_token": fresh}).status_code in (200, 302)
    assert client.post("/profile/tokens", data={"name": "laptop"}).status_code == 400


def test_the_api_refuses_the_session_cookie_alone(app, client, make_user, login, api_token, db_session):
    admin = login(make_user("admin"))
    SAMPLES["token_id"] = 1
    before = row_counts()
    problems = []
    for rule in rules(app):
        if not rule.rule.startswith("/api/") or PUBLIC in access_of(app.view_functions[rule.endpoint]):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule), method=method, json={"slot_id": 1, "call_ids": [1]})
            if response.status_code != 401:
                problems.append(f"{method} {rule.rule}: {response.status_code}")
    assert problems == []
    assert row_counts() == before
    # The same session with the token is let in.
    assert client.get("/api/v1/rounds", headers=api_token(admin)).status_code == 200


def test_a_cookie_only_booking_through_the_api_books_nothing(client, make_user, login, db_session):
    from tests.dialogues.rounds_support import make_round, slots_of

    strategist = login(make_user("strategist", region="ostergotland"))
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    response = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": slot.id})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.slot_id == slot.id)) == 0
    assert strategist.is_authenticated
