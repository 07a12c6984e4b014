"""SME size class of a partner from its own figures plus linked and partner enterprises (GBER Annex I).

Annex I, Art. 6: a linked enterprise's figures are added in full (Art. 6(2), 6(3)); a partner
enterprise's figures in proportion to the share of capital or voting rights held, whichever is
higher (Art. 6(2)). Pure: plain values in, a size class and the aggregated figures out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..stateaid.rulesets import RulesetLibrary, default_rulesets

ANNEX_I_REFERENCE = "Annex I, Art. 2 and Art. 6 (EU) No 651/2014"


@dataclass(frozen=True)
class SizeFigures:
    staff: Decimal
    turnover_eur: Decimal
    balance_sheet_eur: Decimal


@dataclass(frozen=True)
class SizeAssessment:
    size: str
    figures: SizeFigures
    source: str  # "stated" | "derived"
    ruleset: str | None = None


def aggregate(staff: int, turnover_eur: Decimal, balance_sheet_eur: Decimal,
              related: Iterable[Mapping[str, Any]] = ()) -> SizeFigures:
    total_staff, total_turnover, total_balance = Decimal(staff), Decimal(turnover_eur), Decimal(balance_sheet_eur)
    for enterprise in related:
        weight = Decimal(1) if enterprise.get("relation", "linked") == "linked" else Decimal(
            str(enterprise.get("share") or 0))
        total_staff += weight * Decimal(str(enterprise.get("staff") or 0))
        total_turnover += weight * Decimal(str(enterprise.get("turnover_eur") or 0))
        total_balance += weight * Decimal(str(enterprise.get("balance_sheet_eur") or 0))
    return SizeFigures(total_staff, total_turnover, total_balance)


def derive_size(on: date, staff: int, turnover_eur: Decimal, balance_sheet_eur: Decimal,
                related: Iterable[Mapping[str, Any]] = (), library: RulesetLibrary | None = None) -> SizeAssessment:
    """The size class under the GBER ruleset in force on ``on`` (the newest one when none is)."""
    library = library or default_rulesets()
    ruleset = library.ruleset_for("gber", on) or max(
        (r for r in library.rulesets if r.family == "gber"), key=lambda r: r.valid_from)
    figures = aggregate(staff, turnover_eur, balance_sheet_eur, related)
    # Headcount is in annual work units; a fractional total is compared as it stands.
    return SizeAssessment(_size(ruleset, figures), figures, "derived", ruleset.id)


def _size(ruleset, figures: SizeFigures) -> str:
    # Same rule as stateaid.sme_size, on aggregated figures that may hold fractional work units.
    for size in ("micro", "small", "medium"):
        max_staff = Decimal(ruleset.param(f"sme_definition.{size}_max_staff").value)
        max_turnover = Decimal(ruleset.param(f"sme_definition.{size}_max_turnover_eur").value)
        max_balance = Decimal(ruleset.param(f"sme_definition.{size}_max_balance_sheet_eur").value)
        if figures.staff < max_staff and (figures.turnover_eur <= max_turnover
                                          or figures.balance_sheet_eur <= max_balance):
            return size
    return "large"
