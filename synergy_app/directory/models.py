"""The shared "who": organisations, regions, programmes, people and memberships."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

ORGANISATION_KINDS = (
    "region",
    "national_agency",
    "funder",
    "eu_body",
    "cluster_initiative",
    "intermediary",
    "company",
    "research_organisation",
    "municipality",
)

PROGRAMME_SOURCE_KINDS = ("state", "regional", "municipal", "erdf", "eu_direct", "private")


class SourcedMixin:
    """Where a reference record comes from, so every fact shown can be traced."""

    source_title: Mapped[str | None] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(1000))
    source_retrieved: Mapped[date | None] = mapped_column(Date)


organisation_regions = Table(
    "organisation_regions",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)

programme_regions = Table(
    "programme_regions",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(SourcedMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    org_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    # Attributes a kind has that others lack (e.g. a cluster initiative's programme and
    # founding year from the Sweco table); read-only reference detail.
    details: Mapped[dict | None] = mapped_column(db.JSON)
    is_funder: Mapped[bool] = mapped_column(default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region | None] = relationship(back_populates="organisation", uselist=False)
    regions: Mapped[list[Region]] = relationship(secondary=organisation_regions, order_by="Region.name")
    programmes: Mapped[list[Programme]] = relationship(back_populates="funder", order_by="Programme.name")
    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Region(db.Model):
    """One of the 21 Swedish regions (the regional body of a county)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    county: Mapped[str] = mapped_column(String(120))
    county_code: Mapped[str] = mapped_column(String(2), unique=True)
    county_letter: Mapped[str | None] = mapped_column(String(2))
    nuts2: Mapped[str | None] = mapped_column(String(5))
    nuts3: Mapped[str | None] = mapped_column(String(5), unique=True)
    note: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="region")

    @property
    def code(self) -> str:
        return self.county_code

    def __repr__(self) -> str:
        return f"<Region {self.county_code} {self.slug}>"


class Programme(SourcedMixin, db.Model):
    """A funding programme of a funder, e.g. one of the ERUF regional programmes 2021–2027."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source_kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    managing_authority: Mapped[str | None] = mapped_column(String(200))
    # The highest share of eligible cost the programme's fund may pay (Decimal, e.g. 0.40).
    cofinancing_rate = mapped_column(Numeric(5, 4), nullable=True)
    cofinancing_rate_verified: Mapped[bool] = mapped_column(default=False)
    details: Mapped[dict | None] = mapped_column(db.JSON)

    funder: Mapped[Organisation] = relationship(back_populates="programmes")
    regions: Mapped[list[Region]] = relationship(secondary=programme_regions, order_by="Region.name")


class Person(db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(db.Model):
    """A person's role in an organisation (e.g. strategist at Region Östergötland)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("person_id", "organisation_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


__all__ = [
    "ORGANISATION_KINDS",
    "PROGRAMME_SOURCE_KINDS",
    "Membership",
    "Organisation",
    "Person",
    "Programme",
    "Region",
]
