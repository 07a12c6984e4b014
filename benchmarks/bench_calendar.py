"""Call calendar at scale: 10,000 calls from 50 funders over 10 years."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from benchmarks.common import BENCH_PASSWORD, Figure, median_ms
from synergy_app.calendar.call_data import CallData, Deadline
from synergy_app.calendar.export_ics import calls_to_ics
from synergy_app.calendar.import_ics import parse_ics
from synergy_app.calendar.timeline import Zoom, layout_timeline, period_for, render_svg


def make_calls(n: int = 10_000, funders: int = 50, years: int = 10, seed: int = 7) -> list[CallData]:
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    calls = []
    for i in range(n):
        opens = start + timedelta(days=rng.randrange(365 * years))
        deadline = opens + timedelta(days=rng.randrange(30, 120))
        timed = rng.random() < 0.5
        at = datetime(deadline.year, deadline.month, deadline.day, 12, 0, tzinfo=UTC) if timed else deadline
        calls.append(
            CallData(
                funder_slug=f"funder-{i % funders:02d}",
                title=f"Utlysning {i}",
                reference=f"R-{i}",
                opens_on=opens,
                deadlines=(Deadline("", at),),
                decision_on=deadline + timedelta(days=rng.randrange(30, 90)),
                latest_start=deadline + timedelta(days=rng.randrange(120, 200)),
                themes=(f"tema-{i % 20}",),
            )
        )
    return calls


def _page_figures(calls: list[CallData]) -> list[Figure]:
    """List and timeline PAGE server time for a year's view, Flask test client on a temporary SQLite database."""
    import tempfile
    from pathlib import Path

    from flask_migrate import upgrade
    from sqlalchemy import insert

    from synergy_app import create_app
    from synergy_app.auth import service as auth_service
    from synergy_app.calendar import service as calendar_service
    from synergy_app.calendar.call_data import local_date
    from synergy_app.calendar.models import Call, CallEventRecord, CallTheme
    from synergy_app.directory.models import Organisation
    from synergy_app.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="bench-calendar-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost"})
    with app.app_context():
        upgrade()
        slugs = sorted({c.funder_slug for c in calls})
        db.session.execute(insert(Organisation), [
            {"slug": s, "name": f"Finansiär {s[-2:]}", "kind": "funder", "is_funder": True} for s in slugs])
        ids = {o.slug: o.id for o in db.session.scalars(db.select(Organisation))}
        call_rows, event_rows, theme_rows = [], [], []
        for i, c in enumerate(calls, start=1):
            days = [e.on for e in c.events()]
            call_rows.append({"id": i, "identity": c.identity, "reference": c.reference,
                              "funder_id": ids[c.funder_slug],
                              "title": c.title, "revision": 0, "eligible_applicants": [], "archived": False,
                              "opens_on": c.opens_date, "last_deadline_on": c.last_deadline,
                              "starts_on": min(days), "ends_on": max(days)})
            for ev in c.events():
                event_rows.append({"call_id": i, "kind": ev.kind.value, "position": ev.index, "label": "",
                                   "on_date": local_date(ev.at), "at": ev.at if isinstance(ev.at, datetime) else None})
            theme_rows += [{"call_id": i, "slug": t, "kind": "free"} for t in c.themes]
        db.session.execute(insert(Call), call_rows)
        db.session.execute(insert(CallEventRecord), event_rows)
        db.session.execute(insert(CallTheme), theme_rows)
        db.session.commit()
        auth_service.create_user("bench@bench.invalid", "planner", BENCH_PASSWORD, organisation="vinnova",
                                 actor="bench")

        feed = calls_to_ics(calls[:2_500], datetime(2026, 11, 1, tzinfo=UTC))
        started = time.perf_counter()
        preview = calendar_service.preview_import(feed, "ics", "funder-00", today=date(2029, 6, 1))
        service_import_s = time.perf_counter() - started
        assert preview.ok, preview.file_errors

    client = app.test_client()
    # Through the login form, as a user would: sessions live on the server now.
    client.post("/login", data={"email": "bench@bench.invalid", "password": BENCH_PASSWORD})

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    year = "from=2029-01-01&to=2029-12-31"
    list_ms = median_ms(lambda: get(f"/calendar/?{year}"), repeat=5)
    timeline_ms = median_ms(lambda: get("/calendar/timeline?zoom=year&at=2029-06-01"), repeat=5)
    feed_ms = median_ms(lambda: get("/calendar/calls.ics"), repeat=3)
    return [
        Figure("calendar: list page, a year's calls of 10,000 (server)", list_ms, "ms", 300),
        Figure("calendar: timeline page, year view of 10,000 calls (server)", timeline_ms, "ms", 300),
        Figure("calendar: /calendar/calls.ics of all 10,000 calls (server)", feed_ms / 1000, "s", 2),
        Figure("calendar: import preview of 10,000 events incl. database checks", service_import_s, "s", 10),
    ]


def run() -> list[Figure]:
    calls = make_calls()
    year = period_for(Zoom.YEAR, date(2029, 6, 1))
    layout_ms = median_ms(lambda: layout_timeline(calls, year, date(2029, 6, 1)), repeat=5)
    svg_ms = median_ms(lambda: render_svg(layout_timeline(calls, year, date(2029, 6, 1))), repeat=5)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    export_ms = median_ms(lambda: calls_to_ics(calls, now), repeat=3)

    # 10,000 VEVENTs: 2,500 calls with opening, deadline, decision and latest start each.
    feed = calls_to_ics(calls[:2_500], now)
    funders = {c.funder_slug for c in calls}
    started = time.perf_counter()
    preview = parse_ics(feed, "funder-00", funders, window_start=date(2024, 1, 1), window_end=date(2036, 1, 1))
    import_s = time.perf_counter() - started
    assert preview.ok and len(preview.rows) == 2_500

    return [
        Figure("calendar: timeline layout, year view of 10,000 calls", layout_ms, "ms", 300),
        Figure("calendar: timeline layout + SVG, year view", svg_ms, "ms", 300),
        Figure("calendar: ICS export of 10,000 calls", export_ms / 1000, "s", 2),
        Figure("calendar: ICS import preview of 10,000 events", import_s, "s", 10),
        *_page_figures(calls),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
