"""Calls from the calendar linked to a joint project: the alignment flags with their dates and smallest
shift on the project page, linking and unlinking, who may do it, and the demo project's two calls."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.calendar import public as calendar_public
from synergy_app.calendar.demo import seed_demo as seed_calendar_demo
from synergy_app.calendar.models import Call
from synergy_app.projects import checking
from synergy_app.projects.demo import DEMO_CALL_IDENTITIES, DEMO_TITLE
from synergy_app.projects.demo import seed_demo as seed_project_demo
from synergy_app.projects.models import Project


@pytest.fixture
def new_call(db_session):
    """A stored call with dates that do not clash with anything (its own reference, Vinnova by default)."""
    from synergy_app.calendar import service as calendar_service
    from synergy_app.calendar.call_data import CallData, Deadline

    def _make(reference: str, funder: str = "vinnova") -> Call:
        year = calendar_public.queries.today_local().year + 1
        return calendar_service.save_call(CallData(
            funder_slug=funder, title=f"Testutlysning {reference}", reference=reference,
            opens_on=date(year, 2, 1), deadlines=(Deadline("", date(year, 4, 14)),), decision_on=date(year, 6, 10),
            earliest_start=date(year, 8, 2), latest_start=date(year, 10, 1)), actor="test")

    return _make


@pytest.fixture
def demo(db_session):
    """The calendar's demo calls, then the demo project (seeded in the order of `seed --demo`)."""
    seed_calendar_demo()
    seed_project_demo()
    project_id = db_session.scalar(select(Project.id).where(Project.title == DEMO_TITLE))
    calls = {c.identity: c for c in db_session.scalars(select(Call).where(Call.identity.in_(DEMO_CALL_IDENTITIES)))}
    return checking.load_project(project_id), [calls[i] for i in DEMO_CALL_IDENTITIES]


def _page(client, project) -> str:
    return html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True))


def test_demo_project_is_linked_to_the_two_misaligned_calls(demo, db_session):
    project, calls = demo
    assert sorted(link.call_id for link in project.calls) == sorted(c.id for c in calls)
    seed_project_demo()  # idempotent: no second link, no error
    db_session.expire_all()
    assert len(checking.load_project(project.id).calls) == 2


def test_planner_sees_flags_with_dates_and_smallest_shift(demo, client, make_user, login):
    project, (vinnova, eruf) = demo
    login(make_user("planner"))
    page = _page(client, project)
    flags = calendar_public.alignment_for_ids([vinnova.id, eruf.id])
    codes = {f.code.value for f in flags}
    assert {"decision_after_latest_start", "windows_do_not_overlap", "deadline_in_july"} <= codes
    assert page.count('class="card call-flag"') == len(flags)
    # Every flag's message, its clashing dates and its smallest shift are on the page (as text: each date is
    # wrapped so that it stays on one line).
    page = re.sub(r'<span class="date">([^<]*)</span>', r"\1", page)
    for flag in flags:
        assert flag.message_sv in page
        assert flag.shift is not None
        assert f"{flag.shift.from_date.isoformat()} → {flag.shift.to_date.isoformat()}" in page
    late = next(f for f in flags if f.code.value == "decision_after_latest_start")
    assert f"senaste projektstart {late.dates[1].on.isoformat()}" in page
    assert "Minsta flytt som löser det" in page
    # Both calls are listed with links to their calendar pages.
    assert f"/calendar/calls/{vinnova.id}" in page and f"/calendar/calls/{eruf.id}" in page


def test_unlink_removes_the_call_and_its_pair_flags(demo, client, make_user, login, db_session):
    project, (vinnova, eruf) = demo
    login(make_user("planner"))
    response = client.post(f"/projects/{project.id}/calls", data={"call": vinnova.id, "action": "unlink"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#utlysningar")
    db_session.expire_all()
    assert [link.call_id for link in checking.load_project(project.id).calls] == [eruf.id]
    page = _page(client, project)
    assert "Ansökningsperioderna överlappar inte" not in page
    assert "juli" in page  # the ERUF call's own July deadline is still flagged
    # The unlinked call is offered again in the choice list.
    assert f'<option value="{vinnova.id}">' in page
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "project.call.unlink")
                              .order_by(AuditEntry.id.desc()))
    assert entry is not None and vinnova.title in entry.summary


def test_link_from_the_choice_list(demo, client, make_user, login, db_session, new_call):
    project, _calls = demo
    extra = new_call("P-LINK", funder="energimyndigheten")
    login(make_user("planner"))
    page = _page(client, project)
    assert f'<option value="{extra.id}">' in page
    for linked in project.calls:  # linked calls are not offered twice
        assert f'<option value="{linked.call_id}">' not in page
    assert client.post(f"/projects/{project.id}/calls", data={"call": extra.id}).status_code == 302
    assert client.post(f"/projects/{project.id}/calls", data={"call": extra.id}).status_code == 302  # no duplicate
    db_session.expire_all()
    assert sorted(link.call_id for link in checking.load_project(project.id).calls).count(extra.id) == 1
    assert "Testutlysning P-LINK" in _page(client, project)


def test_bad_call_is_refused_and_nothing_saved(demo, client, make_user, login, db_session):
    project, _calls = demo
    login(make_user("planner"))
    for value in ("999999", "", "abc"):
        response = client.post(f"/projects/{project.id}/calls", data={"call": value})
        assert response.status_code == 400
        assert "Välj en utlysning ur kalendern" in response.get_data(as_text=True)
    db_session.expire_all()
    assert len(checking.load_project(project.id).calls) == 2


def test_who_may_link(demo, client, make_user, login, db_session, new_call):
    project, (vinnova, _eruf) = demo
    extra = new_call("P-PERM")
    for role, region in (("reader", None), ("taskforce", None), ("strategist", "skane")):
        client.post("/logout")
        user = login(make_user(role, region=region))
        assert user.email in client.get("/profile").get_data(as_text=True)
        page = _page(client, project)
        assert "Koppla en utlysning ur kalendern" not in page and 'value="unlink"' not in page
        assert "Minsta flytt som löser det" in page  # everyone sees the flags
        assert client.post(f"/projects/{project.id}/calls", data={"call": extra.id}).status_code == 403
        assert client.post(f"/projects/{project.id}/calls",
                           data={"call": vinnova.id, "action": "unlink"}).status_code == 403
    db_session.expire_all()
    assert len(checking.load_project(project.id).calls) == 2
    # A strategist of one of the project's regions may link.
    client.post("/logout")
    login(make_user("strategist", region="norrbotten"))
    assert "Koppla en utlysning ur kalendern" in _page(client, project)
    assert client.post(f"/projects/{project.id}/calls", data={"call": extra.id}).status_code == 302
    db_session.expire_all()
    assert len(checking.load_project(project.id).calls) == 3


def test_api_token_user_cannot_link_without_login(demo, client):
    project, (vinnova, _eruf) = demo
    response = client.post(f"/projects/{project.id}/calls", data={"call": vinnova.id, "action": "unlink"})
    assert response.status_code in (302, 401)
    assert len(checking.load_project(project.id).calls) == 2
