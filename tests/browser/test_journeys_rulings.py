"""Browser journey of the state-aid taskforce: log a ruling, revise it, compare the versions and find it
again by searching for another inflection of a word in its text.

Runs in Swedish and in English and makes its own uniquely titled ruling on the shared server.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, use_language

pytestmark = pytest.mark.browser

TASKFORCE = "taskforce@demo.synergy.invalid"
TEXT = {
    "sv": {"nav": "Statsstöd", "new": "Nytt avgörande", "save_draft": "Spara utkast", "saved": "är sparat som utkast",
           "new_version": "Ny version", "save_version": "Spara ny version", "reason_missing": "Ange skälet",
           "version_saved": "Version 2 av", "of_two": "version 2 av 2", "current": "gällande",
           "compare": "Jämför valda versioner", "diff": "Skillnader mellan version 1 och 2", "search": "Sök",
           "none": "Inga avgöranden matchar sökningen."},
    "en": {"nav": "State aid", "new": "New ruling", "save_draft": "Save draft", "saved": "has been saved as a draft",
           "new_version": "New version", "save_version": "Save new version", "reason_missing": "Give the reason",
           "version_saved": "Version 2 of", "of_two": "version 2 of 2", "current": "current",
           "compare": "Compare the selected versions", "diff": "Differences between version 1 and 2",
           "search": "Search", "none": "No rulings match the search."},
}
FIRST_CONCLUSION = "Stödet till laddinfrastrukturen i hamnen är förenligt med GBER art. 36a."
SECOND_CONCLUSION = "Stödet till vätgastankstationerna i hamnen är förenligt med GBER art. 36a."


def search_rulings(page, t: dict, words: str) -> None:
    page.get_by_role("navigation", name=re.compile("Huvudmeny|Main menu")).get_by_role(
        "link", name=t["nav"], exact=True).click()
    page.locator("#q").fill(words)
    page.get_by_role("search").get_by_role("button", name=t["search"], exact=True).click()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_taskforce_logs_revises_and_finds_a_ruling(page, shots, lang):
    t = TEXT[lang]
    title = f"Hamnens energiinfrastruktur {uuid.uuid4().hex[:6]}"
    login(page, TASKFORCE)
    use_language(page, lang)
    page.get_by_role("navigation", name=re.compile("Huvudmeny|Main menu")).get_by_role(
        "link", name=t["nav"], exact=True).click()
    assert_accessible(page, "ruling register")

    # Log the ruling as a draft.
    page.get_by_role("link", name=t["new"]).click()
    page.locator("#title").fill(title)
    page.locator("#question").fill("Får hamnbolaget stöd till publik laddning för tunga fordon i hamnen?")
    page.locator("#facts").fill("Hamnbolaget ägs av kommunen och upplåter infrastrukturen till alla på lika villkor.")
    page.locator("#assessment").fill("Infrastrukturen är öppen för alla användare; stödet prövas mot art. 36a.")
    page.locator("#conclusion").fill(FIRST_CONCLUSION)
    page.locator("#legal_basis").fill("(EU) 651/2014 art. 36a")
    assert_accessible(page, "new ruling form")
    page.get_by_role("button", name=t["save_draft"]).click()
    expect(page.locator(".flash-success")).to_contain_text(t["saved"])
    expect(page.locator("h1")).to_contain_text(title)
    number = page.locator("h1").inner_text().split(":")[0]
    assert re.fullmatch(r"TF-\d{4}-\d{3,}", number), number

    # Revise it: without a reason nothing is saved and the reason field says why.
    page.get_by_role("link", name=t["new_version"], exact=True).click()
    expect(page.locator("#conclusion")).to_have_value(FIRST_CONCLUSION)
    page.locator("#conclusion").fill(SECOND_CONCLUSION)
    page.get_by_role("button", name=t["save_version"]).click()
    expect(page.locator(".field", has=page.locator("#reason")).locator(".error")).to_contain_text(
        t["reason_missing"])
    expect(page.locator("#conclusion")).to_have_value(SECOND_CONCLUSION)
    page.locator("#reason").fill("Projektet gäller vätgas, inte laddning.")
    page.get_by_role("button", name=t["save_version"]).click()
    expect(page.locator(".flash-success")).to_contain_text(f"{t['version_saved']} {number}")
    expect(page.locator(".ruling-meta")).to_contain_text(t["of_two"])

    # The history lists both versions; comparing them shows what was removed and added.
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(t["current"])
    expect(rows.nth(0)).to_contain_text("Projektet gäller vätgas, inte laddning.")
    page.get_by_role("button", name=t["compare"]).click()
    diff = page.locator("#diff")
    expect(diff.locator("h2")).to_have_text(t["diff"])
    expect(diff.locator("del")).to_contain_text(["laddinfrastrukturen"])
    expect(diff.locator("ins")).to_contain_text(["vätgastankstationerna"])
    assert_accessible(page, "ruling with diff")

    # Search finds it by another inflection of a word of the current text ...
    search_rulings(page, t, "vätgastankstationer")
    hit = page.locator("ol.ruling-list li", has_text=title)
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_be_visible()
    assert_accessible(page, "ruling search")
    page.screenshot(path=str(shots / f"journey-ruling-{lang}.png"), full_page=True)
    # ... and no longer by the word the revision took out.
    search_rulings(page, t, "laddinfrastruktur")
    # The result count (the page may also carry a ruleset notice with the same role).
    expect(page.locator("p[role=status]:not(.notice)")).to_be_visible()
    expect(page.locator("ol.ruling-list li", has_text=title)).to_have_count(0)

    search_rulings(page, t, "vätgastankstationer")
    page.locator("ol.ruling-list").get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.locator("h1")).to_have_text(f"{number}: {title}")
