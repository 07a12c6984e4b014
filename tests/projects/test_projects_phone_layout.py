"""Found by walking the project pages in Chromium: on a phone the demo project page was 900 px wide (a long
call name in the link form, visually hidden labels escaping the scrolling tables) and a flag under a budget
row could only be read by scrolling sideways; on a laptop the budget editor widened the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db_session):
    from synergy_app.calendar.demo import seed_demo as seed_calendar_demo
    from synergy_app.projects.demo import DEMO_TITLE
    from synergy_app.projects.demo import seed_demo as seed_project_demo
    from synergy_app.projects.models import Project

    seed_calendar_demo()
    seed_project_demo()
    return db_session.scalar(select(Project.id).where(Project.title == DEMO_TITLE))




def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_demo_project_page_fits_a_phone_and_flags_read_without_scrolling(demo, make_user, login, open_page):
    login(make_user("planner"))
    page = open_page(f"/projects/{demo}", 390)
    assert page.locator("#call option").count() > 0  # the link form with long call names is there
    assert _page_width(page) <= 390
    flag = page.locator("tr.flag-row ul.flags").first
    flag.scroll_into_view_if_needed()
    box = flag.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_budget_editor_does_not_widen_the_page(demo, make_user, login, open_page):
    login(make_user("planner"))
    for width in (1280, 390):
        assert _page_width(open_page(f"/projects/{demo}/budget", width)) <= width
