"""Snabbdialog scheduling: put presenting regions into ten-minute slots of one or more rounds.

Hard constraints (a schedule that breaks one is never returned):
  * one region per slot, one slot per region and round;
  * pinned slots and pinned running-order positions;
  * no person in two places at once: a presenter's people are not booked in overlapping slots of
    parallel rounds, nor while they attend another round as participants.
Soft constraints (broken only when no schedule can keep them, each break is a warning the planner
acknowledges before invitations go out, as in pretalx):
  * a region's stated unavailability.
Preferences, cheapest last: keep a region in the slot it already had (fewer calendar updates),
then follow the order in which the planner listed the presenters.

Each round is a bipartite assignment (presenters x slots) solved as a minimum-cost flow on networkx.
When a round cannot be scheduled, a maximum matching and König's theorem give the smallest story:
the set of regions that compete for too few slots, and what took the other slots away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import networkx as nx
from networkx.algorithms import bipartite

from ..clock import STOCKHOLM, UTC
from .validation import (
    FieldError,
    interval_errors,
    overlapping_slots,
    overlaps,
    pattern_errors,
    raise_if_errors,
)

RoundId = str | int
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class SlotPattern:
    """How a meeting is cut into slots; a slot is presentation + questions, then a buffer."""

    presentation_minutes: int = 10
    questions_minutes: int = 0
    buffer_minutes: int = 0

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.presentation_minutes + self.questions_minutes)

    @property
    def step(self) -> timedelta:
        return self.slot_length + timedelta(minutes=self.buffer_minutes)


@dataclass(frozen=True)
class Meeting:
    round_id: RoundId
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Slot:
    id: str
    round_id: RoundId
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Presenter:
    """A region presenting in one round, with the people who present and when the region cannot."""

    region: str
    people: tuple[str, ...] = ()
    unavailable: tuple[Interval, ...] = ()
    pinned_slot: str | None = None


@dataclass(frozen=True)
class RoundSpec:
    """One round to schedule.

    `pinned_order` is the running order as the planner pinned it, position by position
    (position 0 is the first slot in time); `None` leaves a position free.
    `attendees` are the people who follow the whole round (agency staff, the chair); they are busy
    during `meetings` (or, when no meetings are given, from the first slot's start to the last's end).
    """

    round_id: RoundId
    slots: tuple[Slot, ...]
    presenters: tuple[Presenter, ...]
    pinned_order: tuple[str | None, ...] = ()
    attendees: tuple[str, ...] = ()
    meetings: tuple[Meeting, ...] = ()


@dataclass(frozen=True)
class Assignment:
    round_id: RoundId
    region: str
    slot_id: str
    start: datetime
    end: datetime
    position: int  # 0-based place in the round's running order
    pinned: bool = False


@dataclass(frozen=True)
class ScheduleWarning:
    """A soft conflict. `key` is stable so an acknowledgement can be stored and matched later."""

    code: str
    round_id: RoundId
    region: str
    slot_id: str
    message_sv: str
    message_en: str

    @property
    def key(self) -> str:
        return f"{self.code}:{self.round_id}:{self.region}:{self.slot_id}"


@dataclass(frozen=True)
class ScheduleConflict:
    """A hard conflict: why no schedule exists. `constraints` names the rules that clash."""

    code: str
    round_ids: tuple[RoundId, ...]
    regions: tuple[str, ...]
    slot_ids: tuple[str, ...]
    constraints: tuple[str, ...]
    message_sv: str
    message_en: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Names:
    """How the messages name what the solver knows by key: regions, rounds and people as people know them.
    A key without a name is shown as it is; slots are named by their local start time."""

    regions: Mapping[str, str] = field(default_factory=dict)
    rounds: Mapping[RoundId, str] = field(default_factory=dict)  # round id -> theme
    people: Mapping[str, str] = field(default_factory=dict)

    def region(self, key: str) -> str:
        return self.regions.get(key, key)

    def region_list(self, keys: Iterable[str]) -> str:
        return _join(self.region(k) for k in keys)

    def person_list(self, keys: Iterable[str]) -> str:
        return _join(self.people.get(k, k) for k in keys)

    def round_sv(self, round_id: RoundId) -> str:
        theme = self.rounds.get(round_id)
        return f"omgången ”{theme}”" if theme else f"omgång {round_id}"

    def round_en(self, round_id: RoundId) -> str:
        theme = self.rounds.get(round_id)
        return f"the round “{theme}”" if theme else f"round {round_id}"

    def rounds_sv(self, round_ids: Iterable[RoundId]) -> str:
        return _join(self.round_sv(r) for r in round_ids)

    def rounds_en(self, round_ids: Iterable[RoundId]) -> str:
        return _join(self.round_en(r) for r in round_ids)


def _count(n: int, noun: str) -> str:
    """An English count: "1 slot", "2 slots" (the Swedish nouns here are the same in both)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class ScheduleResult:
    """Apply `assignments` only when `ok`; `warnings` need the planner's acknowledgement."""

    assignments: tuple[Assignment, ...]
    running_order: Mapping[RoundId, tuple[Assignment, ...]]
    warnings: tuple[ScheduleWarning, ...]
    conflicts: tuple[ScheduleConflict, ...]
    names: Names = field(default_factory=Names)  # how the messages named regions, rounds and people

    @property
    def ok(self) -> bool:
        return not self.conflicts

    def unacknowledged(self, acknowledged_keys: Iterable[str]) -> tuple[ScheduleWarning, ...]:
        done = set(acknowledged_keys)
        return tuple(w for w in self.warnings if w.key not in done)


