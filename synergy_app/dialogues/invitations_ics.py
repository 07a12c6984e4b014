"""RFC 5545 calendar output for snabbdialog rounds and bookings.

Two different things are produced here, and clients treat them differently:
  * invitations (iTIP, RFC 5546): METHOD:REQUEST or METHOD:CANCEL, ORGANIZER and ATTENDEEs, a stable
    UID per event and a SEQUENCE the caller raises on every change, otherwise clients ignore updates;
  * a subscription feed: no METHOD and no attendees, so Outlook, Google and Apple show it as a read-only
    calendar instead of offering to answer it.
Times are written as local Europe/Stockholm time with a VTIMEZONE built from the zoneinfo data for the
years the events span, so the offsets are right on both sides of the March and October changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from ..clock import STOCKHOLM, STOCKHOLM_TZID
from .validation import FieldError, interval_errors, raise_if_errors

DEFAULT_DOMAIN = "synergy.example"
PRODID = "-//Synergy workspace//Snabbdialog//SV"
METHODS = ("REQUEST", "CANCEL")


@dataclass(frozen=True)
class Participant:
    """An organizer or attendee. `role` and `partstat` use the RFC 5545 values."""

    name: str
    email: str
    role: str = "REQ-PARTICIPANT"
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass(frozen=True)
class MeetingTime:
    """One meeting date of a round; `id` must stay the same when the meeting is moved."""

    id: str | int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RoundInfo:
    id: str | int
    theme: str
    lead: str  # e.g. "Vinnova, Hållbar industri"
    meetings: tuple[MeetingTime, ...]
    meeting_link: str | None = None
    recorded: bool = False
    page_url: str | None = None


@dataclass(frozen=True)
class BookingInfo:
    id: str | int
    round_id: str | int
    theme: str
    region: str
    start: datetime
    end: datetime
    meeting_link: str | None = None
    recorded: bool = False
    page_url: str | None = None


@dataclass(frozen=True)
class CalendarEntry:
    """A calendar event independent of how it is delivered (invitation or feed)."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    location: str | None = None
    url: str | None = None
    sequence: int = 0
    cancelled: bool = False


def make_uid(kind: str, ident: str | int, domain: str = DEFAULT_DOMAIN) -> str:
    """Stable UID: the same round meeting or booking always has the same UID, whatever changes."""
    return f"{kind}-{ident}@{domain}"


def _recording_note(recorded: bool) -> tuple[str, str]:
    if recorded:
        return "Mötet spelas in.", "The meeting is recorded."
    return "Mötet spelas inte in.", "The meeting is not recorded."


def round_entries(
    round_info: RoundInfo, sequence: int = 0, *, domain: str = DEFAULT_DOMAIN, cancelled: bool = False
) -> list[CalendarEntry]:
    """One entry per meeting date of the round."""
    rec_sv, rec_en = _recording_note(round_info.recorded)
    description = (
        f"Snabbdialog: {round_info.theme}. Huvudman: {round_info.lead}. "
        f"Varje region presenterar sina strategiska fokusområden i tio minuter. {rec_sv}\n\n"
        f"Snabbdialog (strategic dialogue): {round_info.theme}. Lead: {round_info.lead}. "
        f"Each region presents its strategic focus areas in ten minutes. {rec_en}"
    )
    if round_info.meeting_link:
        description += f"\n\n{round_info.meeting_link}"
    total = len(round_info.meetings)
    entries = []
    for number, meeting in enumerate(round_info.meetings, start=1):
        suffix = f" ({number}/{total})" if total > 1 else ""
        entries.append(
            CalendarEntry(
                uid=make_uid(f"round-{round_info.id}-meeting", meeting.id, domain),
                summary=f"Snabbdialog: {round_info.theme}{suffix}",
                start=meeting.start,
                end=meeting.end,
                description=description,
                location=round_info.meeting_link,
                url=round_info.page_url or round_info.meeting_link,
                sequence=sequence,
                cancelled=cancelled,
            )
        )
    return entries


def booking_entry(
    booking: BookingInfo, sequence: int = 0, *, domain: str = DEFAULT_DOMAIN, cancelled: bool = False
) -> CalendarEntry:
    """The region's own ten-minute slot."""
    rec_sv, rec_en = _recording_note(booking.recorded)
    description = (
        f"{booking.region} presenterar i snabbdialogen {booking.theme}. "
        f"Det är inte en ansökan om nationell finansiering. {rec_sv}\n\n"
        f"{booking.region} presents in the snabbdialog {booking.theme}. "
        f"It is not a request for national funding. {rec_en}"
    )
    if booking.meeting_link:
        description += f"\n\n{booking.meeting_link}"
    return CalendarEntry(
        uid=make_uid("booking", booking.id, domain),
        summary=f"Snabbdialog: {booking.region} presenterar ({booking.theme})",
        start=booking.start,
        end=booking.end,
        description=description,
        location=booking.meeting_link,
        url=booking.page_url or booking.meeting_link,
        sequence=sequence,
        cancelled=cancelled,
    )


