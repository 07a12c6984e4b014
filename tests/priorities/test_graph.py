"""The graph: ranked regions for an area, ranked areas for a region, projection, themes, SVG."""

import xml.etree.ElementTree as ET

import pytest

from synergy_app.priorities.errors import UnknownId
from synergy_app.priorities.graph import (
    areas_for_region,
    build_graph,
    region_area_scores,
    region_projection,
    regions_for_area,
    render_svg,
    theme_view,
)
from synergy_app.priorities.matching import Decision, MatchWeights, build_corpus, match_all

from .conftest import priority

REGIONS = {
    "vastmanland": "Region Västmanland",
    "orebro": "Region Örebro",
    "gotland": "Region Gotland",
    "blekinge": "Region Blekinge",
    "kalmar": "Region Kalmar län",
}


@pytest.fixture
def items(hallbar_industri, ocean_mission):
    priorities = [
        priority(
            "vm-ind",
            "vastmanland",
            "Avancerad tillverkning",
            "Tillverkningsindustri och automation.",
            ("automation",),
            economic=["C28"],
            policy=["advanced_manufacturing"],
        ),
        priority(
            "vm-energi",
            "vastmanland",
            "Elektrifiering",
            "Elektrifiering och energisystem.",
            economic=["D35"],
            policy=["energy_production_and_distribution"],
        ),
        priority(
            "or-ind",
            "orebro",
            "Tillverkning och material",
            "Tillverkning av material och produktion.",
            ("material",),
            economic=["C24", "C25"],
            policy=["advanced_manufacturing", "materials"],
        ),
        priority(
            "bl-hav",
            "blekinge",
            "Blå ekonomi",
            "Hav, vatten och sjöfart.",
            ("hav", "vatten"),
            economic=["H50", "A03"],
            policy=["blue_growth"],
        ),
        priority(
            "ka-hav",
            "kalmar",
            "Havet och kusten",
            "Hav och vatten, fiske och vattenbruk.",
            ("hav",),
            economic=["A03"],
            policy=["blue_growth"],
        ),
        priority("go-tur", "gotland", "Besöksnäring", "Turism och upplevelser.", economic=["I55"], policy=["tourism"]),
    ]
    return priorities, [hallbar_industri, ocean_mission]


def graph_of(items, decisions=()):
    priorities, areas = items
    weights = MatchWeights.load()
    corpus = build_corpus([*priorities, *areas], weights)
    matches = match_all(priorities, areas, weights, decisions, corpus=corpus)
    return build_graph(priorities, areas, matches, REGIONS, {"vinnova": "Vinnova"}, corpus=corpus)


def test_regions_for_area_ranks_manufacturing_regions_with_their_priorities(items):
    ranks = regions_for_area(graph_of(items), "vinnova-hallbar-industri")
    assert {r.region for r in ranks[:2]} == {"vastmanland", "orebro"}
    assert "gotland" not in {r.region for r in ranks}
    vm = next(r for r in ranks if r.region == "vastmanland")
    assert vm.label == "Region Västmanland"
    assert vm.matches[0].priority_id == "vm-ind"
    assert vm.matches[0].explanation_sv


def test_top_limits_the_list(items):
    assert len(regions_for_area(graph_of(items), "vinnova-hallbar-industri", top=1)) == 1


def test_confirmed_match_puts_its_region_first(items):
    decisions = [Decision("go-tur", "vinnova-hallbar-industri", "added")]
    ranks = regions_for_area(graph_of(items, decisions), "vinnova-hallbar-industri")
    assert ranks[0].region == "gotland" and ranks[0].decided


def test_areas_for_region_names_the_organisation(items):
    ranks = areas_for_region(graph_of(items), "blekinge")
    assert ranks[0].area == "eu-mission-ocean"
    assert ranks[0].organisation == "european-commission"


def test_unknown_slug_lists_close_matches(items):
    with pytest.raises(UnknownId) as err:
        regions_for_area(graph_of(items), "vinnova-hallbar-industr")
    assert "vinnova-hallbar-industri" in err.value.suggestions
    assert "vinnova-hallbar-industri" in err.value.message_sv
    with pytest.raises(UnknownId) as err:
        areas_for_region(graph_of(items), "vastmanlnd")
    assert err.value.suggestions[0] == "vastmanland"


def test_projection_puts_regions_with_shared_priorities_together(items):
    projection = region_projection(graph_of(items))
    pair = next(p for p in projection.pairs if {p.a, p.b} == {"blekinge", "kalmar"})
    assert pair.themes[0].id == "eu-mission-ocean"
    assert any(t.kind == "policy" and t.id == "blue_growth" for t in pair.themes)
    assert set(projection.community_of("blekinge")) >= {"blekinge", "kalmar"}
    assert "vastmanland" not in projection.community_of("blekinge")
    assert set(projection.community_of("vastmanland")) >= {"vastmanland", "orebro"}
    # Same data, same groups: the community detection is seeded.
    assert region_projection(graph_of(items)).communities == projection.communities


def test_theme_view_by_policy_code_and_by_text(items):
    g = graph_of(items)
    view = theme_view(g, "blue_growth")
    assert view.matched_by == "policy"
    assert [r.region for r in view.regions] == ["blekinge", "kalmar"]
    assert view.groups[0].section == "A" and view.groups[0].regions == ("blekinge", "kalmar")
    text = theme_view(g, "havet")
    assert text.matched_by == "text"
    assert {r.region for r in text.regions} == {"blekinge", "kalmar"}


def test_matrix_cells_take_the_best_priority_of_a_region(items):
    cells = region_area_scores(graph_of(items))
    ranks = regions_for_area(graph_of(items), "vinnova-hallbar-industri")
    vm = next(r for r in ranks if r.region == "vastmanland")
    assert cells[("vastmanland", "vinnova-hallbar-industri")] == pytest.approx(vm.score)


def test_svg_is_well_formed_accessible_and_labelled(items):
    svg = render_svg(graph_of(items), lang="sv")
    root = ET.fromstring(svg)  # noqa: S314 -- our own output, not untrusted input
    assert root.get("role") == "img" and root.get("aria-label")
    text = "".join(root.itertext())
    assert "Region Västmanland" in text and "Hållbar industri" in text and "Vinnova" in text
    ns = "{http://www.w3.org/2000/svg}"
    edges = root.findall(f"{ns}g[@class='edges']/{ns}path")
    assert edges and all(e.find(f"{ns}title") is not None for e in edges)
    # The strongest edge is drawn widest.
    widths = [float(e.get("stroke-width")) for e in edges]
    assert widths == sorted(widths)
    assert "Regions" in render_svg(graph_of(items), lang="en")
