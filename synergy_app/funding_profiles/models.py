"""The project's canonical description (written once, per section and language) and the cost type of
each budget cost line, kept beside the projects' own tables so that projects need not know of them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db
from ..projects.models import CostLine, ProjectPartner

LANGUAGES = ("sv", "en")


class DescriptionSection(db.Model):
    """One section of the project's description in one language (``status`` draft or final)."""

    __tablename__ = "project_description_sections"
    __table_args__ = (UniqueConstraint("project_id", "section", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2), default="sv")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CostLineType(db.Model):
    """The cost type of one budget cost line; personnel lines carry hours × hourly rate and, where
    known, the annual salary costs a funder's hours-per-year rule divides."""

    __tablename__ = "project_cost_line_types"

    cost_line_id: Mapped[int] = mapped_column(ForeignKey("project_cost_lines.id", ondelete="CASCADE"),
                                              primary_key=True)
    cost_type: Mapped[str] = mapped_column(String(20))
    hours = mapped_column(Numeric(12, 2), nullable=True)
    # Öre per hour, to the hundredth of an öre (a rate from annual costs / 1,720 is rarely whole öre).
    hourly_rate_ore = mapped_column(Numeric(14, 2), nullable=True)
    annual_cost_ore: Mapped[int | None] = mapped_column(BigInteger)
    subcontracting: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    cost_line: Mapped[CostLine] = relationship()


class ActualCost(db.Model):
    """An actual cost of one partner in one reporting period, by cost type, entered once for every funder."""

    __tablename__ = "project_actual_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("project_partners.id", ondelete="CASCADE"), index=True)
    period_start = mapped_column(Date)
    period_end = mapped_column(Date)
    cost_type: Mapped[str] = mapped_column(String(20))
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    origin: Mapped[str] = mapped_column(String(10), default="entry")  # entry | xlsx | sie
    note: Mapped[str | None] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    partner: Mapped[ProjectPartner] = relationship()
