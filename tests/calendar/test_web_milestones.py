"""Joint projects and snabbdialog meetings on the shared calendar: the call page lists the projects that
plan to apply, the timeline has lanes for project milestones and dialogue meetings (with a table beside
the SVG), and the month view shows both on their days."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from synergy_app.calendar.models import Call
from synergy_app.projects import public as projects_public
from synergy_app.projects.models import Project


@pytest.fixture
def demo(db_session):
    from synergy_app.calendar.demo import seed_demo as seed_calendar_demo
    from synergy_app.projects.demo import DEMO_CALL_IDENTITIES, DEMO_TITLE
    from synergy_app.projects.demo import seed_demo as seed_project_demo

    seed_calendar_demo()
    seed_project_demo()
    project = db_session.scalar(select(Project).where(Project.title == DEMO_TITLE))
    calls = list(db_session.scalars(select(Call).where(Call.identity.in_(DEMO_CALL_IDENTITIES))))
    return project, calls


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_call_page_lists_the_project(demo, client, reader):
    project, calls = demo
    for call in calls:
        page = _text(client.get(f"/calendar/calls/{call.id}"))
        assert "Projekt som söker i utlysningen" in page
        assert project.title in page and f'href="/projects/{project.id}"' in page


def test_projects_for_call_and_milestones_between(demo, app):
    project, calls = demo
    assert [p["title"] for p in projects_public.projects_for_call(calls[0].id)] == [project.title]
    assert projects_public.projects_for_call(999999) == []
    milestones = projects_public.milestones_between(project.grant_date, project.grant_date)
    grant = [m for m in milestones if m["project_id"] == project.id]
    assert [(m["kind"], m["date"]) for m in grant] == [("grant_date", project.grant_date)]
    assert grant[0]["summary"] == f"Beviljande: {project.title}"
    assert grant[0]["uid"].startswith(f"project-{project.id}-grant_date@")
    whole = projects_public.milestones_between(date(2000, 1, 1), date(2100, 1, 1))
    assert [m["date"] for m in whole] == sorted(m["date"] for m in whole)


def test_timeline_has_a_project_lane_and_table(demo, client, reader):
    project, _calls = demo
    day = project.grant_date
    page = _text(client.get(f"/calendar/timeline?zoom=year&at={day.isoformat()}"))
    assert 'class="lane entry-lane entry-lane-projects"' in page
    assert f"Beviljande: {project.title} {day.isoformat()}" in page  # the marker's <title>
    assert "Gemensamma projekt och snabbdialoger i perioden" in page
    assert f'<a href="/projects/{project.id}">Beviljande: {project.title}</a>' in page
    # A year without any milestone has no project lane.
    empty = _text(client.get("/calendar/timeline?zoom=year&at=2001-01-01"))
    assert "entry-lane-projects" not in empty and "Gemensamma projekt och snabbdialoger" not in empty


def test_month_view_shows_project_milestones(demo, client, reader):
    project, _calls = demo
    day = project.grant_date
    page = _text(client.get(f"/calendar/month?at={day.replace(day=1).isoformat()}"))
    assert 'class="entry entry-project"' in page
    assert f"Beviljande: {project.title}" in page and "(gemensamt projekt)" in page


def test_dialogue_meetings_on_the_timeline_and_month(client, reader, monkeypatch):
    from synergy_app.dialogues import public as dialogues_public

    meeting = {"uid": "round-1@test", "summary": "Snabbdialog Hållbar industri: Region Värmland",
               "start": datetime(2027, 3, 9, 8, 0, tzinfo=UTC), "end": datetime(2027, 3, 9, 9, 0, tzinfo=UTC),
               "url": "/dialogues/rounds/1", "sequence": 0, "location": None, "cancelled": False}
    cancelled = dict(meeting, uid="round-2@test", summary="Inställd dialog", cancelled=True)
    seen = []

    def between(start, end):
        seen.append((start, end))
        return [m for m in (meeting, cancelled) if start <= m["start"] < end]

    monkeypatch.setattr(dialogues_public, "calendar_entries_between", between)
    page = _text(client.get("/calendar/timeline?zoom=quarter&at=2027-03-01"))
    assert 'class="lane entry-lane entry-lane-dialogues"' in page
    assert "Snabbdialog Hållbar industri: Region Värmland 2027-03-09" in page
    assert '<a href="/dialogues/rounds/1">Snabbdialog Hållbar industri: Region Värmland</a>' in page
    assert "Inställd dialog" not in page
    assert all(s.tzinfo is not None and e.tzinfo is not None for s, e in seen)
    month = _text(client.get("/calendar/month?at=2027-03-01"))
    assert 'class="entry entry-dialogue"' in month and "Snabbdialog Hållbar industri: Region Värmland" in month
    other = _text(client.get("/calendar/timeline?zoom=quarter&at=2027-07-01"))
    assert "entry-lane-dialogues" not in other


def test_timeline_rows_keep_close_entries_apart():
    from synergy_app.calendar.timeline import Period, TimelineLayout, Zoom, add_entry_lane, render_svg

    period = Period(date(2027, 1, 1), date(2027, 12, 31), Zoom.YEAR)
    layout = TimelineLayout(period, 1000.0, 28.0, 180.0, [], [], date(2027, 6, 1), None)
    lane = add_entry_lane(layout, "projects", "Gemensamma projekt", [
        (date(2027, 3, 1), "A <b>", "/projects/1"), (date(2027, 3, 2), "B", None),
        (date(2027, 9, 1), "C", None), (date(2026, 12, 31), "outside", None)])
    assert [(p.label, p.row) for p in lane.points] == [("A <b>", 0), ("B", 1), ("C", 0)]
    assert lane.rows == 2 and layout.height == 28.0 + lane.height
    svg = render_svg(layout)
    assert "A &lt;b&gt;" in svg and "outside" not in svg
    assert add_entry_lane(layout, "dialogues", "Snabbdialoger", []) is None
