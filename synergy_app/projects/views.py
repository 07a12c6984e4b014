"""Project pages: list, plan with flags and headroom, budget editor, imports, PDF report."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

import yaml
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.access import ANY_USER, allow, require
from ..calendar import public as calendar
from ..contributions import PROJECT_PANELS, contributions
from ..directory.models import Organisation, Region
from ..errors import FieldError, InputError
from ..extensions import db
from ..i18n import locale, pick
from ..int_params import id_arg, page_arg
from ..money import format_sek, kronor_input
from ..reports import tabular as tables
from ..reports.pdf import html_to_pdf
from ..reports.pdf import response as pdf_response
from ..stateaid.check_result import CheckResult
from ..stateaid.exchange_rates import rate_text
from ..stateaid.fixes import all_headroom, ruleset_used, suggestion_for
from ..stateaid.flags import ERROR, INFO, SEVERITY_ORDER, WARNING
from ..stateaid.notices import current_warnings
from ..stateaid.project_document import DocumentError, parse_project_document
from ..stateaid.vocabulary import CATEGORIES, CATEGORY_NAMES, PARTNER_KINDS, SIZES, SOURCE_KINDS
from ..submissions import submitted_once
from . import check_cache, checking, service
from .budget_cells import BudgetCells, Choices
from .budget_form import is_blank, parse_budget, running_totals
from .budget_lines import BudgetRows
from .edit_conflicts import field_differences, line_differences
from .labels import label as project_label
from .models import PROJECT_STATUSES, Project, ProjectPartner
from .public import awaiting_assessment
from .service import EditConflict
from .xlsx_budget import WorkbookError, document_from_workbook, template_xlsx

bp = Blueprint("projects", __name__, url_prefix="/projects")
bp.add_app_template_filter(lambda value, kind: project_label(kind, value), "project_label")
PAGE_SIZE = 25
MAX_UPLOAD = 5 * 1024 * 1024


def _project_or_404(project_id: int) -> Project:
    project = checking.load_project(project_id)
    if project is None:
        abort(404)
    return project


def _editable(project: Project) -> Project:
    require(service.can_edit_project(current_user, project), current_user)
    return project


def _choices() -> dict:
    return {"categories": CATEGORIES, "category_names": CATEGORY_NAMES, "kinds": PARTNER_KINDS, "sizes": SIZES,
            "source_kinds": SOURCE_KINDS, "statuses": PROJECT_STATUSES}


@bp.get("/")
@allow(ANY_USER)
def index():
    page = page_arg()
    total = db.session.scalar(select(func.count(Project.id)))
    # What the list shows is loaded for the whole page at once; the flag counts come from kept checks.
    projects = db.session.scalars(
        select(Project).options(selectinload(Project.regions),
                                selectinload(Project.partners).selectinload(ProjectPartner.organisation))
        .order_by(Project.updated_at.desc(), Project.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("projects/index.html", projects=projects, flag_counts=_flag_counts(projects), page=page,
                           total=total, page_size=PAGE_SIZE, can_create=service.can_create_project(current_user))


def _flag_counts(projects: list[Project]) -> dict[int, dict[str, int] | None]:
    """Errors, warnings and infos per project; None for a project that cannot be checked yet.
    Kept results are reused, so only projects changed since their last check are checked."""
    briefs = check_cache.briefs_of([p.id for p in projects])
    return {pid: None if isinstance(brief, DocumentError) else {s: brief.count(s) for s in (ERROR, WARNING, INFO)}
            for pid, brief in briefs.items()}


def _project_form_data() -> dict:
    data = request.form.to_dict()
    data["regions"] = request.form.getlist("regions")
    return data


@bp.route("/new", methods=["GET", "POST"])
@allow("planner", "strategist")
@submitted_once
def new():
    errors: list[FieldError] = []
    data: dict = {"regions": [current_user.region.slug] if current_user.region else []}
    if request.method == "POST":
        data = _project_form_data()
        try:
            project = service.create_project(data, current_user)
        except InputError as exc:
            errors = exc.errors
        else:
            flash(_("Projektet är skapat. Lägg till partner och budget."), "success")
            return redirect(url_for("projects.show", id=project.id))
    return render_template("projects/form.html", project=None, data=data, errors=_by_field(errors),
                           regions=db.session.scalars(select(Region).order_by(Region.name)).all(), **_choices()), \
        400 if errors else 200


def _by_field(errors: list[FieldError]) -> dict[str, str]:
    return {e.field: e.message(locale()) for e in errors}


@bp.route("/<int:id>/edit", methods=["GET", "POST"])
@allow("planner", "strategist")
def edit(id: int):  # noqa: A002 - the URL parameter name shared by every route
    project = _editable(_project_or_404(id))
    errors: list[FieldError] = []
    conflict = None
    data = _project_data(project)
    if request.method == "POST":
        data = _project_form_data()
        try:
            service.update_project(project, data, current_user)
        except InputError as exc:
            errors = exc.errors
        except EditConflict as exc:
            stored = _project_data(project)
            conflict = _form_conflict(exc, service.changes_since(project, _int(data.get("version"))),
                                      stored, data, _project_field_labels())
            data["version"] = exc.current_version
        else:
            flash(_("Projektet är sparat."), "success")
            return redirect(url_for("projects.show", id=project.id))
    return render_template("projects/form.html", project=project, data=data, errors=_by_field(errors),
                           conflict=conflict,
                           regions=db.session.scalars(select(Region).order_by(Region.name)).all(), **_choices()), \
        409 if conflict else 400 if errors else 200


def _project_data(project: Project) -> dict:
    return {k: getattr(project, k) for k in (
        "title", "description", "status", "grant_date", "application_date", "work_start", "start_date", "end_date",
        "exchange_rate_eur_sek", "collab_effective", "collab_wide_dissemination", "collab_ro_may_publish",
        "collab_cross_border", "collab_licensing", "assisted_area", "version")} \
        | {"regions": [r.slug for r in project.regions]} | service.multi_country_form_values(project)


def _project_field_labels() -> dict[str, str]:
    """The project form's labels, to name the fields someone else changed."""
    return {"title": _("Titel"), "description": _("Beskrivning"), "regions": _("Regioner"),
            "grant_date": _("Beviljandedag"), "application_date": _("Ansökningsdag"),
            "work_start": _("Arbetet startar"), "start_date": _("Projektstart"), "end_date": _("Projektslut"),
            "exchange_rate_eur_sek": _("Växelkurs SEK per EUR (valfri)"), "status": _("Status"),
            "collab_effective": _("Faktiskt samarbete mellan partnerna"),
            "collab_wide_dissemination": _("Bred spridning av resultaten"),
            "collab_ro_may_publish": _("Forskningsorganisationerna får publicera sina resultat"),
            "collab_cross_border": _("Genomförs i minst två EES-länder"),
            "collab_licensing": _("Åtagande att licensiera resultaten på marknadsvillkor"),
            "assisted_area": _("Stödområde"), "municipalities": _("Kommuner (kommunkoder)"),
            "mc_selected_after_open_call": _("Utvalt av en medlemsstat efter en öppen utlysning"),
            "mc_jointly_designed_by": _("Stater som gemensamt utformat projektet"),
            "mc_undertaking_countries": _("Stater där de samarbetande företagen finns"),
            "mc_dissemination_countries": _("Stater där resultaten sprids brett")}


