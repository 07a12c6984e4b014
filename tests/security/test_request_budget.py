"""The production time budget per request (gunicorn.conf.py) holds for threaded workers too: a request
that runs past SYNERGY_REQUEST_TIMEOUT ends its worker, the master starts a new one, and the instance
keeps answering."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str, timeout: float) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback test server
        return response.read().decode()


def _wait_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            _get(base + "/", 2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def test_a_request_over_the_budget_ends_on_a_threaded_worker_and_the_instance_keeps_answering():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SYNERGY_REQUEST_TIMEOUT": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--pythonpath", str(ROOT),
         "--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{port}", "tests.security.slow_app:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(base, process)
        started = time.monotonic()
        try:
            _get(base + "/slow?60", 30)
            answered = True
        except (urllib.error.URLError, ConnectionError, OSError):
            answered = False
        elapsed = time.monotonic() - started
        assert not answered and elapsed < 15  # cut at about 2 s (+ the watchdog's check interval), not 60
        _wait_up(base, process)  # a new worker answers
        assert _get(base + "/slow?0.1", 10) == "ok"  # a request within the budget is untouched
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
