"""Reads for dialogue rounds and their calendar output (invitations, e-mails, feeds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..clock import local_text
from ..directory import queries as directory
from ..directory.models import Region
from ..errors import FieldError, InputError, NotFound
from ..extensions import db
from ..i18n import pick
from ..priorities.public import regions_for_area
from . import access, invitation_email, invitations_ics, round_state
from .models import Booking, DialogueRound, Invitation, RoundMeeting, Slot
from .models_followup import Feedback, FollowUpAction, HorizonNote

PAGE_SIZE = 25


def region_to_act_for(user, key: str | None) -> Region:
    """The region named by `key` (county code or slug), else a strategist's own; the pages and the API both
    ask here, and `access.can_act_for_region` then decides whether the user may act for it."""
    region = access.region_to_act_for(user, directory.region_by_key(key) if key else None)
    if region is None:
        raise InputError(FieldError("region", "Ange vilken region du svarar eller bokar för.",
                                    "Name the region you answer or book for."))
    return region


def round_or_404(round_id: int, details: bool = True) -> DialogueRound:
    """The round; with `details` its meetings, agencies, people and invitations come in the same go
    (a page shows them), without them a write that needs the round alone (a booking) asks once."""
    query = select(DialogueRound).where(DialogueRound.id == round_id)
    if details:
        query = query.options(
            selectinload(DialogueRound.meetings), selectinload(DialogueRound.agencies),
            selectinload(DialogueRound.people), selectinload(DialogueRound.invitations).selectinload(Invitation.region))
    round_ = db.session.scalar(query)
    if round_ is None:
        raise NotFound("round", str(round_id))
    return round_


def slot_or_404(slot_id: int) -> Slot:
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        raise NotFound("slot", str(slot_id))
    return slot


@dataclass(frozen=True)
class SlotState:
    """What decides whether a region may book a slot, read before any write: whether the slot has a booking,
    whether the region has a live booking in the round, and the region's answer to the round (None: none)."""

    taken: bool
    region_booked: bool
    answer: str | None


def _state_columns(round_id: int, slot_id: int | None, region_id: int | None) -> tuple:
    return (
        exists().where(Booking.slot_id == slot_id).label("taken"),
        exists().where(Booking.round_id == round_id, Booking.region_id == region_id,
                       Booking.cancelled_at.is_(None)).label("region_booked"),
        select(Invitation.answer).where(Invitation.round_id == round_id, Invitation.region_id == region_id)
        .scalar_subquery().label("answer"),
    )


def slot_state(slot: Slot, region: Region) -> SlotState:
    """The slot's and the region's state in the slot's round, in one read."""
    row = db.session.execute(select(*_state_columns(slot.round_id, slot.id, region.id))).one()
    return SlotState(bool(row.taken), bool(row.region_booked), row.answer)


def booking_target(round_id: int, slot_id: int, region: Region) -> tuple[DialogueRound, Slot | None, SlotState]:
    """For a booking request: the round (404 when there is none), the slot with that id (None when there is
    none; it may belong to another round) and its state for the region, in one read. Of many simultaneous
    requests for one slot most are refused from this alone, so each costs its server thread one round trip."""
    row = db.session.execute(
        select(DialogueRound, Slot, *_state_columns(round_id, slot_id, region.id))
        .select_from(DialogueRound).outerjoin(Slot, Slot.id == slot_id).where(DialogueRound.id == round_id)
    ).one_or_none()
    if row is None:
        raise NotFound("round", str(round_id))
    return row[0], row[1], SlotState(bool(row.taken), bool(row.region_booked), row.answer)


