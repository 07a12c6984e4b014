"""Browser journeys of co-funding work: a planner imports funders' calls and finds the ones that are not
aligned; a case officer enters a joint project's budget by keyboard and takes its check report as PDF.

Each journey runs in Swedish and in English and makes its own uniquely named data on the shared server.
"""

from __future__ import annotations

import io
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, use_language

pytestmark = pytest.mark.browser

PLANNER = "planerare@demo.synergy.invalid"
TEXT = {
    "sv": {
        "calls": "Utlysningar", "import": "Importera", "import_h1": "Importera utlysningar",
        "preview": "Förhandsgranska", "save_import": "Spara importen", "new": "Ny",
        "saved_1": "Importen är sparad: 1 nya", "saved_2": "Importen är sparad: 2 nya",
        "timeline": "Tidslinje", "year": "Kalenderår", "next": "Nästa", "coordination": "Samordning per tema",
        "alignable": "Kan samordnas", "no_overlap": "Ansökningsperioderna överlappar inte",
        "coordinate": "Samordna och kontrollera", "checks": "Kontroller av tidsplanen",
        "short": "kortare än minimum 42 dagar", "other_call": "Utlysning att samordna med",
        "nothing_saved": "Ingenting sparas",
        "deadline_error": "sista ansökningsdag: Sista ansökningsdag 2027-04-15 ligger före öppningsdagen 2027-05-03.",
    },
    "en": {
        "calls": "Calls", "import": "Import", "import_h1": "Import calls",
        "preview": "Preview", "save_import": "Save the import", "new": "New",
        "saved_1": "Import saved: 1 new", "saved_2": "Import saved: 2 new",
        "timeline": "Timeline", "year": "Calendar year", "next": "Next", "coordination": "Coordination by theme",
        "alignable": "Can be coordinated", "no_overlap": "The application windows do not overlap",
        "coordinate": "Coordinate and check", "checks": "Timetable checks",
        "short": "shorter than the minimum 42 days", "other_call": "Call to coordinate with",
        "nothing_saved": "Nothing is saved",
        "deadline_error": "deadlines: Deadline 2027-04-15 is before the opening date 2027-05-03.",
    },
}


def go_to_nav(page, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("Huvudmeny|Main menu")).get_by_role("link", name=name,
                                                                                       exact=True).click()


# --- Journey 4: import calls, see them on the timeline, get the alignment flags --------------------

def _ics(tag: str) -> str:
    # One event without a kind is the application window: 1–18 March 2027 (DTEND is exclusive).
    return "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Region Test//Utlysningar//SV",
        "BEGIN:VEVENT", f"UID:regional-uppvaxling-{tag}@example.org", "DTSTAMP:20261101T120000Z",
        "DTSTART;VALUE=DATE:20270301", "DTEND;VALUE=DATE:20270319",
        f"SUMMARY:Regional uppväxling {tag}", "END:VEVENT", "END:VCALENDAR", ""])


def _csv(tag: str) -> str:
    header = "finansiär;referens;titel;öppnar;sista ansökningsdag;beslut;teman"
    return "\n".join([
        header,
        f"vinnova;HI-{tag};Hållbar industri genomförande {tag};2027-05-03;2027-06-15 14:00;2027-09-30;"
        "vinnova-hallbar-industri",
        f"energimyndigheten;IK-{tag};Industriklivet pilot {tag};2027-08-16;2027-10-14 14:00;2028-01-31;"
        "vinnova-hallbar-industri",
        ""])


