"""Settings read from the environment.

Everything that differs between a laptop and production comes from environment variables;
the defaults give a working local workspace on SQLite in ``instance/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'synergy.sqlite3'}"
    # Heroku-style URLs and bare "postgresql://" should use the psycopg 3 driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _secret_key(instance_path: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when SYNERGY_ENV=production")
    # Local use: generate once and keep it in instance/ so sessions survive restarts and
    # several local processes share one key.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """Return the Flask configuration mapping for this environment."""
    overrides = overrides or {}
    env = os.environ.get("SYNERGY_ENV", "development").strip().lower()
    production = env == "production"
    config = {
        "SYNERGY_ENV": env,
        "SQLALCHEMY_DATABASE_URI": overrides.get("SQLALCHEMY_DATABASE_URI") or _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path, production),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ("sv", "en"),
        "DISPLAY_TIMEZONE": "Europe/Stockholm",
        # Login throttling: this many failures for one account from one client address, or for any
        # accounts from one client address, within the window locks further attempts until it passes.
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_CLIENT_MAX_FAILURES": int(os.environ.get("LOGIN_CLIENT_MAX_FAILURES", "20")),
        "LOGIN_WINDOW_SECONDS": int(os.environ.get("LOGIN_WINDOW_SECONDS", "900")),
        # How many proxies in front of the app to believe in X-Forwarded-For (0: none, the
        # connecting address is the client). Behind one load balancer: 1.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Server-side sessions end after this much inactivity and, whatever the activity, this long
        # after login (NIST SP 800-63B, AAL2: 30 minutes and 12 hours).
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        # A session's last activity is written at most this often, not on every request.
        "SESSION_TOUCH_SECONDS": 60,
        "ICS_UID_DOMAIN": os.environ.get("ICS_UID_DOMAIN", "synergy.local"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        # Outgoing mail: an SMTP server (smtp://user:pass@host:587?starttls=1, smtps://...), or unset
        # for the embedded default, .eml files in instance/outbox/.
        "MAIL_URL": os.environ.get("MAIL_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@" + os.environ.get("ICS_UID_DOMAIN", "synergy.local")),
        "MAIL_FROM_NAME": os.environ.get("MAIL_FROM_NAME", "Synergiarbetsytan"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR") or str(instance_path / "outbox"),
        # A worker owns a claimed message this long; longer than any send (the SMTP timeout is 30 s).
        "MAIL_LEASE_SECONDS": int(os.environ.get("MAIL_LEASE_SECONDS", "120")),
        # Sent messages marked per commit: 1 re-sends nothing but the one in flight when a worker dies.
        "MAIL_MARK_EVERY": max(1, int(os.environ.get("MAIL_MARK_EVERY", "1"))),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        # Pages kept for their reader until a table they were built from changes (page_cache.py); 0 turns it off.
        "PAGE_CACHE": os.environ.get("PAGE_CACHE", "1").strip() not in ("0", "false", "no"),
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "synergy"),
        "OUTBOX_DRAIN_SECONDS": int(os.environ.get("OUTBOX_DRAIN_SECONDS", "60")),
        "PERIODIC_INTERVAL_SECONDS": int(os.environ.get("PERIODIC_INTERVAL_SECONDS", "900")),
    }
    config.update(overrides)
    return config
