"""Actual costs entered once (a row, the XLSX template or a partner's SIE 4 file), each line editable, and
from them each funder's report for its periods and the state-aid check on the actual figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import ANY_USER, allow, require
from ..errors import FieldError, InputError
from ..i18n import locale
from ..projects import checking
from ..projects.access import can_edit_project
from ..projects.models import Project
from . import canonical, exports, report, service
from .actuals_check import check_actuals
from .models import LANGUAGES
from .periods import parse_period, reporting_periods
from .profiles import COST_TYPE_NAMES, COST_TYPES, default_profiles

MAX_UPLOAD = 5 * 1024 * 1024
REPORT_FORMATS = ("xlsx", "pdf")


def _project(project_id: int, edit: bool = True) -> Project:
    project = checking.load_project(project_id)
    if project is None:
        abort(404)
    if edit:
        require(can_edit_project(current_user, project), current_user)
    return project


def _language() -> str:
    return locale() if locale() in LANGUAGES else "sv"


def _names() -> dict[str, str]:
    return {key: n[_language()] for key, n in COST_TYPE_NAMES.items()}


def _date_field(name: str) -> date:
    try:
        return date.fromisoformat(request.form.get(name) or "")
    except ValueError:
        raise InputError(FieldError(name, "Ange datum som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.")) from None


def _window(project: Project, rows) -> tuple[date, date] | None:
    """The window the check on actuals reads: ``?from=&to=`` when given, else the project to date: from its
    work start (or the first period entered) to the last day of the periods entered."""
    chosen = parse_period(f"{request.args.get('from', '')}..{request.args.get('to', '')}")
    if chosen:
        return chosen
    if not rows:
        return None
    first, last = min(r.period_start for r in rows), max(r.period_end for r in rows)
    return min(first, project.work_start or first), last


def funder_reports(project: Project) -> list[dict]:
    """Per funder of the project: its reporting periods, its co-financing rate and its indirect-cost alternatives."""
    out = []
    for profile in canonical.project_funders(project):
        out.append({"profile": profile, "periods": reporting_periods(profile, project.work_start, project.end_date),
                    "months": profile.reporting["period_months"], "rate": report.co_financing_for(project, profile),
                    "alternatives": [(i, Decimal(str(alt["rate"]["value"])), alt["rate"]["verified"])
                                     for i, alt in enumerate(profile.indirect.alternatives)],
                    "contents": profile.reporting["contents"], "note": profile.reporting.get("note", "")})
    return out


def _post_actuals(project: Project) -> None:
    action = request.form.get("action")
    upload = request.files.get("file")
    content = upload.read(MAX_UPLOAD + 1) if upload else b""
    if action in ("xlsx", "sie") and (not content or len(content) > MAX_UPLOAD):
        raise InputError(FieldError("file", "Välj en fil på högst 5 MB.", "Choose a file of at most 5 MB."))
    if action == "sie":
        ranges = {t: request.form.get(f"range-{t}", "") for t in COST_TYPES}
        service.import_sie(project, request.form.get("partner", ""), content,
                           {k: v for k, v in ranges.items() if v.strip()},
                           _date_field("period_start"), _date_field("period_end"), current_user)
    elif action == "xlsx":
        service.import_actuals_xlsx(project, content, current_user)
    else:
        service.save_actuals(project, [{key: request.form.get(key) for key in service.ACTUALS_COLUMNS}],
                             current_user)


@allow("planner", "strategist")
def actuals(id: int):  # noqa: A002
    """Actual costs entered once; each funder's reports; the state-aid check on the actual figures."""
    project = _project(id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _post_actuals(project)
        except InputError as exc:
            errors = {e.field: e.message(locale()) for e in exc.errors}
        else:
            flash(_("Utfallet är sparat."), "success")
            return redirect(url_for("applications.actuals", id=project.id))
    rows = service.actuals(project)
    window = _window(project, rows)
    check = check_actuals(project, *window) if window and rows else None
    return render_template("funding_profiles/actuals.html", project=project, rows=rows, errors=errors,
                           cost_types=COST_TYPES, names=_names(), form=request.form, language=_language(),
                           funders=funder_reports(project), check=check, window=window,
                           formats=REPORT_FORMATS), 400 if errors else 200


@allow("planner", "strategist")
def edit_actual(id: int, actual_id: int):  # noqa: A002
    """One actual cost line: change it (errors name the field) or delete it."""
    project = _project(id)
    row = service.actual(project, actual_id)
    if row is None:
        abort(404)
    errors: dict[str, str] = {}
    form = {"partner": row.partner.key, "period_start": row.period_start.isoformat(),
            "period_end": row.period_end.isoformat(), "cost_type": row.cost_type,
            "amount": f"{row.amount_ore // 100},{row.amount_ore % 100:02d}"}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            if form.get("action") == "delete":
                service.delete_actual(project, actual_id, current_user)
                flash(_("Raden är borttagen."), "success")
            else:
                service.update_actual(project, actual_id, form, current_user)
                flash(_("Raden är ändrad."), "success")
        except InputError as exc:
            errors = {e.field: e.message(locale()) for e in exc.errors}
        else:
            return redirect(url_for("applications.actuals", id=project.id))
    return render_template("funding_profiles/actual_edit.html", project=project, row=row, form=form, errors=errors,
                           cost_types=COST_TYPES, names=_names()), 400 if errors else 200


@allow(ANY_USER)
def funder_report(id: int, slug: str, fmt: str):  # noqa: A002
    """The funder's follow-up report of ``?period=YYYY-MM-DD..YYYY-MM-DD`` (``&indirect=N``: its alternative N)."""
    project = _project(id, edit=False)
    profile = default_profiles().get(slug)
    period = parse_period(request.args.get("period", ""))
    language = request.args.get("language") or _language()
    if profile is None or fmt not in REPORT_FORMATS or period is None or language not in LANGUAGES:
        abort(404)
    alternative = request.args.get("indirect", type=int)
    if alternative is not None and not 0 <= alternative < len(profile.indirect.alternatives):
        abort(404)
    render = report.report_xlsx if fmt == "xlsx" else report.report_pdf
    content = render(project, profile, period[0], period[1], language, alternative)
    name = f"rapport-{profile.funder}-projekt-{project.id}-{period[0]}-{period[1]}.{fmt}"
    return Response(content, mimetype=exports.MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@allow("planner", "strategist")
def actuals_template(id: int):  # noqa: A002
    """The XLSX template to fill in and import on the actuals page."""
    project = _project(id)
    return Response(service.actuals_template(project, _language()), mimetype=exports.MIMETYPES["xlsx"],
                    headers={"Content-Disposition": f'attachment; filename="utfall-projekt-{project.id}.xlsx"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/<int:id>/actuals/template.xlsx", "actuals_template", actuals_template)
    bp.add_url_rule("/<int:id>/actuals", "actuals", actuals, methods=["GET", "POST"])
    bp.add_url_rule("/<int:id>/actuals/<int:actual_id>", "edit_actual", edit_actual, methods=["GET", "POST"])
    bp.add_url_rule("/<int:id>/reports/<slug>.<fmt>", "funder_report", funder_report)
