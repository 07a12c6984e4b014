"""Writes around a snabbdialog: presentations, the chair's notes and timing, follow-up and horizon notes.

Each function validates, changes, records an audit entry and commits in one transaction; bad
input raises InputError naming the field and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.service import diff, record, transaction
from ..auth.access import permit
from ..clock import STOCKHOLM
from ..db_types import utcnow
from ..directory.models import Organisation, Region
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from . import access
from . import presentation as core
from .models import DialogueRound, Slot
from .models_followup import (
    ACTION_STATUSES,
    HORIZON_MAX_YEARS,
    HORIZON_MIN_YEARS,
    OWNER_KINDS,
    Feedback,
    FollowUpAction,
    HorizonNote,
    Presentation,
    SlotNote,
    SlotTiming,
)
from .rendering import DEFAULT_TEMPLATE_DIR

NOTE_MAX_CHARS = 5000
TEXT_MAX_CHARS = 4000


# --- templates -------------------------------------------------------------------------------


def presentation_templates() -> list[core.TemplateSpec]:
    """The presentation templates in dialogue_templates/ (read from disk: adding a folder adds one)."""
    return [t for t in core.load_templates(DEFAULT_TEMPLATE_DIR) if t.kind == "presentation"]


def agenda_template() -> core.TemplateSpec:
    return core.get_template(core.load_templates(DEFAULT_TEMPLATE_DIR), "agenda")


def template_for(template_id: str | None) -> core.TemplateSpec:
    templates = presentation_templates()
    if not templates:
        raise InputError(FieldError("template_id", "Det finns ingen presentationsmall.",
                                    "There is no presentation template."))
    if not template_id:
        return templates[0]
    for spec in templates:
        if spec.id == template_id:
            return spec
    raise InputError(FieldError("template_id", f"Mallen '{template_id}' finns inte.",
                                f"Template '{template_id}' does not exist."))


# --- permissions -----------------------------------------------------------------------------


def may_edit_presentation(user, region: Region) -> bool:
    return access.can_edit_presentation(user, region)


# --- presentations ---------------------------------------------------------------------------


def save_presentation(round_: DialogueRound, region: Region, template_id: str | None,
                      content: Mapping[str, Any], actor, *, ready: bool = True) -> Presentation:
    """Save the presentation as ready (every required field filled in) or as a draft to come back to."""
    permit(actor, lambda user: access.can_edit_presentation(user, region))
    template = template_for(template_id)
    problems = core.validate_content(template, content, complete=ready)
    if problems:
        raise InputError([FieldError(p.field, p.message_sv, p.message_en) for p in problems])
    try:
        return _store_presentation(round_, region, template, content, actor, ready)
    except IntegrityError:
        # Two first saves at the same moment: the unique (round, region) constraint kept one.
        raise Conflict("content", "Presentationen sparades samtidigt av någon annan. Ladda om sidan och försök igen.",
                       "The presentation was saved by someone else at the same moment. Reload and try again.",
                       code="presentation_conflict") from None


def _store_presentation(round_, region, template, content, actor, ready: bool = True) -> Presentation:
    with transaction():
        existing = db.session.scalar(select(Presentation).where(
            Presentation.round_id == round_.id, Presentation.region_id == region.id))
        before = ({"template_id": existing.template_id, "content": existing.content, "ready": existing.ready}
                  if existing else {})
        if existing is None:
            existing = Presentation(round_id=round_.id, region_id=region.id)
            db.session.add(existing)
        existing.template_id = template.id
        existing.content = dict(content)
        existing.ready = ready
        existing.updated_by_id = actor.id
        existing.updated_at = utcnow()
        db.session.flush()
        record("dialogue.presentation.save", existing, actor=actor,
               summary=f"{region.name}: presentation for '{round_.theme}'" + ("" if ready else " (utkast)"),
               changes=diff(before, {"template_id": template.id, "content": dict(content), "ready": ready}))
    return existing


# --- running the session ---------------------------------------------------------------------


def add_slot_note(slot: Slot, text: str, actor) -> SlotNote:
    permit(actor, lambda user: access.can_chair_round(user, slot.round))
    text = (text or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise InputError(FieldError("text", f"Anteckningen får vara högst {NOTE_MAX_CHARS} tecken.",
                                    f"The note may be at most {NOTE_MAX_CHARS} characters."))
    with transaction():
        note = SlotNote(slot_id=slot.id, text=text, author_id=actor.id, created_at=utcnow())
        db.session.add(note)
        db.session.flush()
        record("dialogue.slot.note", note, actor=actor, summary=f"note on slot {slot.id}",
               changes={"text": {"from": None, "to": text}})
    return note


def start_slot(slot: Slot, actor, now: datetime | None = None) -> SlotTiming:
    """The chair starts a presenter's ten minutes; any other running slot of the round ends."""
    permit(actor, lambda user: access.can_chair_round(user, slot.round))
    now = now or utcnow()
    with transaction():
        slot_ids = select(Slot.id).where(Slot.round_id == slot.round_id)
        running = db.session.scalars(select(SlotTiming).where(
            SlotTiming.slot_id.in_(slot_ids), SlotTiming.started_at.is_not(None),
            SlotTiming.ended_at.is_(None), SlotTiming.slot_id != slot.id))
        for other in running:
            other.ended_at = now
        timing = db.session.scalar(select(SlotTiming).where(SlotTiming.slot_id == slot.id))
        if timing is None:
            timing = SlotTiming(slot_id=slot.id)
            db.session.add(timing)
        timing.started_at, timing.ended_at = now, None
        db.session.flush()
        record("dialogue.slot.start", timing, actor=actor, summary=f"slot {slot.id} started")
    return timing


