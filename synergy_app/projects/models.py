"""Joint projects: partners, cost and funding lines, linked calls and linked rulings.

The de minimis register's tables are state aid's (``stateaid.models_de_minimis``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Programme, Region
from ..extensions import db

PROJECT_STATUSES = ("draft", "applied", "granted", "closed")

project_regions = Table(
    "project_regions",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    grant_date: Mapped[date] = mapped_column(Date)
    application_date: Mapped[date | None] = mapped_column(Date)
    work_start: Mapped[date | None] = mapped_column(Date)
    collab_effective: Mapped[bool] = mapped_column(default=False)
    collab_wide_dissemination: Mapped[bool] = mapped_column(default=False)
    collab_ro_may_publish: Mapped[bool] = mapped_column(default=False)
    collab_cross_border: Mapped[bool] = mapped_column(default=False)
    # GBER Art. 25(6) as amended by 2023/1315: a licensing commitment ((b)(iii)), and a multi-country
    # project ((d)): {selected_after_open_call, jointly_designed_by, undertaking_countries, dissemination_countries}.
    collab_licensing: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    collab_multi_country: Mapped[dict | None] = mapped_column(db.JSON)
    # none | a | c (Art. 107(3) TFEU); None: not stated (derived from the municipalities, or assumed none).
    assisted_area: Mapped[str | None] = mapped_column(String(4))
    # Kommunkoder where the project is carried out, e.g. ["2584"].
    municipalities: Mapped[list | None] = mapped_column(db.JSON)
    # Kronor per euro; None: the dated reference rate on the grant date.
    exchange_rate_eur_sek = mapped_column(Numeric(10, 4), nullable=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Rises with every saved change of the project's fields or its budget (cost and funding lines);
    # a save names the version it started from and is refused when someone else saved in between.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    regions: Mapped[list[Region]] = relationship(secondary=project_regions, order_by="Region.name")
    partners: Mapped[list[ProjectPartner]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="[ProjectPartner.position, ProjectPartner.id]")
    cost_lines: Mapped[list[CostLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="[CostLine.position, CostLine.id]")
    funding_lines: Mapped[list[FundingLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="[FundingLine.position, FundingLine.id]")
    calls: Mapped[list[ProjectCall]] = relationship(back_populates="project", cascade="all, delete-orphan")
    ruling_links: Mapped[list[ProjectRulingLink]] = relationship(back_populates="project",
                                                                 cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.title!r}>"


class ProjectCall(db.Model):
    """A call (utlysning) from the calendar the project plans to apply to."""

    __tablename__ = "project_calls"
    __table_args__ = (UniqueConstraint("project_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))

    project: Mapped[Project] = relationship(back_populates="calls")


class ProjectPartner(db.Model):
    __tablename__ = "project_partners"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # The partner's id within the project file (e.g. "acme").
    key: Mapped[str] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    org_number: Mapped[str | None] = mapped_column(String(11), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    # Size class as stated; when None and figures are given, it is derived (GBER Annex I).
    size_stated: Mapped[str | None] = mapped_column(String(10))
    staff_headcount: Mapped[int | None] = mapped_column(Integer)
    turnover_eur = mapped_column(Numeric(16, 2), nullable=True)
    balance_sheet_eur = mapped_column(Numeric(16, 2), nullable=True)
    # Linked and partner enterprises: [{name, relation: linked|partner, share, staff, turnover_eur, balance_sheet_eur}]
    related_enterprises: Mapped[list | None] = mapped_column(db.JSON)
    # Earlier de minimis aid the partner declared itself: [{date, amount_eur, grantor, regulation}]
    de_minimis_declared: Mapped[list | None] = mapped_column(db.JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Rises with every saved change of the partner (the partner form's optimistic lock).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    project: Mapped[Project] = relationship(back_populates="partners")
    organisation: Mapped[Organisation | None] = relationship()


class CostLine(db.Model):
    __tablename__ = "project_cost_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("project_partners.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    in_kind: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    project: Mapped[Project] = relationship(back_populates="cost_lines")
    partner: Mapped[ProjectPartner] = relationship()


class FundingLine(db.Model):
    __tablename__ = "project_funding_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("project_partners.id", ondelete="CASCADE"), index=True)
    # The funder or programme as named in the project file (a programme slug for ERDF lines).
    source: Mapped[str] = mapped_column(String(120))
    funder_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(40))
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    in_kind: Mapped[bool] = mapped_column(default=False)
    union_max_rate = mapped_column(Numeric(5, 4), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    project: Mapped[Project] = relationship(back_populates="funding_lines")
    partner: Mapped[ProjectPartner] = relationship()
    funder: Mapped[Organisation | None] = relationship()
    programme: Mapped[Programme | None] = relationship()


class ProjectRulingLink(db.Model):
    """A taskforce ruling a case officer linked to one of the project's flags as a precedent."""

    __tablename__ = "project_ruling_links"
    __table_args__ = (UniqueConstraint("project_id", "flag_code", "ruling_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    flag_code: Mapped[str] = mapped_column(String(60))
    ruling_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="ruling_links")
