"""Sessions that end: logout ends them on the server, they expire when idle and absolutely,
and the CSRF token is renewed at login. Time is moved with the sessions' clock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from synergy_app import create_app
from synergy_app.auth import service, sessions
from synergy_app.auth.models import UserSession
from synergy_app.db_types import utcnow
from tests.conftest import TEST_PASSWORD

ENDED = "Din inloggning har avslutats. Logga in igen."


class Clock:
    def __init__(self, monkeypatch):
        self.at = utcnow()
        monkeypatch.setattr(sessions, "now", lambda: self.at)

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(client, value: str):
    client.set_cookie("session", value, domain="localhost")
    return client


def _rows(db_session, user):
    return db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


def test_a_cookie_captured_before_logout_is_refused_after_it(app, client, make_user, login):
    login(make_user("planner"))
    captured = _cookie(client)
    assert client.get("/start").status_code == 200
    client.post("/logout")
    replay = _with_cookie(app.test_client(), captured)
    response = replay.get("/start")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert replay.get("/profile").status_code == 302
    assert replay.post("/profile/tokens", data={"name": "stolen"}).status_code == 302


def test_a_replayed_pre_logout_cookie_is_refused_by_another_instance(app, client, make_user, login):
    login(make_user("planner"))
    captured = _cookie(client)
    client.post("/logout")
    other = create_app({k: app.config[k] for k in ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                                    "WTF_CSRF_ENABLED", "SERVER_NAME")}).test_client()
    assert _with_cookie(other, captured).get("/start").status_code == 302


def test_logout_ends_only_that_browsers_session(app, client, make_user, login):
    user = login(make_user())
    laptop = app.test_client()
    assert laptop.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    client.post("/logout")
    assert client.get("/start").status_code == 302
    assert laptop.get("/start").status_code == 200


def test_the_cookie_carries_a_random_id_the_database_keeps_only_hashed(client, make_user, login, db_session):
    user = login(make_user())
    with client.session_transaction() as cookie_session:
        token = cookie_session[sessions.SESSION_KEY]
    [row] = _rows(db_session, user)
    assert len(token) >= 40 and token not in row.token_hash
    assert row.revoked_at is None


def test_a_cookie_without_a_server_side_session_is_refused(client, make_user, login):
    user = login(make_user())
    with client.session_transaction() as cookie_session:
        del cookie_session[sessions.SESSION_KEY]  # e.g. a cookie signed before sessions were stored
        assert cookie_session["_user_id"] == f"{user.id}:{user.session_version}"
    assert client.get("/start").status_code == 302


def test_a_session_ends_after_the_idle_time_and_says_so(app, client, make_user, login, clock):
    login(make_user())
    idle = app.config["SESSION_IDLE_MINUTES"]
    clock.advance(minutes=idle, seconds=1)
    response = client.get("/start")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert ENDED in client.get("/login").get_data(as_text=True)
    assert client.get("/start").status_code == 302  # and it stays ended


def test_activity_keeps_a_session_alive_past_the_idle_time(app, client, make_user, login, clock):
    login(make_user())
    idle = app.config["SESSION_IDLE_MINUTES"]
    for _ in range(4):
        clock.advance(minutes=idle - 1)
        assert client.get("/start").status_code == 200


def test_a_session_ends_at_its_absolute_limit_even_when_busy(app, client, make_user, login, clock):
    login(make_user())
    step = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 5)
    limit = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    started = clock.at
    while clock.at + step < started + limit:
        clock.advance(seconds=step.total_seconds())
        assert client.get("/start").status_code == 200
    clock.at = started + limit
    assert client.get("/start").status_code == 302


def test_last_activity_is_written_at_most_once_a_minute(client, make_user, login, db_session, clock):
    user = login(make_user())
    [row] = _rows(db_session, user)
    first_seen = row.last_seen_at
    clock.advance(seconds=30)
    for _ in range(5):
        assert client.get("/start").status_code == 200
    db_session.refresh(row)
    assert row.last_seen_at == first_seen
    clock.advance(seconds=31)
    assert client.get("/start").status_code == 200
    db_session.refresh(row)
    assert row.last_seen_at == clock.at


def test_revoke_sessions_ends_every_session_of_a_user_on_the_spot(app, client, make_user, login, db_session):
    user = login(make_user())
    other_user = make_user()
    phone, others = app.test_client(), app.test_client()
    phone.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    others.post("/login", data={"email": other_user.email, "password": TEST_PASSWORD})
    assert service.revoke_sessions(user) == 2
    db_session.commit()
    assert client.get("/start").status_code == 302
    assert phone.get("/start").status_code == 302
    assert others.get("/start").status_code == 200  # someone else's sessions are untouched
    assert all(row.revoked_at is not None for row in _rows(db_session, user))


def test_a_password_change_keeps_this_session_and_revokes_the_others(app, client, make_user, login, db_session):
    user = login(make_user())
    phone = app.test_client()
    phone.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    response = client.post("/profile/password", data={"current_password": TEST_PASSWORD,
                                                      "new_password": "a-brand-new-passphrase"})
    assert response.status_code == 302
    assert client.get("/start").status_code == 200
    assert phone.get("/start").status_code == 302
    assert [row.revoked_at is None for row in _rows(db_session, user)] == [True, False]


def test_the_csrf_token_is_renewed_at_login(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with client.session_transaction() as cookie_session:
        before = cookie_session["csrf_token"]
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    client.get("/profile")
    with client.session_transaction() as cookie_session:
        after = cookie_session["csrf_token"]
    assert after != before
    # A token planted before login (e.g. by someone who set the victim's cookie) is useless afterwards.
    assert client.post("/logout", data={"csrf_token": token}).status_code == 400
    assert client.get("/start").status_code == 200


def test_the_chosen_language_survives_login(client, make_user):
    user = make_user()
    client.get("/lang/en")
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert '<html lang="en">' in client.get("/start").get_data(as_text=True)
