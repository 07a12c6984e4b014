"""Complementary regions: same national area, different NACE divisions; core, page and exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from synergy_app.priorities.complementarity import complementary_pairs, uncovered
from synergy_app.priorities.graph import build_graph
from synergy_app.priorities.matching import Match

from .conftest import area, priority

LABELS = {"C24": ("Stål- och metallframställning", "Manufacture of basic metals"),
          "J62": ("Dataprogrammering, datakonsultverksamhet o.d.", "Computer programming, consultancy")}


def _match(p, a, score):
    return Match(p.id, a.id, score, score, score, {"economic": score, "scientific": 0.0, "policy": 0.0})


@pytest.fixture
def graph():
    hi = area("hi", "vinnova", "Hållbar industri", economic=["C", "C24", "J62"])
    other = area("hav", "formas", "Hav", economic=["A03"])
    items = {
        "dalarna": priority("da-metall", "dalarna", "Metall", economic=["C24"]),
        "skane": priority("sk-tech", "skane", "Tech", economic=["J62", "C26"]),
        "gavleborg": priority("ga-stal", "gavleborg", "Stål", economic=["C24.1"]),
        "stockholm": priority("st-prod", "stockholm", "Produktion", economic=["C"]),
        "gotland": priority("go-weak", "gotland", "Svag", economic=["J63"]),
    }
    scores = {"dalarna": 0.5, "skane": 0.4, "gavleborg": 0.45, "stockholm": 0.6, "gotland": 0.1}
    matches = [_match(items[r], hi, s) for r, s in scores.items()]
    names = {r: f"Region {r.title()}" for r in items}
    return build_graph(list(items.values()), [hi, other], matches, names, {"vinnova": "Vinnova", "formas": "Formas"})


def test_regions_bringing_different_divisions_to_one_area_are_complementary(graph):
    pairs = {(p.a, p.b): p for p in complementary_pairs(graph)}
    assert ("dalarna", "skane") in pairs
    pair = pairs[("dalarna", "skane")]
    link = pair.links[0]
    assert link.area == "hi"
    assert link.a.brings == ("C24",) and link.b.brings == ("C26", "J62")
    # Weaker side 0.4, no division shared: full credit.
    assert pair.weight == pytest.approx(0.4)


def test_same_division_or_a_section_over_its_division_is_overlap_not_complement(graph):
    pairs = {(p.a, p.b) for p in complementary_pairs(graph)}
    assert ("dalarna", "gavleborg") not in pairs  # C24 and C24.1: the same division
    assert ("dalarna", "stockholm") not in pairs  # C covers C24
    assert uncovered(frozenset({"C"}), frozenset({"C24"})) == frozenset()
    assert uncovered(frozenset({"C24", "J62"}), frozenset({"C"})) == frozenset({"J62"})


def test_a_weak_match_takes_no_part(graph):
    assert not any("gotland" in (p.a, p.b) for p in complementary_pairs(graph))
    assert any("gotland" in (p.a, p.b) for p in complementary_pairs(graph, min_area_score=0.05))


def test_one_side_bringing_nothing_of_its_own_is_no_complement(graph):
    pairs = {(p.a, p.b): p for p in complementary_pairs(graph)}
    # Stockholm's bare section C is covered by Skåne's C26, so Stockholm brings nothing of its own.
    assert ("skane", "stockholm") not in pairs
    assert pairs[("gavleborg", "skane")].weight == pytest.approx(0.4)


def test_explanations_name_the_area_priorities_and_divisions_in_both_languages(graph):
    pair = next(p for p in complementary_pairs(graph) if (p.a, p.b) == ("dalarna", "skane"))
    sv = pair.explanation("sv", LABELS)
    en = pair.explanation("en", LABELS)
    assert sv.startswith("Hållbar industri: Region Dalarna (Metall, poäng 0,50) bidrar med C24 stål- och")
    assert "Region Skane (Tech, poäng 0,40) bidrar med C26, J62 dataprogrammering" in sv
    assert "datakonsultverksamhet o.d. Komplementaritet 0,40." in sv
    assert "brings C24 manufacture of basic metals" in en and "Complementarity 0.40." in en
    assert not pair.links[0].explanation("sv", with_area=False).startswith("Hållbar industri")


def test_order_is_stable_strongest_first(graph):
    pairs = complementary_pairs(graph)
    assert [p.weight for p in pairs] == sorted((p.weight for p in pairs), reverse=True)
    assert pairs == complementary_pairs(graph)


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


def test_collaboration_page_shows_both_kinds_with_explanations(client, reader):
    html = client.get("/priorities/collaboration").get_data(as_text=True)
    assert 'id="pairs"' in html and 'id="complements"' in html
    complements = html.split('id="complements"', 1)[1]
    assert "<caption>" in complements and 'scope="row"' in complements
    assert "bidrar med" in complements and "Komplementaritet" in complements
    assert "Inga kompletterande regionpar" not in complements


def test_collaboration_exports_carry_both_kinds(client, reader):
    text = client.get("/priorities/collaboration?format=csv").get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].endswith(";Typ")
    assert any(line.endswith(";överlappande") for line in lines)
    assert any(line.endswith(";kompletterande") and "bidrar med" in line for line in lines)
    response = client.get("/priorities/collaboration?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    kinds = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds == {"överlappande", "kompletterande"}


def test_partly_shared_divisions_scale_the_strength():
    hi = area("hi", "vinnova", "Hållbar industri", economic=["C24", "J62"])
    a = priority("a-1", "a", "A", economic=["C24", "C25"])
    b = priority("b-1", "b", "B", economic=["C24", "J62"])
    g = build_graph([a, b], [hi], [_match(a, hi, 0.5), _match(b, hi, 0.3)], {"a": "A", "b": "B"})
    (pair,) = complementary_pairs(g)
    # One code of each side is its own (C25, J62) out of four: 0.3 × 2 / 4.
    assert pair.weight == pytest.approx(0.15)
