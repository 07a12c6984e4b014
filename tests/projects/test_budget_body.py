"""The budget API's body is read straight into budget rows, by the same line rules as the budget table;
a refused write is 403 with the reason, in the service as on the pages and the API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from synergy_app.auth.access import AccessDenied
from synergy_app.errors import InputError
from synergy_app.projects import checking, service
from synergy_app.projects.budget_body import parse_budget_body
from synergy_app.projects.budget_form import parse_budget

KEYS = {"ltu", "acme"}


def test_body_and_table_give_the_same_rows():
    body = {"costs": [{"partner": "ltu", "category": "non_economic", "amount_sek": 1200000},
                      {"partner": "acme", "category": "industrial_research", "amount_sek": "1200000.50",
                       "in_kind": True}],
            "funding": [{"partner": "acme", "source": "eu", "kind": "eu_direct", "category": "industrial_research",
                         "amount_sek": "1 000,25", "union_max_rate": 0.6},
                        {"partner": "ltu", "source": "ltu", "kind": "private", "amount_sek": 0}]}
    form = {"cost-0-partner": "ltu", "cost-0-category": "non_economic", "cost-0-amount": "1 200 000",
            "cost-0-in_kind": "cash",
            "cost-1-partner": "acme", "cost-1-category": "industrial_research", "cost-1-amount": "1200000,50",
            "cost-1-in_kind": "in_kind",
            "fund-0-partner": "acme", "fund-0-source": "eu", "fund-0-kind": "eu_direct",
            "fund-0-category": "industrial_research", "fund-0-amount": "1000.25", "fund-0-union_max_rate": "60 %",
            "fund-1-partner": "ltu", "fund-1-source": "ltu", "fund-1-kind": "private", "fund-1-amount": "0"}
    from_body, from_form = parse_budget_body(body, KEYS), parse_budget(form, KEYS)
    assert from_body.errors == {} and from_form.errors == {}
    assert from_body.costs == from_form.costs and from_body.funding == from_form.funding
    assert [c["amount_ore"] for c in from_body.costs] == [120_000_000, 120_000_050]
    assert from_body.funding[0]["union_max_rate"] == Decimal("0.6") and from_body.costs[1]["in_kind"] is True


def test_body_errors_are_named_by_the_body_fields():
    body = {"costs": [{"partner": "ltu", "category": "non_economic", "amount_sek": "1,234"},
                      {"partner": "ltu", "category": "non_economic", "amount_sek": 1.005}, {}],
            "funding": [{"partner": "nobody", "source": "vinnova", "kind": "state", "amount_sek": True,
                         "union_max_rate": "70"}]}
    errors = parse_budget_body(body, KEYS).errors
    assert set(errors) == {
        "costs[0].amount_sek", "costs[1].amount_sek",
        # a line sent empty is not a spare row to skip: it says what is missing
        "costs[2].partner", "costs[2].category", "costs[2].amount_sek",
        "funding[0].partner", "funding[0].category", "funding[0].amount_sek", "funding[0].union_max_rate"}
    assert errors["costs[2].amount_sek"] == ("Ange ett belopp i kronor.", "Enter an amount in kronor.")


@pytest.mark.parametrize("lines", [{"costs": {"partner": "ltu"}}, {"funding": ["x"]}])
def test_body_lines_must_be_a_list_of_objects(lines):
    with pytest.raises(InputError) as exc:
        parse_budget_body(lines, KEYS)
    assert exc.value.errors[0].field == next(iter(lines))


def test_api_names_the_bad_line_and_changes_nothing(client, make_user, api_token, demo_project, db_session):
    headers = api_token(make_user("planner"))
    url = f"/api/v1/projects/{demo_project.id}"
    document = client.get(url, headers=headers).get_json()
    body = {"version": document["version"], "costs": document["costs"] + [{"partner": "x"}],
            "funding": document["funding"]}
    answer = client.put(url + "/budget", json=body, headers=headers)
    assert answer.status_code == 400
    fields = {d["field"] for d in answer.get_json()["error"]["details"]}
    last = len(document["costs"])
    assert {f"costs[{last}].partner", f"costs[{last}].category", f"costs[{last}].amount_sek"} <= fields
    assert client.get(url, headers=headers).get_json()["version"] == document["version"]


def test_api_refuses_another_regions_strategist_with_403(client, make_user, api_token, demo_project):
    headers = api_token(make_user("strategist", region="ostergotland"))
    url = f"/api/v1/projects/{demo_project.id}"
    document = client.get(url, headers=headers).get_json()
    answer = client.put(url + "/budget?lang=en", headers=headers,
                        json={"version": document["version"], "costs": document["costs"],
                              "funding": document["funding"]})
    assert answer.status_code == 403 and answer.get_json()["error"]["message"]


def test_service_refuses_a_write_with_403_and_the_reason(make_user, demo_project, db_session):
    reader = make_user("reader")
    before = [(c.category, c.amount_ore) for c in demo_project.cost_lines]
    rows = parse_budget_body({"costs": [], "funding": []}, set())
    with pytest.raises(AccessDenied) as exc:
        service.save_budget(demo_project, rows, reader, demo_project.version)
    assert exc.value.code == 403 and "får inte ändra" in exc.value.description
    with pytest.raises(AccessDenied):
        service.link_ruling(demo_project, "X", 1, "label", reader)
    db_session.expire_all()
    assert [(c.category, c.amount_ore) for c in checking.load_project(demo_project.id).cost_lines] == before


def test_the_taskforce_may_link_a_ruling_but_not_edit(make_user, demo_project):
    taskforce = make_user("taskforce")
    # Past the permission: the ruling itself is what is refused.
    with pytest.raises(InputError) as exc:
        service.link_ruling(demo_project, "X", 999_999, "label", taskforce)
    assert exc.value.errors[0].field == "ruling"
    with pytest.raises(AccessDenied):
        service.remove_partner(demo_project, demo_project.partners[0], taskforce)
