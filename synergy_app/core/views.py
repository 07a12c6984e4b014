"""Start page, liveness and health checks, language switch."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ..auth.access import ANY_USER, PUBLIC, allow
from ..extensions import db
from . import start_page

bp = Blueprint("core", __name__)


@bp.get("/")
@allow(PUBLIC)
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("core.home"))


@bp.get("/start")
@allow(ANY_USER)
def home():
    return render_template("core/home.html", page=start_page.start_page(current_user),
                           counts=start_page.directory_counts())


@bp.get("/lang/<code>")
@allow(PUBLIC)
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.args.get("next") or url_for("core.index")
    # Only local paths, never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.index")
    return redirect(target)


@bp.get("/livez")
@allow(PUBLIC)
def livez():
    # The process answers at all: no database, no session, no template. A load balancer restarts an
    # instance that fails this; /healthz (database and migrations) decides whether to send it traffic.
    return current_app.response_class("ok\n", mimetype="text/plain")


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    checks = {"database": "ok", "migrations": "ok"}
    status = 200
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
        script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        heads = set(script.get_heads())
        if current != heads:
            checks["migrations"] = f"at {sorted(current) or 'none'}, head is {sorted(heads)}"
            status = 503
    except Exception as exc:  # noqa: BLE001 - the health check reports any failure
        checks["database"] = f"unreachable: {type(exc).__name__}"
        status = 503
    return jsonify({"status": "ok" if status == 200 else "fail", "checks": checks}), status