def _shown(value) -> str:
    if value is True:
        return _("ja")
    if value in (False, None, ""):
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _form_conflict(exc: EditConflict, saves: list, stored: dict, submitted: dict, labels: dict[str, str]) -> dict:
    """The notice above a refused form: the message, who saved since, and each field that now differs
    (its label, the stored value, the submitted one)."""
    fields = [(labels[k], _shown(stored[k]), _shown(submitted.get(k)))
              for k in field_differences(stored, submitted, labels)]
    return {"message": exc.error.message(locale()), "saves": saves, "fields": fields}


def _calls_context(project: Project) -> dict:
    """Linked calls, their alignment flags (each with its dates and smallest shift) and the choice list."""
    ids = [link.call_id for link in project.calls]
    calls = sorted(calendar.call_data_for_ids(ids), key=lambda c: (c.opens_date or date.max, c.title))
    # A call can only be checked when it has a stable identity (a UID or funder + reference).
    checkable = [c for c in calls if c.uid or c.reference]
    alignment = calendar.alignment_for_ids([int(c.extra["id"]) for c in checkable]) if checkable else []
    linked = set(ids)
    options = [(cid, label) for cid, label in calendar.calls_for_choice() if cid not in linked]
    return {"calls": calls, "alignment": alignment, "call_options": options,
            "call_titles": {c.identity: c.title for c in checkable}}