def slot_id_for(round_id: RoundId, start: datetime) -> str:
    """Stable id from the round and the UTC start, so re-cutting the same meeting gives the same ids."""
    return f"{round_id}/{start.astimezone(UTC):%Y%m%dT%H%MZ}"


def make_slots(meetings: Sequence[Meeting], pattern: SlotPattern = SlotPattern()) -> list[Slot]:
    """Cut each meeting into slots from its start; a slot that would run past the end is left out.

    Arithmetic is done in UTC so a meeting across a daylight-saving change keeps real minutes.
    """
    errors = pattern_errors(pattern.presentation_minutes, pattern.questions_minutes, pattern.buffer_minutes)
    for index, meeting in enumerate(meetings):
        errors.extend(interval_errors(meeting.start, meeting.end, f"meetings[{index}]"))
    raise_if_errors(errors)

    slots: list[Slot] = []
    for meeting in sorted(meetings, key=lambda m: (str(m.round_id), m.start)):
        cursor = meeting.start.astimezone(UTC)
        end = meeting.end.astimezone(UTC)
        while cursor + pattern.slot_length <= end:
            slot_end = cursor + pattern.slot_length
            slots.append(
                Slot(
                    slot_id_for(meeting.round_id, cursor),
                    meeting.round_id,
                    cursor.astimezone(STOCKHOLM),
                    slot_end.astimezone(STOCKHOLM),
                )
            )
            cursor += pattern.step
    return slots


# ---------------------------------------------------------------------------------------------
# input checks


def _check_input(rounds: Sequence[RoundSpec]) -> None:
    errors: list[FieldError] = []
    seen_rounds: set[RoundId] = set()
    for r_index, spec in enumerate(rounds):
        where = f"rounds[{r_index}]"
        if spec.round_id in seen_rounds:
            errors.append(
                FieldError(
                    f"{where}.round_id",
                    "duplicate_round",
                    f"Omgång {spec.round_id} finns två gånger.",
                    f"Round {spec.round_id} appears twice.",
                )
            )
        seen_rounds.add(spec.round_id)
        errors.extend(_slot_errors(spec, where))
        regions, presenter_errors = _presenter_errors(spec, where)
        errors.extend(presenter_errors)
        errors.extend(_pinned_order_errors(spec, where, regions))
        for m_index, meeting in enumerate(spec.meetings):
            errors.extend(interval_errors(meeting.start, meeting.end, f"{where}.meetings[{m_index}]"))
    raise_if_errors(errors)


