"""Session loading (cookie or API token) and security headers."""

from __future__ import annotations

from flask import Flask, current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_babel

from .auth.models import User
from .auth.service import user_for_token
from .auth.sessions import SESSION_KEY, live_session_user_id
from .extensions import db, login_manager

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# Endpoints that answer without a session: static files and the load balancer's probes.
SESSIONLESS_ENDPOINTS = frozenset({"static", "core.livez", "core.healthz"})


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att fortsätta.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(_api_token_user)
    app.before_request(_check_session)
    app.after_request(_security_headers)


def load_user(user_id: str):
    # The id carries the session version: a password change ends sessions on every instance.
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or str(user.session_version) != version or not user.active:
        return None
    # ...and the cookie must name a live server-side session of this user (checked in _check_session).
    if g.get("session_user_id") != user.id:
        return None
    return user


def _api_token_user():
    # Load the user and the language afresh on every request, also where one app
    # context spans several.
    g.pop("_login_user", None)
    refresh_babel()
    g.api_user = None
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.api_user = user_for_token(header[len("Bearer ") :].strip())


def _check_session():
    # At the start of the request, before any view writes: checking may mark the session as seen.
    g.session_user_id = None
    if request.path.startswith("/api/") or request.endpoint in SESSIONLESS_ENDPOINTS:
        return
    token = session.get(SESSION_KEY)
    if token is None:
        return
    g.session_user_id = live_session_user_id(token)
    if g.session_user_id is None:
        # Logged out elsewhere, expired, or a password change: drop it and say so once.
        was_logged_in = "_user_id" in session
        session.pop(SESSION_KEY, None)
        session.pop("_user_id", None)
        if was_logged_in:
            flash(_("Din inloggning har avslutats. Logga in igen."), "info")


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["SYNERGY_ENV"] == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
