"""The state-aid check re-run on actual figures: worked examples of what the actuals break that the plan
respected (aid intensity over the ceiling once actual costs are lower, private co-financing short)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from synergy_app.funding_profiles import service
from synergy_app.funding_profiles.actuals_check import (
    PlannedLine,
    actual_document,
    check_actuals,
    duration_share,
    new_flags,
    spread,
)
from synergy_app.stateaid.check import check_with_shipped_data
from synergy_app.stateaid.project_document import document_from_mapping

# A medium-sized undertaking alone (no collaboration): experimental development may be aided at
# 25 % + 10 % (medium) = 35 % (GBER Art. 25(5)(c), 25(6)(a)). The plan asks exactly 35 %.
PLAN = {
    "title": "Exempel", "grant_date": "2026-03-01", "work_start": "2026-01-01", "end_date": "2027-12-31",
    "partners": [{"id": "acme", "name": "Acme AB", "kind": "undertaking", "size": "medium"}],
    "costs": [{"partner": "acme", "category": "experimental_development", "amount_sek": 1000000}],
    "funding": [{"source": "vinnova", "kind": "state", "partner": "acme", "category": "experimental_development",
                 "amount_sek": 350000},
                {"source": "acme", "kind": "private", "partner": "acme", "amount_sek": 650000}],
}
PLANNED = [PlannedLine("acme", "experimental_development", False, "personnel", 100_000_000)]


def _codes(flags):
    return sorted((f.code, f.partner, f.category) for f in flags)


def test_spread_sums_to_the_ore_largest_remainder_first():
    assert spread(100, [1, 1, 1]) == [34, 33, 33]
    assert spread(1, [2, 1]) == [1, 0]
    assert sum(spread(1_000_001, [3, 7, 11])) == 1_000_001
    assert spread(500, [0, 0]) == [500, 0]


def test_duration_share_counts_days_of_the_project_both_ends_included():
    span = (date(2026, 1, 1), date(2027, 12, 31))  # 730 days
    assert duration_share((date(2026, 1, 1), date(2026, 12, 31)), span) == Fraction(365, 730)
    assert duration_share((date(2025, 1, 1), date(2030, 1, 1)), span) == 1
    assert duration_share((date(2028, 1, 1), date(2028, 6, 30)), span) == 0
    assert duration_share((date(2026, 1, 1), date(2026, 6, 30)), (None, None)) == 1


def test_the_plan_respects_the_ceiling_and_actuals_as_planned_raise_nothing_new():
    doc = document_from_mapping(PLAN)
    plan = check_with_shipped_data(doc)
    assert not [f for f in plan.flags if f.severity == "error"]
    actual = check_with_shipped_data(actual_document(doc, PLANNED, {("acme", "personnel"): 100_000_000}, Fraction(1)))
    assert new_flags(plan, actual) == []


def test_lower_actual_costs_put_the_whole_grant_over_the_ceiling_and_private_share_short():
    doc = document_from_mapping(PLAN)
    # 800 000 kr spent, the grant stays 350 000 kr: 350 000 / 800 000 = 43.75 % > 35 %.
    # Acme bears 450 000 kr; it must bear at least 800 000 - 35 % = 520 000 kr.
    built = actual_document(doc, PLANNED, {("acme", "personnel"): 80_000_000}, Fraction(1))
    assert [(c.category, c.amount_ore) for c in built.costs] == [("experimental_development", 80_000_000)]
    assert sorted((f.kind, f.amount_ore) for f in built.funding) == [("private", 45_000_000), ("state", 35_000_000)]
    result = check_with_shipped_data(built)
    new = new_flags(check_with_shipped_data(doc), result)
    assert _codes(new) == [("AID_INTENSITY_EXCEEDED", "acme", "experimental_development"),
                           ("PRIVATE_COFINANCING_SHORT", "acme", None)]
    exceeded = next(f for f in new if f.code == "AID_INTENSITY_EXCEEDED")
    assert "43.75" in exceeded.message_en or "43,75" in exceeded.message_sv


def test_a_period_is_checked_against_its_share_of_the_grant():
    doc = document_from_mapping(PLAN)
    half = duration_share((date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 1, 1), date(2027, 12, 31)))
    plan = check_with_shipped_data(doc)
    # Half the time, half the costs: 175 000 / 500 000 = 35 %, nothing new.
    on_plan = actual_document(doc, PLANNED, {("acme", "personnel"): 50_000_000}, half)
    assert new_flags(plan, check_with_shipped_data(on_plan)) == []
    # Half the time, 400 000 kr spent: 175 000 / 400 000 = 43.75 %.
    behind = actual_document(doc, PLANNED, {("acme", "personnel"): 40_000_000}, half)
    assert ("AID_INTENSITY_EXCEEDED", "acme", "experimental_development") in _codes(
        new_flags(plan, check_with_shipped_data(behind)))


def test_a_cost_type_not_planned_is_spread_over_the_partners_planned_lines():
    doc = document_from_mapping({**PLAN, "costs": [
        {"partner": "acme", "category": "experimental_development", "amount_sek": 600000},
        {"partner": "acme", "category": "industrial_research", "amount_sek": 400000}]})
    planned = [PlannedLine("acme", "experimental_development", False, "personnel", 60_000_000),
               PlannedLine("acme", "industrial_research", False, "equipment", 40_000_000)]
    built = actual_document(doc, planned, {("acme", "personnel"): 30_000_000, ("acme", "consultancy"): 1_000_001},
                            Fraction(1))
    amounts = {c.category: c.amount_ore for c in built.costs}
    assert amounts == {"experimental_development": 30_000_000 + 600_001, "industrial_research": 400_000}


def test_the_demo_partner_that_spends_less_breaks_its_intensity(described_project):
    # Arktisk testbädd plans 800 000 kr of industrial research with 500 000 kr from Region Norrbotten
    # (62.5 %; an intermediary's ceiling there is 65 %). Spending 700 000 kr over the whole project:
    # 500 000 / 700 000 = 71.4 % > 65 %, and it bears 200 000 kr where 245 000 kr are required.
    start, end = described_project.work_start, described_project.end_date
    before = check_actuals(described_project, start, end)
    assert before.new == () and before.error is None
    service.save_actuals(described_project, [{"partner": "testbadd", "period_start": start.isoformat(),
                                              "period_end": end.isoformat(), "cost_type": "other_direct",
                                              "amount": "700000"}], "seed")
    after = check_actuals(described_project, start, end)
    assert _codes(after.new) == [("AID_INTENSITY_EXCEEDED", "testbadd", "industrial_research"),
                                 ("PRIVATE_COFINANCING_SHORT", "testbadd", None)]
    assert "Arktisk testbädd ekonomisk förening (exempel)" not in after.waiting
    assert "Luleå tekniska universitet" in after.waiting
    # Flags the plan already had (Norrstål's intensity) are not repeated as new.
    assert all(f.partner == "testbadd" for f in after.new)


@pytest.mark.parametrize("amount", ["800000", "900000"])
def test_demo_partner_on_or_over_budget_raises_nothing_new(described_project, amount):
    start, end = described_project.work_start, described_project.end_date
    service.save_actuals(described_project, [{"partner": "testbadd", "period_start": start.isoformat(),
                                              "period_end": end.isoformat(), "cost_type": "other_direct",
                                              "amount": amount}], "seed")
    assert check_actuals(described_project, start, end).new == ()
