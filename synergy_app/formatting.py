"""Display helpers (Jinja filters): times in Europe/Stockholm; money and shares are in synergy_app.money."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def to_local(value: datetime) -> datetime:
    return value.astimezone(STOCKHOLM)


def format_datetime(value: datetime | date | None, with_time: bool = True) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        local = to_local(value)
        return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")
    return value.isoformat()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (CSV/XLSX injection) is kept text with a leading '."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
