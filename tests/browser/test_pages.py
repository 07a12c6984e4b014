"""The workspace in a real headless Chromium: log in, walk the main pages at laptop and phone width,
and check landmarks, labels, keyboard use and axe-core's WCAG 2.1 AA rules.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


A11Y_SCRIPT = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.getAttribute('aria-label')
      || el.closest('label');
    if (!labelled) problems.push('unlabelled ' + el.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img:not([alt])')) problems.push('img without alt');
  if (!document.querySelector('main')) problems.push('no <main>');
  if (!document.documentElement.lang) problems.push('no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  for (const t of document.querySelectorAll('table')) {
    if (!t.querySelector('th')) problems.push('table without header cells');
  }
  return problems;
}"""

PAGES = [
    ("start", "/start"),
    ("regions", "/directory/regions"),
    ("region", "/directory/regions/ostergotland"),
    ("agencies", "/directory/agencies"),
    ("agency", "/directory/organisations/vinnova"),
    ("funders", "/directory/funders"),
    ("clusters", "/directory/clusters"),
    ("profile", "/profile"),
]


def test_login_page_is_swedish_and_keyboard_usable(page, shots):
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate(A11Y_SCRIPT) == []
    assert_accessible(page, "login")
    page.screenshot(path=str(shots / "login.png"), full_page=True)


@pytest.mark.parametrize("width,label", [(1280, "laptop"), (390, "phone")])
def test_main_pages_render_accessibly(page, shots, width, label):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "planerare@demo.synergy.invalid")
    for name, path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate(A11Y_SCRIPT) == [], path
        assert_accessible(page, name)
        # Nothing may force sideways scrolling of the whole page on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} overflows by {overflow}px at {width}px"
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)


def test_regions_page_lists_all_21_regions_with_real_s3_areas(page):
    login(page, "lasare@demo.synergy.invalid")
    page.goto("/directory/regions")
    assert page.locator("table.data tbody tr").count() == 21
    page.goto("/directory/regions/ostergotland")
    assert page.locator("article.card").count() >= 3
    assert "Källa" in page.inner_text("main")


def test_english_is_available(page):
    page.goto("/login?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("h1") == "Log in"
