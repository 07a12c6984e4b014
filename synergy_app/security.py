"""Session loading (cookie or API token) and security headers."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_babel

from .extensions import db, login_manager

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    from .auth.models import User
    from .auth.service import user_for_token

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att fortsätta.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The id carries the session version: a password change ends sessions on every instance.
        try:
            raw_id, version = user_id.split(":")
            user = db.session.get(User, int(raw_id))
        except (ValueError, TypeError):
            return None
        if user is None or str(user.session_version) != version or not user.active:
            return None
        return user

    @app.before_request
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

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["SYNERGY_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
