"""Outgoing mail: what queuing a message adds to a request, and draining 10,000 messages to a local SMTP
server with two real RQ workers (Redis on 127.0.0.1:6379, database 6).

The database is a scratch SQLite file, or the PostgreSQL database DATABASE_URL names (emptied first).
A worker claims 50 messages at a time, sends them over one SMTP connection and marks each sent one in its own
commit (MAIL_MARK_EVERY, notify/delivery.py); BENCH_SMTP_PORT and BENCH_REDIS_URL move the server and queue."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.common import Figure

MESSAGES = 10_000
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8725"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


class _Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def run() -> list[Figure]:
    from aiosmtpd.controller import Controller
    from flask_migrate import upgrade
    from redis import Redis
    from rq import Queue
    from sqlalchemy import func, insert, select

    from synergy_app import create_app
    from synergy_app.audit.service import transaction
    from synergy_app.db_types import utcnow
    from synergy_app.extensions import db
    from synergy_app.jobs import queue
    from synergy_app.notify import outbox
    from synergy_app.notify.models import OutboxMessage

    Redis.from_url(REDIS_URL).ping()  # a clear failure when no Redis answers
    queue_name = f"bench-mail-{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        from tests.conftest import reset_database

        reset_database(url)
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": REDIS_URL,
                      "RQ_QUEUE": queue_name, "MAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}"})
    payload = {"call_id": 0, "title": "Utlysning", "url": "http://127.0.0.1/calendar/calls/0",
               "changes": [{"label": "Sista ansökningsdag", "old": "2031-03-01", "new": "2031-03-15"}]}
    with app.app_context():
        upgrade()
        # 1. What queuing adds to a request: the outbox row in the change's open transaction (one INSERT),
        #    and after its commit the job pushed to Redis (one round trip, the process's open connection):
        #    exactly what jobs/queue.py does; the change's own commit is paid with or without mail.
        samples = []
        for n in range(200):
            with transaction():
                db.session.execute(select(OutboxMessage.id).limit(1))  # the change: its transaction is open
                start = time.perf_counter()
                ids = outbox.add("call_dates_changed", f"bench-enqueue:{n}",
                                 [outbox.Recipient(f"reader{n}@bench.test", "Läsare")], payload)
                added = time.perf_counter() - start
                db.session.info.pop(outbox.NEW_IDS, None)  # pushed below, timed on its own
            start = time.perf_counter()
            queue.push(ids)
            samples.append((added + time.perf_counter() - start) * 1000)
        enqueue_ms = statistics.median(samples[20:])
        Queue(queue_name, connection=Redis.from_url(REDIS_URL)).empty()
        db.session.execute(OutboxMessage.__table__.delete())
        # 2. 10,000 queued messages.
        now = utcnow()
        db.session.execute(insert(OutboxMessage), [
            {"event_key": f"bench-drain:{n}", "kind": "call_dates_changed", "recipient_email": f"r{n}@bench.test",
             "recipient_name": "", "locale": "sv" if n % 2 else "en", "payload": payload, "status": "pending",
             "attempts": 0, "next_attempt_at": now, "created_at": now} for n in range(MESSAGES)])
        db.session.commit()
        ids = list(db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))

    counter = _Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue_name,
           "MAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}", "SECRET_KEY": "bench", "PERIODIC_INTERVAL_SECONDS": "3600"}
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "synergy_app", "worker", "--name",
                                 f"{queue_name}-{n}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for n in (1, 2)]
    try:
        connection = Redis.from_url(REDIS_URL)
        rq_queue = Queue(queue_name, connection=connection)
        time.sleep(3)  # the workers start (the app is imported) before the clock runs
        start = time.perf_counter()
        for first in range(0, len(ids), 50):
            rq_queue.enqueue("synergy_app.jobs.tasks.deliver", ids[first:first + 50])
        deadline = start + 600
        while counter.count < MESSAGES and time.perf_counter() < deadline:
            time.sleep(0.2)
        drain_s = time.perf_counter() - start
        time.sleep(1)
        with app.app_context():
            sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
    finally:
        for process in workers:
            process.terminate()
            process.wait(timeout=30)
        controller.stop()
        for key in Redis.from_url(REDIS_URL).scan_iter(f"*{queue_name}*"):
            Redis.from_url(REDIS_URL).delete(key)
    return [
        Figure("mail: queue a message on the request path (outbox row + job push)", enqueue_ms, "ms", 5),
        Figure(f"mail: drain {MESSAGES:,} messages to local SMTP, two RQ workers ({database})", drain_s, "s", 60),
        Figure(f"mail: messages received by the SMTP server (of {MESSAGES:,})", counter.count, "msgs", MESSAGES,
               direction="min"),
        Figure("mail: messages received more than once", counter.count - sent, "msgs", 0),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
