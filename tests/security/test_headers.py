"""Session cookie flags and security headers on a page, a download and an error, in development and production."""

from __future__ import annotations

import pytest

from synergy_app import create_app
from tests.conftest import TEST_PASSWORD

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def _assert_hardened(response, label: str) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, f"{label}: {name}"
    csp = _csp_directives(response)
    assert csp["default-src"] == "'self'", label
    assert csp["frame-ancestors"] == "'none'", label
    assert csp["object-src"] == "'none'", label
    # No inline code allowed: a stored <script> or onerror= would not run even if it slipped through.
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp.get(directive, csp["default-src"]), label
        assert "'unsafe-eval'" not in csp.get(directive, csp["default-src"]), label


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "the response sets the session cookie"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http on a laptop
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path, kind", [
    ("/start", "text/html"),
    ("/calendar/export.csv", "text/csv"),
    ("/projects/budget-template.xlsx", "application/vnd.openxmlformats"),
    ("/no-such-page", "text/html"),
    ("/api/v1/regions/no-such-region", "application/json"),
])
def test_page_download_and_error_carry_the_security_headers(client, make_user, login, api_token, path, kind):
    user = login(make_user())
    response = client.get(path, headers=api_token(user) if path.startswith("/api/") else {})
    assert response.headers["Content-Type"].startswith(kind)
    _assert_hardened(response, path)


@pytest.fixture
def production_app(monkeypatch, database_url):
    monkeypatch.setenv("SYNERGY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-test-secret")
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


@pytest.mark.parametrize("path", ["/login", "/no-such-page", "/calendar/calls.ics"])
def test_production_adds_hsts_and_secure_cookies(production_app, path):
    client = production_app.test_client()
    response = client.get(path)
    _assert_hardened(response, path)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    if path == "/login":  # the login form's CSRF token starts the session
        cookie = _session_cookie(response)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
