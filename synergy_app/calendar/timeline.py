"""Layout of the shared call timeline (one lane per funder) and the month grid, plus an SVG rendering.

The layout is plain data so the page, a PDF and tests use the same numbers; the SVG is accessible:
a labelled group (not role="img": its bars are links, and an image may hold no controls), a <title> on every
bar and marker, text labels, and status told by pattern as well as colour.
"""

from __future__ import annotations

import calendar as _calendar
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from html import escape

import holidays

from .call_data import (
    DEFAULT_FORTHCOMING_HORIZON_DAYS,
    EVENT_LABELS,
    STATUS_LABELS,
    CallData,
    CallStatus,
    EventKind,
    derive_status,
)


class Zoom(StrEnum):
    QUARTER = "quarter"
    YEAR = "year"
    # The month of the anchor day and the twelve after it: the page opens on today and the coming year.
    MONTHS = "months"


MONTHS_SV = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    zoom: Zoom

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (negative goes back)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_for(zoom: Zoom, anchor: date) -> Period:
    """The quarter or year containing `anchor`, or its month and the twelve after it."""
    if zoom == Zoom.MONTHS:
        return Period(date(anchor.year, anchor.month, 1), add_months(anchor, 13) - timedelta(days=1), zoom)
    if zoom == Zoom.YEAR:
        return Period(date(anchor.year, 1, 1), date(anchor.year, 12, 31), zoom)
    first_month = 3 * ((anchor.month - 1) // 3) + 1
    start = date(anchor.year, first_month, 1)
    last_month = first_month + 2
    end = date(anchor.year, last_month, _calendar.monthrange(anchor.year, last_month)[1])
    return Period(start, end, zoom)


@dataclass(frozen=True)
class Tick:
    x: float
    on: date
    label_sv: str
    label_en: str


@dataclass(frozen=True)
class Marker:
    kind: EventKind
    x: float
    on: date
    label: str
    row: int


@dataclass(frozen=True)
class Bar:
    call: str  # identity
    title: str
    x: float
    width: float
    opens: date
    closes: date
    status: CallStatus
    row: int  # sub-row inside the lane, so overlapping calls do not hide each other
    clipped_start: bool
    clipped_end: bool
    url: str | None = None


@dataclass(frozen=True)
class Label:
    """A call's title under its bar and markers, shortened to the room before the next call in its row."""

    call: str
    text: str  # as shown: the title, or the title shortened with "…" (the full title is in the <title>)
    x: float
    row: int


@dataclass(frozen=True)
class Shade:
    """A shaded stretch of the plot: a Swedish public holiday or July."""

    kind: str  # "holiday" or "july"
    x: float
    width: float
    on: date
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.width and other.x < self.x + self.width
                and self.y < other.y + other.height and other.y < self.y + self.height)


@dataclass
class Lane:
    funder_slug: str
    label: str
    y: float = 0.0
    rows: int = 1
    bars: list[Bar] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.rows * ROW_HEIGHT + LANE_PADDING


@dataclass
class TimelineLayout:
    period: Period
    width: float
    height: float
    label_width: float
    ticks: list[Tick]
    lanes: list[Lane]
    today: date
    today_x: float | None
    # Lanes for things other than calls (joint-project milestones, snabbdialog meetings), drawn below the funders.
    entry_lanes: list[EntryLane] = field(default_factory=list)
    shades: list[Shade] = field(default_factory=list)


@dataclass(frozen=True)
class EntryPoint:
    """One dated entry on an entry lane: a project milestone or a dialogue meeting."""

    x: float
    on: date
    label: str
    row: int
    url: str | None = None


@dataclass
class EntryLane:
    key: str  # "projects" or "dialogues": also the marker shape
    label: str
    y: float = 0.0
    rows: int = 1
    points: list[EntryPoint] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.rows * ENTRY_ROW_HEIGHT + LANE_PADDING


# A call's row: the bar and its markers on top, its title in a line of its own below them, so a label never
# covers a bar or a marker.
ROW_HEIGHT = 30.0
BAR_TOP = 3.0
BAR_HEIGHT = 12.0
MARKER_RADIUS = 6.0
LABEL_TOP = BAR_TOP + BAR_HEIGHT + 2.0
LABEL_HEIGHT = 11.0
LABEL_BASELINE = LABEL_TOP + 9.0
BAR_LABEL_FONT_SIZE = 10
# Average advance of a 10 px sans-serif character, on the generous side, for shortening bar labels.
BAR_LABEL_CHAR_WIDTH = 6.0
# Room kept free after a label before the next call in the same row.
LABEL_SPACING = 6.0
ENTRY_ROW_HEIGHT = 22.0
LANE_PADDING = 6.0
AXIS_HEIGHT = 28.0


