"""Checks on dialogue rounds, slots and bookings, before anything is saved.

Every check returns a list of `FieldError` (empty when the input is fine) so a form, an import
and the API can show all problems at once; `raise_if_errors` turns them into one exception for
callers that must stop. Nothing here changes its input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import urlparse


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, in Swedish and English."""

    field: str
    code: str
    message_sv: str
    message_en: str


class InvalidInput(ValueError):
    """Raised with every problem found; the caller changes nothing."""

    def __init__(self, errors: Sequence[FieldError]):
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message_en}" for e in self.errors))


def raise_if_errors(errors: Sequence[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


class _Timed(Protocol):
    start: datetime
    end: datetime


class _SlotLike(_Timed, Protocol):
    id: str
    round_id: str | int


def is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a slot ending at 10:10 does not clash with one starting at 10:10."""
    return a_start < b_end and b_start < a_end


def interval_errors(start: datetime, end: datetime, field_name: str) -> list[FieldError]:
    """A time span must be timezone-aware and end after it starts."""
    if not is_aware(start) or not is_aware(end):
        return [
            FieldError(
                field_name,
                "naive_datetime",
                "Tiden saknar tidszon; ange tid med tidszon (t.ex. Europe/Stockholm).",
                "The time has no time zone; give a time with a zone (e.g. Europe/Stockholm).",
            )
        ]
    if end <= start:
        return [
            FieldError(
                field_name,
                "end_not_after_start",
                "Sluttiden måste vara efter starttiden.",
                "The end time must be after the start time.",
            )
        ]
    return []


def _fmt(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def overlapping_slots(slots: Sequence[_SlotLike], field_name: str = "slots") -> list[FieldError]:
    """Slots of the same round must not overlap (a round has one speaker at a time)."""
    errors: list[FieldError] = []
    seen_ids: set[str] = set()
    by_round: dict[str | int, list[_SlotLike]] = defaultdict(list)
    for index, slot in enumerate(slots):
        if slot.id in seen_ids:
            errors.append(
                FieldError(
                    f"{field_name}[{index}].id",
                    "duplicate_slot_id",
                    f"Passet {slot.id} finns två gånger.",
                    f"Slot {slot.id} appears twice.",
                )
            )
        seen_ids.add(slot.id)
        bad = interval_errors(slot.start, slot.end, f"{field_name}[{index}]")
        errors.extend(bad)
        if not bad:
            by_round[slot.round_id].append(slot)
    for round_slots in by_round.values():
        ordered = sorted(round_slots, key=lambda s: (s.start, s.end, s.id))
        # Sorted by start, a slot can only overlap its predecessor with the latest end so far.
        latest = None
        for slot in ordered:
            if latest is not None and slot.start < latest.end:
                errors.append(
                    FieldError(
                        field_name,
                        "overlapping_slots",
                        f"Passen {latest.id} ({_fmt(latest.start)}–{_fmt(latest.end)}) och {slot.id} "
                        f"({_fmt(slot.start)}–{_fmt(slot.end)}) överlappar i samma omgång.",
                        f"Slots {latest.id} ({_fmt(latest.start)}–{_fmt(latest.end)}) and {slot.id} "
                        f"({_fmt(slot.start)}–{_fmt(slot.end)}) overlap in the same round.",
                    )
                )
            if latest is None or slot.end > latest.end:
                latest = slot
    return errors


@dataclass(frozen=True)
class RoundDraft:
    """What a planner enters for a dialogue round, before it is saved."""

    theme: str
    lead_organisation: str | None
    lead_area: str | None
    meetings: tuple[tuple[datetime, datetime], ...]
    meeting_link: str | None = None
    presentation_minutes: int = 10
    questions_minutes: int = 0
    buffer_minutes: int = 0
    agencies: tuple[str, ...] = field(default_factory=tuple)


def validate_round(draft: RoundDraft) -> list[FieldError]:
    """Everything that makes a round unusable: no theme, no lead, no or bad meeting times, bad link."""
    errors: list[FieldError] = []
    if not draft.theme or not draft.theme.strip():
        errors.append(FieldError("theme", "required", "Ange ett tema.", "Give a theme."))
    if not draft.lead_organisation or not draft.lead_organisation.strip():
        errors.append(
            FieldError(
                "lead_organisation",
                "required",
                "Omgången saknar nationell huvudman; ange myndighet.",
                "The round has no national lead; give the agency.",
            )
        )
    if not draft.lead_area or not draft.lead_area.strip():
        errors.append(
            FieldError(
                "lead_area",
                "required",
                "Ange huvudmannens område (t.ex. Hållbar industri).",
                "Give the lead's area (e.g. Hållbar industri).",
            )
        )
    errors.extend(_pattern_errors(draft))
    if not draft.meetings:
        errors.append(
            FieldError("meetings", "required", "Ange minst ett mötesdatum.", "Give at least one meeting date.")
        )
    errors.extend(_meeting_errors(draft))
    if draft.meeting_link:
        parsed = urlparse(draft.meeting_link)
        if parsed.scheme not in ("https", "http") or not parsed.netloc:
            errors.append(
                FieldError(
                    "meeting_link",
                    "invalid_url",
                    "Möteslänken måste vara en webbadress som börjar med https://.",
                    "The meeting link must be a web address starting with https://.",
                )
            )
    if len(set(draft.agencies)) != len(draft.agencies):
        errors.append(
            FieldError(
                "agencies",
                "duplicate",
                "En myndighet är angiven två gånger.",
                "An agency is listed twice.",
            )
        )
    return errors


def _meeting_errors(draft: RoundDraft) -> list[FieldError]:
    """Each meeting: a valid interval, long enough for one slot, not overlapping another meeting."""
    errors: list[FieldError] = []
    good: list[tuple[int, datetime, datetime]] = []
    slot_minutes = draft.presentation_minutes + draft.questions_minutes
    for index, (start, end) in enumerate(draft.meetings):
        bad = interval_errors(start, end, f"meetings[{index}]")
        errors.extend(bad)
        if bad:
            continue
        good.append((index, start, end))
        if slot_minutes > 0 and (end - start).total_seconds() < slot_minutes * 60:
            errors.append(
                FieldError(
                    f"meetings[{index}]",
                    "meeting_too_short",
                    f"Mötet är kortare än ett pass ({slot_minutes} min).",
                    f"The meeting is shorter than one slot ({slot_minutes} min).",
                )
            )
    good.sort(key=lambda m: (m[1], m[2]))
    for (i, a_start, a_end), (j, b_start, b_end) in zip(good, good[1:], strict=False):
        if overlaps(a_start, a_end, b_start, b_end):
            errors.append(
                FieldError(
                    f"meetings[{j}]",
                    "overlapping_meetings",
                    f"Möte {j + 1} överlappar möte {i + 1}.",
                    f"Meeting {j + 1} overlaps meeting {i + 1}.",
                )
            )
    return errors


def _pattern_errors(draft: RoundDraft) -> list[FieldError]:
    return pattern_errors(draft.presentation_minutes, draft.questions_minutes, draft.buffer_minutes)


def pattern_errors(presentation_minutes, questions_minutes, buffer_minutes) -> list[FieldError]:
    """A slot pattern needs a presentation of at least a minute and no negative questions or buffer time."""
    errors: list[FieldError] = []
    if not isinstance(presentation_minutes, int) or presentation_minutes < 1:
        errors.append(
            FieldError(
                "presentation_minutes",
                "out_of_range",
                "Presentationstiden måste vara minst 1 minut.",
                "The presentation time must be at least 1 minute.",
            )
        )
    for name, value in (("questions_minutes", questions_minutes), ("buffer_minutes", buffer_minutes)):
        if not isinstance(value, int) or value < 0:
            errors.append(
                FieldError(
                    name,
                    "out_of_range",
                    "Värdet måste vara 0 eller fler minuter.",
                    "The value must be 0 or more minutes.",
                )
            )
    return errors


@dataclass(frozen=True)
class BookingLine:
    """A booked (or proposed) slot: who presents when, in which round."""

    round_id: str | int
    slot_id: str
    region: str
    start: datetime
    end: datetime
    people: tuple[str, ...] = ()


def presenters_booked_twice(bookings: Iterable[BookingLine]) -> list[FieldError]:
    """Hard conflicts among bookings: one slot booked twice, a region twice in a round,
    and one person presenting in two places at once (across parallel rounds)."""
    errors: list[FieldError] = []
    lines = sorted(bookings, key=lambda b: (b.start, str(b.round_id), b.slot_id, b.region))
    by_slot: dict[tuple[str | int, str], BookingLine] = {}
    by_region: dict[tuple[str | int, str], BookingLine] = {}
    for line in lines:
        key = (line.round_id, line.slot_id)
        if key in by_slot:
            first = by_slot[key]
            errors.append(
                FieldError(
                    "slot_id",
                    "slot_taken",
                    f"Passet {line.slot_id} är redan bokat av {first.region}.",
                    f"Slot {line.slot_id} is already booked by {first.region}.",
                )
            )
        else:
            by_slot[key] = line
        region_key = (line.round_id, line.region)
        if region_key in by_region:
            errors.append(
                FieldError(
                    "region",
                    "region_booked_twice",
                    f"{line.region} har redan ett pass i omgången ({by_region[region_key].slot_id}).",
                    f"{line.region} already has a slot in the round ({by_region[region_key].slot_id}).",
                )
            )
        else:
            by_region[region_key] = line
    # Person clashes: sweep in start order, comparing with the bookings still running.
    active: list[BookingLine] = []
    for line in lines:
        active = [a for a in active if a.end > line.start]
        for other in active:
            if other.round_id == line.round_id and other.slot_id == line.slot_id:
                continue  # already reported as slot_taken
            for person in sorted(set(other.people) & set(line.people)):
                errors.append(
                    FieldError(
                        "people",
                        "person_double_booked",
                        f"{person} presenterar samtidigt för {other.region} (omgång {other.round_id}) "
                        f"och {line.region} (omgång {line.round_id}).",
                        f"{person} presents at the same time for {other.region} (round {other.round_id}) "
                        f"and {line.region} (round {line.round_id}).",
                    )
                )
        active.append(line)
    return errors
