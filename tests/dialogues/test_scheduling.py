"""Scheduling snabbdialog rounds: pure core, no app needed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from synergy_app.dialogues.scheduling import (
    Meeting,
    Presenter,
    RoundSpec,
    Slot,
    SlotPattern,
    make_slots,
    schedule,
)
from synergy_app.dialogues.validation import (
    BookingLine,
    InvalidInput,
    RoundDraft,
    overlapping_slots,
    presenters_booked_twice,
    validate_round,
)

STHLM = ZoneInfo("Europe/Stockholm")


def at(hour, minute=0, day=10, month=3):
    return datetime(2026, month, day, hour, minute, tzinfo=STHLM)


def slots_for(round_id, start=None, minutes=40, pattern=SlotPattern()):
    start = start or at(9)
    return tuple(make_slots([Meeting(round_id, start, start + timedelta(minutes=minutes))], pattern))


def order(result, round_id):
    return [a.region for a in result.running_order[round_id]]


# --- make_slots -------------------------------------------------------------------------------


def test_slots_cut_a_meeting_into_ten_minute_presentations():
    slots = slots_for("r", minutes=45)
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in slots] == [
        ("09:00", "09:10"),
        ("09:10", "09:20"),
        ("09:20", "09:30"),
        ("09:30", "09:40"),
    ]


def test_questions_and_buffer_lengthen_the_slot_and_the_step():
    slots = slots_for("r", minutes=60, pattern=SlotPattern(10, 5, 5))
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in slots] == [
        ("09:00", "09:15"),
        ("09:20", "09:35"),
        ("09:40", "09:55"),
    ]


def test_slot_ids_are_stable_and_real_minutes_survive_the_march_change():
    # 29 March 2026, 01:30-03:30 local is one real hour: 02:00-03:00 does not exist.
    meeting = Meeting("r", at(1, 30, day=29), at(3, 30, day=29))
    slots = make_slots([meeting], SlotPattern(30))
    assert len(slots) == 2
    assert [s.start.strftime("%H:%M %Z") for s in slots] == ["01:30 CET", "03:00 CEST"]
    assert make_slots([meeting], SlotPattern(30)) == slots
    assert slots[0].id == "r/20260329T0030Z"


def test_make_slots_refuses_naive_times_naming_the_field():
    with pytest.raises(InvalidInput) as info:
        make_slots([Meeting("r", datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 10))])
    assert info.value.errors[0].field == "meetings[0]"
    assert info.value.errors[0].code == "naive_datetime"


# --- schedule ---------------------------------------------------------------------------------


def test_regions_follow_the_planners_list_when_nothing_stands_in_the_way():
    slots = slots_for("r")
    result = schedule([RoundSpec("r", slots, (Presenter("Östergötland"), Presenter("Skåne"), Presenter("Kalmar")))])
    assert result.ok and not result.warnings
    assert order(result, "r") == ["Östergötland", "Skåne", "Kalmar"]
    assert [a.position for a in result.running_order["r"]] == [0, 1, 2]


def test_a_region_is_moved_away_from_the_time_it_said_it_cannot():
    slots = slots_for("r")
    busy_first = ((at(9), at(9, 10)),)
    result = schedule([RoundSpec("r", slots, (Presenter("Östergötland", unavailable=busy_first), Presenter("Skåne")))])
    assert result.ok and not result.warnings
    assert order(result, "r") == ["Skåne", "Östergötland"]


def test_unavoidable_unavailability_is_a_warning_with_a_stable_key():
    slots = slots_for("r", minutes=20)
    everything = ((at(9), at(10)),)
    result = schedule([RoundSpec("r", slots, (Presenter("Östergötland", unavailable=everything), Presenter("Skåne")))])
    assert result.ok
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.code == "presenter_unavailable" and warning.region == "Östergötland"
    assert "inte kan" in warning.message_sv and "cannot" in warning.message_en
    assert result.unacknowledged([warning.key]) == ()


def test_fewest_unavailability_breaks_are_chosen():
    slots = slots_for("r", minutes=30)  # three slots
    # A cannot 09:00-09:20, B cannot 09:00-09:10, C cannot 09:00-09:30: someone must break; only C.
    result = schedule(
        [
            RoundSpec(
                "r",
                slots,
                (
                    Presenter("A", unavailable=((at(9), at(9, 20)),)),
                    Presenter("B", unavailable=((at(9), at(9, 10)),)),
                    Presenter("C", unavailable=((at(9), at(9, 30)),)),
                ),
            )
        ]
    )
    assert result.ok
    assert [w.region for w in result.warnings] == ["C"]
    assert dict((a.region, a.position) for a in result.assignments)["A"] == 2


def test_pinned_slot_and_pinned_order_hold():
    slots = slots_for("r")
    result = schedule(
        [
            RoundSpec(
                "r",
                slots,
                (Presenter("A"), Presenter("B", pinned_slot=slots[0].id), Presenter("C")),
                pinned_order=(None, None, None, "A"),
            )
        ]
    )
    assert result.ok
    assert order(result, "r") == ["B", "C", "A"]
    assert [a.position for a in result.running_order["r"]] == [0, 1, 3]
    assert [a.pinned for a in result.running_order["r"]] == [True, False, True]


def test_same_person_is_never_in_two_parallel_rounds_at_once():
    a, b = slots_for("a"), slots_for("b")
    # Anna presents for Östergötland in both parallel rounds; both lists would put her first.
    result = schedule(
        [
            RoundSpec("a", a, (Presenter("Östergötland", ("anna",)), Presenter("Skåne", ("sven",)))),
            RoundSpec("b", b, (Presenter("Östergötland", ("anna",)), Presenter("Gotland", ("gun",)))),
        ]
    )
    assert result.ok
    times = [x.start for x in result.assignments if x.region == "Östergötland"]
    assert len(times) == 2 and times[0] != times[1]


def test_agency_people_attending_a_round_cannot_present_in_a_parallel_one():
    a, b = slots_for("a", minutes=20), slots_for("b", minutes=20)
    result = schedule(
        [
            RoundSpec("a", a, (Presenter("Vinnova-talare", ("eva",)),)),
            RoundSpec("b", b, (), attendees=("eva",)),
        ]
    )
    assert not result.ok
    conflict = result.conflicts[0]
    assert conflict.code == "too_few_slots"
    assert conflict.regions == ("Vinnova-talare",)
    assert "no_person_in_two_places" in conflict.constraints
    assert conflict.people == ("eva",)
    assert result.running_order["a"] == ()


def test_too_many_regions_names_the_regions_competing_and_the_pins():
    slots = slots_for("r", minutes=20)  # two slots
    result = schedule(
        [RoundSpec("r", slots, (Presenter("A"), Presenter("B"), Presenter("C", pinned_slot=slots[1].id)))]
    )
    assert not result.ok and result.assignments == ()
    conflict = result.conflicts[0]
    assert conflict.regions == ("A", "B")
    assert conflict.slot_ids == (slots[0].id,)
    assert set(conflict.constraints) == {"one_region_per_slot", "pinned_slot"}
    assert "2 pass för 3 talare" in conflict.message_sv
    assert "2 slots for 3 presenters" in conflict.message_en


def test_two_regions_pinned_to_one_slot_is_a_hard_conflict():
    slots = slots_for("r")
    result = schedule(
        [RoundSpec("r", slots, (Presenter("A", pinned_slot=slots[0].id), Presenter("B", pinned_slot=slots[0].id)))]
    )
    assert [c.code for c in result.conflicts] == ["pinned_same_slot"]
    assert result.conflicts[0].regions == ("A", "B")


def test_pins_that_put_one_person_in_two_rounds_at_once_are_refused():
    a, b = slots_for("a"), slots_for("b")
    result = schedule(
        [
            RoundSpec("a", a, (Presenter("X", ("anna",), pinned_slot=a[0].id),)),
            RoundSpec("b", b, (Presenter("Y", ("anna",), pinned_slot=b[0].id),)),
        ]
    )
    assert [c.code for c in result.conflicts] == ["person_double_booked"]
    assert result.conflicts[0].people == ("anna",)


def test_attendee_in_two_overlapping_rounds_is_a_conflict():
    a, b = slots_for("a"), slots_for("b", start=at(9, 30))
    result = schedule([RoundSpec("a", a, (), attendees=("eva",)), RoundSpec("b", b, (), attendees=("eva",))])
    assert [c.code for c in result.conflicts] == ["attendee_double_booked"]


def test_rescheduling_keeps_regions_in_their_previous_slots():
    slots = slots_for("r")
    previous = {("r", "A"): slots[2].id, ("r", "B"): slots[0].id}
    result = schedule([RoundSpec("r", slots, (Presenter("A"), Presenter("B"), Presenter("C")))], previous=previous)
    placed = {a.region: a.slot_id for a in result.assignments}
    assert placed["A"] == slots[2].id and placed["B"] == slots[0].id


def test_output_is_deterministic():
    slots = slots_for("r", minutes=120)
    presenters = tuple(
        Presenter(f"R{i}", (f"p{i}",), ((at(9), at(9, 10 * (i % 3))),) if i % 3 else ()) for i in range(9)
    )
    first = schedule([RoundSpec("r", slots, presenters)])
    assert all(schedule([RoundSpec("r", slots, presenters)]) == first for _ in range(3))


def test_bad_input_is_refused_with_every_field_named():
    slots = slots_for("r")
    with pytest.raises(InvalidInput) as info:
        schedule(
            [
                RoundSpec(
                    "r",
                    slots,
                    (Presenter("A", pinned_slot="nope"), Presenter("A")),
                    pinned_order=("Z",),
                )
            ]
        )
    codes = {(e.field, e.code) for e in info.value.errors}
    assert ("rounds[0].presenters[0].pinned_slot", "unknown_slot") in codes
    assert ("rounds[0].presenters[1].region", "duplicate_presenter") in codes
    assert ("rounds[0].pinned_order[0]", "unknown_region") in codes


# --- validation -------------------------------------------------------------------------------


def test_overlapping_slots_in_a_round_are_reported():
    slots = slots_for("r", minutes=20)
    # 09:05-09:15 overlaps both 09:00-09:10 and 09:10-09:20.
    bad = (*slots, Slot("extra", "r", at(9, 5), at(9, 15)))
    errors = overlapping_slots(bad)
    assert [e.code for e in errors] == ["overlapping_slots", "overlapping_slots"]
    assert all("extra" in e.message_sv and "överlappar" in e.message_sv for e in errors)
    assert overlapping_slots(slots) == []


def test_a_round_without_a_lead_is_refused():
    draft = RoundDraft("Hållbar industri", None, "", ((at(9), at(10)),), meeting_link="ftp://x")
    fields = {e.field for e in validate_round(draft)}
    assert fields == {"lead_organisation", "lead_area", "meeting_link"}
    ok = RoundDraft("Hållbar industri", "Vinnova", "Hållbar industri", ((at(9), at(10)),), "https://meet.example/a")
    assert validate_round(ok) == []


def test_round_with_overlapping_or_too_short_meetings_is_refused():
    draft = RoundDraft("Tema", "Vinnova", "Hållbar industri", ((at(9), at(10)), (at(9, 30), at(9, 35))))
    codes = {e.code for e in validate_round(draft)}
    assert codes == {"overlapping_meetings", "meeting_too_short"}


def test_presenter_booked_twice_and_slot_taken():
    lines = [
        BookingLine("a", "a/1", "Skåne", at(9), at(9, 10), ("anna",)),
        BookingLine("a", "a/1", "Kalmar", at(9), at(9, 10), ("bo",)),
        BookingLine("b", "b/1", "Halland", at(9, 5), at(9, 15), ("anna",)),
        BookingLine("a", "a/2", "Skåne", at(9, 10), at(9, 20), ()),
    ]
    codes = sorted(e.code for e in presenters_booked_twice(lines))
    assert codes == ["person_double_booked", "region_booked_twice", "slot_taken"]
