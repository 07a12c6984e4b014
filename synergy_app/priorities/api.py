"""Matches as JSON: GET /api/v1/areas/<area>/matches and GET /api/v1/regions/<region>/matches."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..auth.access import ANY_USER, allow
from ..errors import FieldError, InputError
from .matching_service import run
from .public import area_ranks, region_ranks

bp = Blueprint("priorities_api", __name__, url_prefix="/api/v1")

MAX_TOP = 500


def _top() -> int | None:
    raw = request.args.get("top")
    if raw in (None, ""):
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TOP:
        raise InputError(FieldError("top", f"top ska vara ett heltal mellan 1 och {MAX_TOP}.",
                                    f"top must be a whole number from 1 to {MAX_TOP}."))
    return int(raw)


def _public(rank: dict) -> dict:
    rank = dict(rank)
    rank["priorities"] = [
        {"slug": p["slug"], "title": p["title"], "score": p["score"], "decision": p["decision"],
         "explanation": {"sv": p["explanation_sv"], "en": p["explanation_en"]},
         "shared_codes": p["detail"]["shared_codes"], "terms": p["detail"]["terms"],
         "axis_scores": p["detail"]["axis_scores"], "text_score": p["detail"]["text_score"]}
        for p in rank["priorities"]
    ]
    return rank


@bp.get("/areas/<area>/matches")
@allow(ANY_USER)
def area_matches(area: str):
    """Regions ranked for an area (numeric id or slug), each with its matching priorities and why."""
    top = _top()
    run_ = run()
    slug = run_.area_slug(area)
    row = run_.area_rows[slug]
    return jsonify({
        "area": {"id": row.id, "slug": slug, "title": row.title, "organisation": row.organisation.slug},
        "regions": [_public(r) for r in region_ranks(run_, slug, top)],
    })


@bp.get("/regions/<region>/matches")
@allow(ANY_USER)
def region_matches(region: str):
    """Areas ranked for a region (numeric id, county code or slug), with the organisation behind each."""
    top = _top()
    run_ = run()
    slug = run_.region_slug(region)
    row = run_.regions[slug]
    return jsonify({
        "region": {"id": row.id, "slug": slug, "code": row.county_code, "name": row.name},
        "areas": [_public(r) for r in area_ranks(run_, slug, top)],
    })