def _page_context(project: Project) -> dict:
    try:
        check = check_cache.check_of(project)
    except DocumentError as exc:
        # A project that cannot be checked yet (no partner, or no cost line): the page still opens and says why.
        check, check_error = None, exc
    else:
        check_error = None
    result = check.result if check else None
    per_partner, whole = checking.totals(project)
    codes = sorted({f.code for f in result.flags}) if result else []
    headroom = all_headroom(result) if result else {}
    return {**_by_partner(project, result, headroom),
        "project": project, "check": check, "result": result, "check_error": check_error,
        "verdict": verdict(result), "by_funder": _funding_by_funder(project),
        "source_name": partial(funding_source_name, partner_names={p.key: p.name for p in project.partners}),
        "per_partner": per_partner, "whole": whole,
        "headroom": headroom,
        "suggestion_for": partial(suggestion_for, gber=ruleset_used(result, "gber") if result else None),
        "exchange_rate_text": lambda info: rate_text(info, locale()),
        "ruleset_warnings": current_warnings(),
        "precedents": checking.rulings_for_flags(codes), "partners_by_key": {p.key: p for p in project.partners},
        "can_edit": service.can_edit_project(current_user, project),
        "can_link": service.can_link_ruling(current_user, project), "today": date.today(), **_choices(),
        # Shown first, so the taskforce lands on what it is asked to assess (a partner's flags are folded).
        "awaiting": awaiting_assessment(result.flags, {link.flag_code for link in project.ruling_links})
        if result else [],
    }


def _by_partner(project: Project, result: CheckResult | None, headroom: dict) -> dict:
    """What each partner's section shows, grouped once for the page rather than filtered per partner:
    its flags on no category, its funding lines, and the room left per category."""
    flags: dict[str, list] = {}
    for f in result.flags if result else []:
        if f.category is None:
            flags.setdefault(f.partner, []).append(f)
    lines: dict[int, list] = {}
    for line in project.funding_lines:
        lines.setdefault(line.partner_id, []).append(line)
    rooms: dict[tuple[str, str], object] = {}
    for key, found in headroom.items():
        for room in found or []:
            rooms.setdefault((key, room.category), room)
    return {"partner_flags_by_key": flags, "lines_by_partner": lines, "room_by_category": rooms}


def verdict(result: CheckResult | None) -> dict:
    """What the page says first: the counts per severity, the most severe error or warning (the one to fix
    first; an info asks for nothing), each flag's anchor on the page and the counts per partner, so a
    folded partner says what it holds."""
    if result is None:
        return {"counts": {}, "first": None, "anchor": lambda f: "", "per_partner": {}}
    anchors = {id(f): f"flag-{i}" for i, f in enumerate(result.flags)}
    per_partner: dict[str, dict[str, int]] = {}
    for f in result.flags:
        if f.partner:
            counts = per_partner.setdefault(f.partner, {ERROR: 0, WARNING: 0, INFO: 0})
            counts[f.severity] += 1
    ordered = sorted(result.flags, key=lambda f: SEVERITY_ORDER[f.severity])
    return {"counts": {s: result.count(s) for s in (ERROR, WARNING, INFO)},
            "first": ordered[0] if ordered and ordered[0].severity != INFO else None,
            "anchor": lambda f: anchors.get(id(f), ""), "per_partner": per_partner}


def _funding_by_funder(project: Project) -> list[dict]:
    """The funding plan per funder (its name, how many lines, the sum), largest first; the lines
    themselves are shown with the partner they go to."""
    names = {p.key: p.name for p in project.partners}
    funders: dict[str, dict] = {}
    for f in project.funding_lines:
        name = funding_source_name(f, names)
        entry = funders.setdefault(name, {"name": name, "kinds": set(), "lines": 0, "amount_ore": 0})
        entry["kinds"].add(f.source_kind)
        entry["lines"] += 1
        entry["amount_ore"] += f.amount_ore
    return sorted(funders.values(), key=lambda e: (-e["amount_ore"], e["name"]))


def funding_source_name(line, partner_names: dict[str, str]) -> str:
    """A funding line's funder by name: the programme, the funder, or the partner paying itself."""
    if line.programme is not None:
        return line.programme.name
    if line.funder is not None:
        return line.funder.name
    return partner_names.get(line.source, line.source)