def _import(page, t: dict, path, funder_label: str | None, expected_flash: str, titles: list[str]) -> None:
    page.get_by_role("link", name=t["import"], exact=True).click()
    expect(page.locator("h1")).to_have_text(t["import_h1"])
    assert_accessible(page, "import form")
    page.set_input_files("#file", str(path))
    if funder_label:
        page.select_option("#funder", label=funder_label)
    page.get_by_role("button", name=t["preview"]).click()
    preview = page.locator("table.import-preview tbody")
    for title in titles:
        row = preview.locator("tr", has_text=title)
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_have_text(t["new"])
    assert_accessible(page, "import preview")
    page.get_by_role("button", name=t["save_import"]).click()
    expect(page.locator(".flash-success")).to_contain_text(expected_flash)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_imports_calls_and_sees_which_are_not_aligned(page, shots, tmp_path, lang):
    t = TEXT[lang]
    tag = uuid.uuid4().hex[:6]
    ics_title, vinnova_title, energy_title = (f"Regional uppväxling {tag}", f"Hållbar industri genomförande {tag}",
                                              f"Industriklivet pilot {tag}")
    ics_file, csv_file = tmp_path / f"region-{tag}.ics", tmp_path / f"utlysningar-{tag}.csv"
    ics_file.write_text(_ics(tag), encoding="utf-8")
    csv_file.write_text(_csv(tag), encoding="utf-8")

    login(page, PLANNER)
    use_language(page, lang)
    go_to_nav(page, t["calls"])
    # The ICS feed names no funder: the planner says whose calls they are.
    _import(page, t, ics_file, "Tillväxtverket", t["saved_1"], [ics_title])
    # A slip in the spreadsheet (deadline typed before the opening) is shown on its row and saves nothing.
    bad_file = tmp_path / f"utlysningar-{tag}-fel.csv"
    bad_file.write_text(_csv(tag).replace("2027-06-15 14:00", "2027-04-15 14:00"), encoding="utf-8")
    page.get_by_role("link", name=t["import"], exact=True).click()
    page.set_input_files("#file", str(bad_file))
    page.get_by_role("button", name=t["preview"]).click()
    expect(page.get_by_role("alert")).to_contain_text(t["nothing_saved"])
    bad_row = page.locator("table.import-preview tbody tr", has_text=f"HI-{tag}")
    expect(bad_row.locator(".error")).to_have_text(t["deadline_error"])
    expect(page.get_by_role("button", name=t["save_import"])).to_have_count(0)
    assert_accessible(page, "import preview with errors")
    page.screenshot(path=str(shots / f"journey-call-import-errors-{lang}.png"), full_page=True)
    _import(page, t, csv_file, None, t["saved_2"], [vinnova_title, energy_title])
    # The list, searched for the import's tag, shows all three calls.
    page.get_by_role("search").locator("#f-q").fill(tag)
    page.get_by_role("search").locator("button[type=submit]").click()
    for title in (ics_title, vinnova_title, energy_title):
        expect(page.locator("main")).to_contain_text(title)

    # The timeline of 2027 has a bar for each imported call (it opens on this month and the next twelve).
    page.get_by_role("link", name=t["timeline"], exact=True).click()
    page.get_by_role("link", name=t["year"], exact=True).click()
    page.get_by_role("link", name=re.compile(t["next"])).click()
    expect(page.locator(".timeline-nav strong")).to_have_text("2027-01-01 – 2027-12-31")
    for title in (ics_title, vinnova_title, energy_title):
        expect(page.locator(".timeline-wrap svg g.bar title", has_text=title)).to_have_count(1)
    assert_accessible(page, "timeline")

    # The coordination view by theme pairs the two funders' calls on one theme whose windows do not meet.
    page.get_by_role("link", name=t["coordination"], exact=True).click()
    page.get_by_role("link", name="2027 →").click()
    pair = page.locator("li", has_text=f"{vinnova_title} + {energy_title}")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text(t["no_overlap"])
    expect(page.locator("section", has=pair).locator("h3").first).to_have_text(t["alignable"])
    assert_accessible(page, "coordination by theme")

    # Vinnova's call and the regional call should co-fund the same projects: mark them coordinated and check.
    page.get_by_role("link", name=vinnova_title, exact=True).click()
    expect(page.locator("h1")).to_contain_text(vinnova_title)
    options = page.locator("#other option", has_text=ics_title)
    expect(options).to_have_count(1)
    page.get_by_label(t["other_call"]).select_option(label=options.inner_text())
    page.get_by_role("button", name=t["coordinate"]).click()
    expect(page.locator("h2", has_text=t["checks"])).to_be_visible()
    members = page.locator("table.call-table tbody th")
    expect(members).to_have_count(2)
    main = page.locator("main")
    expect(main).to_contain_text(t["no_overlap"])
    expect(main).to_contain_text(t["short"])  # 17 days from opening to deadline
    expect(main).to_contain_text("2027-03-18")  # the regional call's last day, named in the flag
    assert_accessible(page, "coordinated set")
    page.screenshot(path=str(shots / f"journey-call-import-{lang}.png"), full_page=True)


# --- Journey 5: a joint project's budget, entered by keyboard, with its flags and PDF report -------

PROJECT_TEXT = {
    "sv": {"projects": "Projekt", "new_project": "Nytt projekt", "save": "Spara", "created": "Projektet är skapat",
           "add_partner": "Lägg till partner", "edit_budget": "Redigera budget", "budget_saved": "Budgeten är sparad",
           "company": "Företag", "research": "Forskningsorganisation", "small": "litet företag",
           "experimental": "experimentell", "non_economic": "icke", "state": "statlig",
           "report": "Kontrollrapport (PDF)", "intensity": "högsta tillåtna är 45\u00a0%",
           "private_short": "behöver minst 550\u00a0000,00\u00a0kr i privat medfinansiering",
           "pdf_intensity": "högsta tillåtna är 45", "not_saved": "Budgeten sparades inte",
           "bad_cell": "Kostnadsrad 1: belopp", "region": "Region Norrbotten"},
    "en": {"projects": "Projects", "new_project": "New project", "save": "Save", "created": "The project has been",
           "add_partner": "Add partner", "edit_budget": "Edit budget", "budget_saved": "The budget has been saved",
           "company": "Company", "research": "Research organisation", "small": "small enterprise",
           "experimental": "experimental", "non_economic": "non-economic", "state": "state",
           "report": "Check report (PDF)", "intensity": "the maximum is 45%",
           "private_short": "of private co-financing but has planned",
           "pdf_intensity": "the maximum is 45", "not_saved": "The budget was not saved",
           "bad_cell": "Cost row 1: amount", "region": "Region Norrbotten"},
}


