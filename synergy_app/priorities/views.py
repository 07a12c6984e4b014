"""Priority matching pages: overview, matrix, graph, ranked lists, collaboration, themes, editing."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import NotFound as HTTPNotFound

from ..auth.access import ANY_USER, acting_planner, allow, current_actor, require
from ..contributions import OPEN_CALLS_FOR_AREAS, contribution
from ..directory.queries import region_by_key
from ..errors import FieldError, InputError, NotFound
from ..extensions import db
from ..i18n import locale
from ..money import format_places, format_value
from ..reference.vocabularies import labels as vocabulary_labels
from ..submissions import submitted_once
from . import graph as g
from . import matching_cache, service
from .access import can_decide_match, can_edit_area, can_edit_priorities
from .complementarity import complementary_pairs
from .explanation import code_name
from .exports import tabular, wanted_format
from .forms import CodedForm, DecisionForm
from .matching_service import run
from .models import Area, Priority
from .public import area_ranks, region_ranks

bp = Blueprint("priorities", __name__, url_prefix="/priorities")
bp.record_once(lambda state: matching_cache.init_app(state.app))

COLLABORATION_PAIRS_SHOWN = 60
COMPLEMENT_PAIRS_SHOWN = 30  # each with up to three explained areas; the export has them all


def _lang() -> str:
    return "en" if locale() == "en" else "sv"


def _explanation(m: dict) -> str:
    return m["explanation_en"] if _lang() == "en" else m["explanation_sv"]


@lru_cache(maxsize=512)
def _score_in(language: str, value: float | None) -> str:
    if value is None:
        return format_value(None, language)
    # Lists carry scores rounded to four decimals (as the API gives them), the matrix the exact ones:
    # both are taken to four decimals first, so 0.20499 and 0.205 never read differently.
    shown = Decimal(str(round(value, 4))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_places(shown, language)


@bp.app_template_global("score_text")
def score_text(value: float | None) -> str:
    """A matching score (0–1) as the reader's language writes numbers: "0,65" or "0.65" (Babel)."""
    return _score_in(_lang(), value)


def _area_row(key: str) -> Area:
    key = (key or "").strip()
    area = db.session.scalar(select(Area).where(Area.slug == key))
    if area is None and key.isdigit():
        area = db.session.get(Area, int(key))
    if area is None:
        import difflib

        slugs = list(db.session.scalars(select(Area.slug)))
        raise NotFound("area", key, difflib.get_close_matches(key, slugs, n=3, cutoff=0.5))
    return area


@bp.get("/")
@allow(ANY_USER)
def index():
    areas = list(db.session.scalars(select(Area).where(Area.archived.is_(False)).order_by(Area.title)))
    by_org = defaultdict(list)
    for area in areas:
        by_org[area.organisation].append(area)
    organisations = sorted(by_org, key=lambda o: o.name)
    from ..directory.queries import all_regions

    return render_template("priorities/index.html", organisations=organisations, by_org=by_org,
                           regions=all_regions(), n_priorities=db.session.scalar(
                               select(db.func.count(Priority.id)).where(Priority.archived.is_(False))))


# --- matrix ---------------------------------------------------------------------------------------


def heat(score: float | None) -> int:
    """Colour step 0–5 of a matrix cell (the number is always printed too)."""
    if not score:
        return 0
    return min(5, max(1, int(score * 10)))  # <0.2, <0.3, <0.4, <0.5, 0.5 and above


@bp.get("/matrix")
@allow(ANY_USER)
def matrix():
    fmt = wanted_format(request.args.get("format"))
    run_ = run()
    cells = g.region_area_scores(run_.graph)
    decided = set()
    owner = {p.id: p.owner_id for p in run_.priorities}
    for m in run_.matches:
        if m.decided:
            decided.add((owner[m.priority_id], m.area_id))
    regions = sorted(run_.regions.values(), key=lambda r: r.name)
    areas = sorted(run_.areas, key=lambda a: (run_.organisations[a.owner_id].name, a.title))
    sort = request.args.get("sort") or "organisation"
    if sort == "best":
        areas.sort(key=lambda a: -max((cells.get((r.slug, a.id), 0.0) for r in regions), default=0.0))
    elif sort == "title":
        areas.sort(key=lambda a: a.title.lower())
    elif sort in run_.regions:
        areas.sort(key=lambda a: (-cells.get((sort, a.id), 0.0), a.title.lower()))
    elif sort != "organisation":
        raise InputError(FieldError("sort", "Okänd sortering; välj en region, best, title eller organisation.",
                                    "Unknown sort; choose a region, best, title or organisation."))
    if fmt:
        headers = [_("Område"), _("Organisation"), *[r.name for r in regions]]
        rows = [[a.title, run_.organisations[a.owner_id].name,
                 *[round(cells.get((r.slug, a.id), 0.0), 3) for r in regions]] for a in areas]
        return tabular(fmt, "matchning-matris", headers, rows)
    return render_template("priorities/matrix.html", regions=regions, sort=sort,
                           groups=_matrix_groups(run_, areas, regions, cells, decided, sort))


