"""The directory as JSON under /api/v1/: organisations (regions and organisations with their
priorities or areas are in api.py beside this file)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..auth.access import ANY_USER, allow
from ..directory import queries
from ..directory.models import ORGANISATION_KINDS
from ..errors import FieldError, InputError

bp = Blueprint("directory_api", __name__, url_prefix="/api/v1")


@bp.get("/organisations")
@allow(ANY_USER)
def organisations():
    kind = request.args.get("kind")
    if kind and kind not in ORGANISATION_KINDS:
        raise InputError(FieldError("kind", f"Okänd organisationstyp. Välj en av: {', '.join(ORGANISATION_KINDS)}.",
                                    f"Unknown organisation kind. Choose one of: {', '.join(ORGANISATION_KINDS)}."))
    return jsonify({"organisations": [queries.organisation_dict(o) for o in queries.organisations(kind)]})
