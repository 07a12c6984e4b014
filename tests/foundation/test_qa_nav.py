"""Found by walking the workspace in Chromium: with a longer name in the menu, "Logga ut" wrapped onto a
line of its own at the left edge, away from the user's name. Name and log-out now form one menu item."""

from __future__ import annotations

import re

import pytest


def test_user_name_and_log_out_are_one_menu_item(client, make_user, login):
    login(make_user("taskforce", name="Tage Taskforce"))
    page = client.get("/start").get_data(as_text=True)
    item = re.search(r'<li class="push user-menu">(.*?)</li>', page, re.S)
    assert item, "the user menu item is missing"
    assert "Tage Taskforce" in item.group(1) and 'action="/logout"' in item.group(1)


@pytest.mark.browser
def test_log_out_stays_beside_the_name_on_a_laptop(make_user, login, open_page):
    login(make_user("taskforce", name="Tage Taskforce"))
    page = open_page("/start", 1280)
    name = page.locator(".main-nav a[href='/profile']").bounding_box()
    logout = page.locator(".main-nav button:has-text('Logga ut')").bounding_box()
    assert abs(name["y"] - logout["y"]) < 10 and logout["x"] > name["x"]
