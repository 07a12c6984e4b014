"""The call calendar as JSON under /api/v1/calls."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, jsonify, request, url_for

from ..auth.access import ANY_USER, allow
from ..errors import FieldError, InputError
from ..int_params import is_db_id
from . import queries
from .alignment import AlignmentSettings, Flag, check_alignment
from .call_data import CallData, derive_status

bp = Blueprint("calendar_api", __name__, url_prefix="/api/v1")

MAX_PAGE_SIZE = 500


def _moment(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def call_dict(call: CallData, today: date) -> dict:
    call_id = int(call.extra["id"])
    return {
        "id": call_id,
        "identity": call.identity,
        "uid": call.uid,
        "reference": call.reference,
        "funder": call.funder_slug,
        "programme": call.programme,
        "title": call.title,
        "url": call.url,
        "page": url_for("calendar.call", id=call_id, _external=True),
        "status": derive_status(call, today).value,
        "opens": _moment(call.opens_on),
        "deadlines": [{"label": d.label, "at": _moment(d.at)} for d in call.deadlines],
        "decision": _moment(call.decision_on),
        "earliest_start": _moment(call.earliest_start),
        "latest_start": _moment(call.latest_start),
        "budget_ore": call.budget_sek,
        "max_grant_ore": call.max_grant_sek,
        "funding_rate": None if call.funding_rate is None else str(call.funding_rate),
        "eligible_applicants": list(call.eligible_applicants),
        "themes": list(call.themes),
        "regions": list(call.regions),
        "series": call.series.key if call.series else None,
        "revision": call.revision,
    }


def flag_dict(flag: Flag) -> dict:
    return {
        "code": flag.code.value,
        "calls": list(flag.calls),
        "dates": [{"call": d.call, "field": d.field, "on": d.on.isoformat()} for d in flag.dates],
        "message": {"sv": flag.message_sv, "en": flag.message_en},
        "shift": None if flag.shift is None else _shift_dict(flag.shift),
        "options": [_shift_dict(s) for s in flag.options],
    }


def _shift_dict(s) -> dict:
    return {"call": s.call, "field": s.field, "from": s.from_date.isoformat(), "to": s.to_date.isoformat(),
            "days": s.days}


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise InputError(FieldError(name, f"{name} måste vara ett heltal {lo}–{hi}.",
                                    f"{name} must be a whole number {lo}–{hi}."))
    return value


@bp.get("/calls")
@allow(ANY_USER)
def calls():
    """Calls with the list filters: funder (repeatable or comma-separated), theme, region, status, from, to, q."""
    filters = queries.filters_from_args(request.args)
    page = _int_arg("page", 1, 1, 100_000)
    size = _int_arg("page_size", 100, 1, MAX_PAGE_SIZE)
    found, total = queries.page_of_calls(filters, page, size)
    today = queries.today_local()
    return jsonify({"calls": [call_dict(c, today) for c in found], "total": total, "page": page, "page_size": size})


@bp.get("/calls/<int:id>")
@allow(ANY_USER)
def call(id: int):
    queries.get_call(id)
    data = queries.call_data_for_ids([id])[0]
    return jsonify(call_dict(data, queries.today_local()))


@bp.post("/calls/alignment")
@allow(ANY_USER)
def alignment():
    """Alignment flags for a set of calls: {"call_ids": [1, 2], "min_application_days": 42}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InputError(FieldError("body", "Skicka JSON med call_ids.", "Send JSON with call_ids."))
    ids = body.get("call_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise InputError(FieldError("call_ids", "call_ids ska vara en lista med utlysningarnas id (heltal).",
                                    "call_ids must be a list of call ids (integers)."))
    if len(ids) > 50:
        raise InputError(FieldError("call_ids", "Högst 50 utlysningar åt gången.", "At most 50 calls at a time."))
    min_days = body.get("min_application_days", 42)
    if not isinstance(min_days, int) or not 1 <= min_days <= 365:
        raise InputError(FieldError("min_application_days", "Ange 1–365 dagar.", "Give 1–365 days."))
    # An id no row can have is simply unknown (PostgreSQL would refuse to compare it with an integer column).
    data = queries.call_data_for_ids([i for i in dict.fromkeys(ids) if is_db_id(i)])
    missing = sorted(set(ids) - {int(c.extra["id"]) for c in data})
    if missing:
        raise InputError(FieldError("call_ids", f"Okända utlysningar: {missing}.", f"Unknown calls: {missing}."),
                         status=404, code="not_found")
    flags = check_alignment(data, AlignmentSettings(min_application_days=min_days))
    ids_by_identity = {c.identity: int(c.extra["id"]) for c in data}
    return jsonify({"calls": ids_by_identity, "flags": [flag_dict(f) for f in flags]})
