"""Start pages in a real browser: the strategist follows her next step from the start page and it
clears; every role's start page fits a phone (no sideways scrolling at 390 px) and passes axe."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, use_language
from tests.browser.test_journeys_dialogue import OSTERGOTLAND, PLANNER, open_round_as_planner, unique_day

pytestmark = pytest.mark.browser

TEXT = {
    "sv": {"answer": "Svara på inbjudan", "yes": "Ja, vi presenterar",
           "book": "Boka ett pass", "book_chosen": "Boka valt pass", "prepare": "Förbered presentationen",
           "booked": "Passet är bokat."},
    "en": {"answer": "Respond to the invitation", "yes": "Yes, we will present",
           "book": "Book a slot", "book_chosen": "Book chosen slot", "prepare": "Prepare the presentation",
           "booked": "The slot has been booked."},
}

DEMO_USERS = [PLANNER, OSTERGOTLAND, "taskforce@demo.synergy.invalid", "lasare@demo.synergy.invalid",
              "admin@demo.synergy.invalid"]


def round_card(page, theme: str):
    return page.locator("article.round-work").filter(has=page.get_by_role("heading", name=theme))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_strategist_follows_the_next_step_from_the_start_page(page, browser, live_server, shots, lang):
    t = TEXT[lang]
    theme = f"Startsida {uuid.uuid4().hex[:8]}"
    open_round_as_planner(browser, live_server, theme, unique_day(), ["Region Östergötland"])

    login(page, OSTERGOTLAND)
    use_language(page, lang)
    card = round_card(page, theme)
    expect(card.locator(".next-step")).to_contain_text(t["answer"])
    page.screenshot(path=str(shots / f"start-strategist-{lang}-1280.png"), full_page=True)

    card.locator(".next-step").get_by_role("link", name=t["answer"]).click()
    page.get_by_label(t["yes"]).check()
    page.locator("#new-0-name").fill("Stina Strateg")
    page.locator("#new-0-email").fill("stina@demo.synergy.invalid")
    page.locator("form button[type=submit]").last.click()

    page.goto("/start")
    card = round_card(page, theme)
    expect(card.locator(".next-step")).to_contain_text(t["book"])
    expect(card.get_by_role("link", name=t["answer"])).to_have_count(0)  # done: no longer a task

    card.locator(".next-step").get_by_role("link", name=t["book"]).click()
    page.locator("label.chip").first.click()
    page.get_by_role("button", name=t["book_chosen"]).click()
    expect(page.locator(".flashes")).to_contain_text(t["booked"])

    page.goto("/start")
    expect(round_card(page, theme).locator(".next-step")).to_contain_text(t["prepare"])


@pytest.mark.parametrize("email", DEMO_USERS)
def test_start_pages_fit_a_phone(browser, live_server, shots, email):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE", base_url=live_server)
    try:
        page = context.new_page()
        page.csp_violations = []
        login(page, email)
        for lang in ("sv", "en"):
            if lang == "en":
                use_language(page, "en")
            expect(page.locator("h1")).to_be_visible()
            assert page.locator(".start-panel").count() >= 1, "the start page shows no work list"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{email} {lang}: the start page scrolls sideways ({width} px)"
            page.screenshot(path=str(shots / f"start-{email.split('@')[0]}-{lang}-390.png"), full_page=True)
            assert_accessible(page, f"start page of {email} ({lang})")
    finally:
        context.close()
