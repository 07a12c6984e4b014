"""Found by walking the workspace in Chromium: with a longer name in the menu, "Logga ut" wrapped onto a
line of its own at the left edge, away from the user's name. Name and log-out now form one menu item."""

from __future__ import annotations

import re
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_user_name_and_log_out_are_one_menu_item(client, make_user, login):
    login(make_user("taskforce", name="Tage Taskforce"))
    page = client.get("/start").get_data(as_text=True)
    item = re.search(r'<li class="push user-menu">(.*?)</li>', page, re.S)
    assert item, "the user menu item is missing"
    assert "Tage Taskforce" in item.group(1) and 'action="/logout"' in item.group(1)


@pytest.mark.browser
def test_log_out_stays_beside_the_name_on_a_laptop(client, make_user, login):
    from playwright.sync_api import sync_playwright

    login(make_user("taskforce", name="Tage Taskforce"))

    def answer(route):
        response = client.get(route.request.url.split("://localhost", 1)[1])
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"Content-Type": response.headers.get("Content-Type", "text/html")})

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("http://localhost/**", answer)
        page.goto("http://localhost/start")
        name = page.locator(".main-nav a[href='/profile']").bounding_box()
        logout = page.locator(".main-nav button:has-text('Logga ut')").bounding_box()
        browser.close()
    assert abs(name["y"] - logout["y"]) < 10 and logout["x"] > name["x"]
