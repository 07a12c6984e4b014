"""SME size class from staff headcount, turnover and balance sheet (GBER Annex I, Art. 2).

The figures must already include partner and linked enterprises (Annex I, Art. 6); aggregating
them is the directory's job. A class applies when the headcount is below its staff limit and
either the turnover or the balance sheet total is within its limit.
"""

from __future__ import annotations

from decimal import Decimal

from .rulesets import Ruleset


def sme_size_class(ruleset: Ruleset, staff: int, turnover_eur: Decimal, balance_sheet_eur: Decimal) -> str:
    """'micro', 'small', 'medium' or 'large' under the ruleset's SME definition."""
    if staff < 0 or turnover_eur < 0 or balance_sheet_eur < 0:
        raise ValueError("staff, turnover and balance sheet must not be negative")
    for size in ("micro", "small", "medium"):
        max_staff = int(ruleset.param(f"sme_definition.{size}_max_staff").value)
        max_turnover = Decimal(ruleset.param(f"sme_definition.{size}_max_turnover_eur").value)
        max_balance = Decimal(ruleset.param(f"sme_definition.{size}_max_balance_sheet_eur").value)
        if staff < max_staff and (turnover_eur <= max_turnover or balance_sheet_eur <= max_balance):
            return size
    return "large"