def tab_to(page, element_id: str, backwards: bool = False, limit: int = 300) -> None:
    """Press Tab (or Shift+Tab) until the element with this id has the focus, as a keyboard user moves."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press(key)
    raise AssertionError(f"#{element_id} never received the focus by {key}")


def choose(page, element_id: str, typed: str, expected_value: str) -> None:
    """Pick an option of the focused select by typing the start of its name (the browser's type-ahead)."""
    tab_to(page, element_id)
    page.keyboard.type(typed)
    expect(page.locator(f"#{element_id}")).to_have_value(expected_value)


def enter_text(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def _add_partner(page, p: dict, name: str, kind_label: str, size_label: str | None) -> None:
    page.get_by_role("link", name=p["add_partner"]).click()
    page.locator("#f-name").fill(name)
    page.locator("#f-kind").select_option(label=kind_label)
    if size_label:
        page.locator("#f-size_stated").select_option(label=size_label)
    page.get_by_role("button", name=p["save"], exact=True).click()
    expect(page.locator("main")).to_contain_text(name)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_case_officer_enters_budget_by_keyboard_and_downloads_the_check_report(page, shots, lang):
    from pypdf import PdfReader

    p = PROJECT_TEXT[lang]
    tag = uuid.uuid4().hex[:6]
    title = f"Gemensamt demonstratorprojekt {tag}"
    company, university = f"Kvarnbolaget {tag} AB", f"Lunds {tag} högskola"
    login(page, PLANNER)
    use_language(page, lang)
    go_to_nav(page, p["projects"])
    page.get_by_role("link", name=p["new_project"]).click()
    page.locator("#f-title").fill(title)
    page.get_by_label(p["region"]).check()
    page.locator("#f-grant_date").fill("2026-12-01")
    page.locator("#f-application_date").fill("2026-11-20")
    page.locator("#f-work_start").fill("2027-01-15")
    page.locator("#f-exchange_rate_eur_sek").fill("11.2")
    assert_accessible(page, "new project")
    page.get_by_role("button", name=p["save"], exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(p["created"])
    _add_partner(page, p, company, p["company"], p["small"])
    _add_partner(page, p, university, p["research"], None)

    page.get_by_role("link", name=p["edit_budget"]).click()
    assert_accessible(page, "budget editor")
    # From here on the budget is entered with the keyboard only: Tab, type-ahead in the lists, typing, Enter.
    # The table is folded per partner (both open for a two-partner project); each partner's rows come first
    # for the company, then for the university, and the funder is picked by its name.
    choose(page, "cost-0-category", p["experimental"], "experimental_development")
    enter_text(page, "cost-0-amount", "1 000 000")
    enter_text(page, "fund-0-source", "Vinnova")
    page.keyboard.press("Escape")  # close the funder suggestions
    choose(page, "fund-0-kind", p["state"], "state")
    choose(page, "fund-0-category", p["experimental"], "experimental_development")
    enter_text(page, "fund-0-amount", "700 000")
    choose(page, "cost-1-category", p["non_economic"], "non_economic")
    enter_text(page, "cost-1-amount", "500000")
    enter_text(page, "fund-1-source", "Vinnova")
    page.keyboard.press("Escape")
    choose(page, "fund-1-kind", p["state"], "state")
    choose(page, "fund-1-category", p["non_economic"], "non_economic")
    enter_text(page, "fund-1-amount", "500 000")
    # Back to the first cost line with Shift+Tab; a typing slip there saves nothing and names the cell.
    tab_to(page, "cost-0-amount", backwards=True)
    page.keyboard.press("Control+A")
    # Dots as thousands separators ("kr" and "kr." after the amount are read, so the slip is the dots).
    page.keyboard.type("1.000.000 kr")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert.locator("h2")).to_have_text(p["not_saved"])
    expect(alert.get_by_role("link", name=p["bad_cell"])).to_have_count(1)
    expect(page.locator("#cost-0-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#fund-1-amount")).to_have_value("500 000")  # the rest of the entry is kept
    tab_to(page, "cost-0-amount")
    page.keyboard.press("Control+A")
    page.keyboard.type("1000000")
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text(p["budget_saved"])
    main = page.locator("main")
    expect(main.locator("code", has_text="AID_INTENSITY_EXCEEDED")).to_have_count(1)
    expect(main.locator("code", has_text="PRIVATE_COFINANCING_SHORT")).to_have_count(1)
    expect(main).to_contain_text(p["intensity"])
    expect(main).to_contain_text(p["private_short"])
    assert_accessible(page, "project with flags")
    page.screenshot(path=str(shots / f"journey-project-budget-{lang}.png"), full_page=True)

    # The report link opens Chromium's PDF viewer, which hides the file from the page: fetch the link's
    # target with the user's session instead, as "save link as" would.
    response = page.request.get(page.get_by_role("link", name=p["report"]).get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    pdf_text = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(pdf_text.split())
    assert title in flat
    for code in ("AID_INTENSITY_EXCEEDED", "PRIVATE_COFINANCING_SHORT"):
        assert code in flat
    assert p["pdf_intensity"] in flat