# ---------------------------------------------------------------------------------------------
# VTIMEZONE from zoneinfo


def _utc_offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def _transitions(zone: ZoneInfo, first: date, last: date) -> list[datetime]:
    """UTC instants where the zone's offset changes between `first` and `last` (day scan, then bisect)."""
    found = []
    day = datetime.combine(first, time(0), UTC)
    stop = datetime.combine(last + timedelta(days=1), time(0), UTC)
    while day < stop:
        nxt = day + timedelta(days=1)
        if _utc_offset_at(zone, day) != _utc_offset_at(zone, nxt):
            low, high = day, nxt
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                if _utc_offset_at(zone, mid) == _utc_offset_at(zone, low):
                    low = mid
                else:
                    high = mid
            found.append(high.replace(microsecond=0))
        day = nxt
    return found


def _observance(zone: ZoneInfo, instant: datetime, offset_from: timedelta):
    local = instant.astimezone(zone)
    component = TimezoneDaylight() if local.dst() else TimezoneStandard()
    # RFC 5545 3.6.5: DTSTART is the onset in the local time *before* the change (TZOFFSETFROM).
    component.add("dtstart", (instant + offset_from).replace(tzinfo=None))
    component.add("tzname", local.tzname())
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", local.utcoffset())
    return component


def stockholm_vtimezone(first: date, last: date) -> Timezone:
    """A Europe/Stockholm VTIMEZONE valid from `first` to `last`, one observance per change."""
    zone = STOCKHOLM
    vtimezone = Timezone()
    vtimezone.add("tzid", STOCKHOLM_TZID)
    start = datetime.combine(first, time(0), UTC)
    initial = _utc_offset_at(zone, start)
    vtimezone.add_component(_observance(zone, start, initial))
    previous = initial
    for instant in _transitions(zone, first, last):
        vtimezone.add_component(_observance(zone, instant, previous))
        previous = _utc_offset_at(zone, instant)
    return vtimezone


def _timezone_range(entries: Sequence[CalendarEntry], now: datetime) -> tuple[date, date]:
    if not entries:
        return date(now.year - 1, 12, 31), date(now.year, 12, 31)
    first = min(e.start.astimezone(STOCKHOLM) for e in entries).year
    last = max(e.end.astimezone(STOCKHOLM) for e in entries).year
    # Whole calendar years (from the last day of the year before, so the first observance starts
    # before any local time on 1 January), so every observance an event could fall under is present.
    return date(first - 1, 12, 31), date(last, 12, 31)


# ---------------------------------------------------------------------------------------------
# calendars


def _address(person: Participant) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = person.name
    return address


def _event(entry: CalendarEntry, now: datetime, method: str | None, organizer, attendees) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", entry.start.astimezone(STOCKHOLM))
    event.add("dtend", entry.end.astimezone(STOCKHOLM))
    event.add("summary", entry.summary)
    event.add("sequence", entry.sequence)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    cancelled = entry.cancelled or method == "CANCEL"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    for person in attendees:
        address = _address(person)
        address.params["role"] = person.role
        address.params["partstat"] = person.partstat
        # No answers are expected to a cancellation.
        address.params["rsvp"] = "TRUE" if person.rsvp and method == "REQUEST" else "FALSE"
        event.add("attendee", address)
    return event


