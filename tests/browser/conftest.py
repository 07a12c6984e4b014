"""Helpers for the browser tests: log in, switch language, and axe-core's WCAG 2.1 AA check.

The fixtures they use (`browser`, `live_server`, `page`, `shots`) are in tests/conftest.py, so every
test directory shares one Chromium and one live server.
"""

from __future__ import annotations

from tests.live import DEMO_PASSWORD

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/start")


def use_language(page, lang: str) -> None:
    """Switch the interface as a user does: the language link in the page header."""
    from playwright.sync_api import expect

    if lang == "en":
        page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def axe_violations(page) -> list[str]:
    """Serious or critical WCAG 2.1 A/AA violations on the current page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING_IMPACTS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def assert_accessible(page, label: str) -> None:
    """axe needs JavaScript: call it on pages of a context with JavaScript on (it waits forever otherwise)."""
    problems = axe_violations(page)
    assert not problems, f"{label} ({page.url}):\n" + "\n".join(problems)
    assert not getattr(page, "csp_violations", []), f"{label}: CSP violations {page.csp_violations}"
