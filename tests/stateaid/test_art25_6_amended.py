"""GBER Art. 25(6) and (7) as amended by (EU) 2023/1315, with worked examples computed by hand.

The text (consolidated 02014R0651-20230701): intensities for industrial research and experimental
development "may be increased up to a maximum aid intensity of 80 % ... where points (b), (c) and (d)
must not be combined with each other": (a) +10 medium / +20 small; (b) +15 for ONE of effective
collaboration, wide dissemination, a licensing commitment or an Art. 107(3)(a) area; (c) +5 in an
Art. 107(3)(c) area; (d) +25 for a multi-country project selected after an open call. Art. 25(7):
feasibility studies +10 medium / +20 small.

Base intensities (Art. 25(5)): industrial research 50 %, experimental development 25 %, feasibility 50 %.
One partner with 1 000 000 kr of costs unless said otherwise, so X % allows X0 000 kr... of State aid.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from synergy_app.stateaid.project_document import DocumentError, document_from_mapping
from synergy_app.stateaid.regional_aid_map import assess_assisted_area, default_aid_map
from synergy_app.stateaid.rulesets import RULESET_DIR
from synergy_app.stateaid.text_report import render_text

KR = 100
COSTS = 1_000_000
MULTI = {"selected_after_open_call": True, "jointly_designed_by": ["SE", "FI", "NO"],
         "undertaking_countries": ["SE", "FI", "NO"], "dissemination_countries": ["SE", "FI", "NO"]}


def _one(size="large", category="experimental_development", aid=100_000, **top):
    partner = {"id": "p", "name": "P AB", "kind": "undertaking", "size": size}
    funding = [{"source": "vinnova", "kind": "state", "partner": "p", "category": category, "amount_sek": aid},
               {"source": "p", "kind": "private", "partner": "p", "amount_sek": COSTS - aid}]
    return [partner], [{"partner": "p", "category": category, "amount_sek": COSTS}], funding, top


def _check(run, make_project, **kwargs):
    partners, costs, funding, top = _one(**kwargs)
    result = run(make_project(partners, costs, funding, **top))
    cat = result.partners[0].categories[0]
    return result, cat


def _applied(cat):
    return [r.points for r in cat.reasons if r.applied]


def _notes(cat, lang="en"):
    return [r.text_en if lang == "en" else r.text_sv for r in cat.reasons if not r.applied]


def _exceeded(result):
    return [f for f in result.flags if f.code == "AID_INTENSITY_EXCEEDED"]


# --- (b): each route alone ----------------------------------------------------------------------------

def test_b_licensing_alone_gives_15_points(run, make_project):
    # Large, experimental development: 25 % + 15 (licensing commitment, (b)(iii)) = 40 % -> 400 000 kr.
    result, cat = _check(run, make_project, aid=400_000, collaboration={"licensing": True})
    assert cat.max_intensity == Decimal("0.40")
    assert cat.allowed_aid == 400_000 * KR
    assert _applied(cat) == [Decimal("0.25"), Decimal("0.15")]
    assert "license" in next(r.text_en for r in cat.reasons if r.points == Decimal("0.15"))
    assert not _exceeded(result)
    over, _ = _check(run, make_project, aid=400_001, collaboration={"licensing": True})
    assert _exceeded(over)[0].values["allowed"] == 400_000 * KR
    assert "25(6)(b)" in _exceeded(over)[0].reference["citation"]


def test_b_assisted_area_a_alone_gives_15_points(run, make_project):
    # Large, industrial research, Art. 107(3)(a) area ((b)(iv)): 50 % + 15 = 65 %.
    result, cat = _check(run, make_project, category="industrial_research", assisted_area="a")
    assert cat.max_intensity == Decimal("0.65")
    assert "107(3)(a)" in next(r.text_en for r in cat.reasons if r.points == Decimal("0.15"))
    assert result.assisted_area.basis == "stated"


def test_b_wide_dissemination_alone_gives_15_points(run, make_project):
    _, cat = _check(run, make_project, collaboration={"wide_dissemination": True})
    assert cat.max_intensity == Decimal("0.40")


# --- (c) and (d) alone -------------------------------------------------------------------------------

def test_c_area_alone_gives_5_points(run, make_project):
    # Large, experimental development in a (c) area: 25 % + 5 = 30 % -> 300 000 kr; 300 001 kr is over.
    result, cat = _check(run, make_project, aid=300_000, assisted_area="c")
    assert cat.max_intensity == Decimal("0.30")
    assert _applied(cat) == [Decimal("0.25"), Decimal("0.05")]
    assert not _exceeded(result)
    over, _ = _check(run, make_project, aid=300_001, assisted_area="c")
    assert _exceeded(over)[0].values["allowed"] == 300_000 * KR
    assert "25(6)(c)" in _exceeded(over)[0].reference["citation"]


def test_d_multi_country_alone_gives_25_points(run, make_project):
    # Large, experimental development, all of (d)(i)-(iii) met: 25 % + 25 = 50 %.
    _, cat = _check(run, make_project, collaboration={"effective": True, "multi_country": MULTI})
    assert cat.max_intensity == Decimal("0.50")
    assert _applied(cat) == [Decimal("0.25"), Decimal("0.25")]
    notes = _notes(cat)
    assert any("25(6)(b)" in n and "none of the conditions" in n for n in notes)
    assert any("25(6)(c)" in n for n in notes)


def test_d_needs_three_countries_of_undertakings_for_a_large_beneficiary_and_two_for_an_sme(run, make_project):
    two = MULTI | {"undertaking_countries": ["SE", "FI"]}
    _, large = _check(run, make_project, collaboration={"effective": True, "multi_country": two})
    assert large.max_intensity == Decimal("0.25")  # (d)(ii): a large enterprise needs three
    assert any("collaborating undertakings in 2 states (at least 3" in n for n in _notes(large))
    _, medium = _check(run, make_project, size="medium", collaboration={"effective": True, "multi_country": two})
    assert medium.max_intensity == Decimal("0.60")  # 25 + 10 (medium) + 25 (d)


def test_d_conditions_each_missing(run, make_project):
    cases = [
        ({"selected_after_open_call": False}, "open call"),
        ({"jointly_designed_by": ["SE", "FI"]}, "jointly designed by 2 states (at least 3)"),
        ({"dissemination_countries": ["SE", "FI"]}, "disseminated in 2 states (at least 3)"),
    ]
    for change, words in cases:
        _, cat = _check(run, make_project, collaboration={"effective": True, "multi_country": MULTI | change})
        assert cat.max_intensity == Decimal("0.25"), change
        assert any(words in n for n in _notes(cat)), (change, _notes(cat))
    # (d)(iii): the licensing commitment stands in for dissemination in three states; (b) is then met
    # too, but (d) is more favourable and the two are not added.
    _, cat = _check(run, make_project, collaboration={"effective": True, "licensing": True,
                                                      "multi_country": MULTI | {"dissemination_countries": []}})
    assert cat.max_intensity == Decimal("0.50")
    assert any("25(6)(b)" in n and "not combined" in n for n in _notes(cat))
    # (d)(ii) needs effective collaboration.
    _, cat = _check(run, make_project, collaboration={"multi_country": MULTI})
    assert cat.max_intensity == Decimal("0.25")


# --- not combined, ceiling ---------------------------------------------------------------------------

def test_b_with_c_is_not_added(run, make_project):
    # Wide dissemination (b) and a (c) area: 25 % + 15 = 40 %, not 45 %.
    result, cat = _check(run, make_project, aid=400_000, assisted_area="c",
                         collaboration={"wide_dissemination": True})
    assert cat.max_intensity == Decimal("0.40")
    assert _applied(cat) == [Decimal("0.25"), Decimal("0.15")]
    note = next(n for n in _notes(cat) if "25(6)(c)" in n)
    assert "met" in note and "not combined" in note and "(b) gives more" in note
    sv = next(n for n in _notes(cat, "sv") if "25.6 c" in n)
    assert "kombineras inte" in sv
    over, _ = _check(run, make_project, aid=450_000, assisted_area="c", collaboration={"wide_dissemination": True})
    assert _exceeded(over)[0].values["allowed"] == 400_000 * KR


def test_ceiling_80_percent(run, make_project):
    # Small, industrial research, (d): 50 + 20 + 25 = 95 % -> capped at 80 %.
    _, cat = _check(run, make_project, size="small", category="industrial_research", aid=800_000,
                    collaboration={"effective": True, "multi_country": MULTI | {"undertaking_countries": ["SE", "FI"]}})
    assert cat.max_intensity == Decimal("0.80")
    assert _applied(cat) == [Decimal("0.50"), Decimal("0.20"), Decimal("0.25"), Decimal("0.80")]
    # Small, experimental development, (d): 25 + 20 + 25 = 70 %, under the ceiling.
    _, cat = _check(run, make_project, size="small", collaboration={"effective": True, "multi_country": MULTI})
    assert cat.max_intensity == Decimal("0.70")
    # Medium, industrial research, (b): 50 + 10 + 15 = 75 %, under the ceiling.
    _, cat = _check(run, make_project, size="medium", category="industrial_research",
                    collaboration={"licensing": True})
    assert cat.max_intensity == Decimal("0.75")


def test_large_only_collaboration_in_one_country_gets_no_bonus(run, make_project):
    partners = [{"id": "a", "name": "A AB", "kind": "undertaking", "size": "large"},
                {"id": "b", "name": "B AB", "kind": "undertaking", "size": "large"}]
    costs = [{"partner": "a", "category": "experimental_development", "amount_sek": 1_000_000},
             {"partner": "b", "category": "experimental_development", "amount_sek": 1_000_000}]
    funding = [{"source": "vinnova", "kind": "state", "partner": p, "category": "experimental_development",
                "amount_sek": 250_000} for p in "ab"]
    funding += [{"source": p, "kind": "private", "partner": p, "amount_sek": 750_000} for p in "ab"]
    result = run(make_project(partners, costs, funding, collaboration={"effective": True}))
    for p in result.partners:
        cat = p.categories[0]
        assert cat.max_intensity == Decimal("0.25")
        assert any("none of the undertakings is an SME" in n for n in _notes(cat))
    assert "COLLABORATION_BONUS_NOT_MET" in [f.code for f in result.flags]
    # The same two firms carried out in two Member States: (b)(i) first route, 50/50 shares -> 40 %.
    cross = run(make_project(partners, costs, funding, collaboration={"effective": True, "cross_border": True}))
    assert cross.partners[0].categories[0].max_intensity == Decimal("0.40")


def test_feasibility_study_gets_only_the_size_increase(run, make_project):
    # Art. 25(7): 50 % + 20 (small) = 70 %; (b)-(d) are for industrial research and experimental development.
    _, cat = _check(run, make_project, size="small", category="feasibility_study", assisted_area="c",
                    collaboration={"licensing": True})
    assert cat.max_intensity == Decimal("0.70")
    assert _applied(cat) == [Decimal("0.50"), Decimal("0.20")]
    assert "25(7)" in cat.reasons[1].reference["citation"]


# --- the assisted area: stated, derived, assumed ------------------------------------------------------

def test_absent_assisted_area_is_assumed_none_and_said(run, make_project):
    result, cat = _check(run, make_project)
    area = result.to_dict()["assisted_area"]
    assert area["area"] == "none" and area["basis"] == "assumed"
    assert "assumed" in area["text_en"] and "antar" in area["text_sv"]
    assert any("25(6)(c)" in n and "assumed" in n for n in _notes(cat))
    assert "assumed" in render_text(result, "en")


def test_area_derived_from_a_municipality_in_the_aid_map(run, make_project):
    # Kiruna (2584) is in stödområde 1: a (c) area, so 25 % + 5 = 30 %.
    result, cat = _check(run, make_project, municipalities=["2584"])
    assert cat.max_intensity == Decimal("0.30")
    area = result.to_dict()["assisted_area"]
    assert (area["area"], area["basis"], area["municipalities"]) == ("c", "derived", ["2584"])
    assert "Kiruna (2584)" in area["text_en"] and "aid area 1" in area["text_en"]
    assert area["aid_map"]["retrieved"] == "2026-12-06"
    assert "Kiruna (2584)" in render_text(result, "sv")


def test_municipality_outside_the_map_gives_no_area(run, make_project):
    # Stockholm (0180) is in no aid area; with Kiruna beside it the project is not wholly in one.
    for codes in (["0180"], ["2584", "0180"]):
        result, cat = _check(run, make_project, municipalities=codes)
        assert cat.max_intensity == Decimal("0.25"), codes
        assert result.assisted_area.area == "none" and result.assisted_area.basis == "derived"
        assert "0180 is outside the aid areas" in result.assisted_area.text_en


def test_municipality_with_excluded_deso_areas_is_not_derived(run, make_project):
    # Umeå (2480) is in stödområde 2 except its urban DeSO areas: the municipality alone cannot tell.
    result, cat = _check(run, make_project, municipalities=["2480"])
    assert cat.max_intensity == Decimal("0.25")
    assert "DeSO" in result.assisted_area.text_en and "assisted_area: c" in result.assisted_area.text_en


def test_stated_area_wins_over_municipalities(run, make_project):
    result, cat = _check(run, make_project, assisted_area="none", municipalities=["2584"])
    assert cat.max_intensity == Decimal("0.25")
    assert result.assisted_area.basis == "stated"


def test_map_is_not_used_outside_its_period():
    found = assess_assisted_area(None, ("2584",), default_aid_map(), __import__("datetime").date(2028, 1, 1))
    assert (found.area, found.basis) == ("none", "assumed")


def test_shipped_map_matches_the_ordinance_annex():
    aid_map = default_aid_map()
    areas = [m.aid_area for m in aid_map.municipalities.values()]
    assert len(areas) == 135 and (areas.count(1), areas.count(2), areas.count(3)) == (39, 42, 54)
    assert {m.code for m in aid_map.municipalities.values() if m.deso_excluded} == {"2080", "2081", "2281", "2480",
                                                                                     "2580"}
    assert aid_map.lookup("0980").name == "Gotland" and aid_map.lookup("0180") is None
    assert aid_map.sources and all(s.get("url") for s in aid_map.sources)


# --- the project file fields --------------------------------------------------------------------------

def _doc(example, **changes):
    data = example | changes
    return document_from_mapping(data)


@pytest.mark.parametrize(("changes", "field"), [
    ({"assisted_area": "b"}, "assisted_area"),
    ({"municipalities": ["123"]}, "municipalities[0]"),
    ({"municipalities": ["9999"]}, "municipalities[0]"),
    ({"municipalities": [330]}, "municipalities[0]"),  # what YAML makes of an unquoted 0512
    ({"municipalities": "2480"}, "municipalities"),
    ({"municipalities": ["2480", "2480"]}, "municipalities[1]"),
    ({"collaboration": {"licensing": "yes"}}, "collaboration.licensing"),
    ({"collaboration": {"multi_country": {"jointly_designed_by": ["SE", "US"]}}},
     "collaboration.multi_country.jointly_designed_by[1]"),
    ({"collaboration": {"multi_country": {"countries": ["SE"]}}}, "collaboration.multi_country.countries"),
    ({"collaboration": {"multi_country": {"selected_after_open_call": 1}}},
     "collaboration.multi_country.selected_after_open_call"),
])
def test_bad_fields_are_named(example, changes, field):
    with pytest.raises(DocumentError) as err:
        _doc(example, **changes)
    assert err.value.field == field


def test_fields_parse(example):
    doc = _doc(example, assisted_area="c", municipalities=[2584, "0980"],
               collaboration={"licensing": True, "multi_country": {"selected_after_open_call": True,
                                                                   "jointly_designed_by": ["se", "FI", "NO"]}})
    assert doc.assisted_area == "c" and doc.municipalities == ("2584", "0980")
    assert doc.collaboration.licensing is True
    assert doc.collaboration.multi_country.jointly_designed_by == ("SE", "FI", "NO")
    assert doc.collaboration.multi_country.undertaking_countries == ()


# --- the ruleset values are quoted --------------------------------------------------------------------

OWNED = ("size_bonus.medium", "size_bonus.small", "collaboration_bonus", "maximum_intensity",
         "collaboration_max_share_single_undertaking", "collaboration_min_share_research_organisations",
         "assisted_area_c_bonus", "multi_country_bonus", "multi_country_min_designing_states",
         "multi_country_min_states_sme", "multi_country_min_states_large", "multi_country_min_dissemination_states",
         "feasibility_size_bonus.medium", "feasibility_size_bonus.small")
WORDS = {"size_bonus.medium": "by 10 percentage points for medium-sized", "size_bonus.small": "by 20 percentage point",
         "collaboration_bonus": "by 15 percentage points", "maximum_intensity": "80 %",
         "collaboration_max_share_single_undertaking": "more than 70 %",
         "collaboration_min_share_research_organisations": "at least 10 %",
         "assisted_area_c_bonus": "by 5 percentage points", "multi_country_bonus": "by 25 percentage points",
         "multi_country_min_designing_states": "at least three Member States",
         "multi_country_min_states_sme": "at least two Member States",
         "multi_country_min_states_large": "at least three Member States",
         "multi_country_min_dissemination_states": "at least three Member States",
         "feasibility_size_bonus.medium": "by 10 percentage points for medium-sized",
         "feasibility_size_bonus.small": "by 20 percentage points for small"}


def _raw_gber():
    return yaml.safe_load(Path(RULESET_DIR, "gber-651-2014-as-amended-2023-1315.yaml").read_text(encoding="utf-8"))


def test_article_25_6_and_7_values_are_verified_with_their_quote():
    section = _raw_gber()["values"]["r_and_d_projects"]
    for key in OWNED:
        node = section
        for part in key.split("."):
            node = node[part]
        assert node["verified"] is True, key
        assert node["quote"]["language"] == "en" and "02014R0651-20230701" in node["quote"]["source"], key
        assert WORDS[key] in node["quote"]["text"], key
        # Paragraph 6 was replaced by 2023/1315 (marked so in the consolidated text); paragraph 7 was not.
        assert (node["reference"].get("amended_by") == "(EU) 2023/1315") == (node["reference"]["paragraph"] == "6")


def _params(node, path=""):
    if isinstance(node, dict) and "value" in node and "reference" in node:
        yield path, node
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _params(child, f"{path}.{key}" if path else key)


def test_no_ruleset_value_is_verified_without_a_quote():
    for file in Path(RULESET_DIR).glob("*.yaml"):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path, param in _params(data["values"]):
            if param.get("verified"):
                assert param.get("quote", {}).get("text"), f"{file.name}: {path}"
