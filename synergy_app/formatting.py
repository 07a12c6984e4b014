"""Display helpers (Jinja filters): times in Europe/Stockholm; money and shares are in synergy_app.money."""

from __future__ import annotations

from datetime import date, datetime

from .clock import STOCKHOLM, to_local
from .reports.cells import FORMULA_STARTS
from .reports.cells import safe_cell as spreadsheet_safe

__all__ = ["FORMULA_STARTS", "STOCKHOLM", "format_datetime", "spreadsheet_safe", "to_local"]


def format_datetime(value: datetime | date | None, with_time: bool = True) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        local = to_local(value)
        return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")
    return value.isoformat()
