"""The public ICS feed of calls (RFC 5545), one VEVENT per dated event of each call.

A subscribed feed, not an invitation: no METHOD. UIDs are stable (call identity + event kind) and
SEQUENCE follows the call's revision, so calendar clients update an event instead of duplicating it.
Serialised by hand (with RFC 5545 escaping and line folding) because building 40,000 icalendar
objects is too slow for a full feed; the Europe/Stockholm VTIMEZONE comes from icalendar.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from ..clock import STOCKHOLM
from .call_data import EVENT_LABELS, CallData, CallEvent

PRODID = "-//Synergy workspace//Utlysningskalender//SV"
UID_DOMAIN = "synergy-workspace"
TZID = "Europe/Stockholm"


def event_uid(call: CallData, event: CallEvent) -> str:
    """Stable per call and event: the same call exported twice gives the same UIDs."""
    return f"{_uid_stem(call.identity)}.{event.kind.value}.{event.index}@{UID_DOMAIN}"


@lru_cache(maxsize=65536)
def _uid_stem(identity: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", identity)[:48].strip("-")
    digest = hashlib.sha256(identity.encode()).hexdigest()[:12]
    return f"{readable}-{digest}"


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 3.3.11."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    if line.isascii():
        # One octet per character: slice directly (the common case, and the fast one for big feeds).
        if len(line) <= 75:
            return line
        return "\r\n ".join([line[:75], *(line[i:i + 74] for i in range(75, len(line), 74))])
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode())
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


@lru_cache(maxsize=1)
def _vtimezone() -> str:
    from icalendar import Timezone

    return Timezone.from_tzid(TZID).to_ical().decode().strip("\r\n")


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calls_to_ics(
    calls: Iterable[CallData],
    now: datetime,
    calendar_name: str = "Utlysningar",
    base_url: str | None = None,
    lang: str = "sv",
) -> bytes:
    """The feed as bytes (UTF-8, CRLF). `now` is the DTSTAMP; `base_url` links each call's page."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = _utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
        f"X-WR-TIMEZONE:{TZID}",
        # Hints for subscribing clients; Google ignores them and refreshes on its own schedule.
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    body: list[str] = []
    timed = False
    label_index = 0 if lang == "sv" else 1
    for call in calls:
        title = escape_text(call.title)
        link = call.url or (f"{base_url.rstrip('/')}/{call.identity}" if base_url else None)
        description = escape_text("\n".join(x for x in (call.title, call.programme, call.funder_slug, link) if x))
        for ev in call.events():
            kind_label = EVENT_LABELS[ev.kind][label_index]
            summary = f"{title}: {escape_text(ev.label if ev.label and lang == 'sv' else kind_label)}"
            body += ["BEGIN:VEVENT", f"UID:{event_uid(call, ev)}", f"DTSTAMP:{stamp}"]
            if isinstance(ev.at, datetime):
                timed = True
                local = ev.at.astimezone(STOCKHOLM).strftime("%Y%m%dT%H%M%S")
                # A point in time: no DTEND, which RFC 5545 3.6.1 allows for a zero-length event.
                body.append(f"DTSTART;TZID={TZID}:{local}")
            else:
                body.append(f"DTSTART;VALUE=DATE:{ev.at.strftime('%Y%m%d')}")
                body.append(f"DTEND;VALUE=DATE:{(ev.at + timedelta(days=1)).strftime('%Y%m%d')}")
            body.append(f"SEQUENCE:{call.revision}")
            body.append(f"SUMMARY:{summary}")
            body.append(f"DESCRIPTION:{description}")
            body.append(f"CATEGORIES:{escape_text(kind_label)}")
            if link:
                body.append(f"URL:{link}")
            body.append("TRANSP:TRANSPARENT")
            body.append(f"X-SYNERGY-CALL:{escape_text(call.identity)}")
            if call.reference:
                body.append(f"X-SYNERGY-REFERENCE:{escape_text(call.reference)}")
            body.append(f"X-SYNERGY-EVENT-KIND:{ev.kind.value}")
            body.append("END:VEVENT")
    if timed:
        lines.append(_vtimezone())
    lines += body
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) if "\r\n" not in line else line for line in lines) + "\r\n").encode()


def all_day(value: date | datetime) -> bool:
    return not isinstance(value, datetime)
