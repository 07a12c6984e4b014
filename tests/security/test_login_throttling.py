"""Login throttling: per account at a client address and per client address, by the real address.

The lockout names the reason, holds for the right password and lifts after the window; an attacker
elsewhere locks no one out; X-Forwarded-For counts only from trusted proxies. The races (40 attempts
at once on two instances) are in tests/concurrency/test_login_races.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from synergy_app import create_app
from synergy_app.auth import throttle
from synergy_app.auth.models import LoginAttempt, LoginCounter
from synergy_app.db_types import utcnow
from tests.conftest import TEST_PASSWORD

LOCKED = "För många misslyckade inloggningar. Vänta en stund och försök igen."
PROXY = "10.0.0.2"  # the load balancer's address, as the app sees the connection


def _post(client, email: str, password: str, addr: str | None = None, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = {"REMOTE_ADDR": addr} if addr else {}
    return client.post("/login", data={"email": email, "password": password}, headers=headers,
                       environ_base=environ)


def _fail(client, email: str, times: int, **where) -> None:
    for _ in range(times):
        assert _post(client, email, "wrong-password", **where).status_code == 401


def _instance(app, **overrides):
    keep = ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "WTF_CSRF_ENABLED", "LOGIN_MAX_FAILURES",
            "SERVER_NAME")
    return create_app({**{k: app.config[k] for k in keep}, **overrides})


@pytest.fixture
def behind_proxy(app, db_session):
    """The app as deployed behind one load balancer (TRUSTED_PROXIES=1)."""
    return _instance(app, TRUSTED_PROXIES=1).test_client()


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


def test_a_refused_attempt_does_not_check_the_password(client, make_user, db_session):
    user = make_user()
    _fail(client, user.email, 5)
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "wrong-password"}).status_code == 429
    evaluated = db_session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.email == user.email))
    assert evaluated == 5


def test_lockout_lifts_when_the_window_has_passed(app, client, make_user, monkeypatch):
    user = make_user()
    _fail(client, user.email, 5)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
    later = utcnow() + timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 1)
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_a_successful_login_clears_the_accounts_failures_at_that_address(app, client, make_user):
    user = make_user()
    _fail(client, user.email, 4)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    client.post("/logout")
    _fail(client, user.email, 4)  # would be the 5th..8th failure without the reset
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_failures_from_elsewhere_do_not_lock_the_owner_out(client, make_user):
    victim = make_user()
    _fail(client, victim.email, 5, addr="198.51.100.66")  # the attacker
    assert _post(client, victim.email, "wrong-password", addr="198.51.100.66").status_code == 429
    # The owner, from her own address, is let in.
    assert _post(client, victim.email, TEST_PASSWORD, addr="192.0.2.10").status_code == 302


def test_one_client_guessing_many_accounts_is_locked_at_the_client_limit(app, client, make_user):
    victim = make_user()
    limit = app.config["LOGIN_CLIENT_MAX_FAILURES"]
    assert limit > app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit):
        _fail(client, f"guess{n}@test.invalid", 1)
    blocked = client.post("/login", data={"email": victim.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429 and LOCKED in blocked.get_data(as_text=True)
    # Another address is not affected.
    assert _post(client, victim.email, TEST_PASSWORD, addr="192.0.2.10").status_code == 302


def test_fewer_failures_than_the_client_limit_over_many_accounts_do_not_lock_the_address(app, client, make_user):
    # Colleagues behind one office address mistyping their own passwords do not lock each other out.
    user = make_user()
    for n in range(app.config["LOGIN_CLIENT_MAX_FAILURES"] - 1):
        _fail(client, f"colleague{n}@test.invalid", 1)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_another_address(behind_proxy, make_user):
    user, other = make_user(), make_user()
    attacker, owner = "203.0.113.5", "198.51.100.7"
    _fail(behind_proxy, user.email, 5, addr=PROXY, forwarded=attacker)
    assert _post(behind_proxy, user.email, TEST_PASSWORD, addr=PROXY, forwarded=attacker).status_code == 429
    # Everyone arrives from the balancer's address, yet the owner and other users are let in.
    assert _post(behind_proxy, user.email, TEST_PASSWORD, addr=PROXY, forwarded=owner).status_code == 302
    behind_proxy.post("/logout")
    assert _post(behind_proxy, other.email, TEST_PASSWORD, addr=PROXY, forwarded="192.0.2.99").status_code == 302


def test_behind_a_trusted_proxy_the_client_limit_counts_the_real_address(app, behind_proxy, make_user):
    user = make_user()
    for n in range(app.config["LOGIN_CLIENT_MAX_FAILURES"]):
        _fail(behind_proxy, f"guess{n}@test.invalid", 1, addr=PROXY, forwarded="203.0.113.5")
    assert _post(behind_proxy, user.email, TEST_PASSWORD, addr=PROXY, forwarded="203.0.113.5").status_code == 429
    assert _post(behind_proxy, user.email, TEST_PASSWORD, addr=PROXY, forwarded="203.0.113.6").status_code == 302


def test_behind_a_trusted_proxy_addresses_the_client_prepends_are_not_believed(behind_proxy, make_user):
    # The balancer appends the address it saw; what the client wrote before it is the client's claim.
    user = make_user()
    for n in range(5):
        spoofed = f"192.0.2.{n + 1}, 203.0.113.5"
        assert _post(behind_proxy, user.email, "wrong-password", addr=PROXY, forwarded=spoofed).status_code == 401
    blocked = _post(behind_proxy, user.email, TEST_PASSWORD, addr=PROXY, forwarded="192.0.2.200, 203.0.113.5")
    assert blocked.status_code == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, make_user, db_session):
    user = make_user()
    for n in range(5):  # a new made-up address in the header each time does not escape the lock
        assert _post(client, user.email, "wrong-password", addr="203.0.113.5",
                     forwarded=f"192.0.2.{n + 1}").status_code == 401
    blocked = _post(client, user.email, TEST_PASSWORD, addr="203.0.113.5", forwarded="192.0.2.77")
    assert blocked.status_code == 429
    recorded = set(db_session.scalars(select(LoginAttempt.client).where(LoginAttempt.email == user.email)))
    assert recorded == {"203.0.113.5"}


def test_counters_whose_window_has_passed_are_cleared_at_the_next_successful_login(app, client, make_user,
                                                                                   db_session, monkeypatch):
    user = make_user()
    _fail(client, "someone.else@test.invalid", 3, addr="192.0.2.33")
    assert db_session.scalar(select(func.count()).select_from(LoginCounter)) == 2
    later = utcnow() + timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 1)
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    # Only this login's own address counter is left (at zero: the success gave its place back).
    assert db_session.scalars(select(LoginCounter.failures)).all() == [0]