def end_slot(slot: Slot, actor, now: datetime | None = None) -> SlotTiming:
    permit(actor, lambda user: access.can_chair_round(user, slot.round))
    now = now or utcnow()
    timing = db.session.scalar(select(SlotTiming).where(SlotTiming.slot_id == slot.id))
    if timing is None or timing.started_at is None:
        raise Conflict("slot", "Presentationen har inte startats.", "The presentation has not been started.")
    with transaction():
        timing.ended_at = now
        record("dialogue.slot.end", timing, actor=actor, summary=f"slot {slot.id} ended")
    return timing


# --- follow-up -------------------------------------------------------------------------------


def _text(value: str | None, field: str, label_sv: str, label_en: str, required: bool = True,
          limit: int = TEXT_MAX_CHARS) -> tuple[str, list[FieldError]]:
    value = (value or "").strip()
    if required and not value:
        return value, [FieldError(field, f"{label_sv} måste fyllas i.", f"{label_en} is required.")]
    if len(value) > limit:
        return value, [FieldError(field, f"{label_sv}: högst {limit} tecken.",
                                  f"{label_en}: at most {limit} characters.")]
    return value, []


def _date(value: date | str | None, field: str, label_sv: str, label_en: str) -> tuple[date | None, list[FieldError]]:
    if isinstance(value, date):
        return value, []
    try:
        return date.fromisoformat((value or "").strip()), []
    except ValueError:
        return None, [FieldError(field, f"{label_sv}: ange ett datum som ÅÅÅÅ-MM-DD.",
                                 f"{label_en}: give a date as YYYY-MM-DD.")]


def add_action(round_: DialogueRound, *, region: Region | None, owner_kind: str, owner: Organisation | None,
               description: str, due_date: date | str | None, actor) -> FollowUpAction:
    permit(actor, lambda user: access.can_follow_up(user, round_, region))
    errors: list[FieldError] = []
    if owner_kind not in OWNER_KINDS:
        errors.append(FieldError("owner_kind", "Ange om en region eller en myndighet äger åtgärden.",
                                 "Say whether a region or an agency owns the action."))
    if owner is None:
        errors.append(FieldError("owner", "Ange vem som äger åtgärden.", "Give the owner of the action."))
    elif owner_kind == "region" and owner.kind != "region":
        errors.append(FieldError("owner", "Ägaren ska vara en region.", "The owner must be a region."))
    elif owner_kind == "agency" and owner.kind == "region":
        errors.append(FieldError("owner", "Ägaren ska vara en nationell aktör, inte en region.",
                                 "The owner must be a national actor, not a region."))
    description, errs = _text(description, "description", "Beskrivning", "Description")
    errors += errs
    due, errs = _date(due_date, "due_date", "Förfallodatum", "Due date")
    errors += errs
    if errors:
        raise InputError(errors)
    with transaction():
        action = FollowUpAction(round_id=round_.id, region_id=region.id if region else None, owner_kind=owner_kind,
                                owner_organisation_id=owner.id, description=description, due_date=due,
                                status="open", created_by_id=actor.id)
        db.session.add(action)
        db.session.flush()
        record("dialogue.action.add", action, actor=actor, summary=description[:200],
               changes={"owner": {"from": None, "to": owner.slug}, "due_date": {"from": None, "to": due}})
    return action


