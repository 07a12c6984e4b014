"""SME size class with linked and partner enterprises (GBER Annex I, Art. 2 and 6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from synergy_app.stateaid.sme_size import aggregate, derive_size

ON = date(2026, 3, 1)


def test_boundaries_of_the_small_class():
    # Small: fewer than 50 persons and turnover or balance sheet not above EUR 10 million.
    assert derive_size(ON, 49, Decimal("10000000"), Decimal("99000000")).size == "small"
    assert derive_size(ON, 50, Decimal("10000000"), Decimal("10000000")).size == "medium"
    assert derive_size(ON, 49, Decimal("10000001"), Decimal("10000001")).size == "medium"


def test_linked_in_full_partner_in_proportion():
    related = [{"relation": "linked", "staff": 30, "turnover_eur": 1000000, "balance_sheet_eur": 1000000},
               {"relation": "partner", "share": "0.25", "staff": 100, "turnover_eur": 40000000,
                "balance_sheet_eur": 40000000}]
    figures = aggregate(9, Decimal("1000000"), Decimal("1000000"), related)
    assert figures.staff == Decimal("64")
    assert figures.turnover_eur == Decimal("12000000")
    assert derive_size(ON, 9, Decimal("1000000"), Decimal("1000000"), related).size == "medium"
    # Without the linked and partner enterprises the same company is a micro enterprise (fewer than 10).
    assert derive_size(ON, 9, Decimal("1000000"), Decimal("1000000")).size == "micro"
