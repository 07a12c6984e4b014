"""Browser journey: a planner reads a joint project's verdict, opens the budget editor, unfolds one partner
and sees that partner's totals and the totals per funder follow what she types; nothing is saved until she
saves. Both languages, at laptop and phone width, with axe on both pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, use_language

pytestmark = pytest.mark.browser

PLANNER = "planerare@demo.synergy.invalid"
DEMO = "Systemdemonstrator för hållbar och resilient produktion"
TEXT = {
    "sv": {"projects": "Projekt", "verdict": "Kontrollens resultat", "first": "Rätta det här först",
           "edit_budget": "Redigera budget", "costs": "kostnader 12 345 678,00 kr",
           "funder_amount": "1 000,50 kr", "cancel": "Avbryt", "totals": "Räkna om summor"},
    "en": {"projects": "Projects", "verdict": "Result of the check", "first": "Fix this first",
           "edit_budget": "Edit budget", "costs": "costs SEK 12,345,678.00",
           "funder_amount": "SEK 1,000.50", "cancel": "Cancel", "totals": "Update totals"},
}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_budget_totals_follow_what_the_planner_types(page, shots, lang):
    t = TEXT[lang]
    login(page, PLANNER)
    use_language(page, lang)
    page.get_by_role("navigation", name=re.compile("Huvudmeny|Main menu")).get_by_role(
        "link", name=t["projects"], exact=True).click()
    page.get_by_role("link", name=re.compile(DEMO)).first.click()
    verdict = page.locator("#resultat")
    expect(verdict.get_by_role("heading", name=t["verdict"])).to_be_visible()
    expect(verdict.get_by_role("heading", name=t["first"])).to_be_visible()
    # The link to the flag lands on a visible flag (its partner's section is open).
    href = verdict.locator(".fix-first a").get_attribute("href")
    expect(page.locator(href)).to_be_visible()
    assert_accessible(page, "project page")
    page.screenshot(path=str(shots / f"journey-budget-totals-project-{lang}.png"), full_page=True)

    page.get_by_role("link", name=t["edit_budget"]).click()
    assert_accessible(page, "budget editor, folded")
    group = page.locator("details.budget-partner").first
    expect(group).not_to_have_attribute("open", "")
    group.locator("summary").focus()
    page.keyboard.press("Enter")  # unfold the first partner with the keyboard
    expect(group).to_have_attribute("open", "")
    summary = group.locator("summary")
    before = summary.inner_text()

    # The first cost line gets a new amount: the partner's cost total follows while typing.
    amounts = group.locator("tr.cost-row input.amount")
    kept = [amounts.nth(i).input_value() for i in range(amounts.count())]
    amounts.first.fill("")
    others = sum(int(re.sub(r"\D", "", v) or 0) for v in kept[1:])
    amounts.first.type(str(12_345_678 - others))
    expect(summary).to_contain_text(t["costs"])
    assert summary.inner_text() != before

    # A new funding line for a funder picked by name shows up in the totals per funder.
    spare = group.locator("tr.fund-row").last
    spare.locator("input.source").fill("Energimyndigheten")
    spare.locator("select.kind").select_option("state")
    spare.locator("input.amount").type("1000,50")
    row = page.locator("#funder-totals tr", has_text="Energimyndigheten")
    expect(row).to_contain_text(t["funder_amount"])
    assert_accessible(page, "budget editor, one partner open")
    page.screenshot(path=str(shots / f"journey-budget-totals-editor-{lang}.png"), full_page=True)

    # Nothing was saved: leaving and coming back shows the stored amounts.
    page.get_by_role("link", name=t["cancel"]).click()
    page.get_by_role("link", name=t["edit_budget"]).click()
    group = page.locator("details.budget-partner").first
    assert group.locator("tr.cost-row input.amount").first.input_value() == kept[0]
    expect(page.locator("#funder-totals")).not_to_contain_text("Energimyndigheten")

    page.set_viewport_size({"width": 390, "height": 844})
    _no_sideways_scroll(page)
    page.locator("details.budget-partner summary").first.click()
    _no_sideways_scroll(page)
    expect(page.get_by_role("button", name=t["totals"])).to_be_visible()
    page.screenshot(path=str(shots / f"journey-budget-totals-editor-390-{lang}.png"), full_page=True)
