"""Contributions between capabilities: a lower capability shows what a higher one registered, the app
factory wires every capability's registrations, and a point nobody contributed to gives the documented
nothing (never a failure hidden as an empty list)."""

from __future__ import annotations

import html
from datetime import date

import pytest

from synergy_app.calendar import public as calendar_public
from synergy_app.contributions import (
    ACCOUNT_ACCESS_ENDED,
    ACCOUNT_REMOVED,
    CALL_PROJECTS,
    DEMO_CONTENT,
    EXTENSION,
    OPEN_CALLS_FOR_AREAS,
    TIMELINE_ENTRIES,
    Point,
    Registry,
    contribution,
    contributions,
)
from synergy_app.projects import public as projects_public


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


@pytest.fixture
def own_registry(app, monkeypatch):
    """The app with an empty registry of its own for this test (the app's wiring comes back afterwards)."""
    fresh = Registry()
    monkeypatch.setitem(app.extensions, EXTENSION, fresh)
    return fresh


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_registry_keeps_registration_order_and_gives_nothing_for_an_empty_point():
    registry = Registry()
    point = Point("test.point", "fn() -> str")

    def first():
        return "first"

    def second():
        return "second"

    assert registry.functions(point) == ()
    registry.add(point, first)
    registry.add(point, second)
    assert registry.functions(point) == (first, second)
    assert registry.functions(Point("test.other", "fn() -> str")) == ()


def test_a_single_point_refuses_a_second_contribution():
    registry = Registry()
    point = Point("test.single", "fn() -> list", single=True)
    registry.add(point, list)
    with pytest.raises(ValueError, match="test.single takes one contribution"):
        registry.add(point, tuple)
    assert registry.functions(point) == (list,)


def test_the_app_factory_wires_every_capabilitys_contributions(app):
    with app.app_context():
        assert projects_public.milestones_between in contributions(TIMELINE_ENTRIES)
        assert projects_public.projects_for_call in contributions(CALL_PROJECTS)
        assert contribution(OPEN_CALLS_FOR_AREAS) is calendar_public.open_calls_for_areas
        demo = [f"{fn.__module__}.{fn.__name__}" for fn in contributions(DEMO_CONTENT)]
        ended = {f"{fn.__module__}.{fn.__name__}" for fn in contributions(ACCOUNT_ACCESS_ENDED)}
        removed = {f"{fn.__module__}.{fn.__name__}" for fn in contributions(ACCOUNT_REMOVED)}
    assert ended == {"synergy_app.calendar.service.revoke_feed_token"}
    assert removed == {"synergy_app.dialogues.service.forget_person",
                       "synergy_app.stateaid.rulings_service.forget_author"}
    # Accounts first (everything builds on them), the calendar's calls before the project that links them.
    assert demo == ["synergy_app.auth.demo.seed_demo", "synergy_app.priorities.demo.seed_demo",
                    "synergy_app.dialogues.demo.seed_demo", "synergy_app.dialogues.demo_followup.seed_demo_followup",
                    "synergy_app.calendar.demo.seed_demo", "synergy_app.projects.demo.seed_demo",
                    "synergy_app.stateaid.demo.seed_demo", "synergy_app.funding_profiles.demo.seed_demo"]


def test_a_registered_timeline_entry_appears_on_the_month_and_timeline(own_registry, client, reader):
    asked = []

    def entries(start: date, end: date) -> list[dict]:
        asked.append((start, end))
        on = date(2031, 5, 14)
        return [{"date": on, "summary": "Registrerad milstolpe", "url": "/projects/1"}] if start <= on <= end else []

    own_registry.add(TIMELINE_ENTRIES, entries)
    month = _page(client.get("/calendar/month?at=2031-05-01"))
    assert 'class="entry entry-project"' in month and "Registrerad milstolpe" in month
    timeline = _page(client.get("/calendar/timeline?zoom=quarter&at=2031-05-01"))
    assert "entry-lane-projects" in timeline and "Registrerad milstolpe" in timeline
    assert all(isinstance(s, date) and isinstance(e, date) and s <= e for s, e in asked)


def test_registered_call_projects_appear_on_the_call_page(own_registry, client, reader, new_call):
    call = new_call("REG-1")
    own_registry.add(CALL_PROJECTS, lambda call_id: [{"id": 7, "title": f"Projekt för {call_id}", "url": "/p/7"}])
    page = _page(client.get(f"/calendar/calls/{call.id}"))
    assert "Projekt som söker i utlysningen" in page and f"Projekt för {call.id}" in page


def test_without_contributions_the_pages_leave_those_parts_out(own_registry, client, reader, new_call):
    call = new_call("REG-2")
    page = _page(client.get(f"/calendar/calls/{call.id}"))
    assert "Projekt som söker i utlysningen" not in page
    timeline = _page(client.get("/calendar/timeline?zoom=year&at=2031-01-01"))
    assert "entry-lane-projects" not in timeline
    # No calendar contributes open calls: the region's matching page says the calendar will show them.
    region = _page(client.get("/priorities/regions/vastmanland"))
    assert "Utlysningskalendern visar öppna utlysningar här när den är på plats." in region


def test_with_the_calendar_wired_the_region_page_asks_it_for_open_calls(client, reader):
    region = _page(client.get("/priorities/regions/vastmanland"))
    assert "Utlysningskalendern visar öppna utlysningar här när den är på plats." not in region


def test_a_failing_contribution_is_not_swallowed(own_registry, client, reader, caplog):
    def broken(start, end):
        raise ImportError("a contribution that cannot run")

    own_registry.add(TIMELINE_ENTRIES, broken)
    with caplog.at_level("ERROR"):
        response = client.get("/calendar/month?at=2031-05-01")
    # The error page, and the cause in the log: not a month that quietly lacks its milestones.
    assert response.status_code == 500
    assert any("cannot run" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_seeding_demo_content_runs_each_registered_seed_in_order(own_registry, app):
    from synergy_app.core.cli import seed_demo_content

    own_registry.add(DEMO_CONTENT, lambda: "first")
    own_registry.add(DEMO_CONTENT, lambda: "second")
    with app.app_context():
        assert seed_demo_content() == ["first", "second"]
        own_registry._by_point.clear()
        assert seed_demo_content() == []


def test_deactivation_revokes_the_personal_feed_link(app, db_session, make_user):
    from synergy_app.auth.lifecycle import deactivate_user
    from synergy_app.calendar import service as calendar_service

    admin, user = make_user("admin"), make_user("planner")
    link = calendar_service.new_feed_token(user)
    assert calendar_service.user_for_feed_token(link) == user
    deactivate_user(user, actor=admin)
    assert not calendar_service.has_feed_token(user) and calendar_service.user_for_feed_token(link) is None


def test_removal_hands_each_contribution_the_account_and_its_placeholder(own_registry, app, db_session,
                                                                         make_user):
    from synergy_app.auth.lifecycle import placeholder_name, remove_user

    admin, user = make_user("admin"), make_user("planner")
    seen = []
    own_registry.add(ACCOUNT_ACCESS_ENDED, lambda u: seen.append(("ended", u.id)))
    own_registry.add(ACCOUNT_REMOVED, lambda u, placeholder: seen.append(("removed", u.id, placeholder)))
    remove_user(user, actor=admin)
    assert seen == [("ended", user.id), ("removed", user.id, placeholder_name(user))]