def bar_box(lane: Lane, bar: Bar) -> Box:
    return Box(bar.x, lane.y + bar.row * ROW_HEIGHT + BAR_TOP, bar.width, BAR_HEIGHT)


def marker_box(lane: Lane, marker: Marker) -> Box:
    r = MARKER_RADIUS
    return Box(marker.x - r, lane.y + marker.row * ROW_HEIGHT + BAR_TOP + BAR_HEIGHT / 2 - r, 2 * r, 2 * r)


def label_box(lane: Lane, label: Label) -> Box:
    return Box(label.x, lane.y + label.row * ROW_HEIGHT + LABEL_TOP,
               len(label.text) * BAR_LABEL_CHAR_WIDTH, LABEL_HEIGHT)


def _calls_in_period(calls: Iterable[CallData], period: Period) -> list[tuple[CallData, list]]:
    """The calls with a date inside `period` and their events, by funder and then by opening, so greedy row
    packing gives a stable, readable stacking."""
    items = []
    for call in calls:
        bounds = _rough_bounds(call)
        if bounds is None or bounds[1] < period.start or bounds[0] > period.end:
            continue
        events = call.events()
        if not events:
            continue
        first, last = events[0].on, events[-1].on
        if last < period.start or first > period.end:
            continue
        items.append((call.opens_date or first, call, events))
    items.sort(key=lambda t: (t[1].funder_slug, t[0], t[1].identity))
    return [(call, events) for _, call, events in items]


def _pack_row(ends: list[float], span_start: float, span_end: float) -> int:
    """The first row of a lane free before `span_start` (a new one if none is), now taken until `span_end`."""
    row = next((i for i, end in enumerate(ends) if end < span_start), None)
    if row is None:
        ends.append(span_end)
        return len(ends) - 1
    ends[row] = span_end
    return row


def _month_ticks(period: Period, x_of) -> list[Tick]:
    ticks = []
    month = date(period.start.year, period.start.month, 1)
    while month <= period.end:
        ticks.append(
            Tick(
                x_of(month),
                month,
                f"{MONTHS_SV[month.month - 1]} {month.year}",
                f"{MONTHS_EN[month.month - 1]} {month.year}",
            )
        )
        month = add_months(month, 1)
    return ticks


@cache
def _holidays_of(year: int) -> tuple[tuple[date, str, str], ...]:
    sv = holidays.country_holidays("SE", years=year, language="sv")
    en = holidays.country_holidays("SE", years=year, language="en_US")
    return tuple(sorted((day, name, en.get(day, name)) for day, name in sv.items()))


def swedish_holidays(start: date, end: date) -> list[tuple[date, str, str]]:
    """Swedish public holidays in [start, end] (Sundays left out), with their Swedish and English names."""
    return [h for year in range(start.year, end.year + 1) for h in _holidays_of(year) if start <= h[0] <= end]


def _shades(period: Period, x_of, scale: float) -> list[Shade]:
    shades = []
    for year in range(period.start.year, period.end.year + 1):
        a, b = max(date(year, 7, 1), period.start), min(date(year, 7, 31), period.end)
        if a <= b:
            shades.append(Shade("july", x_of(a), ((b - a).days + 1) * scale, a, "juli", "July"))
    for day, sv, en in swedish_holidays(period.start, period.end):
        shades.append(Shade("holiday", x_of(day), max(scale, 2.0), day, sv, en))
    return shades


def _place_labels(lane: Lane, spans: list[tuple[int, float, str, str]], right: float) -> None:
    """Each call's title below its row, from where the call starts to where the next call in the row starts."""
    by_row: dict[int, list[tuple[float, str, str]]] = {}
    for row, x, call, title in spans:
        by_row.setdefault(row, []).append((x, call, title))
    for row, items in by_row.items():
        items.sort()
        for i, (x, call, title) in enumerate(items):
            end = items[i + 1][0] if i + 1 < len(items) else right
            room = end - x - LABEL_SPACING
            text = truncate_label(title, room + 4, BAR_LABEL_CHAR_WIDTH)
            if room >= 3 * BAR_LABEL_CHAR_WIDTH and len(text) * BAR_LABEL_CHAR_WIDTH <= room:
                lane.labels.append(Label(call, text, x, row))


