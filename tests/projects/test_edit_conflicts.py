"""Two people edit the same project: the second save is refused, names what changed, and loses nothing."""

from __future__ import annotations

import copy
import gzip
import json
import re

from synergy_app.projects import checking
from synergy_app.projects.edit_conflicts import field_differences, line_differences
from tests.conftest import TEST_PASSWORD


def _second_client(app, make_user, role="planner"):
    other = app.test_client()
    user = make_user(role)
    assert other.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    return other


def _hidden_version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def _budget_form(page: str) -> dict[str, str]:
    """The budget table's cells as the page shows them (inputs and selected options)."""
    form = {name: value for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        form[name] = chosen.group(1) if chosen else ""
    return {k: v for k, v in form.items() if k != "csrf_token" and not k.endswith("-delete")}  # unticked boxes


def _costs(project_id):
    return [(c.category, c.amount_ore) for c in checking.load_project(project_id).cost_lines]


def test_second_budget_save_is_refused_keeps_entries_and_shows_what_changed(
        app, client, planner, make_user, demo_project, db_session):
    other = _second_client(app, make_user)
    url = f"/projects/{demo_project.id}/budget"
    mine, theirs = client.get(url).get_data(as_text=True), other.get(url).get_data(as_text=True)
    version = _hidden_version(mine)
    assert _hidden_version(theirs) == version

    first = _budget_form(mine) | {"cost-0-amount": "7 111 000"}
    assert client.post(url, data=first).status_code == 302
    second = _budget_form(theirs) | {"cost-1-amount": "2 222 000"}
    response = other.post(url, data=second)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Budgeten har ändrats av någon annan" in page
    assert _budget_form(page)["cost-1-amount"] == "2 222 000", re.findall(r'name="cost-1-amount"[^>]*>', page)
    assert "7\u00a0111\u00a0000,00\u00a0kr" in page  # what the other save stored, named in the notice
    assert _hidden_version(page) == version + 1
    db_session.expire_all()
    assert _costs(demo_project.id)[0][1] == 711_100_000
    assert 222_200_000 not in [amount for _, amount in _costs(demo_project.id)]  # nothing of the refused save

    # Saving again from the version shown is a deliberate choice, and it is saved.
    again = _budget_form(page)
    assert again["version"] == str(version + 1)
    assert other.post(url, data=again).status_code == 302
    db_session.expire_all()
    assert 222_200_000 in [amount for _, amount in _costs(demo_project.id)]


def test_refused_budget_save_speaks_english_when_the_page_is_english(
        app, client, planner, make_user, demo_project):
    other = _second_client(app, make_user)
    url = f"/projects/{demo_project.id}/budget"
    mine, theirs = client.get(url).get_data(as_text=True), other.get(url).get_data(as_text=True)
    assert client.post(url, data=_budget_form(mine) | {"cost-0-amount": "1 000"}).status_code == 302
    response = other.post(url + "?lang=en", data=_budget_form(theirs))
    assert response.status_code == 409
    assert "The budget was changed by someone else" in response.get_data(as_text=True)


def test_project_form_second_save_is_refused_and_names_the_changed_field(
        app, client, planner, make_user, demo_project, db_session):
    other = _second_client(app, make_user)
    url = f"/projects/{demo_project.id}/edit"
    page = client.get(url).get_data(as_text=True)
    version = _hidden_version(page)
    data = {"title": demo_project.title, "grant_date": demo_project.grant_date.isoformat(),
            "status": demo_project.status, "regions": [r.slug for r in demo_project.regions],
            "version": str(version)}
    assert client.post(url, data=data | {"title": "Nytt namn från Anna"}).status_code == 302
    response = other.post(url, data=data | {"description": "Beskrivning från Bertil"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Projektet har ändrats av någon annan" in page
    assert "Nytt namn från Anna" in page and "Beskrivning från Bertil" in page
    db_session.expire_all()
    project = checking.load_project(demo_project.id)
    assert project.title == "Nytt namn från Anna" and project.description != "Beskrivning från Bertil"
    assert project.version == version + 1


def test_partner_form_second_save_is_refused(app, client, planner, make_user, demo_project, db_session):
    other = _second_client(app, make_user)
    partner = demo_project.partners[0]
    url = f"/projects/partners/{partner.id}/edit"
    data = {"key": partner.key, "name": partner.name, "kind": partner.kind,
            "size_stated": partner.size_stated or "large", "version": str(partner.version)}
    assert client.post(url, data=data | {"name": "Första namnet"}).status_code == 302
    response = other.post(url, data=data | {"name": "Andra namnet"})
    assert response.status_code == 409
    assert "Partnern har ändrats av någon annan" in response.get_data(as_text=True)
    db_session.expire_all()
    assert checking.load_project(demo_project.id).partners[0].name == "Första namnet"


def _api_body(document: dict, version) -> dict:
    return copy.deepcopy({"version": version, "costs": document["costs"], "funding": document["funding"]})


def test_api_budget_save_from_an_old_version_answers_409_and_changes_nothing(
        client, make_user, api_token, demo_project, db_session):
    headers = api_token(make_user("planner"))
    url = f"/api/v1/projects/{demo_project.id}"
    read = client.get(url, headers=headers)
    document, version = read.get_json(), read.get_json()["version"]
    assert read.headers["ETag"] == f'"{version}"'

    first = _api_body(document, version)
    first["costs"][0]["amount_sek"] = "5000000"
    saved = client.put(url + "/budget", json=first, headers=headers)
    assert saved.status_code == 200
    assert saved.get_json()["version"] == version + 1

    second = _api_body(document, version)
    second["costs"][0]["amount_sek"] = "9000000"
    refused = client.put(url + "/budget", json=second, headers=headers)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "edit_conflict" and error["field"] == "version"
    assert "changed by someone else" in client.put(url + "/budget?lang=en", json=second,
                                                   headers=headers).get_json()["error"]["message"]
    assert error["current_version"] == version + 1
    db_session.expire_all()
    assert checking.load_project(demo_project.id).cost_lines[0].amount_ore == 500_000_000


def test_api_budget_save_needs_a_version_and_names_bad_lines(client, make_user, api_token, demo_project):
    headers = api_token(make_user("planner"))
    url = f"/api/v1/projects/{demo_project.id}"
    document = client.get(url, headers=headers).get_json()
    missing = client.put(url + "/budget", json=_api_body(document, None), headers=headers)
    assert missing.status_code == 428 and missing.get_json()["error"]["field"] == "version"

    bad = _api_body(document, document["version"])
    bad["costs"][1]["amount_sek"] = "many"
    answer = client.put(url + "/budget", json=bad, headers=headers)
    assert answer.status_code == 400 and answer.get_json()["error"]["field"] == "costs[1].amount_sek"

    by_header = client.put(url + "/budget", json=_api_body(document, None) | {"version": None},
                           headers=headers | {"If-Match": f'"{document["version"]}"'})
    assert by_header.status_code == 200, by_header.get_json()


def test_line_differences_counts_equal_lines_and_keeps_their_order():
    stored = [("a", "rd", 100), ("a", "rd", 100), ("b", "rd", 5)]
    submitted = [("a", "rd", 100), ("c", "rd", 7)]
    assert line_differences(stored, submitted) == ([("a", "rd", 100), ("b", "rd", 5)], [("c", "rd", 7)])
    assert line_differences(stored, list(reversed(stored))) == ([], [])


def test_field_differences_compares_as_the_form_shows_values():
    from datetime import date
    from decimal import Decimal

    stored = {"grant_date": date(2026, 1, 2), "rate": Decimal("11.5000"), "flag": False, "regions": ["b", "a"]}
    submitted = {"grant_date": "2026-01-02", "rate": "11.5", "regions": ["a", "b"], "title": "x"}
    assert field_differences(stored, submitted, ["grant_date", "rate", "flag", "regions", "title"]) == ["title"]


def test_api_etag_read_compressed_is_accepted_back_as_if_match(client, make_user, api_token, demo_project):
    # A client that accepts gzip (most HTTP libraries do) reads the ETag with the encoding appended.
    headers = api_token(make_user("planner"))
    url = f"/api/v1/projects/{demo_project.id}"
    read = client.get(url, headers=headers | {"Accept-Encoding": "gzip"})
    assert read.headers["Content-Encoding"] == "gzip"
    etag = read.headers["ETag"]
    document = json.loads(gzip.decompress(read.data))
    assert etag == f'"{document["version"]}:gzip"'
    saved = client.put(url + "/budget", json=_api_body(document, None) | {"version": None},
                       headers=headers | {"If-Match": etag})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["version"] == document["version"] + 1
