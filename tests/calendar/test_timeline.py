from datetime import date
from xml.etree import ElementTree

from synergy_app.calendar.call_data import CallData, CallStatus, Deadline, EventKind
from synergy_app.calendar.timeline import Zoom, layout_timeline, month_grid, period_for, render_svg


def call(ref, funder, opens, deadline, decision=None):
    return CallData(
        funder,
        f"Utlysning {ref}",
        reference=ref,
        opens_on=opens,
        deadlines=(Deadline("", deadline),),
        decision_on=decision,
    )


CALLS = [
    call("V1", "vinnova", date(2027, 2, 1), date(2027, 3, 30), date(2027, 6, 15)),
    call("V2", "vinnova", date(2027, 3, 1), date(2027, 4, 20)),  # overlaps V1: second row
    call("T1", "tillvaxtverket", date(2027, 3, 1), date(2027, 4, 15)),
    call("OLD", "vinnova", date(2025, 1, 1), date(2025, 2, 1)),
]
NAMES = {"vinnova": "Vinnova", "tillvaxtverket": "Tillväxtverket"}


def test_periods():
    assert period_for(Zoom.QUARTER, date(2027, 5, 17)).start == date(2027, 4, 1)
    assert period_for(Zoom.QUARTER, date(2027, 5, 17)).end == date(2027, 6, 30)
    assert period_for(Zoom.YEAR, date(2027, 5, 17)).days == 365


def test_one_lane_per_funder_with_stacked_overlaps_and_today():
    layout = layout_timeline(CALLS, period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 15), NAMES)
    assert [ln.label for ln in layout.lanes] == ["Tillväxtverket", "Vinnova"]
    vinnova = layout.lanes[1]
    assert vinnova.rows == 2 and [b.row for b in vinnova.bars] == [0, 1]
    assert [b.status for b in vinnova.bars] == [CallStatus.OPEN, CallStatus.OPEN]
    assert {m.kind for m in vinnova.markers} == {EventKind.DEADLINE, EventKind.DECISION}
    assert layout.today_x is not None and vinnova.bars[0].x < layout.today_x
    assert len(layout.ticks) == 12


def test_quarter_zoom_clips_bars_and_hides_today_outside():
    layout = layout_timeline(CALLS, period_for(Zoom.QUARTER, date(2027, 4, 1)), date(2027, 1, 5), NAMES)
    t1 = layout.lanes[0].bars[0]
    assert t1.clipped_start and not t1.clipped_end and t1.x == layout.label_width
    assert layout.today_x is None


def test_svg_is_accessible_and_escaped():
    calls = [*CALLS, call("X", "vinnova", date(2027, 5, 1), date(2027, 6, 1))]
    calls[-1] = CallData(
        "vinnova",
        "Forskning & <innovation>",
        reference="X",
        opens_on=date(2027, 5, 1),
        deadlines=(Deadline("", date(2027, 6, 1)),),
    )
    svg = render_svg(layout_timeline(calls, period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 15), NAMES))
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)  # well-formed even with & and < in titles
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "group"  # the bars are links; an image may hold no controls
    bars = root.findall(f".//{ns}g[@class]")
    bar_titles = [g.find(f"{ns}title").text for g in bars if g.get("class").startswith("bar")]
    assert "Forskning & <innovation> (Kommande): 2027-05-01 – 2027-06-01" in bar_titles
    assert "url(#pat-open)" in svg and "Idag" in svg
    assert "Today" in render_svg(
        layout_timeline(CALLS, period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 15), NAMES), lang="en"
    )


def test_month_grid_starts_on_monday_with_week_numbers():
    weeks = month_grid(2027, 3, CALLS, date(2027, 3, 15))
    assert weeks[0].days[0].on == date(2027, 3, 1) and weeks[0].iso_week == 9
    assert weeks[-1].days[-1].on == date(2027, 4, 4)
    day30 = next(d for w in weeks for d in w.days if d.on == date(2027, 3, 30))
    assert [(e.title, e.kind) for e in day30.entries] == [("Utlysning V1", EventKind.DEADLINE)]
    assert next(d for w in weeks for d in w.days if d.is_today).on == date(2027, 3, 15)
