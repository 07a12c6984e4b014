"""Rules as the legal text has them, worked by hand from the quoted sentences.

Amounts: 10 SEK per euro throughout (the project files state the rate), so EUR 1 = 10 kr.
"""

from __future__ import annotations

from datetime import date

import pytest

from synergy_app.stateaid.rulesets import load_rulesets
from synergy_app.stateaid.text_report import render_text
from synergy_app.stateaid.validity import add_months, expiry_warnings

KR = 100  # öre per krona


def _threshold_flags(result):
    return [f for f in result.flags if f.code == "NOTIFICATION_THRESHOLD_EXCEEDED"]


def _project(make_project, costs, aid_category, aid_kr, size="small"):
    partner = [{"id": "p", "name": "P AB", "kind": "undertaking", "size": size}]
    cost_lines = [{"partner": "p", "category": c, "amount_sek": a} for c, a in costs.items()]
    total = sum(costs.values())
    funding = [{"source": "vinnova", "kind": "state", "partner": "p", "category": aid_category, "amount_sek": aid_kr},
               {"source": "p", "kind": "private", "partner": "p", "amount_sek": total - aid_kr}]
    return make_project(partner, cost_lines, funding)


# --- Art. 4(1)(m): EUR 12.5 million for process and organisational innovation ---------------------

@pytest.mark.parametrize(("aid_kr", "exceeded"), [
    (100_000_010, False),   # EUR 10 000 001: above the old, wrong EUR 10 million, below the text's figure
    (125_000_000, False),   # exactly EUR 12 500 000: "shall not apply to aid which exceeds" it, so allowed
    (125_000_010, True),    # EUR 12 500 001: one euro over
])
def test_process_innovation_threshold_is_12_5_million(run, make_project, aid_kr, exceeded):
    # 50 % for an SME (Art. 29(4)) of 250 000 020 kr covers every amount above.
    result = run(_project(make_project, {"process_innovation": 250_000_020}, "process_innovation", aid_kr))
    flags = _threshold_flags(result)
    assert bool(flags) is exceeded
    if exceeded:
        flag = flags[0]
        assert flag.values["allowed_eur"] == "12500000.00"
        assert flag.values["planned_eur"] == "12500001.00"
        assert flag.reference["point"] == "m" and flag.reference["verified"] is True
        assert "EUR 12.5 million" in flag.reference["quote"]["text"]


# --- Art. 4(1)(i): "predominantly" as the text defines it ---------------------------------------

def test_industrial_and_fundamental_research_together_make_a_project_predominantly_industrial(run, make_project):
    # 40 % fundamental + 20 % industrial = 60 % > half: point (ii), EUR 35 million, although no single
    # category is above half. Aid EUR 30 million (300 000 000 kr) on the fundamental research (100 %)
    # is under it; reading (ii) as industrial research alone would wrongly apply EUR 25 million.
    costs = {"fundamental_research": 400_000_000, "industrial_research": 200_000_000,
             "experimental_development": 400_000_000}
    assert _threshold_flags(run(_project(make_project, costs, "fundamental_research", 300_000_000))) == []
    over = _threshold_flags(run(_project(make_project, costs, "fundamental_research", 350_000_010)))
    assert len(over) == 1
    assert over[0].values["allowed_eur"] == "35000000.00"
    assert over[0].reference["subpoint"] == "ii"
    assert "predominantly industrial research" in over[0].message_en


def test_predominantly_experimental_development_uses_25_million(run, make_project):
    costs = {"industrial_research": 400_000_000, "experimental_development": 600_000_000}  # 60 % ED
    over = _threshold_flags(run(_project(make_project, costs, "industrial_research", 250_000_010)))
    assert [f.values["allowed_eur"] for f in over] == ["25000000.00"]
    assert "predominantly experimental development" in over[0].message_en


def test_a_project_split_exactly_in_half_gets_the_lowest_threshold_and_says_why(run, make_project):
    # 50 % industrial, 50 % experimental: neither "more than half"; no point of (i)-(iii) applies.
    costs = {"industrial_research": 500_000_000, "experimental_development": 500_000_000}
    assert _threshold_flags(run(_project(make_project, costs, "industrial_research", 250_000_000))) == []
    over = _threshold_flags(run(_project(make_project, costs, "industrial_research", 250_000_010)))
    assert over[0].values["allowed_eur"] == "25000000.00"
    assert "no predominant category (exactly half)" in over[0].message_en
    assert "exakt hälften" in over[0].message_sv


# --- after the GBER's end ---------------------------------------------------------------------------

