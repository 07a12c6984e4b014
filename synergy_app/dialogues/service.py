"""Writes for snabbdialog rounds: create and edit rounds, invite regions, answers, scheduling,
bookings (the database guarantees one booking per slot), moves and cancellations.

Every function validates, changes, records an audit entry and commits in one transaction.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from time import sleep

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..audit.service import diff, record, transaction
from ..auth.access import permit
from ..auth.models import User
from ..clock import STOCKHOLM, local_text
from ..db_types import utcnow
from ..directory.models import Organisation, Region
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..priorities.models import Area
from . import access, agency_gaps, queries, region_themes, scheduling, signals, validation
from .models import (
    ANSWERS,
    RECURRENCES,
    ROUND_KINDS,
    Booking,
    DialogueRound,
    Invitation,
    RoundMeeting,
    ScheduleWarningAck,
    Slot,
    round_people,
)

OPEN_FOR_BOOKING = ("invitations_sent", "scheduled")


def _input_error(errors) -> InputError:
    """validation.FieldError (or InvalidInput) -> the app's InputError."""
    errors = getattr(errors, "errors", errors)
    return InputError([FieldError(e.field, e.message_sv, e.message_en) for e in errors])


# ---------------------------------------------------------------------------------------------
# rounds


@dataclass
class RoundData:
    """What a planner enters for a round (from the form or the API)."""

    theme: str
    lead_organisation: str | None
    lead_area: str | None
    meetings: list[tuple[datetime, datetime]]
    description: str = ""
    kind: str = "snabbdialog"
    agencies: list[str] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    meeting_link: str | None = None
    recorded: bool = False
    presentation_minutes: int = 10
    questions_minutes: int = 0
    buffer_minutes: int = 0
    recurrence: str = "none"


