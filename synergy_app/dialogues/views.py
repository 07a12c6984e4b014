"""Snabbdialog pages: rounds, invitations, answers, scheduling, bookings and calendar downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_USER, allow, require
from ..auth.models import User
from ..clock import today_local, utcnow
from ..directory import queries as directory
from ..directory.models import Region
from ..errors import Conflict, InputError, NotFound
from ..extensions import db
from ..i18n import locale, pick
from ..int_params import page_arg
from ..priorities import public as priorities_public
from ..priorities.models import Area
from ..submissions import submitted_once
from . import access, answer_form, invitations_ics, placements, queries, round_state, schedule_page, service
from .forms import AcknowledgeForm, InviteForm, MoveForm, RoundForm
from .labels import ANSWER_LABELS, STATUS_LABELS, rule_label
from .models import ROUND_STATUSES, DialogueRound

bp = Blueprint("dialogues", __name__, url_prefix="/dialogues")


@bp.app_template_filter("round_status")
def _round_status(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


@bp.app_template_filter("answer_label")
def _answer_label(value: str) -> str:
    return str(ANSWER_LABELS.get(value, value))


@bp.app_template_filter("schedule_rule")
def _schedule_rule(value: str) -> str:
    return rule_label(value)


@bp.app_template_filter("isodt")
def _isodt(value: str) -> str:
    from datetime import datetime

    from ..formatting import format_datetime
    return format_datetime(datetime.fromisoformat(value))


@bp.app_template_filter("day_heading")
def _day_heading(value) -> str:
    """A day as a heading over its slots, written out: "tisdag 10 september 2030", "Tuesday 10 September 2030"."""
    from babel.dates import format_date

    return format_date(value, "EEEE d MMMM y", locale=locale())


def _message(exc) -> str:
    error = exc.error if isinstance(exc, Conflict) else exc.first
    return error.message(locale())


def _put_errors(form, exc: InputError) -> None:
    """Show service errors next to the fields they name (the summary at the top links to them), and the
    others in the summary itself."""
    form.summary = getattr(form, "summary", [])
    for error in exc.errors:
        message = error.message(locale())
        name = error.field.split("[", 1)[0].split(".", 1)[0]
        target = getattr(form, name, None)
        if target is not None and isinstance(getattr(target, "errors", None), list | tuple) \
                and not hasattr(target, "entries"):
            target.errors = [*target.errors, message]
        else:
            form.summary.append(message)


def _status(form) -> int:
    if request.method == "GET":
        return 200
    return 400 if (getattr(form, "summary", None) or any(f.errors for f in form)) else 200


def _planner_may_edit(round_: DialogueRound) -> bool:
    return access.can_manage_round(current_user, round_)


def _require_planner(round_: DialogueRound) -> None:
    require(_planner_may_edit(round_), current_user)


# ---------------------------------------------------------------------------------------------
# rounds


@bp.get("/")
@allow(ANY_USER)
def index():
    return _index_page()


def _index_page(status_code: int = 200):
    """The rounds page."""
    status = request.args.get("status") or None
    if status not in (None, *ROUND_STATUSES):
        status = None
    page = page_arg()
    rounds, total = queries.rounds_page(page, status)
    region = current_user.region if current_user.role == "strategist" else None
    return render_template("dialogues/index.html", rounds=rounds, total=total, page=page, region=region,
                           region_invitations=queries.invitations_for_region(region.id) if region else [],
                           page_size=queries.PAGE_SIZE, status=status, statuses=ROUND_STATUSES,
                           may_plan_rounds=access.can_plan_rounds(current_user)), status_code


def _round_form_choices(form: RoundForm) -> None:
    agencies = directory.organisations("national_agency")
    form.lead_organisation.choices = [("", _("Välj myndighet"))] + [(a.slug, a.name) for a in agencies]
    areas = []
    for agency in agencies:
        areas += [(area.slug, f"{agency.name}: {area.title}") for area in priorities_public.organisation_areas(agency)]
    form.lead_area.choices = [("", _("Välj område"))] + areas
    form.agencies.choices = [(a.slug, a.name) for a in agencies]
    planners = db.session.scalars(select(User).where(User.role.in_(("planner", "admin")), User.active.is_(True))
                                  .order_by(User.name, User.email).limit(200))
    form.people.choices = [(u.id, f"{u.name or u.email} ({u.email})") for u in planners]


def _round_data(form: RoundForm) -> service.RoundData:
    meetings = []
    for index, entry in enumerate(form.meetings.entries):
        day, start, end = entry.form.day.data, entry.form.start.data, entry.form.end.data
        if not (day or start or end):
            continue
        if not (day and start and end):
            raise InputError(service.FieldError(
                f"meetings[{index}]", f"Möte {index + 1}: ange datum, starttid och sluttid.",
                f"Meeting {index + 1}: give the date, start and end time."))
        meetings.append(service.local_interval(day, start, end))
    return service.RoundData(
        theme=form.theme.data or "", description=form.description.data or "", kind=form.kind.data,
        lead_organisation=form.lead_organisation.data or None, lead_area=form.lead_area.data or None,
        agencies=list(form.agencies.data or []), people=list(form.people.data or []),
        meetings=meetings, meeting_link=(form.meeting_link.data or "").strip() or None,
        recorded=form.recorded.data,
        presentation_minutes=form.presentation_minutes.data, questions_minutes=form.questions_minutes.data,
        buffer_minutes=form.buffer_minutes.data, recurrence=form.recurrence.data)


def _prefill_area(form: RoundForm, slug: str) -> None:
    """A round started from an area's page of matching regions: that area, led by its agency."""
    area = db.session.scalar(select(Area).where(Area.slug == slug.strip(), Area.archived.is_(False)))
    if area is None or area.slug not in {value for value, _label in form.lead_area.choices}:
        form.lead_area.errors = [_("Området %(area)s finns inte bland de nationella myndigheternas områden; "
                                   "välj ett i listan.", area=slug)]
        return
    form.lead_organisation.data = area.organisation.slug
    form.lead_area.data = area.slug
    form.theme.data = pick(area.title, area.title_en or area.title)


