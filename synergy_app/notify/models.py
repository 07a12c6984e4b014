"""The outbox of e-mail messages and each person's choice of what to receive."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """One message to one recipient, written in the transaction of the change that causes it.

    `event_key` names the change (e.g. "booking_moved:12:3"); with the recipient it is unique, so
    a change recorded twice or a periodic pass run by several workers still yields one message.
    The message is rendered when it is sent, from `payload` and the recipient's language.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("event_key", "recipient_email", name="uq_outbox_messages_event_recipient"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    payload: Mapped[dict] = mapped_column(db.JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # A claim: the worker that set `claim_token` owns the row until `lease_until`; a worker that
    # dies mid-send leaves the lease to run out, and the row is claimed again.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime, nullable=True)


class NotificationPreference(db.Model):
    """A person's choice for one kind of message; no row means the kind's default.

    Keyed by e-mail address so presenters without an account can unsubscribe too."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("email", "kind", name="uq_notification_preferences_email_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
