"""SME size class (GBER Annex I): from a partner's own figures plus linked and partner enterprises.

Annex I, Art. 2: a class applies when the headcount is below its staff limit and either the turnover
or the balance sheet total is within its limit. Art. 6: a linked enterprise's figures are added in
full (Art. 6(2), 6(3)); a partner enterprise's in proportion to the share of capital or voting rights
held, whichever is higher (Art. 6(2)). Pure: plain values in, a size class and the aggregated figures out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .rulesets import Ruleset, RulesetLibrary, default_rulesets
from .vocabulary import SME_SIZES

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


def _size_class(ruleset: Ruleset, staff: int | Decimal, turnover_eur: Decimal, balance_sheet_eur: Decimal) -> str:
    for size in SME_SIZES:
        max_staff = Decimal(ruleset.param(f"sme_definition.{size}_max_staff").value)
        max_turnover = Decimal(ruleset.param(f"sme_definition.{size}_max_turnover_eur").value)
        max_balance = Decimal(ruleset.param(f"sme_definition.{size}_max_balance_sheet_eur").value)
        if staff < max_staff and (turnover_eur <= max_turnover or balance_sheet_eur <= max_balance):
            return size
    return "large"


def sme_size_class(ruleset: Ruleset, staff: int | Decimal, turnover_eur: Decimal, balance_sheet_eur: Decimal) -> str:
    """'micro', 'small', 'medium' or 'large' under the ruleset's SME definition, for figures that already
    include linked and partner enterprises."""
    if staff < 0 or turnover_eur < 0 or balance_sheet_eur < 0:
        raise ValueError("staff, turnover and balance sheet must not be negative")
    return _size_class(ruleset, staff, turnover_eur, balance_sheet_eur)


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
    return SizeAssessment(_size_class(ruleset, figures.staff, figures.turnover_eur, figures.balance_sheet_eur),
                          figures, "derived", ruleset.id)
