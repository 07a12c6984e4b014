"""Load on the real stack: gunicorn on loopback, national-scale data, wrk as the client.

The database (SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at one) is built
by the migrations and `flask seed --demo`, then filled by benchmarks.national (21 regions, 50 funders,
2,000 calls, 300 projects, 1,000 rulings). For each main page, wrk runs a few times at a fixed number
of connections as the demo account of the role that uses the page, asking for compressed answers as a
browser does; each figure is the median over the runs. GET /livez (no database, no template) is the
ceiling of this stack; each page's throughput is given as a share of it, measured in the same run.

Pages are kept for their reader until a table they were built from changes (synergy_app/page_cache.py), so
under load a page is mostly answered from what was kept. Each page's building is measured too: the median
of a few sequential requests that each miss what was kept (an address the page has not been asked for
under: an extra, ignored query parameter), i.e. what a reader waits for on the first view after a change.

    python -m benchmarks load
    python -m benchmarks.bench_load --duration 3 --connections 4 --runs 1   # a quick look
    python -m benchmarks.bench_load --only start,project                     # some pages

Targets, for 2 gunicorn workers x 4 threads at 8 connections: every main page at 10 % or more of
/livez's throughput (the start pages and the calendar list at 25 %), p95 at most 250 ms, every HTML
page at most 100 kB on the wire, and no errors.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Figure
from benchmarks.national import LARGE_PROJECT_TITLE, page_ids, populate_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tests.live is imported from the repository, also when run as a script
    sys.path.insert(0, str(ROOT))

from tests.live import DEMO_PASSWORD, live_database, prepare, running_server  # noqa: E402

# The demo account of each role, and the name its pages show in the header (so a login page or an
# error page is never measured instead).
ACCOUNTS = {
    "planner": ("planerare@demo.synergy.invalid", "Petra Planerare"),
    "strategist": ("strateg.ostergotland@demo.synergy.invalid", "Stina Strateg"),
    "taskforce": ("taskforce@demo.synergy.invalid", "Tage Taskforce"),
    "reader": ("lasare@demo.synergy.invalid", "Lisa Läsare"),
}
WORKERS, THREADS = 2, 4
CONNECTIONS, DURATION_S, RUNS = 8, 5, 3
PAGE_P95_MS, LIVEZ_P95_MS = 250, 50
PAGE_MIN_SHARE, BUSY_PAGE_MIN_SHARE = 10, 25  # per cent of /livez's throughput
PAGE_MAX_KB = 100
BUILDS = 5  # sequential requests that build the page afresh, per page
ACCEPT_ENCODING = "br, gzip"
# As a browser does, every request (login, checks, wrk) says the same User-Agent: the login ties the session to
# it, and a request from another client marks the session as no longer fresh.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) load benchmark"

# wrk prints one machine-readable line when a run is done: latency percentiles in microseconds,
# the request rate over the run's duration, and the count of errors and non-2xx/3xx answers.
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50_us=%d p95_us=%d rps=%.3f requests=%d errors=%d bad_status=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests / (summary.duration / 1e6),
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
"""
RESULT = re.compile(r"RESULT p50_us=(\d+) p95_us=(\d+) rps=([\d.]+) requests=(\d+) errors=(\d+) bad_status=(\d+)")


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    # Text the page must contain besides the account's name (None for /livez: "ok").
    marker: str
    account: str | None = "planner"
    min_share: float = PAGE_MIN_SHARE


@dataclass(frozen=True)
class Run:
    p50_ms: float
    p95_ms: float
    rps: float
    requests: int
    failures: int


