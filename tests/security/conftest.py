"""The browser fixtures (live server with demo data, headless Chromium) for the CSP walk."""

from tests.browser.conftest import browser, live_server, page, shots  # noqa: F401
