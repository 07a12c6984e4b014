"""The directory as JSON under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..auth.access import ANY_USER, allow
from ..directory.models import ORGANISATION_KINDS
from ..errors import FieldError, InputError
from . import queries

bp = Blueprint("directory_api", __name__, url_prefix="/api/v1")


@bp.get("/regions")
@allow(ANY_USER)
def regions():
    return jsonify({"regions": [queries.region_dict(r) for r in queries.all_regions()]})


@bp.get("/regions/<key>")
@allow(ANY_USER)
def region(key: str):
    return jsonify(queries.region_dict(queries.region_by_key(key)))


@bp.get("/organisations")
@allow(ANY_USER)
def organisations():
    kind = request.args.get("kind")
    if kind and kind not in ORGANISATION_KINDS:
        raise InputError(FieldError("kind", f"Okänd organisationstyp. Välj en av: {', '.join(ORGANISATION_KINDS)}.",
                                    f"Unknown organisation kind. Choose one of: {', '.join(ORGANISATION_KINDS)}."))
    return jsonify({"organisations": [queries.organisation_dict(o) for o in queries.organisations(kind)]})


@bp.get("/organisations/<slug>")
@allow(ANY_USER)
def organisation(slug: str):
    organisation = queries.organisation_by_slug(slug)
    data = queries.organisation_dict(organisation)
    areas = queries.organisation_areas(organisation)
    data["areas"] = [queries.area_dict(a) for a in areas]
    data["areas_sourced"] = queries.coverage_dict(queries.areas_coverage(organisation, areas))
    return jsonify(data)
