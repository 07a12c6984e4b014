"""A funding call (utlysning) as plain data, and the status rule derived from its dates.

Everything here is free of Flask and the database so that import, export, timeline and
alignment checks share one picture of a call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from ..clock import local_date
from ..storable_text import forbidden_character, text_error

# A call whose opening is announced within this many days counts as "forthcoming"; further
# ahead it is still "planned". Funders typically publish a call a few months before it opens.
DEFAULT_FORTHCOMING_HORIZON_DAYS = 90


class CallStatus(StrEnum):
    PLANNED = "planned"
    FORTHCOMING = "forthcoming"
    OPEN = "open"
    CLOSED = "closed"


class EventKind(StrEnum):
    OPENING = "opening"
    DEADLINE = "deadline"
    DECISION = "decision"
    EARLIEST_START = "earliest_start"
    LATEST_START = "latest_start"


STATUS_LABELS = {
    CallStatus.PLANNED: ("Planerad", "Planned"),
    CallStatus.FORTHCOMING: ("Kommande", "Forthcoming"),
    CallStatus.OPEN: ("Öppen", "Open"),
    CallStatus.CLOSED: ("Stängd", "Closed"),
}

EVENT_LABELS = {
    EventKind.OPENING: ("Utlysningen öppnar", "Call opens"),
    EventKind.DEADLINE: ("Sista ansökningsdag", "Deadline"),
    EventKind.DECISION: ("Beslut", "Decision"),
    EventKind.EARLIEST_START: ("Tidigaste projektstart", "Earliest project start"),
    EventKind.LATEST_START: ("Senaste projektstart", "Latest project start"),
}


class FieldError(NamedTuple):
    """One problem with one field, in Swedish and English so the web layer can pick."""

    field: str
    message_sv: str
    message_en: str


@dataclass(frozen=True)
class Deadline:
    """One cut-off of a call; a call with several stages or cut-offs has several."""

    label: str
    at: date | datetime

    @property
    def on(self) -> date:
        return local_date(self.at)


@dataclass(frozen=True)
class CallSeries:
    """Links calls that recur (e.g. a yearly call); `rrule` is the RFC 5545 rule if one was given."""

    key: str
    rrule: str | None = None
    occurrence: date | None = None


_KIND_ORDER = {kind: position for position, kind in enumerate(EventKind)}


@dataclass(frozen=True)
class CallEvent:
    """One dated event of a call, as shown on a calendar or written to ICS."""

    kind: EventKind
    index: int  # position among events of the same kind (several deadlines)
    label: str
    at: date | datetime

    @property
    def on(self) -> date:
        return local_date(self.at)


@dataclass(frozen=True)
class CallData:
    funder_slug: str
    title: str
    reference: str | None = None
    uid: str | None = None
    programme: str | None = None
    url: str | None = None
    opens_on: date | datetime | None = None
    deadlines: tuple[Deadline, ...] = ()
    decision_on: date | None = None
    earliest_start: date | None = None
    latest_start: date | None = None
    budget_sek: int | None = None  # öre
    max_grant_sek: int | None = None  # öre
    funding_rate: Decimal | None = None  # share 0..1, e.g. Decimal("0.5") for 50 %
    eligible_applicants: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    series: CallSeries | None = None
    # Rises with every change of a date so subscribed calendars pick up the change (RFC 5545 SEQUENCE).
    revision: int = 0
    description: str | None = field(default=None, compare=False)
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def identity(self) -> str:
        """Stable identity: the UID if the source has one, else funder + reference."""
        if self.uid:
            return f"uid:{self.uid}"
        if self.reference:
            return f"ref:{self.funder_slug}:{self.reference}"
        raise ValueError("a call needs a uid or a reference to be identified")

    @property
    def opens_date(self) -> date | None:
        return None if self.opens_on is None else local_date(self.opens_on)

    @property
    def first_deadline(self) -> date | None:
        return min((d.on for d in self.deadlines), default=None)

    @property
    def last_deadline(self) -> date | None:
        return max((d.on for d in self.deadlines), default=None)

    def events(self) -> list[CallEvent]:
        """Every dated event of the call, each deadline on its own, in date order."""
        events: list[CallEvent] = []
        if self.opens_on is not None:
            events.append(CallEvent(EventKind.OPENING, 0, EVENT_LABELS[EventKind.OPENING][0], self.opens_on))
        for i, d in enumerate(self.deadlines):
            label = d.label or EVENT_LABELS[EventKind.DEADLINE][0]
            events.append(CallEvent(EventKind.DEADLINE, i, label, d.at))
        for kind, value in (
            (EventKind.DECISION, self.decision_on),
            (EventKind.EARLIEST_START, self.earliest_start),
            (EventKind.LATEST_START, self.latest_start),
        ):
            if value is not None:
                events.append(CallEvent(kind, 0, EVENT_LABELS[kind][0], value))
        events.sort(key=lambda e: (e.on, _KIND_ORDER[e.kind], e.index))
        return events


def derive_status(call: CallData, today: date, horizon_days: int = DEFAULT_FORTHCOMING_HORIZON_DAYS) -> CallStatus:
    """Status from the dates alone.

    - closed: the last deadline is before today;
    - open: the call has opened (opening on or before today) and the last deadline is today or
      later, or there is no deadline (an open-ended call);
    - forthcoming: the opening date is within `horizon_days` from today;
    - planned: no opening date yet, or the opening is further ahead than the horizon.
    """
    last = call.last_deadline
    if last is not None and last < today:
        return CallStatus.CLOSED
    opens = call.opens_date
    if opens is None:
        return CallStatus.PLANNED
    if opens <= today:
        return CallStatus.OPEN
    if opens <= today + timedelta(days=horizon_days):
        return CallStatus.FORTHCOMING
    return CallStatus.PLANNED


def _unstorable_text(call: CallData) -> list[tuple[str, str]]:
    """(field, code point) for each text of the call holding a character that cannot be stored."""
    texts = [(name, getattr(call, name)) for name in ("title", "reference", "uid", "programme", "url", "description")]
    texts += [(name, value) for name in ("eligible_applicants", "themes", "regions") for value in getattr(call, name)]
    texts += [("deadline", d.label) for d in call.deadlines]
    if call.series is not None:
        texts += [("series", call.series.key), ("rrule", call.series.rrule)]
    texts += list(call.extra.items())
    found = {}
    for name, value in texts:
        if isinstance(value, str) and name not in found and (codepoint := forbidden_character(value)):
            found[name] = codepoint
    return list(found.items())


def validate_call(call: CallData) -> list[FieldError]:
    """Problems that make a call unusable, whatever the source (form, import, API)."""
    errors: list[FieldError] = []
    for name, codepoint in _unstorable_text(call):
        error = text_error(name, codepoint)
        errors.append(FieldError(error.field, error.message_sv, error.message_en))
    if not call.title.strip():
        errors.append(FieldError("title", "Titel saknas.", "Title is missing."))
    if not call.uid and not call.reference:
        errors.append(
            FieldError(
                "reference",
                "Utlysningen behöver ett UID eller en referens (diarienummer).",
                "The call needs a UID or a reference.",
            )
        )
    opens = call.opens_date
    for d in call.deadlines:
        if opens is not None and d.on < opens:
            errors.append(
                FieldError(
                    "deadline",
                    f"Sista ansökningsdag {d.on.isoformat()} ligger före öppningsdagen {opens.isoformat()}.",
                    f"Deadline {d.on.isoformat()} is before the opening date {opens.isoformat()}.",
                )
            )
    last = call.last_deadline
    if call.decision_on is not None and last is not None and call.decision_on < last:
        errors.append(
            FieldError(
                "decision_on",
                f"Beslutsdatum {call.decision_on.isoformat()} ligger före sista ansökningsdag {last.isoformat()}.",
                f"Decision date {call.decision_on.isoformat()} is before the deadline {last.isoformat()}.",
            )
        )
    if call.earliest_start and call.latest_start and call.latest_start < call.earliest_start:
        errors.append(
            FieldError(
                "latest_start",
                "Senaste projektstart ligger före tidigaste projektstart.",
                "Latest project start is before the earliest project start.",
            )
        )
    for name, amount in (("budget_sek", call.budget_sek), ("max_grant_sek", call.max_grant_sek)):
        if amount is not None and amount < 0:
            errors.append(FieldError(name, "Beloppet får inte vara negativt.", "The amount cannot be negative."))
    if call.budget_sek is not None and call.max_grant_sek is not None and call.max_grant_sek > call.budget_sek:
        errors.append(
            FieldError(
                "max_grant_sek",
                "Högsta bidrag per projekt är större än utlysningens budget.",
                "The maximum grant per project exceeds the call's budget.",
            )
        )
    if call.funding_rate is not None and not (Decimal(0) <= call.funding_rate <= Decimal(1)):
        errors.append(
            FieldError("funding_rate", "Stödnivån måste ligga mellan 0 och 100 %.", "The funding rate must be 0–100 %.")
        )
    return errors
