"""What other capabilities may use from dialogues: calendar entries as plain dicts or calendar events, work
lists for the start page, and a region's or an agency's published rounds and open follow-up actions (for
their dossiers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..directory.models import Region
from ..errors import InputError
from ..extensions import db
from ..ics_writer import Entry
from . import queries, service
from .invitations_ics import calendar_event
from .models import Booking, DialogueRound, Invitation, round_agencies
from .models_followup import Feedback, FollowUpAction, Presentation


def _as_dict(entry) -> dict:
    return {
        "uid": entry.uid,
        "summary": entry.summary,
        "start": entry.start,
        "end": entry.end,
        "url": entry.url,
        "sequence": entry.sequence,
        "location": entry.location,
        "cancelled": entry.cancelled,
    }


def calendar_entries_for_user(user) -> list[dict]:
    """The user's snabbdialog meetings and own slots (rounds past the draft stage), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_for_user(user)), key=lambda d: (d["start"], d["uid"]))


def feed_events_for_user(user) -> list[Entry]:
    """The user's snabbdialog meetings and own slots as events of a personal feed (cancelled ones marked)."""
    entries = sorted(queries.entries_for_user(user), key=lambda e: (e.start, e.uid))
    return [calendar_event(entry) for entry in entries]


def calendar_entries_between(start: datetime, end: datetime) -> list[dict]:
    """Every snabbdialog meeting (past the draft stage) overlapping [start, end), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_between(start, end)), key=lambda d: (d["start"], d["uid"]))


def region_engagements(region_id: int):
    """A region's invitations and live bookings (ORM objects), each by round id."""
    return queries.region_engagements(region_id)


# --- work lists for the start page ------------------------------------------------------------------------
# Plain dicts of what a region or an agency still has to do; the start page turns them into tasks.

_ACTIVE = ("invitations_sent", "scheduled", "held")  # past the draft, not yet followed up
_UPCOMING = ("draft", "invitations_sent", "scheduled")
WORKLIST_LIMIT = 20
_FAR = datetime.max.replace(tzinfo=UTC)


def _first_meeting(round_: DialogueRound) -> datetime | None:
    return round_.meetings[0].starts_at if round_.meetings else None


def _action_dict(action: FollowUpAction, today: date) -> dict:
    return {"id": action.id, "round_id": action.round_id, "theme": action.round.theme,
            "description": action.description, "owner": action.owner_organisation.name,
            "region": action.region.name if action.region else None, "due": action.due_date,
            "overdue": action.is_overdue(today)}


