"""ICS import as funders and calendar clients (Outlook, Google, Apple) export it.

Conventions (also in IMPORT_TEMPLATE.md):

* Grouping VEVENTs into calls, first rule that applies:
  1. ``X-SYNERGY-CALL`` (the call's own id; the export writes it), or ``X-CALL-ID``;
  2. the UID stem: the part of the UID before ``#`` or before a trailing ``-opening``, ``-deadline``,
     ``-deadline-2``, ``-decision``, ... (e.g. ``hi-2027#deadline@vinnova.se`` -> ``hi-2027``);
  3. the SUMMARY prefix before a separator (`` – ``, `` - ``, ``: ``) when the rest of the SUMMARY
     names an event kind (``Hållbar industri 2027: sista ansökningsdag`` -> ``Hållbar industri 2027``);
  4. otherwise the VEVENT is a call of its own.
* Each VEVENT's kind: ``X-SYNERGY-EVENT-KIND``, else CATEGORIES, else words in the SUMMARY (Swedish or
  English). A VEVENT with no recognisable kind that is a call of its own is read as the application
  window: DTSTART opens, DTEND (last day, for all-day events) is the deadline.
* RRULE on a window event makes a call series: every occurrence in the window is a call of its own.
  RRULE on a deadline event gives one call with several cut-offs. Occurrences are expanded only
  within the given window and at most ``max_occurrences`` per rule.
* Times: TZID (Olson or Windows names; icalendar maps Windows names with the CLDR windowsZones table
  it ships), UTC, or floating (read as Europe/Stockholm). Everything is stored as UTC.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from dateutil import rrule as dateutil_rrule
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from ..clock import STOCKHOLM, local_date, to_utc
from .call_data import CallData, CallSeries, Deadline, EventKind, FieldError, validate_call
from .import_preview import ImportPreview, RowResult, decide_actions
from .import_tabular import looks_binary

CALL_ID_PROPERTIES = ("X-SYNERGY-CALL", "X-CALL-ID")
KIND_PROPERTY = "X-SYNERGY-EVENT-KIND"
REFERENCE_PROPERTY = "X-SYNERGY-REFERENCE"

# Longer phrases first: "senaste projektstart" must win over "projektstart".
KIND_WORDS: tuple[tuple[str, EventKind], ...] = (
    ("senaste projektstart", EventKind.LATEST_START),
    ("latest project start", EventKind.LATEST_START),
    ("latest start", EventKind.LATEST_START),
    ("tidigaste projektstart", EventKind.EARLIEST_START),
    ("earliest project start", EventKind.EARLIEST_START),
    ("earliest start", EventKind.EARLIEST_START),
    ("projektstart", EventKind.EARLIEST_START),
    ("project start", EventKind.EARLIEST_START),
    ("sista ansökningsdag", EventKind.DEADLINE),
    ("sista dag att ansöka", EventKind.DEADLINE),
    ("ansökningsstopp", EventKind.DEADLINE),
    ("stänger", EventKind.DEADLINE),
    ("deadline", EventKind.DEADLINE),
    ("cut-off", EventKind.DEADLINE),
    ("cutoff", EventKind.DEADLINE),
    ("closes", EventKind.DEADLINE),
    ("closing", EventKind.DEADLINE),
    ("öppnar", EventKind.OPENING),
    ("öppning", EventKind.OPENING),
    ("opens", EventKind.OPENING),
    ("opening", EventKind.OPENING),
    ("beslut", EventKind.DECISION),
    ("besked", EventKind.DECISION),
    ("decision", EventKind.DECISION),
)
_KIND_VALUES = {k.value: k for k in EventKind} | {k.value.replace("_", "-"): k for k in EventKind}
_UID_SUFFIX = re.compile(r"[-_.](opening|deadline|cutoff|decision|earliest[-_]start|latest[-_]start)([-_]?\d+)?$", re.I)
_SUMMARY_SPLIT = re.compile(r"\s+[–—-]\s+|:\s+")


@dataclass
class _Event:
    position: int
    uid: str | None
    summary: str
    kind: EventKind | None
    start: date | datetime | None
    end: date | datetime | None
    rrule: str | None
    exdates: list[date | datetime] = field(default_factory=list)
    url: str | None = None
    description: str | None = None
    reference: str | None = None
    group_key: str | None = None
    errors: list[FieldError] = field(default_factory=list)


def parse_ics(
    data: bytes | str,
    funder_slug: str,
    known_funders: Collection[str],
    *,
    window_start: date,
    window_end: date,
    existing: Mapping[str, CallData] | None = None,
    max_occurrences: int = 500,
) -> ImportPreview:
    """Read an ICS file into one previewed row per call; a malformed file or event is a row error."""
    file_errors: list[FieldError] = []
    if funder_slug not in known_funders:
        file_errors.append(
            FieldError("funder", f'Okänd finansiär: "{funder_slug}".', f'Unknown funder: "{funder_slug}".')
        )
    head = data[:8192] if isinstance(data, bytes) else data[:8192].encode("utf-8", "replace")
    if looks_binary(head) or b"BEGIN:VCALENDAR" not in head.upper():
        return ImportPreview([], file_errors + [FieldError(
            "file", "Filen är inte en ICS-kalender: den börjar inte med BEGIN:VCALENDAR.",
            "The file is not an ICS calendar: it does not start with BEGIN:VCALENDAR.")])
    try:
        calendar = Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError and others for text that is not ICS
        return ImportPreview(
            [],
            file_errors
            + [
                FieldError(
                    "file",
                    f"Filen är inte en giltig ICS-kalender ({_short(exc)}).",
                    f"The file is not a valid ICS calendar ({_short(exc)}).",
                )
            ],
        )
    if isinstance(calendar, list):  # several VCALENDARs concatenated
        vevents = [e for c in calendar for e in c.walk("VEVENT")]
    else:
        vevents = list(calendar.walk("VEVENT"))
    if not vevents:
        file_errors.append(FieldError("file", "Filen innehåller inga händelser.", "The file contains no events."))
        return ImportPreview([], file_errors)

    events = [_read_event_safely(i, ve) for i, ve in enumerate(vevents, start=1)]
    groups: dict[str, list[_Event]] = {}
    for ev in events:
        ev.group_key = _group_key(ev)
        groups.setdefault(ev.group_key, []).append(ev)

    rows: list[RowResult] = []
    budget = _FileBudget(MAX_FILE_OCCURRENCES)
    try:
        for key, members in groups.items():
            rows.extend(_build_calls(key, members, funder_slug, window_start, window_end, max_occurrences, budget))
    except _FileCapExceeded as exc:
        label = _event_label(exc.event)
        return ImportPreview([], file_errors + [FieldError(
            "file",
            f"Filens upprepningar ger fler än {budget.cap} förekomster tillsammans (gränsen passerades vid "
            f"händelse {exc.event.position}, {label}). Dela upp filen eller begränsa upprepningarna med UNTIL "
            f"eller COUNT.",
            f"The recurrences in the file yield more than {budget.cap} occurrences together (the limit was "
            f"passed at event {exc.event.position}, {label}). Split the file or bound the recurrences with "
            f"UNTIL or COUNT.")])
    rows.sort(key=lambda r: r.row_number)
    return ImportPreview(decide_actions(rows, existing), file_errors)


class _FileCapExceeded(Exception):
    def __init__(self, event: _Event):
        self.event = event


class _FileBudget:
    """Occurrences of recurring events left for the rest of the file."""

    def __init__(self, cap: int):
        self.cap = cap
        self.used = 0
        self.steps = 0  # months (years for yearly rules) stepped through by dateutil

    def take(self, ev: _Event, occurrences: list) -> None:
        if ev.rrule is None:
            return  # a single event is one row of the file itself
        self.used += len(occurrences)
        if self.used > self.cap:
            raise _FileCapExceeded(ev)


def _event_label(ev: _Event, quoted: bool = True) -> str:
    """How a message names an event: its SUMMARY, else its UID, cut short."""
    text = _short(ev.summary or (f"UID {ev.uid}" if ev.uid else ""), 60)
    if not quoted:
        return text or "–"
    return f'"{text}"' if text else "–"


def _short(value: object, limit: int = 200) -> str:
    """Text of a value or an exception for a message, cut to ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def classify(summary: str, categories: list[str] | None = None) -> EventKind | None:
    """Event kind from CATEGORIES or SUMMARY words, Swedish or English."""
    for text in [*(categories or []), summary]:
        lowered = text.lower()
        for word, kind in KIND_WORDS:
            if word in lowered:
                return kind
    return None


