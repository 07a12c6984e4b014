"""One-click unsubscribe for mail clients (RFC 8058): the `List-Unsubscribe` address of every message.

Mail clients POST `List-Unsubscribe=One-Click` to it without a session or a form, so it lives with the
token-authenticated API (no CSRF token): the signed address is its own authority. Opened in a browser
(GET), it leads to the confirmation page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, url_for

from ..auth.access import PUBLIC, allow
from ..errorpages import json_error
from . import service, unsubscribe
from .kinds import BY_KEY

bp = Blueprint("notify_api", __name__, url_prefix="/api/v1")


def _read(key: str):
    found = unsubscribe.read(current_app.config["SECRET_KEY"], key)
    return found if found is not None and found[1] in BY_KEY else None


@bp.post("/unsubscribe/<key>")
@allow(PUBLIC)
def one_click(key: str):
    found = _read(key)
    if found is None:
        return json_error(400, "invalid_link", "The unsubscribe link is not valid.", "key")
    email, kind = found
    service.unsubscribe(email, kind)
    return jsonify({"unsubscribed": {"email": email, "kind": kind}})


@bp.get("/unsubscribe/<key>")
@allow(PUBLIC)
def one_click_page(key: str):
    return redirect(url_for("notify.unsubscribe_page", key=key))
