"""SME size class at the Annex I boundaries (fewer than N staff; turnover OR balance sheet within limit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from synergy_app.stateaid.sme_size import sme_size_class

M = Decimal(1_000_000)


@pytest.mark.parametrize(("staff", "turnover", "balance", "expected"), [
    (9, 2 * M, 2 * M, "micro"),
    (10, 2 * M, 2 * M, "small"),            # 10 staff is not fewer than 10
    (49, 10 * M, 11 * M, "small"),          # turnover within the limit is enough
    (49, 11 * M, 10 * M, "small"),          # ... or the balance sheet
    (49, 11 * M, 11 * M, "medium"),
    (249, 50 * M, 99 * M, "medium"),
    (249, 51 * M, 43 * M, "medium"),
    (249, 51 * M, 44 * M, "large"),
    (250, 1 * M, 1 * M, "large"),
])
def test_size_class_boundaries(rulesets, staff, turnover, balance, expected):
    gber = rulesets.ruleset_for("gber", date(2026, 3, 1))
    assert sme_size_class(gber, staff, turnover, balance) == expected


def test_negative_figures_are_refused(rulesets):
    with pytest.raises(ValueError):
        sme_size_class(rulesets.ruleset_for("gber", date(2026, 3, 1)), -1, M, M)
