"""An RQ worker with the app's context, and the small scheduler that enqueues periodic work.

Every worker runs the scheduler; a slot key in Redis (SET NX with an expiry) lets exactly one of
them enqueue each tick, so any number of workers on any number of machines behave as one."""

from __future__ import annotations

import threading
import time

from flask import Flask

from ..extensions import db
from . import queue


def _tick(connection, rq_queue, name: str, job: str, every: int, now: float) -> bool:
    """Enqueue `job` if no worker has done so in this period; True when this one did."""
    slot = int(now // every)
    key = f"{rq_queue.name}:tick:{name}:{slot}"
    if connection.set(key, "1", nx=True, ex=max(every * 2, 10)):
        rq_queue.enqueue(job, job_timeout=queue.JOB_TIMEOUT)
        return True
    return False


def start_scheduler(app: Flask, stop: threading.Event) -> threading.Thread:
    drain_every = app.config["OUTBOX_DRAIN_SECONDS"]
    periodic_every = app.config["PERIODIC_INTERVAL_SECONDS"]

    def loop():
        with app.app_context():
            connection = queue.redis_connection()
            rq_queue = queue.rq_queue(connection)
            while not stop.is_set():
                now = time.time()
                _tick(connection, rq_queue, "drain", queue.DRAIN_JOB, drain_every, now)
                _tick(connection, rq_queue, "periodic", queue.PERIODIC_JOB, periodic_every, now)
                stop.wait(min(drain_every, periodic_every, 5))

    thread = threading.Thread(target=loop, name="synergy-scheduler", daemon=True)
    thread.start()
    return thread


def run(app: Flask, *, burst: bool = False, name: str | None = None) -> None:
    from rq import SimpleWorker

    # Jobs run in this process (no fork per job): the app context, its engine and its pool are
    # ready, and a kill takes the whole worker down at once; the outbox's lease covers the rest.
    connection = queue.redis_connection()
    worker = SimpleWorker([queue.rq_queue(connection)], connection=connection, name=name)
    stop = threading.Event()
    if not burst:
        start_scheduler(app, stop)
    try:
        worker.work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
        db.session.remove()