def _matrix_groups(run_, areas, regions, cells, decided, sort: str) -> list[dict]:
    """The matrix rows ready to print: each cell's colour step and number worked out once here, not in
    the template (a national matrix has over a thousand cells). Sorted by organisation, the rows come
    in one group per organisation; in the other orders, in one group."""
    words: dict[float, str] = {}
    language = _lang()
    rows = []
    for a in areas:
        row_cells = []
        for r in regions:
            s = cells.get((r.slug, a.id))
            if s:
                key = round(s, 4)
                text = words.get(key) or words.setdefault(key, _score_in(language, key))
                row_cells.append((heat(s), text, r.slug, (r.slug, a.id) in decided))
            else:
                row_cells.append((0, "", r.slug, False))
        rows.append({"area": a, "href": url_for("priorities.area", area=a.id),
                     "organisation": run_.organisations[a.owner_id].name, "cells": row_cells})
    if sort != "organisation":
        return [{"organisation": None, "rows": rows}]
    groups: dict[str, dict] = {}
    for row in rows:
        groups.setdefault(row["organisation"], {"organisation": row["organisation"], "rows": []})["rows"].append(row)
    return list(groups.values())


# --- graph ------------------------------------------------------------------------------------------


def _graph_svg() -> str:
    try:
        min_score = float(request.args.get("min") or 0.3)
    except ValueError:
        raise InputError(FieldError("min", "Lägsta poäng ska vara ett tal mellan 0 och 1.",
                                    "The minimum score must be a number between 0 and 1.")) from None
    if not 0 <= min_score <= 1:
        raise InputError(FieldError("min", "Lägsta poäng ska vara ett tal mellan 0 och 1.",
                                    "The minimum score must be a number between 0 and 1."))
    run_ = run()
    focus = request.args.get("focus") or None
    if focus and focus not in run_.graph:
        focus = None
    return g.render_svg(run_.graph, lang=_lang(), min_score=min_score, focus=focus), min_score, run_


@bp.get("/graph")
@allow(ANY_USER)
def graph():
    svg, min_score, run_ = _graph_svg()
    regions = sorted(run_.regions.values(), key=lambda r: r.name)
    return render_template("priorities/graph.html", svg=Markup(svg), min_score=min_score,  # noqa: S704
                           regions=regions, focus=request.args.get("focus") or "")


@bp.get("/graph.svg")
@allow(ANY_USER)
def graph_svg():
    svg, _min, _run = _graph_svg()
    return Response(svg, mimetype="image/svg+xml")


# --- area: regions to invite --------------------------------------------------------------------------


@bp.get("/areas/<area>")
@allow(ANY_USER)
def area(area: str):
    fmt = wanted_format(request.args.get("format"))
    row = _area_row(area)
    run_ = run()
    ranks = region_ranks(run_, row.slug) if row.slug in run_.area_rows and f"area:{row.slug}" in run_.graph else []
    if fmt:
        rows = [[i, r["region_name"], r["region_code"], p["title"], p["score"], p["decision"] or "", _explanation(p)]
                for i, r in enumerate(ranks, 1) for p in r["priorities"]]
        return tabular(fmt, f"regioner-{row.slug}", [_("Rang"), _("Region"), _("Länskod"), _("Prioritering"),
                                                    _("Poäng"), _("Beslut"), _("Förklaring")], rows)
    actor = current_actor()
    may_decide = can_decide_match(actor, row)
    shown = {p["slug"] for r in ranks for p in r["priorities"]}
    rejected = [d for (p, a), d in run_.decisions.items() if a == row.slug and d.verdict == "rejected"]
    addable = sorted((p for s, p in run_.priority_rows.items() if s not in shown),
                     key=lambda p: (p.region.name, p.title)) if may_decide else []
    may_edit = can_edit_area(actor, row)
    # Snabbdialog rounds are led by a national agency, so only its areas can start one.
    may_start_round = acting_planner(actor) and row.organisation.kind == "national_agency"
    return render_template("priorities/area.html", area=row, ranks=ranks, may_decide=may_decide,
                           rejected=rejected, addable=addable, explanation=_explanation, may_edit=may_edit,
                           may_start_round=may_start_round, form=DecisionForm(), weights=run_.weights,
                           code_label=_code_label)


