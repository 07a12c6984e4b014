"""Every page an admin can open satisfies the Content-Security-Policy: no inline script or style,
no resource from elsewhere. A violation would mean a broken page under the policy, or a policy
loosened to let it work."""

from __future__ import annotations

import pytest

from synergy_app import create_app
from tests.browser.conftest import login
from tests.test_route_access import _url

pytestmark = pytest.mark.browser

# Collects what Chromium reports as blocked, also events fired before the console is read.
LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _get_pages() -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "core.set_language", "core.healthz"):
            continue
        if rule.rule.startswith("/api/"):
            continue
        urls.append(_url(rule))
    return sorted(urls)


def test_every_page_satisfies_the_content_security_policy(page):
    page.add_init_script(LISTENER)
    login(page, "admin@demo.synergy.invalid")
    problems = []
    visited = 0
    for url in _get_pages():
        answer = page.request.get(url)
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue  # downloads (CSV, XLSX, PDF, ICS) run no code
        page.goto(url)
        page.wait_for_load_state("load")
        visited += 1
        for violation in page.evaluate("window.__csp"):
            problems.append(f"{url}: {violation}")
    problems += page.csp_violations
    # The listener does catch what the policy blocks: an injected inline script.
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.ran") is None
    assert visited > 50
    assert problems == []
