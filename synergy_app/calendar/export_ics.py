"""Calls as calendar events (RFC 5545), one VEVENT per dated event of each call.

UIDs are stable (call identity + event kind) and SEQUENCE follows the call's revision, so calendar
clients update an event instead of duplicating it. The calendar itself is written by `ics_writer`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import lru_cache

from ..ics_writer import Entry, FeedHeader, escape_text, feed_text, fold
from .call_data import EVENT_LABELS, CallData, CallEvent

PRODID = "-//Synergy workspace//Utlysningskalender//SV"
UID_DOMAIN = "synergy-workspace"
# Calls change seldom; subscribing clients are asked to fetch twice a day.
REFRESH = timedelta(hours=12)

__all__ = ["PRODID", "REFRESH", "call_entries", "calls_to_ics", "escape_text", "event_uid", "fold"]


def event_uid(call: CallData, event: CallEvent) -> str:
    """Stable per call and event: the same call exported twice gives the same UIDs."""
    return f"{_uid_stem(call.identity)}.{event.kind.value}.{event.index}@{UID_DOMAIN}"


@lru_cache(maxsize=65536)
def _uid_stem(identity: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", identity)[:48].strip("-")
    digest = hashlib.sha256(identity.encode()).hexdigest()[:12]
    return f"{readable}-{digest}"


def call_entries(calls: Iterable[CallData], lang: str = "sv", base_url: str | None = None) -> Iterator[Entry]:
    """The calls' dated events; `base_url` links each call's page when the funder gave no link."""
    label_index = 0 if lang == "sv" else 1
    for call in calls:
        link = call.url or (f"{base_url.rstrip('/')}/{call.identity}" if base_url else None)
        description = "\n".join(x for x in (call.title, call.programme, call.funder_slug, link) if x)
        extra = (("X-SYNERGY-CALL", call.identity),)
        if call.reference:
            extra += (("X-SYNERGY-REFERENCE", call.reference),)
        for ev in call.events():
            kind_label = EVENT_LABELS[ev.kind][label_index]
            timed = isinstance(ev.at, datetime)
            yield Entry(
                uid=event_uid(call, ev),
                summary=f"{call.title}: {ev.label if ev.label and lang == 'sv' else kind_label}",
                start=ev.at,
                # A point in time has no DTEND (RFC 5545 3.6.1 allows a zero-length event); a day ends the next day.
                end=None if timed else ev.at + timedelta(days=1),
                sequence=call.revision,
                description=description,
                url=link,
                transparent=True,
                categories=(kind_label,),
                extra=(*extra, ("X-SYNERGY-EVENT-KIND", ev.kind.value)),
            )


def calls_to_ics(
    calls: Iterable[CallData],
    now: datetime,
    calendar_name: str = "Utlysningar",
    base_url: str | None = None,
    lang: str = "sv",
) -> bytes:
    """The public feed as bytes (UTF-8, CRLF). `now` is the DTSTAMP."""
    header = FeedHeader(prodid=PRODID, name=calendar_name, refresh=REFRESH)
    return feed_text(call_entries(calls, lang, base_url), now, header)
