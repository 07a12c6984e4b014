"""Funding calls (utlysningar) with every dated event, date-change history, followers and coordination.

A call's dates live in `call_events`, one row per dated event (each deadline of a call with several
cut-offs is its own row). The call row keeps a few denormalised dates (first/last day, opening, last
deadline) so list filters and the status rule run as plain indexed SQL over many thousands of calls.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Programme, Region
from ..extensions import db
from ..priorities.models import Area

call_regions = Table(
    "call_regions",
    db.metadata,
    Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True, index=True),
)

call_followers = Table(
    "call_followers",
    db.metadata,
    Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", UTCDateTime, default=utcnow),
)

coordination_members = Table(
    "call_coordination_members",
    db.metadata,
    Column("set_id", ForeignKey("call_coordination_sets.id", ondelete="CASCADE"), primary_key=True),
    Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CallSeriesRecord(db.Model):
    """Calls that recur (e.g. a yearly call), with the RFC 5545 rule when the source gave one."""

    __tablename__ = "call_series"
    __table_args__ = (UniqueConstraint("funder_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    rrule: Mapped[str | None] = mapped_column(String(500))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    funder: Mapped[Organisation] = relationship()


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_span", "starts_on", "ends_on"),
        Index("ix_calls_funder_opens", "funder_id", "opens_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "uid:<UID>" or "ref:<funder>:<reference>" (CallData.identity): re-imports update, never duplicate.
    identity: Mapped[str] = mapped_column(String(400), unique=True)
    uid: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(200))
    funder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    # The programme as the source named it, when it is not one of the directory's programmes.
    programme_label: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    budget_ore: Mapped[int | None] = mapped_column(BigInteger)
    max_grant_ore: Mapped[int | None] = mapped_column(BigInteger)
    funding_rate = mapped_column(Numeric(5, 4), nullable=True)
    eligible_applicants: Mapped[list] = mapped_column(db.JSON, default=list)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("call_series.id"), index=True)
    series_occurrence: Mapped[date | None] = mapped_column(Date)
    # Rises with every change; written as SEQUENCE so subscribed calendars update the event.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # Denormalised from the events (Stockholm dates) for indexed filters and the status rule.
    opens_on: Mapped[date | None] = mapped_column(Date, index=True)
    last_deadline_on: Mapped[date | None] = mapped_column(Date, index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    funder: Mapped[Organisation] = relationship()
    programme: Mapped[Programme | None] = relationship()
    series: Mapped[CallSeriesRecord | None] = relationship()
    events: Mapped[list[CallEventRecord]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="[CallEventRecord.on_date, CallEventRecord.id]"
    )
    themes: Mapped[list[CallTheme]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                   order_by="CallTheme.slug")
    regions: Mapped[list[Region]] = relationship(secondary=call_regions, order_by="Region.name")
    followers: Mapped[list[User]] = relationship(secondary=call_followers)
    date_changes: Mapped[list[CallDateChange]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallDateChange.id.desc()"
    )

    def __repr__(self) -> str:
        return f"<Call {self.identity}>"


class CallEventRecord(db.Model):
    """One dated event of a call: opening, each deadline, decision, earliest or latest project start."""

    __tablename__ = "call_events"
    __table_args__ = (UniqueConstraint("call_id", "kind", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200), default="")
    # The Stockholm calendar day; `at` is set too when the event has a time of day (stored in UTC).
    on_date: Mapped[date] = mapped_column(Date, index=True)
    at = mapped_column(UTCDateTime, nullable=True)

    call: Mapped[Call] = relationship(back_populates="events")

    @property
    def moment(self) -> date | datetime:
        return self.at if self.at is not None else self.on_date


class CallTheme(db.Model):
    """A theme of a call: a national/EU area (priorities.Area), an Eye@RIS3 policy objective or a free slug."""

    __tablename__ = "call_themes"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(10), default="free")  # area, policy, free
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    call: Mapped[Call] = relationship(back_populates="themes")
    area: Mapped[Area | None] = relationship()


class CallDateChange(db.Model):
    """A date a funder moved: kept so followers see what changed, when and by whom."""

    __tablename__ = "call_date_changes"
    # One row per moved date per revision: the call's row lock serialises saves, and this index
    # keeps a second save of the same change from recording it again whatever the path.
    __table_args__ = (Index("uq_call_date_changes_call_field_revision", "call_id", "field", "revision", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))  # e.g. "deadline:0", "decision:0"
    label: Mapped[str] = mapped_column(String(200), default="")
    old_value: Mapped[str | None] = mapped_column(String(40))  # ISO date or UTC datetime
    new_value: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer)
    changed_at = mapped_column(UTCDateTime, default=utcnow, index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_by_label: Mapped[str] = mapped_column(String(254), default="system")
    source: Mapped[str] = mapped_column(String(20), default="form")  # form, import, api

    call: Mapped[Call] = relationship(back_populates="date_changes")
    changed_by: Mapped[User | None] = relationship()


class CoordinationSet(db.Model):
    """Calls that planners mark as coordinated (or meant to co-fund one project): checked together."""

    __tablename__ = "call_coordination_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    archived: Mapped[bool] = mapped_column(default=False)

    calls: Mapped[list[Call]] = relationship(secondary=coordination_members, order_by="Call.opens_on")


class CalendarFeedToken(db.Model):
    """The secret of a user's personal feed URL (followed calls and snabbdialoger); only its SHA-256 hash
    is stored. A new secret replaces all of the user's rows; a user has two only while a link from the
    former separate dialogue feed is still in use."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_used_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()


class CallImportDraft(db.Model):
    """An uploaded file between preview and confirmation (stored here so any instance can confirm it)."""

    __tablename__ = "call_import_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    file_kind: Mapped[str] = mapped_column(String(10))  # ics, csv, xlsx
    funder_slug: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)


__all__ = [
    "Call",
    "CallDateChange",
    "CallEventRecord",
    "CallImportDraft",
    "CallSeriesRecord",
    "CallTheme",
    "CalendarFeedToken",
    "CoordinationSet",
    "call_followers",
    "call_regions",
    "coordination_members",
]
