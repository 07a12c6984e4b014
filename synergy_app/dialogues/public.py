"""What other capabilities may use from dialogues: calendar entries as plain dicts or calendar events."""

from __future__ import annotations

from datetime import datetime

from ..ics_writer import Entry
from . import queries
from .invitations_ics import calendar_event


def _as_dict(entry) -> dict:
    return {
        "uid": entry.uid,
        "summary": entry.summary,
        "start": entry.start,
        "end": entry.end,
        "url": entry.url,
        "sequence": entry.sequence,
        "location": entry.location,
        "cancelled": entry.cancelled,
    }


def calendar_entries_for_user(user) -> list[dict]:
    """The user's snabbdialog meetings and own slots (rounds past the draft stage), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_for_user(user)), key=lambda d: (d["start"], d["uid"]))


def feed_events_for_user(user) -> list[Entry]:
    """The user's snabbdialog meetings and own slots as events of a personal feed (cancelled ones marked)."""
    entries = sorted(queries.entries_for_user(user), key=lambda e: (e.start, e.uid))
    return [calendar_event(entry) for entry in entries]


def calendar_entries_between(start: datetime, end: datetime) -> list[dict]:
    """Every snabbdialog meeting (past the draft stage) overlapping [start, end), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_between(start, end)), key=lambda d: (d["start"], d["uid"]))


def region_engagements(region_id: int):
    """A region's invitations and live bookings (ORM objects), each by round id."""
    return queries.region_engagements(region_id)
