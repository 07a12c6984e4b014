"""Calendar files (RFC 5545) for the whole workspace: invitations, personal feeds and the public call feed.

Every event is an `Entry`. `invitation()` and `feed()` turn entries into icalendar objects: an
invitation (iTIP, RFC 5546) has METHOD, ORGANIZER and ATTENDEEs; a subscribed feed has none of them,
so calendar clients show it read-only instead of offering to answer it.

The public feed of every call (tens of thousands of events) must be served within its time budget,
and building that many icalendar objects is about twenty times too slow. `feed_text()` therefore
writes the same properties as `feed()` as plain content lines (RFC 5545 escaping and folding); a test
checks that both give the same calendar.

Times are written as local Europe/Stockholm time with a VTIMEZONE built from the zoneinfo data for the
years the events span, so the offsets are right on both sides of the March and October changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration, vText

from .formatting import STOCKHOLM

TZID = "Europe/Stockholm"
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
class Entry:
    """One VEVENT. A `date` start is an all-day event; a timed event without `end` is a point in time."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    sequence: int = 0
    description: str = ""
    location: str | None = None
    url: str | None = None
    status: str | None = None  # CONFIRMED or CANCELLED; left out when None
    transparent: bool = False  # deadlines do not make anyone busy, meetings do
    categories: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # X- properties as (name, text)


@dataclass(frozen=True)
class FeedHeader:
    """What a subscribing client shows and how often it is asked to fetch the feed again."""

    prodid: str
    name: str
    description: str | None = None
    # Hints only: Google Calendar refreshes subscriptions on its own schedule.
    refresh: timedelta = timedelta(hours=1)


def timed(value: date | datetime) -> bool:
    return isinstance(value, datetime)


# ---------------------------------------------------------------------------------------------
# VTIMEZONE from zoneinfo


def _utc_offset_at(instant: datetime) -> timedelta:
    return instant.astimezone(STOCKHOLM).utcoffset() or timedelta(0)


def _transitions(first: date, last: date) -> list[datetime]:
    """UTC instants where the offset changes between `first` and `last` (day scan, then bisect)."""
    found = []
    day = datetime.combine(first, time(0), UTC)
    stop = datetime.combine(last + timedelta(days=1), time(0), UTC)
    while day < stop:
        nxt = day + timedelta(days=1)
        if _utc_offset_at(day) != _utc_offset_at(nxt):
            low, high = day, nxt
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                if _utc_offset_at(mid) == _utc_offset_at(low):
                    low = mid
                else:
                    high = mid
            found.append(high.replace(microsecond=0))
        day = nxt
    return found


def _observance(instant: datetime, offset_from: timedelta):
    local = instant.astimezone(STOCKHOLM)
    component = TimezoneDaylight() if local.dst() else TimezoneStandard()
    # RFC 5545 3.6.5: DTSTART is the onset in the local time *before* the change (TZOFFSETFROM).
    component.add("dtstart", (instant + offset_from).replace(tzinfo=None))
    component.add("tzname", local.tzname())
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", local.utcoffset())
    return component


def stockholm_vtimezone(first: date, last: date) -> Timezone:
    """A Europe/Stockholm VTIMEZONE valid from `first` to `last`, one observance per change."""
    vtimezone = Timezone()
    vtimezone.add("tzid", TZID)
    start = datetime.combine(first, time(0), UTC)
    initial = _utc_offset_at(start)
    vtimezone.add_component(_observance(start, initial))
    previous = initial
    for instant in _transitions(first, last):
        vtimezone.add_component(_observance(instant, previous))
        previous = _utc_offset_at(instant)
    return vtimezone


def _timezone_for(entries: Sequence[Entry]) -> Timezone | None:
    """The VTIMEZONE the timed entries need (whole calendar years), or None when all are all-day."""
    years = [value.astimezone(STOCKHOLM).year for e in entries for value in (e.start, e.end)
             if value is not None and timed(value)]
    if not years:
        return None
    # From the last day of the year before, so the first observance starts before any local time on 1 January.
    return stockholm_vtimezone(date(min(years) - 1, 12, 31), date(max(years), 12, 31))


# ---------------------------------------------------------------------------------------------
# icalendar objects


def _address(person: Participant) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = person.name
    return address


def _when(value: date | datetime) -> date | datetime:
    return value.astimezone(STOCKHOLM) if timed(value) else value


def event(entry: Entry, now: datetime) -> Event:
    """The entry as an icalendar VEVENT (without organizer and attendees)."""
    item = Event()
    item.add("uid", entry.uid)
    item.add("dtstamp", now.astimezone(UTC))
    item.add("dtstart", _when(entry.start))
    if entry.end is not None:
        item.add("dtend", _when(entry.end))
    item.add("sequence", entry.sequence)
    item.add("summary", entry.summary)
    if entry.description:
        item.add("description", entry.description)
    if entry.location:
        item.add("location", entry.location)
    if entry.url:
        item.add("url", entry.url)
    if entry.categories:
        item.add("categories", list(entry.categories))
    if entry.status:
        item.add("status", entry.status)
    item.add("transp", "TRANSPARENT" if entry.transparent else "OPAQUE")
    for name, value in entry.extra:
        item.add(name, vText(value))  # unknown to icalendar, so typed here to be escaped as TEXT
    return item


