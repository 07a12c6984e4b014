"""Presentations (editor, PDF, PPTX), the round's agenda PDF and the chair's running-order page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.access import allow, current_actor, require
from ..db_types import utcnow
from ..directory import queries as directory
from ..directory.models import Region
from ..errors import FieldError, InputError, NotFound
from ..extensions import db
from ..i18n import locale, pick
from ..page_cache import follows_clock
from ..priorities import public as priorities_public
from ..submissions import submitted_once
from . import access
from . import presentation as core
from . import service_followup as service
from .forms_followup import SlotNoteForm, contact_rows, content_from_form, form_values
from .models import Booking, DialogueRound, Invitation, Slot
from .models_followup import Presentation, SlotNote, SlotTiming
from .queries import round_or_404, slot_or_404
from .rendering import TemplateRenderError, render_agenda_pdf, render_presentation_pdf, render_presentation_pptx

bp = Blueprint("dialogue_session", __name__, url_prefix="/dialogues")


def _invitation(round_: DialogueRound, region: Region) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                      Invitation.region_id == region.id))


def _booking(round_: DialogueRound, region: Region) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.round_id == round_.id, Booking.region_id == region.id,
                                                   Booking.cancelled_at.is_(None)))


def _participating(round_: DialogueRound, region: Region) -> tuple[Invitation | None, Booking | None]:
    invitation, booking = _invitation(round_, region), _booking(round_, region)
    if invitation is None and booking is None:
        raise NotFound("invitation", f"{round_.id}/{region.slug}")
    return invitation, booking


def _presenter_names(invitation: Invitation | None) -> list[str]:
    people = (invitation.presenters if invitation else None) or []
    return [str(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")]


def _region_draft(template: core.TemplateSpec, round_: DialogueRound, region: Region) -> dict:
    """The first draft: the region's S3 priorities, the round's theme, the strategist as contact."""
    priorities = [{"name": p.title, "description": p.description, "keywords": p.keywords or []}
                  for p in priorities_public.region_priorities(region)]
    contacts = []
    user = current_actor()
    if user.role == "strategist" and user.region_id == region.id:
        contacts.append({"name": user.name or user.email, "role": _("Regional strateg"),
                         "organisation": region.name, "email": user.email})
    return core.prefill(template, {"name": region.name, "contacts": contacts}, priorities, round_.theme)


def _stored(round_: DialogueRound, region: Region) -> Presentation | None:
    return db.session.scalar(select(Presentation).where(Presentation.round_id == round_.id,
                                                        Presentation.region_id == region.id))


def _render_context(round_: DialogueRound, region: Region, invitation: Invitation | None,
                    booking: Booking | None) -> dict:
    starts_at = booking.slot.starts_at if booking and booking.slot else (
        round_.meetings[0].starts_at if round_.meetings else None)
    info = {"theme": round_.theme, "lead_agency": round_.lead_organisation.name}
    if round_.lead_area:
        info["lead_area"] = round_.lead_area.title
    if starts_at:
        info["starts_at"] = starts_at
    return {"region": {"name": region.name}, "round": info, "presenters": _presenter_names(invitation),
            "lang": locale()}


# --- presentation editor ---------------------------------------------------------------------


@bp.get("/rounds/<int:id>/my-presentation")
@allow("strategist")
def my_presentation(id: int):
    user = current_actor()
    if user.region is None:  # an admin without a region of her own
        raise NotFound("region", user.email)
    round_or_404(id)
    return redirect(url_for(".presentation", id=id, region=user.region.slug))


@bp.route("/rounds/<int:id>/regions/<region>/presentation", methods=["GET", "POST"])
@allow("planner", "strategist")
def presentation(id: int, region: str):
    round_ = round_or_404(id)
    region_obj = directory.region_by_key(region)
    if not access.can_see_presentation(current_actor(), region_obj):
        abort(403)
    invitation, booking = _participating(round_, region_obj)
    stored = _stored(round_, region_obj)
    can_edit = service.may_edit_presentation(current_actor(), region_obj)
    errors: dict[str, list[str]] = {}
    template = service.template_for(request.values.get("template_id") or (stored.template_id if stored else None))
    if request.method == "POST":
        require(can_edit, current_actor())
        content = content_from_form(template, request.form)
        ready = request.form.get("save") != "draft"  # "Save draft" keeps an unfinished presentation
        try:
            service.save_presentation(round_, region_obj, template.id, content, current_user, ready=ready)
        except InputError as exc:
            for error in exc.errors:
                errors.setdefault(error.field, []).append(error.message(locale()))
            status = 400
        else:
            flash(_("Presentationen är sparad.") if ready else _(
                "Utkastet är sparat. Presentationen är klar först när du sparar den som klar."), "success")
            return redirect(url_for(".presentation", id=id, region=region_obj.slug))
    else:
        content = stored.content if stored else _region_draft(template, round_, region_obj)
        status = 200
    estimate = core.estimate_speaking_time(template, content)
    return render_template(
        "dialogues/session/presentation.html", round=round_, region=region_obj, template=template,
        templates=service.presentation_templates(), values=form_values(template, content), errors=errors,
        estimate=estimate, format_duration=core.format_duration, stored=stored, can_edit=can_edit,
        booking=booking, invitation=invitation, contact_rows=contact_rows,
    ), status


def _download(round_id: int, region_key: str):
    round_ = round_or_404(round_id)
    region = directory.region_by_key(region_key)
    if not access.can_see_presentation(current_actor(), region):
        abort(403)
    invitation, booking = _participating(round_, region)
    stored = _stored(round_, region)
    template = service.template_for(stored.template_id if stored else None)
    content = stored.content if stored else _region_draft(template, round_, region)
    return template, content, _render_context(round_, region, invitation, booking), region


def _render_failed(exc: TemplateRenderError):
    raise InputError(FieldError(
        "template", f"Mallen kunde inte återges: {exc}. Inget har ändrats.",
        f"The template could not be rendered: {exc}. Nothing was changed."), status=422, code="template_error")


@bp.get("/rounds/<int:id>/regions/<region>/presentation.pdf")
@allow("planner", "strategist")
def presentation_pdf(id: int, region: str):
    template, content, context, region_obj = _download(id, region)
    try:
        data = render_presentation_pdf(template, content, context)
    except TemplateRenderError as exc:
        _render_failed(exc)
    return _file(data, "application/pdf", f"snabbdialog-{id}-{region_obj.slug}.pdf")


@bp.get("/rounds/<int:id>/regions/<region>/presentation.pptx")
@allow("planner", "strategist")
def presentation_pptx(id: int, region: str):
    template, content, context, region_obj = _download(id, region)
    try:
        data = render_presentation_pptx(template, content, context)
    except TemplateRenderError as exc:
        _render_failed(exc)
    mimetype = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    return _file(data, mimetype, f"snabbdialog-{id}-{region_obj.slug}.pptx")


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- agenda and running order ----------------------------------------------------------------


@dataclass
class RunRow:
    slot: Slot
    region: Region | None
    presenters: list[str]
    note: SlotNote | None
    timing: SlotTiming | None


@dataclass
class RunState:
    rows: list[RunRow]
    current: RunRow | None
    next_up: RunRow | None
    remaining_seconds: int | None
    # "chair" when the chair started the presenter, "clock" when read from the schedule.
    source: str | None
    limit_seconds: int


def running_state(rows: list[RunRow], now: datetime, limit_seconds: int) -> RunState:
    """Who presents now, who is next and how much of the ten minutes is left.

    The chair's start/stop wins; without it the schedule and the clock decide.
    """
    current, source, remaining = None, None, None
    started = [r for r in rows if r.timing and r.timing.started_at and r.timing.ended_at is None]
    if started:
        current = max(started, key=lambda r: r.timing.started_at)
        source = "chair"
        elapsed = (now - current.timing.started_at).total_seconds()
        remaining = int(limit_seconds - elapsed)
    else:
        for row in rows:
            if row.slot.starts_at <= now < row.slot.ends_at and not (row.timing and row.timing.ended_at):
                current, source = row, "clock"
                presentation_end = row.slot.starts_at + timedelta(seconds=limit_seconds)
                remaining = int((presentation_end - now).total_seconds())
                break
    # A presentation the chair has ended is never next again, even when it ended ahead of its slot.
    waiting = [r for r in rows if r.region is not None and not (r.timing and r.timing.ended_at)]
    if current is not None:
        later = [r for r in waiting if r.slot.starts_at > current.slot.starts_at]
    else:
        later = [r for r in waiting if r.slot.starts_at >= now]
    next_up = later[0] if later else None
    return RunState(rows, current, next_up, remaining, source, limit_seconds)


def _run_rows(round_: DialogueRound) -> list[RunRow]:
    slots = list(db.session.scalars(
        select(Slot).where(Slot.round_id == round_.id).order_by(Slot.starts_at)
        .options(selectinload(Slot.booking).selectinload(Booking.region))))
    slot_ids = [s.id for s in slots]
    invitations = {i.region_id: i for i in db.session.scalars(
        select(Invitation).where(Invitation.round_id == round_.id))}
    notes: dict[int, SlotNote] = {}
    if slot_ids:
        for note in db.session.scalars(select(SlotNote).where(SlotNote.slot_id.in_(slot_ids))
                                       .order_by(SlotNote.created_at, SlotNote.id)):
            notes[note.slot_id] = note  # the latest revision wins
    timings = {t.slot_id: t for t in db.session.scalars(
        select(SlotTiming).where(SlotTiming.slot_id.in_(slot_ids)))} if slot_ids else {}
    rows = []
    for slot in slots:
        region = slot.booking.region if slot.booking else None
        presenters = _presenter_names(invitations.get(region.id)) if region else []
        rows.append(RunRow(slot, region, presenters, notes.get(slot.id), timings.get(slot.id)))
    return rows


@bp.get("/rounds/<int:id>/agenda.pdf")
@allow("planner", "strategist", "reader", "taskforce")
def agenda_pdf(id: int):
    round_ = round_or_404(id)
    rows = _run_rows(round_)
    context = {
        "theme": round_.theme,
        "lead": {"agency": round_.lead_organisation.name,
                 **({"area": round_.lead_area.title} if round_.lead_area else {})},
        "agencies": [a.name for a in round_.agencies],
        "meeting_link": round_.meeting_link,
        "recorded": round_.recorded,
        "meetings": [{"starts_at": m.starts_at, "ends_at": m.ends_at} for m in round_.meetings],
        "lang": locale(),
        "slots": [{"starts_at": r.slot.starts_at, "ends_at": r.slot.ends_at,
                   **({"region": r.region.name} if r.region else {"kind": "buffer",
                                                                   "title": pick("Ledig tid", "Free slot")}),
                   "presenters": r.presenters} for r in rows],
    }
    if rows:
        context["starts_at"], context["ends_at"] = rows[0].slot.starts_at, rows[-1].slot.ends_at
    elif round_.meetings:
        context["starts_at"], context["ends_at"] = round_.meetings[0].starts_at, round_.meetings[-1].ends_at
    try:
        data = render_agenda_pdf(context, template=service.agenda_template())
    except TemplateRenderError as exc:
        _render_failed(exc)
    return _file(data, "application/pdf", f"snabbdialog-{id}-agenda.pdf")


@bp.get("/rounds/<int:id>/run")
@follows_clock(seconds=1)  # who presents now, and the seconds left, follow the clock
@allow("planner")
def run(id: int):
    return _run_page(round_or_404(id))


def _run_page(round_: DialogueRound, note_error: tuple[int, str, str] | None = None) -> str:
    """The chair's page; `note_error` (slot id, message, the text as typed) shows a refused note in place."""
    state = running_state(_run_rows(round_), utcnow(), round_.presentation_minutes * 60)
    return render_template("dialogues/session/run.html", round=round_, state=state, note_form=SlotNoteForm(),
                           format_duration=core.format_duration, note_max_chars=service.NOTE_MAX_CHARS,
                           note_error=note_error)


@bp.post("/slots/<int:id>/note")
@allow("planner")
@submitted_once
def slot_note(id: int):
    slot = slot_or_404(id)
    text = request.form.get("text", "")
    try:
        service.add_slot_note(slot, text, current_actor())
    except InputError as exc:
        # The running order again, with the reason beside the note and the text kept: not a bare error page.
        return _run_page(round_or_404(slot.round_id), (slot.id, exc.errors[0].message(locale()), text)), 400
    flash(_("Anteckningen är sparad."), "success")
    return redirect(url_for(".run", id=slot.round_id, _anchor=f"slot-{slot.id}"))


@bp.post("/slots/<int:id>/start")
@allow("planner")
def slot_start(id: int):
    slot = slot_or_404(id)
    service.start_slot(slot, current_actor())
    return redirect(url_for(".run", id=slot.round_id))


@bp.post("/slots/<int:id>/end")
@allow("planner")
def slot_end(id: int):
    slot = slot_or_404(id)
    service.end_slot(slot, current_actor())
    return redirect(url_for(".run", id=slot.round_id))
