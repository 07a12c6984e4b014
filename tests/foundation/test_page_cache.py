"""Kept pages: a page asked for again is answered without building it, until a table it was built from
changes; then the next answer is built afresh, whichever way the write came (service, raw SQL)."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select, text

from synergy_app import data_versions
from synergy_app.calendar import service as calendar
from synergy_app.calendar.models import Call
from synergy_app.extensions import db
from tests.calendar.conftest import make_data
from tests.foundation.test_query_counts import counted
from tests.priorities.test_matching_cache import shared_database  # noqa: F401 (a fixture: committed data)

PATH = "/calendar/?from=2027-01-01&to=2027-12-31"
KEPT = 2  # statements of a kept answer: the session's check and the table versions (the account is not read)


def _get(client, path: str = PATH, **kwargs):
    with counted() as statements:
        response = client.get(path, **kwargs)
    assert response.status_code in (200, 304), (path, response.status_code)
    return response, len(statements)


def _kept(client, path: str = PATH, **kwargs):
    """Ask twice: the first page after login gives the session its form token (a session change is never
    kept), the second is built and kept."""
    _get(client, path, **kwargs)
    return _get(client, path, **kwargs)


@pytest.fixture
def planner(client, make_user, login):
    return login(make_user("planner", name="Petra Provplanerare"))


def test_a_page_asked_for_again_is_answered_from_what_was_kept(client, planner, db_session):
    calendar.save_call(make_data("PC-1", title="Kept call one"), actor="test")
    first, built = _kept(client)
    again, kept = _get(client)
    assert "Kept call one" in again.get_data(as_text=True)
    assert again.get_data() == first.get_data()
    # Only the session and the table versions are read: neither the account nor the page is read again.
    assert kept <= KEPT < built


def test_a_call_saved_through_the_service_is_on_the_next_page(client, planner, db_session):
    _kept(client)
    assert _get(client)[1] <= KEPT
    calendar.save_call(make_data("PC-2", title="Written after the page was kept"), actor="test")
    page, _ = _get(client)
    assert "Written after the page was kept" in page.get_data(as_text=True)


def test_a_write_in_plain_sql_is_seen_too(client, planner, db_session):
    calendar.save_call(make_data("PC-3", title="Title before"), actor="test")
    assert "Title before" in _kept(client)[0].get_data(as_text=True)
    call_id = db.session.scalar(select(Call.id).where(Call.title == "Title before"))
    db.session.execute(text("UPDATE calls SET title = 'Title after' WHERE id = :id"), {"id": call_id})
    db.session.commit()
    page = _get(client)[0].get_data(as_text=True)
    assert "Title after" in page and "Title before" not in page


def test_a_write_the_page_does_not_read_keeps_it(client, planner, db_session):
    _kept(client)
    before = data_versions.current_versions().get("calls")
    db.session.execute(text("UPDATE users SET name = name WHERE id = -1"))  # a write to users, no row matched
    db.session.execute(text("INSERT INTO data_versions (table_name, version) VALUES ('unrelated_table', 'x')"))
    db.session.commit()
    assert data_versions.current_versions().get("calls") == before
    # users changed (every page depends on its reader's row): built again once, then kept again.
    _get(client)
    assert _get(client)[1] <= KEPT


def test_each_reader_and_each_language_gets_their_own_page(client, app, make_user, login, db_session):
    login(make_user("planner", name="Första Planeraren"))
    assert "Första Planeraren" in _get(client)[0].get_data(as_text=True)
    other = app.test_client()
    second = make_user("planner", name="Andra Planeraren")
    assert other.post("/login", data={"email": second.email, "password": "correct-horse-battery"}).status_code == 302
    page = _get(other)[0].get_data(as_text=True)
    assert "Andra Planeraren" in page and "Första Planeraren" not in page
    english = _get(other, PATH + "&lang=en")[0].get_data(as_text=True)
    assert 'lang="en"' in english
    assert 'lang="sv"' in _get(client)[0].get_data(as_text=True)


def test_a_page_whose_building_changes_the_session_is_built_again_next_time(client, planner, db_session):
    # The first page after login gives the session its form token: not kept; the next one is.
    counts = [_get(client)[1] for _ in range(3)]
    assert counts[0] > KEPT and counts[1] > KEPT and counts[2] <= KEPT, counts


def test_a_client_whose_address_changed_since_login_still_gets_kept_pages(client, planner, db_session):
    # Another address or browser than at login, and a client that sends the cookie it had (requests in
    # flight at once, a script): the login marks the session non-fresh again on each request. That is not
    # a change the page's building made, so the page is still kept.
    moved = {"User-Agent": "Mozilla/5.0 (a browser updated since login)", "X-Forwarded-For": "203.0.113.7"}

    def get_with_cookie_from_login():
        with client.session_transaction() as session:
            session["_fresh"] = True
        return _get(client, headers=moved)

    counts = [get_with_cookie_from_login()[1] for _ in range(3)]
    again, kept = get_with_cookie_from_login()
    assert kept <= KEPT < counts[0], counts
    assert "Petra Provplanerare" in again.get_data(as_text=True)


def test_a_new_language_setting_or_a_deactivation_is_seen_on_the_next_page(client, planner, db_session):
    from synergy_app.auth import service as accounts

    assert 'lang="sv"' in _kept(client)[0].get_data(as_text=True)
    accounts.set_locale(planner, "en")  # the account's setting, not the session's choice
    assert 'lang="en"' in _get(client)[0].get_data(as_text=True)
    _get(client)
    assert _get(client)[1] <= KEPT
    planner.active = False
    db.session.commit()
    page = client.get(PATH)
    assert page.status_code == 302 and "/login" in page.location


def test_a_message_waiting_to_be_shown_is_never_answered_from_a_kept_page(client, planner, db_session):
    _kept(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Sparat just nu.")]
    assert "Sparat just nu." in _get(client)[0].get_data(as_text=True)
    assert "Sparat just nu." not in _get(client)[0].get_data(as_text=True)


def test_a_browser_asking_again_gets_304_until_something_changes(client, planner, db_session):
    first, _ = _kept(client)
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    again, _ = _get(client, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    calendar.save_call(make_data("PC-4", title="New since the copy in the browser"), actor="test")
    changed, _ = _get(client, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "New since the copy in the browser" in changed.get_data(as_text=True)


def test_the_chairs_running_order_is_kept_for_one_second_of_the_clock(client, make_user, login, db_session,
                                                                       monkeypatch):
    from datetime import UTC, datetime, timedelta

    from synergy_app import clock
    from synergy_app.dialogues import service
    from tests.dialogues.rounds_support import DAY, make_round

    planner = login(make_user("planner"))
    round_ = make_round(db_session, planner, open_for_booking=False,
                        meetings=[service.local_interval(DAY, time(9, 0), time(11, 0))])
    path = f"/dialogues/rounds/{round_.id}/run"
    moment = [datetime(2027, 3, 1, 9, 30, 15, 100_000, tzinfo=UTC)]
    monkeypatch.setattr(clock, "utcnow", lambda: moment[0])
    _kept(client, path)
    assert _get(client, path)[1] <= KEPT  # within one second, many asking share one build
    # The timer counts seconds: the next second's page is built again, then kept for that second.
    moment[0] += timedelta(seconds=1)
    assert [_get(client, path)[1] <= KEPT for _ in range(3)] == [False, True, True]


def test_the_tables_a_statement_reads_are_noted(app, db_session):
    with data_versions.recording() as tables:
        db.session.scalars(select(Call).where(Call.title == "x")).all()
        db.session.execute(text("SELECT count(*) FROM rulings JOIN organisations ON 1 = 0")).all()
    assert {"calls", "rulings", "organisations"} <= tables


def test_a_kept_create_form_carries_a_new_one_time_token_each_time(client, make_user, login, db_session):
    import re

    login(make_user("planner"))
    path = "/projects/new"
    token = re.compile(r'name="submission_token" value="([^"]+)"')
    from flask import template_rendered

    rendered = []

    def _rendered(_sender, template, **_extra):
        rendered.append(template.name)

    _get(client, path)
    first, _ = _get(client, path)
    template_rendered.connect(_rendered)
    try:
        again, _ = _get(client, path)
    finally:
        template_rendered.disconnect(_rendered)
    assert rendered == []  # not built: taken from what was kept
    one, two = token.findall(first.get_data(as_text=True)), token.findall(again.get_data(as_text=True))
    assert one and two and set(one).isdisjoint(two)
    assert "\x1e" not in again.get_data(as_text=True) and "ETag" not in again.headers


@pytest.mark.parametrize("shared_cache", ["process", "redis"])
def test_two_instances_never_show_a_kept_page_from_before_a_write(shared_database, shared_cache):  # noqa: F811
    import uuid

    from flask import template_rendered

    from tests.priorities.test_matching_cache import _instance, _logged_in, _redis_url

    redis_url = _redis_url() if shared_cache == "redis" else None
    if shared_cache == "redis" and redis_url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    writer, reader = _instance(shared_database, redis_url), _instance(shared_database, redis_url)
    title = f"Written through the other instance {uuid.uuid4().hex[:6]}"
    rendered = []

    def _rendered(_sender, template, **_extra):
        rendered.append(template.name)

    with _logged_in(reader) as client:
        client.get(PATH)
        client.get(PATH)
        template_rendered.connect(_rendered)
        try:
            assert title not in client.get(PATH).get_data(as_text=True)
            assert rendered == []  # the reader instance answered from its kept page
            if redis_url:
                from redis import Redis

                from synergy_app.page_cache import KEY_PREFIX

                assert list(Redis.from_url(redis_url).scan_iter(f"{KEY_PREFIX}*")), "no page kept in Redis"
            with writer.app_context():
                calendar.save_call(make_data(f"TI-{uuid.uuid4().hex[:6]}", title=title), actor="test")
            assert title in client.get(PATH).get_data(as_text=True)
        finally:
            template_rendered.disconnect(_rendered)