def _calendar(prodid: str, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _add_events(calendar: Calendar, entries: Sequence[Entry], now: datetime) -> list[Event]:
    zone = _timezone_for(entries)
    if zone is not None:
        calendar.add_component(zone)
    events = [event(entry, now) for entry in entries]
    for item in events:
        calendar.add_component(item)
    return events


def invitation(entries: Sequence[Entry], now: datetime, *, prodid: str, method: str,
               organizer: Participant, attendees: Sequence[Participant]) -> Calendar:
    """An iTIP REQUEST or CANCEL (the caller checks its input); answers are asked for on a REQUEST only."""
    calendar = _calendar(prodid, method)
    for item in _add_events(calendar, entries, now):
        item.add("organizer", _address(organizer))
        for person in attendees:
            address = _address(person)
            address.params["role"] = person.role
            address.params["partstat"] = person.partstat
            address.params["rsvp"] = "TRUE" if person.rsvp and method == "REQUEST" else "FALSE"
            item.add("attendee", address)
    return calendar


def _header_properties(header: FeedHeader) -> list[tuple[str, str]]:
    items = [("NAME", header.name), ("X-WR-CALNAME", header.name), ("X-WR-TIMEZONE", TZID)]
    if header.description:
        items.append(("X-WR-CALDESC", header.description))
    return items


def feed(entries: Iterable[Entry], now: datetime, header: FeedHeader) -> Calendar:
    """A calendar to subscribe to: no METHOD, no ORGANIZER or ATTENDEE; events in the order given."""
    calendar = _calendar(header.prodid)
    for name, value in _header_properties(header):
        calendar.add(name, vText(value))
    calendar.add("refresh-interval", header.refresh, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", vDuration(header.refresh))  # a bare timedelta is written as "12:00:00"
    _add_events(calendar, list(entries), now)
    return calendar


def to_ics(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def calendar_method(calendar: Calendar | bytes | str) -> str | None:
    """The METHOD of a calendar (None for a feed)."""
    if not isinstance(calendar, Calendar):
        return _method_of_text(calendar.decode() if isinstance(calendar, bytes) else calendar)
    method = calendar.get("method")
    return str(method).upper() if method is not None else None


def _method_of_text(text: str) -> str | None:
    # The calendar's own properties come before its first component (RFC 5545 3.4): the METHOD is found in
    # the first lines, without parsing the events and time zone of every message that carries an invitation.
    for line in text.replace("\r\n ", "").replace("\r\n\t", "").splitlines():
        name, _, value = line.partition(":")
        name = name.partition(";")[0].strip().upper()
        if name == "BEGIN" and value.strip().upper() == "VCALENDAR":
            continue
        if name == "METHOD":
            return value.strip().upper() or None
        if name in ("BEGIN", "END"):
            return None
    return None


def webcal_url(url: str) -> str | None:
    """The same address as a webcal:// link (opens the subscribe dialog in calendar apps); None for other schemes."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            return "webcal://" + url[len(prefix):]
    return None


# ---------------------------------------------------------------------------------------------
# the same feed as plain content lines, for very large feeds


@lru_cache(maxsize=8192)  # a call's description and labels repeat on each of its events
def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 3.3.11."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    if line.isascii():
        # One octet per character: slice directly (the common case, and the fast one for big feeds).
        if len(line) <= 75:
            return line
        return "\r\n ".join([line[:75], *(line[i:i + 74] for i in range(75, len(line), 74))])
    if len(line.encode()) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode())
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    # Formatted by hand: strftime is the slowest step of a big feed.
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _date_line(name: str, value: date | datetime) -> str:
    if timed(value):
        local = value.astimezone(STOCKHOLM)
        return f"{name};TZID={TZID}:{_day(local)}T{local.hour:02d}{local.minute:02d}{local.second:02d}"
    return f"{name};VALUE=DATE:{_day(value)}"


def _event_lines(entry: Entry, stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{entry.uid}", f"DTSTAMP:{stamp}", _date_line("DTSTART", entry.start)]
    if entry.end is not None:
        lines.append(_date_line("DTEND", entry.end))
    lines += [f"SEQUENCE:{int(entry.sequence)}", f"SUMMARY:{escape_text(entry.summary)}"]
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    if entry.url:
        lines.append(f"URL:{entry.url}")
    if entry.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in entry.categories))
    if entry.status:
        lines.append(f"STATUS:{entry.status}")
    lines.append("TRANSP:TRANSPARENT" if entry.transparent else "TRANSP:OPAQUE")
    lines += [f"{name.upper()}:{escape_text(value)}" for name, value in entry.extra]
    lines.append("END:VEVENT")
    return lines


def feed_text(entries: Iterable[Entry], now: datetime, header: FeedHeader) -> bytes:
    """`to_ics(feed(...))` for feeds too large to build as icalendar objects (UTF-8, CRLF, folded lines)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    items = list(entries)
    refresh = vDuration(header.refresh).to_ical().decode()
    lines = ["BEGIN:VCALENDAR", f"PRODID:{escape_text(header.prodid)}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    lines += [f"{name}:{escape_text(value)}" for name, value in _header_properties(header)]
    lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}", f"X-PUBLISHED-TTL:{refresh}"]
    zone = _timezone_for(items)
    stamp = _utc_stamp(now)
    body = [line if len(line) <= 75 and line.isascii() else fold(line)
            for entry in items for line in _event_lines(entry, stamp)]
    text = "\r\n".join(fold(line) for line in lines) + "\r\n"
    if zone is not None:
        text += zone.to_ical().decode()
    return (text + "\r\n".join(body) + ("\r\n" if body else "") + "END:VCALENDAR\r\n").encode()
