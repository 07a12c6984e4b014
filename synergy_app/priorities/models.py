"""Regional S3 priorities and national/EU areas, coded on the three Eye@RIS3 axes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation, Region, SourcedMixin
from ..extensions import db

AXES = ("economic", "scientific", "policy")
AREA_KINDS = ("strategic_area", "programme", "ecosystem", "mission", "partnership")


class CodedMixin:
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(db.JSON, default=list)
    # {"economic": [...NACE], "scientific": [...FORD], "policy": [...Eye@RIS3 objectives]}
    codes: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # "source" when the source states the code, "assigned" when it is our coding.
    codes_origin: Mapped[str] = mapped_column(String(10), default="assigned")
    archived: Mapped[bool] = mapped_column(default=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def codes_on(self, axis: str) -> list[str]:
        return list((self.codes or {}).get(axis, []))


class Priority(CodedMixin, SourcedMixin, db.Model):
    """A region's smart-specialisation priority (S3 area)."""

    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)

    region: Mapped[Region] = relationship()


class Area(CodedMixin, SourcedMixin, db.Model):
    """A national or EU area: agency strategic area or programme, ecosystem, mission, partnership."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))

    organisation: Mapped[Organisation] = relationship()
