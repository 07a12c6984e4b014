"""The requirement matrix as JSON: GET /api/v1/projects/<id>/requirements[?funder=slug&funder=...]
[&language=sv|en (labels)][&text_language=sv|en (which description is measured; Swedish by default)]."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from ..auth.access import ANY_USER, allow
from ..errors import FieldError, InputError
from ..i18n import locale
from ..projects import checking
from . import canonical
from .matrix import build_matrix

bp = Blueprint("applications_api", __name__, url_prefix="/api/v1")


@bp.get("/projects/<int:id>/requirements")
@allow(ANY_USER)
def requirements(id: int):  # noqa: A002
    project = checking.load_project(id)
    if project is None:
        abort(404)
    language = request.args.get("language") or ("en" if locale() == "en" else "sv")
    if language not in ("sv", "en"):
        raise InputError(FieldError("language", "Ange sv eller en.", "Give sv or en."))
    text_language = request.args.get("text_language") or "sv"
    if text_language not in ("sv", "en"):
        raise InputError(FieldError("text_language", "Ange sv eller en.", "Give sv or en."))
    chosen = request.args.getlist("funder")
    if chosen:
        profiles, unknown = canonical.chosen_funders(chosen)
        if unknown:
            raise InputError(FieldError("funder", f"Okänd finansiär: {', '.join(unknown)[:80]}.",
                                        f"Unknown funder: {', '.join(unknown)[:80]}."), status=404, code="not_found")
    else:
        profiles = canonical.project_funders(project)
    matrix = build_matrix(canonical.texts(project, text_language), canonical.budget_lines(project), profiles,
                          language)
    return jsonify({"project": project.id, "language": language, "text_language": text_language}
                   | matrix.to_dict(language))
