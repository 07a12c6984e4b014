"""Snabbdialog journeys in a real browser, each in Swedish and in English.

A planner finds the regions that match an area and starts a round inviting them; a regional strategist
books a slot with the keyboard only, prepares the ten-minute presentation and downloads it as PDF; the
chair runs the session with the timer, with JavaScript and without it; a strategist saves an unfinished
presentation as a draft and comes back to it; a strategist answers an invitation with a presenter picked
from the region's people, one added on the spot and a time the region cannot present.

Every journey makes its own round (a unique theme on a unique day), so journeys never share state.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, login, use_language

pytestmark = pytest.mark.browser

PLANNER = "planerare@demo.synergy.invalid"
OSTERGOTLAND = "strateg.ostergotland@demo.synergy.invalid"
VASTMANLAND = "strateg.vastmanland@demo.synergy.invalid"
LANGUAGES = ["sv", "en"]

TEXT = {
    "sv": {
        "dialogues": "Snabbdialoger", "matching": "Matchning", "area": "Hållbar industri",
        "start_round": "Ny snabbdialog om området med de här regionerna", "new_round": "Ny omgång",
        "create": "Skapa omgången", "created": "Omgången är skapad. Bjud in regionerna härnäst.",
        "invite": "Bjud in regioner", "invite_selected": "Bjud in valda regioner",
        "invited": "{n} regioner inbjudna.", "send": "Skicka inbjudningar",
        "sent": "Inbjudningarna är skickade.", "status_sent": "(Inbjudningar skickade)",
        "acknowledge": "Kvittera valda varningar", "acknowledged": "Varningarna är kvitterade.",
        "book": "Boka valt pass", "booked": "Passet är bokat.", "your_slot": "Ert pass",
        "prepare": "Förbered er tiominuterspresentation", "save_presentation": "Spara som klar och beräkna talartid",
        "saved": "Presentationen är sparad.", "pdf": "Ladda ner PDF (16:9)",
        "chair": "Led mötet (körschema med timer)", "nobody": "Ingen presenterar just nu.",
        "start": "Starta {region}", "remaining": "Kvar av tio minuter:", "end": "Avsluta presentationen",
        "done": "Klar", "no_more": "Ingen fler presentation i körschemat.", "refresh": "Uppdatera",
        "note_saved": "Anteckningen är sparad.", "save_note": "Spara anteckning",
    },
    "en": {
        "dialogues": "Snabbdialog rounds", "matching": "Matching", "area": "Sustainable industry",
        "start_round": "New snabbdialog round on this area with these regions", "new_round": "New round",
        "create": "Create the round", "created": "The round has been created. Invite the regions next.",
        "invite": "Invite regions", "invite_selected": "Invite the selected regions",
        "invited": "{n} regions invited.", "send": "Send invitations",
        "sent": "The invitations have been sent.", "status_sent": "(Invitations sent)",
        "acknowledge": "Acknowledge the selected warnings", "acknowledged": "The warnings have been acknowledged.",
        "book": "Book chosen slot", "booked": "The slot has been booked.", "your_slot": "Your slot",
        "prepare": "Prepare your ten-minute presentation",
        "save_presentation": "Save as ready and estimate speaking time",
        "saved": "The presentation has been saved.", "pdf": "Download PDF (16:9)",
        "chair": "Chair the meeting (running order with timer)", "nobody": "Nobody is presenting at the moment.",
        "start": "Start {region}", "remaining": "Remaining of ten minutes:", "end": "End the presentation",
        "done": "Done", "no_more": "No more presentations in the running order.", "refresh": "Refresh",
        "note_saved": "The note has been saved.", "save_note": "Save note",
    },
}

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def unique_day() -> date:
    """A Tuesday in 2028-2033 picked at random, so parallel journeys rarely share a meeting day."""
    return date(2028, 1, 4) + timedelta(weeks=uuid.uuid4().int % 300)


def flash(page):
    return page.locator(".flashes")


def seconds(mm_ss: str) -> int:
    sign = -1 if mm_ss.strip().startswith("\u2212") else 1
    minutes, rest = mm_ss.strip().lstrip("\u2212").split(":")
    return sign * (int(minutes) * 60 + int(rest))


def open_nav(page, lang: str, item: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny" if lang == "sv" else "Main menu") \
        .get_by_role("link", name=TEXT[lang][item], exact=True).click()


def fill_round_form(page, theme: str, day: date, *, start: str = "09:00", end: str = "09:30",
                    all_agencies: bool = False) -> None:
    page.locator("#theme").fill(theme)
    page.locator("#meetings-0-day").fill(day.isoformat())
    page.locator("#meetings-0-start").fill(start)
    page.locator("#meetings-0-end").fill(end)
    if all_agencies:  # every national agency takes part, so no region points at an absent agency
        for box in page.locator("input[name=agencies]").all():
            box.check()


def invite(page, lang: str, regions: list[str]) -> None:
    page.get_by_role("link", name=TEXT[lang]["invite"], exact=True).click()
    for name in regions:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name=TEXT[lang]["invite_selected"]).click()
    expect(flash(page)).to_contain_text(TEXT[lang]["invited"].format(n=len(regions)))


def send_invitations(page, lang: str) -> None:
    page.get_by_role("button", name=TEXT[lang]["send"], exact=True).click()
    expect(flash(page)).to_contain_text(TEXT[lang]["sent"])
    expect(page.locator("h1")).to_contain_text(TEXT[lang]["status_sent"])


def open_round_as_planner(browser, live_server, theme: str, day: date, regions: list[str]) -> str:
    """Set-up in the planner's own browser: a round with every agency, the regions invited, invitations
    sent. Returns the round page's path."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, PLANNER)
        open_nav(page, "sv", "dialogues")
        page.get_by_role("link", name=TEXT["sv"]["new_round"], exact=True).click()
        page.locator("#lead_organisation").select_option("vinnova")
        page.locator("#lead_area").select_option("vinnova-hallbar-industri")
        fill_round_form(page, theme, day, all_agencies=True)
        page.get_by_role("button", name=TEXT["sv"]["create"]).click()
        expect(flash(page)).to_contain_text(TEXT["sv"]["created"])
        invite(page, "sv", regions)
        send_invitations(page, "sv")
        return page.url.removeprefix(live_server)
    finally:
        context.close()


