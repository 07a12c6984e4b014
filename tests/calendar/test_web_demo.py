"""The demo layer: Vinnova's and Tillväxtverket's (ERUF) example calls on one timeline, with alignment flags."""

from __future__ import annotations

import re

from sqlalchemy import select

from synergy_app.calendar import queries
from synergy_app.calendar.demo import seed_demo
from synergy_app.calendar.models import Call, CoordinationSet


def test_demo_calls_on_one_timeline_with_flags(client, db_session, make_user, login):
    seed_demo()
    seed_demo()  # idempotent
    calls = list(db_session.scalars(select(Call).where(Call.title.like("[Exempel]%"))))
    assert len(calls) == 4 and all("Exempeldata" in (c.description or "") for c in calls)
    login(make_user("planner"))
    year = queries.today_local().year + 1
    page = client.get(f"/calendar/timeline?zoom=year&at={year}-06-01").get_data(as_text=True)
    assert 'data-funder="vinnova"' in page and 'data-funder="tillvaxtverket"' in page
    cset = db_session.scalar(select(CoordinationSet).where(CoordinationSet.name.like("[Exempel]%")))
    page = client.get(f"/calendar/coordinated/{cset.id}").get_data(as_text=True)
    assert "efter senaste projektstart" in page and "Minsta flytt som löser det" in page


def test_cli_imports_an_ics_file(app, db_session):
    from pathlib import Path

    from synergy_app.calendar.cli import import_calls

    fixture = Path(__file__).parent / "fixtures" / "google_all_day_rrule.ics"
    runner = app.test_cli_runner()
    result = runner.invoke(import_calls, [str(fixture), "--funder", "vinnova"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(import_calls, [str(fixture), "--funder", "vinnova"])
    assert again.exit_code == 0 and "create" not in again.output.split("Saved")[-1]


def test_a_suggested_move_reads_as_days_earlier_or_later_with_each_date_on_one_line(client, db_session, make_user,
                                                                                       login):
    seed_demo()
    login(make_user("planner"))
    cset = db_session.scalar(select(CoordinationSet).where(CoordinationSet.name.like("[Exempel]%")))
    page = client.get(f"/calendar/coordinated/{cset.id}").get_data(as_text=True)
    # The demo's July deadline is best moved 15 days earlier; a bare "(-15 dagar)" reads as a typo.
    assert "15 dagar tidigare" in page and "dagar senare" in page
    assert "(-" not in page
    # A date inside a warning's sentence must not wrap at its hyphens on a phone.
    assert re.search(r'\(<span class="date">\d{4}-07-15</span>\) infaller under juli', page)
