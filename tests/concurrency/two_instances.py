"""Two gunicorn instances on one database, and what real HTTP clients see when they race.

Shared by tests/concurrency/test_two_instances.py and benchmarks/bench_two_instances.py: each
scenario releases its clients together with a barrier and returns what they got back, plus what
the database holds afterwards, so the test asserts it and the benchmark reports it.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.live import live_database, running_server

PASSWORD = "two-instances-password-2026"
ICS_FILE = Path(__file__).resolve().parents[1] / "calendar" / "fixtures" / "outlook_windows_zone.ics"


@dataclass
class Setup:
    database_url: str
    bases: list[str]
    round_id: int
    strategist_tokens: list[str]
    planner_token: str
    planner_emails: list[str]
    project_id: int
    new_calls_in_file: int


@dataclass
class Race:
    statuses: list[int]
    latencies_ms: list[float]
    bodies: list[str] = field(default_factory=list)
    stored: int = 0

    @property
    def counts(self) -> Counter:
        return Counter(self.statuses)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)


def _prepare(url: str) -> dict:
    """Migrate, seed the reference data and the pieces the scenarios use, in this process."""
    from flask_migrate import upgrade

    from synergy_app import create_app
    from synergy_app.auth import service as auth
    from synergy_app.auth.demo import seed_demo as seed_users
    from synergy_app.calendar import service as calendar
    from synergy_app.core.seed import seed_reference
    from synergy_app.dialogues.demo import seed_demo as seed_round
    from synergy_app.dialogues.models import Booking, DialogueRound, Invitation
    from synergy_app.directory.models import Region
    from synergy_app.extensions import db
    from synergy_app.projects.demo import DEMO_TITLE
    from synergy_app.projects.demo import seed_demo as seed_project
    from synergy_app.projects.models import Project

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live-test-secret", "TESTING": True})
    with app.app_context():
        upgrade()
        seed_reference()
        seed_users()
        seed_round()
        seed_project()
        round_ = db.session.scalar(db.select(DialogueRound).where(DialogueRound.is_demo.is_(True)))
        busy = set(db.session.scalars(db.select(Booking.region_id).where(Booking.round_id == round_.id)))
        busy |= set(db.session.scalars(db.select(Invitation.region_id).where(
            Invitation.round_id == round_.id, Invitation.answer.in_(("no", "listening")))))
        regions = [r for r in db.session.scalars(db.select(Region).order_by(Region.county_code)) if r.id not in busy]
        tokens = []
        for region in regions:
            user = auth.create_user(f"strateg.{region.slug}@race.invalid", "strategist", PASSWORD,
                                    region_code=region.county_code, actor="test")
            tokens.append(auth.create_token(user, "race"))
        planners = [auth.create_user(f"planerare{i}@race.invalid", "planner", PASSWORD, organisation="vinnova",
                                     actor="test") for i in (1, 2)]
        planner_token = auth.create_token(planners[0], "race")
        project_id = db.session.scalar(db.select(Project.id).where(Project.title == DEMO_TITLE))
        preview = calendar.preview_import(ICS_FILE.read_bytes(), "ics", "vinnova")
        new_calls = preview.counts()["create"]
        result = {"round_id": round_.id, "strategist_tokens": tokens, "planner_token": planner_token,
                  "planner_emails": [p.email for p in planners], "project_id": project_id,
                  "new_calls_in_file": new_calls}
        db.session.remove()
        db.engine.dispose()
    return result


@contextmanager
def two_instances(folder: Path) -> Iterator[Setup]:
    """One fresh database (SQLite file or PostgreSQL) and two gunicorn instances serving it."""
    with live_database(folder, "race") as url:
        prepared = _prepare(url)
        with running_server(url, gunicorn=True) as first, running_server(url, gunicorn=True) as second:
            yield Setup(database_url=url, bases=[first, second], **prepared)


def _scalar(database_url: str, sql: str, **params) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)
    finally:
        engine.dispose()


def _send(request: urllib.request.Request, opener=None) -> tuple[int, str]:
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _race(requests: list[tuple[urllib.request.Request, object]]) -> Race:
    """Send every request from its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(requests))
    results: list[tuple[int, float, str]] = [(0, 0.0, "")] * len(requests)

    def client(i: int) -> None:
        request, opener = requests[i]
        barrier.wait()
        start = time.perf_counter()
        status, body = _send(request, opener)
        results[i] = (status, (time.perf_counter() - start) * 1000, body)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return Race([r[0] for r in results], [r[1] for r in results], [r[2] for r in results])


