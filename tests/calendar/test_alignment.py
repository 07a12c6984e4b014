from datetime import date

from synergy_app.calendar.alignment import AlignmentSettings, FlagCode, check_alignment, coordination_view
from synergy_app.calendar.call_data import CallData, CallStatus, Deadline, derive_status


def call(
    ref,
    funder="vinnova",
    opens=date(2027, 2, 1),
    deadline=date(2027, 4, 15),
    decision=None,
    earliest=None,
    latest=None,
    themes=("hallbar-industri",),
):
    return CallData(
        funder_slug=funder,
        title=ref,
        reference=ref,
        opens_on=opens,
        deadlines=(Deadline("", deadline),),
        decision_on=decision,
        earliest_start=earliest,
        latest_start=latest,
        themes=themes,
    )


def codes(flags):
    return sorted(f.code.value for f in flags)


def test_aligned_pair_has_no_flags():
    a = call("A", decision=date(2027, 6, 1), latest=date(2027, 10, 1))
    b = call(
        "B",
        funder="tillvaxtverket",
        opens=date(2027, 3, 1),
        deadline=date(2027, 4, 20),
        decision=date(2027, 6, 10),
        latest=date(2027, 9, 1),
    )
    assert check_alignment([a, b]) == []


def test_decision_after_other_funders_latest_start_with_smallest_shift():
    a = call("A", decision=date(2027, 11, 30), latest=date(2028, 3, 1))
    b = call("B", funder="tillvaxtverket", decision=date(2027, 6, 10), latest=date(2027, 9, 1))
    [flag] = [f for f in check_alignment([a, b]) if f.code == FlagCode.DECISION_AFTER_LATEST_START]
    assert {(d.call, d.field, d.on) for d in flag.dates} == {
        ("ref:vinnova:A", "decision_on", date(2027, 11, 30)),
        ("ref:tillvaxtverket:B", "latest_start", date(2027, 9, 1)),
    }
    # 90 days either way; moving B's latest start later is preferred at equal size.
    assert (flag.shift.call, flag.shift.field, flag.shift.to_date, flag.shift.days) == (
        "ref:tillvaxtverket:B",
        "latest_start",
        date(2027, 11, 30),
        90,
    )
    assert {o.days for o in flag.options} == {90, -90}


def test_windows_that_do_not_overlap():
    a = call("A", opens=date(2027, 2, 1), deadline=date(2027, 3, 31))
    b = call("B", funder="tillvaxtverket", opens=date(2027, 5, 3), deadline=date(2027, 6, 15))
    [flag] = [f for f in check_alignment([a, b]) if f.code == FlagCode.WINDOWS_DO_NOT_OVERLAP]
    assert abs(flag.shift.days) == 33
    assert (flag.shift.call, flag.shift.field, flag.shift.to_date) == ("ref:vinnova:A", "deadline", date(2027, 5, 3))


def test_no_common_start_uses_assumed_window_only_when_latest_start_is_missing():
    a = call("A", decision=date(2027, 3, 1))  # no latest start: assume 90 days
    b = call(
        "B", funder="tillvaxtverket", opens=date(2027, 1, 10), deadline=date(2027, 3, 1), decision=date(2027, 9, 1)
    )
    flags = [
        f for f in check_alignment([a, b], AlignmentSettings(flag_weekends=False)) if f.code == FlagCode.NO_COMMON_START
    ]
    [flag] = flags
    assert "antagen" in flag.message_sv
    assert flag.shift.days == 94  # 1 Sep minus (1 Mar + 90 days = 30 May)


def test_short_application_period_default_six_weeks():
    [flag] = check_alignment([call("A", opens=date(2027, 2, 1), deadline=date(2027, 3, 1))])
    assert flag.code == FlagCode.SHORT_APPLICATION_PERIOD
    assert flag.shift.field == "deadline" and flag.shift.to_date == date(2027, 3, 15)  # 28 -> 42 days
    assert (
        check_alignment(
            [call("A", opens=date(2027, 2, 1), deadline=date(2027, 3, 1))], AlignmentSettings(min_application_days=28)
        )
        == []
    )


def test_deadline_on_swedish_holiday_july_and_eves():
    # 6 June 2027 is National Day (a Sunday, flagged as holiday first).
    [holiday] = check_alignment([call("A", opens=date(2027, 3, 1), deadline=date(2027, 6, 6))])
    assert holiday.code == FlagCode.DEADLINE_ON_HOLIDAY and "Nationaldagen" in holiday.message_sv
    assert holiday.shift.to_date == date(2027, 6, 7)  # Monday after: 1 day, against 2 back to Friday
    [july] = check_alignment([call("B", opens=date(2027, 4, 1), deadline=date(2027, 7, 20))])
    assert july.code == FlagCode.DEADLINE_IN_JULY
    assert july.shift.to_date == date(2027, 8, 2)  # 1 Aug 2027 is a Sunday; 30 June is 20 days back
    [eve] = check_alignment([call("C", opens=date(2027, 10, 1), deadline=date(2027, 12, 24))])
    assert eve.code == FlagCode.DEADLINE_ON_HOLIDAY and "Julafton" in eve.message_sv


