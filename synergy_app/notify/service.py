"""Writes of the notifications capability: resending, settings, unsubscribing."""

from __future__ import annotations

from sqlalchemy import select, update

from ..audit.service import record, transaction
from ..db_types import utcnow
from ..errors import FieldError, InputError
from ..extensions import db
from .kinds import BY_KEY
from .models import NotificationPreference, OutboxMessage
from .outbox import NEW_IDS


def resend(message_id: int, actor) -> OutboxMessage | None:
    """Put a failed (or sent) message back in line; it goes out after the commit like a new one."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        return None
    with transaction():
        before = row.status
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id, OutboxMessage.status != "sending")
                           .values(status="pending", next_attempt_at=utcnow(), attempts=0)
                           .execution_options(synchronize_session=False))
        db.session.info.setdefault(NEW_IDS, []).append(row.id)
        record("notify.outbox.resend", row, summary=f"{row.kind} → {row.recipient_email}",
               changes={"status": {"from": before, "to": "pending"}}, actor=actor)
    db.session.refresh(row)
    return row


def preferences(email: str) -> dict[str, bool]:
    """Every kind with the person's choice (or its default)."""
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.enabled)
                                     .where(NotificationPreference.email == email.lower())).all())
    return {key: chosen.get(key, kind.default) for key, kind in BY_KEY.items()}


def _set(email: str, kind: str, enabled: bool) -> None:
    row = db.session.scalar(select(NotificationPreference).where(
        NotificationPreference.email == email.lower(), NotificationPreference.kind == kind))
    if row is None:
        db.session.add(NotificationPreference(email=email.lower(), kind=kind, enabled=enabled))
    else:
        row.enabled = enabled


def set_preferences(user, enabled_kinds: list[str]) -> dict[str, bool]:
    """The user's settings: the kinds named are on, every other kind off."""
    unknown = [k for k in enabled_kinds if k not in BY_KEY]
    if unknown:
        raise InputError(FieldError("kinds", f"Okänd sorts meddelande: {unknown[0]}.",
                                    f"Unknown kind of message: {unknown[0]}."))
    before = preferences(user.email)
    after = {key: key in enabled_kinds for key in BY_KEY}
    with transaction():
        for key, value in after.items():
            _set(user.email, key, value)
        changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        record("notify.preferences", object_type="users", object_id=user.id, summary="E-postinställningar",
               changes=changes or None, actor=user)
    return after


def unsubscribe(email: str, kind: str) -> None:
    """The one-click link: this address gets no more messages of this kind."""
    if kind not in BY_KEY:
        raise InputError(FieldError("kind", "Okänd sorts meddelande.", "Unknown kind of message."))
    with transaction():
        _set(email, kind, False)
        record("notify.unsubscribe", object_type="notification_preferences", object_id=email.lower(),
               summary=f"Avregistrerad: {kind}", actor=email.lower())