@bp.route("/new", methods=["GET", "POST"])
@allow("planner")
@submitted_once
def create():
    require(access.can_plan_rounds(current_user), current_user)
    form = RoundForm()
    _round_form_choices(form)
    if request.method == "GET" and current_user.organisation is not None:
        form.lead_organisation.data = current_user.organisation.slug
        form.people.data = [current_user.id]
    if request.method == "GET" and request.args.get("area"):
        _prefill_area(form, request.args["area"])
    if form.validate_on_submit():
        try:
            round_ = service.create_round(_round_data(form), current_user)
        except InputError as exc:
            _put_errors(form, exc)
        else:
            flash(_("Omgången är skapad. Bjud in regionerna härnäst."), "success")
            return redirect(url_for("dialogues.round_page", id=round_.id), 303)
    return render_template("dialogues/round_form.html", form=form, round=None), _status(form)


@bp.route("/<int:id>/edit", methods=["GET", "POST"])
@allow("planner")
def edit(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    form = RoundForm(obj=None if request.method == "POST" else round_)
    _round_form_choices(form)
    if request.method == "GET":
        form.lead_organisation.data = round_.lead_organisation.slug
        form.lead_area.data = round_.lead_area.slug if round_.lead_area else ""
        form.agencies.data = [a.slug for a in round_.agencies]
        form.people.data = [u.id for u in round_.people]
        for index, meeting in enumerate(round_.meetings[: form.meetings.max_entries]):
            if index >= len(form.meetings.entries):
                form.meetings.append_entry()
            start = meeting.starts_at.astimezone(service.STOCKHOLM)
            end = meeting.ends_at.astimezone(service.STOCKHOLM)
            entry = form.meetings.entries[index].form
            entry.day.data, entry.start.data, entry.end.data = start.date(), start.time(), end.time()
    if form.validate_on_submit():
        try:
            service.update_round(round_, _round_data(form), current_user)
        except InputError as exc:
            _put_errors(form, exc)
        else:
            flash(_("Omgången är sparad."), "success")
            return redirect(url_for("dialogues.round_page", id=round_.id), 303)
    return render_template("dialogues/round_form.html", form=form, round=round_), _status(form)


@bp.get("/<int:id>")
@allow(ANY_USER)
def round_page(id: int):
    return _round_page(queries.round_or_404(id))


def _round_page(round_: DialogueRound, booking_error: str | None = None, status: int = 200):
    """The round's page; `booking_error` says at the slot picker why a booking was refused."""
    slots = queries.slots_with_bookings(round_)
    region = current_user.region if current_user.role == "strategist" else None
    own_booking = queries.region_booking(round_, region.id if region else None)
    own_invitation = queries.region_invitation(round_, region.id if region else None)
    invitations = sorted(round_.invitations, key=lambda i: i.region.name)
    may_plan = _planner_may_edit(round_)
    move_choices = [(s.id, s.starts_at) for s, b in slots]
    pending_warnings = 0
    if may_plan and round_.status not in round_state.HELD:
        try:
            pending_warnings = len(service.pending_warnings(round_))
        except InputError:  # a schedule that cannot be computed is explained on the schedule page
            pending_warnings = 0
    state = round_state.round_state(
        round_.status, invitations, {b.region_id for _s, b in slots if b}, sum(1 for _s, b in slots if b is None),
        pending_warnings,
        queries.followup_counts(round_, today_local()) if round_.status in round_state.HELD else None)
    return render_template(
        "dialogues/round.html", round=round_, slots=slots, slot_days=schedule_page.by_day(slots),
        invitations=invitations, region=region,
        own_booking=own_booking, own_invitation=own_invitation, may_plan=may_plan, pending_warnings=pending_warnings,
        state=state,
        may_book=bool(region) and round_.status in service.OPEN_FOR_BOOKING and own_booking is None
        and (own_invitation is None or own_invitation.answer != "no"),
        move_choices=move_choices, lead=queries.lead_label(round_), series=queries.series_rounds(round_),
        cancellable={b.id for _s, b in slots if b and access.can_cancel_booking(current_user, b)},
        movable={b.id for _s, b in slots if b and access.can_move_booking(current_user, b)},
        may_repeat=may_plan and round_.recurrence in service.SERIES_MONTHS,
        bookable=_bookable(slots), booking_error=booking_error), status


def _bookable(slots) -> set[int]:
    """The slots a region may still pick: free, and not begun."""
    now = utcnow()
    return {s.id for s, b in slots if b is None and s.starts_at > now}


@bp.post("/<int:id>/next")
@allow("planner")
@submitted_once
def next_in_series(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    try:
        new = service.create_next_in_series(round_, current_user)
    except (InputError, Conflict) as exc:
        flash(_message(exc), "error")
        return redirect(url_for("dialogues.round_page", id=id), 303)
    flash(_("Nästa omgång i serien är skapad som utkast. Kontrollera datumen och bjud in regionerna."), "success")
    return redirect(url_for("dialogues.round_page", id=new.id), 303)


@bp.post("/<int:id>/status")
@allow("planner")
def change_status(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    service.set_status(round_, request.form.get("status", ""), current_user)
    flash(_("Status ändrad."), "success")
    return redirect(url_for("dialogues.round_page", id=id), 303)


@bp.post("/<int:id>/cancel")
@allow("planner")
def cancel_round(id: int):
    """Cancel the whole round (the form on the round page asks to confirm)."""
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    try:
        service.cancel_round(round_, current_user, confirmed=request.form.get("confirm") == "yes")
    except (InputError, Conflict) as exc:
        flash(_message(exc), "error")
    else:
        flash(_("Omgången är inställd. Alla inbjudna och bokade får en avbokning (METHOD:CANCEL)."), "success")
    return redirect(url_for("dialogues.round_page", id=id), 303)


# ---------------------------------------------------------------------------------------------
# invitations


@bp.route("/<int:id>/invite", methods=["GET", "POST"])
@allow("planner")
@submitted_once
def invite(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    rows, matched = queries.matched_regions(round_)
    invited = {i.region_id for i in round_.invitations}
    form = InviteForm()
    form.regions.choices = [(row["region"].id, row["region"].name) for row in rows]
    if form.validate_on_submit():
        reasons = {row["region"].id: row["reason"] for row in rows if row["reason"]}
        try:
            created = service.invite_regions(round_, list(form.regions.data or []), current_user, reasons)
        except InputError as exc:
            _put_errors(form, exc)
        else:
            flash(_("%(n)s regioner inbjudna.", n=len(created)), "success")
            return redirect(url_for("dialogues.round_page", id=id), 303)
    return render_template("dialogues/invite.html", round=round_, rows=rows, matched=matched, invited=invited,
                           form=form), _status(form)


@bp.route("/<int:id>/answer", methods=["GET", "POST"])
@allow("strategist")
def answer(id: int):
    round_ = queries.round_or_404(id)
    region = queries.region_to_act_for(current_user, request.values.get("region"))
    require(access.can_act_for_region(current_user, region), current_user)
    invitation = queries.region_invitation(round_, region.id)
    if invitation is None:
        raise NotFound("invitation", f"{round_.id}/{region.slug}")
    people = answer_form.region_people(region)
    if request.method == "GET":
        choices = answer_form.from_invitation(invitation, people)
    else:
        choices = answer_form.read(request.form, people, request.form.getlist)
        if not choices.errors:
            try:
                service.answer_invitation(invitation, choices.answer, answer_form.presenters_text(choices),
                                          answer_form.unavailable_text(choices), choices.comment, current_user)
            except InputError as exc:
                for error in exc.errors:
                    choices.errors.setdefault(answer_form.SERVICE_FIELDS.get(error.field, "presenters"), []).append(
                        error.message(locale()))
            else:
                flash(_("Tack, svaret är sparat."), "success")
                return redirect(url_for("dialogues.round_page", id=id), 303)
        answer_form.pad(choices)
    return render_template("dialogues/answer.html", round=round_, region=region, invitation=invitation,
                           choices=choices), 400 if choices.errors else 200


@bp.post("/<int:id>/send")
@allow("planner")
def send(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    try:
        service.send_invitations(round_, current_user)
    except (InputError, Conflict) as exc:
        flash(_message(exc), "error")
        return redirect(url_for("dialogues.schedule", id=id), 303)
    flash(_("Inbjudningarna är skickade. Ladda ner kalenderinbjudan eller e-postmeddelandet nedan."), "success")
    return redirect(url_for("dialogues.round_page", id=id), 303)


# ---------------------------------------------------------------------------------------------
# scheduling


@bp.get("/<int:id>/schedule")
@allow("planner")
def schedule(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    return _schedule_page(round_)


def _schedule_page(round_: DialogueRound, form: AcknowledgeForm | None = None, status: int = 200):
    result = service.compute_schedule(round_)
    acknowledged = service.acknowledged_keys(round_)
    warnings = service.round_warnings(round_, result)
    form = form or AcknowledgeForm()
    form.keys.choices = [(w.key, w.key) for w in warnings if w.key not in acknowledged]
    slots = queries.slots_with_bookings(round_)
    regions = {r.slug: r for r in db.session.scalars(select(Region))}
    by_id = {r.id: r for r in regions.values()}
    running = result.running_order.get(round_.id, ())
    days = schedule_page.slot_days(slots, {a.slot_id: a.region for a in running}, regions, by_id)
    return render_template(
        "dialogues/schedule.html", round=round_, result=result, warnings=warnings, acknowledged=acknowledged,
        conflicts=service.round_conflicts(round_, result), running=running, days=days, regions=regions,
        form=form, presenting=[i for i in round_.invitations if i.answer == "yes"],
        placeable=placements.presenting_regions(round_), closed=round_.status in placements.CLOSED,
        region_names=lambda slugs: schedule_page.region_names(slugs, regions)), status


def _slot_of(round_: DialogueRound, slot_id: int):
    slot = queries.slot_or_404(slot_id)
    if slot.round_id != round_.id:
        abort(404)
    return slot


def _posted_region() -> Region | None:
    slug = (request.form.get("region") or "").strip()
    return db.session.scalar(select(Region).where(Region.slug == slug)) if slug else None


def _placement(id: int, slot_id: int, change, done_message: str):
    """One per-slot action on the schedule page; back to the slot's row with the outcome."""
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    slot = _slot_of(round_, slot_id)
    try:
        change(round_, slot)
    except (InputError, Conflict) as exc:
        flash(_message(exc), "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("dialogues.schedule", id=id, _anchor=f"slot-{slot_id}"), 303)


@bp.post("/<int:id>/schedule/slots/<int:slot_id>/lock")
@allow("planner")
def lock_slot(id: int, slot_id: int):
    return _placement(id, slot_id, lambda r, s: placements.lock_slot(r, s, _posted_region(), current_user),
                      _("Passet är låst. Förslaget håller regionen där och lägger de andra runt den."))


@bp.post("/<int:id>/schedule/slots/<int:slot_id>/unlock")
@allow("planner")
def unlock_slot(id: int, slot_id: int):
    return _placement(id, slot_id, lambda r, s: placements.unlock_slot(r, s, current_user),
                      _("Passet är upplåst. Förslaget får flytta regionen igen."))


@bp.post("/<int:id>/schedule/slots/<int:slot_id>/accept")
@allow("planner")
def accept_slot(id: int, slot_id: int):
    return _placement(id, slot_id, lambda r, s: placements.accept_placement(r, s, _posted_region(), current_user),
                      _("Placeringen är godkänd och bokad. Regionen får en kalenderinbjudan."))


@bp.post("/<int:id>/schedule/acknowledge")
@allow("planner")
def acknowledge(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    try:
        service.acknowledge_warnings(round_, request.form.getlist("keys"), current_user)
    except InputError as exc:
        form = AcknowledgeForm()
        _put_errors(form, exc)
        return _schedule_page(round_, form, 400)
    flash(_("Varningarna är kvitterade."), "success")
    return redirect(url_for("dialogues.schedule", id=id), 303)


@bp.post("/<int:id>/schedule/apply")
@allow("planner")
def apply_schedule(id: int):
    round_ = queries.round_or_404(id)
    _require_planner(round_)
    try:
        changed = service.apply_schedule(round_, current_user)
    except (InputError, Conflict) as exc:
        flash(_message(exc), "error")
        return redirect(url_for("dialogues.schedule", id=id), 303)
    flash(_("Schemat är lagt; %(n)s bokningar skapade eller flyttade. De berörda får uppdaterade inbjudningar.",
            n=len(changed)), "success")
    return redirect(url_for("dialogues.round_page", id=id), 303)


# ---------------------------------------------------------------------------------------------
# bookings


@bp.post("/slots/<int:id>/book")
@allow("strategist")
def book(id: int):
    slot = queries.slot_or_404(id)
    region = queries.region_to_act_for(current_user, request.form.get("region"))
    require(access.can_act_for_region(current_user, region), current_user)
    round_id = slot.round_id
    try:
        service.book_slot(slot, region, current_user)
    except Conflict as exc:
        flash(_message(exc), "error")
        return redirect(url_for("dialogues.round_page", id=round_id), 303)
    flash(_("Passet är bokat. Ladda ner kalenderinbjudan och förbered presentationen."), "success")
    return redirect(url_for("dialogues.round_page", id=round_id), 303)


@bp.route("/<int:id>/book", methods=["GET", "POST"])
@allow("strategist")
def book_chosen(id: int):
    """The slot picker on the round's page: the free slot chosen among the round's (field `slot`).
    GET (a language switch on a refused booking's page) goes back to the round."""
    round_ = queries.round_or_404(id)
    if request.method == "GET":
        return redirect(url_for("dialogues.round_page", id=id, _anchor="book-heading"), 303)
    region = queries.region_to_act_for(current_user, request.form.get("region"))
    require(access.can_act_for_region(current_user, region), current_user)
    chosen = request.form.get("slot", type=int)
    slot = next((s for s in round_.slots if s.id == chosen), None)
    if slot is None:
        return _round_page(round_, _("Välj ett ledigt pass att boka."), status=400)
    try:
        service.book_slot(slot, region, current_user)
    except Conflict as exc:
        return _round_page(round_, _message(exc), status=409)
    flash(_("Passet är bokat. Ladda ner kalenderinbjudan och förbered presentationen."), "success")
    return redirect(url_for("dialogues.round_page", id=id), 303)


@bp.post("/bookings/<int:id>/cancel")
@allow("strategist", "planner")
def cancel(id: int):
    booking = queries.booking_or_404(id)
    require(access.can_cancel_booking(current_user, booking), current_user)
    try:
        service.cancel_booking(booking, current_user)
    except Conflict as exc:
        flash(_message(exc), "error")
    else:
        flash(_("Passet är avbokat. Ladda ner avbokningen (METHOD:CANCEL) så försvinner det ur kalendern."),
              "success")
    return redirect(url_for("dialogues.round_page", id=booking.round_id), 303)


@bp.route("/bookings/<int:id>/move", methods=["GET", "POST"])
@allow("planner")
def move(id: int):
    booking = queries.booking_or_404(id)
    require(access.can_move_booking(current_user, booking), current_user)
    if booking.cancelled_at is not None:
        abort(404)
    slots = queries.slots_with_bookings(booking.round)
    form = MoveForm()
    if form.validate_on_submit():
        target = queries.slot_or_404(form.slot.data)
        try:
            moved = service.move_booking(booking, target, current_user)
        except InputError as exc:
            _put_errors(form, exc)
        except Conflict as exc:
            form.slot.errors = [*form.slot.errors, _message(exc)]
        else:
            flash(_("Flyttat. %(n)s berörda bokningar har fått en ny version av kalenderinbjudan.", n=len(moved)),
                  "success")
            return redirect(url_for("dialogues.round_page", id=booking.round_id), 303)
    return render_template("dialogues/move.html", booking=booking, form=form,
                           slot_days=schedule_page.by_day(slots)), _status(form)


# ---------------------------------------------------------------------------------------------
# calendar downloads


def _ics_response(body: bytes, filename: str, method: str | None) -> Response:
    mimetype = "text/calendar"
    response = Response(body, mimetype=mimetype)
    params = "; charset=utf-8" + (f"; method={method}" if method else "")
    response.headers["Content-Type"] = mimetype + params
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _eml_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="message/rfc822")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _round_method() -> str:
    method = (request.args.get("method") or "REQUEST").upper()
    if method not in invitations_ics.METHODS:
        raise InputError(service.FieldError("method", "Metoden måste vara REQUEST eller CANCEL.",
                                            "The method must be REQUEST or CANCEL."))
    return method


def _cancel_suffix(method: str) -> str:
    """A cancellation downloads under its own name, so it is not mistaken for the invitation."""
    return "-installd" if method == "CANCEL" else ""


def _ics_call(builder, *args):
    try:
        return builder(*args)
    except service.validation.InvalidInput as exc:
        raise service._input_error(exc) from None


@bp.get("/<int:id>/invitation.ics")
@allow(ANY_USER)
def round_ics(id: int):
    round_ = queries.round_or_404(id)
    method = _round_method()
    body = _ics_call(queries.round_ics, round_, method, current_user)
    return _ics_response(body, f"snabbdialog-{round_.id}{_cancel_suffix(method)}.ics", method)


@bp.get("/<int:id>/invitation.eml")
@allow("planner")
def round_eml(id: int):
    round_ = queries.round_or_404(id)
    method = _round_method()
    return _eml_response(_ics_call(queries.round_email, round_, method, current_user),
                         f"snabbdialog-{id}{_cancel_suffix(method)}.eml")


@bp.get("/bookings/<int:id>/invitation.ics")
@allow(ANY_USER)
def booking_ics(id: int):
    booking = queries.booking_or_404(id)
    body = _ics_call(queries.booking_ics, booking, current_user)
    return _ics_response(body, f"snabbdialog-pass-{booking.id}.ics", queries.booking_method(booking))


@bp.get("/bookings/<int:id>/invitation.eml")
@allow("planner", "strategist")
def booking_eml(id: int):
    booking = queries.booking_or_404(id)
    require(access.can_cancel_booking(current_user, booking), current_user)
    return _eml_response(_ics_call(queries.booking_email, booking, current_user), f"snabbdialog-pass-{id}.eml")
