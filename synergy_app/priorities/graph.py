"""Regions, priorities, areas and the organisations behind the areas as one weighted networkx graph.

Nodes are strings "<kind>:<id>" (region:vastmanland, priority:…, area:vinnova-hallbar-industri,
agency:vinnova) with attributes `kind`, `id`, `label` (and `item` for priorities and areas).
Edges: region–priority and agency–area (kind "owns"); priority–area (kind "match", `weight` =
score, `match` = the Match). From it: ranked regions for an area, ranked areas for a region,
the region–region projection with communities, and theme views.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from .errors import UnknownId
from .matching import Item, Match, rank_key
from .text_similarity import TextCorpus, TextFields

COMMUNITY_SEED = 20230  # fixed so the same data always gives the same groups


def node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def build_graph(
    priorities: Sequence[Item],
    areas: Sequence[Item],
    matches: Iterable[Match],
    region_labels: Mapping[str, str] | None = None,
    organisation_labels: Mapping[str, str] | None = None,
    corpus: TextCorpus | None = None,
) -> nx.Graph:
    """The graph of one matching run. Labels default to the slugs; `corpus` enables text themes."""
    region_labels = region_labels or {}
    organisation_labels = organisation_labels or {}
    g = nx.Graph(corpus=corpus)
    for item in priorities:
        region = node("region", item.owner_id)
        if region not in g:
            g.add_node(region, kind="region", id=item.owner_id, label=region_labels.get(item.owner_id, item.owner_id))
        g.add_node(node("priority", item.id), kind="priority", id=item.id, label=item.title, item=item)
        g.add_edge(region, node("priority", item.id), kind="owns")
    for region_id, label in region_labels.items():
        # Regions without priorities still belong in the picture (and in the projection).
        if node("region", region_id) not in g:
            g.add_node(node("region", region_id), kind="region", id=region_id, label=label)
    for item in areas:
        agency = node("agency", item.owner_id)
        if agency not in g:
            g.add_node(
                agency, kind="agency", id=item.owner_id, label=organisation_labels.get(item.owner_id, item.owner_id)
            )
        g.add_node(node("area", item.id), kind="area", id=item.id, label=item.title, item=item)
        g.add_edge(agency, node("area", item.id), kind="owns")
    for m in matches:
        p, a = node("priority", m.priority_id), node("area", m.area_id)
        if p in g and a in g:
            g.add_edge(p, a, kind="match", weight=m.score, match=m)
    return g


def ids_of(graph: nx.Graph, kind: str) -> list[str]:
    return sorted(data["id"] for _, data in graph.nodes(data=True) if data["kind"] == kind)


def require(graph: nx.Graph, kind: str, ident: str) -> str:
    """The node of an id, or UnknownId listing the closest ids (for the CLI and API messages)."""
    n = node(kind, ident)
    if n in graph:
        return n
    known = ids_of(graph, kind)
    labels = {graph.nodes[node(kind, k)]["label"].lower(): k for k in known}
    close = difflib.get_close_matches(ident, known, n=5, cutoff=0.5)
    close += [labels[lab] for lab in difflib.get_close_matches(ident.lower(), list(labels), n=3, cutoff=0.5)]
    raise UnknownId(kind, ident, list(dict.fromkeys(close))[:5])


def _matches_of(graph: nx.Graph, item_node: str) -> list[Match]:
    return [data["match"] for _, _, data in graph.edges(item_node, data=True) if data["kind"] == "match"]


@dataclass(frozen=True)
class RegionRank:
    """A region to invite for an area: its best match decides the rank; all its matches are shown."""

    region: str
    label: str
    score: float
    decided: bool
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class AreaRank:
    area: str
    label: str
    organisation: str
    organisation_label: str
    score: float
    decided: bool
    matches: tuple[Match, ...]


def best_score(matches: Iterable[Match]) -> float:
    """The score of a region on an area (or of an area for a region): its best-scoring match.

    The one number the matrix cell, the ranked regions of an area and the ranked areas of a region
    all show. A planner's decision moves a pair up the ranking but never changes its score.
    """
    return max((m.score for m in matches), default=0.0)


def _owner(graph: nx.Graph, item_node: str, owner_kind: str) -> str:
    return next(n for n in graph.neighbors(item_node) if graph.nodes[n]["kind"] == owner_kind)


def regions_for_area(graph: nx.Graph, area_id: str, top: int | None = None) -> list[RegionRank]:
    """Regions ranked for a national/EU area, each with the priorities that match it (best first).

    A region with a confirmed or added match comes before suggested ones (planners' decisions
    are respected by every ranking); among equals the best score wins (`best_score`, the matrix
    cell's number), then the sum of scores (two matching priorities beat one), then the name.
    """
    area = require(graph, "area", area_id)
    by_region: dict[str, list[Match]] = defaultdict(list)
    for m in _matches_of(graph, area):
        by_region[_owner(graph, node("priority", m.priority_id), "region")].append(m)
    ranks = []
    for region, matches in by_region.items():
        matches.sort(key=rank_key)
        ranks.append(
            RegionRank(
                graph.nodes[region]["id"],
                graph.nodes[region]["label"],
                best_score(matches),
                any(m.decided for m in matches),
                tuple(matches),
            )
        )
    ranks.sort(key=lambda r: (not r.decided, -r.score, -sum(m.score for m in r.matches), r.label))
    return ranks[:top] if top else ranks


def areas_for_region(graph: nx.Graph, region_id: str, top: int | None = None) -> list[AreaRank]:
    """National and EU areas ranked for a region, with the organisation behind each and the matches."""
    region = require(graph, "region", region_id)
    by_area: dict[str, list[Match]] = defaultdict(list)
    for p in graph.neighbors(region):
        if graph.nodes[p]["kind"] == "priority":
            for m in _matches_of(graph, p):
                by_area[node("area", m.area_id)].append(m)
    ranks = []
    for area, matches in by_area.items():
        matches.sort(key=rank_key)
        org = _owner(graph, area, "agency")
        ranks.append(
            AreaRank(
                graph.nodes[area]["id"],
                graph.nodes[area]["label"],
                graph.nodes[org]["id"],
                graph.nodes[org]["label"],
                best_score(matches),
                any(m.decided for m in matches),
                tuple(matches),
            )
        )
    ranks.sort(key=lambda r: (not r.decided, -r.score, -sum(m.score for m in r.matches), r.label))
    return ranks[:top] if top else ranks


def region_area_scores(graph: nx.Graph) -> dict[tuple[str, str], float]:
    """(region, area) -> the best score of the region's priorities on that area: the matrix cells."""
    by_cell: dict[tuple[str, str], list[Match]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        if data["kind"] != "match":
            continue
        m: Match = data["match"]
        p = graph.nodes[u] if graph.nodes[u]["kind"] == "priority" else graph.nodes[v]
        by_cell[(p["item"].owner_id, m.area_id)].append(m)
    return {key: best_score(matches) for key, matches in by_cell.items()}


# --- region–region projection ------------------------------------------------------------------


@dataclass(frozen=True)
class SharedTheme:
    """Something two regions both match: a national/EU area, or a policy objective both prioritise."""

    kind: str  # "area" or "policy"
    id: str
    label: str
    weight: float


@dataclass(frozen=True)
class RegionPair:
    a: str
    b: str
    weight: float
    themes: tuple[SharedTheme, ...]


@dataclass(frozen=True)
class RegionProjection:
    pairs: tuple[RegionPair, ...]
    communities: tuple[tuple[str, ...], ...]

    def community_of(self, region: str) -> tuple[str, ...]:
        return next((c for c in self.communities if region in c), ())


def region_projection(
    graph: nx.Graph,
    min_weight: float = 0.0,
    seed: int = COMMUNITY_SEED,
    resolution: float = 1.0,
    themes_per_pair: int = 5,
    min_area_score: float = 0.25,
) -> RegionProjection:
    """Regions linked by the areas they both match, grouped by Louvain community detection.

    Pair weight: for every area both regions match, the smaller of their two best scores (a link
    is only as strong as its weaker side), summed over areas. The themes of a pair are those
    areas, strongest first, then the policy objectives both regions' priorities carry. Pairs
    below `min_weight` are left out of the communities too. An area links two regions only when
    both score at least `min_area_score` on it: weak suggestions would tie every region to every
    other and blur the groups.
    """
    cells = region_area_scores(graph)
    by_area: dict[str, dict[str, float]] = defaultdict(dict)
    for (region, area), score in cells.items():
        if score >= min_area_score:
            by_area[area][region] = score
    pair_themes: dict[tuple[str, str], list[SharedTheme]] = defaultdict(list)
    for area, scores in by_area.items():
        regions = sorted(scores)
        label = graph.nodes[node("area", area)]["label"]
        for i, r1 in enumerate(regions):
            for r2 in regions[i + 1 :]:
                pair_themes[(r1, r2)].append(SharedTheme("area", area, label, min(scores[r1], scores[r2])))
    policies = _region_policies(graph)
    projection = nx.Graph()
    projection.add_nodes_from(ids_of(graph, "region"))
    pairs = []
    for (r1, r2), themes in pair_themes.items():
        weight = sum(t.weight for t in themes)
        if weight < min_weight or weight <= 0:
            continue
        themes.sort(key=lambda t: (-t.weight, t.label))
        common = sorted(policies.get(r1, set()) & policies.get(r2, set()))
        shown = tuple(themes[:themes_per_pair]) + tuple(SharedTheme("policy", c, c, 0.0) for c in common)
        pairs.append(RegionPair(r1, r2, weight, shown))
        projection.add_edge(r1, r2, weight=weight)
    pairs.sort(key=lambda p: (-p.weight, p.a, p.b))
    communities = nx.community.louvain_communities(projection, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted((tuple(sorted(c)) for c in communities), key=lambda c: (-len(c), c))
    return RegionProjection(tuple(pairs), tuple(ordered))


def _region_policies(graph: nx.Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for _, data in graph.nodes(data=True):
        if data["kind"] == "priority":
            out[data["item"].owner_id].update(data["item"].codes.policy)
    return out


# --- theme view ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRegion:
    region: str
    label: str
    priorities: tuple[tuple[str, str], ...]  # (priority id, title)


@dataclass(frozen=True)
class ThemeGroup:
    """Regions of a theme that share a NACE section ("-" for priorities without economic codes)."""

    section: str
    regions: tuple[str, ...]


@dataclass(frozen=True)
class ThemeView:
    theme: str
    matched_by: str  # "policy", "economic", "area" or "text"
    regions: tuple[ThemeRegion, ...]
    groups: tuple[ThemeGroup, ...]


def theme_view(
    graph: nx.Graph, theme: str, policy_codes: Iterable[str] | None = None, min_text_score: float = 0.1
) -> ThemeView:
    """All regions that prioritised a theme (for a "tematisk kraftsamling"), grouped by NACE section.

    `theme` is a policy objective slug (a priority carries it), a NACE section or division
    ("C", "C29": a priority is coded with it), an area id (a priority matches
    that area), or free text (a priority's text is similar to it, needs the graph's corpus).
    `policy_codes` lets the caller pass the vocabulary so a known slug is never read as text.
    """
    priorities = [data["item"] for _, data in graph.nodes(data=True) if data["kind"] == "priority"]
    known_policies = set(policy_codes or ()) | {c for p in priorities for c in p.codes.policy}
    if theme in known_policies:
        chosen, matched_by = [p for p in priorities if theme in p.codes.policy], "policy"
    elif _NACE_THEME.match(theme):
        # A NACE section ("C") takes every division in it; a division ("C29") itself and its groups.
        chosen = [p for p in priorities if any(_in_nace(c, theme) for c in p.codes.economic)]
        matched_by = "economic"
    elif node("area", theme) in graph:
        ids = {m.priority_id for m in _matches_of(graph, node("area", theme))}
        chosen, matched_by = [p for p in priorities if p.id in ids], "area"
    else:
        corpus: TextCorpus | None = graph.graph.get("corpus")
        if corpus is None:
            raise UnknownId("theme", theme, difflib.get_close_matches(theme, sorted(known_policies), n=5))
        query = corpus.vector_for(TextFields(title=theme))
        chosen = [
            p
            for p in priorities
            if p.id in corpus.vectors and _dot(query.weights, corpus.vectors[p.id].weights) >= min_text_score
        ]
        matched_by = "text"
    by_region: dict[str, list[Item]] = defaultdict(list)
    for p in chosen:
        by_region[p.owner_id].append(p)
    regions = tuple(
        ThemeRegion(
            r,
            graph.nodes[node("region", r)]["label"],
            tuple((p.id, p.title) for p in sorted(items, key=lambda i: i.id)),
        )
        for r, items in sorted(by_region.items(), key=lambda kv: graph.nodes[node("region", kv[0])]["label"])
    )
    sections: dict[str, set[str]] = defaultdict(set)
    for p in chosen:
        for section in {c[0] for c in p.codes.economic} or {"-"}:
            sections[section].add(p.owner_id)
    groups = tuple(
        ThemeGroup(s, tuple(sorted(rs)))
        for s, rs in sorted(sections.items(), key=lambda kv: (kv[0] == "-", -len(kv[1]), kv[0]))
    )
    return ThemeView(theme, matched_by, regions, groups)


_NACE_THEME = re.compile(r"^[A-U](\d{2})?$")


def _in_nace(code: str, theme: str) -> bool:
    return code[0] == theme if len(theme) == 1 else code.split(".")[0] == theme


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return sum(w * b[k] for k, w in a.items() if k in b)


def render_svg(graph: nx.Graph, lang: str = "sv", min_score: float = 0.0, focus: str | None = None) -> str:
    """The region–area picture as SVG; see graph_svg (kept apart: layout is not graph logic)."""
    from .graph_svg import render_svg as _render

    return _render(graph, lang=lang, min_score=min_score, focus=focus)