def _read_event_safely(position: int, ve) -> _Event:
    """Read one VEVENT; an event icalendar cannot read becomes an error row instead of a crash."""
    try:
        return _read_event(position, ve)
    except Exception as exc:  # icalendar raises lazily (BrokenCalendarProperty, ValueError) on bad values
        ev = _Event(position, None, "", None, None, None, None)
        ev.errors = [FieldError("VEVENT", f"Händelse {position} kunde inte läsas ({_short(exc)}).",
                                f"Event {position} could not be read ({_short(exc)}).")]
        return ev


def _read_event(position: int, ve) -> _Event:
    errors: list[FieldError] = []
    summary = str(ve.get("SUMMARY", "")).strip()
    uid = str(ve["UID"]).strip() if "UID" in ve else None
    kind = _event_kind(ve, summary)
    start, end = _event_span(ve, errors)
    rrule = _event_rrule(ve, start, errors)
    exdates = _event_exdates(ve, errors)
    for name, _message in getattr(ve, "errors", []):
        if name not in {"DTSTART", "DTEND"}:
            errors.append(FieldError(name, f"Ogiltigt värde i {name}.", f"Invalid value in {name}."))
    url = _event_url(ve, errors)
    description = str(ve["DESCRIPTION"]).strip() if "DESCRIPTION" in ve else None
    reference = str(ve[REFERENCE_PROPERTY]).strip() if REFERENCE_PROPERTY in ve else None
    call_id = next((str(ve[p]).strip() for p in CALL_ID_PROPERTIES if p in ve), None)
    ev = _Event(position, uid, summary, kind, start, end, rrule, exdates, url, description, reference)
    ev.group_key = call_id
    ev.errors = errors
    return ev


