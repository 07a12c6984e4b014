"""Reading the de minimis ledger: single undertakings, their headroom on a date, the grants of the
undertaking an organisation number belongs to, the register export.

The export has the fields a central de minimis register needs (Regulation (EU) 2023/2831,
Art. 6(2)-(4): member states record each grant with the beneficiary's identity, the grantor, the
date and amount of the grant and the regulation it was granted under).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..money import ore_to_kronor
from ..reports import tabular as tables
from .de_minimis import DeMinimisPosition, de_minimis_position
from .models_de_minimis import DeMinimisGrant, SingleUndertaking, UndertakingMember
from .project_document import DeMinimisGrant as CoreGrant
from .rulesets import Ruleset, default_rulesets

EXPORT_COLUMNS = (
    ("grant_id", "Stöd-id"),
    ("beneficiary_org_number", "Stödmottagarens organisationsnummer"),
    ("beneficiary_name", "Stödmottagarens namn"),
    ("single_undertaking_org_number", "Enda företag (organisationsnummer)"),
    ("single_undertaking_name", "Enda företag (namn)"),
    ("grantor", "Stödgivare"),
    ("grantor_org_number", "Stödgivarens organisationsnummer"),
    ("grant_date", "Beviljandedag"),
    ("amount_eur", "Belopp EUR"),
    ("amount_sek", "Belopp SEK"),
    ("regulation", "Förordning"),
    ("purpose", "Syfte"),
    ("project_id", "Projekt-id"),
)
MAX_LIST = 200


@dataclass(frozen=True)
class LedgerRow:
    undertaking: SingleUndertaking
    position: DeMinimisPosition | None


def ruleset_on(on: date) -> Ruleset | None:
    return default_rulesets().ruleset_for("de_minimis", on)


def core_grants(grants) -> list[CoreGrant]:
    return [CoreGrant(g.grant_date, Decimal(g.amount_eur), g.grantor, g.regulation)
            for g in grants if not g.superseded]


def position(undertaking: SingleUndertaking, on: date) -> DeMinimisPosition | None:
    """The undertaking's de minimis position on ``on`` before any new aid (None: no ruleset in force)."""
    ruleset = ruleset_on(on)
    if ruleset is None:
        return None
    return de_minimis_position(ruleset, on, core_grants(undertaking.grants), Decimal(0))


def undertakings(query: str, on: date) -> list[LedgerRow]:
    stmt = select(SingleUndertaking).options(selectinload(SingleUndertaking.grants),
                                             selectinload(SingleUndertaking.members))
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(SingleUndertaking.name.ilike(like), SingleUndertaking.org_number.ilike(like),
                              SingleUndertaking.id.in_(select(UndertakingMember.undertaking_id).where(or_(
                                  UndertakingMember.name.ilike(like), UndertakingMember.org_number.ilike(like))))))
    found = db.session.scalars(stmt.order_by(SingleUndertaking.name).limit(MAX_LIST)).all()
    return [LedgerRow(u, position(u, on)) for u in found]


def undertaking(undertaking_id: int) -> SingleUndertaking | None:
    return db.session.scalar(select(SingleUndertaking).where(SingleUndertaking.id == undertaking_id)
                             .options(selectinload(SingleUndertaking.grants),
                                      selectinload(SingleUndertaking.members)))


def undertaking_for(org_number: str) -> SingleUndertaking | None:
    """The single undertaking an enterprise (by organisation number) belongs to."""
    member = db.session.scalar(select(UndertakingMember).where(UndertakingMember.org_number == org_number))
    return member.undertaking if member else None


def grants_by_org_number(org_numbers: list[str]) -> dict[str, list[DeMinimisGrant]]:
    """Every standing grant of the single undertaking each organisation number belongs to."""
    numbers = [n for n in org_numbers if n]
    if not numbers:
        return {}
    members = db.session.execute(
        select(UndertakingMember.org_number, UndertakingMember.undertaking_id)
        .where(UndertakingMember.org_number.in_(numbers))).all()
    by_undertaking = {m.org_number: m.undertaking_id for m in members}
    if not by_undertaking:
        return {}
    grants = db.session.scalars(
        select(DeMinimisGrant).where(DeMinimisGrant.undertaking_id.in_(set(by_undertaking.values())),
                                     DeMinimisGrant.superseded.is_(False))
        .order_by(DeMinimisGrant.grant_date, DeMinimisGrant.id)).all()
    grouped: dict[int, list[DeMinimisGrant]] = defaultdict(list)
    for grant in grants:
        grouped[grant.undertaking_id].append(grant)
    return {number: grouped.get(uid, []) for number, uid in by_undertaking.items()}


def export_rows() -> list[dict]:
    grants = db.session.scalars(select(DeMinimisGrant).where(DeMinimisGrant.superseded.is_(False))
                                .options(selectinload(DeMinimisGrant.undertaking))
                                .order_by(DeMinimisGrant.grant_date, DeMinimisGrant.id)).all()
    return [{
        "grant_id": g.id, "beneficiary_org_number": g.beneficiary_org_number, "beneficiary_name": g.beneficiary_name,
        "single_undertaking_org_number": g.undertaking.org_number, "single_undertaking_name": g.undertaking.name,
        "grantor": g.grantor, "grantor_org_number": g.grantor_org_number or "",
        "grant_date": g.grant_date.isoformat(), "amount_eur": f"{Decimal(g.amount_eur):.2f}",
        "amount_sek": "" if g.amount_ore is None else format(ore_to_kronor(g.amount_ore), "f"),
        "regulation": g.regulation, "purpose": g.purpose or "", "project_id": g.project_id or "",
    } for g in grants]


def export(fmt: str) -> tuple[bytes, str]:
    """The register as CSV (the column keys as header) or XLSX (keys, then a row of Swedish labels)."""
    keys = [k for k, _ in EXPORT_COLUMNS]
    rows = [[row[k] for k in keys] for row in export_rows()]
    if fmt == "xlsx":
        rows.insert(0, [label for _, label in EXPORT_COLUMNS])
    table = tables.write(rows, keys, fmt, title="de minimis")
    return table.body, table.mimetype