def pages(year: int, ids: dict[str, object]) -> list[Page]:
    project, round_, area = ids["project"], ids["round"], ids["area"]
    busy = BUSY_PAGE_MIN_SHARE
    return [
        Page("livez", "/livez (ceiling: no database)", "/livez", "ok", account=None),
        Page("start", "start page, planner", "/start", "<h1", min_share=busy),
        Page("start-strategist", "start page, strategist", "/start", "<h1", "strategist", busy),
        Page("start-taskforce", "start page, taskforce", "/start", "<h1", "taskforce", busy),
        Page("start-reader", "start page, reader", "/start", "<h1", "reader", busy),
        Page("calendar", f"calendar list, {year}", f"/calendar/?from={year}-01-01&to={year}-12-31", "Utlysning",
             min_share=busy),
        Page("timeline", f"year timeline, every funder, {year}", f"/calendar/timeline?zoom=year&at={year}-06-01",
             "<svg"),
        Page("month", f"month view, {year}-06", f"/calendar/month?at={year}-06-01", "<table"),
        Page("project", "project check page, 20 partners", f"/projects/{project}", LARGE_PROJECT_TITLE),
        Page("budget", "budget editor, 20 partners", f"/projects/{project}/budget", LARGE_PROJECT_TITLE),
        Page("rulings", "ruling search 'rådgivningen'",
             "/stateaid/?q=" + urllib.parse.quote("rådgivningen"), "<mark>", "taskforce"),
        Page("register", "ruling register", "/stateaid/", "<h1", "taskforce"),
        Page("region", "region dossier, Östergötland", "/directory/regions/ostergotland", "Östergötland"),
        Page("agency", "agency dossier, Vinnova", "/directory/organisations/vinnova", "Vinnova"),
        Page("area", f"matching for an area ({area})", f"/priorities/areas/{area}", "<h1"),
        Page("matrix", "matching matrix", "/priorities/matrix", "<table"),
        Page("round", "round page", f"/dialogues/{round_}", "<h1"),
        Page("run", "chair's running order", f"/dialogues/rounds/{round_}/run", "<h1"),
    ]


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the login form (CSRF token and all) and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', form)
    body = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": token.group(1) if token else ""}).encode()
    opener.open(base + "/login", data=body, timeout=30).read()
    # As a browser does: the first page after login gives the session its form token (a new cookie), which
    # every later request then sends.
    opener.open(base + "/start", timeout=60).read()
    session = [c for c in jar if c.name == "session"]
    if not session:
        raise RuntimeError(f"login as {email} gave no session cookie")
    return f"session={session[0].value}"


def check_page(base: str, page: Page, cookie: str | None) -> int:
    """Fail unless the page answers 200 with its marker for its account; return its bytes on the wire."""
    headers = _headers(cookie)
    with urllib.request.urlopen(urllib.request.Request(base + page.path, headers=headers),  # noqa: S310
                                timeout=60) as response:
        wire = response.read()
        encoding = response.headers.get("Content-Encoding", "")
        text = _decoded(wire, encoding)
        expected = [page.marker] + ([ACCOUNTS[page.account][1]] if page.account else [])
        if response.status != 200 or "/login" in response.url or not all(m in text for m in expected):
            raise RuntimeError(f"{page.path} answered {response.status} at {response.url} without {expected!r}")
    return len(wire)


def _headers(cookie: str | None) -> dict[str, str]:
    return {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT} | ({"Cookie": cookie} if cookie else {})


def _decoded(wire: bytes, encoding: str) -> str:
    if encoding == "br":
        import brotli

        return brotli.decompress(wire).decode()
    if encoding == "gzip":
        import gzip

        return gzip.decompress(wire).decode()
    return wire.decode()


def wrk(url: str, *, cookie: str | None, connections: int, duration_s: int, script: Path) -> Run:
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration_s}s",
               "--timeout", "10s", "-s", str(script)]
    for name, value in _headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration_s + 60, check=True)
    match = RESULT.search(done.stdout)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    p50, p95, rps, requests, errors, bad = match.groups()
    # A run in which no request finished has no latency to report: count it as a failure.
    failures = int(errors) + int(bad) + (int(requests) == 0)
    return Run(int(p50) / 1000, int(p95) / 1000, float(rps), int(requests), failures)