@bp.get("/<int:id>")
@allow(ANY_USER)
def show(id: int):  # noqa: A002
    project = _project_or_404(id)
    panels = [panel(project) for panel in contributions(PROJECT_PANELS)]
    return render_template("projects/show.html", **_page_context(project), **_calls_context(project),
                           panels=panels)


@bp.get("/<int:id>/report.pdf")
@allow(ANY_USER)
def report_pdf(id: int):  # noqa: A002
    project = _project_or_404(id)
    context = _page_context(project)
    if context["check"] is None:
        flash(_("Kontrollen kan inte köras ännu: %(msg)s", msg=pick(context["check_error"].message_sv,
                                                                   context["check_error"].message_en)), "error")
        return redirect(url_for("projects.show", id=project.id))
    html = render_template("projects/pdf/check_report.html", **context)
    return pdf_response(html_to_pdf(html), f"statsstodskontroll-projekt-{project.id}.pdf")


@bp.get("/<int:id>/project.yaml")
@allow(ANY_USER)
def export_yaml(id: int):  # noqa: A002
    project = _project_or_404(id)
    text = yaml.safe_dump(checking.project_mapping(project), allow_unicode=True, sort_keys=False)
    return Response(text, mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="projekt-{project.id}.yaml"'})


# --- budget editor -----------------------------------------------------------------------------

def _rows_from_project(project: Project) -> tuple[list[dict], list[dict]]:
    keys = {p.id: p.key for p in project.partners}
    costs = [{"index": i, "partner": keys[c.partner_id], "category": c.category,
              "amount": kronor_input(c.amount_ore), "in_kind": "in_kind" if c.in_kind else "cash"}
             for i, c in enumerate(project.cost_lines)]
    funding = [{"index": i, "partner": keys[f.partner_id], "source": f.source, "kind": f.source_kind,
                "category": f.category or "", "amount": kronor_input(f.amount_ore),
                "in_kind": "in_kind" if f.in_kind else "cash",
                "union_max_rate": "" if f.union_max_rate is None else str(f.union_max_rate)}
               for i, f in enumerate(project.funding_lines)]
    return costs, funding


def _funder_names() -> tuple[list[str], dict[str, str]]:
    """The directory's funders, their programmes and the regions: the names offered in the funder field (sorted),
    and each name and key (case-folded) -> the key stored on the funding line."""
    # Regions fund regional lines without being listed as funders in the directory.
    funders = db.session.scalars(select(Organisation)
                                 .where(Organisation.is_funder.is_(True) | (Organisation.kind == "region"))
                                 .options(selectinload(Organisation.programmes)).order_by(Organisation.name)).all()
    names: dict[str, str] = {}
    for funder in funders:
        names[funder.name] = funder.slug
        for programme in funder.programmes:
            names[programme.name] = programme.slug
    return sorted(names, key=str.casefold), names


def _budget_sources(project: Project) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """(names offered, name or key (case-folded) -> key, key -> name): funders, programmes and, for a
    partner's own money, the project's partners."""
    offered, names = _funder_names()
    names |= {p.name: p.key for p in project.partners}
    lookup = {k.casefold(): v for k, v in names.items()} | {v.casefold(): v for v in names.values()}
    label = {v: k for k, v in names.items()}
    return offered, lookup, label


def _natural(name: str) -> list:
    """A sort key that puts 'Företag 2' before 'Företag 10', as the totals script does."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def _budget_groups(project: Project, costs: list[dict], funding: list[dict], spares: dict[str, int],
                   errors: dict[str, str], opened: str | None) -> tuple[list[dict], dict]:
    """The table folded per partner: each partner's rows and spare rows (its partner preset), open where
    a cell needs fixing or more rows were asked for; rows naming no partner of the project apart."""
    next_cost = max([r["index"] for r in costs], default=-1) + 1
    next_fund = max([r["index"] for r in funding], default=-1) + 1
    groups = {p.key: {"partner": p, "costs": [], "funding": []} for p in project.partners}
    loose: dict = {"costs": [], "funding": []}
    for kind, rows in (("costs", costs), ("funding", funding)):
        for row in rows:
            groups.get(row.get("partner") or "", loose)[kind].append(row)
    for key, group in groups.items():
        for _i in range(spares.get(key, 1)):
            group["costs"].append({"index": next_cost, "partner": key, "spare": True})
            group["funding"].append({"index": next_fund, "partner": key, "spare": True})
            next_cost, next_fund = next_cost + 1, next_fund + 1
    few = len(groups) <= 2
    for key, group in groups.items():
        names = [f"{'cost' if kind == 'costs' else 'fund'}-{r['index']}-" for kind in ("costs", "funding")
                 for r in group[kind]]
        group["open"] = few or key == opened or any(e.startswith(tuple(names)) for e in errors)
    return list(groups.values()), loose


@bp.route("/<int:id>/budget", methods=["GET", "POST"])
@allow("planner", "strategist")
def budget(id: int):  # noqa: A002
    project = _editable(_project_or_404(id))
    offered, lookup, source_label = _budget_sources(project)
    errors: dict[str, str] = {}
    status = 200
    version, conflict = project.version, None
    action = request.form.get("action", "save")
    spares: dict[str, int] = {}
    recounted = False
    if request.method == "POST":
        expected = service.expected_version(request.form.get("version"))
        version = expected or project.version
        parsed = parse_budget(request.form, {p.key for p in project.partners}, lookup)
        # Spare rows left empty are laid out anew; the user's entries come back as they were.
        costs = [r for r in parsed.raw_costs if not r.get("delete") and not is_blank(r)]
        funding = [r for r in parsed.raw_funding if not r.get("delete") and not is_blank(r)]
        if action.startswith("more"):
            # "more:<partner key>": five more rows for that partner, nothing checked or saved.
            key = action.partition(":")[2] or (project.partners[0].key if project.partners else "")
            spares[key] = 5
        elif action == "totals":
            # Totals recounted from what was typed, without saving: the no-script way to see them.
            recounted = True
            errors = {cell: (en if locale() == "en" else sv) for cell, (sv, en) in parsed.errors.items()}
        elif parsed.errors:
            errors = {cell: (en if locale() == "en" else sv) for cell, (sv, en) in parsed.errors.items()}
            status = 400
        else:
            try:
                service.save_budget(project, parsed, current_user, expected)
            except EditConflict as exc:
                # Nothing saved; the table comes back with the user's entries and the stored version,
                # so a second, deliberate save replaces what the other person saved.
                conflict = _budget_conflict(project, parsed, expected or 0, exc)
                version, status = exc.current_version, 409
            else:
                flash(_("Budgeten är sparad och kontrollerad."), "success")
                return redirect(url_for("projects.show", id=project.id) + "#resultat")
    else:
        costs, funding = _rows_from_project(project)
    opened = action.partition(":")[2] if action.startswith("more") else None
    groups, loose = _budget_groups(project, costs, funding, spares, errors, opened)
    totals = running_totals(costs, funding)
    funder_totals = sorted(((source_label.get(s, s), amount) for s, amount in totals.funders.items()),
                           key=lambda item: _natural(item[0]))
    cell_labels = _cell_labels(groups, loose)
    return render_template("projects/budget.html", project=project, groups=groups, loose=loose, errors=errors,
                           cell_labels=cell_labels, version=version, conflict=conflict,
                           totals=totals, funder_totals=funder_totals, recounted=recounted, funder_names=offered,
                           source_label=source_label, cells=BudgetCells(errors, cell_labels),
                           **_budget_choices(project)), status


def _budget_choices(project: Project) -> dict[str, Choices]:
    """The lists of the budget's cells, each written once for the whole table."""
    categories = [(c, pick(*CATEGORY_NAMES[c])) for c in CATEGORIES]
    return {
        "partner_choices": Choices([(p.key, p.name) for p in project.partners], first=("", "–")),
        "category_choices": Choices(categories, first=("", "–")),
        "optional_category_choices": Choices(categories, first=("", _("(ingen)"))),
        "kind_choices": Choices([(k, project_label("source_kind", k)) for k in SOURCE_KINDS], first=("", "–")),
        "in_kind_choices": Choices([("cash", _("kontant")), ("in_kind", _("in natura"))]),
    }


def _line_text(project: Project, line: tuple) -> str:
    """'Acme AB · Experimentell utveckling · 1 200 000,00 kr · kontant' for a cost or funding line."""
    names = {p.key: p.name for p in project.partners}
    parts = [names.get(line[0], line[0])]
    if len(line) == 6:  # funding: partner, source, kind, category, amount, in kind
        parts += [line[1], project_label("source_kind", line[2])]
        line = (line[0], line[3], line[4], line[5])
    if line[1]:
        parts.append(pick(*CATEGORY_NAMES[line[1]]) if line[1] in CATEGORY_NAMES else line[1])
    parts += [format_sek(line[2], locale()), _("in natura") if line[3] else _("kontant")]
    return " · ".join(parts)


def _budget_conflict(project: Project, parsed: BudgetRows, since: int, exc: EditConflict) -> dict:
    """What the other save changed: who saved when, and the lines that differ from the user's table."""
    keys = {p.id: p.key for p in project.partners}
    stored_costs = [(keys.get(c.partner_id), c.category, c.amount_ore, c.in_kind) for c in project.cost_lines]
    stored_funding = [(keys.get(f.partner_id), f.source, f.source_kind, f.category, f.amount_ore, f.in_kind)
                      for f in project.funding_lines]
    mine_costs = [(r["partner"], r["category"], r["amount_ore"], r["in_kind"]) for r in parsed.costs]
    mine_funding = [(r["partner"], r["source"], r["kind"], r["category"], r["amount_ore"], r["in_kind"])
                    for r in parsed.funding]
    sections = []
    for title, stored, mine in ((_("Kostnader"), stored_costs, mine_costs),
                                (_("Finansiering"), stored_funding, mine_funding)):
        only_stored, only_mine = line_differences(stored, mine)
        if only_stored or only_mine:
            sections.append({"title": title, "stored": [_line_text(project, x) for x in only_stored],
                             "mine": [_line_text(project, x) for x in only_mine]})
    return {"message": exc.error.message(locale()), "saves": service.changes_since(project, since),
            "sections": sections}


def _cell_labels(groups: list[dict], loose: dict) -> dict[str, str]:
    """'cost-3-amount' -> 'Norrstål AB – kostnadsrad 2: belopp', matching the row numbers in each partner's table."""
    columns = {"partner": _("partner"), "category": _("kategori"), "amount": _("belopp"), "in_kind": _("form"),
               "source": _("finansiär"), "kind": _("typ"), "union_max_rate": _("EU-programmets finansieringsgrad")}
    labels = {}
    for group in [*groups, loose]:
        owner = group["partner"].name + " – " if group.get("partner") else ""
        for prefix, rows, title in (("cost", group["costs"], _("Kostnadsrad")),
                                    ("fund", group["funding"], _("Finansieringsrad"))):
            for number, row in enumerate(rows, start=1):
                for key, name in columns.items():
                    labels[f"{prefix}-{row['index']}-{key}"] = f"{owner}{title} {number}: {name}"
    return labels


# --- partners ----------------------------------------------------------------------------------


def _partner_data() -> dict:
    return request.form.to_dict()


@bp.route("/<int:id>/partners/new", methods=["GET", "POST"])
@allow("planner", "strategist")
@submitted_once
def partner_new(id: int):  # noqa: A002
    project = _editable(_project_or_404(id))
    return _partner_form(project, None)


@bp.route("/partners/<int:id>/edit", methods=["GET", "POST"])
@allow("planner", "strategist")
def partner_edit(id: int):  # noqa: A002
    partner = db.session.get(ProjectPartner, id) or abort(404)
    project = _editable(_project_or_404(partner.project_id))
    partner = next(p for p in project.partners if p.id == id)
    return _partner_form(project, partner)


def _stored_partner(partner: ProjectPartner) -> dict:
    return {"key": partner.key, "name": partner.name, "kind": partner.kind, "size_stated": partner.size_stated or "",
            "organisation": partner.organisation.slug if partner.organisation else "",
            "org_number": partner.org_number, "staff_headcount": partner.staff_headcount,
            "turnover_eur": partner.turnover_eur, "balance_sheet_eur": partner.balance_sheet_eur,
            "version": partner.version}


def _partner_field_labels() -> dict[str, str]:
    """The partner form's labels, to name the fields someone else changed."""
    return {"organisation": _("Organisation ur katalogen (valfri)"), "name": _("Namn"),
            "key": _("Kort identitet i projektfilen"), "org_number": _("Organisationsnummer"),
            "kind": _("Typ av partner"), "size_stated": _("Storleksklass"),
            "staff_headcount": _("Anställda (årsarbetskrafter)"), "turnover_eur": _("Årsomsättning (EUR)"),
            "balance_sheet_eur": _("Balansomslutning (EUR)")}


def _partner_form(project: Project, partner: ProjectPartner | None):
    errors: list[FieldError] = []
    data = {} if partner is None else _stored_partner(partner)
    conflict = None
    if request.method == "POST":
        data = _partner_data()
        try:
            service.save_partner(project, data, current_user, partner)
        except InputError as exc:
            errors = exc.errors
        except EditConflict as exc:
            stored = _stored_partner(partner)
            conflict = _form_conflict(exc, [], stored, data, _partner_field_labels())
            data["version"] = exc.current_version
        else:
            flash(_("Partnern är sparad."), "success")
            return redirect(url_for("projects.show", id=project.id))
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.kind.in_(
            ("company", "research_organisation", "intermediary", "cluster_initiative", "municipality", "region",
             "national_agency"))).order_by(Organisation.name).limit(500)).all()
    size = checking.partner_size(project, partner) if partner else (None, "none")
    return render_template("projects/partner.html", project=project, partner=partner, data=data,
                           errors=_by_field(errors), conflict=conflict, organisations=organisations, size=size,
                           **_choices()), \
        409 if conflict else 400 if errors else 200


