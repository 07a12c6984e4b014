"""A dossier in a real browser: its summary's links land on the folded sections they name and open them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

READER = "lasare@demo.synergy.invalid"


@pytest.mark.parametrize("path", ["/directory/organisations/vinnova", "/directory/regions/ostergotland"])
def test_summary_links_jump_to_their_sections(page, shots, path):
    login(page, READER)
    page.goto(path)
    summary = page.locator(".dossier-summary")
    expect(summary).to_be_visible()
    sections = page.locator("details.dossier-section")
    expect(sections.first).not_to_have_attribute("open", "")
    assert_accessible(page, path)

    for key in ("actions", "calls", "projects", "dialogues"):
        summary.locator(f'a[href="#{key}"]').click()
        section = page.locator(f"details#{key}")
        expect(section).to_have_attribute("open", "")
        expect(section.locator("summary h2")).to_be_in_viewport()
        assert page.url.endswith(f"#{key}")
    page.screenshot(path=str(shots / f"dossier-{path.rsplit('/', 1)[-1]}-summary-1280.png"))

    # The section's own heading toggles it, as any <details>.
    page.locator("details#actions > summary").click()
    expect(page.locator("details#actions")).not_to_have_attribute("open", "")
