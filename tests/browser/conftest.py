"""Browser fixtures: one live server with the demo data on the selected database, headless Chromium,
screenshots kept as test artefacts, and an axe-core check for WCAG 2.1 AA.

Screenshots go to $SCREENSHOT_DIR (default: artifacts/screenshots in the working copy).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live import DEMO_PASSWORD, live_database, prepare, running_server

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The workspace served by `flask run` on loopback, with reference and demo data loaded."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
    with live_database(tmp_path_factory.mktemp("live"), "browser") as url:
        prepare(url, demo=True)
        with running_server(url) as base:
            yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, Swedish unless the test switches language."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE",
                                  accept_downloads=True, base_url=live_server)
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))
    yield page
    context.close()


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
