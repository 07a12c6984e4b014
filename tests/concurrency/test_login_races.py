"""Logins against two gunicorn instances on one database (SQLite file, or PostgreSQL with DATABASE_URL).

40 guesses released at once evaluate exactly the limit; a cookie captured before logout on one
instance is refused by the other. The instances run as deployed behind one load balancer
(TRUSTED_PROXIES=1; the test client is the balancer and names each client in X-Forwarded-For).
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from tests.live import live_database, running_server

PASSWORD = "login-races-passphrase-2026"
EMAIL = "gissad@race.invalid"
LIMIT, CLIENT_LIMIT = 5, 20  # the defaults of LOGIN_MAX_FAILURES and LOGIN_CLIENT_MAX_FAILURES


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # show the 302 itself


def _prepare(url: str) -> None:
    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.auth import service
    from synergy_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live-test-secret", "TESTING": True})
    with app.app_context():
        upgrade()
        service.create_user(EMAIL, "reader", PASSWORD, actor="test")
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with live_database(tmp_path_factory.mktemp("login-races"), "login") as url:
        _prepare(url)
        with running_server(url, gunicorn=True, TRUSTED_PROXIES="1") as first, \
                running_server(url, gunicorn=True, TRUSTED_PROXIES="1") as second:
            yield url, [first, second]


class Browser:
    """A browser on one instance coming from one client address: cookies kept, CSRF token from the page."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.token = self._token(self.get("/login")[1])

    @staticmethod
    def _token(page: str) -> str:
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,  # noqa: S310 - loopback test server
                                         headers={"X-Forwarded-For": self.address})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        return self._open(path)

    def post(self, path: str, **fields) -> tuple[int, str]:
        return self._open(path, {"csrf_token": self.token, **fields})

    def login(self, email: str, password: str) -> int:
        status, _ = self.post("/login", email=email, password=password)
        if status == 302:
            self.token = self._token(self.get("/profile")[1])  # renewed at login
        return status

    def session_cookie(self) -> str:
        return next(c.value for c in self.jar if c.name == "session")


def _at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))
    results = [0] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    return results


def _count(url: str, sql: str, **params) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)
    finally:
        engine.dispose()


def test_forty_guesses_at_once_on_two_instances_evaluate_exactly_the_limit(servers):
    url, bases = servers
    browsers = [Browser(bases[i % 2], "203.0.113.40") for i in range(40)]
    statuses = _at_once([lambda b=b: b.login(EMAIL, "wrong-guess-123") for b in browsers])
    assert Counter(statuses) == {401: LIMIT, 429: 40 - LIMIT}, Counter(statuses)
    assert _count(url, "SELECT count(*) FROM login_attempts WHERE email = :e AND client = :c",
                  e=EMAIL, c="203.0.113.40") == LIMIT
    # The right password from the same address is refused too; the owner elsewhere gets in.
    assert Browser(bases[0], "203.0.113.40").login(EMAIL, PASSWORD) == 429
    assert Browser(bases[1], "198.51.100.40").login(EMAIL, PASSWORD) == 302


def test_forty_guesses_at_once_over_many_accounts_from_one_address_evaluate_exactly_the_client_limit(servers):
    url, bases = servers
    browsers = [Browser(bases[i % 2], "203.0.113.41") for i in range(40)]
    statuses = _at_once([lambda b=b, i=i: b.login(f"konto{i}@race.invalid", "wrong-guess-123")
                         for i, b in enumerate(browsers)])
    assert Counter(statuses) == {401: CLIENT_LIMIT, 429: 40 - CLIENT_LIMIT}, Counter(statuses)
    assert _count(url, "SELECT count(*) FROM login_attempts WHERE client = :c", c="203.0.113.41") == CLIENT_LIMIT


def test_a_cookie_captured_before_logout_on_one_instance_is_refused_by_the_other(servers):
    _, bases = servers
    browser = Browser(bases[0], "198.51.100.50")
    assert browser.login(EMAIL, PASSWORD) == 302
    captured = browser.session_cookie()
    thief = Browser(bases[1], "192.0.2.50")
    thief.jar.clear()
    thief.opener.addheaders = [("Cookie", f"session={captured}")]
    assert thief.get("/start")[0] == 200, "the copied cookie works while the session lasts"
    assert browser.post("/logout")[0] == 302
    status, _ = thief.get("/start")
    assert status == 302, "after logout the copied cookie is refused on the other instance"
    assert browser.get("/start")[0] == 302
