"""Sending the outbox: claim rows, send each, mark it sent; retries with backoff.

A claim is one atomic UPDATE (on PostgreSQL over rows locked with FOR UPDATE SKIP LOCKED, so two
workers never wait for nor take each other's rows; on SQLite the statement holds the write lock).
A claimed row carries a lease: a worker killed mid-send leaves it claimed until the lease runs out,
then another worker claims and sends it. Leases are longer than a send can take (an SMTP timeout).
"""

from __future__ import annotations

import secrets
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, or_, select, update

from ..db_types import utcnow
from ..extensions import db
from . import mail, rendering
from .models import OutboxMessage

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
BATCH = 50
# A sent message is marked in its own commit by default (MAIL_MARK_EVERY=1), so a worker killed between a
# send and its mark re-sends at most that one message (after its lease ends) and never loses one. An
# operator may trade that for speed: marking every N messages (or every MARK_SECONDS) re-sends at most N.
MARK_SECONDS = 0.5


@dataclass(frozen=True)
class Claimed:
    """A claimed row as plain values: nothing to reload (or lock) while it is rendered and sent."""

    id: int
    kind: str
    payload: dict
    locale: str
    recipient_email: str
    recipient_name: str
    attempts: int


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _claimable(now):
    return or_(and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now))


def claim(ids: Iterable[int] | None = None, limit: int = BATCH) -> tuple[str, list[Claimed]]:
    """Take up to `limit` due rows (of `ids`, when given) for this worker; commits the claim."""
    db.session.commit()  # the claim is a transaction of its own, never one that read before
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    claim_token = secrets.token_hex(16)
    candidates = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(list(ids)))
    candidates = candidates.with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer anyway
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(candidates.scalar_subquery()), _claimable(now))
        .values(status="sending", claim_token=claim_token, lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    rows = [Claimed(r.id, r.kind, r.payload or {}, r.locale, r.recipient_email, r.recipient_name, r.attempts)
            for r in db.session.execute(select(
                OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload, OutboxMessage.locale,
                OutboxMessage.recipient_email, OutboxMessage.recipient_name, OutboxMessage.attempts)
                .where(OutboxMessage.claim_token == claim_token).order_by(OutboxMessage.id))]
    db.session.commit()  # end the read: on SQLite a write after an old read snapshot is refused
    return claim_token, rows


def _finish(row: Claimed, claim_token: str, **values) -> None:
    # Only the holder of the claim may finish the row (a lease taken over by another worker wins).
    db.session.commit()  # end the read transaction rendering opened, so the write starts afresh
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == row.id, OutboxMessage.claim_token == claim_token)
        .values(claim_token=None, lease_until=None, **values).execution_options(synchronize_session=False))
    db.session.commit()


def _renew(claim_token: str) -> tuple[set[int], float]:
    """Extend this worker's lease on the rows of its claim it still holds; returns them and the new end.

    A batch is claimed at once but sent one by one: the lease is renewed whenever less than half of it
    is left, so the last rows of a slow batch never pass their lease and get sent by another worker too."""
    db.session.commit()  # as in _finish: a write never follows an old read snapshot
    now = utcnow()
    seconds = current_app.config["MAIL_LEASE_SECONDS"]
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.claim_token == claim_token, OutboxMessage.status == "sending", OutboxMessage.lease_until > now)
        .values(lease_until=now + timedelta(seconds=seconds)).execution_options(synchronize_session=False))
    held = set(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.claim_token == claim_token, OutboxMessage.lease_until > now)))
    db.session.commit()
    return held, time.monotonic() + seconds


def _mark_sent(claim_token: str, sent: list[tuple[int, str]]) -> None:
    """Mark the messages sent since the last mark, in one commit (and forget them)."""
    if not sent:
        return
    db.session.commit()  # as in _finish: a write never follows an old read snapshot
    now = utcnow()
    table = OutboxMessage.__table__  # a Core executemany: one statement, a row of parameters per message
    db.session.execute(
        update(table).where(table.c.id == bindparam("row_id"), table.c.claim_token == claim_token)
        .values(status="sent", sent_at=now, last_error=None, claim_token=None, lease_until=None,
                subject=bindparam("row_subject")),
        [{"row_id": row_id, "row_subject": subject} for row_id, subject in sent])
    db.session.commit()
    sent.clear()


def _send_claimed(claim_token: str, rows: list[Claimed], outcome: Outcome, connection) -> None:
    config = current_app.config
    half = config["MAIL_LEASE_SECONDS"] / 2
    held, lease_end = {row.id for row in rows}, time.monotonic() + config["MAIL_LEASE_SECONDS"] - 1
    sent: list[tuple[int, str]] = []  # sent, not yet marked
    marked_at = time.monotonic()
    try:
        with rendering.one_batch():
            for row in rows:
                if lease_end - time.monotonic() < half:
                    _mark_sent(claim_token, sent)
                    held, lease_end = _renew(claim_token)
                if row.id not in held:
                    continue  # the lease ran out before this row's turn: another worker has it now
                subject = _send_one(row, claim_token, connection, config, outcome)
                if subject is not None:
                    sent.append((row.id, subject))
                    if len(sent) >= config["MAIL_MARK_EVERY"] or time.monotonic() - marked_at >= MARK_SECONDS:
                        _mark_sent(claim_token, sent)
                        marked_at = time.monotonic()
    finally:
        _mark_sent(claim_token, sent)


def _send_one(row: Claimed, claim_token: str, connection, config, outcome: Outcome) -> str | None:
    """Render and send one claimed row; its subject when the server took it, None when it failed
    (the failure is recorded: a retry later, or failed for good)."""
    try:
        built = rendering.build(row, config)
        connection.send(built.message, config["MAIL_FROM"], row.recipient_email, f"{row.id:08d}.eml")
    except rendering.Gone as exc:
        _finish(row, claim_token, status="failed", last_error=f"gone: {exc}")
        outcome.failed += 1
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        # The server refuses the address for good: trying again changes nothing.
        _finish(row, claim_token, status="failed", last_error=_error(exc))
        outcome.failed += 1
    except (smtplib.SMTPException, OSError) as exc:
        if isinstance(connection, mail.SmtpBackend):
            connection.close()
        if row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            _finish(row, claim_token, status="failed", last_error=_error(exc))
            outcome.failed += 1
        else:
            _finish(row, claim_token, status="pending", last_error=_error(exc),
                    next_attempt_at=utcnow() + backoff(row.attempts))
            outcome.retried += 1
    else:
        outcome.sent += 1
        return built.subject[:300]
    return None


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def deliver(ids: Iterable[int]) -> Outcome:
    """Send these rows now if they are due and nobody else holds them."""
    ids = list(ids)
    outcome = Outcome()
    with mail.backend(current_app.config) as connection:  # one SMTP connection for every batch
        for start in range(0, len(ids), BATCH):
            claim_token, rows = claim(ids[start:start + BATCH])
            if rows:
                _send_claimed(claim_token, rows, outcome, connection)
    return outcome


def drain(max_batches: int | None = None) -> Outcome:
    """Send every due row (new, retries, rows whose worker died), batch by batch."""
    outcome = Outcome()
    batches = 0
    with mail.backend(current_app.config) as connection:  # opened at the first send, closed at the end
        while max_batches is None or batches < max_batches:
            claim_token, rows = claim()
            if not rows:
                break
            _send_claimed(claim_token, rows, outcome, connection)
            batches += 1
    return outcome