def book_as(browser, live_server, email: str, round_path: str, slot_number: int) -> None:
    """Set-up: a strategist books the round's n-th slot in her own browser."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, email)
        page.goto(round_path)
        page.locator(".slot-picker .chips > li").nth(slot_number - 1).locator("label.chip").click()
        page.get_by_role("button", name=TEXT["sv"]["book"]).click()
        expect(flash(page)).to_contain_text(TEXT["sv"]["booked"])
    finally:
        context.close()


def tab_to(page, wanted: str, limit: int = 120) -> str:
    """Press Tab until the focused element's text starts with `wanted`; return that text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.innerText || document.activeElement.value || '').trim()")
        if text.startswith(wanted):
            return text
    raise AssertionError(f"{wanted!r} not reached with {limit} presses of Tab")


def tab_to_slot(page, limit: int = 120) -> None:
    """Press Tab until a slot chip's radio button has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input[type=radio][name=slot]')"):
            return
    raise AssertionError(f"no slot reached with {limit} presses of Tab")


# ---------------------------------------------------------------------------------------------
# 1. The planner: matching regions for an area, then a round inviting them


@pytest.mark.parametrize("lang", LANGUAGES)
def test_planner_starts_a_round_from_an_areas_matching_regions(page, shots, lang):
    t = TEXT[lang]
    theme = f"{t['area']} {uuid.uuid4().hex[:8]}"
    login(page, PLANNER)
    use_language(page, lang)

    open_nav(page, lang, "matching")
    assert_accessible(page, "matching")
    page.locator("#areas ~ ul").get_by_role("link", name=t["area"], exact=True).first.click()
    expect(page.locator("h1")).to_have_text(t["area"])
    ranked = page.locator("ol.ranked > li h3 a").all_inner_texts()
    assert len(ranked) >= 3, ranked
    top = ranked[:3]
    assert_accessible(page, "area")

    page.get_by_role("link", name=t["start_round"]).click()
    # The form arrives led by the area's agency, with the area chosen and named as the theme.
    expect(page.locator("#lead_organisation")).to_have_value("vinnova")
    expect(page.locator("#lead_area")).to_have_value("vinnova-hallbar-industri")
    expect(page.locator("#theme")).to_have_value(t["area"])
    assert_accessible(page, "new round")
    fill_round_form(page, theme, unique_day())
    page.get_by_role("button", name=t["create"]).click()
    expect(flash(page)).to_contain_text(t["created"])
    expect(page.locator("h1")).to_contain_text(theme)

    page.get_by_role("link", name=t["invite"], exact=True).click()
    # The invite list is the area's ranking, best first, each with its score and reason.
    rows = page.locator("table.data tbody tr")
    assert rows.locator("th label").all_inner_texts()[:3] == top
    assert_accessible(page, "invite regions")
    for name in top:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name=t["invite_selected"]).click()
    expect(flash(page)).to_contain_text(t["invited"].format(n=3))

    invited = page.locator("section[aria-labelledby=inv-heading] tbody tr")
    expect(invited).to_have_count(3)
    assert sorted(invited.locator("th").all_inner_texts()) == sorted(top)
    for reason in invited.locator("td:last-child").all_inner_texts():
        assert reason.strip() not in ("", "–")

    # Regions that also match agencies outside the round are warnings to acknowledge first.
    page.get_by_role("button", name=t["send"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/dialogues/\d+/schedule$"))
    assert_accessible(page, "schedule")
    warnings = page.locator("ul.warnings input[type=checkbox]")
    assert warnings.count() >= 1
    for box in warnings.all():
        box.check()
    page.get_by_role("button", name=t["acknowledge"]).click()
    expect(flash(page)).to_contain_text(t["acknowledged"])
    page.locator(".breadcrumb").get_by_role("link", name=theme).click()
    send_invitations(page, lang)
    assert_accessible(page, "round")
    page.screenshot(path=str(shots / f"journey-planner-round-from-area-{lang}.png"), full_page=True)


# ---------------------------------------------------------------------------------------------
# 2. The strategist: book a slot with the keyboard only, prepare the presentation, download the PDF


@pytest.mark.parametrize("lang", LANGUAGES)
def test_strategist_books_by_keyboard_and_downloads_her_presentation(page, browser, live_server, shots, lang,
                                                                    tmp_path: Path):
    t = TEXT[lang]
    code = uuid.uuid4().hex[:8]
    theme = f"Testbäddar {code}"
    round_path = open_round_as_planner(browser, live_server, theme, unique_day(), ["Region Östergötland"])

    login(page, OSTERGOTLAND)
    use_language(page, lang)

    # Keyboard only from here to the booked slot: the menu, the round, the first free slot.
    tab_to(page, t["dialogues"])
    assert page.evaluate(FOCUS_VISIBLE), "the focused menu link shows no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dialogues/$"))
    assert_accessible(page, "dialogues")
    tab_to(page, theme)
    assert page.evaluate(FOCUS_VISIBLE), "the focused round link shows no visible focus"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(round_path) + "$"))
    assert_accessible(page, "round (strategist)")
    first_slot = page.locator("table.slots tbody tr").first.locator("th").inner_text()
    # The free slots are chips under day headings: one Tab stop for them all, Space chooses the focused one.
    tab_to_slot(page)
    chip = page.locator("label.chip", has=page.locator("input:focus"))
    expect(chip).to_contain_text(first_slot)
    assert page.evaluate(FOCUS_VISIBLE), "the focused slot shows no visible focus"
    box = chip.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box  # a touch target (WCAG 2.5.5)
    page.keyboard.press("Space")
    expect(chip.locator("input")).to_be_checked()
    assert chip.evaluate("el => getComputedStyle(el).backgroundColor") != "rgb(255, 255, 255)"  # the choice shows
    tab_to(page, t["book"])
    assert page.evaluate(FOCUS_VISIBLE), "the focused booking button shows no visible focus"
    page.keyboard.press("Enter")
    expect(flash(page)).to_contain_text(t["booked"])
    # The running order is grouped under day headings, so its rows show the time alone.
    expect(page.locator("section[aria-labelledby=region-heading]")).to_contain_text(
        re.compile(rf"{t['your_slot']}: \d{{4}}-\d{{2}}-\d{{2}} {first_slot.split('–')[0]}"))
    expect(page.locator("table.slots tbody tr").first).to_contain_text("Region Östergötland")

    # The presentation: the template's draft comes filled from the region's priorities and the theme.
    page.get_by_role("link", name=t["prepare"]).click()
    assert_accessible(page, "presentation")
    s3 = page.locator("#f-region_s3")
    assert s3.input_value().strip(), "the draft should start from the region's S3 strategy"
    assert len([line for line in page.locator("#f-focus_areas").input_value().splitlines() if line.strip()]) >= 2
    text = f"Östergötland bjuder in till testbäddar för cirkulär produktion. Referens PDF{code}."
    s3.fill(text)
    page.get_by_role("button", name=t["save_presentation"]).click()
    # The draft leaves two sections to the region; saving names them and keeps what was typed.
    errors = page.locator("#errors[role=alert]")
    expect(errors.get_by_role("link")).to_have_count(2)
    expect(errors.get_by_role("link").first).to_have_attribute("href", "#f-international")
    expect(s3).to_have_value(text)
    page.locator("#f-international").fill("Vanguard-initiativet\nEIT Manufacturing")
    page.locator("#f-continue_dialogue").fill("Fullskaliga systemdemonstratorer inom cirkulär produktion")
    page.get_by_role("button", name=t["save_presentation"]).click()
    expect(flash(page)).to_contain_text(t["saved"])
    expect(s3).to_have_value(text)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t["pdf"]).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-ostergotland.pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(target)
    assert len(reader.pages) >= 3
    words = "".join("".join(p.extract_text() or "" for p in reader.pages).split())
    assert f"PDF{code}" in words and "Östergötland" in words and theme.replace(" ", "") in words
    page.screenshot(path=str(shots / f"journey-strategist-booking-presentation-{lang}.png"), full_page=True)


# ---------------------------------------------------------------------------------------------
# 3. The chair: running order, current and next presenter, the countdown with and without JavaScript


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chair_runs_the_session_with_the_timer(page, browser, live_server, shots, lang):
    t = TEXT[lang]
    theme = f"Körschema {uuid.uuid4().hex[:8]}"
    round_path = open_round_as_planner(browser, live_server, theme, unique_day(),
                                       ["Region Östergötland", "Region Västmanland"])
    book_as(browser, live_server, OSTERGOTLAND, round_path, 1)
    book_as(browser, live_server, VASTMANLAND, round_path, 2)

    login(page, PLANNER)
    use_language(page, lang)
    open_nav(page, lang, "dialogues")
    page.get_by_role("link", name=theme, exact=True).click()
    page.get_by_role("link", name=t["chair"]).click()
    run_path = page.url.removeprefix(live_server)
    now, next_up = page.locator("section.now"), page.locator("section.next")
    expect(now).to_contain_text(t["nobody"])
    expect(next_up).to_contain_text("Region Östergötland")
    assert_accessible(page, "running order")

    next_up.get_by_role("button", name=t["start"].format(region="Region Östergötland")).click()
    expect(now.locator(".presenter")).to_have_text("Region Östergötland")
    expect(now).to_contain_text(t["remaining"])
    expect(next_up.locator(".presenter")).to_have_text("Region Västmanland")
    value = now.locator(".timer-value")
    shown = value.inner_text()
    assert 590 <= seconds(shown) <= 600, shown
    # The script counts down between page loads.
    expect(value).not_to_have_text(shown, timeout=5000)
    assert seconds(value.inner_text()) < seconds(shown)
    expect(page.locator("tr[aria-current=true]")).to_contain_text("Region Östergötland")
    assert_accessible(page, "running order, presenting")

    # The same page without JavaScript: the server renders the time left, and every step is a form.
    context = browser.new_context(base_url=live_server, locale="sv-SE", java_script_enabled=False)
    try:
        nojs = context.new_page()
        login(nojs, PLANNER)
        use_language(nojs, lang)
        nojs.goto(run_path)
        now, next_up = nojs.locator("section.now"), nojs.locator("section.next")
        expect(now.locator(".presenter")).to_have_text("Region Östergötland")
        left = seconds(now.locator(".timer-value").inner_text())
        assert 0 < left <= seconds(shown)
        expect(now.locator("[data-countdown-seconds]")).to_have_attribute("data-countdown-seconds", str(left))
        now.get_by_role("link", name=t["refresh"]).click()
        assert seconds(nojs.locator("section.now .timer-value").inner_text()) <= left

        note = nojs.locator("tr", has_text="Region Östergötland").locator("textarea")
        note.fill("Vill prata systemdemonstratorer med Energimyndigheten")
        nojs.locator("tr", has_text="Region Östergötland").get_by_role("button", name=t["save_note"]).click()
        expect(flash(nojs)).to_contain_text(t["note_saved"])
        expect(nojs.locator("tr", has_text="Region Östergötland").locator("textarea")).to_have_value(
            "Vill prata systemdemonstratorer med Energimyndigheten")

        next_up.get_by_role("button", name=t["start"].format(region="Region Västmanland")).click()
        expect(now.locator(".presenter")).to_have_text("Region Västmanland")
        expect(nojs.locator("tr", has_text="Region Östergötland")).to_contain_text(t["done"])
        expect(next_up).to_contain_text(t["no_more"])
        now.get_by_role("button", name=t["end"]).click()
        expect(now).to_contain_text(t["nobody"])
        # Both have presented: neither comes round again as next.
        expect(next_up).to_contain_text(t["no_more"])
    finally:
        context.close()

    # Back on the chair's first screen (axe-core needs JavaScript): the finished session as it stands.
    page.get_by_role("link", name=t["refresh"]).click()
    expect(page.locator("section.now")).to_contain_text(t["nobody"])
    expect(page.locator("table.running-order tbody tr").filter(has_text=t["done"])).to_have_count(2)
    assert_accessible(page, "running order, finished")
    page.screenshot(path=str(shots / f"journey-chair-timer-{lang}.png"), full_page=True)


# ---------------------------------------------------------------------------------------------
# 4. The strategist saves an unfinished presentation as a draft, leaves, and comes back to her text

DRAFT = {
    "sv": {"prepare": "Förbered presentationen", "save_draft": "Spara utkast",
           "draft_saved": "Utkastet är sparat.", "draft_state": "Utkast sparat, inte klart",
           "not_saved": "Presentationen sparades inte"},
    "en": {"prepare": "Prepare the presentation", "save_draft": "Save draft",
           "draft_saved": "The draft has been saved.", "draft_state": "Draft saved, not ready",
           "not_saved": "The presentation was not saved"},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_strategist_saves_an_unfinished_draft_and_comes_back_to_it(page, browser, live_server, shots, lang):
    t, d = TEXT[lang], DRAFT[lang]
    theme = f"Utkast {uuid.uuid4().hex[:8]}"
    round_path = open_round_as_planner(browser, live_server, theme, unique_day(), ["Region Östergötland"])
    book_as(browser, live_server, OSTERGOTLAND, round_path, 1)

    login(page, OSTERGOTLAND)
    use_language(page, lang)
    card = page.locator("article.round-work").filter(has=page.get_by_role("heading", name=theme))
    card.locator(".next-step").get_by_role("link", name=d["prepare"]).click()
    # Two required sections are left to the region; half a text is typed and saved as a draft.
    expect(page.locator("#f-international")).to_have_value("")
    expect(page.locator("#f-continue_dialogue")).to_have_value("")
    typed = f"Halvfärdig text om testbäddar för cirkulär produktion ({uuid.uuid4().hex[:6]})."
    page.locator("#f-region_s3").fill(typed)
    page.get_by_role("button", name=d["save_draft"], exact=True).click()
    expect(flash(page)).to_contain_text(d["draft_saved"])

    # She leaves; the start page says the draft is not ready and leads back to it, text and all.
    page.locator("header a.brand").click()
    card = page.locator("article.round-work").filter(has=page.get_by_role("heading", name=theme))
    expect(card.locator("li.step-now")).to_contain_text(d["draft_state"])
    card.locator(".next-step").get_by_role("link", name=d["prepare"]).click()
    expect(page.locator("#f-region_s3")).to_have_value(typed)

    # "Ready" with the required sections empty: an error summary opens the form, a link per field.
    page.get_by_role("button", name=t["save_presentation"]).click()
    summary = page.locator(".error-summary#errors")
    expect(summary.get_by_role("heading")).to_have_text(d["not_saved"])
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    first_field = page.locator("form textarea, form input:not([type=hidden]), form select").first
    assert summary.bounding_box()["y"] < first_field.bounding_box()["y"], "the summary is not at the top"
    expect(page.locator("#f-region_s3")).to_have_value(typed)
    assert_accessible(page, "presentation with errors")
    page.screenshot(path=str(shots / f"journey-presentation-draft-errors-{lang}.png"), full_page=True)
    for target in ("f-international", "f-continue_dialogue"):
        summary.locator(f'a[href="#{target}"]').click()
        expect(page.locator(f"#{target}")).to_be_focused()
        expect(page.locator(f"#{target}")).to_be_in_viewport()


# ---------------------------------------------------------------------------------------------
# 5. The strategist answers with a presenter picked from the region's people, one added on the spot and a
#    time the region cannot present, as a date and a time range

ANSWER = {
    "sv": {"respond": "Svara på inbjudan", "yes": "Ja, vi presenterar", "save": "Spara svaret",
           "thanks": "Tack, svaret är sparat."},
    "en": {"respond": "Respond to the invitation", "yes": "Yes, we will present", "save": "Save the response",
           "thanks": "Thank you, your response has been saved."},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_strategist_answers_with_picked_and_added_presenters_and_an_unavailable_time(page, browser, live_server,
                                                                                    shots, lang):
    a = ANSWER[lang]
    theme = f"Svarsformulär {uuid.uuid4().hex[:8]}"
    day = unique_day()
    round_path = open_round_as_planner(browser, live_server, theme, day, ["Region Östergötland"])
    added = f"Nils Nyberg {uuid.uuid4().hex[:4]}"

    login(page, OSTERGOTLAND)
    use_language(page, lang)
    page.goto(round_path)
    page.locator("section[aria-labelledby=region-heading]").get_by_role("link", name=a["respond"]).click()
    expect(page).to_have_url(re.compile(re.escape(round_path) + "/answer$"))
    page.get_by_label(a["yes"]).check()
    # The region's people are choices; the strategist herself is one of them.
    page.locator("#presenters").get_by_label(re.compile(r"^Stina Strateg")).check()
    page.locator("#new-0-name").fill(added)
    page.locator("#new-0-email").fill(f"nils.{uuid.uuid4().hex[:6]}@example.org")
    # An unavailable time is a date and a from-to range, not free text.
    for part, kind in (("date", "date"), ("start", "time"), ("end", "time")):
        expect(page.locator(f"#unavailable-0-{part}")).to_have_attribute("type", kind)
    page.locator("#unavailable-0-date").fill(day.isoformat())
    page.locator("#unavailable-0-start").fill("09:00")
    page.locator("#unavailable-0-end").fill("09:20")
    assert_accessible(page, "answer form")
    page.screenshot(path=str(shots / f"journey-answer-choices-{lang}.png"), full_page=True)
    page.get_by_role("button", name=a["save"]).click()
    expect(flash(page)).to_contain_text(a["thanks"])

    # The round page shows the answer as given.
    row = page.locator("section[aria-labelledby=inv-heading] tbody tr").filter(has_text="Region Östergötland")
    expect(row.locator("td").nth(1)).to_contain_text("Stina Strateg")
    expect(row.locator("td").nth(1)).to_contain_text(added)
    expect(row.locator("td").nth(2)).to_have_text(f"{day.isoformat()} 09:00–09:20")

    # And the form, opened again, holds the same choices to change.
    page.goto(round_path + "/answer")
    expect(page.locator("#presenters").get_by_label(re.compile(r"^Stina Strateg"))).to_be_checked()
    expect(page.locator("#new-0-name")).to_have_value(added)
    expect(page.locator("#unavailable-0-date")).to_have_value(day.isoformat())
    expect(page.locator("#unavailable-0-start")).to_have_value("09:00")
    expect(page.locator("#unavailable-0-end")).to_have_value("09:20")
