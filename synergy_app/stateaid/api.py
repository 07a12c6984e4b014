"""The ruling log as JSON: GET /api/v1/rulings (same filters as the register page) and one ruling."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from ..auth.access import ANY_USER, allow, current_actor
from ..errors import FieldError, InputError
from ..extensions import db
from ..int_params import page_arg
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
