"""On a phone (390 px) the menu is a button, filters fold into a panel and no main page scrolls
sideways; on a laptop the menu and filters stay open. Each role's main pages, with the demo data.
A slot is booked or moved by tapping a time chip, without JavaScript; a round's invited regions are cards."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_journeys_dialogue import (
    OSTERGOTLAND,
    PLANNER,
    book_as,
    flash,
    open_round_as_planner,
    unique_day,
)

pytestmark = pytest.mark.browser

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}

MAIN_PAGES = {
    "planerare@demo.synergy.invalid": [
        "/start", "/calendar/", "/calendar/timeline", "/calendar/month", "/calendar/coordinated",
        "/calendar/calls/1", "/dialogues/", "/dialogues/1", "/dialogues/1/schedule", "/dialogues/rounds/1/run",
        "/dialogues/new", "/priorities/", "/priorities/matrix", "/priorities/areas/vinnova-hallbar-industri",
        "/priorities/collaboration", "/projects/", "/projects/1", "/projects/1/budget", "/projects/1/description",
        "/projects/1/actuals", "/projects/de-minimis", "/directory/regions", "/directory/regions/ostergotland",
        "/directory/agencies", "/directory/organisations/vinnova", "/directory/funders", "/directory/clusters",
        "/profile",
    ],
    "strateg.ostergotland@demo.synergy.invalid": ["/start", "/dialogues/", "/dialogues/1",
                                                  "/priorities/regions/ostergotland"],
    "taskforce@demo.synergy.invalid": ["/start", "/stateaid/", "/stateaid/rulings/1", "/stateaid/rulings/new"],
    "lasare@demo.synergy.invalid": ["/start"],
}

SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest('[role=region][tabindex], .table-scroll, svg')) {
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                + ' ' + Math.round(box.right) + 'px');
    }
  }
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def test_the_menu_is_a_button_on_a_phone_and_a_list_on_a_laptop(page):
    page.set_viewport_size(PHONE)
    login(page, "planerare@demo.synergy.invalid")
    page.goto("/start")
    button = page.get_by_role("button", name="Meny")
    menu_link = page.locator("#main-menu").get_by_role("link", name="Utlysningar")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not menu_link.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and menu_link.is_visible()
    page.keyboard.press("Escape")  # closes and gives the focus back to the button
    assert not menu_link.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-toggle"
    button.focus()
    page.keyboard.press("Enter")  # the keyboard opens it too
    menu_link.click()
    assert page.url.endswith("/calendar/")

    page.set_viewport_size(LAPTOP)
    page.goto("/start")
    assert not page.get_by_role("button", name="Meny").is_visible()
    assert page.locator("#main-menu").get_by_role("link", name="Utlysningar").is_visible()


def test_without_javascript_the_menu_stays_an_open_list(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="sv-SE", base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, "planerare@demo.synergy.invalid")
        page.goto("/calendar/")
        assert page.locator("#main-menu").get_by_role("link", name="Projekt").is_visible()
        assert page.locator("details.filter-panel").get_attribute("open") is not None
    finally:
        context.close()


def test_filters_fold_on_a_phone_unless_one_is_set(page):
    page.set_viewport_size(PHONE)
    login(page, "planerare@demo.synergy.invalid")
    page.goto("/calendar/")
    panel = page.locator("details.filter-panel")
    assert panel.get_attribute("open") is None
    assert "Filter" in panel.locator("summary").inner_text()
    page.goto("/calendar/?theme=&status=open")
    assert page.locator("details.filter-panel").get_attribute("open") is not None
    assert "(1 valt)" in page.locator("details.filter-panel summary").inner_text()
    page.set_viewport_size(LAPTOP)
    page.goto("/calendar/")
    assert page.locator("details.filter-panel").get_attribute("open") is not None


@pytest.mark.parametrize("account", sorted(MAIN_PAGES))
def test_no_main_page_scrolls_sideways_on_a_phone(page, shots, account):
    page.set_viewport_size(PHONE)
    login(page, account)
    problems = []
    for path in MAIN_PAGES[account]:
        response = page.goto(path)
        assert response.status == 200, path
        measured = page.evaluate(SIDEWAYS)
        if measured["page"] > measured["width"] + 1 or measured["wide"]:
            problems.append(f"{path}: page {measured['page']} px in {measured['width']} px; {measured['wide']}")
        name = path.strip("/").replace("/", "-") or "root"
        page.screenshot(path=str(shots / f"phone-{account.split('@')[0]}-{name}.png"), full_page=True)
    assert not problems, "\n".join(problems)


CHIPS = """() => [...document.querySelectorAll('.slot-picker .chip')].map(chip => {
  const box = chip.getBoundingClientRect();
  return {top: Math.round(box.top), left: box.left, right: box.right, width: box.width, height: box.height};
})"""


def phone_without_javascript(browser, live_server):
    """A phone's browser: 390 px wide, a touch screen, and JavaScript off (the chips must not need it)."""
    return browser.new_context(viewport=PHONE, locale="sv-SE", base_url=live_server, java_script_enabled=False,
                               has_touch=True, is_mobile=True)


