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
TOP = 64
WIDTH = 980
LEFT_X = 300  # region dots
RIGHT_X = 660  # area dots
MAX_LABEL = 44

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
    },
}


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


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
    height = int(max(right_bottom, TOP + span) + 56)

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
        f'<text x="{LEFT_X}" y="30" text-anchor="end" font-size="14" font-weight="bold" fill="#1a1a1a">'
        f"{escape(t['regions'])}</text>",
        f'<text x="{RIGHT_X}" y="30" font-size="14" font-weight="bold" fill="#1a1a1a">{escape(t["areas"])}</text>',
        '<g class="edges" fill="none">',
    ]
    mid = (LEFT_X + RIGHT_X) / 2
    for r, a, score, decided in edges:
        y1, y2 = region_y[r], area_y[a]
        faded = focus is not None and focus not in (r, a)
        colour = "#1b7837" if decided else "#2166ac"
        opacity = 0.08 if faded else round(0.3 + 0.6 * min(score, 1.0), 2)
        width = round(0.75 + 7 * min(score, 1.0), 2)
        tip = f"{graph.nodes[r]['label']} – {graph.nodes[a]['label']}: {t['score']} {_num(score, lang)}" + (
            f" ({t['confirmed']})" if decided else ""
        )
        out.append(
            f'<path d="M{LEFT_X + 5} {y1:.1f} C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {RIGHT_X - 5} {y2:.1f}" '
            f'stroke="{colour}" stroke-opacity="{opacity}" stroke-width="{width}">'
            f"<title>{escape(tip)}</title></path>"
        )
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
            f'<text x="{RIGHT_X + 10}" y="{ay + 4:.1f}" fill="{fill}">{escape(_short(label))}</text></g>'
        )
    out.append("</g>")
    # Legend: three reference widths.
    ly = height - 24
    out.append(f'<g class="legend"><text x="20" y="{ly + 4}" fill="#1a1a1a">{escape(t["legend"])}</text>')
    for i, s in enumerate((0.25, 0.5, 0.75)):
        x = 80 + i * 110
        out.append(
            f'<line x1="{x}" y1="{ly}" x2="{x + 40}" y2="{ly}" stroke="#2166ac" '
            f'stroke-width="{0.75 + 7 * s}"/><text x="{x + 48}" y="{ly + 4}" fill="#1a1a1a">{_num(s, lang)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)