@bp.post("/areas/<area>/decisions")
@allow("planner")
def decide(area: str):
    row = _area_row(area)
    form = DecisionForm()
    slug = (form.priority.data or "").strip()
    if not slug:
        raise InputError(FieldError("priority", "Välj en prioritering.", "Choose a priority."))
    priority = db.session.scalar(select(Priority).where(Priority.slug == slug))
    if priority is None:
        raise InputError(FieldError("priority", f"Prioriteringen {slug!r} finns inte.",
                                    f"The priority {slug!r} does not exist."))
    verdict = form.verdict.data or ""
    service.decide(priority, row, verdict, current_actor(), form.note.data or "")
    messages = {"confirmed": _("Matchningen är bekräftad."), "rejected": _("Matchningen är avvisad."),
                "added": _("Matchningen är tillagd.")}
    flash(messages[verdict], "info")
    return redirect(url_for("priorities.area", area=row.slug) + f"#region-{priority.region.slug}")


def _code_label(axis: str, code: str) -> str:
    """A code of the technical reason with its name in the page's language: "C28 Tillverkning av maskiner";
    a policy objective by its name alone."""
    name = code_name(axis, code, _lang())
    if axis == "policy" or name == code:
        return name  # a policy objective's code is an internal key: its name says it all
    return f"{code} {name}"


# --- region: areas and agencies -------------------------------------------------------------------------


def _open_calls(area_ids: list[int]) -> list | None:
    """Open calls in the areas, as the calendar contributes them; None when no capability does."""
    finder = contribution(OPEN_CALLS_FOR_AREAS)
    return None if finder is None else list(finder(area_ids))


@bp.get("/regions/<region>")
@allow(ANY_USER)
def region(region: str):
    fmt = wanted_format(request.args.get("format"))
    row = region_by_key(region)
    run_ = run()
    ranks = area_ranks(run_, row.slug)
    if fmt:
        rows = [[i, r["area_title"], r["organisation_name"], p["title"], p["score"], p["decision"] or "",
                 _explanation(p)] for i, r in enumerate(ranks, 1) for p in r["priorities"]]
        return tabular(fmt, f"omraden-{row.slug}", [_("Rang"), _("Område"), _("Organisation"), _("Prioritering"),
                                                   _("Poäng"), _("Beslut"), _("Förklaring")], rows)
    agencies: dict[str, dict] = {}
    for r in ranks:
        entry = agencies.setdefault(r["organisation_slug"], {"name": r["organisation_name"], "areas": []})
        entry["areas"].append(r)
    priorities = sorted((p for p in run_.priority_rows.values() if p.region_id == row.id), key=lambda p: p.title)
    calls = _open_calls([r["area_id"] for r in ranks if r["area_id"]])
    return render_template("priorities/region.html", region=row, ranks=ranks, agencies=agencies,
                           priorities=priorities, calls=calls, explanation=_explanation,
                           may_edit=can_edit_priorities(current_actor(), row))


# --- region–region collaboration ------------------------------------------------------------------------


@bp.get("/collaboration")
@allow(ANY_USER)
def collaboration():
    fmt = wanted_format(request.args.get("format"))
    run_ = run()
    projection = g.region_projection(run_.graph)
    names = {s: r.name for s, r in run_.regions.items()}

    def theme_label(t: g.SharedTheme) -> str:
        if t.kind == "policy":
            pair = vocabulary_labels()["policy"].get(t.id)
            return (pair[1] if _lang() == "en" else pair[0]) if pair else t.id
        return t.label

    complements = complementary_pairs(run_.graph)
    code_labels = vocabulary_labels()["economic"]

    def complement_text(link, with_area: bool = True) -> str:
        return link.explanation(_lang(), code_labels, with_area)

    if fmt:
        overlap, complement = _("överlappande"), _("kompletterande")
        rows = [[names.get(p.a, p.a), names.get(p.b, p.b), round(p.weight, 3),
                 "; ".join(theme_label(t) for t in p.themes), overlap] for p in projection.pairs]
        rows += [[names.get(p.a, p.a), names.get(p.b, p.b), round(p.weight, 3),
                  " ".join(complement_text(link) for link in p.links), complement] for p in complements]
        return tabular(fmt, "samverkan-regioner",
                       [_("Region"), _("Region"), _("Styrka"), _("Gemensamma teman eller förklaring"), _("Typ")], rows)
    return render_template("priorities/collaboration.html", projection=projection, names=names,
                           pairs=projection.pairs[:COLLABORATION_PAIRS_SHOWN], total=len(projection.pairs),
                           theme_label=theme_label, complements=complements[:COMPLEMENT_PAIRS_SHOWN],
                           complements_total=len(complements), complement_text=complement_text)