def _slot_errors(spec: RoundSpec, where: str) -> list[FieldError]:
    errors = [
        FieldError(
            f"{where}.slots[{s_index}]",
            "wrong_round",
            f"Passet {slot.id} hör till en annan omgång.",
            f"Slot {slot.id} belongs to another round.",
        )
        for s_index, slot in enumerate(spec.slots) if slot.round_id != spec.round_id
    ]
    errors.extend(overlapping_slots(spec.slots, f"{where}.slots"))
    return errors


def _presenter_errors(spec: RoundSpec, where: str) -> tuple[set[str], list[FieldError]]:
    """The presenting regions, and what is wrong with the presenters (twice listed, unknown slot, periods)."""
    errors: list[FieldError] = []
    slot_ids = {s.id for s in spec.slots}
    regions: set[str] = set()
    for p_index, presenter in enumerate(spec.presenters):
        pwhere = f"{where}.presenters[{p_index}]"
        if presenter.region in regions:
            errors.append(
                FieldError(
                    f"{pwhere}.region",
                    "duplicate_presenter",
                    f"{presenter.region} finns två gånger bland talarna.",
                    f"{presenter.region} is listed twice among the presenters.",
                )
            )
        regions.add(presenter.region)
        if presenter.pinned_slot is not None and presenter.pinned_slot not in slot_ids:
            errors.append(
                FieldError(
                    f"{pwhere}.pinned_slot",
                    "unknown_slot",
                    f"Passet {presenter.pinned_slot} finns inte i omgången.",
                    f"Slot {presenter.pinned_slot} is not in the round.",
                )
            )
        for u_index, (start, end) in enumerate(presenter.unavailable):
            errors.extend(interval_errors(start, end, f"{pwhere}.unavailable[{u_index}]"))
    return regions, errors


