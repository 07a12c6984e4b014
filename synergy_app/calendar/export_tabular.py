"""CSV and XLSX of a list of calls, in the same columns as the import template so a file round-trips."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from ..clock import to_local
from ..money import kronor_text
from ..reports import tabular as tables
from .call_data import CallData
from .tabular_columns import COLUMNS, headers


def _moment(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


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
        "budget_sek": kronor_text(call.budget_sek, ","),
        "max_grant_sek": kronor_text(call.max_grant_sek, ","),
        "funding_rate": _percent(call.funding_rate),
        "eligible_applicants": "; ".join(call.eligible_applicants),
        "themes": "; ".join(call.themes),
        "regions": "; ".join(call.regions),
        "series": call.series.key if call.series else "",
    }
    return [values[c.key] for c in COLUMNS]


def calls_table(calls: Iterable[CallData], fmt: str, lang: str = "sv") -> tables.Table:
    """The calls as CSV or XLSX, headers in ``lang``; the import reads either back unchanged."""
    return tables.write((call_row(call) for call in calls), headers(lang), fmt,
                        title="Utlysningar" if lang == "sv" else "Calls")


def calls_to_csv(calls: Iterable[CallData], lang: str = "sv") -> bytes:
    return calls_table(calls, "csv", lang).body


def calls_to_xlsx(calls: Iterable[CallData], lang: str = "sv") -> bytes:
    return calls_table(calls, "xlsx", lang).body
