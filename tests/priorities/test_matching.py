"""The matching engine: scores, explanations, weights from configuration and planners' decisions."""

import pytest

from synergy_app.priorities.codes import Codes
from synergy_app.priorities.errors import InvalidInput
from synergy_app.priorities.matching import (
    Decision,
    Item,
    MatchWeights,
    build_corpus,
    match_all,
    score_pair,
)

from .conftest import area, priority

ALL_PAIRS = MatchWeights.load({"minimum_score": 0.0})


def test_manufacturing_priority_beats_tourism_on_hallbar_industri(manufacturing, tourism, hallbar_industri):
    corpus = build_corpus([manufacturing, tourism, hallbar_industri], ALL_PAIRS)
    good = score_pair(manufacturing, hallbar_industri, ALL_PAIRS, corpus)
    poor = score_pair(tourism, hallbar_industri, ALL_PAIRS, corpus)
    assert good.score > 0.3
    assert poor.score == 0.0
    assert good.score > poor.score


def test_shared_codes_are_listed_per_axis_with_hierarchy(manufacturing, hallbar_industri):
    corpus = build_corpus([manufacturing, hallbar_industri], ALL_PAIRS)
    m = score_pair(manufacturing, hallbar_industri, ALL_PAIRS, corpus)
    labels = {axis: [s.label for s in shared] for axis, shared in m.shared_codes.items()}
    # C28 on both sides is exact; C27 only meets the section C (hierarchy credit).
    assert labels["economic"] == ["C28", "C27~C"]
    # 2.3 exact; the area's 2.5 is a sibling of 2.3 in field 2 (engineering and technology).
    assert labels["scientific"] == ["2.3", "2.3~2.5"]
    assert labels["policy"] == ["advanced_manufacturing"]
    # Worked example of the economic axis: C27->C 0.5, C28 1, C->C27 0.5, C28 1 over 4 codes.
    assert m.axis_scores["economic"] == pytest.approx(3.0 / 4)


def test_explanation_in_swedish_and_english(manufacturing, hallbar_industri):
    m = score_pair(
        manufacturing, hallbar_industri, ALL_PAIRS, build_corpus([manufacturing, hallbar_industri], ALL_PAIRS)
    )
    # Names from the vocabularies in the reader's language, the code beside; then the common words.
    assert m.explanation_sv == (
        "Delar tillverkning av övriga maskiner (C28) och tillverkning (C27), forskningsområdena maskinteknik (2.3)"
        " och teknik (2.5) och policymålet ”Avancerad tillverkning”; gemensamma ord: material, tillverkning, "
        "tillverkningsindustri, industri."
    ), m.explanation_sv
    assert m.explanation_en.startswith(
        "Shares manufacture of machinery and equipment n.e.c. (C28) and manufacturing (C27), the fields of research "
        "mechanical engineering (2.3) and engineering and technology (2.5), and the policy objective "
        "“Advanced manufacturing systems”; common terms: material, tillverkning"), m.explanation_en
    assert "advanced_manufacturing" not in m.explanation_sv + m.explanation_en
    data = m.to_dict()
    assert data["shared_codes"]["economic"][0] == {"priority": "C28", "area": "C28", "credit": 1.0}
    assert data["explanation"]["sv"] == m.explanation_sv


def test_match_all_ranks_best_first_and_drops_weak_pairs(
    manufacturing, tourism, marine, hallbar_industri, ocean_mission
):
    matches = match_all([manufacturing, tourism, marine], [hallbar_industri, ocean_mission], MatchWeights.load())
    pairs = [(m.priority_id, m.area_id) for m in matches]
    assert ("vm-tillverkning", "vinnova-hallbar-industri") in pairs
    assert ("blekinge-marin", "eu-mission-ocean") in pairs
    assert not any(p == "gotland-besoksnaring" for p, _ in pairs)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_match_all_agrees_with_score_pair(manufacturing, marine, hallbar_industri, ocean_mission):
    items = [manufacturing, marine, hallbar_industri, ocean_mission]
    corpus = build_corpus(items, ALL_PAIRS)
    for m in match_all([manufacturing, marine], [hallbar_industri, ocean_mission], ALL_PAIRS, corpus=corpus):
        p = manufacturing if m.priority_id == manufacturing.id else marine
        a = hallbar_industri if m.area_id == hallbar_industri.id else ocean_mission
        assert score_pair(p, a, ALL_PAIRS, corpus).score == pytest.approx(m.score)


