"""A double click against a real server: the same rendered form posted at the same instant from
several threads (two gunicorn workers, threads each, one database) saves one row and answers no 500;
two planners confirming the same changed calendar at once record each moved date once.

Runs on the selected database (SQLite file by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import secrets
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

import pytest

from tests.concurrency.two_instances import PASSWORD, _csrf, _multipart, _race, _scalar, _send, _session
from tests.live import live_database, running_server
from tests.submit_twice_cases import Case, build_cases

CLICKS = 3  # posts of one rendered form released together
CALLS_IN_FILE = 6


@dataclass
class Live:
    url: str
    base: str
    emails: dict[str, str]
    cases: dict[str, Case]


def _prepare(url: str) -> tuple[dict[str, str], dict[str, Case]]:
    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.auth import service as auth
    from synergy_app.core.seed import seed_reference
    from synergy_app.directory.models import Organisation
    from synergy_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live-test-secret", "TESTING": True})
    with app.app_context():
        upgrade()
        seed_reference()
        vinnova = db.session.scalar(db.select(Organisation.id).where(Organisation.slug == "vinnova"))
        users = {
            "planner": auth.create_user("planerare@twice.invalid", "planner", PASSWORD, organisation_id=vinnova,
                                        actor="test"),
            "planner2": auth.create_user("planerare2@twice.invalid", "planner", PASSWORD, organisation_id=vinnova,
                                         actor="test"),
            "strategist": auth.create_user("strateg@twice.invalid", "strategist", PASSWORD,
                                           region_code="ostergotland", actor="test"),
            "taskforce": auth.create_user("taskforce@twice.invalid", "taskforce", PASSWORD, actor="test"),
            "any": auth.create_user("lasare@twice.invalid", "reader", PASSWORD, actor="test"),
        }
        emails = {role: user.email for role, user in users.items()}
        cases = build_cases(users)
        db.session.remove()
        db.engine.dispose()
    return emails, cases


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_database(tmp_path_factory.mktemp("twice"), "twice") as url:
        emails, cases = _prepare(url)
        with running_server(url, gunicorn=True, workers=2, threads=4) as base:
            yield Live(url, base, emails, cases)


def _request(base: str, case: Case, csrf: str, token: str) -> urllib.request.Request:
    fields = {**case.data, "csrf_token": csrf, "submission_token": token}
    if case.files:
        (name, (filename, content)), = case.files.items()
        assert name == "file"
        body, content_type = _multipart(fields, filename, content)
        return urllib.request.Request(base + case.url, data=body,  # noqa: S310 - loopback test server
                                      headers={"Content-Type": content_type})
    return urllib.request.Request(base + case.url,  # noqa: S310 - loopback test server
                                  data=urllib.parse.urlencode(fields, doseq=True).encode())


def test_every_create_form_clicked_at_once_saves_one_row_and_answers_no_error(live):
    sessions = {}
    problems = []
    for endpoint, case in sorted(live.cases.items()):
        if case.role not in sessions:
            opener = _session(live.base, live.emails[case.role])
            sessions[case.role] = (opener, _csrf(_send(urllib.request.Request(live.base + "/profile"),  # noqa: S310
                                                       opener)[1]))
        opener, csrf = sessions[case.role]
        token = secrets.token_urlsafe(24)
        before = _scalar(live.url, f"SELECT count(*) FROM {case.table}")  # noqa: S608 - from the cases
        race = _race([(_request(live.base, case, csrf, token), opener) for _ in range(CLICKS)])
        added = _scalar(live.url, f"SELECT count(*) FROM {case.table}") - before  # noqa: S608
        if added != 1:
            problems.append(f"{endpoint}: {added} rows in {case.table}")
        if any(status >= 500 for status in race.statuses) or 200 not in race.statuses:
            problems.append(f"{endpoint}: answered {race.statuses}")
        if not all(status in (200, 409) for status in race.statuses):
            problems.append(f"{endpoint}: answered {race.statuses}")
    assert problems == []


def _calendar_csv(tag: str, deadline_day: int) -> bytes:
    header = ("finansiär;referens;uid;titel;program;länk;öppnar;sista ansökningsdag;beslut;tidigaste projektstart;"
              "senaste projektstart;budget (kr);högsta bidrag (kr);stödnivå (%);vem kan söka;teman;regioner;serie")
    rows = [f"vinnova;{tag}-{n};;Utlysning {tag} {n};;;2031-02-01;2031-05-{deadline_day:02d};;;;;;;;;;"
            for n in range(CALLS_IN_FILE)]
    return ("\n".join([header, *rows]) + "\n").encode()


def _upload_and_preview(base: str, opener, content: bytes) -> urllib.request.Request:
    import re

    _, page = _send(urllib.request.Request(base + "/calendar/import"), opener)  # noqa: S310
    body, content_type = _multipart({"csrf_token": _csrf(page), "funder": "vinnova", "kind": "csv"},
                                    "utlysningar.csv", content)
    status, preview = _send(urllib.request.Request(base + "/calendar/import", data=body,  # noqa: S310
                                                   headers={"Content-Type": content_type}), opener)
    assert status == 200, preview[:2000]
    fields = {"csrf_token": _csrf(preview),
              "draft": re.search(r'name="draft" type="hidden" value="([^"]+)"', preview).group(1),
              "submission_token": re.search(r'name="submission_token" value="([^"]+)"', preview).group(1)}
    return urllib.request.Request(base + "/calendar/import/confirm",  # noqa: S310
                                  data=urllib.parse.urlencode(fields).encode())


def test_two_planners_confirming_the_same_changed_calendar_at_once_record_each_moved_date_once(live):
    tag = f"R{uuid.uuid4().hex[:6]}"
    first = _session(live.base, live.emails["planner"])
    status, _ = _send(_upload_and_preview(live.base, first, _calendar_csv(tag, 6)), first)
    assert status == 200
    ids = f"SELECT id FROM calls WHERE reference LIKE '{tag}-%'"  # noqa: S608 - a generated tag
    assert _scalar(live.url, f"SELECT count(*) FROM ({ids}) AS c") == CALLS_IN_FILE  # noqa: S608

    planners = [first, _session(live.base, live.emails["planner2"])]
    changed = _calendar_csv(tag, 20)  # every deadline moves from 6 to 20 May
    race = _race([(_upload_and_preview(live.base, opener, changed), opener) for opener in planners])
    assert 500 not in race.statuses and all(s in (200, 409) for s in race.statuses), race.statuses
    moved = _scalar(live.url, f"SELECT count(*) FROM call_date_changes WHERE call_id IN ({ids})")  # noqa: S608
    assert moved == CALLS_IN_FILE, f"{moved} history rows for {CALLS_IN_FILE} moved deadlines"
    revisions = _scalar(live.url, f"SELECT max(revision) FROM calls WHERE id IN ({ids})")  # noqa: S608
    assert revisions == 1
