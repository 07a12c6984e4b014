"""Load on the real stack: gunicorn on loopback, national-scale data, wrk as the client.

The database (SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at one) is built
by the migrations and `flask seed --demo`, then filled by benchmarks.national (21 regions, 50 funders,
2,000 calls, 300 projects, 1,000 rulings). For each page, wrk runs a few times at a fixed number of
connections as the logged-in demo planner; each figure is the median over the runs. GET /livez (no
database, no template) is the ceiling of this stack; each page's throughput is also given as a
fraction of it (informational, no target).

    python -m benchmarks load
    python -m benchmarks.bench_load --duration 3 --connections 4 --runs 1   # a quick look

Targets, for 2 gunicorn workers x 4 threads at 8 connections: p95 under 500 ms for pages and 50 ms for
/livez; at least 20 pages a second (the whole of a national user base, about a thousand people, asks
for a few a second at its busiest).
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
from benchmarks.national import LARGE_PROJECT_TITLE, large_project_id, populate_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tests.live is imported from the repository, also when run as a script
    sys.path.insert(0, str(ROOT))

from tests.live import DEMO_PASSWORD, live_database, prepare, running_server  # noqa: E402

LOGIN = "planerare@demo.synergy.invalid"
WORKERS, THREADS = 2, 4
CONNECTIONS, DURATION_S, RUNS = 8, 5, 3
PAGE_P95_MS, LIVEZ_P95_MS, PAGE_MIN_RPS = 500, 50, 20

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
    # Text the page must contain, so a login page or an error page is never measured instead.
    marker: str
    login: bool = True


@dataclass(frozen=True)
class Run:
    p50_ms: float
    p95_ms: float
    rps: float
    requests: int
    failures: int


def pages(year: int, project_id: int) -> list[Page]:
    return [
        Page("livez", "/livez (ceiling: no database)", "/livez", "ok", login=False),
        Page("start", "start page", "/start", "Välkommen"),
        Page("calendar", f"calendar list, {year}", f"/calendar/?from={year}-01-01&to={year}-12-31", "Utlysning"),
        Page("timeline", f"calendar timeline, {year}", f"/calendar/timeline?zoom=year&at={year}-06-01", "<svg"),
        Page("project", "project check page, 20 partners", f"/projects/{project_id}", LARGE_PROJECT_TITLE),
        Page("rulings", "ruling search 'rådgivningen'",
             "/stateaid/?q=" + urllib.parse.quote("rådgivningen"), "<mark>"),
    ]


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the login form (CSRF token and all) and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', form)
    body = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": token.group(1) if token else ""}).encode()
    opener.open(base + "/login", data=body, timeout=30).read()
    session = [c for c in jar if c.name == "session"]
    if not session:
        raise RuntimeError(f"login as {email} gave no session cookie")
    return f"session={session[0].value}"


def check_page(base: str, page: Page, cookie: str) -> None:
    request = urllib.request.Request(base + page.path, headers={"Cookie": cookie} if page.login else {})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback server
        text = response.read().decode()
        if response.status != 200 or page.marker not in text or "/login" in response.url:
            raise RuntimeError(f"{page.path} answered {response.status} at {response.url} without {page.marker!r}")


def wrk(url: str, *, cookie: str | None, connections: int, duration_s: int, script: Path) -> Run:
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration_s}s",
               "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
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
def national_database(progress=print) -> Iterator[tuple[str, int]]:
    """A fresh database with the national-scale data; yields its URL and the 20-partner project's id."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, live_database(Path(tmp), "load") as url:
        started = time.perf_counter()
        prepare(url)
        data = populate_url(url)
        progress(f"national data: {data.funders} funders, {data.calls} calls, {data.projects} projects, "
                 f"{data.rulings} rulings, built in {time.perf_counter() - started:.0f} s")
        yield url, data.large_project_id


def measure(url: str, project_id: int, *, connections: int = CONNECTIONS, duration_s: int = DURATION_S,
            runs: int = RUNS, progress=print) -> tuple[dict[str, list[Run]], list[Page]]:
    """Serve the database with gunicorn and run wrk on every page; each page's runs, in order."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    chosen = pages(time.localtime().tm_year, project_id)
    results: dict[str, list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-wrk-") as tmp, \
            running_server(url, gunicorn=True, workers=WORKERS, threads=THREADS) as base:
        script = Path(tmp) / "done.lua"
        script.write_text(DONE_LUA)
        cookie = login_cookie(base, LOGIN, DEMO_PASSWORD)
        for page in chosen:
            check_page(base, page, cookie)
            # Warm-up, not recorded: every worker thread compiles its templates and fills its caches.
            wrk(base + page.path, cookie=cookie if page.login else None, connections=connections,
                duration_s=1, script=script)
        # Rounds over all pages rather than all runs of one page after another, so a burst of
        # other work on the machine spreads over the pages instead of spoiling one of them.
        for round_ in range(1, runs + 1):
            for page in chosen:
                one = wrk(base + page.path, cookie=cookie if page.login else None, connections=connections,
                          duration_s=duration_s, script=script)
                results.setdefault(page.key, []).append(one)
                progress(f"run {round_}/{runs} {page.key}: p50 {one.p50_ms:.0f} ms, p95 {one.p95_ms:.0f} ms, "
                         f"{one.rps:.1f} req/s, {one.requests} requests, {one.failures} failed")
    return results, chosen


def figures(results: dict[str, list[Run]], chosen: list[Page], connections: int) -> list[Figure]:
    out = []
    ceiling = _median(results["livez"], "rps")
    for page in chosen:
        runs = results[page.key]
        ceiling_page = page.key == "livez"
        name = f"load: {page.label}"
        out.append(Figure(f"{name}, p50 at {connections} connections", _median(runs, "p50_ms"), "ms"))
        out.append(Figure(f"{name}, p95 at {connections} connections", _median(runs, "p95_ms"), "ms",
                          LIVEZ_P95_MS if ceiling_page else PAGE_P95_MS))
        out.append(Figure(f"{name}, throughput", _median(runs, "rps"), "req/s",
                          None if ceiling_page else PAGE_MIN_RPS, direction="min"))
        if not ceiling_page:
            out.append(Figure(f"{name}, throughput as share of /livez (informational)",
                              100 * _median(runs, "rps") / ceiling, "%"))
    failures = sum(r.failures for runs in results.values() for r in runs)
    out.append(Figure("load: runs without an answer, errors and answers other than 2xx/3xx", failures, "n", 0))
    return out


def run(*, connections: int = CONNECTIONS, duration_s: int = DURATION_S, runs: int = RUNS) -> list[Figure]:
    with national_database() as (url, project_id):
        results, chosen = measure(url, project_id, connections=connections, duration_s=duration_s, runs=runs,
                                  progress=lambda _line: None)
    return figures(results, chosen, connections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--duration", type=int, default=DURATION_S, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per page; figures are medians")
    parser.add_argument("--database-url", help="measure this database, already filled by benchmarks.national, "
                        "instead of building a fresh one")
    args = parser.parse_args(argv)
    options = {"connections": args.connections, "duration_s": args.duration, "runs": args.runs}
    with contextlib.ExitStack() as stack:
        if args.database_url:
            url, project_id = args.database_url, large_project_id(args.database_url)
        else:
            url, project_id = stack.enter_context(national_database())
        results, chosen = measure(url, project_id, **options)
    for figure in figures(results, chosen, args.connections):
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