def assert_chips_fit_a_phone(page) -> list[dict]:
    """Every chip is a touch target of at least 44 x 44 px inside the screen, and they wrap onto rows."""
    chips = page.evaluate(CHIPS)
    assert len(chips) >= 3, chips
    assert all(c["height"] >= 44 and c["width"] >= 44 for c in chips), chips
    assert all(c["left"] >= 0 and c["right"] <= PHONE["width"] for c in chips), chips
    assert len({c["top"] for c in chips}) >= 2, chips  # more than one row: they wrap
    measured = page.evaluate(SIDEWAYS)
    assert measured["page"] <= measured["width"] + 1 and not measured["wide"], measured
    return chips


def test_a_strategist_books_by_tapping_a_time_chip_on_a_phone(browser, live_server, shots):
    round_path = open_round_as_planner(browser, live_server, f"Pass på telefonen {uuid.uuid4().hex[:8]}",
                                       unique_day(), ["Region Östergötland"])
    context = phone_without_javascript(browser, live_server)
    try:
        page = context.new_page()
        login(page, OSTERGOTLAND)
        page.goto(round_path)
        assert_chips_fit_a_phone(page)
        chip = page.locator("label.chip").nth(1)
        expect(chip).to_contain_text("09:10–09:20")
        chip.tap()
        expect(chip.locator("input")).to_be_checked()
        # The choice shows in words as well as in colour.
        assert "valt" in chip.locator(".chip-state").evaluate("el => getComputedStyle(el, '::after').content")
        page.screenshot(path=str(shots / "phone-strategist-slot-chips.png"), full_page=True)
        page.get_by_role("button", name="Boka valt pass").tap()
        expect(flash(page)).to_contain_text("Passet är bokat.")
        expect(page.locator("section[aria-labelledby=region-heading]")).to_contain_text(
            re.compile(r"Ert pass: \d{4}-\d{2}-\d{2} 09:10"))
        expect(page.locator(".slot-picker")).to_have_count(0)
    finally:
        context.close()


def test_a_planner_moves_a_booking_by_tapping_a_time_chip_on_a_phone(browser, live_server, shots):
    round_path = open_round_as_planner(browser, live_server, f"Flytta på telefonen {uuid.uuid4().hex[:8]}",
                                       unique_day(), ["Region Östergötland"])
    book_as(browser, live_server, OSTERGOTLAND, round_path, 1)
    context = phone_without_javascript(browser, live_server)
    try:
        page = context.new_page()
        login(page, PLANNER)
        page.goto(round_path)
        page.get_by_role("link", name="Flytta Region Östergötland").tap()
        page.wait_for_url("**/move")
        move_path = page.url.removeprefix(live_server)
        chips = assert_chips_fit_a_phone(page)
        assert len(chips) == 3
        expect(page.locator(".chip.current")).to_contain_text("nu här")  # where it is now: not a choice
        page.locator("label.chip", has_text="09:20–09:30").tap()
        page.screenshot(path=str(shots / "phone-planner-move-chips.png"), full_page=True)
        page.get_by_role("button", name="Flytta", exact=True).tap()
        expect(flash(page)).to_contain_text("Flyttat.")
        expect(page.locator("table.slots tbody tr").nth(2)).to_contain_text("Region Östergötland")
    finally:
        context.close()
    # axe-core needs JavaScript: the move page once more, in a phone's browser with it on.
    context = browser.new_context(viewport=PHONE, locale="sv-SE", base_url=live_server)
    try:
        page = context.new_page()
        login(page, PLANNER)
        page.goto(move_path)
        assert_accessible(page, "move (phone)")
    finally:
        context.close()


CARDS = """t => {
  const width = document.documentElement.clientWidth;
  const wide = [...t.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > width + 1);
  return {region: t.closest('[role=region], .table-scroll') !== null, wide: wide.length,
          page: document.documentElement.scrollWidth, width, display: getComputedStyle(t.rows[1]).display,
          labels: [...t.rows[1].cells].map(c => getComputedStyle(c, '::before').content)};
}"""


def test_the_rounds_invited_regions_are_cards_on_a_phone(page, shots):
    """The demo round has invited regions with presenters, times they cannot and why they were invited:
    on a phone, upright or held sideways, each region is a card that fits, with no scroll region around it,
    and every value is led by its column's name."""
    login(page, "planerare@demo.synergy.invalid")
    for viewport in (PHONE, {"width": 667, "height": 375}):
        page.set_viewport_size(viewport)
        page.goto("/dialogues/1")
        table = page.locator("section[aria-labelledby=inv-heading] table")
        assert table.locator("tbody tr").count() >= 2
        cards = table.evaluate(CARDS)
        assert not cards["region"] and not cards["wide"] and cards["page"] <= cards["width"], cards
        assert cards["display"] == "block", cards
        # The region's name heads its card; every other value says which column it is.
        assert cards["labels"] == ["none", '"Svar: "', '"Presentatörer: "', '"Kan inte: "',
                                   '"Varför inbjuden: "'], cards
        page.locator("section[aria-labelledby=inv-heading]").screenshot(
            path=str(shots / f"phone-planner-invited-regions-{viewport['width']}.png"))
    page.set_viewport_size(LAPTOP)
    assert page.locator("section[aria-labelledby=inv-heading] table").evaluate(
        "t => getComputedStyle(t.rows[1]).display") == "table-row"
