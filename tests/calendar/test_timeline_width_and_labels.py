"""The call timeline fills its container, scrolls sideways on a phone, and keeps lane labels in their own
column: a long funder name is shortened (full name in a <title>) and never overlaps bars or markers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from synergy_app.calendar.call_data import CallData, Deadline
from synergy_app.calendar.timeline import Zoom, layout_timeline, period_for, render_svg

LONG_NAME = "Myndigheten för regional tillväxt, innovation och hållbar samhällsutveckling i Norden"
NS = "{http://www.w3.org/2000/svg}"


def test_svg_scales_to_its_container_and_truncates_long_lane_labels():
    calls = [CallData("long", "Utlysning A", reference="A", opens_on=date(2027, 1, 1),
                      deadlines=(Deadline("", date(2027, 1, 1)),), decision_on=date(2027, 1, 2))]
    layout = layout_timeline(calls, period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 1), {"long": LONG_NAME})
    root = ElementTree.fromstring(render_svg(layout))  # noqa: S314 (our own output)
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox") == f"0 0 {layout.width:.0f} {layout.height:.0f}"
    [label] = root.findall(f".//{NS}g[@class='lane-label']")
    assert label.find(f"{NS}title").text == LONG_NAME
    shown = label.find(f"{NS}text").text
    assert shown.endswith("…") and LONG_NAME.startswith(shown[:-1]) and len(shown) < len(LONG_NAME)
    assert label.get("clip-path") == "url(#tl-label-column)"
    clip = root.find(f".//{NS}clipPath[@id='tl-label-column']/{NS}rect")
    assert float(clip.get("width")) < layout.label_width - 6  # clear of a marker on the period's first day


@pytest.mark.browser
def test_timeline_fills_the_width_and_labels_stay_clear_of_bars(db_session, make_user, login, open_page, new_call):
    from synergy_app.directory.models import Organisation

    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    vinnova.name = LONG_NAME
    db_session.flush()
    new_call("EDGE-1", opens_on=date(2027, 1, 1),
             deadlines=(Deadline("", datetime(2027, 1, 1, 12, 0, tzinfo=UTC)),), decision_on=date(2027, 1, 3))
    new_call("EDGE-2", opens_on=date(2027, 1, 1))
    login(make_user("reader"))

    page = open_page("/calendar/timeline?zoom=year&at=2027-01-01", 1280)
    sizes = page.evaluate("""() => {
        const wrap = document.querySelector('.timeline-wrap'), svg = wrap.querySelector('svg');
        return [wrap.clientWidth, svg.getBoundingClientRect().width];
    }""")
    assert abs(sizes[0] - sizes[1]) <= 1, sizes
    overlaps = page.evaluate("""() => {
        const svg = document.querySelector('.timeline-wrap svg');
        const labels = [...svg.querySelectorAll('.lane-label text')].map(t => t.getBBox());
        const marks = [...svg.querySelectorAll('.bar rect, .marker, .entry')].map(m => m.getBBox());
        const bad = [];
        for (const l of labels) for (const m of marks) {
            if (l.x + l.width > m.x && l.y < m.y + m.height && m.y < l.y + l.height) bad.push([l.x + l.width, m.x]);
        }
        return [labels.length, marks.length, bad];
    }""")
    assert overlaps[0] >= 1 and overlaps[1] >= 3 and overlaps[2] == [], overlaps
    assert LONG_NAME in page.inner_html(".timeline-wrap")  # in the <title>

    phone = open_page("/calendar/timeline?zoom=year&at=2027-01-01", 390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = phone.evaluate("(() => { const w = document.querySelector('.timeline-wrap');"
                          " return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] >= 900 > wrap[1]  # legible: a minimum width, scrolled sideways inside its box
