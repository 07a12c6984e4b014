"""Every create form is safe to submit twice: the second post of one rendered form saves nothing,
answers no error, and sends the user where the first one went. A unique-constraint conflict that no
check could foresee answers 409 with the field, never 500."""

from __future__ import annotations

import io
import re
import secrets

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from synergy_app.extensions import db
from synergy_app.submissions import FIELD, FormSubmission, is_submitted_once
from tests.security.support import seed_demo
from tests.security.test_escaping import _crawl
from tests.submit_twice_cases import build_cases

ERROR_TEXT = r'class="[^"]*error[^"]*"[^>]*>([^<]+)'
ALREADY_SAVED = "Formuläret hade redan skickats och sparades en gång"


@pytest.fixture
def users(db_session, make_user):
    from synergy_app.directory.models import Organisation

    vinnova = db_session.scalar(select(Organisation.id).where(Organisation.slug == "vinnova"))
    return {"planner": make_user("planner", organisation_id=vinnova), "strategist": make_user(
        "strategist", region="ostergotland"), "taskforce": make_user("taskforce"), "any": make_user("reader")}


def _rows(table: str) -> int:
    return db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - table names from the cases


def _post(client, case, token: str):
    data = {**case.data, FIELD: token}
    if case.files:
        data.update({name: (io.BytesIO(content), filename) for name, (filename, content) in case.files.items()})
        return client.post(case.url, data=data, content_type="multipart/form-data")
    return client.post(case.url, data=data)


def _once_endpoints(app) -> set[str]:
    return {endpoint for endpoint, view in app.view_functions.items() if is_submitted_once(view)}


def test_every_create_form_has_a_double_submit_case(app, db_session, users):
    assert set(build_cases(users)) == _once_endpoints(app)
    assert len(_once_endpoints(app)) >= 18


def test_each_create_form_sent_twice_saves_one_row_and_sends_the_second_where_the_first_went(
        app, client, db_session, users, login):
    cases = build_cases(users)
    problems = []
    for endpoint, case in sorted(cases.items()):
        client.post("/logout")
        login(users[case.role])
        token = secrets.token_urlsafe(24)
        before = _rows(case.table)
        first = _post(client, case, token)
        if first.status_code not in (200, 302, 303):
            said = re.findall(ERROR_TEXT, first.get_data(as_text=True))
            problems.append(f"{endpoint}: first post answered {first.status_code}: {said}")
            continue
        second = _post(client, case, token)
        if _rows(case.table) != before + 1:
            problems.append(f"{endpoint}: {_rows(case.table) - before} rows in {case.table}, not one")
        if first.status_code in (302, 303):
            if second.status_code != 303 or second.headers["Location"] != first.headers["Location"]:
                problems.append(f"{endpoint}: the second post answered {second.status_code} "
                                f"{second.headers.get('Location')}, not the first one's page")
            landing = client.get(second.headers.get("Location", "/")).get_data(as_text=True)
            if ALREADY_SAVED not in landing:
                problems.append(f"{endpoint}: the page after the second post does not say it was already saved")
        elif second.status_code != 409 or ALREADY_SAVED not in second.get_data(as_text=True):
            problems.append(f"{endpoint}: the second post answered {second.status_code}")
    assert problems == []


def test_a_refused_form_keeps_its_token_and_saves_once_corrected(client, db_session, users, login):
    login(users["taskforce"])
    case = build_cases(users)["stateaid.new"]
    token = secrets.token_urlsafe(24)
    before = _rows("rulings")
    refused = client.post(case.url, data={**case.data, "question": "", FIELD: token})
    assert refused.status_code == 400
    assert f'name="{FIELD}" value="{token}"' in refused.get_data(as_text=True)  # shown again with the same token
    assert _rows("rulings") == before
    assert _post(client, case, token).status_code == 302
    assert _rows("rulings") == before + 1


def test_every_page_with_a_create_form_renders_a_fresh_token(app, client, db_session, make_user, login):
    seed_demo()
    login(make_user("admin"))
    _pages, forms = _crawl(client)
    tokens, seen = [], set()
    for url, form in forms:
        action = form.action or url
        endpoint = app.url_map.bind("localhost").match(action.split("?")[0], method="POST")[0]
        if not is_submitted_once(app.view_functions[endpoint]):
            continue
        seen.add(endpoint)
        field = form.inputs[FIELD] if FIELD in form.inputs.keys() else None
        assert field is not None, f"the form on {url} posting to {action} has no {FIELD}"
        tokens.append(field.value)
    assert len(seen) >= 10, seen
    assert len(set(tokens)) == len(tokens), "every rendering has its own token"


def test_a_token_that_is_not_one_is_refused_naming_the_field(client, db_session, users, login):
    login(users["any"])
    response = client.post("/profile/tokens", data={"name": "x", FIELD: "short"})
    assert response.status_code == 400 and FIELD in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(FormSubmission.id))) == 0


def test_another_account_replaying_a_token_gets_no_link_to_what_was_saved(client, db_session, users, login):
    login(users["any"])
    token = secrets.token_urlsafe(24)
    assert client.post("/profile/tokens", data={"name": "a", FIELD: token}).status_code in (200, 302)
    client.post("/logout")
    login(users["planner"])
    replay = client.post("/profile/tokens", data={"name": "b", FIELD: token})
    assert replay.status_code == 409 and ALREADY_SAVED in replay.get_data(as_text=True)


def test_constraint_messages_name_the_field_on_both_databases():
    from synergy_app.errorpages import integrity_conflict

    postgres = IntegrityError("INSERT", {}, Exception(
        'duplicate key value violates unique constraint "uq_rulings_number"\n'
        "DETAIL:  Key (number)=(2026-001) already exists."))
    sqlite = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: rulings.number"))
    for exc in (postgres, sqlite):
        error = integrity_conflict(exc)
        assert error.field == "number" and "already exists" in error.message_en


def test_a_duplicate_insert_no_check_foresaw_answers_409_naming_the_field(client, db_session, users, login,
                                                                         monkeypatch):
    """As when two accounts with one e-mail address are made at the same moment: the database refuses one."""
    from synergy_app.auth import service
    from synergy_app.auth.models import User

    user = login(users["any"])

    def clashing_create_token(*_args, **_kwargs):
        db.session.add(User(email=user.email, role="reader", password_hash="x"))
        db.session.commit()

    monkeypatch.setattr(service, "create_token", clashing_create_token)
    response = client.post("/profile/tokens", data={"name": "x"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "email" in body and "redan" in body
    assert client.get("/profile").status_code == 200  # the session is usable again
