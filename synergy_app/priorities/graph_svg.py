"""Server-rendered SVG of the region–area graph: no JavaScript, readable with 21 regions and 60 areas.

Regions in a left column, areas in a right column grouped under the organisation behind them,
one curve per region–area pair (its best priority match) with stroke width by score. Every
node and edge has a <title> (tooltip and screen-reader name); the picture as a whole has
role="img" and an aria-label, and the same facts are in the ranked lists and the matrix.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

ROW = 18  # px per area row: 12 px text with room to breathe
GROUP_GAP = 10
HEADER = 20
LEGEND_Y = 22  # the legend sits on top, where it is seen before the picture is scrolled
COLUMN_Y = 104  # the column headings
TOP = 122
WIDTH = 1130
LEFT_X = 270  # region dots
RIGHT_X = 700  # area dots
MAX_LABEL = 40  # region labels (right-aligned, left of LEFT_X)
MAX_AREA_LABEL = 62  # area labels have the room right of RIGHT_X
DECIDED = "#1b7837"
SUGGESTED = "#2166ac"

TEXT = {
    "sv": {
        "title": "Regioner och nationella/EU-områden",
        "desc": "Linjernas tjocklek visar matchningens styrka. Heldragen grön linje: bekräftad av handläggare.",
        "regions": "Regioner",
        "areas": "Områden",
        "no_match": "ingen matchning",
        "confirmed": "bekräftad",
        "score": "poäng",
        "legend": "Poäng",
        "decided": "bekräftad eller tillagd av handläggare",
        "region": "region",
        "area": "område",
        "grey": "grå text: ingen matchning över gränsen",
        "shown": "Visar matchningar med poäng minst {min}",
    },
    "en": {
        "title": "Regions and national/EU areas",
        "desc": "Line width shows the strength of the match. Solid green line: confirmed by a planner.",
        "regions": "Regions",
        "areas": "Areas",
        "no_match": "no match",
        "confirmed": "confirmed",
        "score": "score",
        "legend": "Score",
        "decided": "confirmed or added by a planner",
        "region": "region",
        "area": "area",
        "grey": "grey text: no match above the threshold",
        "shown": "Showing matches with a score of at least {min}",
    },
}


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _width(score: float) -> float:
    return round(0.5 + 4.5 * min(score, 1.0), 2)


def _num(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "sv" else text


def _edges(graph: nx.Graph) -> dict[tuple[str, str], tuple[float, bool]]:
    """(region node, area node) -> (best score, any planner-decided match)."""
    best: dict[tuple[str, str], tuple[float, bool]] = {}
    for u, v, data in graph.edges(data=True):
        if data["kind"] != "match":
            continue
        p, a = (u, v) if graph.nodes[u]["kind"] == "priority" else (v, u)
        region = next(n for n in graph.neighbors(p) if graph.nodes[n]["kind"] == "region")
        score, decided = best.get((region, a), (0.0, False))
        best[(region, a)] = (max(score, data["weight"]), decided or data["match"].decided)
    return best


def render_svg(graph: nx.Graph, lang: str = "sv", min_score: float = 0.0, focus: str | None = None) -> str:
    """The picture as an SVG string. `focus` ("region:<slug>" or "area:<id>") fades the other edges."""
    t = TEXT["sv" if lang == "sv" else "en"]
    regions = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] == "region"), key=lambda n: graph.nodes[n]["label"]
    )
    areas_by_org: dict[str, list[str]] = defaultdict(list)
    for n, d in graph.nodes(data=True):
        if d["kind"] == "area":
            org = next(o for o in graph.neighbors(n) if graph.nodes[o]["kind"] == "agency")
            areas_by_org[org].append(n)

    # Right column: organisation headers, then their areas.
    y = TOP
    area_y: dict[str, float] = {}
    headers: list[tuple[str, float]] = []
    for org in sorted(areas_by_org, key=lambda o: graph.nodes[o]["label"]):
        headers.append((org, y + 12))
        y += HEADER
        for a in sorted(areas_by_org[org], key=lambda n: graph.nodes[n]["label"]):
            area_y[a] = y + ROW / 2
            y += ROW
        y += GROUP_GAP
    right_bottom = y
    # Left column: regions spread over the same height, never closer than one row.
    span = max(right_bottom - TOP, ROW * len(regions))
    step = span / max(len(regions), 1)
    region_y = {r: TOP + step * (i + 0.5) for i, r in enumerate(regions)}
    height = int(max(right_bottom, TOP + span) + 24)

    edges = [(r, a, s, dec) for (r, a), (s, dec) in _edges(graph).items() if s >= min_score or dec]
    edges.sort(key=lambda e: (e[2], e[0], e[1]))  # strongest drawn last, on top
    linked = {e[0] for e in edges} | {e[1] for e in edges}

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label={quoteattr(t["title"] + ". " + t["desc"])} '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">',
        f"<title>{escape(t['title'])}</title>",
        f"<desc>{escape(t['desc'])}</desc>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        *_legend(t, lang, min_score),
        f'<text x="{LEFT_X}" y="{COLUMN_Y}" text-anchor="end" font-size="14" font-weight="bold" fill="#1a1a1a">'
        f"{escape(t['regions'])}</text>",
        f'<text x="{RIGHT_X}" y="{COLUMN_Y}" font-size="14" font-weight="bold" fill="#1a1a1a">'
        f"{escape(t['areas'])}</text>",
    ]
    # Suggestions first (weakest at the bottom, strongest on top), then the planners' decisions over them.
    suggested = [e for e in edges if not e[3]]
    decided = [e for e in edges if e[3]]
    for cls, group in (("edges", suggested), ("edges decided", decided)):
        out.append(f'<g class="{cls}" fill="none">')
        for r, a, score, is_decided in group:
            out.append(_edge(graph, t, lang, focus, region_y[r], area_y[a], r, a, score, is_decided))
        out.append("</g>")
    out.append('<g class="regions">')
    for r in regions:
        label = graph.nodes[r]["label"]
        fill = "#1a1a1a" if r in linked else "#595959"  # grey still passes 4.5:1 contrast on white
        tip = label if r in linked else f"{label} ({t['no_match']})"
        out.append(
            f"<g><title>{escape(tip)}</title>"
            f'<circle cx="{LEFT_X}" cy="{region_y[r]:.1f}" r="4" fill="#2166ac"/>'
            f'<text x="{LEFT_X - 10}" y="{region_y[r] + 4:.1f}" text-anchor="end" fill="{fill}">'
            f"{escape(_short(label))}</text></g>"
        )
    out.append("</g>")
    out.append('<g class="areas">')
    for org, hy in headers:
        out.append(
            f'<text x="{RIGHT_X - 8}" y="{hy:.1f}" font-weight="bold" fill="#1a1a1a">'
            f"{escape(_short(graph.nodes[org]['label']))}</text>"
        )
    for a, ay in area_y.items():
        label = graph.nodes[a]["label"]
        fill = "#1a1a1a" if a in linked else "#595959"
        tip = label if a in linked else f"{label} ({t['no_match']})"
        out.append(
            f"<g><title>{escape(tip)}</title>"
            f'<circle cx="{RIGHT_X}" cy="{ay:.1f}" r="4" fill="#b35806"/>'
            f'<text x="{RIGHT_X + 10}" y="{ay + 4:.1f}" fill="{fill}">'
            f"{escape(_short(label, MAX_AREA_LABEL))}</text></g>"
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _edge(graph, t, lang, focus, y1, y2, r, a, score, decided) -> str:
    mid = (LEFT_X + RIGHT_X) / 2
    faded = focus is not None and focus not in (r, a)
    if decided:
        colour, opacity, width = DECIDED, 0.95, max(_width(score), 2.5)
    else:
        colour, opacity, width = SUGGESTED, round(0.12 + 0.55 * min(score, 1.0), 2), _width(score)
    if faded:
        opacity = 0.06
    elif focus is not None:
        opacity = 0.95
    tip = f"{graph.nodes[r]['label']} – {graph.nodes[a]['label']}: {t['score']} {_num(score, lang)}" + (
        f" ({t['confirmed']})" if decided else ""
    )
    return (
        f'<path d="M{LEFT_X + 5} {y1:.1f} C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {RIGHT_X - 5} {y2:.1f}" '
        f'stroke="{colour}" stroke-opacity="{opacity}" stroke-width="{width}">'
        f"<title>{escape(tip)}</title></path>"
    )


def _legend(t: dict, lang: str, min_score: float) -> list[str]:
    """Two rows on top: line widths by score; then colours, dots and grey labels, each with words."""
    y1, y2 = LEGEND_Y, LEGEND_Y + 26
    out = [
        '<g class="legend" fill="#1a1a1a">',
        f'<text x="20" y="{y1 + 4}" font-weight="bold">{escape(t["legend"])}</text>',
    ]
    for i, s in enumerate((0.25, 0.5, 0.75, 1.0)):
        x = 80 + i * 100
        out.append(
            f'<line x1="{x}" y1="{y1}" x2="{x + 40}" y2="{y1}" stroke="{SUGGESTED}" stroke-width="{_width(s)}"/>'
            f'<text x="{x + 46}" y="{y1 + 4}">{_num(s, lang)}</text>'
        )
    out.append(f'<text x="500" y="{y1 + 4}">{escape(t["shown"].format(min=_num(min_score, lang)))}</text>')
    out.append(
        f'<line x1="20" y1="{y2}" x2="60" y2="{y2}" stroke="{DECIDED}" stroke-width="3"/>'
        f'<text x="66" y="{y2 + 4}">{escape(t["decided"])}</text>'
        f'<circle cx="370" cy="{y2}" r="4" fill="{SUGGESTED}"/><text x="380" y="{y2 + 4}">{escape(t["region"])}</text>'
        f'<circle cx="460" cy="{y2}" r="4" fill="#b35806"/><text x="470" y="{y2 + 4}">{escape(t["area"])}</text>'
        f'<text x="540" y="{y2 + 4}" fill="#595959">{escape(t["grey"])}</text>'
    )
    out.append("</g>")
    return out
