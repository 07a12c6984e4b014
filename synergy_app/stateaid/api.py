"""State aid as JSON: the ruling log (GET /api/v1/rulings, same filters as the register page, and one ruling)
and the de minimis headroom of an organisation number on a date."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, jsonify, request

from ..auth.access import ANY_USER, allow, current_actor
from ..errors import FieldError, InputError
from ..extensions import db
from ..int_params import page_arg
from . import ledger
from .access import can_see_drafts
from .models import Ruling
from .precedents import ruling_summary
from .rulings_search import filters_from_args, search

bp = Blueprint("stateaid_api", __name__, url_prefix="/api/v1")

MAX_PAGE_SIZE = 100


@bp.get("/rulings")
@allow(ANY_USER)
def rulings():
    user = current_actor()
    filters = filters_from_args(request.args)
    page = page_arg(strict=True)
    size = request.args.get("per_page", 20, type=int) or 20
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InputError(FieldError("per_page", f"Sida från 1, högst {MAX_PAGE_SIZE} per sida.",
                                    f"Page from 1, at most {MAX_PAGE_SIZE} per page."))
    result = search(filters, include_drafts=can_see_drafts(user), page=page, page_size=size)
    items = []
    for hit in result.hits:
        item = ruling_summary(hit.ruling, hit.revision)
        item["revision"] = hit.revision.number
        item["snippet_html"] = str(hit.snippet) if filters.q else None
        item["rank"] = float(hit.rank) if hit.rank is not None else None
        items.append(item)
    return jsonify({"total": result.total, "page": page, "per_page": size, "rulings": items})


@bp.get("/rulings/<int:id>")
@allow(ANY_USER)
def ruling(id: int):  # noqa: A002
    user = current_actor()
    found = db.session.get(Ruling, id)
    if found is None or (found.status == "draft" and not can_see_drafts(user)):
        abort(404)
    data = ruling_summary(found, found.current_revision)
    data["successor"] = found.successor.number if found.successor else None
    data["current"] = found.current_revision.snapshot() | {"legal_basis": found.current_revision.legal_basis}
    data["revisions"] = [{"number": r.number, "author": r.author_label, "reason": r.reason,
                          "created_at": r.created_at.isoformat()} for r in found.revisions]
    return jsonify(data)


@bp.get("/de-minimis/headroom")
@allow("planner", "taskforce")
def de_minimis_headroom():
    number = (request.args.get("org_number") or "").strip()
    try:
        on = date.fromisoformat(request.args.get("on") or date.today().isoformat())
    except ValueError as exc:
        raise InputError(FieldError("on", "Ange datum som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.")) from exc
    undertaking = ledger.undertaking_for(number) if number else None
    if undertaking is None:
        raise InputError(FieldError("org_number", "Organisationsnumret finns inte i de minimis-registret.",
                                    "The organisation number is not in the de minimis ledger."), status=404,
                         code="not_found")
    position = ledger.position(undertaking, on)
    return jsonify({"single_undertaking": {"org_number": undertaking.org_number, "name": undertaking.name,
                                           "members": [m.org_number for m in undertaking.members]},
                    "on": on.isoformat(), "ruleset": (ledger.ruleset_on(on).summary() if position else None),
                    "position": position.to_dict() if position else None})
