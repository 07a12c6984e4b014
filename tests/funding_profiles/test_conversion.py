"""Each profile's conversions worked by hand from its source, with the rounding boundaries, and every
funder's budget reconciling with the canonical one to the öre."""

from __future__ import annotations

from decimal import Decimal

import pytest

from synergy_app.funding_profiles.conversion import FLAT_RATE_KEY, BudgetLine, convert, round_ore
from synergy_app.funding_profiles.profiles import default_profiles

# The demo's canonical budget (öre): see funding_profiles/demo.py.
DEMO = [
    BudgetLine("Norrstål", "experimental_development", "personnel", 600_000_000, Decimal(8000), Decimal(75_000),
               130_000_000),
    BudgetLine("Norrstål", "industrial_research", "equipment", 200_000_000),
    BudgetLine("Värmauto", "experimental_development", "personnel", 300_000_000, Decimal(4000), Decimal(75_000),
               115_000_000),
    BudgetLine("Värmauto", "de_minimis", "consultancy", 60_000_000),
    BudgetLine("LTU", "non_economic", "personnel", 250_000_000, Decimal(2500), Decimal(100_000)),
    BudgetLine("Testbädd", "industrial_research", "other_direct", 80_000_000),
]
CANONICAL = 1_490_000_000


def profile(slug):
    return default_profiles().get(slug)


def test_eruf_staff_at_1720_hours_and_15_percent_of_staff_costs():
    budget = convert(DEMO, profile("eruf-tillvaxtverket"))
    # 1 300 000 kr / 1 720 h = 755.8139534… kr/h; × 8 000 h = 6 046 511.6279… kr = 604 651 162.79 öre -> 604 651 163
    assert budget.amounts[("Norrstål", "staff")] == 604_651_163
    # 1 150 000 kr / 1 720 h × 4 000 h = 2 674 418.6046… kr -> 267 441 860 öre
    assert budget.amounts[("Värmauto", "staff")] == 267_441_860
    # LTU gave no annual costs: its hours × rate stand.
    assert budget.amounts[("LTU", "staff")] == 250_000_000
    # 15 % of direct staff costs: 604 651 163 × 0.15 = 90 697 674.45 -> 90 697 674; 267 441 860 × 0.15 = 40 116 279
    assert budget.amounts[("Norrstål", FLAT_RATE_KEY)] == 90_697_674
    assert budget.amounts[("Värmauto", FLAT_RATE_KEY)] == 40_116_279
    assert budget.amounts[("LTU", FLAT_RATE_KEY)] == 37_500_000
    assert budget.amounts[("Testbädd", FLAT_RATE_KEY)] == 0
    assert budget.amounts[("Värmauto", "external_services")] == 60_000_000
    assert budget.total_ore == (604_651_163 + 200_000_000 + 267_441_860 + 60_000_000 + 250_000_000 + 80_000_000
                                + 90_697_674 + 40_116_279 + 37_500_000)
    assert budget.reconciles


def test_vinnova_30_percent_of_staff_costs_at_the_budget_rates():
    budget = convert(DEMO, profile("vinnova"))
    assert budget.amounts[("Norrstål", "personnel")] == 600_000_000
    assert budget.amounts[("Norrstål", "indirect")] == 180_000_000
    assert budget.amounts[("Värmauto", "indirect")] == 90_000_000
    assert budget.amounts[("LTU", "indirect")] == 75_000_000
    assert budget.total_ore == CANONICAL + 345_000_000
    assert budget.reconciles


def test_horizon_25_percent_of_direct_costs_excluding_subcontracting():
    budget = convert(DEMO, profile("horizon-europe"))
    # Norrstål (6 000 000 + 2 000 000) × 25 %; Värmauto's consultancy is subcontracting, outside the base.
    assert budget.amounts[("Norrstål", FLAT_RATE_KEY)] == 200_000_000
    assert budget.amounts[("Värmauto", FLAT_RATE_KEY)] == 75_000_000
    assert budget.amounts[("LTU", FLAT_RATE_KEY)] == 62_500_000
    assert budget.amounts[("Testbädd", FLAT_RATE_KEY)] == 20_000_000
    assert budget.amounts[("Norrstål", "c_purchase")] == 200_000_000
    assert budget.reconciles


def test_actual_indirect_lines_are_replaced_by_a_flat_rate_and_kept_where_actuals_are_accepted():
    lines = [BudgetLine("A", "x", "personnel", 100_000), BudgetLine("A", "x", "indirect", 50_000)]
    eruf = convert(lines, profile("eruf-tillvaxtverket"))
    assert eruf.amounts == {("A", "staff"): 100_000, ("A", FLAT_RATE_KEY): 15_000}
    assert eruf.total_ore == 150_000 - 50_000 + 15_000 and eruf.reconciles
    region = convert(lines, profile("region-1-1"))
    assert region.amounts == {("A", "staff"): 100_000, ("A", "indirect"): 50_000} and not region.steps


@pytest.mark.parametrize(("base", "expected"), [(10, 2), (30, 5), (9, 1), (0, 0), (3, 0), (4, 1)])
def test_flat_rate_rounds_half_up_to_the_ore(base, expected):
    # 15 %: 10 öre -> 1.5 -> 2; 30 -> 4.5 -> 5; 9 -> 1.35 -> 1; 3 -> 0.45 -> 0; 4 -> 0.6 -> 1
    budget = convert([BudgetLine("A", "x", "personnel", base)], profile("eruf-tillvaxtverket"))
    assert budget.amounts[("A", FLAT_RATE_KEY)] == expected
    assert budget.reconciles


def test_1720_boundaries():
    # One hour at annual costs of 1 720 kr is exactly 1 kr; half an hour at 1 720.01 kr is 50.0002… öre -> 50.
    eruf = profile("eruf-tillvaxtverket")
    one = convert([BudgetLine("A", "x", "personnel", 100, Decimal(1), Decimal(100), 172_000)], eruf)
    assert one.amounts[("A", "staff")] == 100
    assert not [s for s in one.steps if s.difference and s.category == "personnel"]
    half = convert([BudgetLine("A", "x", "personnel", 50, Decimal("0.5"), Decimal(100), 172_001)], eruf)
    assert half.amounts[("A", "staff")] == 50
    assert round_ore(Decimal("0.5")) == 1 and round_ore(Decimal("1.4999")) == 1


def test_untyped_lines_stay_in_the_total_under_their_own_heading():
    budget = convert([BudgetLine("A", "x", None, 1234)], profile("region-1-1"))
    assert budget.amounts == {("A", "untyped"): 1234} and budget.reconciles
