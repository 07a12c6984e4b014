"""Found by walking the project pages in Chromium: on a phone the demo project page was 900 px wide (a long
call name in the link form, visually hidden labels escaping the scrolling tables) and a flag under a budget
row could only be read by scrolling sideways; on a laptop the budget editor widened the page."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def demo(db_session):
    from synergy_app.calendar.demo import seed_demo as seed_calendar_demo
    from synergy_app.projects.demo import DEMO_TITLE
    from synergy_app.projects.demo import seed_demo as seed_project_demo
    from synergy_app.projects.models import Project

    seed_calendar_demo()
    seed_project_demo()
    return db_session.scalar(select(Project.id).where(Project.title == DEMO_TITLE))


@pytest.fixture
def open_page(client):
    """Open a page of the test app in Chromium at a given width (requests are answered by the Flask client)."""
    from playwright.sync_api import sync_playwright

    def answer(route):
        response = client.get(route.request.url.split("://localhost", 1)[1])
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"Content-Type": response.headers.get("Content-Type", "text/html")})

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

        def _open(path: str, width: int):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("http://localhost/**", answer)
            page.goto("http://localhost" + path)
            return page

        yield _open
        browser.close()


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
