"""Found by walking the ruling log in Chromium: on a phone the ruling form was twice the screen wide
(two columns of topic and agency checkboxes in a fieldset that would not shrink)."""

from __future__ import annotations

import shutil

import pytest

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


def test_new_ruling_form_fits_a_phone(make_user, login, open_page):
    login(make_user("taskforce"))
    page = open_page("/stateaid/rulings/new", 390)
    assert page.locator("#topics input[type=checkbox]").count() > 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#topics").bounding_box()
    assert box["x"] + box["width"] <= 390