def set_action_status(action: FollowUpAction, status: str, actor) -> FollowUpAction:
    permit(actor, lambda user: access.can_update_action(user, action))
    if status not in ACTION_STATUSES:
        raise InputError(FieldError("status", "Status ska vara öppen, klar eller struken.",
                                    "Status must be open, done or dropped."))
    with transaction():
        before = action.status
        action.status = status
        record("dialogue.action.status", action, actor=actor, summary=f"{before} -> {status}",
               changes={"status": {"from": before, "to": status}})
    return action


def add_feedback(round_: DialogueRound, *, region: Region | None, organisation: Organisation | None,
                 led_to: str, reported_on: date | str | None, actor) -> Feedback:
    permit(actor, lambda user: access.can_follow_up(user, round_, region))
    errors: list[FieldError] = []
    if organisation is None:
        errors.append(FieldError("organisation", "Ange vem som återkopplar.", "Give who reports back."))
    elif not access.can_report_for(actor, organisation):
        errors.append(FieldError("organisation", "En regional strateg återkopplar för sin egen region.",
                                 "A regional strategist reports back for her own region."))
    led_to, errs = _text(led_to, "led_to", "Vad dialogen ledde till", "What the dialogue led to")
    errors += errs
    day, errs = _date(reported_on, "reported_on", "Datum", "Date")
    errors += errs
    if day is not None and day > utcnow().astimezone(STOCKHOLM).date():
        errors.append(FieldError("reported_on", "Datum: återkopplingen kan inte vara daterad i framtiden.",
                                 "Date: the feedback cannot be dated in the future."))
    if errors:
        raise InputError(errors)
    with transaction():
        entry = Feedback(round_id=round_.id, region_id=region.id if region else None, organisation_id=organisation.id,
                         led_to=led_to, reported_on=day, created_by_id=actor.id)
        db.session.add(entry)
        db.session.flush()
        record("dialogue.feedback.add", entry, actor=actor, summary=led_to[:200])
    return entry


# --- Spaningsgruppen -------------------------------------------------------------------------


def add_horizon_note(round_: DialogueRound, *, signal: str, horizon_years: int | str | None, eu_source: str,
                     relevance: str, organisation: Organisation | None, actor) -> HorizonNote:
    permit(actor, lambda user: access.can_add_horizon_note(user, round_))
    errors: list[FieldError] = []
    if round_.kind != "spaning":
        errors.append(FieldError("round", "Spaningar hör till Spaningsgruppens rundor.",
                                 "Horizon notes belong to Spaningsgruppen rounds."))
    signal, errs = _text(signal, "signal", "Spaning", "Signal", limit=500)
    errors += errs
    try:
        years = int(str(horizon_years).strip())
    except (TypeError, ValueError):
        years = None
    if years is None or not HORIZON_MIN_YEARS <= years <= HORIZON_MAX_YEARS:
        errors.append(FieldError("horizon_years",
                                 f"Tidshorisont: ange ett helt antal år, {HORIZON_MIN_YEARS}–{HORIZON_MAX_YEARS}.",
                                 f"Horizon: give whole years, {HORIZON_MIN_YEARS}–{HORIZON_MAX_YEARS}."))
    eu_source, errs = _text(eu_source, "eu_source", "EU-källa", "EU source", required=False, limit=500)
    errors += errs
    relevance, errs = _text(relevance, "relevance", "Relevans för Sverige", "Relevance for Sweden")
    errors += errs
    if errors:
        raise InputError(errors)
    with transaction():
        note = HorizonNote(round_id=round_.id, signal=signal, horizon_years=years, eu_source=eu_source,
                           relevance=relevance, organisation_id=organisation.id if organisation else None,
                           created_by_id=actor.id)
        db.session.add(note)
        db.session.flush()
        record("dialogue.horizon_note.add", note, actor=actor, summary=signal[:200])
    return note
