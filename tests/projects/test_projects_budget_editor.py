"""The budget table: per-cell validation that names the cell and saves nothing; spare rows without JS."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_app.money import kronor_input, kronor_text, parse_ore
from synergy_app.projects import checking
from synergy_app.projects.budget_form import parse_budget


def _form(project, **overrides):
    data = {}
    for i, c in enumerate(project.cost_lines):
        key = next(p.key for p in project.partners if p.id == c.partner_id)
        data |= {f"cost-{i}-partner": key, f"cost-{i}-category": c.category,
                 f"cost-{i}-amount": kronor_text(c.amount_ore), f"cost-{i}-in_kind": "cash"}
    for i, f in enumerate(project.funding_lines):
        key = next(p.key for p in project.partners if p.id == f.partner_id)
        data |= {f"fund-{i}-partner": key, f"fund-{i}-source": f.source, f"fund-{i}-kind": f.source_kind,
                 f"fund-{i}-category": f.category or "", f"fund-{i}-amount": kronor_text(f.amount_ore),
                 f"fund-{i}-in_kind": "cash"}
    data.update(overrides)
    return data


def _snapshot(project_id):
    project = checking.load_project(project_id)
    return ([(c.partner_id, c.category, c.amount_ore) for c in project.cost_lines],
            [(f.partner_id, f.source, f.amount_ore) for f in project.funding_lines])


def test_bad_cells_are_named_and_nothing_is_saved(client, planner, demo_project, db_session):
    before = _snapshot(demo_project.id)
    form = _form(demo_project, **{"cost-1-amount": "två miljoner", "fund-2-kind": "lottery",
                                  "cost-0-amount": "100"})
    response = client.post(f"/projects/{demo_project.id}/budget", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="cost-1-amount-error"' in page and "två miljoner" in page
    assert 'id="fund-2-kind-error"' in page
    assert 'aria-invalid="true"' in page
    db_session.expire_all()
    assert _snapshot(demo_project.id) == before  # the valid change to row 0 was not saved either


def test_valid_budget_is_saved_and_audited(client, planner, demo_project, db_session):
    from synergy_app.audit.models import AuditEntry

    form = _form(demo_project, **{"cost-0-amount": "7 000 000", "cost-9-partner": "ltu",
                                  "cost-9-category": "non_economic", "cost-9-amount": "100000,50",
                                  "fund-3-delete": "1"})
    response = client.post(f"/projects/{demo_project.id}/budget", data=form)
    assert response.status_code == 302
    db_session.expire_all()
    project = checking.load_project(demo_project.id)
    assert project.cost_lines[0].amount_ore == 700_000_000
    assert project.cost_lines[-1].amount_ore == 10_000_050
    assert len(project.funding_lines) == len(demo_project.funding_lines)  # one removed from the form copy
    assert db_session.query(AuditEntry).filter(AuditEntry.action == "project.budget.save").count() == 1


def test_more_rows_without_saving(client, planner, demo_project, db_session):
    before = _snapshot(demo_project.id)
    form = _form(demo_project, **{"cost-0-amount": "1", "action": "more"})
    response = client.post(f"/projects/{demo_project.id}/budget", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    last = len(demo_project.cost_lines) + 4
    assert f'name="cost-{last}-amount"' in page
    db_session.expire_all()
    assert _snapshot(demo_project.id) == before


def test_public_funding_needs_a_category():
    rows = parse_budget({"fund-0-partner": "a", "fund-0-source": "vinnova", "fund-0-kind": "state",
                         "fund-0-amount": "10"}, {"a"})
    assert "fund-0-category" in rows.errors
    rows = parse_budget({"fund-0-partner": "a", "fund-0-source": "a", "fund-0-kind": "private",
                         "fund-0-amount": "10"}, {"a"})
    assert rows.errors == {}


def test_amount_formats():
    assert parse_ore("1 200 000") == 120_000_000
    assert parse_ore("1200000,50") == 120_000_050
    assert parse_ore("1 200 000.50 kr") == 120_000_050
    for bad in ("-5", "1,234", "1.005", "abc", "NaN", "1,2,3"):
        with pytest.raises(ValueError):
            parse_ore(bad)


@given(st.integers(min_value=0, max_value=10**14))
def test_amount_text_round_trip(ore):
    assert parse_ore(kronor_text(ore)) == ore
    assert parse_ore(kronor_input(ore)) == ore


def test_missing_funder_is_asked_for_by_name_never_by_key():
    rows = parse_budget({"fund-0-partner": "a", "fund-0-source": "", "fund-0-kind": "state",
                         "fund-0-category": "experimental_development", "fund-0-amount": "10"}, {"a"})
    sv, en = rows.errors["fund-0-source"]
    assert "Vinnova" in sv and "Vinnova" in en
    assert "vinnova" not in sv and "vinnova" not in en  # the key people never see