@bp.post("/partners/<int:id>/remove")
@allow("planner", "strategist")
def partner_remove(id: int):  # noqa: A002
    partner = db.session.get(ProjectPartner, id) or abort(404)
    project = _editable(_project_or_404(partner.project_id))
    service.remove_partner(project, next(p for p in project.partners if p.id == id), current_user)
    flash(_("Partnern är borttagen."), "success")
    return redirect(url_for("projects.show", id=project.id))


# --- calls and precedents ----------------------------------------------------------------------


@bp.post("/<int:id>/calls")
@allow("planner", "strategist")
def calls(id: int):  # noqa: A002
    project = _editable(_project_or_404(id))
    call_id = id_arg("call")
    if request.form.get("action") == "unlink" and call_id:
        service.unlink_call(project, call_id, current_user)
    else:
        service.link_call(project, call_id or 0, current_user)
    return redirect(url_for("projects.show", id=project.id) + "#utlysningar")


@bp.post("/<int:id>/rulings")
@allow("planner", "strategist", "taskforce")
def rulings(id: int):  # noqa: A002
    project = _project_or_404(id)
    require(service.can_link_ruling(current_user, project), current_user)
    service.link_ruling(project, request.form.get("flag_code", ""), id_arg("ruling_id") or 0,
                        request.form.get("label", ""), current_user)
    flash(_("Avgörandet är länkat till flaggan."), "success")
    return redirect(url_for("projects.show", id=project.id) + "#flaggor")


