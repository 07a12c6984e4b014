"""Real RQ workers over real Redis drain the outbox: each message once with two workers, and once after
a worker is killed in the middle of a send.

The workers are `flask worker` processes on the test database; the rows they send are committed for
real (the workers cannot see the per-test transaction) and removed afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import delete, func, select

from synergy_app.db_types import utcnow
from synergy_app.extensions import db
from synergy_app.notify.models import OutboxMessage

from .conftest import SMTP_PORT

REDIS_URL = os.environ.get("NOTIFY_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
KEY_PREFIX = "test-mail-workers"


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"no Redis reachable at {REDIS_URL} ({exc}); start redis-server to run the worker tests")
    return connection


@pytest.fixture
def redis_queue():
    connection = _redis_or_skip()
    name = f"synergy-mail-test-{uuid.uuid4().hex[:8]}"
    yield connection, name
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


@pytest.fixture
def committed_rows(app):
    """Make committed outbox rows (self-contained call-date notices), removed at the end."""
    made: list[int] = []

    def _make(count: int) -> list[int]:
        with app.app_context():
            now = utcnow()
            rows = [OutboxMessage(
                event_key=f"{KEY_PREFIX}:{uuid.uuid4().hex}", kind="call_dates_changed",
                recipient_email=f"follower{n}@workers.test", locale="sv", status="pending", attempts=0,
                next_attempt_at=now, created_at=now,
                payload={"call_id": 0, "title": f"Utlysning {n}", "url": "http://127.0.0.1/calendar/calls/0",
                         "changes": [{"label": "Sista ansökningsdag", "old": "2031-03-01", "new": "2031-03-15"}]})
                for n in range(count)]
            db.session.add_all(rows)
            db.session.commit()
            ids = [r.id for r in rows]
            db.session.remove()
        made.extend(ids)
        return ids

    yield _make
    with app.app_context():
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.event_key.like(f"{KEY_PREFIX}:%")))
        db.session.commit()
        db.session.remove()


def _worker(database_url: str, queue: str, name: str, lease: int = 60) -> subprocess.Popen:
    """A `flask worker` process. The lease is the production one's order of magnitude unless a test
    needs it to run out (a sent message is marked within it even on a loaded machine)."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue,
           "MAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}", "SECRET_KEY": "test-secret", "MAIL_LEASE_SECONDS": str(lease),
           "OUTBOX_DRAIN_SECONDS": "1", "PERIODIC_INTERVAL_SECONDS": "3600"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "synergy_app", "worker", "--name", name],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _statuses(app, ids) -> dict[str, int]:
    with app.app_context():
        counts = dict(db.session.execute(select(OutboxMessage.status, func.count())
                                         .where(OutboxMessage.id.in_(ids)).group_by(OutboxMessage.status)).all())
        db.session.remove()
    return counts


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _enqueue(connection, queue_name: str, job: str, *args) -> None:
    from rq import Queue

    Queue(queue_name, connection=connection).enqueue(job, *args)


def test_two_workers_send_each_message_exactly_once(app, database_url, redis_queue, committed_rows, smtp_server):
    connection, queue = redis_queue
    smtp_server.clear()
    ids = committed_rows(40)
    workers = [_worker(database_url, queue, f"{queue}-{n}") for n in (1, 2)]
    try:
        # The same rows offered twice over and drained besides: only the claim decides who sends.
        for _ in range(2):
            for start in range(0, len(ids), 5):
                _enqueue(connection, queue, "synergy_app.jobs.tasks.deliver", ids[start:start + 5])
        _enqueue(connection, queue, "synergy_app.jobs.tasks.drain")
        assert _wait(lambda: _statuses(app, ids).get("sent") == len(ids), 60), _statuses(app, ids)
        time.sleep(2)  # anything sent twice would arrive by now
    finally:
        for process in workers:
            _stop(process)
    received = [m for m in smtp_server.all() if m["To"] and "@workers.test" in str(m["To"])]
    assert len(received) == len(ids)
    assert len({m["Message-ID"] for m in received}) == len(ids)
    assert {str(m["To"]).split("<")[-1].rstrip(">") for m in received} == {
        f"follower{n}@workers.test" for n in range(40)}


def test_a_worker_killed_mid_send_leads_to_one_message(app, database_url, redis_queue, committed_rows,
                                                       smtp_server):
    connection, queue = redis_queue
    smtp_server.clear()
    smtp_server.rcpt_delay = 6.0  # the first worker is inside the SMTP conversation when it dies
    [row_id] = committed_rows(1)
    first = _worker(database_url, queue, f"{queue}-first", lease=3)
    second = None
    try:
        _enqueue(connection, queue, "synergy_app.jobs.tasks.deliver", [row_id])
        assert _wait(lambda: _statuses(app, [row_id]).get("sending") == 1, 30)
        time.sleep(1.0)
        _stop(first, signal.SIGKILL)
        assert _statuses(app, [row_id]) == {"sending": 1}
        smtp_server.rcpt_delay = 0.0
        second = _worker(database_url, queue, f"{queue}-second", lease=3)
        # The lease (3 s) runs out; the second worker's scheduled drain claims the row and sends it.
        assert _wait(lambda: _statuses(app, [row_id]).get("sent") == 1, 40), _statuses(app, [row_id])
        time.sleep(2)
    finally:
        _stop(first, signal.SIGKILL)
        if second is not None:
            _stop(second)
    received = [m for m in smtp_server.all() if "follower0@workers.test" in str(m["To"])]
    assert len(received) == 1
    with app.app_context():
        row = db.session.get(OutboxMessage, row_id)
        assert row.attempts == 2 and row.status == "sent"
        db.session.remove()


def test_with_redis_a_committed_change_queues_a_job_and_sends_nothing_in_the_request(
        app, client, make_user, login, db_session, redis_queue, mailbox):
    from rq import Queue

    from synergy_app.dialogues import service

    from ..dialogues.rounds_support import make_round, region, slots_of

    connection, queue = redis_queue
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="queued@region.test")
    round_ = make_round(db_session, planner, open_for_booking=True)
    before = dict(app.config)
    app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=queue)
    try:
        booking = service.book_slot(slots_of(db_session, round_)[1], region(db_session, "ostergotland"), None)
        login(planner)
        client.get("/")
    finally:
        app.config.update(REDIS_URL=before.get("REDIS_URL"), RQ_QUEUE=before["RQ_QUEUE"])
    [row] = db_session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "booking_confirmed",
                                                           OutboxMessage.recipient_email == "queued@region.test"))
    assert row.payload["booking_id"] == booking.id and row.status == "pending"
    jobs = Queue(queue, connection=connection).jobs
    assert [job.func_name for job in jobs] == ["synergy_app.jobs.tasks.deliver"]
    assert row.id in jobs[0].args[0]
    assert mailbox.all() == []  # the worker sends it, not the request
