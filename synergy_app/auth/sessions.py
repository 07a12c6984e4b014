"""Server-side sessions: a login the server can end.

The signed session cookie carries a random session id; the database keeps only its hash with
the times that bound it. Every instance checks the row on each request, so logging out (or a
password change, or deactivation) ends the session everywhere at once, and a cookie copied
before that moment is worthless afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..db_types import utcnow
from ..extensions import db
from .models import User, UserSession

# The key of the session id in Flask's signed session cookie.
SESSION_KEY = "sid"


def now() -> datetime:
    """The sessions' clock; tests replace it to move time forward."""
    return utcnow()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta, timedelta]:
    config = current_app.config
    return (timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_MAX_HOURS"]),
            timedelta(seconds=config["SESSION_TOUCH_SECONDS"]))


def start_session(user: User) -> str:
    """Open a session for `user` and return its id for the cookie; commits."""
    _, lifetime, _ = _limits()
    at = now()
    token = secrets.token_urlsafe(32)
    # Rows a day past their absolute end can never be used again; clearing them here keeps the table small.
    db.session.execute(delete(UserSession).where(UserSession.expires_at < at - timedelta(days=1)))
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id, created_at=at, last_seen_at=at,
                               expires_at=at + lifetime))
    db.session.commit()
    return token


def live_session_user_id(token: str | None) -> int | None:
    """The user id of a live session, or None when it is unknown, revoked, idle too long or past its end.

    Marks the session as seen, at most once per SESSION_TOUCH_SECONDS so a busy user does not
    write on every request. Call it at the start of a request: the touch commits."""
    if not token:
        return None
    idle, _, touch = _limits()
    at = now()
    # Through the session's connection without the ORM: this runs on every request, often beside little else.
    sessions = UserSession.__table__.c
    row = db.session.connection().execute(
        select(sessions.id, sessions.user_id, sessions.last_seen_at, sessions.expires_at, sessions.revoked_at)
        .where(sessions.token_hash == _hash(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None or at >= row.expires_at or at - row.last_seen_at > idle:
        return None
    if at - row.last_seen_at >= touch:
        # A fresh transaction whose first statement is the write: on SQLite a read transaction
        # cannot be upgraded to a write while another process writes.
        db.session.rollback()
        db.session.execute(update(UserSession).where(UserSession.id == row.id, UserSession.last_seen_at < at)
                           .values(last_seen_at=at))
        db.session.commit()
    return row.user_id


def end_session(token: str | None) -> None:
    """Revoke one session (logout); commits."""
    if not token:
        return
    db.session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                 UserSession.revoked_at.is_(None)).values(revoked_at=now()))
    db.session.commit()


def revoke_sessions(user: User, *, keep: str | None = None) -> int:
    """Revoke every open session of `user`, except the one whose cookie id is `keep`.

    Part of the caller's transaction (the caller commits and audits), so a deactivation or a
    password change and the end of its sessions are one unit of work. Returns how many ended."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.token_hash != _hash(keep))
    return db.session.execute(stmt.values(revoked_at=now())).rowcount or 0