def local_interval(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """A meeting given in Swedish local time, as aware datetimes."""
    return datetime.combine(day, start, STOCKHOLM), datetime.combine(day, end, STOCKHOLM)


def _validate_round(data: RoundData) -> tuple[Organisation, Area, list[Organisation], list[User]]:
    draft = validation.RoundDraft(
        theme=data.theme, lead_organisation=data.lead_organisation, lead_area=data.lead_area,
        meetings=tuple(data.meetings), meeting_link=data.meeting_link or None,
        presentation_minutes=data.presentation_minutes, questions_minutes=data.questions_minutes,
        buffer_minutes=data.buffer_minutes, agencies=tuple(data.agencies))
    errors = list(validation.validate_round(draft))
    if data.kind not in ROUND_KINDS:
        errors.append(validation.FieldError("kind", "invalid_choice", "Okänd typ av omgång.", "Unknown round kind."))
    if data.recurrence not in RECURRENCES:
        errors.append(validation.FieldError("recurrence", "invalid_choice", "Okänd upprepning.",
                                            "Unknown recurrence."))
    lead = area = None
    if data.lead_organisation:
        lead = db.session.scalar(select(Organisation).where(Organisation.slug == data.lead_organisation))
        if lead is None:
            errors.append(validation.FieldError("lead_organisation", "not_found", "Huvudmannen finns inte.",
                                                "The lead organisation does not exist."))
    if data.lead_area:
        area = db.session.scalar(select(Area).where(Area.slug == data.lead_area))
        if area is None:
            errors.append(validation.FieldError("lead_area", "not_found", "Området finns inte.",
                                                "The area does not exist."))
        elif lead is not None and area.organisation_id != lead.id:
            errors.append(validation.FieldError(
                "lead_area", "wrong_owner", f"Området {area.title} hör inte till {lead.name}.",
                f"The area {area.title} does not belong to {lead.name}."))
    agencies = []
    if data.agencies:
        agencies = list(db.session.scalars(select(Organisation).where(Organisation.slug.in_(data.agencies))))
        missing = sorted(set(data.agencies) - {a.slug for a in agencies})
        if missing:
            errors.append(validation.FieldError("agencies", "not_found",
                                                f"Okända myndigheter: {', '.join(missing)}.",
                                                f"Unknown agencies: {', '.join(missing)}."))
    people = list(db.session.scalars(select(User).where(User.id.in_(data.people)))) if data.people else []
    if errors:
        raise _input_error(errors)
    return lead, area, agencies, people


def _pattern(round_: DialogueRound) -> scheduling.SlotPattern:
    return scheduling.SlotPattern(round_.presentation_minutes, round_.questions_minutes, round_.buffer_minutes)


def _snapshot(round_: DialogueRound) -> dict:
    return {
        "theme": round_.theme, "kind": round_.kind, "lead_organisation": round_.lead_organisation.slug,
        "lead_area": round_.lead_area.slug if round_.lead_area else None,
        "agencies": sorted(a.slug for a in round_.agencies), "meeting_link": round_.meeting_link,
        "recorded": round_.recorded, "presentation_minutes": round_.presentation_minutes,
        "questions_minutes": round_.questions_minutes, "buffer_minutes": round_.buffer_minutes,
        "recurrence": round_.recurrence, "status": round_.status,
        "meetings": [(m.starts_at.isoformat(), m.ends_at.isoformat()) for m in round_.meetings],
    }


def _apply_fields(round_, data: RoundData, lead, area, agencies, people) -> None:
    round_.theme = data.theme.strip()
    round_.description = data.description or ""
    round_.kind = data.kind
    round_.lead_organisation = lead
    round_.lead_area = area
    round_.agencies = agencies
    round_.people = people
    round_.meeting_link = data.meeting_link or None
    round_.recorded = bool(data.recorded)
    round_.presentation_minutes = data.presentation_minutes
    round_.questions_minutes = data.questions_minutes
    round_.buffer_minutes = data.buffer_minutes
    round_.recurrence = data.recurrence


def _sync_meetings_and_slots(round_: DialogueRound, meetings: list[tuple[datetime, datetime]]) -> None:
    """Replace the round's meetings and cut them into slots; a booked slot that would disappear blocks.

    A slot keeps its id (and booking) as long as a slot still starts at the same time."""
    existing = {(m.starts_at, m.ends_at): m for m in round_.meetings}
    keep = []
    for start, end in sorted(meetings):
        key = (start.astimezone(scheduling.UTC), end.astimezone(scheduling.UTC))
        meeting = existing.pop(key, None)
        if meeting is None:
            meeting = RoundMeeting(round=round_, starts_at=key[0], ends_at=key[1])
            db.session.add(meeting)
        keep.append(meeting)
    db.session.flush()
    specs = [scheduling.Meeting(m.id, m.starts_at, m.ends_at) for m in keep]
    try:
        cut = scheduling.make_slots(specs, _pattern(round_))
    except validation.InvalidInput as exc:
        raise _input_error(exc) from None
    # make_slots was given the meeting id as "round id": each cut slot names its meeting.
    wanted = {s.start.astimezone(scheduling.UTC): (s.end.astimezone(scheduling.UTC), s.round_id) for s in cut}
    booked = {b.slot_id: b for b in _active_bookings(round_)}
    errors, gone = [], []
    for slot in list(round_.slots):
        if slot.starts_at in wanted:
            slot.ends_at, slot.meeting_id = wanted.pop(slot.starts_at)
        elif slot.id in booked:
            errors.append(FieldError(
                "meetings", f"Passet {local_text(slot.starts_at)} är bokat av {booked[slot.id].region.name}. "
                            "Flytta eller avboka det först.",
                f"The slot at {local_text(slot.starts_at)} is booked by {booked[slot.id].region.name}. "
                "Move or cancel that booking first."))
        else:
            gone.append(slot)
    if errors:
        raise InputError(errors)
    for slot in gone:
        round_.slots.remove(slot)
        db.session.delete(slot)
    db.session.flush()
    for start, (end, meeting_id) in wanted.items():
        db.session.add(Slot(round_id=round_.id, meeting_id=meeting_id, starts_at=start, ends_at=end))
    for meeting in existing.values():  # meetings no longer wanted; their slots are gone by now
        round_.meetings.remove(meeting)
    db.session.flush()
    db.session.expire(round_, ["slots", "meetings"])
    for position, slot in enumerate(round_.slots):
        slot.position = position


def _require_own_agency(actor, lead, agencies) -> None:
    """A planner's agency leads the round or takes part in it, else she could not manage what she made."""
    if actor is None or access.can_lead_round(actor, lead, agencies):
        return
    own = actor.organisation.name if getattr(actor, "organisation", None) else "–"
    raise InputError(FieldError(
        "lead_organisation", f"Din myndighet ({own}) måste vara huvudman för omgången eller delta i den.",
        f"Your agency ({own}) must lead the round or take part in it."))


def create_round(data: RoundData, actor: User | None) -> DialogueRound:
    permit(actor, access.can_plan_rounds)
    lead, area, agencies, people = _validate_round(data)
    _require_own_agency(actor, lead, agencies)
    with transaction():
        round_ = DialogueRound(created_by=actor)
        _apply_fields(round_, data, lead, area, agencies, people)
        db.session.add(round_)
        db.session.flush()
        round_.series_id = round_.id
        _sync_meetings_and_slots(round_, data.meetings)
        record("dialogues.round_created", round_, summary=f"Snabbdialog skapad: {round_.theme}",
               changes=diff({}, _snapshot(round_)), actor=actor)
    return round_


SERIES_MONTHS = {"quarterly": 3, "half_yearly": 6}


def shift_local_months(value: datetime, months: int) -> datetime:
    """The same Stockholm wall-clock time `months` later (the day clamped to the month's end), in UTC.

    The local date is shifted and then converted, so 09:00 in winter stays 09:00 in summer."""
    local = value.astimezone(STOCKHOLM)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    shifted = datetime.combine(date(year, month, day), local.time().replace(tzinfo=None), STOCKHOLM)
    return shifted.astimezone(scheduling.UTC)


def create_next_in_series(round_: DialogueRound, actor: User | None) -> DialogueRound:
    """The next round of a recurring series: same theme, lead, agencies, people, slot pattern, link and
    recording; meetings 3 or 6 months later at the same local time; a draft in the same series."""
    permit(actor, lambda user: access.can_manage_round(user, round_))
    months = SERIES_MONTHS.get(round_.recurrence)
    if months is None:
        raise InputError(FieldError("recurrence", "Omgången återkommer inte; ange kvartal eller halvår först.",
                                    "The round does not repeat; set quarterly or twice a year first."))
    if not round_.meetings:
        raise InputError(FieldError("meetings", "Omgången har inga möten att utgå från.",
                                    "The round has no meetings to start from."))
    meetings = [(shift_local_months(m.starts_at, months), shift_local_months(m.ends_at, months))
                for m in round_.meetings]
    series = round_.series_id or round_.id
    first = min(start for start, _end in meetings)
    existing = db.session.scalar(select(DialogueRound).join(RoundMeeting).where(
        or_(DialogueRound.series_id == series, DialogueRound.id == series),
        RoundMeeting.starts_at == first))
    if existing is not None:
        raise Conflict("series", f"Nästa omgång i serien finns redan (omgång {existing.id}, {local_text(first)}).",
                       f"The next round of the series already exists (round {existing.id}, {local_text(first)}).",
                       code="series_round_exists")
    data = RoundData(
        theme=round_.theme, description=round_.description, kind=round_.kind,
        lead_organisation=round_.lead_organisation.slug,
        lead_area=round_.lead_area.slug if round_.lead_area else None,
        agencies=[a.slug for a in round_.agencies], people=[u.id for u in round_.people],
        meetings=meetings, meeting_link=round_.meeting_link, recorded=round_.recorded,
        presentation_minutes=round_.presentation_minutes, questions_minutes=round_.questions_minutes,
        buffer_minutes=round_.buffer_minutes, recurrence=round_.recurrence)
    lead, area, agencies, people = _validate_round(data)
    with transaction():
        new = DialogueRound(created_by=actor, series_id=series, status="draft")
        _apply_fields(new, data, lead, area, agencies, people)
        db.session.add(new)
        db.session.flush()
        _sync_meetings_and_slots(new, data.meetings)
        record("dialogues.series_next_created", new,
               summary=f"Nästa omgång i serien: {new.theme}, {local_text(first)}",
               changes={**diff({}, _snapshot(new)), "series_id": {"from": None, "to": series},
                        "copied_from": {"from": None, "to": round_.id}}, actor=actor)
    return new


def update_round(round_: DialogueRound, data: RoundData, actor: User | None) -> DialogueRound:
    permit(actor, lambda user: access.can_manage_round(user, round_))
    lead, area, agencies, people = _validate_round(data)
    _require_own_agency(actor, lead, agencies)
    before = _snapshot(round_)
    with transaction():
        _apply_fields(round_, data, lead, area, agencies, people)
        _sync_meetings_and_slots(round_, data.meetings)
        after = _snapshot(round_)
        changes = diff(before, after)
        if changes and round_.status != "draft":
            round_.sequence += 1
            _bump_bookings(round_)
        record("dialogues.round_updated", round_, summary=f"Snabbdialog ändrad: {round_.theme}",
               changes=changes, actor=actor)
        if changes and round_.status != "draft":
            signals.round_invited.send(round_)
            signals.announce_bookings(*_active_bookings(round_))
    return round_


def _bump_bookings(round_: DialogueRound) -> None:
    for booking in _active_bookings(round_):
        booking.sequence += 1


def _active_bookings(round_: DialogueRound) -> list[Booking]:
    return list(db.session.scalars(
        select(Booking).where(Booking.round_id == round_.id, Booking.cancelled_at.is_(None))))


# ---------------------------------------------------------------------------------------------
# invitations and answers


def invite_regions(round_: DialogueRound, region_ids: list[int], actor: User | None,
                   reasons: dict[int, str] | None = None) -> list[Invitation]:
    permit(actor, lambda user: access.can_manage_round(user, round_))
    if not region_ids:
        raise InputError(FieldError("regions", "Välj minst en region.", "Choose at least one region."))
    regions = list(db.session.scalars(select(Region).where(Region.id.in_(region_ids))))
    if len(regions) != len(set(region_ids)):
        raise InputError(FieldError("regions", "En vald region finns inte.", "A chosen region does not exist."))
    already = {i.region_id for i in round_.invitations}
    created = []
    with transaction():
        for region in regions:
            if region.id in already:
                continue
            invitation = Invitation(round=round_, region=region, reason=(reasons or {}).get(region.id, ""))
            db.session.add(invitation)
            created.append(invitation)
        db.session.flush()
        record("dialogues.regions_invited", round_,
               summary=f"Inbjudna regioner: {', '.join(r.name for r in regions if r.id not in already) or '–'}",
               changes={"regions": {"from": None, "to": sorted(r.slug for r in regions)}}, actor=actor)
    return created


PRESENTER_RE = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>)?\s*$")
INTERVAL_RE = re.compile(
    r"^\s*(?P<day>\d{4}-\d{2}-\d{2})\s+(?P<start>\d{1,2}[:.]\d{2})\s*[-–]\s*"
    r"(?:(?P<day2>\d{4}-\d{2}-\d{2})\s+)?(?P<end>\d{1,2}[:.]\d{2})\s*$")