def layout_timeline(
    calls: Iterable[CallData],
    period: Period,
    today: date,
    funder_names: Mapping[str, str] | None = None,
    width: float = 1000.0,
    label_width: float = 180.0,
    horizon_days: int = DEFAULT_FORTHCOMING_HORIZON_DAYS,
) -> TimelineLayout:
    """Place every call that touches `period`: its application window as a bar, its other dates as markers,
    its title below them."""
    funder_names = funder_names or {}
    plot_width = width - label_width
    scale = plot_width / period.days

    def x_of(day: date) -> float:
        return label_width + (day - period.start).days * scale

    lanes: dict[str, Lane] = {}
    row_ends: dict[str, list[float]] = {}
    spans: dict[str, list[tuple[int, float, str, str]]] = {}
    for call, events in _calls_in_period(calls, period):
        lane = lanes.get(call.funder_slug)
        if lane is None:
            lane = lanes[call.funder_slug] = Lane(
                call.funder_slug, funder_names.get(call.funder_slug, call.funder_slug)
            )
            row_ends[call.funder_slug] = []
            spans[call.funder_slug] = []
        opens = call.opens_date
        closes = call.last_deadline
        first = max(opens or events[0].on, period.start)
        start_x = x_of(first) - MARKER_RADIUS
        end_x = max(x_of(min(max(e.on for e in events), period.end)) + scale / 2 + MARKER_RADIUS,
                    start_x + MIN_LABEL_ROOM)
        row = _pack_row(row_ends[call.funder_slug], start_x, end_x)
        spans[call.funder_slug].append((row, x_of(first), call.identity, call.title))
        if opens is not None and closes is not None and not (closes < period.start or opens > period.end):
            a, b = max(opens, period.start), min(closes, period.end)
            lane.bars.append(
                Bar(
                    call.identity,
                    call.title,
                    x_of(a),
                    max((b - a).days + 1, 1) * scale,
                    opens,
                    closes,
                    derive_status(call, today, horizon_days),
                    row,
                    opens < period.start,
                    closes > period.end,
                    call.url,
                )
            )
        for ev in events:
            if ev.kind == EventKind.OPENING or not (period.start <= ev.on <= period.end):
                continue
            # The marker's own name only where the call gives one (a deadline's "Steg 1"); the call is its row's.
            own = ev.label if ev.label != EVENT_LABELS[ev.kind][0] else ""
            lane.markers.append(Marker(ev.kind, x_of(ev.on) + scale / 2, ev.on, own, row))

    ordered = sorted(lanes.values(), key=lambda ln: ln.label.lower())
    y = AXIS_HEIGHT
    for lane in ordered:
        lane.rows = max(1, len(row_ends[lane.funder_slug]))
        lane.y = y
        y += lane.height
        _place_labels(lane, spans[lane.funder_slug], width)

    ticks = _month_ticks(period, x_of)
    today_x = x_of(today) + scale / 2 if period.start <= today <= period.end else None
    return TimelineLayout(period, width, y, label_width, ticks, ordered, today, today_x,
                          shades=_shades(period, x_of, scale))


# A call keeps at least this much of its row, so a short call still has room for the start of its title.
MIN_LABEL_ROOM = 60.0


def add_entry_lane(
    layout: TimelineLayout, key: str, label: str, entries: Iterable[tuple[date, str, str | None]],
    min_gap: float = 14.0,
) -> EntryLane | None:
    """Add a lane of dated entries (day, label, url) below the funders' lanes; entries outside the period are
    left out. Entries closer than `min_gap` pixels go to the next row so none hides another. None if empty."""
    p = layout.period
    scale = (layout.width - layout.label_width) / p.days
    lane = EntryLane(key, label)
    # Entries come in date order, so a row once free stays free: the busy rows wait in a heap by their last x,
    # the free ones in a heap by number, and each entry takes the lowest free row (or a new one).
    busy: list[tuple[float, int]] = []
    free: list[int] = []
    rows = 0
    for on, text, url in sorted((e for e in entries if p.start <= e[0] <= p.end), key=lambda e: (e[0], e[1])):
        x = layout.label_width + (on - p.start).days * scale + scale / 2
        while busy and busy[0][0] + min_gap <= x:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        else:
            row, rows = rows, rows + 1
        heapq.heappush(busy, (x, row))
        lane.points.append(EntryPoint(x, on, text, row, url))
    if not lane.points:
        return None
    lane.rows = max(1, rows)
    lane.y = layout.height
    layout.height += lane.height
    layout.entry_lanes.append(lane)
    return lane


