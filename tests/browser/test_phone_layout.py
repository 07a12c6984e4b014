"""On a phone (390 px) the menu is a button, filters fold into a panel and no main page scrolls
sideways; on a laptop the menu and filters stay open. Each role's main pages, with the demo data."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

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


def test_the_rounds_invited_regions_are_cards_on_a_phone(page, shots):
    """The demo round has invited regions with presenters, times they cannot and why they were invited:
    on a phone each region is a card that fits, nothing in the table to scroll sideways."""
    page.set_viewport_size(PHONE)
    login(page, "planerare@demo.synergy.invalid")
    page.goto("/dialogues/1")
    table = page.locator("section[aria-labelledby=inv-heading] table")
    rows = table.locator("tbody tr")
    assert rows.count() >= 2
    fits = table.evaluate("""t => {
      const box = t.closest('.table-scroll');
      return {scroll: box.scrollWidth, width: box.clientWidth, display: getComputedStyle(t.rows[1]).display};
    }""")
    assert fits["scroll"] <= fits["width"] + 1 and fits["display"] == "block", fits
    lead = rows.first.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert lead == '"Svar: "', lead  # each value is led by its column's name
    page.set_viewport_size(LAPTOP)
    assert table.evaluate("t => getComputedStyle(t.rows[1]).display") == "table-row"
