"""Project check as JSON under /api/v1/: the same document and the same result as ``flask check-project``."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, jsonify, request

from ..auth.access import ANY_USER, allow
from ..errors import FieldError, InputError
from ..stateaid.project_document import DocumentError, document_from_mapping, parse_project_document
from . import checking, ledger, service

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1")
MAX_BODY = 5 * 1024 * 1024


@bp.post("/projects/check")
@allow(ANY_USER)
def check():
    """Check a project document sent as JSON (or YAML with a YAML content type); nothing is stored."""
    if (request.content_length or 0) > MAX_BODY:
        raise InputError(FieldError("", "Dokumentet är större än 5 MB.", "The document is larger than 5 MB."),
                         status=413, code="too_large")
    try:
        if request.is_json:
            data = request.get_json(silent=True)
            if data is None:
                raise DocumentError("", "kroppen är inte giltig JSON", "the body is not valid JSON")
            doc = document_from_mapping(data)
        else:
            doc = parse_project_document(request.get_data())
    except DocumentError as exc:
        raise InputError(FieldError(exc.field, exc.message_sv, exc.message_en), code="invalid_document") from exc
    return jsonify(checking.check_document(doc).to_dict())


@bp.get("/projects/<int:id>/check")
@allow(ANY_USER)
def project_check(id: int):  # noqa: A002
    project = checking.load_project(id)
    if project is None:
        abort(404)
    try:
        check = checking.run_check(project)
    except DocumentError as exc:  # e.g. a project without partners yet
        raise InputError(FieldError(exc.field, exc.message_sv, exc.message_en), code="invalid_document") from exc
    return jsonify(check.result.to_dict())


@bp.get("/projects/<int:id>")
@allow(ANY_USER)
def project_document(id: int):  # noqa: A002
    project = checking.load_project(id)
    if project is None:
        abort(404)
    return jsonify(checking.project_mapping(project) | {"id": project.id, "status": project.status,
                                                        "regions": [r.slug for r in project.regions]})


@bp.get("/de-minimis/headroom")
@allow("planner", "taskforce")
def de_minimis_headroom():
    number = (request.args.get("org_number") or "").strip()
    try:
        on = date.fromisoformat(request.args.get("on") or date.today().isoformat())
    except ValueError as exc:
        raise InputError(FieldError("on", "Ange datum som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.")) from exc
    undertaking = service.undertaking_for(number) if number else None
    if undertaking is None:
        raise InputError(FieldError("org_number", "Organisationsnumret finns inte i de minimis-registret.",
                                    "The organisation number is not in the de minimis ledger."), status=404,
                         code="not_found")
    position = ledger.position(undertaking, on)
    return jsonify({"single_undertaking": {"org_number": undertaking.org_number, "name": undertaking.name,
                                           "members": [m.org_number for m in undertaking.members]},
                    "on": on.isoformat(), "ruleset": (ledger.ruleset_on(on).summary() if position else None),
                    "position": position.to_dict() if position else None})
