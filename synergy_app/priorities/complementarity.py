"""Complementary regions: two regions that serve the same national/EU area with different strengths.

Pure core over the graph of `graph.build_graph` (no Flask, no database).

Overlap (graph.region_projection) says two regions match the same areas; complementarity says
they would bring *different* things to one of them. The definition, per area A:

- each region is represented on A by its best-matching priority, and takes part only when that
  match scores at least `min_area_score` (a weak suggestion is no basis for a joint proposal);
- what a region *brings* to A is the set of NACE divisions of that priority (a group "C29.1"
  counts as its division "C29"; a section-only code such as "C" counts as itself);
- a code of one side is *covered* by the other side when the other has the same division, or the
  code is a section and the other has a division in it, or the code is a division and the other
  has its bare section (C and C24 say the same thing at two levels of detail: no complement);
- two regions complement each other on A when each brings at least one code the other does not
  cover: e.g. one brings basic metals (C24), the other computer programming (J62), to Hållbar industri;
- strength on A = min(score of region 1, score of region 2) × (uncovered codes of both sides) /
  (all codes of both sides): a link is only as strong as its weaker match, and counts fully only
  when neither side's codes are covered by the other. A pair's strength is the sum over the areas
  where it is complementary.

Each link is explained in Swedish and English: the area, each region's priority and the divisions
only that region brings, with their names when `code_labels` (code -> (sv, en)) is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from .graph import node

MAX_CODES_SHOWN = 3


@dataclass(frozen=True)
class Side:
    """One region's part in a complementary link: its priority on the area and what only it brings."""

    region: str
    region_label: str
    priority: str
    priority_title: str
    score: float
    brings: tuple[str, ...]  # NACE divisions the other region's priority lacks, sorted


@dataclass(frozen=True)
class ComplementLink:
    area: str
    area_label: str
    a: Side
    b: Side
    weight: float

    def explanation(
        self, lang: str = "sv", code_labels: Mapping[str, tuple[str, str]] | None = None, with_area: bool = True
    ) -> str:
        return explain_link(self, lang, code_labels, with_area)


@dataclass(frozen=True)
class ComplementPair:
    a: str
    b: str
    weight: float
    links: tuple[ComplementLink, ...]  # strongest first

    def explanation(self, lang: str = "sv", code_labels: Mapping[str, tuple[str, str]] | None = None) -> str:
        return " ".join(link.explanation(lang, code_labels) for link in self.links)


def divisions(codes: tuple[str, ...]) -> frozenset[str]:
    """The NACE divisions (or bare sections) of a priority's economic codes."""
    return frozenset(c.split(".")[0] for c in codes)


def uncovered(mine: frozenset[str], theirs: frozenset[str]) -> frozenset[str]:
    """My codes the other side does not cover (same division, or a section against its divisions)."""
    their_sections = {c[0] for c in theirs}
    out = set()
    for code in mine:
        if code in theirs:
            continue
        if len(code) == 1 and code in their_sections:
            continue
        if len(code) > 1 and code[0] in theirs:
            continue
        out.add(code)
    return frozenset(out)


def _best_per_region(graph: nx.Graph, area_node: str) -> dict[str, tuple[float, str]]:
    """region id -> (best score, priority node) among the region's priorities matching the area."""
    best: dict[str, tuple[float, str]] = {}
    for _, p, data in graph.edges(area_node, data=True):
        if data["kind"] != "match":
            continue
        region = next(n for n in graph.neighbors(p) if graph.nodes[n]["kind"] == "region")
        rid = graph.nodes[region]["id"]
        score = data["weight"]
        if rid not in best or (score, p) > best[rid]:
            best[rid] = (score, p)
    return best


