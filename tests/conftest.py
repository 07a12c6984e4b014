"""Shared fixtures: one migrated and seeded database per test run, one rolled-back transaction per test.

The database is SQLite in a temporary folder unless DATABASE_URL points elsewhere (CI also
runs the suite against PostgreSQL). The schema is built by the migrations, as in production.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text

from synergy_app import create_app
from synergy_app.extensions import db

TEST_PASSWORD = "correct-horse-battery"


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{tmp_dir / 'test.sqlite3'}"


def reset_database(url: str) -> None:
    """Empty the test database so the migrations build it from nothing."""
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[1]
        if os.path.exists(path):
            os.remove(path)
        return
    url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from synergy_app.core.seed import seed_reference

    reset_database(database_url)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "LOGIN_MAX_FAILURES": 5,
        "SERVER_NAME": "localhost",
        "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
    })
    with app.app_context():
        upgrade()
        seed_reference()
    yield app
    with app.app_context():
        db.engine.dispose()


class _JoinedSession(FlaskSession):
    """A session bound to the test's outer connection, so every commit is only a savepoint."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def db_session(app):
    """Run the test inside one transaction that is rolled back afterwards."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _JoinedSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def make_user(db_session):
    from synergy_app.auth import service

    counter = iter(range(1, 10_000))

    def _make(role: str = "reader", region: str | None = None, email: str | None = None, **kwargs):
        email = email or f"{role}{next(counter)}@test.invalid"
        if role == "planner" and "organisation" not in kwargs and "organisation_id" not in kwargs:
            kwargs["organisation"] = "vinnova"  # a planner works for an agency; Vinnova leads the test rounds
        return service.create_user(email, role, TEST_PASSWORD, region_code=region, actor="test", **kwargs)

    return _make


@pytest.fixture
def login(client):
    def _login(user):
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


@pytest.fixture
def api_token(db_session):
    from synergy_app.auth import service

    def _token(user) -> dict:
        return {"Authorization": f"Bearer {service.create_token(user, 'test')}"}

    return _token


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: Playwright's sync API runs one instance per thread."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(client, browser):
    """Open a page of the test app in headless Chromium at a given width.

    Chromium's requests to http://localhost are answered by the Flask test client, so the page
    sees this test's data (inside its rolled-back transaction) and its logged-in session.
    """

    def answer(route):
        response = client.get(route.request.url.split("://localhost", 1)[1])
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"Content-Type": response.headers.get("Content-Type", "text/html")})

    contexts = []

    def _open(path: str, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.route("http://localhost/**", answer)
        page.goto("http://localhost" + path)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The workspace served by `flask run` on loopback, with reference and demo data loaded."""
    from tests.live import live_database, prepare, running_server

    with live_database(tmp_path_factory.mktemp("live"), "browser") as url:
        prepare(url, demo=True)
        with running_server(url) as base:
            yield base


@pytest.fixture(scope="session")
def shots() -> Path:
    """Screenshots kept as test artefacts: $SCREENSHOT_DIR, or artifacts/screenshots in the working copy."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[1] / "artifacts" / "screenshots")
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