def _rough_bounds(call: CallData) -> tuple[date, date] | None:
    """First and last date of a call, a day wide, without time-zone work: a cheap filter for big lists."""
    days = [d for d in (call.decision_on, call.earliest_start, call.latest_start) if d is not None]
    for value in (call.opens_on, *(d.at for d in call.deadlines)):
        if value is not None:
            days.append(value.date() if isinstance(value, datetime) else value)
    if not days:
        return None
    return min(days) - timedelta(days=1), max(days) + timedelta(days=1)


# --- SVG -----------------------------------------------------------------------------------------
# Colours and strokes of the grid live in the stylesheet (classes tl-*); the markup carries what differs per
# item.
# Patterns make a bar's status readable without colour; markers are told apart by shape.

_DEFS = "".join(
    (
        "<defs>",
        '<pattern id="pat-open" width="6" height="6" patternUnits="userSpaceOnUse">',
        '<rect width="6" height="6" fill="#66bb6a"/></pattern>',
        '<pattern id="pat-forthcoming" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#bbdefb"/>',
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0d47a1" stroke-width="2"/></pattern>',
        '<pattern id="pat-planned" width="6" height="6" patternUnits="userSpaceOnUse">',
        '<rect width="6" height="6" fill="#f3e5f5"/><circle cx="3" cy="3" r="1.2" fill="#4a148c"/></pattern>',
        '<pattern id="pat-closed" width="6" height="6" patternUnits="userSpaceOnUse">',
        '<rect width="6" height="6" fill="#e0e0e0"/>',
        '<path d="M0 0L6 6M6 0L0 6" stroke="#757575" stroke-width="0.8"/></pattern>',
        # Marker shapes, drawn around (0, 0): a diamond for a deadline, a ring for a decision, a triangle
        # for a project start.
        '<path id="mk-deadline" d="M0-6L6 0L0 6L-6 0Z" fill="#b71c1c"/>',
        '<circle id="mk-decision" r="5" fill="#fff" stroke="#e65100" stroke-width="2.5"/>',
        '<path id="mk-start" d="M-5 5L0-5L5 5Z" fill="#006064"/>',
        "</defs>",
    )
)

_STATUS_STYLE = {
    # fill pattern id and stroke colour; patterns make status readable without colour.
    CallStatus.OPEN: ("pat-open", "#1b5e20"),
    CallStatus.FORTHCOMING: ("pat-forthcoming", "#0d47a1"),
    CallStatus.PLANNED: ("pat-planned", "#4a148c"),
    CallStatus.CLOSED: ("pat-closed", "#424242"),
}

MARKER_SYMBOL = {EventKind.DEADLINE: "mk-deadline", EventKind.DECISION: "mk-decision"}


def _n(value: float) -> str:
    """A coordinate rounded to a whole pixel (a tenth where it matters less than the bytes would)."""
    return str(round(value))


