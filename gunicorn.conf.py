"""Gunicorn settings for production (read by itself when gunicorn starts in this folder).

Every request has a time budget, ``SYNERGY_REQUEST_TIMEOUT`` seconds (30). Gunicorn's own ``timeout``
restarts a sync worker that stays in one request longer than that, but a threaded worker (``--threads``)
keeps telling the master it is alive while its threads work, so a request stuck in a parser would hold its
thread forever. A watchdog thread in each worker therefore ends the worker when any of its requests has
run past the budget; the master starts a new one, as it does for a sync worker that timed out.
"""

from __future__ import annotations

import os
import threading
import time

timeout = int(os.environ.get("SYNERGY_REQUEST_TIMEOUT", "30"))
graceful_timeout = timeout


def post_worker_init(worker):
    worker.synergy_requests = {}
    worker.synergy_lock = threading.Lock()

    def watch():
        while True:
            time.sleep(max(min(timeout / 10, 1.0), 0.1))
            now = time.monotonic()
            with worker.synergy_lock:
                overdue = [(path, now - started) for path, started in worker.synergy_requests.values()
                           if now - started > timeout]
            if overdue:
                path, seconds = overdue[0]
                worker.log.error("Request %s ran %.0f s, over the %s s budget: restarting worker %s",
                                 path, seconds, timeout, os.getpid())
                os._exit(1)  # the master replaces the worker; other threads' requests end with it

    threading.Thread(target=watch, name="request-budget", daemon=True).start()


def pre_request(worker, req):
    with worker.synergy_lock:
        worker.synergy_requests[threading.get_ident()] = (req.path, time.monotonic())


def post_request(worker, req, environ, resp):
    with worker.synergy_lock:
        worker.synergy_requests.pop(threading.get_ident(), None)