def region_rounds(region_id: int, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """A region's part in the rounds it is invited to that are not yet followed up, soonest meeting first.

    Each: {round_id, theme, status, first_meeting, answer, booked_at, presentation, open_actions, next_due};
    `presentation` is None (not started), "draft" or "ready"; `open_actions` counts the region's open
    follow-up actions of the round and `next_due` is the earliest of their due dates.
    """
    invitations = list(db.session.scalars(
        select(Invitation).join(DialogueRound, DialogueRound.id == Invitation.round_id)
        .where(Invitation.region_id == region_id, DialogueRound.status.in_(_ACTIVE))
        .options(selectinload(Invitation.round).selectinload(DialogueRound.meetings))
        .order_by(DialogueRound.id.desc()).limit(limit)))
    if not invitations:
        return []
    round_ids = [i.round_id for i in invitations]
    bookings = {b.round_id: b for b in db.session.scalars(
        select(Booking).where(Booking.round_id.in_(round_ids), Booking.region_id == region_id,
                              Booking.cancelled_at.is_(None)).options(selectinload(Booking.slot)))}
    presentations = {p.round_id: p for p in db.session.scalars(
        select(Presentation).where(Presentation.round_id.in_(round_ids), Presentation.region_id == region_id))}
    region_org = select(Region.organisation_id).where(Region.id == region_id).scalar_subquery()
    actions = {rid: (n, due) for rid, n, due in db.session.execute(
        select(FollowUpAction.round_id, func.count(FollowUpAction.id), func.min(FollowUpAction.due_date))
        .where(FollowUpAction.round_id.in_(round_ids), FollowUpAction.status == "open",
               or_(FollowUpAction.region_id == region_id, FollowUpAction.owner_organisation_id == region_org))
        .group_by(FollowUpAction.round_id))}
    out = []
    for inv in invitations:
        booking, stored = bookings.get(inv.round_id), presentations.get(inv.round_id)
        count, due = actions.get(inv.round_id, (0, None))
        out.append({
            "round_id": inv.round_id, "theme": inv.round.theme, "status": inv.round.status,
            "first_meeting": _first_meeting(inv.round), "answer": inv.answer,
            "booked_at": booking.slot.starts_at if booking and booking.slot else None,
            "presentation": None if stored is None else presentation_state(stored),
            "open_actions": count, "next_due": due,
        })
    out.sort(key=lambda r: (r["first_meeting"] or _FAR, r["round_id"]))
    return out


def presentation_state(stored: Presentation) -> str:
    """"ready" or "draft"."""
    return "ready" if stored.ready else "draft"


def open_actions_for_region(region_id: int, today: date, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """The region's open follow-up actions (its own dialogues and those it owns), earliest due first."""
    region_org = select(Region.organisation_id).where(Region.id == region_id).scalar_subquery()
    return _actions(or_(FollowUpAction.region_id == region_id, FollowUpAction.owner_organisation_id == region_org),
                    today, limit)


def overdue_actions_for_agency(organisation_id: int | None, today: date, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Open actions past their due date that an agency owns or that follow up a round it leads (None: all)."""
    condition = FollowUpAction.due_date < today
    if organisation_id is not None:
        led = select(DialogueRound.id).where(DialogueRound.lead_organisation_id == organisation_id)
        condition = and_(condition, or_(FollowUpAction.owner_organisation_id == organisation_id,
                                        FollowUpAction.round_id.in_(led)))
    return _actions(condition, today, limit)


def _actions(condition, today: date, limit: int) -> list[dict]:
    return [_action_dict(a, today) for a in _open_actions(condition, limit)]


def agency_round_gaps(organisation_id: int | None, now: datetime, limit: int = 10) -> list[dict]:
    """Upcoming rounds an agency leads or takes part in (None: every agency's), soonest first, with what is
    missing: {round_id, theme, status, first_meeting, invited, pending, unbooked, warnings}.

    `pending` and `unbooked` are region names (no answer yet; said yes but hold no slot); `warnings` are the
    soft conflicts not yet acknowledged, as (Swedish, English) messages.
    """
    stmt = (select(DialogueRound).where(DialogueRound.status.in_(_UPCOMING))
            .options(selectinload(DialogueRound.meetings),
                     selectinload(DialogueRound.invitations).selectinload(Invitation.region)))
    if organisation_id is not None:
        stmt = stmt.where(or_(DialogueRound.lead_organisation_id == organisation_id,
                              DialogueRound.agencies.any(id=organisation_id)))
    rounds = [r for r in db.session.scalars(stmt.order_by(DialogueRound.id.desc()).limit(200))
              if not r.meetings or r.meetings[-1].ends_at >= now]
    rounds.sort(key=lambda r: (_first_meeting(r) or _FAR, r.id))
    out = []
    for round_ in rounds[:limit]:
        booked = set(db.session.scalars(select(Booking.region_id).where(
            Booking.round_id == round_.id, Booking.cancelled_at.is_(None))))
        invitations = sorted(round_.invitations, key=lambda i: i.region.name)
        sent = round_.status != "draft"
        try:
            warnings = [(w.message_sv, w.message_en) for w in service.pending_warnings(round_)] \
                if invitations else []
        except InputError:  # a round the scheduler cannot read shows its trouble on its own page
            warnings = []
        out.append({
            "round_id": round_.id, "theme": round_.theme, "status": round_.status,
            "first_meeting": _first_meeting(round_), "invited": len(invitations),
            "pending": [i.region.name for i in invitations if sent and i.answer == "pending"],
            "unbooked": [i.region.name for i in invitations
                         if sent and i.answer == "yes" and i.region_id not in booked],
            "warnings": warnings,
        })
    return out


def rounds_changed_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Rounds past the draft stage changed since a moment, latest first: {round_id, theme, status, changed_at}."""
    rounds = db.session.scalars(
        select(DialogueRound).where(DialogueRound.status != "draft", DialogueRound.updated_at >= since)
        .order_by(DialogueRound.updated_at.desc(), DialogueRound.id.desc()).limit(limit))
    return [{"round_id": r.id, "theme": r.theme, "status": r.status, "changed_at": r.updated_at} for r in rounds]


def feedback_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Återkoppling reported since a moment, latest first: {round_id, theme, organisation, led_to, created_at}."""
    rows = db.session.scalars(
        select(Feedback).where(Feedback.created_at >= since)
        .options(selectinload(Feedback.round), selectinload(Feedback.organisation))
        .order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit))
    return [{"round_id": f.round_id, "theme": f.round.theme, "organisation": f.organisation.name,
             "led_to": f.led_to, "created_at": f.created_at} for f in rows]


# --- for the dossiers ---------------------------------------------------------------------------------------

def published_rounds(ids: Iterable[int], limit: int) -> list[DialogueRound]:
    """The rounds with these ids that are past the draft stage, newest first (lead and meetings loaded)."""
    return _published(DialogueRound.id.in_(list(ids)), limit)


def agency_rounds(organisation_id: int, limit: int) -> list[DialogueRound]:
    """Rounds past the draft stage that the organisation leads or takes part in, newest first."""
    return _published(DialogueRound.id.in_(_agency_round_ids(organisation_id)), limit)


def region_open_actions(region_id: int, organisation_id: int, limit: int) -> list[FollowUpAction]:
    """Open follow-up actions about the region or owned by its organisation (published rounds), by due date."""
    return _open_actions(or_(FollowUpAction.region_id == region_id,
                             FollowUpAction.owner_organisation_id == organisation_id), limit)


def agency_open_actions(organisation_id: int, limit: int) -> list[FollowUpAction]:
    """Open follow-up actions of the agency's rounds or owned by it (published rounds), by due date."""
    return _open_actions(or_(FollowUpAction.round_id.in_(_agency_round_ids(organisation_id)),
                             FollowUpAction.owner_organisation_id == organisation_id), limit)


def _agency_round_ids(organisation_id: int):
    takes_part = select(round_agencies.c.round_id).where(round_agencies.c.organisation_id == organisation_id)
    return select(DialogueRound.id).where(or_(DialogueRound.lead_organisation_id == organisation_id,
                                              DialogueRound.id.in_(takes_part)))


def _published(condition, limit: int) -> list[DialogueRound]:
    # A round still in draft has sent no invitations: it is not published yet.
    return list(db.session.scalars(
        select(DialogueRound).where(condition, DialogueRound.status != "draft")
        .options(selectinload(DialogueRound.lead_organisation), selectinload(DialogueRound.meetings))
        .order_by(DialogueRound.created_at.desc(), DialogueRound.id.desc()).limit(limit)))


def _open_actions(condition, limit: int) -> list[FollowUpAction]:
    return list(db.session.scalars(
        select(FollowUpAction).join(DialogueRound, DialogueRound.id == FollowUpAction.round_id)
        .where(condition, FollowUpAction.status == "open", DialogueRound.status != "draft")
        .options(selectinload(FollowUpAction.round), selectinload(FollowUpAction.region),
                 selectinload(FollowUpAction.owner_organisation))
        .order_by(FollowUpAction.due_date, FollowUpAction.id).limit(limit)))


# ---------------------------------------------------------------------------------------------
# what the mail of a round or a booking needs (for notifications)


def booking_for_mail(booking_id: int) -> dict | None:
    """A booking's invitation (ICS bytes, METHOD from its state) with what a message about it says."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or (booking.slot or booking.cancelled_slot) is None:
        return None
    info = queries.booking_info(booking)
    sender = queries.organizer(booking.round)
    return {"ics": queries.booking_ics(booking), "theme": info.theme, "region": info.region, "start": info.start,
            "end": info.end, "url": info.page_url, "link": info.meeting_link, "sequence": booking.sequence,
            "cancelled": booking.cancelled_at is not None, "organizer": (sender.name, sender.email),
            "round_id": booking.round_id}


def booking_people(booking_id: int) -> list[tuple[str, str]]:
    """(name, e-mail) of everyone the booking's invitation goes to."""
    booking = db.session.get(Booking, booking_id)
    return [] if booking is None else [(p.name, p.email) for p in queries.booking_attendees(booking)]


def round_for_mail(round_id: int, method: str = "REQUEST") -> dict | None:
    round_ = db.session.get(DialogueRound, round_id)
    if round_ is None or not round_.meetings:
        return None
    info = queries.round_info(round_)
    sender = queries.organizer(round_)
    return {"ics": queries.round_ics(round_, method), "theme": round_.theme, "lead": info.lead,
            "meetings": [(m.start, m.end) for m in info.meetings], "url": info.page_url,
            "link": info.meeting_link, "sequence": round_.sequence, "organizer": (sender.name, sender.email)}


def round_people(round_id: int) -> list[tuple[str, str]]:
    round_ = db.session.get(DialogueRound, round_id)
    return [] if round_ is None else [(p.name, p.email) for p in queries.round_attendees(round_)]
