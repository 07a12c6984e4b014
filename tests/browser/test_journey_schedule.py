"""The planner's schedule page in a real browser, slot by slot, on a phone without JavaScript:
two regions say yes, the planner places one of them in the last slot (a lock) and accepts the other's
proposed slot alone (a booking), in Swedish and in English.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_journeys_dialogue import (
    OSTERGOTLAND,
    VASTMANLAND,
    flash,
    open_round_as_planner,
    unique_day,
)

pytestmark = pytest.mark.browser

PLANNER = "planerare@demo.synergy.invalid"
TEXT = {
    "sv": {"day": "dag", "place": "Placera en annan region här", "place_lock": "Placera och lås",
           "locked": "Passet är låst.", "accept": "Godkänn", "accepted": "Placeringen är godkänd och bokad.",
           "lock_tag": "låst", "booked_tag": "bokad", "proposal": "Förslag", "missing": "Det här saknas inför mötet"},
    "en": {"day": "day", "place": "Place another region here", "place_lock": "Place and lock",
           "locked": "The slot is locked.", "accept": "Accept", "accepted": "The placement is accepted and booked.",
           "lock_tag": "locked", "booked_tag": "booked", "proposal": "Proposal",
           "missing": "What is missing before the meeting"},
}


def answer_yes(browser, live_server, email: str, round_path: str, name: str) -> None:
    """Set-up: a strategist answers yes and adds a presenter inline, in her own browser."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, email)
        page.goto(round_path + "/answer")
        page.locator("#answer-yes").check()
        page.locator("#new-0-name").fill(name)
        page.locator("#new-0-email").fill(f"{uuid.uuid4().hex[:8]}@example.org")
        page.get_by_role("button", name="Spara svaret").click()
        expect(flash(page)).to_contain_text("Tack, svaret är sparat.")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_locks_one_slot_and_accepts_another_on_a_phone_without_javascript(browser, live_server, shots,
                                                                                  lang):
    t = TEXT[lang]
    round_path = open_round_as_planner(browser, live_server, f"Schema pass för pass {uuid.uuid4().hex[:8]}",
                                       unique_day(), ["Region Östergötland", "Region Västmanland"])
    answer_yes(browser, live_server, OSTERGOTLAND, round_path, "Stina Presentatör")
    answer_yes(browser, live_server, VASTMANLAND, round_path, "Vidar Presentatör")

    context = browser.new_context(base_url=live_server, locale="sv-SE", java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        login(page, PLANNER)
        page.goto(f"{round_path}?lang={lang}")
        # Before the meeting the round page leads with what is missing: two yeses without a slot.
        expect(page.locator("#round-state")).to_contain_text(t["missing"])
        page.goto(f"{round_path}/schedule")
        headings = page.locator("h3.day-heading")
        expect(headings).to_have_count(1)
        rows = page.locator("li.slot-row")
        expect(rows).to_have_count(3)
        page.screenshot(path=str(shots / f"journey-schedule-slots-390-{lang}.png"), full_page=True)

        # Place Västmanland in the last slot: a lock the proposal keeps.
        last = rows.nth(2)
        last.locator("summary", has_text=t["place"]).click()
        last.get_by_label("Region", exact=True).select_option(label="Region Västmanland")
        last.get_by_role("button", name=t["place_lock"]).click()
        expect(flash(page)).to_contain_text(t["locked"])
        last = page.locator("li.slot-row").nth(2)
        expect(last.locator(".slot-facts")).to_contain_text("Region Västmanland")
        expect(last.locator(".tag")).to_have_text([t["lock_tag"]])

        # Accept Östergötland's proposed slot alone: it is booked, Västmanland still only locked.
        proposed = page.locator(".slot-facts dd", has_text="Region Östergötland")
        row = page.locator("li.slot-row").filter(has=proposed)
        row.get_by_role("button", name=t["accept"]).click()
        expect(flash(page)).to_contain_text(t["accepted"])
        row = page.locator("li.slot-row").filter(has=page.locator(".slot-facts dd", has_text="Region Östergötland"))
        expect(row.locator(".tag")).to_have_text([t["booked_tag"], t["lock_tag"]])
        expect(row.get_by_role("button", name=t["accept"])).to_have_count(0)
        expect(page.locator("li.slot-row").nth(2).get_by_role("button", name=t["accept"])).to_have_count(1)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the schedule page scrolls sideways by {overflow} px at 390 px"
        page.screenshot(path=str(shots / f"journey-schedule-accepted-390-{lang}.png"), full_page=True)
    finally:
        context.close()

    # The same page with JavaScript on, at laptop width, passes axe.
    context = browser.new_context(base_url=live_server, locale="sv-SE", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.csp_violations = []
        login(page, PLANNER)
        page.goto(f"{round_path}/schedule?lang={lang}")
        expect(page.locator("h2#order-heading")).to_be_visible()
        assert_accessible(page, "schedule page")
        page.screenshot(path=str(shots / f"journey-schedule-1280-{lang}.png"), full_page=True)
    finally:
        context.close()
