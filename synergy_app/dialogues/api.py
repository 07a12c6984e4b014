"""Snabbdialog rounds, slots and bookings as JSON under /api/v1/ (token auth)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from ..auth.access import ANY_USER, allow, current_actor, require
from ..clock import to_local
from ..db_types import utcnow
from ..errors import FieldError, InputError, NotFound
from ..int_params import is_db_id, page_arg
from . import access, queries, service
from .models import ROUND_STATUSES

bp = Blueprint("dialogues_api", __name__, url_prefix="/api/v1")


def _iso(value):
    return value.isoformat() if value is not None else None


def _round_dict(round_, detail: bool = False) -> dict:
    data = {
        "id": round_.id,
        "theme": round_.theme,
        "kind": round_.kind,
        "status": round_.status,
        "lead_organisation": round_.lead_organisation.slug,
        "lead_area": round_.lead_area.slug if round_.lead_area else None,
        "recurrence": round_.recurrence,
        "series_id": round_.series_id,
        "sequence": round_.sequence,
        "meetings": [{"id": m.id, "start": _iso(m.starts_at), "end": _iso(m.ends_at)} for m in round_.meetings],
        "url": url_for("dialogues.round_page", id=round_.id, _external=True),
    }
    if detail:
        data.update({
            "description": round_.description,
            "agencies": [a.slug for a in round_.agencies],
            "meeting_link": round_.meeting_link,
            "recorded": round_.recorded,
            "slot_pattern": {"presentation_minutes": round_.presentation_minutes,
                             "questions_minutes": round_.questions_minutes,
                             "buffer_minutes": round_.buffer_minutes},
            "invitations": [{"region": i.region.slug, "answer": i.answer,
                             "answered_at": _iso(i.answered_at)} for i in round_.invitations],
            "ics": url_for("dialogues.round_ics", id=round_.id, _external=True),
        })
    return data


def _booking_dict(booking) -> dict:
    slot = booking.slot or booking.cancelled_slot
    return {
        "id": booking.id,
        "round_id": booking.round_id,
        "slot_id": booking.slot_id,
        "region": booking.region.slug,
        "start": _iso(slot.starts_at) if slot else None,
        "end": _iso(slot.ends_at) if slot else None,
        "sequence": booking.sequence,
        "cancelled_at": _iso(booking.cancelled_at),
        "ics": url_for("dialogues.booking_ics", id=booking.id, _external=True),
    }


@bp.get("/rounds")
@allow(ANY_USER)
def rounds():
    status = request.args.get("status") or None
    if status is not None and status not in ROUND_STATUSES:
        raise InputError(FieldError("status", f"Okänd status. Välj en av: {', '.join(ROUND_STATUSES)}.",
                                    f"Unknown status. Choose one of: {', '.join(ROUND_STATUSES)}."))
    page = page_arg(strict=True)
    rows, total = queries.rounds_page(page, status)
    return jsonify({"rounds": [_round_dict(r) for r in rows], "page": page, "page_size": queries.PAGE_SIZE,
                    "total": total})


@bp.get("/rounds/<int:id>")
@allow(ANY_USER)
def round_detail(id: int):
    return jsonify(_round_dict(queries.round_or_404(id), detail=True))


@bp.get("/rounds/<int:id>/slots")
@allow(ANY_USER)
def slots(id: int):
    round_ = queries.round_or_404(id)
    return jsonify({"round_id": round_.id, "slots": [
        {"id": s.id, "position": s.position, "start": _iso(s.starts_at), "end": _iso(s.ends_at),
         "pinned": s.pinned, "free": b is None, "region": b.region.slug if b else None,
         "booking_id": b.id if b else None}
        for s, b in queries.slots_with_bookings(round_)]})


@bp.post("/rounds/<int:id>/bookings")
@allow("strategist")
def book(id: int):
    user = current_actor()
    try:
        slot_id, region = _booking_request(user)
    except (InputError, HTTPException):
        queries.round_or_404(id, details=False)  # a round that does not exist is the answer before a bad body
        raise
    round_, slot, state = queries.booking_target(id, slot_id, region)
    if slot is None:
        raise NotFound("slot", str(slot_id))
    if slot.round_id != round_.id:
        raise InputError(FieldError("slot_id", "Passet hör inte till omgången.", "The slot is not in this round."))
    booking = service.book_slot(slot, region, user, state)
    response = jsonify(_booking_dict(booking))
    response.status_code = 201
    response.headers["Location"] = url_for("dialogues_api.booking", id=booking.id)
    return response


def _booking_request(user):
    """The slot id and the region of a booking request, or the 400/403/404 that refuses it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InputError(FieldError("body", "Skicka JSON med slot_id.", "Send JSON with slot_id."))
    slot_id = body.get("slot_id")
    if not isinstance(slot_id, int) or isinstance(slot_id, bool):
        raise InputError(FieldError("slot_id", "slot_id måste vara ett heltal.", "slot_id must be an integer."))
    if not is_db_id(slot_id):
        abort(404)  # no slot can have it
    region = queries.region_to_act_for(user, str(body["region"]) if body.get("region") else None)
    require(access.can_act_for_region(user, region), user)
    return slot_id, region


@bp.get("/bookings/<int:id>")
@allow(ANY_USER)
def booking(id: int):
    return jsonify(_booking_dict(queries.booking_or_404(id)))


@bp.delete("/bookings/<int:id>")
@allow("strategist", "planner")
def cancel_booking(id: int):
    user = current_actor()
    booking = queries.booking_or_404(id)
    require(access.can_cancel_booking(user, booking), user)
    booking = service.cancel_booking(booking, user)
    return jsonify(_booking_dict(booking))


def _action_dict(action) -> dict:
    return {
        "id": action.id,
        "region": action.region.slug if action.region else None,
        "owner_kind": action.owner_kind,
        "owner": action.owner_organisation.slug,
        "owner_name": action.owner_organisation.name,
        "description": action.description,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "overdue": action.is_overdue(to_local(utcnow()).date()),
    }


def _feedback_dict(entry) -> dict:
    return {
        "id": entry.id,
        "region": entry.region.slug if entry.region else None,
        "organisation": entry.organisation.slug,
        "organisation_name": entry.organisation.name,
        "led_to": entry.led_to,
        "reported_on": entry.reported_on.isoformat(),
    }


@bp.get("/rounds/<int:id>/follow-up")
@allow(ANY_USER)
def follow_up(id: int):
    """What the round led to: actions (owner, due date, status) and återkoppling from both sides."""
    round_ = queries.round_or_404(id)
    data = {
        "round_id": round_.id,
        "status": round_.status,
        "actions": [_action_dict(a) for a in queries.followup_actions(round_)],
        "feedback": [_feedback_dict(f) for f in queries.followup_feedback(round_)],
        "url": url_for("dialogue_followup.round_followup", id=round_.id, _external=True),
    }
    if round_.kind == "spaning":
        data["horizon_notes"] = [
            {"id": n.id, "signal": n.signal, "horizon_years": n.horizon_years, "eu_source": n.eu_source,
             "relevance": n.relevance, "organisation": n.organisation.slug if n.organisation else None}
            for n in queries.horizon_notes(round_)]
    return jsonify(data)