def _check_invitation(method: str, sequence: int, organizer: Participant, attendees, entries) -> None:
    errors: list[FieldError] = []
    if method not in METHODS:
        errors.append(
            FieldError(
                "method",
                "invalid_choice",
                "Metoden måste vara REQUEST eller CANCEL.",
                "The method must be REQUEST or CANCEL.",
            )
        )
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
        errors.append(
            FieldError(
                "sequence",
                "out_of_range",
                "SEQUENCE måste vara ett heltal, 0 eller större.",
                "SEQUENCE must be an integer, 0 or more.",
            )
        )
    for index, person in enumerate([organizer, *attendees]):
        where = "organizer" if index == 0 else f"attendees[{index - 1}]"
        if "@" not in person.email or person.email.startswith("@") or person.email.endswith("@"):
            errors.append(
                FieldError(
                    f"{where}.email",
                    "invalid_email",
                    f"Ogiltig e-postadress: {person.email!r}.",
                    f"Invalid e-mail address: {person.email!r}.",
                )
            )
    if not attendees:
        errors.append(FieldError("attendees", "required", "Ange minst en mottagare.", "Give at least one attendee."))
    if not entries:
        errors.append(
            FieldError(
                "meetings",
                "required",
                "Det finns inga möten att bjuda in till.",
                "There is nothing to invite to.",
            )
        )
    for index, entry in enumerate(entries):
        errors.extend(interval_errors(entry.start, entry.end, f"meetings[{index}]"))
    raise_if_errors(errors)


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def invitation(
    entries: Sequence[CalendarEntry],
    attendees: Sequence[Participant],
    organizer: Participant,
    method: str = "REQUEST",
    *,
    now: datetime | None = None,
) -> Calendar:
    """An iTIP invitation (REQUEST) or cancellation (CANCEL) for the given entries."""
    now = now or datetime.now(UTC)
    _check_invitation(method, min((e.sequence for e in entries), default=0), organizer, attendees, entries)
    calendar = _calendar(method)
    first, last = _timezone_range(entries, now)
    calendar.add_component(stockholm_vtimezone(first, last))
    for entry in entries:
        calendar.add_component(_event(entry, now, method, organizer, attendees))
    return calendar


def round_invitation(
    round_info: RoundInfo,
    attendees: Sequence[Participant],
    method: str = "REQUEST",
    sequence: int = 0,
    *,
    organizer: Participant,
    domain: str = DEFAULT_DOMAIN,
    now: datetime | None = None,
) -> Calendar:
    """Invite to (or cancel) every meeting of a round. Raise `sequence` on every change you send.

    To cancel one meeting only, pass a RoundInfo holding just that meeting: its UID stays the same.
    """
    entries = round_entries(round_info, sequence, domain=domain, cancelled=method == "CANCEL")
    return invitation(entries, attendees, organizer, method, now=now)


def booking_invitation(
    booking: BookingInfo,
    attendees: Sequence[Participant],
    method: str = "REQUEST",
    sequence: int = 0,
    *,
    organizer: Participant,
    domain: str = DEFAULT_DOMAIN,
    now: datetime | None = None,
) -> Calendar:
    """Invite the region's presenters to their slot (or cancel it)."""
    entry = booking_entry(booking, sequence, domain=domain, cancelled=method == "CANCEL")
    return invitation([entry], attendees, organizer, method, now=now)


def subscription_feed(
    entries: Iterable[CalendarEntry],
    name: str = "Snabbdialoger",
    *,
    refresh: timedelta = timedelta(hours=1),
    description: str | None = None,
    now: datetime | None = None,
) -> Calendar:
    """A personal feed to subscribe to: no METHOD, no ORGANIZER/ATTENDEE, cancelled events marked.

    Clients decide how often they refresh; REFRESH-INTERVAL and X-PUBLISHED-TTL are hints (Google
    Calendar refreshes subscriptions on its own schedule, often only every several hours).
    """
    now = now or datetime.now(UTC)
    items = sorted(entries, key=lambda e: (e.start, e.uid))
    for index, entry in enumerate(items):
        raise_if_errors(interval_errors(entry.start, entry.end, f"entries[{index}]"))
    calendar = _calendar(None)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", STOCKHOLM_TZID)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", refresh, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", refresh)
    first, last = _timezone_range(items, now)
    calendar.add_component(stockholm_vtimezone(first, last))
    for entry in items:
        calendar.add_component(_event(entry, now, None, None, ()))
    return calendar


def to_ics(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def calendar_method(calendar: Calendar | bytes | str) -> str | None:
    """The METHOD of a calendar (None for a feed)."""
    if not isinstance(calendar, Calendar):
        calendar = Calendar.from_ical(calendar)
    method = calendar.get("method")
    return str(method).upper() if method is not None else None


def webcal_url(https_url: str) -> str:
    """The same feed address as a webcal:// link, which opens the subscribe dialog in calendar apps."""
    for prefix in ("https://", "http://"):
        if https_url.startswith(prefix):
            return "webcal://" + https_url[len(prefix) :]
    raise_if_errors(
        [
            FieldError(
                "url",
                "invalid_url",
                "Flödets adress måste börja med https://.",
                "The feed address must start with https://.",
            )
        ]
    )
    return https_url  # unreachable; keeps the return type obvious
