"""Login throttling: the lockout names the reason, holds for the right password and lifts after the window."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from synergy_app.auth.models import LoginAttempt
from tests.conftest import TEST_PASSWORD

LOCKED = "För många misslyckade inloggningar. Vänta en stund och försök igen."


def _fail(client, email: str, times: int) -> None:
    for _ in range(times):
        assert client.post("/login", data={"email": email, "password": "wrong-password"}).status_code == 401


def test_lockout_holds_even_for_the_right_password_and_says_why(client, make_user):
    user = make_user()
    _fail(client, user.email, 5)
    blocked = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert LOCKED in blocked.get_data(as_text=True)
    assert client.get("/start").status_code == 302  # not logged in


def test_four_failures_do_not_lock(client, make_user):
    user = make_user()
    _fail(client, user.email, 4)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_lockout_lifts_when_the_window_has_passed(app, client, make_user, db_session):
    user = make_user()
    _fail(client, user.email, 5)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
    # Age the failures to just outside the window.
    window = timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 1)
    attempts = db_session.scalars(select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    for attempt in attempts:
        db_session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt.id)
                           .values(at=attempt.at - window))
    db_session.commit()
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_one_client_guessing_many_addresses_is_locked(client, make_user):
    victim = make_user()
    for n in range(5):
        _fail(client, f"guess{n}@test.invalid", 1)
    blocked = client.post("/login", data={"email": victim.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429 and LOCKED in blocked.get_data(as_text=True)


def test_another_client_is_not_locked_by_failures_for_other_addresses(app, client, make_user, db_session):
    user = make_user()
    for n in range(5):
        _fail(client, f"guess{n}@test.invalid", 1)
    other = app.test_client()
    response = other.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                          environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 302