def _pinned_order_errors(spec: RoundSpec, where: str, regions: set[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    pinned_seen: set[str] = set()
    for position, region in enumerate(spec.pinned_order):
        if region is None:
            continue
        field_name = f"{where}.pinned_order[{position}]"
        if region not in regions:
            errors.append(
                FieldError(
                    field_name,
                    "unknown_region",
                    f"{region} är inte talare i omgången.",
                    f"{region} is not a presenter in the round.",
                )
            )
        if region in pinned_seen:
            errors.append(
                FieldError(
                    field_name,
                    "duplicate_region",
                    f"{region} står på två platser i den låsta ordningen.",
                    f"{region} has two places in the pinned order.",
                )
            )
        pinned_seen.add(region)
        if position >= len(spec.slots):
            errors.append(
                FieldError(
                    field_name,
                    "position_out_of_range",
                    f"Omgången har bara {len(spec.slots)} pass.",
                    f"The round has only {len(spec.slots)} slots.",
                )
            )
    return errors


# ---------------------------------------------------------------------------------------------
# the solver


@dataclass
class _RoundState:
    spec: RoundSpec
    slots: list[Slot]  # time order
    slot_by_id: dict[str, Slot]
    names: Names
    pins: dict[str, str] = field(default_factory=dict)  # region -> slot id (hard)
    assignment: dict[str, str] = field(default_factory=dict)  # region -> slot id


def _attendance_intervals(spec: RoundSpec) -> list[Interval]:
    if spec.meetings:
        return [(m.start, m.end) for m in spec.meetings]
    if not spec.slots:
        return []
    ordered = sorted(spec.slots, key=lambda s: s.start)
    return [(ordered[0].start, max(s.end for s in ordered))]


def _fmt(value: datetime) -> str:
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def _when(state: _RoundState, slot_id: str) -> str:
    """A slot as people see it: its local start time."""
    return _fmt(state.slot_by_id[slot_id].start)


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def schedule(
    rounds: Sequence[RoundSpec],
    previous: Mapping[tuple[RoundId, str], str] | None = None,
    names: Names | None = None,
) -> ScheduleResult:
    """Schedule all rounds together (parallel rounds share people).

    `previous` maps (round_id, region) to the slot id the region had before, so rescheduling
    after a change moves as few regions as possible. `names` words the warnings and conflicts for
    people. Raises `InvalidInput` for malformed input; returns conflicts (and no assignments for the
    rounds concerned) when no schedule exists.
    """
    _check_input(rounds)
    previous = previous or {}
    names = names or Names()
    states = []
    for spec in rounds:
        ordered = sorted(spec.slots, key=lambda s: (s.start, s.id))
        states.append(_RoundState(spec, ordered, {s.id: s for s in ordered}, names))

    conflicts: list[ScheduleConflict] = []
    conflicts.extend(_attendee_conflicts(rounds, names))
    failed: set[RoundId] = set()
    for state in states:
        pin_conflicts = _collect_pins(state)
        if pin_conflicts:
            conflicts.extend(pin_conflicts)
            failed.add(state.spec.round_id)

    fixed_busy = _attendance_busy(rounds)
    conflicts.extend(_pinned_person_clashes(states, fixed_busy, failed, names))
    for state in states:
        if state.spec.round_id not in failed:
            _mark_busy(fixed_busy, state, state.pins)

    # Rounds whose own hard constraints cannot be met, whatever the other rounds do.
    solvable = [s for s in states if s.spec.round_id not in failed]
    for state in solvable:
        hall = _hall_conflict(state, fixed_busy, {})
        if hall is not None:
            conflicts.append(hall)
            failed.add(state.spec.round_id)
    solvable = [s for s in solvable if s.spec.round_id not in failed]

    solved, blocked_conflict = _solve_together(solvable, fixed_busy, previous)
    if not solved and solvable:
        if blocked_conflict is not None:
            conflicts.append(blocked_conflict)
        failed.update(s.spec.round_id for s in solvable)
    return _result(states, failed, conflicts, names)


def _attendance_busy(rounds: Sequence[RoundSpec]) -> dict[str, list[tuple[datetime, datetime, RoundId, str]]]:
    """Fixed busy times of each person: whole rounds they attend (pinned presentations are added later)."""
    fixed_busy: dict[str, list[tuple[datetime, datetime, RoundId, str]]] = defaultdict(list)
    for spec in rounds:
        for person in spec.attendees:
            for start, end in _attendance_intervals(spec):
                fixed_busy[person].append((start, end, spec.round_id, ""))
    return fixed_busy


def _mark_busy(busy: dict[str, list], state: _RoundState, placed: Mapping[str, str]) -> None:
    """The presenters of each placed region (region -> slot id) are busy during their slot."""
    presenters = {p.region: p for p in state.spec.presenters}
    for region, slot_id in placed.items():
        slot = state.slot_by_id[slot_id]
        for person in presenters[region].people:
            busy[person].append((slot.start, slot.end, state.spec.round_id, region))


def _solve_together(solvable: list[_RoundState], fixed_busy: dict[str, list],
                    previous: Mapping[tuple[RoundId, str], str]) -> tuple[bool, ScheduleConflict | None]:
    """Presenters shared between parallel rounds: schedule round by round, each round avoiding the people
    already placed. If a later round is blocked, try again with it first. Returns whether every round was
    solved, and the first blocked round's conflict."""
    order = list(range(len(solvable)))
    blocked_conflict: ScheduleConflict | None = None
    for attempt in range(max(1, len(solvable))):
        busy: dict[str, list] = defaultdict(list, {k: list(v) for k, v in fixed_busy.items()})
        blocked: int | None = None
        for index in order:
            state = solvable[index]
            dynamic = _dynamic_busy(busy, state.spec.round_id)
            result = _solve_round(state, dynamic, previous)
            if result is None:
                blocked = index
                if attempt == 0:
                    blocked_conflict = _hall_conflict(state, busy, {}, dynamic_note=True)
                break
            state.assignment = result
            _mark_busy(busy, state, {r: slot for r, slot in result.items() if r not in state.pins})
        if blocked is None:
            return True, blocked_conflict
        order = [blocked] + [i for i in order if i != blocked]
    return False, blocked_conflict


def _result(states: list[_RoundState], failed: set[RoundId], conflicts: list[ScheduleConflict],
            names: Names) -> ScheduleResult:
    assignments: list[Assignment] = []
    running: dict[RoundId, tuple[Assignment, ...]] = {}
    warnings: list[ScheduleWarning] = []
    for state in states:
        if state.spec.round_id in failed:
            running[state.spec.round_id] = ()
            continue
        rows = _running_order(state)
        running[state.spec.round_id] = rows
        assignments.extend(rows)
        warnings.extend(_unavailability_warnings(state, rows))
    return ScheduleResult(tuple(assignments), running, tuple(warnings), tuple(conflicts), names)


def _running_order(state: _RoundState) -> tuple[Assignment, ...]:
    position_of = {s.id: i for i, s in enumerate(state.slots)}
    return tuple(sorted(
        (
            Assignment(
                state.spec.round_id,
                region,
                slot_id,
                state.slot_by_id[slot_id].start,
                state.slot_by_id[slot_id].end,
                position_of[slot_id],
                region in state.pins,
            )
            for region, slot_id in state.assignment.items()
        ),
        key=lambda a: a.position,
    ))


def _collect_pins(state: _RoundState) -> list[ScheduleConflict]:
    """Merge pinned slots and pinned positions into region -> slot; clashes are hard conflicts."""
    spec = state.spec
    conflicts: list[ScheduleConflict] = []
    pins: dict[str, str] = {}
    for presenter in spec.presenters:
        if presenter.pinned_slot is not None:
            pins[presenter.region] = presenter.pinned_slot
    for position, region in enumerate(spec.pinned_order):
        if region is None:
            continue
        slot_id = state.slots[position].id
        if region in pins and pins[region] != slot_id:
            conflicts.append(
                ScheduleConflict(
                    "pin_mismatch",
                    (spec.round_id,),
                    (region,),
                    (pins[region], slot_id),
                    ("pinned_slot", "pinned_order"),
                    f"{state.names.region(region)} är låst både till passet {_when(state, pins[region])} "
                    f"och till plats {position + 1} i ordningen ({_when(state, slot_id)}).",
                    f"{state.names.region(region)} is pinned both to the slot at {_when(state, pins[region])} "
                    f"and to place {position + 1} in the order ({_when(state, slot_id)}).",
                )
            )
        pins[region] = slot_id
    holders: dict[str, list[str]] = defaultdict(list)
    for region, slot_id in pins.items():
        holders[slot_id].append(region)
    for slot_id, regions in sorted(holders.items()):
        if len(regions) > 1:
            names = tuple(sorted(regions))
            conflicts.append(
                ScheduleConflict(
                    "pinned_same_slot",
                    (spec.round_id,),
                    names,
                    (slot_id,),
                    ("one_region_per_slot", "pinned_slot"),
                    f"{state.names.region_list(names)} är låsta till samma pass, {_when(state, slot_id)}.",
                    f"{state.names.region_list(names)} are pinned to the same slot, {_when(state, slot_id)}.",
                )
            )
    state.pins = pins
    state.assignment = dict(pins)
    return conflicts


def _attendee_conflicts(rounds: Sequence[RoundSpec], names: Names) -> list[ScheduleConflict]:
    """A participant cannot follow two rounds whose meetings overlap."""
    conflicts = []
    for i, a in enumerate(rounds):
        for b in rounds[i + 1 :]:
            shared = sorted(set(a.attendees) & set(b.attendees))
            if not shared:
                continue
            if any(
                overlaps(s1, e1, s2, e2) for s1, e1 in _attendance_intervals(a) for s2, e2 in _attendance_intervals(b)
            ):
                conflicts.append(
                    ScheduleConflict(
                        "attendee_double_booked",
                        (a.round_id, b.round_id),
                        (),
                        (),
                        ("no_person_in_two_places",),
                        f"{names.person_list(shared)} deltar i {names.round_sv(a.round_id)} och "
                        f"{names.round_sv(b.round_id)} som pågår samtidigt.",
                        f"{names.person_list(shared)} take part in {names.round_en(a.round_id)} and "
                        f"{names.round_en(b.round_id)}, which run at the same time.",
                        tuple(shared),
                    )
                )
    return conflicts


def _pinned_person_clashes(states, fixed_busy, failed, names: Names) -> list[ScheduleConflict]:
    """Pinned presentations that put a person in two places (another pin, or a round they attend)."""
    conflicts = []
    placed: list[tuple[datetime, datetime, RoundId, str, str, str]] = []  # start, end, round, region, slot, person
    for state in states:
        if state.spec.round_id in failed:
            continue
        presenters = {p.region: p for p in state.spec.presenters}
        for region, slot_id in sorted(state.pins.items()):
            slot = state.slot_by_id[slot_id]
            for person in presenters[region].people:
                for start, end, round_id, _ in fixed_busy.get(person, ()):
                    if round_id != state.spec.round_id and overlaps(slot.start, slot.end, start, end):
                        conflicts.append(
                            _person_conflict(
                                names,
                                person,
                                (state.spec.round_id, round_id),
                                (region,),
                                (slot_id,),
                                (slot.start,),
                                f"deltar i {names.round_sv(round_id)}",
                                f"takes part in {names.round_en(round_id)}",
                            )
                        )
                        failed.add(state.spec.round_id)
                for start, end, round_id, other_region, other_slot, other_person in placed:
                    if other_person == person and overlaps(slot.start, slot.end, start, end):
                        conflicts.append(
                            _person_conflict(
                                names,
                                person,
                                (round_id, state.spec.round_id),
                                (other_region, region),
                                (other_slot, slot_id),
                                (start, slot.start),
                                f"är låst till passet {_fmt(start)}",
                                f"is pinned to the slot at {_fmt(start)}",
                            )
                        )
                        failed.add(state.spec.round_id)
                        failed.add(round_id)
                placed.append((slot.start, slot.end, state.spec.round_id, region, slot_id, person))
    return conflicts


def _person_conflict(names: Names, person, round_ids, regions, slot_ids, starts, why_sv, why_en) -> ScheduleConflict:
    who, where, when = names.people.get(person, person), names.region_list(regions), _join(_fmt(s) for s in starts)
    return ScheduleConflict(
        "person_double_booked",
        tuple(round_ids),
        tuple(regions),
        tuple(slot_ids),
        ("no_person_in_two_places", "pinned_slot"),
        f"{who} ska presentera för {where} i passet {when} men {why_sv} samtidigt.",
        f"{who} is to present for {where} in the slot at {when} but {why_en} at the same time.",
        (person,),
    )


def _dynamic_busy(busy, round_id):
    """Busy intervals of each person outside this round (their own round's slots never overlap)."""
    return {person: [(s, e, r, reg) for s, e, r, reg in items if r != round_id] for person, items in busy.items()}


def _allowed_slots(state: _RoundState, presenter: Presenter, busy) -> list[Slot]:
    if presenter.region in state.pins:
        return [state.slot_by_id[state.pins[presenter.region]]]
    pinned_slots = set(state.pins.values())
    allowed = []
    for slot in state.slots:
        if slot.id in pinned_slots:
            continue
        if any(
            overlaps(slot.start, slot.end, start, end)
            for person in presenter.people
            for start, end, _, _ in busy.get(person, ())
        ):
            continue
        allowed.append(slot)
    return allowed


def _is_unavailable(presenter: Presenter, slot: Slot) -> bool:
    return any(overlaps(slot.start, slot.end, start, end) for start, end in presenter.unavailable)


def _solve_round(state: _RoundState, busy, previous) -> dict[str, str] | None:
    """Minimum-cost assignment of this round's presenters to allowed slots, or None if impossible."""
    spec = state.spec
    free = [p for p in spec.presenters if p.region not in state.pins]
    if not free:
        return dict(state.pins)
    index_of = {s.id: i for i, s in enumerate(state.slots)}
    n_slots = len(state.slots)
    # Lexicographic costs: each unavailability outweighs all moves, each move outweighs all order.
    order_cap = len(free) * n_slots + 1
    move_cost = order_cap
    unavailable_cost = move_cost * (len(free) + 1)

    graph = nx.DiGraph()
    graph.add_node("source", demand=-len(free))
    graph.add_node("sink", demand=len(free))
    for rank, presenter in enumerate(free):
        p_node = ("p", presenter.region)
        graph.add_edge("source", p_node, capacity=1, weight=0)
        before = previous.get((spec.round_id, presenter.region))
        for slot in _allowed_slots(state, presenter, busy):
            cost = abs(index_of[slot.id] - rank)
            if before is not None and before != slot.id:
                cost += move_cost
            if _is_unavailable(presenter, slot):
                cost += unavailable_cost
            graph.add_edge(p_node, ("s", slot.id), capacity=1, weight=cost)
    for slot in state.slots:
        if graph.has_node(("s", slot.id)):
            graph.add_edge(("s", slot.id), "sink", capacity=1, weight=0)
    try:
        flow = nx.min_cost_flow(graph)
    except nx.NetworkXUnfeasible:
        return None
    result = dict(state.pins)
    for presenter in free:
        for target, amount in flow[("p", presenter.region)].items():
            if amount:
                result[presenter.region] = target[1]
    return result


def _alternating_reach(graph, matching: Mapping, start) -> tuple[set, set]:
    """The presenter and slot nodes reachable from `start` by alternating paths of the matching."""
    reached_p = {start}
    reached_s: set = set()
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for slot_node in sorted(graph.neighbors(node)):
            if slot_node in reached_s:
                continue
            reached_s.add(slot_node)
            mate = matching.get(slot_node)
            if mate is not None and mate not in reached_p:
                reached_p.add(mate)
                frontier.append(mate)
    return reached_p, reached_s


def _busy_people(state: _RoundState, presenter, busy) -> list[str]:
    """The presenter's people who are busy elsewhere during one of the round's slots."""
    return sorted(
        person
        for person in presenter.people
        if any(overlaps(slot.start, slot.end, s, e) for slot in state.slots for s, e, _, _ in busy.get(person, ()))
    )


def _hall_conflict(state: _RoundState, busy, previous, dynamic_note: bool = False) -> ScheduleConflict | None:
    """If the presenters cannot all get a slot, name the smallest story why (Hall's condition).

    From a maximum matching, the presenters reachable from an unmatched one by alternating paths
    form a set Z whose allowed slots N(Z) are all taken by Z itself, so |N(Z)| < |Z| (König).
    """
    spec = state.spec
    busy = _dynamic_busy(busy, spec.round_id)
    graph = nx.Graph()
    presenters = list(spec.presenters)
    allowed: dict[str, list[Slot]] = {}
    for presenter in presenters:
        graph.add_node(("p", presenter.region), bipartite=0)
        allowed[presenter.region] = _allowed_slots(state, presenter, busy)
        for slot in allowed[presenter.region]:
            graph.add_edge(("p", presenter.region), ("s", slot.id))
    for slot in state.slots:
        graph.add_node(("s", slot.id), bipartite=1)
    top = [("p", p.region) for p in presenters]
    matching = bipartite.hopcroft_karp_matching(graph, top_nodes=top)
    unmatched = [node for node in top if node not in matching]
    if not unmatched:
        return None
    # Alternating search from the first unmatched presenter (deterministic by input order).
    reached_p, reached_s = _alternating_reach(graph, matching, unmatched[0])
    regions = tuple(p.region for p in presenters if ("p", p.region) in reached_p)
    slot_ids = tuple(s.id for s in state.slots if ("s", s.id) in reached_s)
    constraints = ["one_region_per_slot"]
    reasons_sv, reasons_en = [], []
    if len(presenters) > len(state.slots):
        reasons_sv.append(f"omgången har {len(state.slots)} pass för {len(presenters)} talare")
        reasons_en.append(f"the round has {_count(len(state.slots), 'slot')} for "
                          f"{_count(len(presenters), 'presenter')}")
    if state.pins:
        constraints.append("pinned_slot")
        pinned = _join(f"{state.names.region(r)} ({_when(state, s)})" for r, s in sorted(state.pins.items()))
        reasons_sv.append(f"låsta pass: {pinned}")
        reasons_en.append(f"pinned slots: {pinned}")
    people: list[str] = []
    for region in regions:
        presenter = next(p for p in presenters if p.region == region)
        if region in state.pins:
            continue
        blocked = len(state.slots) - len(set(state.pins.values()) - {state.pins.get(region)}) - len(allowed[region])
        if blocked > 0:
            busy_people = _busy_people(state, presenter, busy)
            people.extend(busy_people)
            rounds_busy = sorted({r for person in busy_people for _, _, r, _ in busy.get(person, ())}, key=str)
            constraints.append("no_person_in_two_places")
            reasons_sv.append(
                f"{state.names.person_list(busy_people)} ({state.names.region(region)}) är upptagna i "
                f"{state.names.rounds_sv(rounds_busy)} under {blocked} pass"
            )
            reasons_en.append(
                f"{state.names.person_list(busy_people)} ({state.names.region(region)}) are busy in "
                f"{state.names.rounds_en(rounds_busy)} during {_count(blocked, 'slot')}"
            )
    if dynamic_note:
        reasons_sv.append("talare delas med parallella omgångar")
        reasons_en.append("presenters are shared with parallel rounds")
    return ScheduleConflict(
        "too_few_slots",
        (spec.round_id,),
        regions,
        slot_ids,
        tuple(dict.fromkeys(constraints)),
        f"{_capital(state.names.round_sv(spec.round_id))}: {len(regions)} regioner "
        f"({state.names.region_list(regions)}) kan bara placeras i {len(slot_ids)} pass; "
        + "; ".join(reasons_sv) + ".",
        f"{_capital(state.names.round_en(spec.round_id))}: {len(regions)} regions "
        f"({state.names.region_list(regions)}) can only be placed in {_count(len(slot_ids), 'slot')}; "
        + "; ".join(reasons_en) + ".",
        tuple(dict.fromkeys(people)),
    )


def _unavailability_warnings(state: _RoundState, rows: Sequence[Assignment]) -> list[ScheduleWarning]:
    presenters = {p.region: p for p in state.spec.presenters}
    warnings = []
    for row in rows:
        slot = state.slot_by_id[row.slot_id]
        if _is_unavailable(presenters[row.region], slot):
            when = f"{_fmt(slot.start)}–{slot.end.astimezone(STOCKHOLM):%H:%M}"
            name = state.names.region(row.region)
            warnings.append(
                ScheduleWarning(
                    "presenter_unavailable",
                    row.round_id,
                    row.region,
                    row.slot_id,
                    f"{name} har angett att de inte kan {when}, men inget annat pass fungerar.",
                    f"{name} said they cannot attend {when}, but no other slot works.",
                )
            )
    return warnings
