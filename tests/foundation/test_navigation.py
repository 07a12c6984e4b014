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


@pytest.mark.parametrize("path, current", [
    ("/directory/regions", "Regioner"),
    ("/directory/regions/ostergotland", "Regioner"),
    ("/directory/organisations/vinnova", "Myndigheter"),
    ("/directory/funders", "Finansiärer"),
    ("/calendar/", "Utlysningar"),
    ("/start", "Start"),
])
def test_exactly_one_menu_entry_is_marked_as_the_current_page(client, make_user, login, path, current):
    login(make_user("reader"))
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    menu = page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', menu)
    assert marked == [current]


def test_organisation_page_names_its_kind_in_words_not_codes(client, make_user, login):
    login(make_user("reader"))
    page = client.get("/directory/organisations/vinnova").get_data(as_text=True)
    assert "Nationell myndighet" in page and "national_agency" not in page
    english = client.get("/directory/organisations/vinnova?lang=en").get_data(as_text=True)
    assert "National agency" in english


@pytest.mark.parametrize("path", ["/admin/outbox", "/admin/users", "/admin/rulesets"])
def test_every_administration_page_marks_administration_in_the_menu(client, make_user, login, path):
    login(make_user("admin"))
    page = client.get(path).get_data(as_text=True)
    menu = page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', menu) == ["Administration"]
