"""De minimis: earlier aid within the regulation's period and the remaining headroom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .project_document import DeMinimisGrant
from .rulesets import Ruleset


@dataclass(frozen=True)
class DeMinimisPosition:
    ceiling_eur: Decimal
    window_start: date
    window_end: date
    earlier_eur: Decimal
    planned_eur: Decimal

    @property
    def total_eur(self) -> Decimal:
        return self.earlier_eur + self.planned_eur

    @property
    def headroom_before_eur(self) -> Decimal:
        return self.ceiling_eur - self.earlier_eur

    @property
    def exceeded(self) -> bool:
        return self.total_eur > self.ceiling_eur

    def to_dict(self) -> dict[str, str]:
        return {
            "ceiling_eur": f"{self.ceiling_eur:.2f}",
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "earlier_eur": f"{self.earlier_eur:.2f}",
            "planned_eur": f"{self.planned_eur:.2f}",
            "remaining_after_eur": f"{self.ceiling_eur - self.total_eur:.2f}",
        }


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def window_start(grant_date: date, period: str) -> date:
    """First day that counts. 'Any period of three years' ends on the grant date, so a grant made
    exactly three years earlier has left the window; 'three fiscal years' (fiscal year taken as
    the calendar year) starts on 1 January two years before."""
    if period == "rolling_three_years":
        return _years_before(grant_date, 3) + timedelta(days=1)
    if period == "three_fiscal_years":
        return date(grant_date.year - 2, 1, 1)
    raise ValueError(f"unknown de minimis period {period!r}")


def merge_grants(*sources: Iterable[DeMinimisGrant]) -> tuple[DeMinimisGrant, ...]:
    """Grants from the document and the ledger, the same grant (date, amount, grantor) counted once."""
    seen: dict[tuple, DeMinimisGrant] = {}
    for source in sources:
        for grant in source:
            seen.setdefault((grant.date, grant.amount_eur, grant.grantor), grant)
    return tuple(sorted(seen.values(), key=lambda g: g.date))


def de_minimis_position(ruleset: Ruleset, grant_date: date, earlier: Iterable[DeMinimisGrant],
                        planned_eur: Decimal) -> DeMinimisPosition:
    start = window_start(grant_date, str(ruleset.param("period").value))
    counted = sum((g.amount_eur for g in earlier if start <= g.date <= grant_date), Decimal(0))
    return DeMinimisPosition(Decimal(ruleset.param("ceiling_eur").value), start, grant_date, counted, planned_eur)
