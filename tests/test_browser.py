"""The workspace in a real headless Chromium: set up from the command line as a newcomer would,
log in, walk the main pages at laptop and phone width, and check landmarks, labels and keyboard use.

Screenshots are written to $SCREENSHOT_DIR (default: a temporary folder) for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-synergi-2026"
FLASK = [sys.executable, "-m", "flask", "--app", "synergy_app"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("live")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}", "SECRET_KEY": "live-test"}
    for args in (["db", "upgrade"], ["seed", "--demo"]):
        subprocess.run(FLASK + args, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(FLASK + ["run", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - local test server
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/start")


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
    ("funders", "/directory/funders"),
    ("clusters", "/directory/clusters"),
    ("profile", "/profile"),
]


def test_login_page_is_swedish_and_keyboard_usable(live_server, browser, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/login")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate(A11Y_SCRIPT) == []
    page.screenshot(path=str(shots / "login.png"), full_page=True)


@pytest.mark.parametrize("width,label", [(1280, "laptop"), (390, "phone")])
def test_main_pages_render_accessibly(live_server, browser, shots, width, label):
    page = browser.new_page(viewport={"width": width, "height": 900})
    _login(page, live_server, "planerare@demo.synergy.invalid")
    for name, path in PAGES:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert page.evaluate(A11Y_SCRIPT) == [], path
        # Nothing may force sideways scrolling of the whole page on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} overflows by {overflow}px at {width}px"
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)


def test_regions_page_lists_all_21_regions_with_real_s3_areas(live_server, browser):
    page = browser.new_page()
    _login(page, live_server, "lasare@demo.synergy.invalid")
    page.goto(live_server + "/directory/regions")
    assert page.locator("table.data tbody tr").count() == 21
    page.goto(live_server + "/directory/regions/ostergotland")
    assert page.locator("article.card").count() >= 3
    assert "Källa" in page.inner_text("main")


def test_english_is_available(live_server, browser):
    page = browser.new_page()
    page.goto(live_server + "/login?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("h1") == "Log in"
