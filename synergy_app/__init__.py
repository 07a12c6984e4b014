"""Synergy workspace: dialogue and co-funding coordination for Swedish innovation policy."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config

ROOT = Path(__file__).resolve().parent.parent

# One package per capability. Each may have views.py and api.py (a Blueprint named `bp`)
# models.py, cli.py (a list `commands` of click commands) and contributions.py (a function
# `register(registry)`, see contributions.py); create_app() wires whatever exists.
CAPABILITIES = ("core", "auth", "directory", "admin", "priorities", "dialogues", "calendar", "projects", "stateaid",
                "funding_profiles", "dossiers", "notify", "jobs")


def create_app(overrides: dict | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints and CLI commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(Path(app.instance_path), overrides))
    if app.config["TRUSTED_PROXIES"] > 0:
        # Believe X-Forwarded-For/-Proto only as far back as the configured proxies reach; without
        # them the header is the client's own claim and is ignored (throttling uses the real address).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from . import (
        contributions,
        database,
        delivery,
        errorpages,
        int_params,
        page_cache,
        request_limits,
        security,
        submissions,
        templating,
        text_boundary,
    )
    from .extensions import babel, csrf, db, login_manager, migrate
    from .i18n import select_locale
    from .jobs import queue

    request_limits.init_app(app)
    int_params.init_app(app)  # before the blueprints: their <int:...> routes take the bounded converter
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    login_manager.init_app(app)
    security.init_app(app)
    text_boundary.init_app(app)
    errorpages.init_app(app)
    templating.init_app(app)
    submissions.init_app(app)
    delivery.init_app(app)
    queue.init_app(app)
    page_cache.init_app(app)  # last: its hooks run after the session checks and before compression

    for capability in ("audit", *CAPABILITIES):
        _capability_modules(capability, "models")  # importing registers every table with Alembic
    registry = contributions.Registry()
    app.extensions[contributions.EXTENSION] = registry
    for capability in CAPABILITIES:
        for module in _capability_modules(capability, "contributions"):
            module.register(registry)
        for module in _capability_modules(capability, "views"):
            app.register_blueprint(module.bp)
        for module in _capability_modules(capability, "api"):
            csrf.exempt(module.bp)  # token-authenticated, no cookies
            app.register_blueprint(module.bp)
        for module in _capability_modules(capability, "cli"):
            for command in getattr(module, "commands", ()):
                app.cli.add_command(command)
    return app


def _capability_modules(capability: str, prefix: str):
    """The capability's modules named `prefix` or `prefix_*` (e.g. views.py, views_booking.py), sorted."""
    package = importlib.import_module(f"{__name__}.{capability}")
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__)
                   if m.name == prefix or m.name.startswith(prefix + "_"))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]