def _listed(raw) -> list:
    """A property icalendar gives as one value or a list of values, as a list."""
    return raw if isinstance(raw, list) else [raw] if raw is not None else []


def _event_kind(ve, summary: str) -> EventKind | None:
    kind = None
    if KIND_PROPERTY in ve:
        kind = _KIND_VALUES.get(str(ve[KIND_PROPERTY]).strip().lower())
    if kind is None:
        categories: list[str] = []
        for item in _listed(ve.get("CATEGORIES")):
            categories.extend(str(c) for c in getattr(item, "cats", [item]))
        kind = classify(summary, categories)
    return kind


def _event_span(ve, errors: list[FieldError]) -> tuple[date | datetime | None, date | datetime | None]:
    start = _moment(ve, "DTSTART", errors)
    end = _moment(ve, "DTEND", errors) if "DTEND" in ve else None
    if start is None and not any(e.field == "DTSTART" for e in errors):
        errors.append(FieldError("DTSTART", "Händelsen saknar startdatum (DTSTART).", "The event has no DTSTART."))
    if end is None and start is not None and "DURATION" in ve:
        try:
            end = start + ve.decoded("DURATION")
        except Exception:  # a malformed DURATION surfaces as many exception types
            errors.append(FieldError("DURATION", "Ogiltig DURATION.", "Invalid DURATION."))
    if isinstance(start, date) and isinstance(end, date) and type(start) is not type(end):
        errors.append(
            FieldError("DTEND", "DTSTART och DTEND har olika typ.", "DTSTART and DTEND are of different types.")
        )
        end = None
    if start is not None and end is not None and end < start:
        errors.append(FieldError("DTEND", "DTEND ligger före DTSTART.", "DTEND is before DTSTART."))
    return start, end


