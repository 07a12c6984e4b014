"""Planners' decisions on priority–area matches: confirmed, rejected or added by hand."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from .models import Area, Priority

VERDICTS = ("confirmed", "rejected", "added")


class MatchDecision(db.Model):
    """The verdict in force on one priority–area pair. A new verdict on the pair replaces the
    previous one in place; every change is in the audit log with the earlier verdict."""

    __tablename__ = "match_decisions"
    __table_args__ = (UniqueConstraint("priority_id", "area_id", name="uq_match_decisions_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at = mapped_column(UTCDateTime, default=utcnow)

    priority: Mapped[Priority] = relationship()
    area: Mapped[Area] = relationship()
    decided_by: Mapped[User | None] = relationship()