def booking_or_404(booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("booking", str(booking_id))
    return booking


def rounds_page(page: int = 1, status: str | None = None, page_size: int = PAGE_SIZE):
    stmt = select(DialogueRound)
    if status:
        stmt = stmt.where(DialogueRound.status == status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = list(db.session.scalars(
        stmt.options(selectinload(DialogueRound.lead_organisation), selectinload(DialogueRound.lead_area),
                     selectinload(DialogueRound.meetings), selectinload(DialogueRound.invitations))
        .order_by(DialogueRound.created_at.desc(), DialogueRound.id.desc())
        .limit(page_size).offset((max(page, 1) - 1) * page_size)))
    return rows, total


SERIES_LIMIT = 40


def series_rounds(round_: DialogueRound, limit: int = SERIES_LIMIT) -> list[DialogueRound]:
    """The other rounds of the round's series, oldest first (bounded)."""
    series = round_.series_id or round_.id
    return list(db.session.scalars(
        select(DialogueRound).where(or_(DialogueRound.series_id == series, DialogueRound.id == series),
                                    DialogueRound.id != round_.id)
        .options(selectinload(DialogueRound.meetings)).order_by(DialogueRound.id).limit(limit)))


def followup_actions(round_: DialogueRound) -> list[FollowUpAction]:
    return list(db.session.scalars(
        select(FollowUpAction).where(FollowUpAction.round_id == round_.id)
        .options(selectinload(FollowUpAction.region), selectinload(FollowUpAction.owner_organisation))
        .order_by(FollowUpAction.due_date, FollowUpAction.id)))


def followup_feedback(round_: DialogueRound) -> list[Feedback]:
    return list(db.session.scalars(
        select(Feedback).where(Feedback.round_id == round_.id)
        .options(selectinload(Feedback.region), selectinload(Feedback.organisation))
        .order_by(Feedback.reported_on.desc(), Feedback.id.desc())))


def followup_counts(round_: DialogueRound, today) -> round_state.FollowUpCounts:
    """How much follow-up the round has: återkoppling reported, actions open, overdue and done (two queries)."""
    feedback = db.session.scalar(select(func.count(Feedback.id)).where(Feedback.round_id == round_.id)) or 0
    row = db.session.execute(select(
        func.count(FollowUpAction.id).filter(FollowUpAction.status == "open"),
        func.count(FollowUpAction.id).filter(FollowUpAction.status == "open", FollowUpAction.due_date < today),
        func.count(FollowUpAction.id).filter(FollowUpAction.status == "done"),
    ).where(FollowUpAction.round_id == round_.id)).one()
    return round_state.FollowUpCounts(feedback, row[0] or 0, row[1] or 0, row[2] or 0)


def horizon_notes(round_: DialogueRound) -> list[HorizonNote]:
    return list(db.session.scalars(
        select(HorizonNote).where(HorizonNote.round_id == round_.id)
        .options(selectinload(HorizonNote.organisation)).order_by(HorizonNote.created_at, HorizonNote.id)))


def invitations_for_region(region_id: int, limit: int = 20) -> list[Invitation]:
    """The region's invitations to rounds still ahead (not held or followed up), newest first."""
    return list(db.session.scalars(
        select(Invitation).join(DialogueRound).where(
            Invitation.region_id == region_id, DialogueRound.status.in_(("invitations_sent", "scheduled")))
        .options(selectinload(Invitation.round)).order_by(Invitation.id.desc()).limit(limit)))


def slots_with_bookings(round_: DialogueRound) -> list[tuple[Slot, Booking | None]]:
    slots = list(db.session.scalars(select(Slot).where(Slot.round_id == round_.id).order_by(Slot.starts_at)))
    bookings = {b.slot_id: b for b in db.session.scalars(
        select(Booking).where(Booking.round_id == round_.id, Booking.cancelled_at.is_(None))
        .options(selectinload(Booking.region)))}
    return [(s, bookings.get(s.id)) for s in slots]


def region_booking(round_: DialogueRound, region_id: int | None) -> Booking | None:
    if region_id is None:
        return None
    return db.session.scalar(select(Booking).where(
        Booking.round_id == round_.id, Booking.region_id == region_id, Booking.cancelled_at.is_(None)))


def region_invitation(round_: DialogueRound, region_id: int | None) -> Invitation | None:
    if region_id is None:
        return None
    return db.session.scalar(select(Invitation).where(
        Invitation.round_id == round_.id, Invitation.region_id == region_id))


def matched_regions(round_: DialogueRound, top: int = 21) -> tuple[list[dict], bool]:
    """Regions ranked for the round's area with the reasons, from priority matching.

    Returns (rows, matched): rows are {region, score, reason}; `matched` is False when the round has no
    area to match against and only the plain list of regions is available (choose by hand)."""
    regions = list(db.session.scalars(select(Region).order_by(Region.name)))
    by_slug = {r.slug: r for r in regions}
    if round_.lead_area is not None:
        rows = []
        for item in regions_for_area(round_.lead_area.slug, top):
            region = by_slug.get(item.get("region_slug"))
            if region is None:
                continue
            rows.append({"region": region, "score": item.get("score"), "reason": _reason(item)})
        seen = {row["region"].id for row in rows}
        rows += [{"region": r, "score": None, "reason": ""} for r in regions if r.id not in seen]
        return rows, True
    return [{"region": r, "score": None, "reason": ""} for r in regions], False


def _reason(item: dict, lang: str | None = None) -> str:
    """The matching priorities and why they match, in `lang` or else the page language."""
    parts = []
    for match in (item.get("priorities") or [])[:3]:
        title = match.get("title") or match.get("priority_title") or match.get("slug") or ""
        sv, en = match.get("explanation_sv") or "", match.get("explanation_en") or ""
        why = {"sv": sv, "en": en}[lang] if lang else pick(sv, en)
        parts.append(f"{title}: {why}" if why else title)
    # Explanations are whole sentences; each part ends as one, so two parts never meet as ".;".
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts if p)


# ---------------------------------------------------------------------------------------------
# calendar output


def _domain() -> str:
    # UIDs must never change once sent, so they use the configured domain, not the serving host.
    return current_app.config.get("ICS_UID_DOMAIN") or invitations_ics.DEFAULT_DOMAIN


def _abs_url(endpoint: str, **values) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + url_for(endpoint, **values)


def lead_label(round_: DialogueRound) -> str:
    lead = round_.lead_organisation.name
    return f"{lead}, {round_.lead_area.title}" if round_.lead_area else lead


def round_info(round_: DialogueRound) -> invitations_ics.RoundInfo:
    return invitations_ics.RoundInfo(
        id=round_.id, theme=round_.theme, lead=lead_label(round_),
        meetings=tuple(invitations_ics.MeetingTime(m.id, m.starts_at, m.ends_at) for m in round_.meetings),
        meeting_link=round_.meeting_link, recorded=round_.recorded,
        page_url=_abs_url("dialogues.round_page", id=round_.id))


def booking_info(booking: Booking) -> invitations_ics.BookingInfo:
    slot = booking.slot or booking.cancelled_slot
    round_ = booking.round
    return invitations_ics.BookingInfo(
        id=booking.id, round_id=round_.id, theme=round_.theme, region=booking.region.name,
        start=slot.starts_at, end=slot.ends_at, meeting_link=round_.meeting_link, recorded=round_.recorded,
        page_url=_abs_url("dialogues.round_page", id=round_.id))


def organizer(round_: DialogueRound) -> invitations_ics.Participant:
    user = round_.created_by
    if user is not None:
        return invitations_ics.Participant(user.name or user.email, user.email, role="CHAIR")
    return invitations_ics.Participant(round_.lead_organisation.name, f"snabbdialog@{_domain()}", role="CHAIR")


def _strategists(region_ids: list[int]) -> list[User]:
    if not region_ids:
        return []
    return list(db.session.scalars(select(User).where(
        User.role == "strategist", User.active.is_(True), User.region_id.in_(region_ids)).order_by(User.email)))


def round_attendees(round_: DialogueRound, fallback: User | None = None) -> list[invitations_ics.Participant]:
    """Agency participants, invited regions' strategists and named presenters (by e-mail, once each)."""
    people: dict[str, invitations_ics.Participant] = {}
    for user in round_.people:
        people.setdefault(user.email.lower(), invitations_ics.Participant(user.name or user.email, user.email))
    answering = [i for i in round_.invitations if i.answer != "no"]
    for user in _strategists([i.region_id for i in answering]):
        people.setdefault(user.email.lower(), invitations_ics.Participant(user.name or user.email, user.email))
    for invitation in answering:
        for p in invitation.presenters or []:
            if p.get("email"):
                people.setdefault(p["email"].lower(), invitations_ics.Participant(p.get("name") or p["email"],
                                                                                  p["email"]))
    if not people and fallback is not None and getattr(fallback, "email", None):
        people[fallback.email.lower()] = invitations_ics.Participant(fallback.name or fallback.email, fallback.email)
    return list(people.values())


def booking_attendees(booking: Booking, fallback: User | None = None) -> list[invitations_ics.Participant]:
    people: dict[str, invitations_ics.Participant] = {}
    for p in (booking.invitation.presenters if booking.invitation else None) or []:
        if p.get("email"):
            people.setdefault(p["email"].lower(), invitations_ics.Participant(p.get("name") or p["email"], p["email"]))
    if booking.booked_by is not None:
        user = booking.booked_by
        people.setdefault(user.email.lower(), invitations_ics.Participant(user.name or user.email, user.email))
    for user in _strategists([booking.region_id]):
        people.setdefault(user.email.lower(), invitations_ics.Participant(user.name or user.email, user.email))
    for user in booking.round.people:
        people.setdefault(user.email.lower(), invitations_ics.Participant(user.name or user.email, user.email,
                                                                          role="OPT-PARTICIPANT", rsvp=False))
    if not people and fallback is not None and getattr(fallback, "email", None):
        people[fallback.email.lower()] = invitations_ics.Participant(fallback.name or fallback.email, fallback.email)
    return list(people.values())


def round_ics(round_: DialogueRound, method: str = "REQUEST", fallback: User | None = None) -> bytes:
    calendar = invitations_ics.round_invitation(
        round_info(round_), round_attendees(round_, fallback), method, round_.sequence,
        organizer=organizer(round_), domain=_domain())
    return invitations_ics.to_ics(calendar)


def booking_method(booking: Booking) -> str:
    return "CANCEL" if booking.cancelled_at is not None else "REQUEST"


def booking_ics(booking: Booking, fallback: User | None = None) -> bytes:
    calendar = invitations_ics.booking_invitation(
        booking_info(booking), booking_attendees(booking, fallback), booking_method(booking), booking.sequence,
        organizer=organizer(booking.round), domain=_domain())
    return invitations_ics.to_ics(calendar)


def _email(ics: bytes, attendees, round_: DialogueRound, subject: str, body: str):
    sender = organizer(round_)
    return invitation_email.invitation_email(
        ics, sender=(sender.name, sender.email), recipients=[(p.name, p.email) for p in attendees],
        subject=subject, body_text=body, message_domain=_domain())


def round_email(round_: DialogueRound, method: str = "REQUEST", fallback: User | None = None) -> bytes:
    attendees = round_attendees(round_, fallback)
    ics = round_ics(round_, method, fallback)
    verb = "Inställd" if method == "CANCEL" else "Inbjudan"
    when = ", ".join(local_text(m.starts_at) for m in round_.meetings)
    body = (f"{verb}: snabbdialog {round_.theme} ({lead_label(round_)}).\n"
            f"Möten: {when}.\n{round_.meeting_link or ''}\n\n"
            f"Sidan: {_abs_url('dialogues.round_page', id=round_.id)}\n")
    return _email(ics, attendees, round_, f"{verb}: snabbdialog {round_.theme}", body).as_bytes()


def booking_email(booking: Booking, fallback: User | None = None) -> bytes:
    attendees = booking_attendees(booking, fallback)
    ics = booking_ics(booking, fallback)
    info = booking_info(booking)
    verb = "Avbokat" if booking.cancelled_at is not None else "Ert pass"
    start = local_text(info.start)
    body = (f"{verb}: {booking.region.name} i snabbdialogen {booking.round.theme}, {start}.\n"
            "Det är inte en ansökan om nationell finansiering.\n"
            f"{booking.round.meeting_link or ''}\n")
    return _email(ics, attendees, booking.round, f"{verb}: snabbdialog {booking.round.theme} {start}",
                  body).as_bytes()


# ---------------------------------------------------------------------------------------------
# calendar entries (feed and shared calendar)


def _round_entries(rounds) -> list[invitations_ics.CalendarEntry]:
    entries = []
    for round_ in rounds:
        entries += invitations_ics.round_entries(round_info(round_), round_.sequence, domain=_domain(),
                                                 cancelled=round_.status == "cancelled")
    return entries


def _booking_entries(bookings) -> list[invitations_ics.CalendarEntry]:
    return [invitations_ics.booking_entry(booking_info(b), b.sequence, domain=_domain(),
                                          cancelled=b.cancelled_at is not None)
            for b in bookings if (b.slot or b.cancelled_slot) is not None]


def rounds_for_user(user: User, limit: int = 200) -> list[DialogueRound]:
    stmt = select(DialogueRound).where(DialogueRound.status != "draft")
    if user.role not in ("admin", "reader", "taskforce"):
        conditions = [DialogueRound.created_by_id == user.id,
                      DialogueRound.people.any(User.id == user.id)]
        if user.organisation_id:
            conditions.append(DialogueRound.lead_organisation_id == user.organisation_id)
            conditions.append(DialogueRound.agencies.any(id=user.organisation_id))
        if user.region_id:
            conditions.append(DialogueRound.invitations.any(Invitation.region_id == user.region_id))
        stmt = stmt.where(or_(*conditions))
    return list(db.session.scalars(stmt.options(
        selectinload(DialogueRound.meetings), selectinload(DialogueRound.lead_organisation),
        selectinload(DialogueRound.lead_area)).order_by(DialogueRound.id.desc()).limit(limit)))


def bookings_for_user(user: User, limit: int = 500) -> list[Booking]:
    conditions = [Booking.booked_by_id == user.id]
    if user.region_id:
        conditions.append(Booking.region_id == user.region_id)
    return list(db.session.scalars(select(Booking).where(or_(*conditions)).options(
        selectinload(Booking.round), selectinload(Booking.region), selectinload(Booking.slot),
        selectinload(Booking.cancelled_slot)).order_by(Booking.id.desc()).limit(limit)))


def entries_for_user(user: User) -> list[invitations_ics.CalendarEntry]:
    return _round_entries(rounds_for_user(user)) + _booking_entries(bookings_for_user(user))


def entries_between(start: datetime, end: datetime) -> list[invitations_ics.CalendarEntry]:
    rounds = list(db.session.scalars(
        select(DialogueRound).join(RoundMeeting).where(
            DialogueRound.status != "draft", RoundMeeting.starts_at < end, RoundMeeting.ends_at > start)
        .options(selectinload(DialogueRound.meetings), selectinload(DialogueRound.lead_organisation),
                 selectinload(DialogueRound.lead_area)).distinct().limit(500)))
    entries = _round_entries(rounds)
    return [e for e in entries if e.start < end and e.end > start]


def region_engagements(region_id: int) -> tuple[dict[int, Invitation], dict[int, Booking]]:
    """A region's invitations and live bookings, each by round id (its dialogue history)."""
    invitations = {i.round_id: i for i in db.session.scalars(
        select(Invitation).where(Invitation.region_id == region_id))}
    bookings = {b.round_id: b for b in db.session.scalars(
        select(Booking).where(Booking.region_id == region_id, Booking.cancelled_at.is_(None))
        .options(selectinload(Booking.slot)))}
    return invitations, bookings
