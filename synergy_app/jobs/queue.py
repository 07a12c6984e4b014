"""Handing committed outbox rows on: to RQ over Redis when REDIS_URL is set, otherwise sent in this
process at the end of the request (or of the command) whose transaction committed them."""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_app_context
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..notify import delivery, outbox

log = logging.getLogger(__name__)

# A batch of up to 50 messages, each within the SMTP timeout; leases are renewed as it goes.
JOB_TIMEOUT = 900

DELIVER_JOB = "synergy_app.jobs.tasks.deliver"
DRAIN_JOB = "synergy_app.jobs.tasks.drain"
PERIODIC_JOB = "synergy_app.jobs.tasks.periodic_pass"


_connections: dict[str, object] = {}


def redis_connection():
    """This process's client for REDIS_URL: its pool keeps the connection open between requests (a new
    connection per commit costs a TCP handshake; redis-py opens a fresh pool in a forked child)."""
    from redis import Redis

    url = current_app.config["REDIS_URL"]
    connection = _connections.get(url)
    if connection is None:
        connection = _connections[url] = Redis.from_url(url)
    return connection


def rq_queue(connection=None):
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=connection or redis_connection())


def push(ids: list[int]) -> None:
    """Hand committed rows to the workers: one job, written to Redis in one round trip."""
    queue = rq_queue()
    with queue.connection.pipeline() as pipeline:
        job = queue.create_job(DELIVER_JOB, args=(ids,), timeout=JOB_TIMEOUT)
        queue.enqueue_job(job, pipeline=pipeline)
        pipeline.execute()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    new = session.info.pop(outbox.NEW_IDS, None)
    if not new:
        return
    if has_app_context() and current_app.config.get("REDIS_URL"):
        # No SQL may run here; putting ids on the queue needs none. A job that cannot be queued (Redis
        # down) is not lost: its rows are committed and due, and the workers' periodic drain sends them.
        try:
            push(new)
        except RedisError as exc:
            log.warning("outbox rows %s not queued (%s); the periodic drain will send them", new, exc)
    else:
        session.info.setdefault(outbox.COMMITTED_IDS, []).extend(new)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    # A rolled-back change sends nothing: forget the rows it would have added.
    if not previous_transaction.nested:
        session.info.pop(outbox.NEW_IDS, None)


def deliver_committed() -> delivery.Outcome | None:
    """Without a queue: send what this process committed since the last call."""
    ids = outbox.take_committed()
    return delivery.deliver(ids) if ids else None


def init_app(app: Flask) -> None:
    @app.after_request
    def _send_after_request(response):
        if not app.config.get("REDIS_URL"):
            deliver_committed()
        return response
