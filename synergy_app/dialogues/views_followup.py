"""Follow-up of snabbdialoger: actions and återkoppling per round, a region's dialogue history and
Spaningsgruppen's horizon-scanning notes (open and overdue actions reach the start page through public.py)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..auth.access import ANY_USER, allow, current_actor, require
from ..clock import today_local
from ..directory import queries as directory
from ..directory.models import Organisation, Region
from ..errors import InputError
from ..extensions import db
from ..i18n import locale
from ..submissions import submitted_once
from . import access, queries
from . import service_followup as service
from .forms_followup import ActionForm, FeedbackForm, HorizonNoteForm
from .models import Booking, DialogueRound, Invitation
from .models_followup import Feedback, FollowUpAction, HorizonNote, Presentation
from .queries import round_or_404

bp = Blueprint("dialogue_followup", __name__, url_prefix="/dialogues")

HISTORY_LIMIT = 200


def _today() -> date:
    return today_local()


# --- a round's follow-up ---------------------------------------------------------------------


def _round_regions(round_: DialogueRound) -> list[Region]:
    ids = set(db.session.scalars(select(Invitation.region_id).where(Invitation.round_id == round_.id)))
    ids |= set(db.session.scalars(select(Booking.region_id).where(Booking.round_id == round_.id,
                                                                  Booking.cancelled_at.is_(None))))
    if not ids:
        return []
    return list(db.session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.name)))


def _national_organisations(round_: DialogueRound) -> list[Organisation]:
    orgs = {round_.lead_organisation.id: round_.lead_organisation}
    for agency in round_.agencies:
        orgs[agency.id] = agency
    others = db.session.scalars(select(Organisation).where(Organisation.kind.in_(("national_agency", "eu_body")))
                                .order_by(Organisation.name))
    for org in others:
        orgs.setdefault(org.id, org)
    return list(orgs.values())


def _forms(round_: DialogueRound, regions: list[Region]):
    user = current_actor()
    own_only = user.role == "strategist"
    region_choices = [(r.slug, r.name) for r in regions if not own_only or r.id == user.region_id]
    action_form, feedback_form = ActionForm(prefix="action"), FeedbackForm(prefix="feedback")
    action_form.region.choices = ([] if own_only else [("", _("Hela rundan"))]) + region_choices
    feedback_form.region.choices = list(action_form.region.choices)
    national = _national_organisations(round_)
    owner_choices = [(o.slug, o.name) for o in national] + [(r.organisation.slug, r.name) for r in regions]
    action_form.owner.choices = owner_choices
    if own_only and user.region is not None:
        feedback_form.organisation.choices = [(user.region.organisation.slug, user.region.name)]
    else:
        feedback_form.organisation.choices = owner_choices
    return action_form, feedback_form


def _render_followup(round_: DialogueRound, action_form=None, feedback_form=None, status: int = 200):
    regions = _round_regions(round_)
    default_action, default_feedback = _forms(round_, regions)
    if action_form is not None:
        action_form.region.choices = default_action.region.choices
        action_form.owner.choices = default_action.owner.choices
    if feedback_form is not None:
        feedback_form.region.choices = default_feedback.region.choices
        feedback_form.organisation.choices = default_feedback.organisation.choices
    actions = queries.followup_actions(round_)
    feedback = queries.followup_feedback(round_)
    user = current_actor()
    can_write = access.can_manage_round(user, round_) or any(access.can_follow_up(user, round_, r) for r in regions)
    return render_template(
        "dialogues/followup/round.html", round=round_, regions=regions, actions=actions, feedback=feedback,
        action_form=action_form or default_action, feedback_form=feedback_form or default_feedback,
        can_write=can_write, today=_today(),
    ), status


@bp.get("/rounds/<int:id>/follow-up")
@allow(ANY_USER)
def round_followup(id: int):
    return _render_followup(round_or_404(id))


def _optional_region(slug: str | None) -> Region | None:
    return directory.region_by_key(slug) if slug else None


def _optional_org(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _attach(form, exc: InputError, mapping: dict[str, str]) -> None:
    """Service errors beside the fields they name; the others in the summary at the top of the form."""
    form.summary = list(getattr(form, "summary", None) or [])
    for error in exc.errors:
        field = getattr(form, mapping.get(error.field, error.field), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), error.message(locale())]
        else:
            form.summary.append(error.message(locale()))


@bp.post("/rounds/<int:id>/follow-up/actions")
@allow("planner", "strategist")
@submitted_once
def add_action(id: int):
    round_ = round_or_404(id)
    form = ActionForm(prefix="action")
    try:
        service.add_action(round_, region=_optional_region(form.region.data), owner_kind=form.owner_kind.data,
                           owner=_optional_org(form.owner.data), description=form.description.data,
                           due_date=request.form.get("action-due_date"), actor=current_actor())
    except InputError as exc:
        _attach(form, exc, {})
        return _render_followup(round_, action_form=form, status=400)
    flash(_("Åtgärden är tillagd."), "success")
    return redirect(url_for(".round_followup", id=id, _anchor="actions-h"))


@bp.post("/follow-up/actions/<int:id>/status")
@allow("planner", "strategist")
def action_status(id: int):
    action = db.session.get(FollowUpAction, id)
    if action is None:
        abort(404)
    service.set_action_status(action, request.form.get("status", ""), current_actor())
    flash(_("Status är ändrad."), "success")
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for(".round_followup", id=action.round_id, _anchor="actions-h")
    return redirect(target)


@bp.post("/rounds/<int:id>/follow-up/feedback")
@allow("planner", "strategist")
@submitted_once
def add_feedback(id: int):
    round_ = round_or_404(id)
    form = FeedbackForm(prefix="feedback")
    try:
        service.add_feedback(round_, region=_optional_region(form.region.data),
                             organisation=_optional_org(form.organisation.data), led_to=form.led_to.data,
                             reported_on=request.form.get("feedback-reported_on"), actor=current_actor())
    except InputError as exc:
        _attach(form, exc, {})
        return _render_followup(round_, feedback_form=form, status=400)
    flash(_("Återkopplingen är sparad."), "success")
    return redirect(url_for(".round_followup", id=id, _anchor="feedback-h"))


# --- a region's dialogue history -------------------------------------------------------------


@bp.get("/regions/<key>")
@allow(ANY_USER)
def region_history(key: str):
    region = directory.region_by_key(key)
    invitations, bookings = queries.region_engagements(region.id)
    round_ids = set(invitations) | set(bookings)
    rounds = list(db.session.scalars(
        select(DialogueRound).where(DialogueRound.id.in_(round_ids))
        .options(selectinload(DialogueRound.lead_organisation), selectinload(DialogueRound.meetings))
        .order_by(DialogueRound.created_at.desc()).limit(HISTORY_LIMIT))) if round_ids else []
    presentations = {p.round_id: p for p in db.session.scalars(
        select(Presentation).where(Presentation.region_id == region.id))}
    actions: dict[int, list[FollowUpAction]] = {}
    for action in db.session.scalars(
            select(FollowUpAction).where(or_(FollowUpAction.region_id == region.id,
                                             FollowUpAction.owner_organisation_id == region.organisation_id))
            .options(selectinload(FollowUpAction.owner_organisation)).order_by(FollowUpAction.due_date)):
        actions.setdefault(action.round_id, []).append(action)
    feedback: dict[int, list[Feedback]] = {}
    for entry in db.session.scalars(
            select(Feedback).where(or_(Feedback.region_id == region.id,
                                       Feedback.organisation_id == region.organisation_id))
            .options(selectinload(Feedback.organisation)).order_by(Feedback.reported_on)):
        feedback.setdefault(entry.round_id, []).append(entry)
    user = current_actor()
    return render_template(
        "dialogues/followup/region.html", region=region, rounds=rounds, invitations=invitations,
        bookings=bookings, presentations=presentations, actions=actions, feedback=feedback, today=_today(),
        may_see_presentation=access.can_see_presentation(user, region),
    )


# --- Spaningsgruppen -------------------------------------------------------------------------


@bp.get("/spaning")
@allow(ANY_USER)
def spaning():
    rounds = list(db.session.scalars(
        select(DialogueRound).where(DialogueRound.kind == "spaning")
        .options(selectinload(DialogueRound.meetings), selectinload(DialogueRound.lead_organisation))
        .order_by(DialogueRound.created_at.desc()).limit(HISTORY_LIMIT)))
    notes: dict[int, list[HorizonNote]] = {}
    if rounds:
        for note in db.session.scalars(
                select(HorizonNote).where(HorizonNote.round_id.in_([r.id for r in rounds]))
                .options(selectinload(HorizonNote.organisation)).order_by(HorizonNote.created_at)):
            notes.setdefault(note.round_id, []).append(note)
    return render_template("dialogues/followup/spaning.html", rounds=rounds, notes=notes)


@bp.route("/rounds/<int:id>/horizon-notes", methods=["GET", "POST"])
@allow(ANY_USER)
@submitted_once
def horizon_notes(id: int):
    round_ = round_or_404(id)
    if round_.kind != "spaning":
        abort(404)
    form = HorizonNoteForm()
    status = 200
    user = current_actor()
    may_write = access.can_add_horizon_note(user, round_)
    if request.method == "POST":
        require(may_write, user)
        org = user.organisation if user.role == "planner" else (user.region.organisation if user.region else None)
        try:
            service.add_horizon_note(round_, signal=form.signal.data, horizon_years=request.form.get("horizon_years"),
                                     eu_source=form.eu_source.data, relevance=form.relevance.data,
                                     organisation=org, actor=user)
        except InputError as exc:
            _attach(form, exc, {})
            status = 400
        else:
            flash(_("Spaningen är sparad."), "success")
            return redirect(url_for(".horizon_notes", id=id))
    notes = list(db.session.scalars(
        select(HorizonNote).where(HorizonNote.round_id == round_.id)
        .options(selectinload(HorizonNote.organisation)).order_by(HorizonNote.created_at)))
    return render_template("dialogues/followup/horizon.html", round=round_, notes=notes, form=form,
                           may_write=may_write), status


def round_link(round_: DialogueRound) -> str:
    """The round's own page where part of the app has one, else its follow-up page."""
    if "dialogues.round_page" in current_app.view_functions:
        return url_for("dialogues.round_page", id=round_.id)
    return url_for(".round_followup", id=round_.id)


@bp.app_context_processor
def _round_link_global():
    return {"dialogue_round_link": round_link}