def _api(base: str, path: str, token: str, method: str = "GET", body: dict | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    return urllib.request.Request(base + path, data=data, headers=headers, method=method)  # noqa: S310 - loopback


# --- a) one slot, many clients ------------------------------------------------------------------


def warm_up(setup: Setup, per_instance: int = 16) -> None:
    """Every worker thread of both instances answers once first (its database connection opened, its
    templates and lazy imports loaded), so a race measures serving servers, not starting ones."""
    tokens = setup.strategist_tokens
    requests = [(_api(base, f"/api/v1/rounds/{setup.round_id}/slots", tokens[i % len(tokens)]), None)
                for base in setup.bases for i in range(per_instance)]
    for _ in range(2):
        assert set(_race(requests).statuses) == {200}


def book_one_slot(setup: Setup, clients: int = 50) -> Race:
    """`clients` strategists' clients, spread over both instances, book the same free slot at once."""
    warm_up(setup)
    token = setup.strategist_tokens[0]
    status, body = _send(_api(setup.bases[0], f"/api/v1/rounds/{setup.round_id}/slots", token))
    assert status == 200, body
    slot_id = next(s["id"] for s in json.loads(body)["slots"] if s["free"])
    requests = [(_api(setup.bases[i % 2], f"/api/v1/rounds/{setup.round_id}/bookings",
                      setup.strategist_tokens[i % len(setup.strategist_tokens)], "POST", {"slot_id": slot_id}), None)
                for i in range(clients)]
    race = _race(requests)
    race.stored = _scalar(setup.database_url, "SELECT count(*) FROM dialogue_bookings WHERE slot_id = :slot",
                          slot=slot_id)
    return race


# --- web sessions -------------------------------------------------------------------------------


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _session(base: str, email: str):
    """A browser-like client logged in on one instance: cookies kept, CSRF token taken from the form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, page = _send(urllib.request.Request(base + "/login"), opener)  # noqa: S310
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": _csrf(page)}).encode()
    status, _ = _send(urllib.request.Request(base + "/login", data=form), opener)  # noqa: S310
    assert status == 200, f"login on {base} answered {status}"
    return opener


def _form_post(url: str, fields: dict[str, str]) -> urllib.request.Request:
    return urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())  # noqa: S310


def _budget_fields(page: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    return {k: v for k, v in fields.items() if not k.endswith("-delete")}  # unticked boxes are not sent


# --- b) the same budget saved from both instances -----------------------------------------------


@dataclass
class BudgetRace:
    web: Race
    api: Race
    stored_amounts: list[int]
    web_amounts: tuple[str, str]
    api_amounts: tuple[int, int]


def edit_budget_twice(setup: Setup) -> BudgetRace:
    """Two planners open the budget editor on different instances and save at once; then the same by API."""
    sessions = [_session(base, email) for base, email in zip(setup.bases, setup.planner_emails, strict=True)]
    url = f"/projects/{setup.project_id}/budget"
    pages = [_send(urllib.request.Request(base + url), s)[1]  # noqa: S310 - loopback test servers
             for base, s in zip(setup.bases, sessions, strict=True)]
    web_amounts = ("1 111 000", "2 222 000")
    requests = [(_form_post(base + url, _budget_fields(page) | {"cost-0-amount": amount, "action": "save"}), s)
                for base, page, s, amount in zip(setup.bases, pages, sessions, web_amounts, strict=True)]
    web = _race(requests)

    token, path = setup.planner_token, f"/api/v1/projects/{setup.project_id}"
    document = json.loads(_send(_api(setup.bases[0], path, token))[1])
    api_amounts = (3_333_000, 4_444_000)
    bodies = []
    for amount in api_amounts:
        costs = [dict(c) for c in document["costs"]]
        costs[0]["amount_sek"] = str(amount)
        bodies.append({"version": document["version"], "costs": costs, "funding": document["funding"]})
    api = _race([(_api(base, path + "/budget", token, "PUT", body), None)
                 for base, body in zip(setup.bases, bodies, strict=True)])
    final = json.loads(_send(_api(setup.bases[1], path, token))[1])
    stored = [round(float(c["amount_sek"])) for c in final["costs"]]
    return BudgetRace(web, api, stored, web_amounts, api_amounts)


# --- c) the same ICS file imported twice at once ------------------------------------------------


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/calendar\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def import_ics_twice(setup: Setup) -> Race:
    """Two planners upload the same file on different instances, look at the preview, confirm at once."""
    before = _scalar(setup.database_url, "SELECT count(*) FROM calls")
    requests = []
    for base, email in zip(setup.bases, setup.planner_emails, strict=True):
        session = _session(base, email)
        _, page = _send(urllib.request.Request(base + "/calendar/import"), session)  # noqa: S310
        body, content_type = _multipart({"csrf_token": _csrf(page), "funder": "vinnova", "kind": "ics"},
                                        ICS_FILE.name, ICS_FILE.read_bytes())
        status, preview = _send(urllib.request.Request(base + "/calendar/import", data=body,  # noqa: S310
                                                       headers={"Content-Type": content_type}), session)
        assert status == 200, preview[:2000]
        draft = re.search(r'name="draft" type="hidden" value="([^"]+)"', preview).group(1)
        requests.append((_form_post(base + "/calendar/import/confirm",
                                    {"csrf_token": _csrf(preview), "draft": draft}), session))
    race = _race(requests)
    race.stored = _scalar(setup.database_url, "SELECT count(*) FROM calls") - before
    return race