def test_grant_date_after_2026_says_no_block_exemption_is_loaded_and_quotes_art_59_and_58_4(run, example):
    example["grant_date"] = "2027-01-15"
    flag = next(f for f in run(example).flags if f.code == "RULESET_NOT_IN_FORCE")
    assert flag.severity == "error"
    assert "No block exemption is loaded for 2027-01-15" in flag.message_en
    assert "It shall apply until 31 December 2026." in flag.message_en  # Art. 59, quoted
    assert "adjustment period of 6 months, until 2027-06-30" in flag.message_en  # Art. 58(4)
    assert "Inget gruppundantag är inläst för 2027-01-15" in flag.message_sv
    assert "till och med 2027-06-30" in flag.message_sv


def test_grant_date_after_the_adjustment_period_says_it_ended(run, example):
    example["grant_date"] = "2027-08-01"
    flag = next(f for f in run(example).flags if f.code == "RULESET_NOT_IN_FORCE")
    assert "adjustment period for aid schemes ended on 2027-06-30" in flag.message_en


def test_grant_date_before_the_first_ruleset_has_no_end_of_validity_text(run, example):
    example["grant_date"] = "2023-03-01"
    flag = next(f for f in run(example).flags if f.code == "RULESET_NOT_IN_FORCE")
    assert "No block exemption is loaded" not in flag.message_en


def test_adjustment_end_is_six_months_after_the_last_day():
    assert add_months(date(2026, 12, 31), 6) == date(2027, 6, 30)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


# --- the 60-day warning --------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "days_left"), [
    (date(2026, 12, 6), 25), (date(2026, 11, 1), 60), (date(2026, 10, 31), None), (date(2027, 1, 1), None)])
def test_gber_warning_starts_60_days_before_its_end(rulesets, today, days_left):
    warnings = expiry_warnings(rulesets, today)
    assert [w.days_left for w in warnings] == ([] if days_left is None else [days_left])
    if days_left:
        assert warnings[0].ruleset_id == "gber-651-2014-as-amended-2023-1315"
        assert "applies until 2026-12-31" in warnings[0].text_en()


def test_no_warning_once_a_successor_is_loaded(tmp_path):
    from synergy_app.stateaid.rulesets import RULESET_DIR

    for path in RULESET_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    successor = (RULESET_DIR / "gber-651-2014-as-amended-2023-1315.yaml").read_text(encoding="utf-8")
    successor = successor.replace("id: gber-651-2014-as-amended-2023-1315", "id: gber-next").replace(
        'valid_from: "2023-07-01"', 'valid_from: "2027-01-01"').replace(
        'valid_to: "2026-12-31"', 'valid_to: "2033-12-31"')
    (tmp_path / "gber-next.yaml").write_text(successor, encoding="utf-8")
    assert expiry_warnings(load_rulesets(tmp_path), date(2026, 12, 6)) == []


# --- cited references come from the ruleset; unverified ones say so -----------------------------

def test_condition_references_come_from_the_dated_ruleset_with_their_quotes(run, example):
    example["application_date"] = "2026-05-01"  # after work start: no incentive effect
    result = run(example)
    flag = next(f for f in result.flags if f.code == "INCENTIVE_EFFECT_MISSING")
    assert flag.reference["citation"] == "Art. 6(2) (EU) No 651/2014"
    assert flag.reference["verified"] is True
    assert flag.reference["quote"]["text"].startswith("Aid shall be considered to have an incentive effect")


def test_unverified_de_minimis_values_are_marked_in_json_and_text(run, make_project):
    doc = make_project([{"id": "p", "name": "P AB", "kind": "undertaking", "size": "small"}],
                       [{"partner": "p", "category": "de_minimis", "amount_sek": 1_000_000}],
                       [{"source": "region", "kind": "regional", "partner": "p", "category": "de_minimis",
                         "amount_sek": 500_000},
                        {"source": "p", "kind": "private", "partner": "p", "amount_sek": 500_000}],
                       grant_date="2020-05-01", application_date="2020-03-01", work_start="2020-06-01")
    result = run(doc)
    summary = result.to_dict()["ruleset"]["de_minimis"]
    assert summary["id"] == "de-minimis-1407-2013"
    assert [v["citation"] for v in summary["unverified_values"]] == ["Art. 3(2) (EU) No 1407/2013"] * 2
    text = render_text(result, "en")
    assert "NOT VERIFIED AGAINST THE LEGAL TEXT" in text and "Art. 3(2) (EU) No 1407/2013 = 200,000" in text
    assert "= three fiscal years" in text  # the period in words, not its key
    swedish = render_text(result, "sv")
    assert "EJ KONTROLLERAT MOT RÄTTSAKTEN" in swedish and "= 200\xa0000" in swedish
    assert "= tre beskattningsår" in swedish
    # A grant under 2023/2831 uses only verified values: no marker.
    doc.update(grant_date="2025-05-01", application_date="2025-03-01", work_start="2025-06-01")
    later = run(doc)
    assert later.to_dict()["ruleset"]["de_minimis"]["unverified_values"] == []
    assert not any("2023/2831" in line and "NOT VERIFIED" in line for line in render_text(later, "en").splitlines())