def render_lanes(layout: TimelineLayout, lang: str = "sv") -> str:
    """The funders' lanes as SVG markup: the heavy part of the timeline, the same for every reader of one
    calendar version, filter and language."""
    sv = lang == "sv"
    out = []
    for lane in layout.lanes:
        out.append(f'<g class="lane" data-funder="{escape(lane.funder_slug)}">')
        out.append(_lane_label(lane.label, lane.y, layout))
        out.append(f'<path class="tl-sep" d="M0 {_n(lane.y + lane.height)}H{_n(layout.width)}"/>')
        titles = {}
        bar_height = _n(BAR_HEIGHT)
        for status in CallStatus:
            bars = [bar for bar in lane.bars if bar.status == status]
            if not bars:
                continue
            pattern, stroke = _STATUS_STYLE[status]
            # Presentation attributes on one group per status: the page allows no inline styles.
            out.append(f'<g fill="url(#{pattern})" stroke="{stroke}">')
            label = STATUS_LABELS[status][0 if sv else 1]
            for bar in bars:
                y = lane.y + bar.row * ROW_HEIGHT + BAR_TOP
                tip = f"{bar.title} ({label}): {bar.opens.isoformat()} – {bar.closes.isoformat()}"
                titles[bar.call] = tip
                open_tag = f'<a href="{escape(bar.url)}">' if bar.url else ""
                out.append(
                    f'{open_tag}<g class="bar"><title>{escape(tip)}</title>'
                    f'<rect x="{_n(bar.x)}" y="{_n(y)}" width="{max(round(bar.width), 1)}" height="{bar_height}"/></g>'
                    f"{'</a>' if bar.url else ''}"
                )
            out.append("</g>")
        for m in lane.markers:
            y = lane.y + m.row * ROW_HEIGHT + BAR_TOP + BAR_HEIGHT / 2
            kind_label = EVENT_LABELS[m.kind][0 if sv else 1]
            tip = escape(f"{kind_label}{': ' + m.label if m.label else ''} {m.on.isoformat()}")
            symbol = MARKER_SYMBOL.get(m.kind, "mk-start")
            out.append(f'<g class="marker"><title>{tip}</title><use href="#{symbol}" x="{_n(m.x)}" y="{_n(y)}"/></g>')
        for label in lane.labels:
            y = lane.y + label.row * ROW_HEIGHT + LABEL_BASELINE
            full = titles.get(label.call)
            tip = f"<title>{escape(full)}</title>" if full and label.text.endswith("…") else ""
            out.append(f'<text class="tl-call" x="{_n(label.x)}" y="{_n(y)}">{tip}{escape(label.text)}</text>')
        out.append("</g>")
    return "".join(out)