def _event_rrule(ve, start, errors: list[FieldError]) -> str | None:
    if "RRULE" not in ve:
        return None
    try:
        rrule = ve["RRULE"].to_ical().decode()
        if _rule_parts(rrule).get("FREQ", "").upper() in ("HOURLY", "MINUTELY", "SECONDLY"):
            errors.append(FieldError(
                "RRULE", "En utlysning upprepas högst dagligen (FREQ=DAILY, WEEKLY, MONTHLY eller YEARLY).",
                "A call recurs at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."))
            return None
        if start is not None:
            _rule(start, rrule)  # refuse here what dateutil cannot expand later
    except Exception:  # icalendar's BrokenCalendarProperty, dateutil's ValueError and the like
        errors.append(FieldError("RRULE", "Ogiltig upprepningsregel (RRULE).", "Invalid recurrence rule (RRULE)."))
        return None
    return rrule


def _event_exdates(ve, errors: list[FieldError]) -> list[date | datetime]:
    exdates: list[date | datetime] = []
    try:
        for item in _listed(ve.get("EXDATE")):
            for d in getattr(item, "dts", []):
                exdates.append(_normalise(d.dt))
    except Exception:  # icalendar's BrokenCalendarProperty for an empty or malformed EXDATE
        errors.append(FieldError("EXDATE", "Ogiltigt datum i EXDATE.", "Invalid date in EXDATE."))
    return exdates


def _event_url(ve, errors: list[FieldError]) -> str | None:
    url = str(ve["URL"]).strip() if "URL" in ve else None
    if url and not re.match(r"^https?://\S+$", url):
        # The link is shown as a button on the call page: only web addresses, never javascript: or data:.
        errors.append(FieldError("URL", "Länken måste börja med http:// eller https://.",
                                 "The link must start with http:// or https://."))
        return None
    return url


def _moment(ve, name: str, errors: list[FieldError]) -> date | datetime | None:
    if name not in ve:
        return None
    prop = ve[name]
    try:
        value = getattr(prop, "dt", None)
    except Exception:  # icalendar's BrokenCalendarProperty for a value it could not parse
        value = None
    if not isinstance(value, date):
        errors.append(FieldError(name, f'Ogiltigt datum i {name}: "{_short(prop, 60)}".',
                                 f'Invalid date in {name}: "{_short(prop, 60)}".'))
        return None
    try:
        return _normalise(value)
    except Exception:  # a VTIMEZONE the library cannot evaluate
        errors.append(FieldError(name, f"Okänd tidszon i {name}.", f"Unknown time zone in {name}."))
        return None


