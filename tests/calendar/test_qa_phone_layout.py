"""Found by walking the calendar in Chromium: on a phone a coordinated set's page was 950 px wide, because
the visually hidden "remove" labels in its table escaped the table's own sideways scrolling."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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


def test_coordinated_set_and_list_fit_a_phone(db_session, make_user, login, open_page):
    from synergy_app.calendar.demo import seed_demo
    from synergy_app.calendar.models import CoordinationSet

    seed_demo()
    set_id = db_session.scalar(select(CoordinationSet.id))
    login(make_user("planner"))
    for path in (f"/calendar/coordinated/{set_id}", "/calendar/", "/calendar/calls/new"):
        page = open_page(path, 390)
        assert page.locator("h1").count() == 1, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