def parse_presenters(text: str) -> list[dict]:
    """Lines of 'Name <e-mail>' (the e-mail is optional)."""
    people, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = PRESENTER_RE.match(line)
        if not match or not (match["name"] or match["email"]):
            errors.append(FieldError("presenters", f"Rad {number}: skriv Namn <e-post>.",
                                     f"Line {number}: write Name <e-mail>."))
            continue
        people.append({"name": match["name"] or match["email"], "email": match["email"] or None})
    if errors:
        raise InputError(errors)
    return people


def parse_unavailable(text: str) -> list[dict]:
    """Lines of 'YYYY-MM-DD HH:MM–HH:MM' (or '... – YYYY-MM-DD HH:MM') in Swedish time -> UTC ISO intervals."""
    periods, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = INTERVAL_RE.match(line)
        try:
            if not match:
                raise ValueError(line)
            day = date.fromisoformat(match["day"])
            day2 = date.fromisoformat(match["day2"]) if match["day2"] else day
            start = datetime.combine(day, time.fromisoformat(match["start"].replace(".", ":").zfill(5)), STOCKHOLM)
            end = datetime.combine(day2, time.fromisoformat(match["end"].replace(".", ":").zfill(5)), STOCKHOLM)
            if end <= start:
                raise ValueError(line)
        except ValueError:
            errors.append(FieldError(
                "unavailable", f"Rad {number}: skriv ÅÅÅÅ-MM-DD TT:MM–TT:MM där sluttiden är efter starttiden.",
                f"Line {number}: write YYYY-MM-DD HH:MM–HH:MM with the end after the start."))
            continue
        periods.append({"start": start.astimezone(scheduling.UTC).isoformat(),
                        "end": end.astimezone(scheduling.UTC).isoformat()})
    if errors:
        raise InputError(errors)
    return periods


