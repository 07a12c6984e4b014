"""Real servers for the browser, two-instance and load tests.

A live database is a fresh SQLite file or, when DATABASE_URL points at PostgreSQL, a fresh
database of its own on the same server (the suite's own database is kept for the rolled-back
per-test transactions). Servers are `flask run` or gunicorn on loopback, started as subprocesses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

FLASK = [sys.executable, "-m", "flask", "--app", "synergy_app"]
GUNICORN = [sys.executable, "-m", "gunicorn"]
DEMO_PASSWORD = "demo-synergi-2026"


def free_port() -> int:
    """A free loopback port; LIVE_PORTS="8500-8599" keeps the servers inside a given range."""
    low, _, high = os.environ.get("LIVE_PORTS", "").partition("-")
    candidates = range(int(low), int(high) + 1) if low.isdigit() and high.isdigit() else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in LIVE_PORTS={os.environ['LIVE_PORTS']}")


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgresql")


@contextmanager
def live_database(folder: Path, name: str = "live") -> Iterator[str]:
    """Yield the URL of an empty database that is dropped afterwards."""
    base = os.environ.get("DATABASE_URL", "").strip()
    if not base.startswith("postgresql"):
        yield f"sqlite:///{folder / (name + '.sqlite3')}"
        return
    url = make_url(base)
    database = f"synergy_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "live-test-secret", **extra}


def prepare(database_url: str, *, demo: bool = True) -> None:
    """Build the schema by the migrations and load the reference (and demo) data, as a newcomer would."""
    env = server_env(database_url)
    subprocess.run(FLASK + ["db", "upgrade"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run(FLASK + ["seed"] + (["--demo"] if demo else []), env=env, check=True, capture_output=True,
                   timeout=600)


def wait_healthy(base: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server at {base} exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback test server
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {base} did not become healthy")


@contextmanager
def running_server(database_url: str, *, gunicorn: bool = False, workers: int = 2,
                   threads: int = 4, **env: str) -> Iterator[str]:
    """Serve the app on a free loopback port; yield its base URL."""
    port = free_port()
    if gunicorn:
        command = GUNICORN + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads",
                              str(threads), "--log-level", "warning", "synergy_app:create_app()"]
    else:
        command = FLASK + ["run", "--port", str(port), "--with-threads"]
    process = subprocess.Popen(command, env=server_env(database_url, **env), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
