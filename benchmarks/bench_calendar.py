"""Call calendar at scale: 10,000 calls from 50 funders over 10 years."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from benchmarks.common import Figure, median_ms
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
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
