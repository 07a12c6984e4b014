"""Pages of the shared call calendar: list, timeline, month, call page, import, export, feeds, coordination."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.access import ANY_USER, PUBLIC, allow, require
from ..clock import STOCKHOLM
from ..contributions import CALL_PROJECTS, TIMELINE_ENTRIES, contributions
from ..db_types import utcnow
from ..dialogues import public as dialogues
from ..errors import FieldError, InputError
from ..extensions import db
from ..i18n import locale, pick
from ..ics_writer import webcal_url
from ..int_params import id_arg, page_arg
from ..reports import tabular as tables
from ..submissions import submitted_once
from . import queries, service, view_cache
from .access import can_edit_calls
from .alignment import AlignmentSettings, check_alignment, coordination_view
from .call_data import EVENT_LABELS, STATUS_LABELS, CallStatus, derive_status
from .export_ics import calls_to_ics
from .export_tabular import calls_table
from .forms import CallForm, ConfirmImportForm, CoordinateForm, ImportForm, SimpleForm
from .import_tabular import template_csv, template_xlsx
from .models import Call, CoordinationSet, call_followers
from .tabular_columns import COLUMNS
from .timeline import (
    TimelineLayout,
    Zoom,
    add_entry_lane,
    add_months,
    layout_timeline,
    month_grid,
    period_for,
    render_lanes,
    render_svg,
)
from .views_feed import ics_response, with_links

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

WRITERS = ("planner",)
# At most this many project milestones and dialogue meetings are shown on one timeline or month.
MAX_ENTRIES = 500


def _today() -> date:
    return queries.today_local()


def _settings() -> AlignmentSettings:
    raw = request.args.get("min_days") or current_app.config.get("CALENDAR_MIN_APPLICATION_DAYS") or 42
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise InputError(FieldError("min_days", "Ange minsta ansökningstid i hela dagar.",
                                    "Give the minimum application period in whole days.")) from None
    if not 1 <= days <= 365:
        raise InputError(FieldError("min_days", "Minsta ansökningstid ska vara 1–365 dagar.",
                                    "The minimum application period must be 1–365 days."))
    return AlignmentSettings(min_application_days=days)


def _page() -> int:
    return page_arg()


def _theme_labels() -> dict[str, str]:
    """Readable name of every call theme: the area's title, the policy objective's label, or the slug."""
    policy = service.policy_labels()
    labels = {slug: (en if locale() == "en" else sv) for slug, (sv, en) in policy.items()}
    labels.update(queries.theme_area_titles())
    return labels


def _filter_context(filters: queries.CallFilters) -> dict:
    labels = _theme_labels()
    themes = sorted(((s, labels.get(s, s)) for s in queries.theme_choices()), key=lambda t: t[1].casefold())
    return {
        "filters": filters,
        "filter_args": filters.as_args(),
        "funder_choices": queries.funder_choices(),
        "theme_choices": themes,
        "theme_labels": labels,
        "region_choices": queries.region_choices(),
        "statuses": [(s.value, STATUS_LABELS[s]) for s in CallStatus],
    }


def _status_label(call) -> str:
    sv, en = STATUS_LABELS[derive_status(call, _today())]
    return en if locale() == "en" else sv


def can_write() -> bool:
    return can_edit_calls(current_user)


@bp.app_context_processor
def _helpers():
    return {"call_status_label": _status_label, "event_labels": EVENT_LABELS, "calendar_can_write": can_write}


# --- List, timeline, month ----------------------------------------------------------------------


@bp.get("/")
@allow(ANY_USER)
def index():
    filters = queries.filters_from_args(request.args)
    page = _page()
    calls, total = queries.page_of_calls(filters, page)
    names = queries.funder_names({c.funder_slug for c in calls})
    return render_template("calendar/index.html", calls=calls, total=total, page=page,
                           page_size=queries.PAGE_SIZE, names=names, **_filter_context(filters))


def _anchor() -> date:
    raw = request.args.get("at")
    if not raw:
        return _today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(FieldError("at", "Ogiltigt datum (ange ÅÅÅÅ-MM-DD).", "Invalid date (give YYYY-MM-DD).")) \
            from None


@bp.get("/timeline")
@allow(ANY_USER)
def timeline():
    filters = queries.filters_from_args(request.args)
    zoom_raw = request.args.get("zoom", Zoom.MONTHS.value)
    zoom = Zoom(zoom_raw) if zoom_raw in {z.value for z in Zoom} else Zoom.MONTHS
    anchor = _anchor()
    period = period_for(zoom, anchor)
    today = _today()
    context = _filter_context(filters)
    names = dict(context["funder_choices"])
    lang = locale()
    key = view_cache.key_for("timeline", view_cache.calendar_version(), sorted(filters.as_args().items()),
                             period, today, lang, sorted(names.items()))
    drawn = view_cache.get_or_build(key, lambda: _drawn_calls(filters, period, today, names, lang))
    layout = drawn.layout
    milestones = [{**m, "label": _milestone_label(m, lang)} for m in _project_milestones(period.start, period.end)]
    meetings = _dialogue_entries(period.start, period.end)
    add_entry_lane(layout, "projects", _("Gemensamma projekt"),
                   [(m["date"], m["label"], m.get("url")) for m in milestones])
    add_entry_lane(layout, "dialogues", _("Snabbdialoger"),
                   [(e["start"].astimezone(STOCKHOLM).date(), str(e.get("summary") or ""), e.get("url"))
                    for e in meetings])
    svg = render_svg(layout, lang, drawn.lanes_markup)
    step = {Zoom.YEAR: 12, Zoom.MONTHS: 12, Zoom.QUARTER: 3}[zoom]
    prev_at, next_at = add_months(period.start, -step), add_months(period.start, step)
    holidays = [(shade.on, shade.name_en if lang == "en" else shade.name_sv)
                for shade in layout.shades if shade.kind == "holiday"]
    return render_template("calendar/timeline.html", svg=svg, period=period, zoom=zoom, lanes=drawn.lanes,
                           prev_at=prev_at, next_at=next_at, today=today, count=drawn.count,
                           milestones=milestones, meetings=meetings, holidays=holidays, **context)


@dataclass
class _DrawnCalls:
    """The calls' part of a timeline: kept by calendar version, filter, period, day and language."""

    layout: TimelineLayout  # without its funder lanes, which are drawn in `lanes_markup`
    lanes_markup: str
    lanes: list[tuple[str, str, int]]  # (funder name, slug, bars) for the table below the drawing
    count: int


