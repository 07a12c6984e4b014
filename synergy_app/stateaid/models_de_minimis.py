"""The de minimis register: single undertakings (linked enterprises under one ledger) and their grants.

Ledger entries are never deleted, only superseded. A grant may name the joint project it was granted
for (by id; the register does not depend on projects).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class SingleUndertaking(db.Model):
    """A single undertaking for de minimis: linked enterprises grouped under one ledger."""

    __tablename__ = "de_minimis_undertakings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organisation number the group is known by (its parent or the enterprise itself).
    org_number: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[UndertakingMember]] = relationship(back_populates="undertaking",
                                                            cascade="all, delete-orphan",
                                                            order_by="UndertakingMember.name")
    grants: Mapped[list[DeMinimisGrant]] = relationship(back_populates="undertaking",
                                                        order_by="DeMinimisGrant.grant_date")


class UndertakingMember(db.Model):
    """An enterprise (by organisation number) belonging to a single undertaking."""

    __tablename__ = "de_minimis_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    undertaking_id: Mapped[int] = mapped_column(ForeignKey("de_minimis_undertakings.id", ondelete="CASCADE"),
                                                index=True)
    org_number: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(300))

    undertaking: Mapped[SingleUndertaking] = relationship(back_populates="members")


class DeMinimisGrant(db.Model):
    """One de minimis grant the workspace knows of (ledger entries are never deleted, only superseded)."""

    __tablename__ = "de_minimis_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    undertaking_id: Mapped[int] = mapped_column(ForeignKey("de_minimis_undertakings.id"), index=True)
    beneficiary_org_number: Mapped[str] = mapped_column(String(11))
    beneficiary_name: Mapped[str] = mapped_column(String(300))
    grant_date: Mapped[date] = mapped_column(Date, index=True)
    grantor: Mapped[str] = mapped_column(String(300))
    grantor_org_number: Mapped[str | None] = mapped_column(String(11))
    amount_eur = mapped_column(Numeric(14, 2))
    amount_ore: Mapped[int | None] = mapped_column(BigInteger)
    regulation: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str | None] = mapped_column(String(500))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    superseded: Mapped[bool] = mapped_column(default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    undertaking: Mapped[SingleUndertaking] = relationship(back_populates="grants")

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_eur)
