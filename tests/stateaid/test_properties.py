"""Properties over generated valid documents: the check never crashes and never lets public money
above the costs pass without an error flag."""

from __future__ import annotations

import json
from datetime import date
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synergy_app.stateaid import intensity
from synergy_app.stateaid.check import check_project
from synergy_app.stateaid.exchange_rates import ExchangeRateTable
from synergy_app.stateaid.project_document import CATEGORIES, PARTNER_KINDS, SIZES, SOURCE_KINDS, document_from_mapping
from synergy_app.stateaid.rulesets import load_rulesets

RULESETS = load_rulesets()
money = st.integers(min_value=0, max_value=10**11).map(lambda ore: f"{ore // 100}.{ore % 100:02d}")
dates = st.dates(min_value=date(2012, 1, 1), max_value=date(2034, 12, 31))


@st.composite
def documents(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    partners = []
    for i in range(n):
        kind = draw(st.sampled_from(PARTNER_KINDS))
        partner = {"id": f"p{i}", "name": f"Partner {i}", "kind": kind}
        if kind == "undertaking" or draw(st.booleans()):
            partner["size"] = draw(st.sampled_from(SIZES))
        if draw(st.booleans()):
            partner["de_minimis_received"] = [{"date": draw(dates).isoformat(),
                                               "amount_eur": draw(st.integers(0, 400_000))}]
        partners.append(partner)
    ids = [p["id"] for p in partners]
    costs = draw(st.lists(st.fixed_dictionaries({
        "partner": st.sampled_from(ids), "category": st.sampled_from(CATEGORIES), "amount_sek": money}),
        max_size=8))
    funding = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(SOURCE_KINDS))
        line = {"source": draw(st.sampled_from(["vinnova", "eruf-ovre-norrland", "region", "horizon"])),
                "kind": kind, "partner": draw(st.sampled_from(ids)), "amount_sek": draw(money)}
        if kind != "private" or draw(st.booleans()):
            line["category"] = draw(st.sampled_from(CATEGORIES))
        if kind == "eu_direct" and draw(st.booleans()):
            line["union_max_rate"] = draw(st.sampled_from(["0.7", "1", "0.5"]))
        funding.append(line)
    doc = {"title": "Genererat projekt", "grant_date": draw(dates).isoformat(),
           "partners": partners, "costs": costs, "funding": funding,
           "collaboration": draw(st.fixed_dictionaries({
               "effective": st.booleans(), "wide_dissemination": st.booleans(),
               "research_organisations_may_publish": st.booleans(), "cross_border": st.booleans()}))}
    for key in ("application_date", "work_start", "end_date"):
        if draw(st.booleans()):
            doc[key] = draw(dates).isoformat()
    if draw(st.booleans()):
        doc["exchange_rate_eur_sek"] = draw(st.sampled_from(["11.2", "10", "9.5"]))
    return doc


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_check_never_crashes_and_never_passes_public_money_above_costs(data):
    result = check_project(document_from_mapping(data), RULESETS, exchange_rates=ExchangeRateTable())
    json.dumps(result.to_dict())  # the JSON result is always serialisable
    costs: dict[tuple[str, str], int] = {}
    public: dict[tuple[str, str], int] = {}
    for line in result.partners:
        for cat in line.categories:
            costs[(line.id, cat.category)] = cat.eligible_costs
            public[(line.id, cat.category)] = cat.public
    for key, amount in public.items():
        if amount > costs[key]:
            assert any(f.severity == "error" and f.partner == key[0] and f.category == key[1]
                       for f in result.flags), key


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=2, max_size=4))
def test_limits_kept_across_projects_answer_as_if_worked_out_afresh(batch):
    # One library checks the projects in turn (limits kept from earlier projects are reused); with
    # nothing kept every limit is worked out anew: the results must be the same.
    for data in batch:
        doc = document_from_mapping(data)
        kept = check_project(doc, RULESETS, exchange_rates=ExchangeRateTable())
        with patch.object(intensity, "KEPT_LIMITS", 0):
            afresh = check_project(doc, load_rulesets(), exchange_rates=ExchangeRateTable())
        assert kept.to_dict() == afresh.to_dict()
