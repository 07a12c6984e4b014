"""RFC 5545 calendar output for snabbdialog rounds and bookings.

Two different things are produced here, and clients treat them differently:
  * invitations (iTIP, RFC 5546): METHOD:REQUEST or METHOD:CANCEL, ORGANIZER and ATTENDEEs, a stable
    UID per event and a SEQUENCE the caller raises on every change, otherwise clients ignore updates;
  * a subscription feed: no METHOD and no attendees, so Outlook, Google and Apple show it as a read-only
    calendar instead of offering to answer it.
The calendars themselves are written by `ics_writer`; this module decides what the events say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from .. import ics_writer
from ..clock import STOCKHOLM
from ..ics_writer import METHODS, Participant, calendar_method, stockholm_vtimezone, to_ics
from .validation import FieldError, interval_errors, raise_if_errors

DEFAULT_DOMAIN = "synergy.example"
PRODID = "-//Synergy workspace//Snabbdialog//SV"

__all__ = ["METHODS", "STOCKHOLM", "Participant", "calendar_method", "stockholm_vtimezone", "to_ics"]


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
# calendars


def calendar_event(entry: CalendarEntry, cancelled: bool = False) -> ics_writer.Entry:
    """The entry as the calendar writer's event: a meeting makes its people busy."""
    return ics_writer.Entry(
        uid=entry.uid, summary=entry.summary, start=entry.start, end=entry.end, sequence=entry.sequence,
        description=entry.description, location=entry.location, url=entry.url,
        status="CANCELLED" if entry.cancelled or cancelled else "CONFIRMED",
    )


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
    events = [calendar_event(entry, cancelled=method == "CANCEL") for entry in entries]
    return ics_writer.invitation(events, now, prodid=PRODID, method=method, organizer=organizer,
                                 attendees=attendees)


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
    header = ics_writer.FeedHeader(prodid=PRODID, name=name, description=description, refresh=refresh)
    return ics_writer.feed([calendar_event(entry) for entry in items], now, header)


def webcal_url(https_url: str) -> str:
    """The same feed address as a webcal:// link, which opens the subscribe dialog in calendar apps."""
    url = ics_writer.webcal_url(https_url)
    if url is None:
        raise_if_errors([FieldError("url", "invalid_url", "Flödets adress måste börja med https://.",
                                    "The feed address must start with https://.")])
    return url