def format_unavailable(periods: list[dict]) -> str:
    lines = []
    for p in periods or []:
        start = datetime.fromisoformat(p["start"]).astimezone(STOCKHOLM)
        end = datetime.fromisoformat(p["end"]).astimezone(STOCKHOLM)
        tail = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
        lines.append(f"{start:%Y-%m-%d %H:%M}–{tail}")
    return "\n".join(lines)


def format_presenters(people: list[dict]) -> str:
    return "\n".join(f"{p['name']} <{p['email']}>" if p.get("email") else p["name"] for p in people or [])


def answer_invitation(invitation: Invitation, answer: str, presenters_text: str, unavailable_text: str,
                      comment: str, actor: User | None) -> Invitation:
    permit(actor, lambda user: access.can_act_for_region(user, invitation.region))
    errors = []
    if answer not in ANSWERS or answer == "pending":
        errors.append(FieldError("answer", "Välj ja, lyssnar eller nej.", "Choose yes, listening or no."))
    presenters = unavailable = []
    try:
        presenters = parse_presenters(presenters_text)
    except InputError as exc:
        errors.extend(exc.errors)
    try:
        unavailable = parse_unavailable(unavailable_text)
    except InputError as exc:
        errors.extend(exc.errors)
    if answer == "yes" and not presenters and not errors:
        errors.append(FieldError("presenters", "Ange minst en presentatör när regionen presenterar.",
                                 "Name at least one presenter when the region presents."))
    if errors:
        raise InputError(errors)
    before = {"answer": invitation.answer, "presenters": invitation.presenters,
              "unavailable": invitation.unavailable, "comment": invitation.comment}
    with transaction():
        invitation.answer = answer
        invitation.presenters = presenters
        invitation.unavailable = unavailable
        invitation.comment = comment or ""
        invitation.answered_at = utcnow()
        if answer != "yes":
            for booking in db.session.scalars(select(Booking).where(
                    Booking.round_id == invitation.round_id, Booking.region_id == invitation.region_id,
                    Booking.cancelled_at.is_(None))):
                _cancel(booking)
        record("dialogues.invitation_answered", invitation,
               summary=f"{invitation.region.name} svarade {answer} på {invitation.round.theme}",
               changes=diff(before, {"answer": answer, "presenters": presenters, "unavailable": unavailable,
                                     "comment": comment or ""}), actor=actor)
    return invitation


# ---------------------------------------------------------------------------------------------
# scheduling


def _presenter_people(invitation: Invitation) -> tuple[str, ...]:
    return tuple(sorted({(p.get("email") or p.get("name") or "").lower() for p in invitation.presenters or []} - {""}))


