"""Funders' calendars kept in sync: a subscribed ICS feed re-fetched and run through the ordinary import.

Each fetch is a conditional GET (the last imported answer's ETag and Last-Modified); a 304, or the
same body again, changes nothing. A new body goes through the same preview and all-or-nothing import
as an uploaded file, so calls are matched by UID, moved dates land in each call's date history
(source "feed") and the call's followers are told (``call_notices``). A feed that cannot be fetched
or read leaves every call as it was; the error is kept on the subscription and shown on the funder's
page. Settings (app config, else the environment): FEED_ALLOW_PRIVATE=1 lets feeds come from
private and loopback addresses (tests, an intranet); FEED_TIMEOUT_SECONDS, FEED_MAX_BYTES and
FEED_REFRESH_MINUTES (how often the periodic job fetches each feed).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, true, update

from ..audit.service import record, transaction
from ..auth.access import permit
from ..db_types import utcnow
from ..directory.models import Organisation
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from . import service
from .access import can_edit_calls
from .feed_fetch import FeedFetchError, FetchLimits, FetchResult, check_url, fetch, resolve
from .models_feeds import FunderFeedSubscription

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000
# A claim older than this is a fetch that died; another process may take the feed over.
CLAIM_LEASE = timedelta(minutes=10)
ERRORS_KEPT = 3


@dataclass(frozen=True)
class FeedSettings:
    allow_private: bool
    limits: FetchLimits
    interval: timedelta


@dataclass(frozen=True)
class FeedOutcome:
    """What one fetch of one feed did."""

    funder_slug: str
    status: str  # changed, unchanged, error, busy (another process is fetching it)
    counts: dict[str, int] | None = None
    error_sv: str | None = None
    error_en: str | None = None


def _setting(name: str, default: str) -> str:
    value = current_app.config.get(name)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def feed_settings() -> FeedSettings:
    allow = _setting("FEED_ALLOW_PRIVATE", "0").lower() in ("1", "true", "yes")
    limits = FetchLimits(timeout=float(_setting("FEED_TIMEOUT_SECONDS", "15")),
                         max_bytes=int(_setting("FEED_MAX_BYTES", str(5 * 1024 * 1024))))
    return FeedSettings(allow, limits, timedelta(minutes=int(_setting("FEED_REFRESH_MINUTES", "60"))))


# --- Subscribing ---------------------------------------------------------------------------------


def subscription_for(funder: Organisation) -> FunderFeedSubscription | None:
    return db.session.scalar(select(FunderFeedSubscription).where(FunderFeedSubscription.funder_id == funder.id))


def check_feed_url(url: str, *, allow_private: bool) -> str:
    """The URL, stripped, or InputError on the field "url" when it cannot be a safe feed address."""
    url = (url or "").strip()
    if not url:
        raise InputError(FieldError("url", "Ange flödets adress.", "Give the feed's address."))
    if len(url) > MAX_URL_LENGTH:
        raise InputError(FieldError("url", f"Adressen är längre än {MAX_URL_LENGTH} tecken.",
                                    f"The address is longer than {MAX_URL_LENGTH} characters."))
    try:
        target = check_url(url)
        resolve(target.host, target.port, allow_private)
    except FeedFetchError as exc:
        raise InputError(FieldError("url", exc.message_sv, exc.message_en)) from None
    return url


def subscribe(funder: Organisation, url: str, *, actor=None) -> FunderFeedSubscription:
    """Subscribe the funder to a feed (one per funder; a new URL replaces the old and starts afresh)."""
    permit(actor, can_edit_calls)
    url = check_feed_url(url, allow_private=feed_settings().allow_private)
    with transaction():
        sub = subscription_for(funder)
        if sub is None:
            sub = FunderFeedSubscription(funder_id=funder.id, url=url, status="new",
                                         created_by_id=getattr(actor, "id", None))
            db.session.add(sub)
        elif sub.url != url:
            sub.url = url
            sub.etag = sub.last_modified = sub.content_sha256 = None
            sub.status = "new"
            sub.last_error = sub.last_error_sv = None
        db.session.flush()
        record("calendar.feed.subscribe", sub, summary=f"{funder.slug}: {url}", actor=actor)
    return sub


def unsubscribe(funder: Organisation, *, actor=None) -> None:
    permit(actor, can_edit_calls)
    with transaction():
        sub = subscription_for(funder)
        if sub is not None:
            record("calendar.feed.unsubscribe", sub, summary=f"{funder.slug}: {sub.url}", actor=actor)
            db.session.delete(sub)


# --- Fetching ------------------------------------------------------------------------------------


def refresh_subscribed_feeds(now: datetime | None = None) -> list[FeedOutcome]:
    """One pass of the periodic job: fetch every feed not fetched within FEED_REFRESH_MINUTES."""
    now = now or utcnow()
    settings = feed_settings()
    due = list(db.session.scalars(
        select(FunderFeedSubscription.id)
        .where(or_(FunderFeedSubscription.last_fetched_at.is_(None),
                   FunderFeedSubscription.last_fetched_at <= now - settings.interval))
        .order_by(FunderFeedSubscription.id)))
    return [refresh_subscription(sub_id, now=now, settings=settings, only_if_due=True) for sub_id in due]


def refresh_subscription(sub_id: int, *, actor=None, now: datetime | None = None,
                         settings: FeedSettings | None = None, only_if_due: bool = False) -> FeedOutcome:
    """Fetch one feed now and import what changed; the outcome is also kept on the subscription.

    "busy" when another process is fetching it, or (``only_if_due``) has fetched it since it fell due.
    """
    permit(actor, can_edit_calls)
    now = now or utcnow()
    settings = settings or feed_settings()
    sub = db.session.get(FunderFeedSubscription, sub_id)
    due_before = now - settings.interval if only_if_due else None
    if sub is None or not _claim(sub_id, now, due_before):
        return FeedOutcome(sub.funder.slug if sub else "-", "busy")
    funder_slug, url = sub.funder.slug, sub.url
    try:
        result = fetch(url, etag=sub.etag, last_modified=sub.last_modified, allow_private=settings.allow_private,
                       limits=settings.limits)
        outcome = _import(sub_id, funder_slug, result, actor or f"feed:{funder_slug}")
    except FeedFetchError as exc:
        outcome = FeedOutcome(funder_slug, "error", error_sv=exc.message_sv, error_en=exc.message_en)
    except Exception:
        # One feed's failure must not stop the periodic pass nor keep the feed claimed; kept for the log.
        db.session.rollback()
        logger.exception("calendar feed of %s could not be refreshed", funder_slug)
        outcome = FeedOutcome(funder_slug, "error", error_sv="Ett oväntat fel inträffade; se serverns logg.",
                              error_en="An unexpected error occurred; see the server log.")
    _store(sub_id, outcome, now)
    return outcome


def _claim(sub_id: int, now: datetime, due_before: datetime | None) -> bool:
    """Take the feed for this process (committed before the network is touched); False when taken,
    or when ``due_before`` is given and the feed was fetched after it (another worker's pass)."""
    table = FunderFeedSubscription
    free = or_(table.claimed_at.is_(None), table.claimed_at < now - CLAIM_LEASE)
    due = or_(table.last_fetched_at.is_(None), table.last_fetched_at <= due_before) if due_before else true()
    with transaction():
        taken = db.session.execute(update(table).where(table.id == sub_id, free, due)
                                   .values(claimed_at=now).execution_options(synchronize_session=False))
    return taken.rowcount == 1


def _import(sub_id: int, funder_slug: str, result: FetchResult, actor) -> FeedOutcome:
    sub = db.session.get(FunderFeedSubscription, sub_id)
    if result.status == 304 or result.body is None:
        return FeedOutcome(funder_slug, "unchanged")
    digest = hashlib.sha256(result.body).hexdigest()
    if digest != sub.content_sha256:
        try:
            counts = service.import_file(result.body, "ics", funder_slug, actor=actor, filename=result.url,
                                         source="feed")
        except InputError as exc:
            return _error(funder_slug, exc.errors)
        except Conflict as exc:
            return _error(funder_slug, [exc.error])
        db.session.expire_all()
        sub = db.session.get(FunderFeedSubscription, sub_id)
    else:
        counts = None
    with transaction():
        sub.etag, sub.last_modified, sub.content_sha256 = result.etag, result.last_modified, digest
    changed = bool(counts and (counts.get("create") or counts.get("update")))
    return FeedOutcome(funder_slug, "changed" if changed else "unchanged", counts)


def _error(funder_slug: str, errors: list[FieldError]) -> FeedOutcome:
    """The first few problems of a feed the import refused, in both languages."""
    shown = errors[:ERRORS_KEPT]
    more_sv = f" (och {len(errors) - ERRORS_KEPT} till)" if len(errors) > ERRORS_KEPT else ""
    more_en = f" (and {len(errors) - ERRORS_KEPT} more)" if len(errors) > ERRORS_KEPT else ""
    return FeedOutcome(
        funder_slug, "error",
        error_sv="Flödet importerades inte, inga utlysningar ändrades: "
                 + "; ".join(e.message_sv for e in shown) + more_sv,
        error_en="The feed was not imported and no calls were changed: "
                 + "; ".join(e.message_en for e in shown) + more_en)


def _store(sub_id: int, outcome: FeedOutcome, now: datetime) -> None:
    with transaction():
        sub = db.session.get(FunderFeedSubscription, sub_id)
        if sub is None:  # unsubscribed while it was being fetched
            return
        sub.claimed_at = None
        sub.last_fetched_at = now
        sub.status = outcome.status
        sub.last_error = outcome.error_en
        sub.last_error_sv = outcome.error_sv
        if outcome.status == "changed":
            sub.last_changed_at = now
            sub.last_counts = outcome.counts