def _drawn_calls(filters, period, today: date, names: dict[str, str], lang: str) -> _DrawnCalls:
    calls = queries.call_data_for_ids(queries.span_ids(period.start, period.end, filters, today))
    layout = layout_timeline(calls, period, today, names)
    id_of = {c.identity: c.extra["id"] for c in calls}
    # One url_for for all bars: a year can hold a thousand calls.
    call_url = url_for("calendar.call", id=0).removesuffix("0")
    for lane in layout.lanes:
        lane.bars = [replace(b, url=f"{call_url}{int(id_of[b.call])}") for b in lane.bars]
    lanes = [(lane.label, lane.funder_slug, len(lane.bars)) for lane in layout.lanes]
    return _DrawnCalls(replace(layout, lanes=[]), render_lanes(layout, lang), lanes, len(calls))


@bp.get("/month")
@allow(ANY_USER)
def month():
    filters = queries.filters_from_args(request.args)
    anchor = _anchor()
    first = date(anchor.year, anchor.month, 1)
    today = _today()
    key = view_cache.key_for("month", view_cache.calendar_version(), sorted(filters.as_args().items()),
                             first, today)
    weeks, ids = view_cache.get_or_build(key, lambda: _month_of_calls(filters, first, today))
    start, end = weeks[0].days[0].on, weeks[-1].days[-1].on
    meetings = _dialogue_meetings(start, end)
    milestones = _milestones_by_day(start, end)
    prev_at = (first - timedelta(days=1)).replace(day=1)
    next_at = (first + timedelta(days=32)).replace(day=1)
    return render_template("calendar/month.html", weeks=weeks, first=first, ids=ids, meetings=meetings,
                           milestones=milestones, milestone_label=_milestone_label, prev_at=prev_at,
                           next_at=next_at, **_filter_context(filters))


