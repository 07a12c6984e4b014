"""Writing messages to the outbox inside the caller's transaction, and handing them on after commit.

A service calls `add(...)` while its transaction is open: the row is committed with the change or
rolled back with it. `synergy_app.jobs.queue` hands the committed rows on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, insert, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..db_types import utcnow
from ..extensions import db
from .kinds import BY_KEY
from .models import NotificationPreference, OutboxMessage

NEW_IDS = "notify.outbox.new_ids"  # key in Session.info: rows added in the open transaction
COMMITTED_IDS = "notify.outbox.committed_ids"  # rows whose transaction committed, not yet handed on


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user_id: int | None = None
    locale: str | None = None

    @classmethod
    def of_user(cls, user) -> Recipient:
        return cls(user.email, user.name or "", user.id, user.locale)


def _insert(bind):
    if bind.dialect.name == "postgresql":
        return pg_insert(OutboxMessage)
    if bind.dialect.name == "sqlite":
        return sqlite_insert(OutboxMessage)
    return insert(OutboxMessage)  # pragma: no cover - the two databases we run on are above


def wanted(email: str, kind: str) -> bool:
    """Whether the person wants this kind of message (their setting, or the kind's default)."""
    enabled = db.session.scalar(select(NotificationPreference.enabled).where(
        NotificationPreference.email == email.lower(), NotificationPreference.kind == kind))
    return BY_KEY[kind].default if enabled is None else enabled


def _wanted_condition(email: str, kind: str):
    """SQL for `wanted`: no setting means the kind's default."""
    default = BY_KEY[kind].default
    chosen = exists(select(NotificationPreference.id).where(
        NotificationPreference.email == email, NotificationPreference.kind == kind,
        NotificationPreference.enabled.is_(not default)))
    return ~chosen if default else chosen


_COLUMNS = ("event_key", "kind", "recipient_email", "recipient_name", "recipient_user_id", "locale", "payload",
            "status", "attempts", "next_attempt_at", "created_at")


def add(kind: str, event_key: str, recipients: Iterable[Recipient], payload: dict | None = None) -> list[int]:
    """Queue one message per recipient for this event, in the current transaction.

    A recipient who already has a message for `event_key`, or who turned this kind off, gets none. All
    recipients are one INSERT … SELECT (the setting checked in its WHERE, the unique key in its ON
    CONFLICT): one round trip to the database, whatever the number of recipients."""
    if kind not in BY_KEY:
        raise ValueError(f"unknown message kind {kind!r}")
    session = db.session()
    now = utcnow()
    rows = []
    seen = set()
    for person in recipients:
        email = person.email.strip().lower()
        if not email or email in seen or person.email.startswith("removed-"):
            continue
        seen.add(email)
        values = (event_key[:200], kind, email, person.name or "", person.user_id,
                  person.locale if person.locale in ("sv", "en") else "sv", payload or {}, "pending", 0, now, now)
        rows.append(select(*(literal(v, OutboxMessage.__table__.c[c].type).label(c)
                             for c, v in zip(_COLUMNS, values, strict=True)))
                    .where(_wanted_condition(email, kind)))
    if not rows:
        return []
    source = rows[0] if len(rows) == 1 else union_all(*rows)
    stmt = (_insert(session.get_bind()).from_select(list(_COLUMNS), source)
            .on_conflict_do_nothing(index_elements=["event_key", "recipient_email"]).returning(OutboxMessage.id))
    ids = sorted(session.execute(stmt).scalars())
    session.info.setdefault(NEW_IDS, []).extend(ids)
    return ids


def take_committed(session: Session | None = None) -> list[int]:
    """The ids of rows committed since the last call (and forget them)."""
    session = session or db.session()
    return session.info.pop(COMMITTED_IDS, [])