def _intervals(invitation: Invitation) -> tuple[tuple[datetime, datetime], ...]:
    return tuple((datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"]))
                 for p in invitation.unavailable or [])


def _parallel_rounds(round_: DialogueRound) -> list[DialogueRound]:
    """Other rounds whose meetings overlap this round's meetings (they share people)."""
    if not round_.meetings:
        return []
    first = min(m.starts_at for m in round_.meetings)
    last = max(m.ends_at for m in round_.meetings)
    candidates = db.session.scalars(
        select(DialogueRound).join(RoundMeeting).where(
            DialogueRound.id != round_.id, RoundMeeting.starts_at < last, RoundMeeting.ends_at > first)
        .distinct())
    return [r for r in candidates if any(
        validation.overlaps(m.starts_at, m.ends_at, n.starts_at, n.ends_at)
        for m in r.meetings for n in round_.meetings)]


def _spec(round_: DialogueRound, fixed: bool) -> tuple[scheduling.RoundSpec, dict]:
    """The round as scheduling input. `fixed`: every current booking is pinned (a parallel round)."""
    slots = tuple(scheduling.Slot(str(s.id), round_.id, s.starts_at, s.ends_at) for s in round_.slots)
    bookings = {b.region_id: b for b in _active_bookings(round_)}
    pinned_region_slot = {s.pinned_region_id: s for s in round_.slots if s.pinned and s.pinned_region_id}
    presenters = []
    previous = {}
    for invitation in sorted(round_.invitations, key=lambda i: i.invited_at or utcnow()):
        booking = bookings.get(invitation.region_id)
        if invitation.answer != "yes" and booking is None:
            continue
        pin = None
        if booking is not None and booking.slot_id and (fixed or booking.slot.pinned):
            pin = str(booking.slot_id)
        elif invitation.region_id in pinned_region_slot:
            pin = str(pinned_region_slot[invitation.region_id].id)
        if booking is not None and booking.slot_id:
            previous[(round_.id, invitation.region.slug)] = str(booking.slot_id)
        presenters.append(scheduling.Presenter(
            invitation.region.slug, _presenter_people(invitation), _intervals(invitation), pin))
    attendees = tuple(sorted({u.email.lower() for u in round_.people}))
    meetings = tuple(scheduling.Meeting(round_.id, m.starts_at, m.ends_at) for m in round_.meetings)
    return scheduling.RoundSpec(round_.id, slots, tuple(presenters), attendees=attendees, meetings=meetings), previous


def _names(rounds: list[DialogueRound]) -> scheduling.Names:
    """Regions, rounds and people as the schedule's messages name them (the solver knows them by key;
    every presenting region is an invited one)."""
    regions = {i.region.slug: i.region.name for r in rounds for i in r.invitations}
    people = {}
    for r in rounds:
        people |= {u.email.lower(): u.name or u.email for u in r.people}
        for invitation in r.invitations:
            for p in invitation.presenters or []:
                key = (p.get("email") or p.get("name") or "").lower()
                if key:
                    people.setdefault(key, p.get("name") or p.get("email"))
    return scheduling.Names(regions, {r.id: r.theme for r in rounds}, people)


def compute_schedule(round_: DialogueRound) -> scheduling.ScheduleResult:
    """Schedule the round together with its parallel rounds (whose bookings stay where they are)."""
    spec, previous = _spec(round_, fixed=False)
    specs = [spec]
    parallel = _parallel_rounds(round_)
    for other in parallel:
        other_spec, other_previous = _spec(other, fixed=True)
        specs.append(other_spec)
        previous.update(other_previous)
    try:
        return scheduling.schedule(specs, previous, _names([round_, *parallel]))
    except validation.InvalidInput as exc:
        raise _input_error(exc) from None


def round_warnings(round_: DialogueRound, result: scheduling.ScheduleResult) -> list:
    """The round's soft conflicts: the scheduler's (unavailability) and agencies missing from a region's theme."""
    return [w for w in result.warnings if w.round_id == round_.id] + agency_warnings(round_)


def _presenting_regions(round_: DialogueRound) -> list[Region]:
    """Regions expected to present: invited and not declined or only listening, or holding a slot."""
    region_ids = {i.region_id for i in round_.invitations if i.answer in ("pending", "yes")}
    region_ids |= {b.region_id for b in _active_bookings(round_)}
    if not region_ids:
        return []
    return list(db.session.scalars(select(Region).where(Region.id.in_(region_ids)).order_by(Region.slug)))


def agency_warnings(round_: DialogueRound) -> list[agency_gaps.AgencyGapWarning]:
    """Presenting regions whose best-matched national areas belong to an agency not in the round."""
    regions = _presenting_regions(round_)
    if not regions:
        return []
    ranks = region_themes.region_area_ranks(r.slug for r in regions)
    participating = {round_.lead_organisation.slug, *(a.slug for a in round_.agencies)}
    agencies = dict(db.session.execute(select(Organisation.slug, Organisation.name)
                                       .where(Organisation.kind == "national_agency")).all())
    # Agency names as they are now (the cached ranks carry the names of when they were computed).
    ranks = {slug: [{**rank, "organisation_name": agencies.get(rank.get("organisation_slug"),
                                                               rank.get("organisation_name"))} for rank in rows]
             for slug, rows in ranks.items()}
    return agency_gaps.agency_gap_warnings(round_.id, participating, ranks, {r.slug: r.name for r in regions},
                                           set(agencies))


def round_conflicts(round_: DialogueRound, result: scheduling.ScheduleResult) -> list:
    return [c for c in result.conflicts if round_.id in c.round_ids]


def acknowledged_keys(round_: DialogueRound) -> set[str]:
    return set(db.session.scalars(select(ScheduleWarningAck.warning_key).where(
        ScheduleWarningAck.round_id == round_.id)))


def acknowledge_warnings(round_: DialogueRound, keys: list[str], actor: User | None) -> None:
    permit(actor, lambda user: access.can_manage_round(user, round_))
    result = compute_schedule(round_)
    known = {w.key for w in round_warnings(round_, result)}
    unknown = [k for k in keys if k not in known]
    if not keys or unknown:
        raise InputError(FieldError("keys", "Välj en eller flera av varningarna i listan.",
                                    "Choose one or more of the warnings listed."))
    done = acknowledged_keys(round_)
    with transaction():
        for key in keys:
            if key not in done:
                db.session.add(ScheduleWarningAck(round_id=round_.id, warning_key=key, acknowledged_by=actor))
        record("dialogues.warnings_acknowledged", round_, summary=f"{len(keys)} varningar kvitterade",
               changes={"keys": {"from": None, "to": sorted(keys)}}, actor=actor)


def _conflict_from(conflicts) -> Conflict:
    return Conflict("schedule", " ".join(c.message_sv for c in conflicts),
                    " ".join(c.message_en for c in conflicts), code="schedule_conflict")


def _unacknowledged(round_: DialogueRound, result) -> list:
    done = acknowledged_keys(round_)
    return [w for w in round_warnings(round_, result) if w.key not in done]


def pending_warnings(round_: DialogueRound) -> list:
    """The round's warnings not yet acknowledged, as the schedule page lists them for acknowledging."""
    return _unacknowledged(round_, compute_schedule(round_))


def apply_schedule(round_: DialogueRound, actor: User | None) -> list[Booking]:
    """Book every presenting region into its scheduled slot; conflicts and unacknowledged warnings block."""
    permit(actor, lambda user: access.can_manage_round(user, round_))
    result = compute_schedule(round_)
    conflicts = round_conflicts(round_, result)
    if conflicts:
        raise _conflict_from(conflicts)
    pending = _unacknowledged(round_, result)
    if pending:
        raise Conflict("warnings", "Kvittera varningarna innan schemat läggs och inbjudningarna går ut.",
                       "Acknowledge the warnings before the schedule is applied and invitations go out.",
                       code="warnings_unacknowledged")
    assignments = [a for a in result.assignments if a.round_id == round_.id]
    regions = {r.slug: r for r in db.session.scalars(select(Region).where(
        Region.slug.in_([a.region for a in assignments])))}
    invitations = {i.region_id: i for i in round_.invitations}
    bookings = {b.region_id: b for b in _active_bookings(round_)}
    changed = []
    with transaction():
        target = {regions[a.region].id: int(a.slot_id) for a in assignments}
        # Free the slots that change hands first, so the one-booking-per-slot rule holds at every flush.
        for region_id, booking in bookings.items():
            if target.get(region_id) != booking.slot_id:
                booking.slot_id = None
        db.session.flush()
        for region_id, booking in bookings.items():
            if region_id not in target:
                _cancel(booking)
                changed.append(booking)
        for region_id, slot_id in target.items():
            booking = bookings.get(region_id)
            if booking is None:
                booking = Booking(round_id=round_.id, region_id=region_id, slot_id=slot_id,
                                  invitation=invitations.get(region_id), booked_by=actor)
                db.session.add(booking)
                changed.append(booking)
            elif booking.slot_id != slot_id:
                booking.slot_id = slot_id
                booking.sequence += 1
                changed.append(booking)
        round_.status = "scheduled" if round_.status in ("draft", "invitations_sent") else round_.status
        db.session.flush()
        record("dialogues.schedule_applied", round_,
               summary=f"Schema lagt för {round_.theme}: {len(target)} regioner",
               changes={"running_order": {"from": None, "to": [a.region for a in
                                                               result.running_order.get(round_.id, ())]}},
               actor=actor)
        signals.announce_bookings(*changed)
    return changed


def send_invitations(round_: DialogueRound, actor: User | None) -> DialogueRound:
    """Release the round's calendar invitations: status moves on, SEQUENCE rises."""
    permit(actor, lambda user: access.can_manage_round(user, round_))
    if not round_.invitations:
        raise InputError(FieldError("regions", "Bjud in minst en region först.", "Invite at least one region first."))
    if _active_bookings(round_):
        result = compute_schedule(round_)
        conflicts = round_conflicts(round_, result)
        if conflicts:
            raise _conflict_from(conflicts)
        pending = _unacknowledged(round_, result)
    else:
        pending = [w for w in agency_warnings(round_) if w.key not in acknowledged_keys(round_)]
    if pending:
        raise Conflict("warnings", "Kvittera varningarna innan inbjudningarna skickas.",
                       "Acknowledge the warnings before the invitations are sent.",
                       code="warnings_unacknowledged")
    with transaction():
        before = round_.status
        if round_.status == "draft":
            round_.status = "invitations_sent"
        round_.sequence += 1
        record("dialogues.invitations_sent", round_, summary=f"Inbjudningar skickade: {round_.theme}",
               changes={"status": {"from": before, "to": round_.status},
                        "sequence": {"from": round_.sequence - 1, "to": round_.sequence}}, actor=actor)
        signals.round_invited.send(round_)
    return round_


def set_status(round_: DialogueRound, status: str, actor: User | None) -> DialogueRound:
    permit(actor, lambda user: access.can_manage_round(user, round_))
    order = ("draft", "invitations_sent", "scheduled", "held", "followed_up")
    if status not in order:
        raise InputError(FieldError("status", "Okänd status.", "Unknown status."))
    with transaction():
        before = round_.status
        round_.status = status
        record("dialogues.status_changed", round_, summary=f"Status {before} → {status}",
               changes={"status": {"from": before, "to": status}}, actor=actor)
    return round_


# ---------------------------------------------------------------------------------------------
# bookings


def _slot_taken() -> Conflict:
    return Conflict("slot_id", "Passet har just bokats av en annan region. Välj ett annat ledigt pass.",
                    "The slot has just been booked by another region. Choose another free slot.",
                    code="slot_taken")


def _region_booked() -> Conflict:
    return Conflict("region", "Regionen har redan ett pass i den här omgången. Avboka det först för att byta.",
                    "The region already has a slot in this round. Cancel it first to change.",
                    code="region_already_booked")


def _refuse_unless_free(slot: Slot, region: Region, state: queries.SlotState | None = None) -> None:
    """Raise the Conflict that answers a booking before any write: slot taken, region declined, listening
    only, or already booked in this round."""
    # Most of many simultaneous requests for one slot arrive after the first has committed: one cheap read
    # (the caller's, or this one) answers them before any write. The unique constraints still decide true races.
    state = state or queries.slot_state(slot, region)
    if state.taken:
        raise _slot_taken()
    if state.answer == "no":
        raise Conflict("region", "Regionen har tackat nej till omgången. Ändra svaret först.",
                       "The region has declined the round. Change the answer first.", code="declined")
    if state.answer == "listening":
        raise Conflict("region", "Regionen har svarat att den bara lyssnar. Ändra svaret till ja för att presentera.",
                       "The region has answered that it is listening only. Change the answer to yes to present.",
                       code="listening_only")
    if state.region_booked:
        raise _region_booked()


def book_slot(slot: Slot, region: Region, actor: User | None, state: queries.SlotState | None = None) -> Booking:
    """A region books a free slot. The unique constraints decide between simultaneous bookings; on PostgreSQL
    only one booking of a slot is written at a time, and the others are answered that it is taken.

    `state` is the slot's state for the region when the caller has just read it (`queries.booking_target`)."""
    permit(actor, lambda user: access.can_act_for_region(user, region))
    round_ = slot.round
    if round_.status not in OPEN_FOR_BOOKING:
        raise Conflict("round", "Omgången är inte öppen för bokning.", "The round is not open for booking.",
                       code="round_closed")
    if slot.starts_at <= utcnow():
        raise Conflict("slot_id", "Passet har redan börjat.", "The slot has already started.", code="slot_past")
    _refuse_unless_free(slot, region, state)
    slot_id, round_id, region_id = slot.id, round_.id, region.id
    summary = f"{region.name} bokade pass {local_text(slot.starts_at)}"
    for attempt in range(BOOKING_ATTEMPTS):
        try:
            return _insert_booking(slot_id, round_id, region_id, summary, actor)
        except IntegrityError:
            taken = db.session.scalar(select(Booking.id).where(Booking.slot_id == slot_id))
            if taken is not None:
                raise _slot_taken() from None
            own = db.session.scalar(select(Booking.id).where(
                Booking.round_id == round_id, Booking.region_id == region_id, Booking.cancelled_at.is_(None)))
            if own is not None:
                raise _region_booked() from None
            raise _slot_taken() from None
        except OperationalError:
            # SQLite refuses the second of two writers that started reading at the same time
            # ("database is locked"); start the transaction again and let the unique constraint decide.
            if db.session.get_bind().dialect.name != "sqlite" or attempt == BOOKING_ATTEMPTS - 1:
                raise
            sleep(0.05 * (attempt + 1))
    raise _slot_taken()  # pragma: no cover - the loop returns or raises


BOOKING_ATTEMPTS = 5


# Namespace of the PostgreSQL advisory locks that bookings take on a slot (the second key is the slot id).
SLOT_BOOKING_LOCK = 0x510B


def _claim_slot(slot_id: int) -> bool:
    """On PostgreSQL, whether this transaction is the only booking of the slot in flight.

    Requests that read the slot as free at the same moment would otherwise each wait on the unique index
    until the first commits, holding a server thread all that time; the one holding the lock goes on, the
    others are answered at once. SQLite lets one writer in at a time anyway."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(SLOT_BOOKING_LOCK, slot_id))))


def _insert_booking(slot_id: int, round_id: int, region_id: int, summary: str, actor) -> Booking:
    with transaction():
        if not _claim_slot(slot_id):
            raise _slot_taken()
        invitation = db.session.scalar(select(Invitation).where(
            Invitation.round_id == round_id, Invitation.region_id == region_id))
        if invitation is None:
            invitation = Invitation(round_id=round_id, region_id=region_id, answer="yes",
                                    answered_at=utcnow(), reason="Bokade själv ett pass")
            db.session.add(invitation)
        elif invitation.answer in ("pending", "listening"):
            invitation.answer = "yes"
            invitation.answered_at = utcnow()
        booking = Booking(round_id=round_id, slot_id=slot_id, region_id=region_id, invitation=invitation,
                          booked_by=actor)
        db.session.add(booking)
        db.session.flush()  # the INSERT: the database refuses a second booking of the slot here
        record("dialogues.slot_booked", booking, summary=summary,
               changes={"slot_id": {"from": None, "to": slot_id}}, actor=actor)
        signals.announce_bookings(booking)
    return booking


UNCANCELLABLE = ("cancelled", "held", "followed_up")


def cancel_round(round_: DialogueRound, actor: User | None, *, confirmed: bool) -> DialogueRound:
    """Cancel the whole round: every live booking is cancelled with it and SEQUENCE rises, so everyone invited
    or booked gets the cancellation (METHOD:CANCEL) of the meetings and of their slot."""
    permit(actor, lambda user: access.can_manage_round(user, round_))
    if not confirmed:
        raise InputError(FieldError("confirm", "Bekräfta att omgången ska ställas in.",
                                    "Confirm that the round is to be cancelled."))
    if round_.status in UNCANCELLABLE:
        raise Conflict("round", "Omgången är redan inställd eller genomförd och kan inte ställas in.",
                       "The round is already cancelled or held and cannot be cancelled.", code="round_not_cancellable")
    with transaction():
        before = round_.status
        bookings = _active_bookings(round_)
        for booking in bookings:
            _cancel(booking)
        round_.status = "cancelled"
        round_.sequence += 1
        record("dialogues.round_cancelled", round_, summary=f"Omgången ställdes in: {round_.theme}",
               changes={"status": {"from": before, "to": "cancelled"},
                        "sequence": {"from": round_.sequence - 1, "to": round_.sequence},
                        "cancelled_bookings": {"from": None, "to": [b.id for b in bookings]}}, actor=actor)
        signals.round_cancelled.send(round_, bookings=bookings, previous_status=before)
    return round_


def move_booking(booking: Booking, target: Slot, actor: User | None) -> list[Booking]:
    """Move a booking to another slot of the round; when that slot is booked, the two swap.

    Every booking that moves gets a higher SEQUENCE so the presenters' calendars update; the slot is pinned
    so a later scheduling keeps it."""
    permit(actor, lambda user: access.can_move_booking(user, booking))
    if booking.cancelled_at is not None:
        raise InputError(FieldError("booking", "Bokningen är avbokad.", "The booking is cancelled."))
    if target.round_id != booking.round_id:
        raise InputError(FieldError("slot", "Passet hör till en annan omgång.", "The slot belongs to another round."))
    if target.id == booking.slot_id:
        raise InputError(FieldError("slot", "Bokningen ligger redan i det passet.", "The booking is already there."))
    other = db.session.scalar(select(Booking).where(Booking.slot_id == target.id))
    source_id = booking.slot_id
    moved = [booking]
    try:
        with transaction():
            booking.slot_id = None
            if other is not None:
                other.slot_id = None
            db.session.flush()
            booking.slot_id = target.id
            booking.sequence += 1
            if other is not None:
                other.slot_id = source_id
                other.sequence += 1
                moved.append(other)
            target.pinned = True
            target.pinned_region_id = booking.region_id
            db.session.flush()
            record("dialogues.booking_moved", booking,
                   summary=f"{booking.region.name} flyttad till {local_text(target.starts_at)}"
                           + (f"; {other.region.name} byter till det tidigare passet" if other else ""),
                   changes={"slot_id": {"from": source_id, "to": target.id}}, actor=actor)
            signals.announce_bookings(*moved)
    except IntegrityError:
        raise _slot_taken() from None
    return moved


def _cancel(booking: Booking) -> None:
    booking.cancelled_slot_id = booking.slot_id
    booking.slot_id = None
    booking.cancelled_at = utcnow()
    booking.sequence += 1


def cancel_booking(booking: Booking, actor: User | None) -> Booking:
    permit(actor, lambda user: access.can_cancel_booking(user, booking))
    if booking.cancelled_at is not None:
        raise Conflict("booking", "Bokningen är redan avbokad.", "The booking is already cancelled.",
                       code="already_cancelled")
    with transaction():
        slot_id = booking.slot_id
        _cancel(booking)
        record("dialogues.booking_cancelled", booking, summary=f"{booking.region.name} avbokade sitt pass",
               changes={"slot_id": {"from": slot_id, "to": None}}, actor=actor)
        signals.announce_bookings(booking)
    return booking



def forget_person(user: User, placeholder: str) -> None:
    """A removed account is no longer one of the people a round's calendar invitation goes to."""
    db.session.execute(delete(round_people).where(round_people.c.user_id == user.id))