def complementary_pairs(
    graph: nx.Graph, min_area_score: float = 0.25, links_per_pair: int = 3, min_weight: float = 0.0
) -> list[ComplementPair]:
    """Region pairs that complement each other (see the module docstring), strongest first."""
    by_pair: dict[tuple[str, str], list[ComplementLink]] = defaultdict(list)
    area_nodes = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "area")
    for area_node in area_nodes:
        best = {r: v for r, v in _best_per_region(graph, area_node).items() if v[0] >= min_area_score}
        regions = sorted(best)
        brings = {r: divisions(graph.nodes[best[r][1]]["item"].codes.economic) for r in regions}
        for i, r1 in enumerate(regions):
            if not brings[r1]:
                continue
            for r2 in regions[i + 1 :]:
                b1, b2 = brings[r1], brings[r2]
                only1, only2 = uncovered(b1, b2), uncovered(b2, b1)
                if not only1 or not only2:
                    continue
                weight = min(best[r1][0], best[r2][0]) * (len(only1) + len(only2)) / (len(b1) + len(b2))
                by_pair[(r1, r2)].append(
                    ComplementLink(
                        graph.nodes[area_node]["id"],
                        graph.nodes[area_node]["label"],
                        _side(graph, r1, best[r1], only1),
                        _side(graph, r2, best[r2], only2),
                        weight,
                    )
                )
    pairs = []
    for (r1, r2), links in by_pair.items():
        total = sum(link.weight for link in links)
        if total <= 0 or total < min_weight:
            continue
        links.sort(key=lambda link: (-link.weight, link.area_label))
        pairs.append(ComplementPair(r1, r2, total, tuple(links[:links_per_pair])))
    pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
    return pairs


def _side(graph: nx.Graph, region: str, best: tuple[float, str], only: frozenset[str]) -> Side:
    score, p = best
    return Side(
        region,
        graph.nodes[node("region", region)]["label"],
        graph.nodes[p]["id"],
        graph.nodes[p]["label"],
        score,
        tuple(sorted(only)),
    )


# --- explanations -------------------------------------------------------------------------------


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "sv" else text


def _codes(codes: tuple[str, ...], lang: str, code_labels: Mapping[str, tuple[str, str]] | None) -> str:
    shown = []
    for code in codes[:MAX_CODES_SHOWN]:
        pair = (code_labels or {}).get(code)
        # The name up to its first semicolon: "avfallshantering; återvinning" reads as "avfallshantering".
        name = ((pair[1] if lang == "en" else pair[0]) if pair else "").split(";")[0].strip()
        shown.append(f"{code} {name.lower()}" if name else code)
    more = len(codes) - MAX_CODES_SHOWN
    if more > 0:
        shown.append(f"{more} till" if lang == "sv" else f"{more} more")
    return ", ".join(shown)


def _end(text: str) -> str:
    """A sentence end, without doubling the dot of an abbreviation such as "o.d."."""
    return text if text.endswith(".") else text + "."


def explain_link(
    link: ComplementLink,
    lang: str = "sv",
    code_labels: Mapping[str, tuple[str, str]] | None = None,
    with_area: bool = True,
) -> str:
    """Why the link is complementary; `with_area` False leaves out the leading "<area>: "."""
    a, b = link.a, link.b
    lead = f"{link.area_label}: " if with_area else ""
    if lang == "en":
        return (
            f"{lead}{a.region_label} ({a.priority_title}, score {_number(a.score, lang)}) brings "
            f"{_codes(a.brings, lang, code_labels)}; {b.region_label} ({b.priority_title}, score "
            f"{_number(b.score, lang)}) brings {_end(_codes(b.brings, lang, code_labels))} "
            f"Complementarity {_number(link.weight, lang)}."
        )
    return (
        f"{lead}{a.region_label} ({a.priority_title}, poäng {_number(a.score, lang)}) bidrar med "
        f"{_codes(a.brings, lang, code_labels)}; {b.region_label} ({b.priority_title}, poäng "
        f"{_number(b.score, lang)}) bidrar med {_end(_codes(b.brings, lang, code_labels))} "
        f"Komplementaritet {_number(link.weight, lang)}."
    )
