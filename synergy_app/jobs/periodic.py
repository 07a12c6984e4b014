"""Periodic jobs: one pass of everything that is due by the clock.

`flask --app synergy_app worker` runs a pass every PERIODIC_INTERVAL_SECONDS (one worker of many
enqueues it); without Redis, `flask --app synergy_app run-periodic` does one pass (for cron).

Register a periodic job by appending to PERIODIC_JOBS. A job takes `now` and does its own writes;
one that only adds outbox rows in the open transaction can be `dry_run_safe` (a dry run rolls the
pass back and lists the messages it would have sent); others are skipped in a dry run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..calendar.feed_sync import refresh_subscribed_feeds
from ..db_types import utcnow
from ..extensions import db
from ..notify import due, outbox
from ..notify.models import OutboxMessage


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[datetime], object]
    dry_run_safe: bool = False


# The registration point: each entry runs once per pass, in this order.
PERIODIC_JOBS: list[PeriodicJob] = [
    # Funders' subscribed calendar feeds first, so the dates they move reach followers in this pass.
    PeriodicJob("calendar.feeds", lambda now: refresh_subscribed_feeds(now)),
    PeriodicJob("notify.due", due.scan, dry_run_safe=True),
]


def run_pass(now: datetime | None = None, *, dry_run: bool = False) -> list[dict]:
    """Run every registered job. Returns the messages the pass added (in a dry run: would add),
    as {id, kind, event_key, recipient, locale}."""
    now = now or utcnow()
    added: list[int] = []
    for job in PERIODIC_JOBS:
        if dry_run and not job.dry_run_safe:
            continue
        job.run(now)
        if not dry_run:
            added += db.session.info.get(outbox.NEW_IDS, [])
            db.session.commit()
    if dry_run:
        added = list(db.session.info.get(outbox.NEW_IDS, []))
    rows = [{"id": row.id, "kind": row.kind, "event_key": row.event_key, "recipient": row.recipient_email,
             "locale": row.locale}
            for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(added))
                                          .order_by(OutboxMessage.id))] if added else []
    if dry_run:
        db.session.rollback()  # nothing of a dry run stays
    return rows
