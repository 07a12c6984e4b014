"""Snabbdialog rounds, their meetings, invitations to regions, slots and bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Region
from ..extensions import db
from ..priorities.models import Area

ROUND_STATUSES = ("draft", "invitations_sent", "scheduled", "held", "followed_up", "cancelled")
RECURRENCES = ("none", "quarterly", "half_yearly")
ROUND_KINDS = ("snabbdialog", "spaning")
ANSWERS = ("pending", "yes", "no", "listening")

round_agencies = Table(
    "dialogue_round_agencies",
    db.metadata,
    Column("round_id", ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)

round_people = Table(
    "dialogue_round_people",
    db.metadata,
    Column("round_id", ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class DialogueRound(db.Model):
    """A snabbdialog round (or a Spaningsgruppen session): one theme, one national lead, one or more meetings."""

    __tablename__ = "dialogue_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="snabbdialog")
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    lead_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    meeting_link: Mapped[str | None] = mapped_column(String(1000))
    recorded: Mapped[bool] = mapped_column(default=False)
    presentation_minutes: Mapped[int] = mapped_column(default=10)
    questions_minutes: Mapped[int] = mapped_column(default=0)
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    recurrence: Mapped[str] = mapped_column(String(20), default="none")
    # Rounds repeating the same theme share a series id (the id of the first round).
    series_id: Mapped[int | None] = mapped_column(index=True)
    # Raised on every change that calendar clients must see (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead_organisation: Mapped[Organisation] = relationship(foreign_keys=[lead_organisation_id])
    lead_area: Mapped[Area | None] = relationship()
    agencies: Mapped[list[Organisation]] = relationship(secondary=round_agencies, order_by="Organisation.name")
    people: Mapped[list[User]] = relationship(secondary=round_people, order_by="User.name")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    meetings: Mapped[list[RoundMeeting]] = relationship(
        back_populates="round", order_by="RoundMeeting.starts_at", cascade="all, delete-orphan")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="round", cascade="all, delete-orphan")
    slots: Mapped[list[Slot]] = relationship(
        back_populates="round", order_by="Slot.starts_at", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<DialogueRound {self.id} {self.theme!r}>"


class RoundMeeting(db.Model):
    """One meeting date of a round (a block of consecutive slots)."""

    __tablename__ = "dialogue_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    round: Mapped[DialogueRound] = relationship(back_populates="meetings")


class Invitation(db.Model):
    """A region invited to a round and its answer."""

    __tablename__ = "dialogue_invitations"
    __table_args__ = (UniqueConstraint("round_id", "region_id", name="uq_dialogue_invitation_round_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    answer: Mapped[str] = mapped_column(String(20), default="pending")
    # [{"name": "...", "email": "..."}]
    presenters: Mapped[list] = mapped_column(db.JSON, default=list)
    # [{"start": ISO, "end": ISO}] in UTC
    unavailable: Mapped[list] = mapped_column(db.JSON, default=list)
    # Why the region was invited (matching reasons), shown to the planner.
    reason: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    invited_at = mapped_column(UTCDateTime, default=utcnow)
    answered_at = mapped_column(UTCDateTime, nullable=True)

    round: Mapped[DialogueRound] = relationship(back_populates="invitations")
    region: Mapped[Region] = relationship()


class Slot(db.Model):
    """A presentation slot in a round's meeting."""

    __tablename__ = "dialogue_slots"
    __table_args__ = (UniqueConstraint("round_id", "starts_at", name="uq_dialogue_slot_round_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("dialogue_meetings.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(default=False)
    # The region the planner pins to this slot (the scheduler keeps it there).
    pinned_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    round: Mapped[DialogueRound] = relationship(back_populates="slots")
    meeting: Mapped[RoundMeeting] = relationship()
    pinned_region: Mapped[Region | None] = relationship()
    booking: Mapped[Booking | None] = relationship(
        primaryjoin="and_(Slot.id == Booking.slot_id, Booking.cancelled_at.is_(None))",
        viewonly=True, uselist=False)


class Booking(db.Model):
    """A region's presentation in a slot. The database allows one booking per slot.

    A cancelled booking frees its slot: it is kept (for the METHOD:CANCEL and the history)
    with `slot_id` cleared and `cancelled_slot_id` remembering where it was.
    """

    __tablename__ = "dialogue_bookings"
    __table_args__ = (
        UniqueConstraint("slot_id", name="uq_dialogue_booking_slot"),
        # One active booking per region and round (partial unique index on both databases).
        Index("uq_dialogue_booking_round_region_active", "round_id", "region_id", unique=True,
              sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue_slots.id", ondelete="SET NULL"))
    cancelled_slot_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue_slots.id", ondelete="SET NULL"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue_invitations.id", ondelete="SET NULL"))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sequence: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at = mapped_column(UTCDateTime, nullable=True)

    round: Mapped[DialogueRound] = relationship()
    slot: Mapped[Slot | None] = relationship(foreign_keys=[slot_id])
    cancelled_slot: Mapped[Slot | None] = relationship(foreign_keys=[cancelled_slot_id])
    region: Mapped[Region] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    booked_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.cancelled_at is None


class ScheduleWarningAck(db.Model):
    """A planner's acknowledgement of a soft scheduling conflict before invitations go out."""

    __tablename__ = "dialogue_warning_acks"
    __table_args__ = (UniqueConstraint("round_id", "warning_key", name="uq_dialogue_warning_ack"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    warning_key: Mapped[str] = mapped_column(String(300))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at = mapped_column(UTCDateTime, default=utcnow)

    acknowledged_by: Mapped[User | None] = relationship()


__all__ = [
    "ANSWERS",
    "RECURRENCES",
    "ROUND_KINDS",
    "ROUND_STATUSES",
    "Booking",
    "DialogueRound",
    "Invitation",
    "RoundMeeting",
    "ScheduleWarningAck",
    "Slot",
]