# --- imports -----------------------------------------------------------------------------------


@bp.get("/budget-template.xlsx")
@allow(ANY_USER)
def budget_template():
    return tables.response(tables.Table(template_xlsx(), tables.XLSX_MIME, "xlsx"), "budgetmall-projekt.xlsx")


@bp.route("/import", methods=["GET", "POST"])
@allow("planner", "strategist")
@submitted_once
def import_project():
    errors: list[FieldError] = []
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read(MAX_UPLOAD + 1) if upload else b""
        region_keys = request.form.getlist("regions")
        try:
            if not content:
                raise InputError(FieldError("file", "Välj en fil att läsa in.", "Choose a file to import."))
            if len(content) > MAX_UPLOAD:
                raise InputError(FieldError("file", "Filen är större än 5 MB.", "The file is larger than 5 MB."))
            name = (upload.filename or "").lower()
            try:
                if name.endswith(".xlsx") or content[:2] == b"PK":
                    doc = document_from_workbook(content)
                else:
                    doc = parse_project_document(content)
            except WorkbookError as exc:
                raise InputError(FieldError(exc.where or "file", exc.message_sv, exc.message_en)) from exc
            except DocumentError as exc:
                raise InputError(FieldError(exc.field or "file", exc.message_sv, exc.message_en)) from exc
            project = service.import_document(doc, current_user, region_keys)
        except InputError as exc:
            errors = exc.errors
        else:
            flash(_("Projektet är inläst: %(p)s partner, %(c)s kostnadsrader, %(f)s finansieringsrader.",
                    p=len(project.partners), c=len(project.cost_lines), f=len(project.funding_lines)), "success")
            return redirect(url_for("projects.show", id=project.id))
    return render_template("projects/import.html", errors=errors, regions=regions), 400 if errors else 200
