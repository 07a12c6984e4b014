"""CSV and XLSX of a list of calls, in the same columns as the import template so a file round-trips."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from ..formatting import spreadsheet_safe
from .call_data import STOCKHOLM, CallData
from .tabular_columns import COLUMNS, headers


def _moment(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _kronor(ore: int | None) -> str:
    if ore is None:
        return ""
    kronor, rest = divmod(ore, 100)
    return f"{kronor}" if rest == 0 else f"{kronor},{rest:02d}"


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return format((rate * 100).normalize(), "f").replace(".", ",")


def call_row(call: CallData) -> list[str]:
    values = {
        "funder": call.funder_slug,
        "reference": call.reference or "",
        "uid": call.uid or "",
        "title": call.title,
        "programme": call.programme or "",
        "url": call.url or "",
        "opens_on": _moment(call.opens_on),
        "deadlines": "; ".join(f"{d.label}={_moment(d.at)}" if d.label else _moment(d.at) for d in call.deadlines),
        "decision_on": _moment(call.decision_on),
        "earliest_start": _moment(call.earliest_start),
        "latest_start": _moment(call.latest_start),
        "budget_sek": _kronor(call.budget_sek),
        "max_grant_sek": _kronor(call.max_grant_sek),
        "funding_rate": _percent(call.funding_rate),
        "eligible_applicants": "; ".join(call.eligible_applicants),
        "themes": "; ".join(call.themes),
        "regions": "; ".join(call.regions),
        "series": call.series.key if call.series else "",
    }
    return [values[c.key] for c in COLUMNS]


def calls_to_csv(calls: Iterable[CallData], lang: str = "sv") -> str:
    """CSV with ';' for Swedish (what Excel with Swedish settings expects) and ',' for English."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "sv" else ",", lineterminator="\r\n")
    writer.writerow(headers(lang))
    for call in calls:
        writer.writerow(_safe(call_row(call)))
    return out.getvalue()


def calls_to_xlsx(calls: Iterable[CallData], lang: str = "sv") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Utlysningar" if lang == "sv" else "Calls")
    ws.append(headers(lang))
    for call in calls:
        ws.append(_safe(call_row(call)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _safe(row: list[str]) -> list[str]:
    return [spreadsheet_safe(v) for v in row]
