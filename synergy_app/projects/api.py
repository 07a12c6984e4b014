"""Projects as JSON under /api/v1/: the check (the same document and result as ``flask check-project``),
the stored project with its version, and saving its budget with optimistic locking."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from ..auth.access import ANY_USER, allow, current_actor, require
from ..bounded_parsing import TooDeeplyNested, loads_json
from ..errorpages import json_error
from ..errors import FieldError, InputError
from ..extensions import db
from ..i18n import locale
from ..request_limits import body_limit
from ..stateaid.project_document import DocumentError, document_from_mapping, parse_project_document
from . import check_cache, checking, service
from .budget_body import parse_budget_body

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1")
MAX_BODY = 5 * 1024 * 1024


@bp.post("/projects/check")
@body_limit(MAX_BODY, "Dokumentet är större än 5 MB.", "The document is larger than 5 MB.")  # on the bytes read
@allow(ANY_USER)
def check():
    """Check a project document sent as JSON (or YAML with a YAML content type); nothing is stored."""
    body = request.get_data()
    try:
        if request.is_json:
            try:
                data = loads_json(body)
            except TooDeeplyNested as exc:
                raise DocumentError("", f"dokumentet är nästlat djupare än {exc.depth} nivåer",
                                    f"the document is nested deeper than {exc.depth} levels") from exc
            except ValueError as exc:  # not JSON, or not UTF-8
                raise DocumentError("", "kroppen är inte giltig JSON", "the body is not valid JSON") from exc
            doc = document_from_mapping(data)
        else:
            doc = parse_project_document(body)
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
        check = check_cache.check_of(project)
    except DocumentError as exc:  # e.g. a project without partners yet
        raise InputError(FieldError(exc.field, exc.message_sv, exc.message_en), code="invalid_document") from exc
    return jsonify(check.result.to_dict())


@bp.get("/projects/<int:id>")
@allow(ANY_USER)
def project_document(id: int):  # noqa: A002
    project = checking.load_project(id)
    if project is None:
        abort(404)
    return _document_response(project)


def _document_response(project):
    return _with_etag(jsonify(checking.project_mapping(project) | {
        "id": project.id, "status": project.status, "regions": [r.slug for r in project.regions],
        "version": project.version}), project.version)


def _with_etag(response, version: int):
    # The version as an ETag, so a client can send it back as If-Match with its next save.
    response.headers["ETag"] = f'"{version}"'
    return response


@bp.put("/projects/<int:id>/budget")
@allow("planner", "strategist")
def save_budget(id: int):  # noqa: A002
    """Replace the cost and funding lines; the body names the version it read (or If-Match does).

    Answers 409 with the current version when someone else saved after that version."""
    actor = current_actor()
    project = checking.load_project(id)
    if project is None:
        abort(404)
    require(service.can_edit_project(actor, project), actor)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InputError(FieldError("body", "Skicka JSON med version, costs och funding.",
                                    "Send JSON with version, costs and funding."))
    given = body.get("version")
    expected = service.expected_version(given if given is not None else request.headers.get("If-Match"))
    if expected is None:
        raise InputError(FieldError("version", "Ange versionen du läste (version i kroppen eller If-Match).",
                                    "Give the version you read (version in the body or If-Match)."),
                         status=428, code="version_required")
    rows = parse_budget_body(body, {p.key for p in project.partners})
    if rows.errors:
        raise InputError([FieldError(name, sv, en) for name, (sv, en) in rows.errors.items()])
    try:
        service.save_budget(project, rows, actor, expected)
    except service.EditConflict as exc:
        response, status = json_error(409, exc.code, exc.error.message(locale()), exc.error.field,
                                      current_version=exc.current_version)
        return _with_etag(response, exc.current_version), status
    db.session.expire_all()
    return _document_response(checking.load_project(id))