# --- theme view -----------------------------------------------------------------------------------------


@bp.get("/themes")
@allow(ANY_USER)
def themes():
    fmt = wanted_format(request.args.get("format"))
    theme = (request.args.get("theme") or "").strip()
    vocab = vocabulary_labels()
    idx = 1 if _lang() == "en" else 0
    policy_choices = [(slug, pair[idx]) for slug, pair in vocab["policy"].items()]
    nace_choices = [(code, f"{code} {pair[idx]}") for code, pair in vocab["economic"].items()]
    view = None
    if theme:
        if theme not in vocab["policy"] and theme not in vocab["economic"]:
            import difflib

            close = difflib.get_close_matches(theme, [*vocab["policy"], *vocab["economic"]], n=3, cutoff=0.5)
            raise InputError(FieldError(
                "theme", f"Okänt tema {theme!r}. Välj ett policymål eller en NACE-kod ur listan"
                + (f"; menade du {', '.join(close)}?" if close else "."),
                f"Unknown theme {theme!r}. Choose a policy objective or a NACE code from the list"
                + (f"; did you mean {', '.join(close)}?" if close else ".")))
        run_ = run()
        view = g.theme_view(run_.graph, theme, policy_codes=vocab["policy"])
        if fmt:
            names = dict(vocab["economic"])
            rows = [[group.section, (names.get(group.section) or ("-", "-"))[idx], run_.regions[r].name]
                    for group in view.groups for r in group.regions]
            rows += [["", "", tr.label + ": " + "; ".join(t for _id, t in tr.priorities)] for tr in view.regions]
            return tabular(fmt, f"tema-{theme}", [_("NACE-avdelning"), _("Benämning"), _("Region")], rows)
    elif fmt:
        raise InputError(FieldError("theme", "Välj ett tema.", "Choose a theme."))
    theme_label = dict(policy_choices).get(theme) or dict(nace_choices).get(theme) or theme
    return render_template("priorities/themes.html", theme=theme, theme_label=theme_label, view=view,
                           policy_choices=policy_choices, nace_choices=nace_choices,
                           section_label=lambda s: (vocab["economic"].get(s) or ("", ""))[idx])


# --- editing ----------------------------------------------------------------------------------------------


def _coded_form(obj=None) -> CodedForm:
    form = CodedForm()
    form.fill_choices(_lang())
    if obj is not None and request.method == "GET":
        form.load(obj)
    return form


@bp.route("/regions/<region>/priorities/new", methods=["GET", "POST"])
@allow("strategist")
@submitted_once
def new_priority(region: str):
    row = region_by_key(region)
    require(can_edit_priorities(current_actor(), row), current_actor())
    form = _coded_form()
    if request.method == "POST" and form.validate():
        try:
            service.create_priority(row, form.values(), current_actor())
        except InputError as err:
            form.show_errors(err.errors)
        else:
            flash(_("Prioriteringen är sparad."), "info")
            return redirect(url_for("priorities.region", region=row.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("priorities/edit.html", form=form, heading=_("Ny prioritering för %(r)s", r=row.name),
                           back=url_for("priorities.region", region=row.slug)), status


@bp.route("/priorities/<slug>/edit", methods=["GET", "POST"])
@allow("strategist")
def edit_priority(slug: str):
    row = db.session.scalar(select(Priority).where(Priority.slug == slug))
    if row is None:
        raise HTTPNotFound()
    require(can_edit_priorities(current_actor(), row.region), current_actor())
    form = _coded_form(row)
    if request.method == "POST" and form.validate():
        try:
            service.update_priority(row, form.values(), current_actor())
        except InputError as err:
            form.show_errors(err.errors)
        else:
            flash(_("Prioriteringen är sparad."), "info")
            return redirect(url_for("priorities.region", region=row.region.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("priorities/edit.html", form=form, obj=row,
                           heading=_("Ändra prioritering: %(t)s", t=row.title),
                           back=url_for("priorities.region", region=row.region.slug)), status


@bp.route("/areas/<area>/edit", methods=["GET", "POST"])
@allow("planner")
def edit_area(area: str):
    row = _area_row(area)
    require(can_edit_area(current_actor(), row), current_actor())
    form = _coded_form(row)
    if request.method == "POST" and form.validate():
        try:
            service.update_area(row, form.values(), current_actor())
        except InputError as err:
            form.show_errors(err.errors)
        else:
            flash(_("Området är sparat."), "info")
            return redirect(url_for("priorities.area", area=row.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("priorities/edit.html", form=form, obj=row, heading=_("Ändra område: %(t)s", t=row.title),
                           back=url_for("priorities.area", area=row.slug)), status