def render_svg(layout: TimelineLayout, lang: str = "sv", lanes_markup: str | None = None) -> str:
    """The timeline as an inline SVG string (all text escaped). `lanes_markup` is `render_lanes` of the same
    layout, kept from an earlier page (the caller's cache), or None to draw it now."""
    sv = lang == "sv"
    p = layout.period
    height = _n(layout.height)
    title = ("Utlysningar " if sv else "Calls ") + f"{p.start.isoformat()} – {p.end.isoformat()}"
    # Scales to its container's width (the viewBox keeps the aspect); the page's CSS gives a minimum width and
    # sideways scrolling on a phone. Lane labels are clipped to their own column, left of the plot.
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="call-timeline" role="group" '
        f'aria-labelledby="tl-title" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}">',
        f'<title id="tl-title">{escape(title)}</title>',
        _DEFS,
        f'<clipPath id="tl-label-column"><rect x="0" y="0" width="{_label_room(layout):.0f}" '
        f'height="{height}"/></clipPath>',
        _grid(layout, sv),
        render_lanes(layout, lang) if lanes_markup is None else lanes_markup,
    ]
    for entry_lane in layout.entry_lanes:
        out.append(_entry_lane_svg(entry_lane, layout))
    if layout.today_x is not None:
        today = "Idag" if sv else "Today"
        out.append(
            f'<g class="today"><title>{today} {layout.today.isoformat()}</title>'
            f'<path class="tl-today" d="M{layout.today_x:.1f} {_n(AXIS_HEIGHT - 8)}V{height}"/>'
            f'<text x="{layout.today_x + 3:.1f}" y="{_n(AXIS_HEIGHT - 2)}">{today}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _grid(layout: TimelineLayout, sv: bool) -> str:
    """Every other month banded, July and public holidays shaded, a line and a name at each month's start."""
    height = layout.height - AXIS_HEIGHT
    out = ['<g class="tl-grid">']
    right = layout.width
    for i, tick in enumerate(layout.ticks):
        end = layout.ticks[i + 1].x if i + 1 < len(layout.ticks) else right
        if i % 2:
            out.append(f'<rect class="tl-band" x="{tick.x:.1f}" y="{_n(AXIS_HEIGHT)}" '
                       f'width="{end - tick.x:.1f}" height="{_n(height)}"/>')
    for shade in layout.shades:
        name = shade.name_sv if sv else shade.name_en
        out.append(f'<rect class="tl-{shade.kind}" x="{shade.x:.1f}" y="{_n(AXIS_HEIGHT)}" '
                   f'width="{shade.width:.1f}" height="{_n(height)}"><title>{escape(name)} '
                   f'{shade.on.isoformat() if shade.kind == "holiday" else shade.on.year}</title></rect>')
    for tick in layout.ticks:
        out.append(f'<path class="tl-month" d="M{tick.x:.1f} {_n(AXIS_HEIGHT - 6)}V{_n(layout.height)}"/>'
                   f'<text class="tl-tick" x="{tick.x + 3:.1f}" y="16">'
                   f'{escape(tick.label_sv if sv else tick.label_en)}</text>')
    out.append("</g>")
    return "".join(out)


# Room kept free between the label column and the plot: the widest marker (a 7 px star) centred on the
# period's first day reaches this far left of the plot's edge.
LABEL_GAP = 10.0
LABEL_FONT_SIZE = 12
# Average advance of a bold 12 px sans-serif character, on the generous side, for truncating labels.
LABEL_CHAR_WIDTH = 7.6


def _label_room(layout: TimelineLayout) -> float:
    return max(layout.label_width - LABEL_GAP, 0.0)


def truncate_label(text: str, room: float, char_width: float = LABEL_CHAR_WIDTH) -> str:
    """`text` shortened with an ellipsis so that it fits in `room` pixels (an estimate; the SVG also clips)."""
    limit = max(int((room - 4) // char_width), 1)
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _lane_label(label: str, y: float, layout: TimelineLayout) -> str:
    """A lane's name in the label column: truncated if long, the full name in a <title>, never over the plot."""
    short = truncate_label(label, _label_room(layout))
    return (
        f'<g class="lane-label" clip-path="url(#tl-label-column)"><title>{escape(label)}</title>'
        f'<text x="4" y="{_n(y + 16)}">{escape(short)}</text></g>'
    )


def _entry_lane_svg(lane: EntryLane, layout: TimelineLayout) -> str:
    width = layout.width
    out = [
        f'<g class="lane entry-lane entry-lane-{escape(lane.key)}">',
        f'<rect class="tl-entry-bg" x="0" y="{_n(lane.y)}" width="{_n(width)}" height="{_n(lane.height)}"/>',
        _lane_label(lane.label, lane.y, layout),
        f'<path class="tl-sep" d="M0 {_n(lane.y + lane.height)}H{_n(width)}"/>',
    ]
    for point in lane.points:
        y = lane.y + point.row * ENTRY_ROW_HEIGHT + ENTRY_ROW_HEIGHT / 2
        tip = escape(f"{point.label} {point.on.isoformat()}")
        shape = _entry_shape(lane.key, point.x, y)
        body = f'<g class="entry entry-{escape(lane.key)}"><title>{tip}</title>{shape}</g>'
        out.append(f'<a href="{escape(point.url)}">{body}</a>' if point.url else body)
    out.append("</g>")
    return "".join(out)


def _entry_shape(key: str, x: float, y: float) -> str:
    # A square for project milestones, a five-pointed outline (star) for dialogue meetings: told apart by shape.
    if key == "projects":
        return (f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#283593" '
                f'stroke="#ffffff" stroke-width="1"/>')
    points = " ".join(
        f"{x + r * _STAR[i][0]:.1f},{y + r * _STAR[i][1]:.1f}" for i, r in enumerate([7, 3] * 5)
    )
    return f'<polygon points="{points}" fill="#ad1457" stroke="#ffffff" stroke-width="0.8"/>'


_STAR = tuple(
    (math.sin(math.radians(36 * i)), -math.cos(math.radians(36 * i))) for i in range(10)
)


# --- Month view ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    call: str
    title: str
    kind: EventKind
    label: str


@dataclass
class Day:
    on: date
    in_month: bool
    is_today: bool
    entries: list[DayEntry] = field(default_factory=list)


@dataclass
class Week:
    iso_week: int  # Swedish calendars show week numbers
    days: list[Day]


def month_grid(year: int, month: int, calls: Iterable[CallData], today: date) -> list[Week]:
    """Weeks Monday to Sunday covering the month, each day with the call events on it."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    last = date(year, month, _calendar.monthrange(year, month)[1])
    end = last + timedelta(days=6 - last.weekday())
    by_day: dict[date, list[DayEntry]] = {}
    for call in calls:
        for ev in call.events():
            if start <= ev.on <= end:
                by_day.setdefault(ev.on, []).append(DayEntry(call.identity, call.title, ev.kind, ev.label))
    weeks: list[Week] = []
    day = start
    while day <= end:
        days = []
        for _ in range(7):
            entries = sorted(by_day.get(day, []), key=lambda e: (e.title, e.kind))
            days.append(Day(day, day.month == month, day == today, entries))
            day += timedelta(days=1)
        weeks.append(Week(days[0].on.isocalendar()[1], days))
    return weeks
