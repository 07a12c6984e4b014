"""A timeline people can read, and a month view for phones: the window opens on today and the next twelve
months, titles never cover bars or markers, a legend, July and public holidays shaded, a today line; the month
view lists its days on a phone. The drawn timeline is kept by the calendar's version and never stale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from synergy_app.calendar import queries, service
from synergy_app.calendar.call_data import CallData, Deadline
from synergy_app.calendar.timeline import (
    Zoom,
    add_months,
    bar_box,
    label_box,
    layout_timeline,
    marker_box,
    period_for,
    render_svg,
)

from .conftest import make_data


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))


def _crowded_calls() -> list[CallData]:
    """Forty calls of one funder, many overlapping and many short, with long titles."""
    calls = []
    for i in range(40):
        opens = date(2027, 1, 1) + timedelta(days=7 * i)
        calls.append(CallData(
            "vinnova", f"Utlysning nummer {i} om hållbar industriell omställning och digitalisering",
            reference=f"C{i}", opens_on=opens, deadlines=(Deadline("", opens + timedelta(days=10 + i % 5 * 20)),),
            decision_on=opens + timedelta(days=40), earliest_start=opens + timedelta(days=60)))
    return calls


def test_no_title_covers_a_bar_a_marker_or_another_title():
    layout = layout_timeline(_crowded_calls(), period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 1),
                             {"vinnova": "Vinnova"})
    [lane] = layout.lanes
    shapes = [bar_box(lane, b) for b in lane.bars] + [marker_box(lane, m) for m in lane.markers]
    labels = [label_box(lane, label) for label in lane.labels]
    assert len(labels) >= 20 and len(shapes) >= 80
    assert [(lb, s) for lb in labels for s in shapes if lb.overlaps(s)] == []
    assert [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlaps(b)] == []
    assert all(box.x + box.width <= layout.width for box in labels)
    # A shortened title carries the full one on hover and focus (its <title>).
    shortened = [label for label in lane.labels if label.text.endswith("…")]
    assert shortened
    svg = render_svg(layout)
    assert f"<title>{lane.bars[0].title} (" in svg


def test_window_is_the_month_of_today_and_the_twelve_after_it():
    period = period_for(Zoom.MONTHS, date(2027, 5, 17))
    assert period.start == date(2027, 5, 1) and period.end == date(2028, 5, 31)
    assert add_months(date(2027, 12, 31), 1) == date(2028, 1, 1)


def test_july_and_swedish_public_holidays_are_shaded():
    layout = layout_timeline([], period_for(Zoom.YEAR, date(2027, 1, 1)), date(2027, 3, 1))
    kinds = {(s.kind, s.on) for s in layout.shades}
    assert ("july", date(2027, 7, 1)) in kinds
    assert ("holiday", date(2027, 6, 6)) in kinds and ("holiday", date(2027, 12, 25)) in kinds
    assert not any(s.kind == "holiday" and s.on == date(2027, 1, 3) for s in layout.shades)  # a Sunday only
    svg = render_svg(layout)
    assert 'class="tl-july"' in svg and "Nationaldagen 2027-06-06" in svg
    assert "National Day 2027-06-06" in render_svg(layout, "en")


def test_page_opens_on_today_with_legend_today_line_and_holidays(client, planner, new_call):
    today = queries.today_local()
    new_call("NOW-1", title="Utlysning som pågår nu", opens_on=today - timedelta(days=3),
             deadlines=(Deadline("", today + timedelta(days=30)),), decision_on=today + timedelta(days=60),
             earliest_start=None, latest_start=None)
    page = client.get("/calendar/timeline").get_data(as_text=True)
    start = date(today.year, today.month, 1)
    end = add_months(today, 13) - timedelta(days=1)
    assert f"Utlysningar {start.isoformat()} – {end.isoformat()}" in page
    assert 'class="today"' in page and "Utlysning som pågår nu" in page
    legend = page.split('class="timeline-legend"', 1)[1].split("</section>", 1)[0]
    for shape in ("#mk-deadline", "#mk-decision", "#mk-start", "url(#pat-open)", "url(#pat-closed)"):
        assert shape in legend
    assert "Helgdag" in legend and "Juli" in legend
    assert 'class="tl-july"' in page and 'class="tl-holiday"' in page and "Helgdagar i perioden" in page
    english = client.get("/calendar/timeline?lang=en").get_data(as_text=True)
    assert "Public holiday" in english and "Deadline (diamond)" in english


def test_month_view_has_a_day_list_for_phones(client, planner, new_call):
    new_call("AG-1", title="Agendautlysning", opens_on=date(2027, 4, 1),
             deadlines=(Deadline("Steg 1", date(2027, 4, 15)),), decision_on=None, earliest_start=None,
             latest_start=None)
    page = client.get("/calendar/month?at=2027-04-01").get_data(as_text=True)
    agenda = page.split('class="month-agenda"', 1)[1].split("</section>", 1)[0]
    assert "Torsdag 2027-04-15" in agenda and "Agendautlysning" in agenda and "Steg 1" in agenda
    assert "Torsdag 2027-04-01" in agenda and "Fredag 2027-04-02" not in agenda  # only days with something on
    assert 'class="month-grid"' in page  # the seven columns stay for wider screens
    css = client.get("/static/css/app.css").get_data(as_text=True)
    rules = css.split("@media (max-width: 600px)", 1)[1][:200]
    assert ".month-agenda { display: block; }" in rules and ".month-table { display: none; }" in rules
    assert "overflow-wrap: normal" in css.split("/* calendar: year timeline legend", 1)[1]


def test_a_saved_call_shows_on_the_next_timeline_and_month(client, planner, new_call):
    new_call("CA-1", title="Första utlysningen")
    first = client.get("/calendar/timeline?zoom=year&at=2027-01-01").get_data(as_text=True)
    assert "Första utlysningen" in first and "Andra utlysningen" not in first
    client.get("/calendar/month?at=2027-04-01")
    service.save_call(make_data("CA-2", title="Andra utlysningen"), actor="test")
    assert "Andra utlysningen" in client.get("/calendar/timeline?zoom=year&at=2027-01-01").get_data(as_text=True)
    assert "Andra utlysningen" in client.get("/calendar/month?at=2027-04-01").get_data(as_text=True)
    service.save_call(make_data("CA-2", title="Andra utlysningen, nytt namn"), actor="test")
    page = client.get("/calendar/timeline?zoom=year&at=2027-01-01").get_data(as_text=True)
    assert "Andra utlysningen, nytt namn" in page
    service.archive_call(queries.get_call(int(queries.span_ids(date(2027, 1, 1), date(2027, 12, 31),
                                                              queries.CallFilters(q="nytt namn"))[0])),
                         actor="test")
    assert "nytt namn" not in client.get("/calendar/timeline?zoom=year&at=2027-01-01").get_data(as_text=True)


def test_a_kept_timeline_asks_the_database_less(client, planner, new_call):
    from tests.foundation.test_query_counts import building_pages, counted

    for i in range(12):
        new_call(f"QC-{i}", title=f"Räknad utlysning {i}")
    path = "/calendar/timeline?zoom=year&at=2027-01-01"
    with building_pages(client.application):  # the page itself is built twice; its drawing is kept
        with counted() as first:
            client.get(path)
        with counted() as second:
            page = client.get(path).get_data(as_text=True)
    assert "Räknad utlysning 11" in page
    assert len(second) < len(first)
    assert not any("FROM call_events" in s or "FROM call_event" in s for s in second)


def test_two_instances_on_one_database_never_show_a_stale_timeline(tmp_path):
    """Each instance keeps its own drawings (no Redis here); a write through one shows on the other at once."""
    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.auth import service as auth
    from synergy_app.core.seed import seed_reference
    from synergy_app.extensions import db
    from tests.conftest import TEST_PASSWORD

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost", "REDIS_URL": None,
                "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")}
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        upgrade()
        seed_reference()
        auth.create_user("planner@test.invalid", "planner", TEST_PASSWORD, actor="test", organisation="vinnova")
        service.save_call(make_data("TWO-1", title="Utlysning från första"), actor="test")
    clients = []
    for app in (first, second):
        client = app.test_client()
        client.post("/login", data={"email": "planner@test.invalid", "password": TEST_PASSWORD})
        clients.append(client)
    path = "/calendar/timeline?zoom=year&at=2027-01-01"
    for client in clients:
        page = client.get(path).get_data(as_text=True)
        assert "Utlysning från första" in page and "Utlysning från andra" not in page
    with second.app_context():
        service.save_call(make_data("TWO-2", title="Utlysning från andra"), actor="test")
    for client in clients:
        assert "Utlysning från andra" in client.get(path).get_data(as_text=True)
        assert "Utlysning från andra" in client.get("/calendar/month?at=2027-04-01").get_data(as_text=True)
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


@pytest.mark.browser
def test_in_a_browser_titles_clear_the_bars_and_a_phone_gets_the_day_list(client, planner, open_page, new_call):
    for i in range(6):
        new_call(f"BR-{i}", title=f"Utlysning med ett ganska långt namn om omställning nummer {i}",
                 opens_on=date(2027, 2, 1) + timedelta(days=9 * i),
                 deadlines=(Deadline("", date(2027, 3, 1) + timedelta(days=9 * i)),))
    page = open_page("/calendar/timeline?zoom=year&at=2027-01-01", 1280)
    found = page.evaluate("""() => {
        const svg = document.querySelector('.timeline-wrap svg');
        const box = e => e.getBBox();
        const labels = [...svg.querySelectorAll('text.tl-call')].map(box);
        const shapes = [...svg.querySelectorAll('.bar rect, .marker')].map(box);
        const bad = [];
        for (const l of labels) for (const s of shapes)
            if (l.x < s.x + s.width && s.x < l.x + l.width && l.y < s.y + s.height && s.y < l.y + l.height)
                bad.push([l.x, l.y, s.x, s.y]);
        const july = svg.querySelector('.tl-july');
        return [labels.length, shapes.length, bad, getComputedStyle(july).fill];
    }""")
    assert found[0] == 6 and found[1] >= 12 and found[2] == [], found
    assert found[3] != "rgb(0, 0, 0)"  # the stylesheet reaches the drawing
    wide = open_page("/calendar/month?at=2027-03-01", 1280)
    assert wide.is_visible(".month-grid") and not wide.is_visible(".month-agenda")
    phone = open_page("/calendar/month?at=2027-03-01", 390)
    assert phone.is_visible(".month-agenda") and not phone.is_visible(".month-grid")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Utlysning med ett ganska långt namn om omställning nummer 0" in phone.inner_text(".month-agenda")
