"""Start pages in a real browser, each role's in Swedish and English: the next task is on it, its link
leads to where it is done, and doing it clears it (the strategist's next step, the planner's soft conflict,
the taskforce's assessment of a flagged project); the reader finds what a planner changed this week.
Every role's start page fits a phone (no sideways scrolling at 390 px) and passes axe."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
import yaml
from playwright.sync_api import expect

from synergy_app.projects.demo import DEMO_DOCUMENT
from tests.browser.conftest import assert_accessible, login, use_language
from tests.browser.test_journeys_dialogue import (
    OSTERGOTLAND,
    PLANNER,
    fill_round_form,
    flash,
    invite,
    open_nav,
    open_round_as_planner,
    unique_day,
)

pytestmark = pytest.mark.browser

TEXT = {
    "sv": {"answer": "Svara på inbjudan", "yes": "Ja, vi presenterar",
           "book": "Boka ett pass", "book_chosen": "Boka valt pass", "prepare": "Förbered presentationen",
           "booked": "Passet är bokat."},
    "en": {"answer": "Respond to the invitation", "yes": "Yes, we will present",
           "book": "Book a slot", "book_chosen": "Book chosen slot", "prepare": "Prepare the presentation",
           "booked": "The slot has been booked."},
}

TASKFORCE = "taskforce@demo.synergy.invalid"
READER = "lasare@demo.synergy.invalid"
DEMO_USERS = [PLANNER, OSTERGOTLAND, TASKFORCE, READER, "admin@demo.synergy.invalid"]

ROLE_TEXT = {
    "sv": {"acknowledge_link": "Kvittera på schemasidan", "acknowledge": "Kvittera valda varningar",
           "acknowledged": "Varningarna är kvitterade.", "no_conflicts": "Inga okvitterade konflikter",
           "assess": "Bedöm och länka ett avgörande", "waiting": "Väntar på taskforcens bedömning",
           "link": "Länka till flaggan", "linked": "Avgörandet är länkat till flaggan.",
           "intermediary": "indirekt statsstöd",
           "changed": "Det här har ändrats de senaste 7 dagarna.", "sent": "Inbjudningar skickade"},
    "en": {"acknowledge_link": "Acknowledge on the schedule page", "acknowledge": "Acknowledge the selected warnings",
           "acknowledged": "The warnings have been acknowledged.", "no_conflicts": "No unacknowledged conflicts",
           "assess": "Assess and link a ruling", "waiting": "Waiting for the taskforce's assessment",
           "link": "Link to the flag", "linked": "The ruling has been linked to the flag.",
           "intermediary": "indirect State aid",
           "changed": "This has changed in the last 7 days.", "sent": "Invitations sent"},
}


def start_item(page, section: str, text: str):
    """The line of a start page section (its key, e.g. "warnings") that names `text`."""
    return page.locator(f"section.start-{section} ul.worklist > li").filter(has_text=text)


def look_at_start_page(page, shots, name: str) -> None:
    """axe on the start page, and a screenshot of it at laptop width and on a phone."""
    assert_accessible(page, f"start page ({name})")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"journey-start-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def back_to_start(page) -> None:
    """The way a user goes back: the site name in the header links to the start page."""
    page.locator("header a.brand").click()
    expect(page).to_have_url(re.compile(r"/start$"))


def round_with_a_soft_conflict(browser, live_server, theme: str) -> None:
    """Set-up in the planner's own browser: a round only Vinnova takes part in, inviting Västmanland, whose
    energy priorities point to Energimyndigheten: a soft conflict for the planner to acknowledge."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, PLANNER)
        open_nav(page, "sv", "dialogues")
        page.get_by_role("link", name="Ny omgång", exact=True).click()
        page.locator("#lead_organisation").select_option("vinnova")
        page.locator("#lead_area").select_option("vinnova-hallbar-industri")
        # A Tuesday in 2027, before the other journeys' rounds (2028 on): the start page lists the soonest
        # twenty, and other journeys leave rounds with the same kind of conflict unacknowledged.
        fill_round_form(page, theme, date(2027, 1, 5) + timedelta(weeks=uuid.uuid4().int % 45))
        page.get_by_role("button", name="Skapa omgången").click()
        expect(flash(page)).to_contain_text("Omgången är skapad.")
        invite(page, "sv", ["Region Västmanland"])
    finally:
        context.close()