def _median(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


@contextlib.contextmanager
def national_database(progress=print) -> Iterator[tuple[str, dict[str, object]]]:
    """A fresh database with the national-scale data; yields its URL and the ids of the pages' records."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, live_database(Path(tmp), "load") as url:
        started = time.perf_counter()
        prepare(url)
        data = populate_url(url)
        progress(f"national data: {data.funders} funders, {data.calls} calls, {data.projects} projects, "
                 f"{data.rulings} rulings, built in {time.perf_counter() - started:.0f} s")
        yield url, page_ids(url)


def measure(url: str, ids: dict[str, object], *, connections: int = CONNECTIONS, duration_s: int = DURATION_S,
            runs: int = RUNS, only: set[str] | None = None, progress=print
            ) -> tuple[dict[str, list[Run]], list[Page], dict[str, int]]:
    """Serve the database with gunicorn and run wrk on every page; each page's runs and bytes on the wire."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    chosen = [p for p in pages(time.localtime().tm_year, ids) if not only or p.key in only or p.key == "livez"]
    results: dict[str, list[Run]] = {}
    wire: dict[str, int] = {}
    built: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-wrk-") as tmp, \
            running_server(url, gunicorn=True, workers=WORKERS, threads=THREADS) as base:
        script = Path(tmp) / "done.lua"
        script.write_text(DONE_LUA)
        cookies = {role: login_cookie(base, email, DEMO_PASSWORD) for role, (email, _name) in ACCOUNTS.items()
                   if any(p.account == role for p in chosen)}
        for page in list(chosen):
            cookie = cookies.get(page.account)
            try:
                wire[page.key] = check_page(base, page, cookie)
            except (OSError, RuntimeError) as exc:  # a page that times out or errs is reported, not measured
                progress(f"{page.key}: {exc}")
                chosen.remove(page)
                results[page.key + " (no answer)"] = [Run(0, 0, 0, 0, 1)]
                continue
            # Warm-up, not recorded: every worker thread compiles its templates and fills its caches.
            wrk(base + page.path, cookie=cookie, connections=connections, duration_s=1, script=script)
            if page.key != "livez":
                built[page.key] = build_ms(base, page, cookie)
        # Rounds over all pages rather than all runs of one page after another, so a burst of
        # other work on the machine spreads over the pages instead of spoiling one of them.
        for round_ in range(1, runs + 1):
            for page in chosen:
                one = wrk(base + page.path, cookie=cookies.get(page.account), connections=connections,
                          duration_s=duration_s, script=script)
                results.setdefault(page.key, []).append(one)
                progress(f"run {round_}/{runs} {page.key}: p50 {one.p50_ms:.0f} ms, p95 {one.p95_ms:.0f} ms, "
                         f"{one.rps:.1f} req/s, {one.requests} requests, {one.failures} failed")
    return results, chosen, wire, built


def build_ms(base: str, page: Page, cookie: str | None) -> float:
    """Median time of BUILDS sequential requests, each under an address not asked for before (never kept)."""
    headers = _headers(cookie)
    times = []
    for n in range(BUILDS):
        url = base + page.path + ("&" if "?" in page.path else "?") + f"built={time.time_ns()}-{n}"
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:  # noqa: S310
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def figures(results: dict[str, list[Run]], chosen: list[Page], connections: int,
            wire: dict[str, int], built: dict[str, float] | None = None) -> list[Figure]:
    out = []
    ceiling = _median(results["livez"], "rps")
    for page in chosen:
        runs = results[page.key]
        ceiling_page = page.key == "livez"
        name = f"load: {page.label}"
        if not ceiling_page:
            out.append(Figure(f"{name}, on the wire ({ACCEPT_ENCODING})", wire[page.key] / 1000, "kB", PAGE_MAX_KB))
            if built and page.key in built:
                out.append(Figure(f"{name}, built afresh (first view after a change), median of {BUILDS}",
                                  built[page.key], "ms"))
        if sum(r.requests for r in runs) == 0:
            # No request finished within wrk's timeout: there is no latency to report, only the miss.
            out.append(Figure(f"{name}, requests answered within 10 s", 0, "n", 1, direction="min"))
            continue
        out.append(Figure(f"{name}, p50 at {connections} connections", _median(runs, "p50_ms"), "ms"))
        out.append(Figure(f"{name}, p95 at {connections} connections", _median(runs, "p95_ms"), "ms",
                          LIVEZ_P95_MS if ceiling_page else PAGE_P95_MS))
        out.append(Figure(f"{name}, throughput", _median(runs, "rps"), "req/s"))
        if not ceiling_page:
            out.append(Figure(f"{name}, throughput as share of /livez", 100 * _median(runs, "rps") / ceiling, "%",
                              page.min_share, direction="min"))
    failures = sum(r.failures for runs in results.values() for r in runs)
    out.append(Figure("load: runs without an answer, errors and answers other than 2xx/3xx", failures, "n", 0))
    return out


def run(*, connections: int = CONNECTIONS, duration_s: int = DURATION_S, runs: int = RUNS) -> list[Figure]:
    with national_database() as (url, ids):
        results, chosen, wire, built = measure(url, ids, connections=connections, duration_s=duration_s,
                                               runs=runs, progress=lambda _line: None)
    return figures(results, chosen, connections, wire, built)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--duration", type=int, default=DURATION_S, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per page; figures are medians")
    parser.add_argument("--only", help="comma-separated page keys (livez is always measured)")
    parser.add_argument("--database-url", help="measure this database, already filled by benchmarks.national, "
                        "instead of building a fresh one")
    args = parser.parse_args(argv)
    options = {"connections": args.connections, "duration_s": args.duration, "runs": args.runs,
               "only": set(args.only.split(",")) if args.only else None}
    with contextlib.ExitStack() as stack:
        if args.database_url:
            url, ids = args.database_url, page_ids(args.database_url)
        else:
            url, ids = stack.enter_context(national_database())
        results, chosen, wire, built = measure(url, ids, **options)
    for figure in figures(results, chosen, args.connections, wire, built):
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
