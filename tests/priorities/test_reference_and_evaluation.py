"""The shipped reference data as Items, the done-when example, and the evaluation metric."""

from pathlib import Path

import pytest
import yaml

from synergy_app.priorities.errors import InvalidInput
from synergy_app.priorities.evaluation import Link, evaluate
from synergy_app.priorities.graph import build_graph, regions_for_area
from synergy_app.priorities.matching import MatchWeights, match_all
from synergy_app.priorities.reference_items import load_reference_items

EVALUATION = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "match_evaluation.yaml"


@pytest.fixture(scope="module")
def reference():
    return load_reference_items()


def test_reference_data_loads_as_items(reference):
    assert len(reference.priorities) > 50 and len(reference.areas) > 40
    assert {p.kind for p in reference.priorities} == {"priority"}
    assert reference.region_labels["vastmanland"].endswith("Västmanland")
    assert "vinnova-hallbar-industri" in {a.id for a in reference.areas}


def test_hallbar_industri_puts_manufacturing_and_materials_regions_first(reference):
    """Done-when of the issue: a planner opening Hållbar industri sees manufacturing regions on top."""
    graph = build_graph(
        reference.priorities,
        reference.areas,
        match_all(reference.priorities, reference.areas, MatchWeights.load()),
        reference.region_labels,
        reference.organisation_labels,
    )
    top = regions_for_area(graph, "vinnova-hallbar-industri", top=5)
    assert len(top) == 5
    for rank in top:
        best = next(p for p in reference.priorities if p.id == rank.matches[0].priority_id)
        assert {"advanced_manufacturing", "materials"} & set(best.codes.policy), best.id
        assert rank.matches[0].explanation_sv


def test_loader_names_file_and_record_of_a_bad_priority(tmp_path):
    (tmp_path / "regions.yaml").write_text(
        yaml.safe_dump(
            {"regions": [{"slug": "gotland", "name": "Region Gotland", "priorities": [{"slug": "tom", "title": ""}]}]}
        )
    )
    with pytest.raises(InvalidInput) as err:
        load_reference_items(tmp_path)
    assert err.value.field.startswith("regions.yaml:gotland.priorities[0] (tom)")


def test_evaluation_file_refers_to_shipped_slugs(reference):
    data = yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
    areas = {a.id for a in reference.areas}
    for link in data["links"]:
        assert link["region"] in reference.region_labels, link
        assert link["area"] in areas, link
        assert link["section"] and link["area_mapping"] in ("source", "assigned")


def test_precision_and_recall_at_k_worked_example():
    links = [Link("a", "x"), Link("b", "x"), Link("c", "y")]
    ranking = {"x": ["a", "z", "b"], "y": ["z", "w"]}
    result = evaluate(links, lambda area: ranking[area], k=2)
    # x: top 2 = a, z -> 1 hit of 2; y: 0 hits. Precision (1/2 + 0/2) / 2, recall 1/3.
    assert result.precision == pytest.approx(0.25)
    assert result.recall == pytest.approx(1 / 3)
    assert result.missed == (Link("b", "x"), Link("c", "y"))