def _month_of_calls(filters, first: date, today: date):
    weeks = month_grid(first.year, first.month, [], today)
    start, end = weeks[0].days[0].on, weeks[-1].days[-1].on
    calls = queries.call_data_for_ids(queries.span_ids(start, end, filters))
    return month_grid(first.year, first.month, calls, today), {c.identity: int(c.extra["id"]) for c in calls}


def _dialogue_entries(start: date, end: date) -> list[dict]:
    """Snabbdialog meetings (not cancelled) on the days [start, end]."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=STOCKHOLM)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=STOCKHOLM)
    entries = [e for e in dialogues.calendar_entries_between(lo, hi) if not e.get("cancelled")][:MAX_ENTRIES]
    # The entries carry absolute URLs for calendar clients (PUBLIC_BASE_URL); on our own pages a link
    # stays on the host the user is on.
    return [{**e, "url": _local_url(e.get("url"))} for e in entries]


def _local_url(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def _dialogue_meetings(start: date, end: date) -> dict[date, list[dict]]:
    """Snabbdialog meetings on the same calendar by Stockholm day."""
    result: dict[date, list[dict]] = {}
    for entry in _dialogue_entries(start, end):
        result.setdefault(entry["start"].astimezone(STOCKHOLM).date(), []).append(entry)
    return result


def _project_milestones(start: date, end: date) -> list[dict]:
    """Joint-project milestones (and whatever else capabilities contribute) on the days [start, end]."""
    return [entry for between in contributions(TIMELINE_ENTRIES) for entry in between(start, end)][:MAX_ENTRIES]


def _milestones_by_day(start: date, end: date) -> dict[date, list[dict]]:
    result: dict[date, list[dict]] = {}
    for m in _project_milestones(start, end):
        result.setdefault(m["date"], []).append(m)
    return result


def _milestone_label(m: dict, lang: str | None = None) -> str:
    if "project_title" not in m:
        return str(m.get("summary") or "")
    return f"{m['label_en'] if (lang or locale()) == 'en' else m['label_sv']}: {m['project_title']}"


# --- One call -----------------------------------------------------------------------------------


def _coordinated_with(call: Call) -> tuple[list[CoordinationSet], list[int]]:
    sets = list(db.session.scalars(
        select(CoordinationSet).where(CoordinationSet.calls.any(Call.id == call.id),
                                      CoordinationSet.archived.is_(False))
        .options(selectinload(CoordinationSet.calls))
    ))
    others = sorted({c.id for s in sets for c in s.calls if c.id != call.id and not c.archived})
    return sets, others


def _projects_for_call(call_id: int) -> list[dict]:
    """The joint projects that use the call, as the projects capability contributes them."""
    return [project for projects_for in contributions(CALL_PROJECTS) for project in projects_for(call_id)]


@bp.get("/calls/<int:id>")
@allow(ANY_USER)
def call(id: int):
    call = queries.get_call(id)
    data = queries.call_data_for_ids([call.id])[0]
    sets, other_ids = _coordinated_with(call)
    others = queries.call_data_for_ids(other_ids)
    settings = _settings()
    flags = [f for f in check_alignment([data, *others], settings) if data.identity in f.calls]
    titles = {c.identity: c.title for c in [data, *others]}
    coordinate_form = None
    if can_write():
        coordinate_form = CoordinateForm()
        coordinate_form.other.choices = [(str(i), label) for i, label in queries.calls_for_choice(exclude=call.id)]
    return render_template(
        "calendar/call.html", call=call, data=data, status=_status_label(data), sets=sets, others=others,
        flags=flags, titles=titles, settings=settings, following=service.is_following(call.id, current_user),
        form=SimpleForm(), coordinate_form=coordinate_form, projects=_projects_for_call(call.id),
        names=queries.funder_names([data.funder_slug, *(o.funder_slug for o in others)]),
        policy_labels=service.policy_labels(),
    )


def _form_for(form: CallForm, current_themes: list[str] = ()) -> CallForm:
    form.funder.choices = queries.funder_choices()
    form.regions.choices = queries.region_choices()
    # Themes are picked by name: the areas, then the policy objectives; a theme the call already
    # carries that is neither (an imported tag) stays choosable under its own words.
    policy = sorted(((slug, pick(sv, en)) for slug, (sv, en) in service.policy_labels().items()),
                    key=lambda t: t[1].casefold())
    areas = sorted(queries.area_theme_choices(locale()), key=lambda t: t[1].casefold())
    known = {slug for slug, _name in policy + areas}
    form.themes.choices = areas + policy + [(t, t) for t in current_themes if t not in known]
    return form


def _save_from_form(form: CallForm, expected_id: int | None):
    row = form.parse(set(queries.funder_slugs()))
    errors = [FieldError(e.field, e.message_sv, e.message_en) for e in row.errors]
    if not errors:
        data = replace(row.call, description=(form.description.data or "").strip() or None)
        try:
            return service.save_call(data, actor=current_user, source="form", expected_id=expected_id), []
        except InputError as exc:
            errors = exc.errors
    return None, form.apply_errors(errors, locale())


@bp.route("/calls/new", methods=["GET", "POST"])
@allow(*WRITERS)
@submitted_once
def call_new():
    require(can_edit_calls(current_user), current_user)
    form = _form_for(CallForm())
    other_errors = []
    if request.method == "GET" and current_user.organisation and current_user.organisation.is_funder:
        form.funder.data = current_user.organisation.slug
    if form.validate_on_submit():
        saved, other_errors = _save_from_form(form, None)
        if saved is not None:
            flash(_("Utlysningen är sparad."), "success")
            return redirect(url_for("calendar.call", id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("calendar/call_form.html", form=form, call=None, other_errors=other_errors), status


@bp.route("/calls/<int:id>/edit", methods=["GET", "POST"])
@allow(*WRITERS)
def call_edit(id: int):
    require(can_edit_calls(current_user), current_user)
    call = queries.get_call(id)
    form = _form_for(CallForm(), [theme.slug for theme in call.themes])
    other_errors = []
    if request.method == "GET":
        form.fill(queries.call_data_for_ids([call.id])[0])
    elif form.validate_on_submit():
        saved, other_errors = _save_from_form(form, call.id)
        if saved is not None:
            flash(_("Utlysningen är uppdaterad. Flyttade datum syns i historiken."), "success")
            return redirect(url_for("calendar.call", id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("calendar/call_form.html", form=form, call=call, other_errors=other_errors), status


@bp.post("/calls/<int:id>/follow")
@allow(ANY_USER)
def follow(id: int):
    call = queries.get_call(id)
    if SimpleForm().validate_on_submit():
        service.follow(call, current_user)
        flash(_("Du bevakar nu utlysningen. Flyttade datum visas under Bevakade utlysningar."), "success")
    return redirect(url_for("calendar.call", id=id))


@bp.post("/calls/<int:id>/unfollow")
@allow(ANY_USER)
def unfollow(id: int):
    call = queries.get_call(id)
    if SimpleForm().validate_on_submit():
        service.unfollow(call, current_user)
        flash(_("Du bevakar inte längre utlysningen."), "success")
    return redirect(url_for("calendar.call", id=id))


@bp.post("/calls/<int:id>/coordinate")
@allow(*WRITERS)
@submitted_once
def coordinate(id: int):
    require(can_edit_calls(current_user), current_user)
    call = queries.get_call(id)
    form = CoordinateForm()
    other = id_arg("other")
    if not form.validate_on_submit() or other is None:
        raise InputError(FieldError("other", "Välj en utlysning att samordna med.",
                                    "Choose a call to coordinate with."))
    if form.set_id.data:
        cset = service.mark_coordinated([other], name="", actor=current_user, set_id=form.set_id.data)
    else:
        name = form.name.data or _("Samordning: %(title)s", title=call.title)
        cset = service.mark_coordinated([call.id, other], name=name, actor=current_user)
    flash(_("Utlysningarna är markerade som samordnade och kontrolleras tillsammans."), "success")
    return redirect(url_for("calendar.coordinated_set", id=cset.id))


@bp.get("/following")
@allow(ANY_USER)
def following():
    ids = list(db.session.scalars(
        select(call_followers.c.call_id).join(Call, Call.id == call_followers.c.call_id)
        .where(call_followers.c.user_id == current_user.id).order_by(Call.opens_on).limit(500)
    ))
    calls = queries.call_data_for_ids(ids)
    from .models import CallDateChange

    changes = list(db.session.scalars(
        select(CallDateChange).where(CallDateChange.call_id.in_(ids)).order_by(CallDateChange.id.desc()).limit(100)
        .options(selectinload(CallDateChange.call))
    )) if ids else []
    return render_template("calendar/following.html", calls=calls, changes=changes,
                           names=queries.funder_names({c.funder_slug for c in calls}))


# --- Coordination -------------------------------------------------------------------------------


@bp.get("/coordinated")
@allow(ANY_USER)
def coordinated_sets():
    sets = list(db.session.scalars(
        select(CoordinationSet).where(CoordinationSet.archived.is_(False)).order_by(CoordinationSet.id.desc())
        .limit(200).options(selectinload(CoordinationSet.calls))
    ))
    return render_template("calendar/sets.html", sets=sets)


@bp.get("/coordinated/<int:id>")
@allow(ANY_USER)
def coordinated_set(id: int):
    cset = db.session.get(CoordinationSet, id)
    if cset is None:
        abort(404)
    calls = queries.call_data_for_ids([c.id for c in cset.calls if not c.archived])
    settings = _settings()
    flags = check_alignment(calls, settings)
    titles = {c.identity: c.title for c in calls}
    coordinate_form = None
    if can_write():
        coordinate_form = CoordinateForm()
        member_ids = {int(c.extra["id"]) for c in calls}
        coordinate_form.other.choices = [(str(i), t) for i, t in queries.calls_for_choice() if i not in member_ids]
    return render_template("calendar/set.html", cset=cset, calls=calls, flags=flags, titles=titles,
                           settings=settings, coordinate_form=coordinate_form, form=SimpleForm(),
                           names=queries.funder_names({c.funder_slug for c in calls}))


@bp.post("/coordinated/<int:id>/add")
@allow(*WRITERS)
def coordinated_add(id: int):
    require(can_edit_calls(current_user), current_user)
    form = CoordinateForm()
    other = id_arg("other")
    if not form.validate_on_submit() or other is None:
        raise InputError(FieldError("other", "Välj en utlysning att lägga till.", "Choose a call to add."))
    service.mark_coordinated([other], name="", actor=current_user, set_id=id)
    return redirect(url_for("calendar.coordinated_set", id=id))


@bp.post("/coordinated/<int:id>/remove")
@allow(*WRITERS)
def coordinated_remove(id: int):
    require(can_edit_calls(current_user), current_user)
    cset = db.session.get(CoordinationSet, id)
    if cset is None:
        abort(404)
    call_id = request.form.get("call_id", "")
    if SimpleForm().validate_on_submit() and call_id.isdigit():
        service.remove_from_set(cset, queries.get_call(int(call_id)), actor=current_user)
    return redirect(url_for("calendar.coordinated_set", id=id))


@bp.get("/coordination")
@allow(ANY_USER)
def coordination():
    try:
        year = int(request.args.get("year") or _today().year)
    except ValueError:
        year = _today().year
    year = min(max(year, 2000), 2100)
    filters = queries.CallFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    calls = queries.call_data_for_ids(queries.span_ids(filters.date_from, filters.date_to, filters))
    rows = coordination_view(calls, year, settings=_settings())
    titles = {c.identity: c.title for c in calls}
    ids = {c.identity: int(c.extra["id"]) for c in calls}
    from ..priorities.models import Area

    theme_titles = dict(db.session.execute(
        select(Area.slug, Area.title).where(Area.slug.in_([r.theme for r in rows]))).all())
    return render_template("calendar/coordination.html", rows=rows, year=year, titles=titles, ids=ids,
                           theme_titles=theme_titles, names=queries.funder_names())


# --- Import -------------------------------------------------------------------------------------


def _import_form() -> ImportForm:
    form = ImportForm()
    form.funder.choices = [("", _("Anges i filen (CSV/XLSX)"))] + queries.funder_choices()
    return form


@bp.get("/import")
@allow(*WRITERS)
def import_form():
    require(can_edit_calls(current_user), current_user)
    form = _import_form()
    if current_user.organisation and current_user.organisation.is_funder:
        form.funder.data = current_user.organisation.slug
    return render_template("calendar/import.html", form=form)


@bp.post("/import")
@allow(*WRITERS)
def import_preview():
    require(can_edit_calls(current_user), current_user)
    form = _import_form()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = [_("Välj en fil att ladda upp.")]
        return render_template("calendar/import.html", form=form), 400
    content = upload.read(service.MAX_UPLOAD_BYTES + 1)
    if len(content) > service.MAX_UPLOAD_BYTES:  # refused before parsing: nothing is read or stored
        form.file.errors = [_("Filen är större än %(mb)s MB.", mb=service.MAX_UPLOAD_BYTES // (1024 * 1024))]
        return render_template("calendar/import.html", form=form), 413
    kind = service.file_kind_for(upload.filename, form.kind.data)
    funder = form.funder.data or None
    preview = service.preview_import(content, kind, funder)
    draft = service.store_draft(content, upload.filename, kind, funder, current_user) if preview.ok else None
    return render_template("calendar/import_preview.html", preview=preview, draft=draft,
                           confirm=ConfirmImportForm(draft=draft.token if draft else ""), filename=upload.filename,
                           names=queries.funder_names(), column_names=_column_names()), (200 if preview.ok else 422)


def _column_names() -> dict[str, str]:
    """A row error names its column as the template's header in the page language ('sista ansökningsdag'),
    not by its key; ICS errors name the event property (DTSTART), which is what the file says."""
    names = {c.key: (c.header_en if locale() == "en" else c.header_sv) for c in COLUMNS}
    names["deadline"] = names["deadlines"]
    return names


@bp.post("/import/confirm")
@allow(*WRITERS)
@submitted_once
def import_confirm():
    require(can_edit_calls(current_user), current_user)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        raise InputError(FieldError("draft", "Importen saknas; ladda upp filen igen.",
                                    "The import is missing; upload the file again."))
    draft = service.draft_for(form.draft.data, current_user)
    counts = service.confirm_draft(draft, actor=current_user)
    flash(_("Importen är sparad: %(c)s nya, %(u)s uppdaterade, %(n)s oförändrade.",
            c=counts["create"], u=counts["update"], n=counts["unchanged"]), "success")
    return redirect(url_for("calendar.index"))


@bp.get("/import/template.csv")
@allow(ANY_USER)
def template_csv_file():
    return tables.response(tables.Table(template_csv(locale()), tables.CSV_MIME, "csv"), "utlysningar-mall.csv")


@bp.get("/import/template.xlsx")
@allow(ANY_USER)
def template_xlsx_file():
    return tables.response(tables.Table(template_xlsx(locale()), tables.XLSX_MIME, "xlsx"), "utlysningar-mall.xlsx")


# --- Export and feeds ---------------------------------------------------------------------------


@bp.get("/export.csv")
@allow(ANY_USER)
def export_csv():
    calls = queries.all_calls(queries.filters_from_args(request.args))
    return tables.response(calls_table(calls, "csv", locale()), "utlysningar.csv")


@bp.get("/export.xlsx")
@allow(ANY_USER)
def export_xlsx():
    calls = queries.all_calls(queries.filters_from_args(request.args))
    return tables.response(calls_table(calls, "xlsx", locale()), "utlysningar.xlsx")


@bp.get("/calls.ics")
@allow(PUBLIC)
def calls_ics():
    """The public feed of calls (calls are public information), with the list's filters."""
    calls = queries.all_calls(queries.filters_from_args(request.args))
    base = url_for("calendar.index", _external=True).rstrip("/") + "/calls"
    body = calls_to_ics(with_links(calls, base), utcnow(), calendar_name=_("Utlysningar"), lang=locale())
    return ics_response(body, "utlysningar.ics")


@bp.get("/feed")
@allow(ANY_USER)
def feed():
    return render_template("calendar/feed.html", form=SimpleForm(), token=None,
                           has_token=service.has_feed_token(current_user), public_url=_public_feed_urls())


@bp.post("/feed")
@allow(ANY_USER)
def feed_new():
    if not SimpleForm().validate_on_submit():
        return redirect(url_for("calendar.feed"))
    token = service.new_feed_token(current_user)
    url = url_for("feeds.personal_feed", key=token, _external=True)
    return render_template("calendar/feed.html", form=SimpleForm(), token=token, has_token=True,
                           feed_url=url, webcal_url=webcal_url(url), public_url=_public_feed_urls())


def _public_feed_urls() -> dict[str, str]:
    url = url_for("calendar.calls_ics", _external=True)
    return {"https": url, "webcal": webcal_url(url)}
