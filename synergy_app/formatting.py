"""Display helpers (Jinja filters): times in Europe/Stockholm; money and shares are in synergy_app.money."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .storable_text import replace_forbidden

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
    """Text as a spreadsheet cell: a control character XLSX cannot hold (one stored before it was refused
    at input) becomes U+FFFD instead of failing the whole export, and text that a spreadsheet would run
    as a formula (CSV/XLSX injection) is kept text with a leading '."""
    if not isinstance(value, str):
        return value
    value = replace_forbidden(value)
    if value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
