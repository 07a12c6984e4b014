"""Project pages for the description written once, the cost types of the budget, the requirement
matrix panel on the project page and the application drafts per funder."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from ..auth.access import ANY_USER, allow, require
from ..errors import InputError
from ..i18n import locale, pick
from ..projects import checking
from ..projects.access import can_edit_project
from ..projects.models import Project
from . import actuals_pages, canonical, carry_over, drafts, exports, service
from .matrix import COST_TYPE_NAMES, SECTION_NAMES, build_matrix
from .models import LANGUAGES
from .profiles import CANONICAL_SECTIONS, COST_TYPES, default_profiles

bp = Blueprint("applications", __name__, url_prefix="/projects")
carry_over.register()


def _project_or_404(project_id: int) -> Project:
    project = checking.load_project(project_id)
    if project is None:
        abort(404)
    return project


def _editable(project: Project) -> Project:
    require(can_edit_project(current_user, project), current_user)
    return project


def funders_for(project: Project, chosen: list[str]) -> list:
    """The chosen funders when any are named (unknown ones ignored), else the project's own."""
    if chosen:
        return canonical.chosen_funders(chosen)[0]
    return canonical.project_funders(project)


def matrix_for(project: Project, chosen: list[str], language: str, text_language: str = "sv"):
    """Labels in ``language``; the description measured in ``text_language`` (Swedish unless asked)."""
    return build_matrix(canonical.texts(project, text_language), canonical.budget_lines(project),
                        funders_for(project, chosen), language)


def project_panel(project: Project) -> Markup:
    """The requirement matrix and the drafts per funder, for the project page (a contribution)."""
    language = locale() if locale() in LANGUAGES else "sv"
    chosen = request.args.getlist("funder")
    text_language = request.args.get("text_language") if request.args.get("text_language") in LANGUAGES else "sv"
    matrix = matrix_for(project, chosen, language, text_language)
    return Markup(render_template(  # noqa: S704 - a rendered, autoescaped template
        "funding_profiles/_panel.html", project=project, matrix=matrix, language=language,
        text_language=text_language,
        all_funders=default_profiles().profiles, chosen=chosen, formats=exports.FORMATS,
        can_edit=current_user.is_authenticated and can_edit_project(current_user, project)))


@bp.route("/<int:id>/description", methods=["GET", "POST"])
@allow("planner", "strategist")
def description(id: int):  # noqa: A002
    project = _editable(_project_or_404(id))
    language = request.values.get("language") or "sv"
    if language not in LANGUAGES:
        abort(404)
    errors: dict[str, str] = {}
    stored = canonical.sections(project)
    data = {f"section-{key}": stored[(key, language)].body for key in CANONICAL_SECTIONS if (key, language) in stored}
    if request.method == "POST":
        data = request.form.to_dict()
        try:
            changed = service.save_description(project, data, language, current_user)
        except InputError as exc:
            errors = {e.field: e.message(locale()) for e in exc.errors}
        else:
            flash(ngettext("Beskrivningen är sparad (%(num)d avsnitt ändrat).",
                           "Beskrivningen är sparad (%(num)d avsnitt ändrade).", changed), "success")
            return redirect(url_for("applications.description", id=project.id, language=language))
    status = next((row.status for (key, lang), row in stored.items() if lang == language), "draft")
    return render_template("funding_profiles/description.html", project=project, data=data, errors=errors,
                           language=language, sections=CANONICAL_SECTIONS, names=SECTION_NAMES,
                           status=status, limit=service.MAX_SECTION_CHARS), 400 if errors else 200


@bp.route("/<int:id>/cost-types", methods=["GET", "POST"])
@allow("planner", "strategist")
def cost_types(id: int):  # noqa: A002
    project = _editable(_project_or_404(id))
    errors: dict[str, str] = {}
    types = canonical.cost_types(project)
    data: dict[str, str] = {}
    for line in project.cost_lines:
        typed = types.get(line.id)
        if typed:
            data[f"line-{line.id}-type"] = typed.cost_type
            data[f"line-{line.id}-hours"] = "" if typed.hours is None else str(typed.hours)
            data[f"line-{line.id}-rate"] = "" if typed.hourly_rate_ore is None else str(typed.hourly_rate_ore / 100)
            data[f"line-{line.id}-annual"] = "" if typed.annual_cost_ore is None else str(typed.annual_cost_ore / 100)
            data[f"line-{line.id}-subcontracting"] = "on" if typed.subcontracting else ""
    if request.method == "POST":
        data = request.form.to_dict()
        try:
            service.save_cost_types(project, data, current_user)
        except InputError as exc:
            errors = {e.field: e.message(locale()) for e in exc.errors}
        else:
            flash(_("Kostnadstyperna är sparade."), "success")
            return redirect(url_for("projects.show", id=project.id) + "#requirements-h")
    names = {key: pick(n["sv"], n["en"]) for key, n in COST_TYPE_NAMES.items()}
    return render_template("funding_profiles/cost_types.html", project=project, data=data, errors=errors,
                           cost_types=COST_TYPES, names=names), 400 if errors else 200


@bp.get("/<int:id>/applications/<slug>.<fmt>")
@allow(ANY_USER)
def application(id: int, slug: str, fmt: str):  # noqa: A002
    """The draft for the funder whose profile is ``slug``."""
    project = _project_or_404(id)
    profile = default_profiles().get(slug)
    if profile is None or fmt not in exports.FORMATS:
        abort(404)
    language = request.args.get("language") or "sv"  # the draft's language is its text's: Swedish unless asked
    if language not in LANGUAGES:
        abort(404)
    content = drafts.export_bytes(project, profile, fmt, language)
    return Response(content, mimetype=exports.MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{drafts.filename(project, profile, fmt)}"'})


actuals_pages.register(bp)