def _normalise(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # Floating time: the convention of Swedish funders' calendars is Swedish time.
            value = value.replace(tzinfo=STOCKHOLM)
        return to_utc(value)
    return value


def _group_key(ev: _Event) -> str:
    if ev.group_key:
        return f"id:{ev.group_key}"
    if ev.uid:
        local, at, domain = ev.uid.partition("@")
        stem = local.split("#", 1)[0]
        stem = _UID_SUFFIX.sub("", stem)
        if stem != local:
            return f"uid:{stem}{at}{domain}"
    if ev.kind is not None:
        parts = _SUMMARY_SPLIT.split(ev.summary, maxsplit=1)
        if len(parts) == 2 and classify(parts[1]) is not None:
            return f"summary:{parts[0].strip().lower()}"
    return f"uid:{ev.uid}" if ev.uid else f"event:{ev.position}"


def _rule(start: date | datetime, rrule: str) -> rruleset:
    # Expand in local wall-clock time so a weekly 14:00 stays 14:00 across daylight-saving changes.
    timed = isinstance(start, datetime)
    dtstart = start.astimezone(STOCKHOLM) if timed else datetime.combine(start, datetime.min.time())
    rule = rrulestr(rrule, dtstart=dtstart, forceset=True)
    assert isinstance(rule, rruleset)
    return rule


# Occurrences walked from DTSTART for a rule with COUNT (which cannot skip ahead) before giving up.
MAX_COUNT_WALK = 20_000
# Months (or years, for FREQ=YEARLY) dateutil may step through for one rule: the window is about 170
# months; a rule walked from an old DTSTART or one that matches nothing would otherwise step to year 9999.
MAX_RULE_MONTHS = 400
# The same steps for all rules of one file together (about 3 s of the slowest rules on a small machine).
MAX_FILE_RULE_MONTHS = 12_000
# Occurrences of all recurring events of one file together.
MAX_FILE_OCCURRENCES = 5_000
_FREQ_ORDER = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SECONDS = {"DAILY": 86400, "HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}


class RecurrenceTooLong(ValueError):
    """A rule with COUNT whose occurrences before the window are too many to walk."""


class _FileStepsExceeded(Exception):
    """The rules of one file together have stepped through more than MAX_FILE_RULE_MONTHS."""


class _WindowPassed(Exception):
    """Raised inside dateutil's expansion once it has stepped past the window's last year."""


# dateutil checks UNTIL only against dates that match the rule, so a rule that matches nothing (30 February,
# a BYSETPOS beyond the set) steps period by period to year 9999: seconds to minutes of CPU. Its iterator
# calls _iterinfo.rebuild at every new month (every new year for YEARLY); a rule expanded here carries its
# last year and a step budget, and the expansion ends there. Rules without these attributes are untouched.
_dateutil_rebuild = dateutil_rrule._iterinfo.rebuild


def _rebuild_within_bounds(self, year, month):
    rule = self.rrule
    last_year = getattr(rule, "synergy_last_year", None)
    if last_year is not None:
        if year > last_year:
            raise _WindowPassed
        rule.synergy_steps += 1
        rule.synergy_budget.steps += 1
        if rule.synergy_budget.steps > MAX_FILE_RULE_MONTHS:
            raise _FileStepsExceeded
        if rule.synergy_steps > MAX_RULE_MONTHS:
            raise RecurrenceTooLong(MAX_COUNT_WALK)
    return _dateutil_rebuild(self, year, month)


dateutil_rrule._iterinfo.rebuild = _rebuild_within_bounds


def _rule_parts(rrule: str) -> dict[str, str]:
    return {k.strip().upper(): v.strip() for k, _, v in (p.partition("=") for p in rrule.split(";")) if k.strip()}


def _skip_ahead(rule, parts: dict[str, str], start: datetime, lo: datetime):
    """The same rule from the last period boundary before ``lo`` instead of from DTSTART.

    The values dateutil takes from DTSTART when the rule leaves them out (month, day, weekday, time) are
    written into the rule, and the new start is the first instant of a period on the rule's own grid of
    FREQ × INTERVAL periods counted from DTSTART's period, so the occurrences from there on are the
    original rule's. Computed in wall-clock time, as dateutil expands.
    """
    freq = parts.get("FREQ", "").upper()
    interval = max(int(parts.get("INTERVAL", "1") or 1), 1)
    if freq not in _FREQ_ORDER:
        return rule
    local = start.replace(tzinfo=None)
    fixed = _fixed_by_start(freq, parts, local)
    first, periods = _period_grid(freq, parts, local, lo.replace(tzinfo=None))
    skip = (periods // interval - 1) * interval  # one period early: the window's own period stays whole
    if skip <= 0:
        return rule.replace(**fixed) if fixed else rule
    return rule.replace(dtstart=_periods_later(freq, first, skip).replace(tzinfo=start.tzinfo), **fixed)


def _fixed_by_start(freq: str, parts: dict[str, str], local: datetime) -> dict[str, object]:
    """The values dateutil would take from DTSTART, written out so a later start keeps them."""
    level = _FREQ_ORDER.index(freq)
    fixed: dict[str, object] = {}
    if not any(k in parts for k in ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYEASTER")):
        if freq == "YEARLY":
            if "BYMONTH" not in parts:
                fixed["bymonth"] = local.month
            fixed["bymonthday"] = local.day
        elif freq == "MONTHLY":
            fixed["bymonthday"] = local.day
        elif freq == "WEEKLY":
            fixed["byweekday"] = local.weekday()
    for key, name, finer_than in (("BYHOUR", "byhour", 4), ("BYMINUTE", "byminute", 5), ("BYSECOND", "bysecond", 6)):
        if key not in parts and level < finer_than:
            fixed[name] = getattr(local, name[2:])
    return fixed


def _period_grid(freq: str, parts: dict[str, str], local: datetime, target: datetime) -> tuple[datetime, int]:
    """The first instant of DTSTART's period, and how many whole periods lie between it and ``target``."""
    if freq == "YEARLY":
        return datetime(local.year, 1, 1), target.year - local.year
    if freq == "MONTHLY":
        return datetime(local.year, local.month, 1), (target.year - local.year) * 12 + target.month - local.month
    if freq == "WEEKLY":
        wkst = _WEEKDAYS.index(parts["WKST"].upper()) if parts.get("WKST", "").upper() in _WEEKDAYS else 0
        first = datetime.combine(local.date() - timedelta(days=(local.weekday() - wkst) % 7), datetime.min.time())
        return first, (target - first).days // 7
    first = {"DAILY": local.replace(hour=0, minute=0, second=0, microsecond=0),
             "HOURLY": local.replace(minute=0, second=0, microsecond=0),
             "MINUTELY": local.replace(second=0, microsecond=0),
             "SECONDLY": local.replace(microsecond=0)}[freq]
    return first, int((target - first).total_seconds() // _SECONDS[freq])


def _periods_later(freq: str, first: datetime, skip: int) -> datetime:
    if freq == "YEARLY":
        return first.replace(year=first.year + skip)
    if freq == "MONTHLY":
        year, month = divmod(first.month - 1 + skip, 12)
        return first.replace(year=first.year + year, month=month + 1)
    if freq == "WEEKLY":
        return first + timedelta(weeks=skip)
    return first + timedelta(seconds=skip * _SECONDS[freq])


def _window_rule(ev: _Event, lo: datetime, hi: datetime, budget: _FileBudget) -> tuple[rruleset, bool]:
    """The event's rule set, bounded to end at the window's end; and whether it still walks from DTSTART."""
    assert ev.start is not None and ev.rrule is not None
    timed = isinstance(ev.start, datetime)
    dtstart = ev.start.astimezone(STOCKHOLM) if timed else datetime.combine(ev.start, datetime.min.time())
    rule = rrulestr(ev.rrule, dtstart=dtstart)
    parts = _rule_parts(ev.rrule)
    walks = "COUNT" in parts
    if not walks:
        if dtstart < lo:
            rule = _skip_ahead(rule, parts, dtstart, lo)
        # UNTIL at the window's end: a rule that never matches (30 February) stops there, not in year 9999.
        until = getattr(rule, "_until", None)
        rule = rule.replace(until=hi if until is None or until > hi else until)
    rule.synergy_last_year = hi.year
    rule.synergy_steps = 0
    rule.synergy_budget = budget
    rules = rruleset()
    rules.rrule(rule)
    for ex in ev.exdates:
        rules.exdate(ex.astimezone(STOCKHOLM) if isinstance(ex, datetime)
                     else datetime.combine(ex, datetime.min.time()))
    return rules, walks


def _expand(ev: _Event, window_start: date, window_end: date, limit: int,
            budget: _FileBudget | None = None) -> tuple[list, bool]:
    """Occurrences of a recurring event inside the window, and whether the limit cut them short.

    Only the window is expanded: a rule without COUNT starts at the window (see ``_skip_ahead``) and ends
    with it; a rule with COUNT is walked from DTSTART, at most ``MAX_COUNT_WALK`` occurrences.
    """
    assert ev.start is not None
    if ev.rrule is None:
        return [ev.start], False
    timed = isinstance(ev.start, datetime)
    lo = datetime.combine(window_start, datetime.min.time())
    hi = datetime.combine(window_end, datetime.max.time().replace(microsecond=0))
    if timed:
        lo, hi = lo.replace(tzinfo=STOCKHOLM), hi.replace(tzinfo=STOCKHOLM)
    budget = budget or _FileBudget(MAX_FILE_OCCURRENCES)
    rule, walks = _window_rule(ev, lo, hi, budget)
    found: list = []
    try:
        for walked, occurrence in enumerate(rule, start=1):
            if occurrence > hi:
                break
            if occurrence < lo:
                if walks and walked >= MAX_COUNT_WALK:
                    raise RecurrenceTooLong(MAX_COUNT_WALK)
                continue
            if len(found) == limit:
                budget.take(ev, found)
                return found, True
            if timed:
                # dateutil adds a fixed interval to the aware start; rebuild the wall time in Stockholm.
                occurrence = occurrence.replace(tzinfo=None).replace(tzinfo=STOCKHOLM).astimezone(UTC)
                found.append(occurrence)
            else:
                found.append(occurrence.date())
    except _WindowPassed:
        pass
    except _FileStepsExceeded:
        raise _FileCapExceeded(ev) from None
    budget.take(ev, found)
    return found, False


def _window_end_day(ev: _Event) -> date | datetime | None:
    """DTEND of an all-day event is exclusive: the last day of the window is the day before."""
    if ev.end is None:
        return None
    if isinstance(ev.end, datetime):
        return ev.end
    return ev.end - timedelta(days=1) if ev.end > ev.start else ev.end


def _event_errors(broken: list[_Event]) -> list[FieldError]:
    """Each unreadable event's errors, naming the event."""
    return [
        FieldError(
            err.field,
            f"Händelse {e.position} ({_event_label(e, quoted=False)}): {err.message_sv}",
            f"Event {e.position} ({_event_label(e, quoted=False)}): {err.message_en}",
        )
        for e in broken
        for err in e.errors
    ]


def _uid_and_reference(key: str, members: list[_Event]) -> tuple[str | None, str | None]:
    base_uid: str | None = key.split(":", 1)[1]
    reference = next((e.reference for e in members if e.reference), None)
    # Our own export writes the call identity ("uid:<uid>" or "ref:<funder>:<reference>").
    if key.startswith("id:uid:"):
        base_uid = key[len("id:uid:") :]
    elif key.startswith("id:ref:"):
        base_uid = None
        reference = reference or key.rsplit(":", 1)[1]
    return base_uid, reference


def _call_title(summary: str) -> str:
    """The summary without its kind ("Utlysning X – sista ansökningsdag" is the call "Utlysning X")."""
    parts = _SUMMARY_SPLIT.split(summary, maxsplit=1)
    return parts[0].strip() if len(parts) == 2 and classify(parts[1]) else summary


def _build_calls(
    key: str,
    members: list[_Event],
    funder_slug: str,
    window_start: date,
    window_end: date,
    limit: int,
    budget: _FileBudget | None = None,
) -> list[RowResult]:
    budget = budget or _FileBudget(MAX_FILE_OCCURRENCES)
    first = min(members, key=lambda e: e.position)
    broken = [e for e in members if e.errors]
    if broken:
        return [RowResult(first.position, _identity_for(key), None, _event_errors(broken))]

    base_uid, reference = _uid_and_reference(key, members)
    # A lone event without a kind is the application window; with RRULE it is a call series.
    if len(members) == 1 and first.kind is None:
        return _window_calls(first, base_uid or str(reference), funder_slug, window_start, window_end, limit,
                             budget)

    warnings: list[FieldError] = []
    opens_on: date | datetime | None = None
    deadlines: list[Deadline] = []
    dates: dict[EventKind, date] = {}
    title = None
    deadline_events = sum(1 for e in members if e.kind in (None, EventKind.DEADLINE))
    for ev in sorted(members, key=lambda e: e.position):
        try:
            occurrences, cut = _expand(ev, window_start, window_end, limit, budget)
        except RecurrenceTooLong:
            return [RowResult(first.position, _identity_for(key), None, [_too_long_error(ev)])]
        if cut:
            warnings.append(_cut_warning(ev, limit))
        kind = ev.kind or EventKind.DEADLINE
        if ev.kind is None:
            warnings.append(
                FieldError(
                    "SUMMARY",
                    f"Händelse {ev.position}: okänd typ, läses som sista ansökningsdag.",
                    f"Event {ev.position}: unknown kind, read as a deadline.",
                )
            )
        if title is None:
            title = _call_title(ev.summary)
        if kind == EventKind.OPENING and occurrences:
            opens_on = occurrences[0]
        elif kind == EventKind.DEADLINE:
            # Labels only tell several deadline events apart ("Steg 1", "Steg 2").
            label = _suffix(ev.summary) if deadline_events > 1 else ""
            deadlines.extend(Deadline(label, at) for at in occurrences)
        elif occurrences:
            dates[kind] = local_date(occurrences[0])
    url = next((e.url for e in members if e.url), None)
    call = CallData(
        funder_slug=funder_slug,
        title=title or base_uid or reference or "",
        reference=reference,
        uid=base_uid,
        url=url,
        opens_on=opens_on,
        deadlines=tuple(sorted(deadlines, key=lambda d: d.on)),
        decision_on=dates.get(EventKind.DECISION),
        earliest_start=dates.get(EventKind.EARLIEST_START),
        latest_start=dates.get(EventKind.LATEST_START),
        description=next((e.description for e in members if e.description), None),
    )
    errors = validate_call(call)
    return [RowResult(first.position, call.identity, None if errors else call, errors, warnings=warnings)]


def _window_calls(
    ev: _Event, base_uid: str, funder_slug: str, window_start: date, window_end: date, limit: int,
    budget: _FileBudget,
) -> list[RowResult]:
    if isinstance(ev.start, datetime) and (ev.end is None or ev.end - ev.start < timedelta(days=1)):
        # A lone timed event shorter than a day with no call words is a meeting, not a call.
        skipped = FieldError(
            "SUMMARY",
            f"Händelse {ev.position} ({_event_label(ev)}) känns inte igen som en utlysning och hoppas över.",
            f"Event {ev.position} ({_event_label(ev)}) is not recognised as a call and is skipped.",
        )
        return [RowResult(ev.position, None, None, warnings=[skipped])]
    try:
        occurrences, cut = _expand(ev, window_start, window_end, limit, budget)
    except RecurrenceTooLong:
        return [RowResult(ev.position, None, None, [_too_long_error(ev)])]
    warnings = [_cut_warning(ev, limit)] if cut else []
    end = _window_end_day(ev)
    length = None if end is None or ev.start is None else end - ev.start
    rows = []
    for at in occurrences:
        uid = base_uid if ev.rrule is None else f"{base_uid}/{local_date(at).isoformat()}"
        deadline = () if length is None else (Deadline("", at + length),)
        call = CallData(
            funder_slug=funder_slug,
            title=ev.summary or base_uid,
            reference=ev.reference if ev.rrule is None else None,
            uid=uid,
            url=ev.url,
            opens_on=at,
            deadlines=deadline,
            series=CallSeries(base_uid, ev.rrule, local_date(at)) if ev.rrule else None,
            description=ev.description,
        )
        errors = validate_call(call)
        rows.append(RowResult(ev.position, call.identity, None if errors else call, errors, warnings=list(warnings)))
    if not rows:
        rows.append(
            RowResult(
                ev.position,
                None,
                None,
                warnings=[
                    FieldError(
                        "RRULE",
                        f"Händelse {ev.position}: inga förekomster i det valda intervallet.",
                        f"Event {ev.position}: no occurrences in the chosen window.",
                    )
                ],
            )
        )
    return rows


def _cut_warning(ev: _Event, limit: int) -> FieldError:
    label = _event_label(ev)
    return FieldError(
        "RRULE",
        f"Händelse {ev.position} ({label}): upprepningen ger fler än {limit} förekomster i intervallet; "
        f"bara de {limit} första läses.",
        f"Event {ev.position} ({label}): the recurrence yields more than {limit} occurrences in the window; "
        f"only the first {limit} are read.",
    )


def _too_long_error(ev: _Event) -> FieldError:
    label = _event_label(ev)
    return FieldError(
        "RRULE",
        f"Händelse {ev.position} ({label}): upprepningen måste räknas fram från ett DTSTART långt före "
        f"intervallet (mer än {MAX_COUNT_WALK} förekomster eller {MAX_RULE_MONTHS} månader) och läses inte. "
        f"Ange ett senare DTSTART eller UNTIL i stället för COUNT.",
        f"Event {ev.position} ({label}): the recurrence would have to be counted from a DTSTART long before "
        f"the window (more than {MAX_COUNT_WALK} occurrences or {MAX_RULE_MONTHS} months) and is not read. "
        f"Give a later DTSTART, or UNTIL instead of COUNT.",
    )


def _suffix(summary: str) -> str:
    parts = _SUMMARY_SPLIT.split(summary, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else summary


def _identity_for(key: str) -> str | None:
    kind, _, value = key.partition(":")
    if kind == "id" and value.startswith(("uid:", "ref:")):
        return value
    return f"uid:{value}" if kind in {"id", "uid"} else None
