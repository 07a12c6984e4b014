"""What happens around a snabbdialog: the regions' presentations, the chair's notes and timing,
the follow-up (actions and återkoppling) and Spaningsgruppen's horizon-scanning notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Region
from ..extensions import db
from .models import DialogueRound, Slot

OWNER_KINDS = ("region", "agency")
ACTION_STATUSES = ("open", "done", "dropped")
HORIZON_MIN_YEARS = 2
HORIZON_MAX_YEARS = 10


class Presentation(db.Model):
    """A region's ten-minute presentation for a round, filled in from a template in dialogue_templates/."""

    __tablename__ = "dialogue_presentations"
    __table_args__ = (UniqueConstraint("round_id", "region_id", name="uq_dialogue_presentation_round_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(80))
    content: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # A draft may leave required fields empty; "ready" needs them all (older rows were checked whole).
    ready: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[DialogueRound] = relationship()
    region: Mapped[Region] = relationship()
    updated_by: Mapped[User | None] = relationship()


class SlotNote(db.Model):
    """The chair's note on a slot. Append-only: each save is a new revision, the latest is shown."""

    __tablename__ = "dialogue_slot_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("dialogue_slots.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    slot: Mapped[Slot] = relationship()
    author: Mapped[User | None] = relationship()


class SlotTiming(db.Model):
    """When the chair actually started and ended a slot's presentation (drives the countdown)."""

    __tablename__ = "dialogue_slot_timings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("dialogue_slots.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    slot: Mapped[Slot] = relationship()


class FollowUpAction(db.Model):
    """Something a dialogue led to that someone (a region or an agency) has to do by a date."""

    __tablename__ = "dialogue_followup_actions"
    __table_args__ = (
        CheckConstraint("owner_kind IN ('region', 'agency')", name="owner_kind"),
        CheckConstraint("status IN ('open', 'done', 'dropped')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    # The region whose dialogue this follows up; empty for the round as a whole.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    owner_kind: Mapped[str] = mapped_column(String(10))
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[DialogueRound] = relationship()
    region: Mapped[Region | None] = relationship()
    owner_organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_date < today


class Feedback(db.Model):
    """Återkoppling: what a national or regional actor reports a dialogue led to."""

    __tablename__ = "dialogue_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    led_to: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[DialogueRound] = relationship()
    region: Mapped[Region | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()


class HorizonNote(db.Model):
    """A Spaningsgruppen signal: what is coming from EU policy in 2–10 years and what it means for Sweden."""

    __tablename__ = "dialogue_horizon_notes"
    __table_args__ = (
        CheckConstraint(f"horizon_years BETWEEN {HORIZON_MIN_YEARS} AND {HORIZON_MAX_YEARS}",
                        name="horizon_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("dialogue_rounds.id", ondelete="CASCADE"), index=True)
    signal: Mapped[str] = mapped_column(String(500))
    horizon_years: Mapped[int] = mapped_column(Integer)
    eu_source: Mapped[str] = mapped_column(String(500), default="")
    relevance: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[DialogueRound] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User | None] = relationship()


__all__ = [
    "ACTION_STATUSES",
    "HORIZON_MAX_YEARS",
    "HORIZON_MIN_YEARS",
    "OWNER_KINDS",
    "Feedback",
    "FollowUpAction",
    "HorizonNote",
    "Presentation",
    "SlotNote",
    "SlotTiming",
]