def test_rejected_is_never_ranked_confirmed_and_added_always_first(
    manufacturing, tourism, marine, hallbar_industri, ocean_mission
):
    decisions = [
        Decision("vm-tillverkning", "vinnova-hallbar-industri", "rejected"),
        Decision("gotland-besoksnaring", "eu-mission-ocean", "added"),
        Decision("blekinge-marin", "vinnova-hallbar-industri", "confirmed"),
    ]
    matches = match_all(
        [manufacturing, tourism, marine], [hallbar_industri, ocean_mission], MatchWeights.load(), decisions
    )
    pairs = [(m.priority_id, m.area_id, m.decision) for m in matches]
    assert ("vm-tillverkning", "vinnova-hallbar-industri", None) not in pairs
    # Added pair scores zero but is shown, with the planner's decision, ahead of suggestions.
    assert set(pairs[:2]) == {
        ("gotland-besoksnaring", "eu-mission-ocean", "added"),
        ("blekinge-marin", "vinnova-hallbar-industri", "confirmed"),
    }
    added = next(m for m in matches if m.decision == "added")
    assert added.explanation_sv.endswith("Tillagd av handläggare.")


def test_a_later_decision_supersedes_an_earlier_one(manufacturing, hallbar_industri):
    decisions = [
        Decision("vm-tillverkning", "vinnova-hallbar-industri", "rejected"),
        Decision("vm-tillverkning", "vinnova-hallbar-industri", "confirmed"),
    ]
    [m] = match_all([manufacturing], [hallbar_industri], MatchWeights.load(), decisions)
    assert m.decision == "confirmed"


def test_weights_from_config_change_the_ranking():
    # p_text shares words with the area but no codes; p_codes shares codes but no words.
    a = area(
        "a",
        "vinnova",
        "Batterier och elektrifiering",
        "Batterier för elektrifiering.",
        policy=["energy_production_and_distribution"],
        economic=["C27"],
    )
    p_text = priority("p-text", "r1", "Batterier", "Batterier och elektrifiering av fordon.")
    p_codes = priority(
        "p-codes", "r2", "Kraftsystem", "Elnät.", policy=["energy_production_and_distribution"], economic=["C27"]
    )
    text_heavy = MatchWeights.load(
        {"text": 1.0, "economic": 0.05, "policy": 0.05, "scientific": 0.0, "minimum_score": 0.0}
    )
    code_heavy = MatchWeights.load({"text": 0.05, "economic": 1.0, "policy": 1.0, "minimum_score": 0.0})
    assert match_all([p_text, p_codes], [a], text_heavy)[0].priority_id == "p-text"
    assert match_all([p_text, p_codes], [a], code_heavy)[0].priority_id == "p-codes"


def test_weights_file_loads_and_bad_overrides_name_the_key():
    weights = MatchWeights.load()
    assert weights.total > 0 and 0 < weights.minimum_score < 1
    with pytest.raises(InvalidInput) as err:
        MatchWeights.load({"txt": 0.5})
    assert err.value.field == "txt"
    with pytest.raises(InvalidInput) as err:
        MatchWeights.load({"policy": -1})
    assert err.value.field == "policy"
    with pytest.raises(InvalidInput):
        MatchWeights.load({"economic": 0, "scientific": 0, "policy": 0, "text": 0})


def test_priority_without_text_or_codes_is_rejected_with_a_clear_message():
    with pytest.raises(InvalidInput) as err:
        Item("p", "priority", "gotland", title="  ", description="", keywords=())
    assert err.value.field == "title"
    assert "text" in err.value.message_sv and "kod" in err.value.message_sv
    assert "nothing to match" in err.value.message_en
    # Codes alone are enough to match on.
    Item("p", "priority", "gotland", codes=Codes(policy=("tourism",)))


def test_bad_codes_name_the_axis_and_are_normalised_when_good():
    codes = Codes.from_mapping({"economic": ["C.29", "c 28", "C29"], "scientific": ["2.3"], "policy": ["Blue-Growth"]})
    assert codes.economic == ("C29", "C28")
    assert codes.policy == ("blue_growth",)
    with pytest.raises(InvalidInput) as err:
        Codes.from_mapping({"scientific": ["9.9"]})
    assert err.value.field == "codes.scientific"
    with pytest.raises(InvalidInput) as err:
        Codes.from_mapping({"economy": ["C"]})
    assert err.value.field == "codes.economy"


def test_unknown_verdict_is_refused():
    with pytest.raises(InvalidInput) as err:
        Decision("p", "a", "maybe")
    assert err.value.field == "verdict"