def test_status_rule():
    c = call("A", opens=date(2027, 2, 1), deadline=date(2027, 4, 15))
    assert derive_status(c, date(2026, 10, 1)) == CallStatus.PLANNED
    assert derive_status(c, date(2026, 12, 1)) == CallStatus.FORTHCOMING
    assert derive_status(c, date(2027, 2, 1)) == CallStatus.OPEN
    assert derive_status(c, date(2027, 4, 15)) == CallStatus.OPEN
    assert derive_status(c, date(2027, 4, 16)) == CallStatus.CLOSED
    assert derive_status(CallData("vinnova", "X", reference="X"), date(2027, 1, 1)) == CallStatus.PLANNED


def test_coordination_view_gaps_and_alignable_pairs():
    calls = [
        call("A", opens=date(2027, 2, 1), deadline=date(2027, 3, 31)),
        call("B", funder="tillvaxtverket", opens=date(2027, 5, 3), deadline=date(2027, 6, 15)),
        call("C", funder="formas", opens=date(2027, 2, 1), deadline=date(2027, 3, 31), themes=("halsa",)),
    ]
    rows = {r.theme: r for r in coordination_view(calls, 2027, min_gap_days=60)}
    hi = rows["hallbar-industri"]
    assert [(g.start, g.end) for g in hi.gaps] == [(date(2027, 6, 16), date(2027, 12, 31))]
    assert [(p.a, p.b) for p in hi.alignable] == [("ref:vinnova:A", "ref:tillvaxtverket:B")]
    assert [(g.start, g.end) for g in rows["halsa"].gaps] == [(date(2027, 4, 1), date(2027, 12, 31))]


def test_alignment_by_call_gives_each_call_the_flags_of_its_own_check(db_session):
    """One pass over many calls gives each call exactly the flags that checking it with its coordinated
    calls gives, in the same order, for a call in two sets and a call in none."""
    from datetime import UTC, datetime

    from synergy_app.calendar import public, service
    from tests.calendar.conftest import make_data

    def save(ref, **kw):
        return service.save_call(make_data(ref, **kw), actor="test")

    a = save("A-1", deadlines=(Deadline("", datetime(2027, 7, 15, 12, 0, tzinfo=UTC)),),  # in July
             decision_on=date(2027, 8, 20), earliest_start=date(2027, 9, 1), latest_start=date(2027, 10, 1))
    b = save("B-1", decision_on=date(2027, 11, 20), opens_on=date(2027, 9, 1), earliest_start=date(2027, 12, 1),
             latest_start=date(2028, 2, 1), deadlines=(Deadline("", datetime(2027, 9, 20, 12, 0, tzinfo=UTC)),))
    c = save("C-1", opens_on=date(2027, 4, 1))  # a short application period
    alone = save("D-1", deadlines=(Deadline("", datetime(2027, 12, 25, 12, 0, tzinfo=UTC)),),  # Christmas Day
                 decision_on=date(2028, 2, 1), earliest_start=date(2028, 3, 1), latest_start=date(2028, 5, 1))
    service.mark_coordinated([a.id, b.id], name="AB", actor=None)
    service.mark_coordinated([b.id, c.id], name="BC", actor=None)

    ids = [a.id, b.id, c.id, alone.id]
    batch = public.alignment_by_call(public.call_data_for_ids(ids))
    partners = public.coordinated_with(ids)
    for call_id in ids:
        identity = next(d.identity for d in public.call_data_for_ids([call_id]))
        one_by_one = []
        for flag in public.alignment_for_ids(sorted(partners[call_id])):
            if identity in flag.calls and flag not in one_by_one:
                one_by_one.append(flag)
        assert batch[call_id] == one_by_one, call_id
    assert any(len(f.calls) == 2 for f in batch[b.id])  # b clashes with a partner
    assert batch[alone.id] and all(len(f.calls) == 1 for f in batch[alone.id])  # its own flags only
    # Checking some of the calls, with the others at hand, gives those calls the same flags.
    everything = public.call_data_for_ids(ids)
    some = public.alignment_by_call([d for d in everything if int(d.extra["id"]) in (b.id, alone.id)],
                                    at_hand=everything)
    assert some == {b.id: batch[b.id], alone.id: batch[alone.id]}
