"""Time in one place: moments are stored in UTC and shown on Stockholm's wall clock.

Every module asks here for the zone, the current moment and the local date, so a page, an export
and a check agree on what "today" is."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

__all__ = ["STOCKHOLM", "STOCKHOLM_TZID", "UTC", "local_date", "local_moment", "local_text", "to_local",
           "to_utc", "today_local", "utcnow"]

STOCKHOLM_TZID = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(STOCKHOLM_TZID)


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


def to_local(value: datetime) -> datetime:
    """An aware moment on Stockholm's wall clock."""
    return value.astimezone(STOCKHOLM)


def today_local() -> date:
    """Today's date in Stockholm (after midnight there, even while it is still yesterday in UTC)."""
    return to_local(utcnow()).date()


def local_date(at: date | datetime) -> date:
    """The Stockholm calendar date of a moment; a plain date stays as it is."""
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("naive datetime: times must be timezone-aware")
        return to_local(at).date()
    return at


def local_moment(day: date, at: time) -> datetime:
    """The aware moment at wall-clock time ``at`` on ``day`` in Stockholm."""
    return datetime.combine(day, at, STOCKHOLM)


def local_text(value: datetime) -> str:
    """'2027-03-01 09:30' on Stockholm's wall clock."""
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def to_utc(at: date | datetime) -> date | datetime:
    """Aware datetimes are normalised to UTC for storage; dates without time stay dates."""
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("naive datetime: times must be timezone-aware")
        return at.astimezone(UTC)
    return at