def import_flagged_project(browser, live_server, title: str) -> None:
    """Set-up: a planner reads in a project file whose intermediary passes public money on to companies,
    a flag that asks the taskforce for an assessment."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, PLANNER)
        page.goto("/projects/import")
        document = yaml.safe_dump({**DEMO_DOCUMENT, "title": title}, allow_unicode=True).encode()
        page.set_input_files("#file", files=[{"name": "projekt.yaml", "mimeType": "application/yaml",
                                              "buffer": document}])
        page.get_by_role("button", name="Läs in", exact=True).click()
        expect(flash(page)).to_contain_text("Projektet är inläst")
    finally:
        context.close()


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
    look_at_start_page(page, shots, f"strategist-{lang}")

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


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_acknowledges_a_soft_conflict_from_the_start_page_and_it_clears(page, browser, live_server, shots,
                                                                                lang):
    t = ROLE_TEXT[lang]
    theme = f"Mjuk konflikt {uuid.uuid4().hex[:8]}"
    round_with_a_soft_conflict(browser, live_server, theme)

    login(page, PLANNER)
    use_language(page, lang)
    item = start_item(page, "warnings", theme)
    # The line says what the conflict is, without a second click.
    expect(item).to_contain_text("Region Västmanland")
    expect(item).to_contain_text("Energimyndigheten")
    look_at_start_page(page, shots, f"planner-{lang}")

    item.get_by_role("link", name=t["acknowledge_link"]).click()
    expect(page).to_have_url(re.compile(r"/dialogues/\d+/schedule$"))
    warnings = page.locator("ul.warnings input[type=checkbox]")
    assert warnings.count() >= 1
    for box in warnings.all():
        box.check()
    page.get_by_role("button", name=t["acknowledge"]).click()
    expect(flash(page)).to_contain_text(t["acknowledged"])

    back_to_start(page)
    expect(start_item(page, "warnings", theme)).to_have_count(0)
    # The round's other task, sending the invitations, is still there.
    expect(start_item(page, "gaps", theme)).to_have_count(1)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_taskforce_assesses_a_flagged_project_from_the_start_page_and_it_clears(page, browser, live_server, shots,
                                                                                lang):
    t = ROLE_TEXT[lang]
    title = f"Testbädd via intermediär {uuid.uuid4().hex[:8]}"
    import_flagged_project(browser, live_server, title)

    login(page, TASKFORCE)
    use_language(page, lang)
    item = start_item(page, "assessments", title)
    expect(item).to_contain_text(t["intermediary"])
    look_at_start_page(page, shots, f"taskforce-{lang}")

    item.get_by_role("link", name=t["assess"]).click()
    expect(page).to_have_url(re.compile(r"/projects/\d+#bedomning$"))
    assessment = page.locator("#bedomning")
    expect(assessment.get_by_role("heading", level=2)).to_have_text(t["waiting"])
    expect(assessment).to_be_in_viewport()
    expect(assessment.locator("code")).to_have_text(["INDIRECT_AID_VIA_INTERMEDIARY"])
    assert_accessible(page, "project awaiting assessment")
    assessment.get_by_role("button", name=t["link"]).first.click()
    expect(flash(page)).to_contain_text(t["linked"])
    expect(page.locator("#bedomning")).to_have_count(0)

    back_to_start(page)
    expect(start_item(page, "assessments", title)).to_have_count(0)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_reader_finds_what_a_planner_changed_this_week(page, browser, live_server, shots, lang):
    t = ROLE_TEXT[lang]
    theme = f"Veckans nyhet {uuid.uuid4().hex[:8]}"
    round_path = open_round_as_planner(browser, live_server, theme, unique_day(), ["Region Östergötland"])

    login(page, READER)
    use_language(page, lang)
    expect(page.locator("p.lead")).to_have_text(t["changed"])
    item = start_item(page, "rounds", theme)
    expect(item).to_contain_text(t["sent"])  # what happened, on the line itself
    look_at_start_page(page, shots, f"reader-{lang}")

    item.get_by_role("link", name=theme).click()
    expect(page).to_have_url(re.compile(re.escape(round_path) + "$"))
    expect(page.locator("h1")).to_contain_text(theme)
