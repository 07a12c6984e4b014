"""Writing messages to the outbox inside the caller's transaction, and handing them on after commit.

A service calls `add(...)` while its transaction is open: the row is committed with the change or
rolled back with it. `synergy_app.jobs.queue` hands the committed rows on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
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


def add(kind: str, event_key: str, recipients: Iterable[Recipient], payload: dict | None = None) -> list[int]:
    """Queue one message per recipient for this event, in the current transaction.

    A recipient who already has a message for `event_key`, or who turned this kind off, gets none."""
    if kind not in BY_KEY:
        raise ValueError(f"unknown message kind {kind!r}")
    session = db.session()
    now = utcnow()
    ids = []
    seen = set()
    for person in recipients:
        email = person.email.strip().lower()
        if not email or email in seen or person.email.startswith("removed-") or not wanted(email, kind):
            continue
        seen.add(email)
        stmt = _insert(session.get_bind()).values(
            event_key=event_key[:200], kind=kind, recipient_email=email, recipient_name=person.name or "",
            recipient_user_id=person.user_id, locale=person.locale if person.locale in ("sv", "en") else "sv",
            payload=payload or {}, status="pending", attempts=0, next_attempt_at=now, created_at=now,
        ).on_conflict_do_nothing(index_elements=["event_key", "recipient_email"]).returning(OutboxMessage.id)
        new_id = session.execute(stmt).scalar()
        if new_id is not None:
            ids.append(new_id)
    session.info.setdefault(NEW_IDS, []).extend(ids)
    return ids


def take_committed(session: Session | None = None) -> list[int]:
    """The ids of rows committed since the last call (and forget them)."""
    session = session or db.session()
    return session.info.pop(COMMITTED_IDS, [])
