"""Calendar invitations and feeds for snabbdialog rounds: pure core, no app needed."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from synergy_app.dialogues.invitations_ics import (
    BookingInfo,
    MeetingTime,
    Participant,
    RoundInfo,
    booking_entry,
    booking_invitation,
    calendar_method,
    round_entries,
    round_invitation,
    stockholm_vtimezone,
    subscription_feed,
    to_ics,
    webcal_url,
)
from synergy_app.dialogues.validation import InvalidInput

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
ORGANIZER = Participant("Vinnova, Hållbar industri", "hallbarindustri@vinnova.example")
ANNA = Participant("Anna Ek", "anna.ek@regionostergotland.example")
PER = Participant("Per Öst", "per@skane.example", role="OPT-PARTICIPANT")

# The Friday before and the Monday after each 2026 change (29 March, 25 October).
ROUND = RoundInfo(
    id=7,
    theme="Hållbar industri",
    lead="Vinnova, Hållbar industri",
    meetings=(
        MeetingTime(11, datetime(2026, 3, 27, 9, 0, tzinfo=STHLM), datetime(2026, 3, 27, 11, 0, tzinfo=STHLM)),
        MeetingTime(12, datetime(2026, 3, 30, 9, 0, tzinfo=STHLM), datetime(2026, 3, 30, 11, 0, tzinfo=STHLM)),
        MeetingTime(13, datetime(2026, 10, 23, 9, 0, tzinfo=STHLM), datetime(2026, 10, 23, 11, 0, tzinfo=STHLM)),
        MeetingTime(14, datetime(2026, 10, 26, 9, 0, tzinfo=STHLM), datetime(2026, 10, 26, 11, 0, tzinfo=STHLM)),
    ),
    meeting_link="https://meet.example/hallbar-industri",
    recorded=True,
)
BOOKING = BookingInfo(
    id=42,
    round_id=7,
    theme="Hållbar industri",
    region="Östergötland",
    start=datetime(2026, 3, 30, 9, 10, tzinfo=STHLM),
    end=datetime(2026, 3, 30, 9, 20, tzinfo=STHLM),
    meeting_link="https://meet.example/hallbar-industri",
)


def parse(calendar) -> Calendar:
    return Calendar.from_ical(to_ics(calendar))


def events(calendar: Calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_round_invitation_round_trips_with_utc_times_right_on_both_sides_of_each_change():
    parsed = parse(round_invitation(ROUND, [ANNA, PER], organizer=ORGANIZER, now=NOW))
    assert str(parsed["METHOD"]) == "REQUEST"
    starts_utc = [e.decoded("DTSTART").astimezone(UTC).strftime("%m-%d %H:%M") for e in events(parsed)]
    # 09:00 local is 08:00 UTC in winter time and 07:00 UTC in summer time.
    assert starts_utc == ["03-27 08:00", "03-30 07:00", "10-23 07:00", "10-26 08:00"]
    raw = to_ics(round_invitation(ROUND, [ANNA], organizer=ORGANIZER, now=NOW)).decode()
    assert "DTSTART;TZID=Europe/Stockholm:20260330T090000" in raw


def test_times_are_right_when_read_through_the_written_vtimezone_alone():
    parsed = parse(round_invitation(ROUND, [ANNA], organizer=ORGANIZER, now=NOW))
    tz = parsed.walk("VTIMEZONE")[0].to_tz()  # built from our VTIMEZONE, not the system database
    local = [e["DTSTART"].dt.replace(tzinfo=None) for e in events(parsed)]
    offsets = [tz.utcoffset(value) for value in local]
    assert offsets == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=2), timedelta(hours=1)]


def test_vtimezone_is_a_real_stockholm_zone_with_standard_and_daylight():
    vtz = stockholm_vtimezone(datetime(2025, 12, 31).date(), datetime(2026, 12, 31).date())
    assert str(vtz["TZID"]) == "Europe/Stockholm"
    daylight = vtz.walk("DAYLIGHT")
    standard = vtz.walk("STANDARD")
    assert daylight and standard
    spring = daylight[0]
    assert spring.decoded("DTSTART") == datetime(2026, 3, 29, 2, 0)  # 02:00 CET, the onset before the change
    assert spring["TZOFFSETFROM"].td == timedelta(hours=1)
    assert spring["TZOFFSETTO"].td == timedelta(hours=2)
    autumn = [s for s in standard if s.decoded("DTSTART") == datetime(2026, 10, 25, 3, 0)]
    assert len(autumn) == 1
    assert autumn[0]["TZOFFSETFROM"].td == timedelta(hours=2)
    assert autumn[0]["TZOFFSETTO"].td == timedelta(hours=1)
    assert str(spring["TZNAME"]) == "CEST" and str(autumn[0]["TZNAME"]) == "CET"


def test_every_event_has_uid_dtstamp_dtstart_and_attendees_answer():
    parsed = parse(round_invitation(ROUND, [ANNA, PER], organizer=ORGANIZER, sequence=3, now=NOW))
    assert str(parsed["PRODID"]) and str(parsed["VERSION"]) == "2.0"
    for event in events(parsed):
        assert event["UID"] and event["DTSTART"] and event["DTEND"]
        assert event.decoded("DTSTAMP") == NOW
        assert event["SEQUENCE"] == 3
        assert str(event["LOCATION"]) == "https://meet.example/hallbar-industri"
        assert str(event["ORGANIZER"]) == "mailto:hallbarindustri@vinnova.example"
        attendees = event["ATTENDEE"]
        assert [str(a) for a in attendees] == ["mailto:anna.ek@regionostergotland.example", "mailto:per@skane.example"]
        assert attendees[0].params["CN"] == "Anna Ek"
        assert attendees[0].params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendees[0].params["RSVP"] == "TRUE"
        assert attendees[1].params["ROLE"] == "OPT-PARTICIPANT"


def test_uids_are_stable_when_a_meeting_moves_and_sequence_rises():
    first = parse(round_invitation(ROUND, [ANNA], organizer=ORGANIZER, sequence=0, now=NOW))
    moved = RoundInfo(
        ROUND.id,
        ROUND.theme,
        ROUND.lead,
        (MeetingTime(11, datetime(2026, 3, 27, 13, 0, tzinfo=STHLM), datetime(2026, 3, 27, 15, 0, tzinfo=STHLM)),),
    )
    second = parse(round_invitation(moved, [ANNA], organizer=ORGANIZER, sequence=1, now=NOW))
    assert str(events(first)[0]["UID"]) == str(events(second)[0]["UID"]) == "round-7-meeting-11@synergy.example"
    assert events(second)[0]["SEQUENCE"] > events(first)[0]["SEQUENCE"]


def test_uid_domain_is_configurable():
    entry = booking_entry(BOOKING, domain="synergi.vinnova.example")
    assert entry.uid == "booking-42@synergi.vinnova.example"


def test_cancellation_is_method_cancel_with_status_cancelled():
    parsed = parse(booking_invitation(BOOKING, [ANNA], organizer=ORGANIZER, method="CANCEL", sequence=2, now=NOW))
    assert calendar_method(parsed) == "CANCEL"
    (event,) = events(parsed)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "booking-42@synergy.example"
    assert event["SEQUENCE"] == 2
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_booking_invitation_states_it_is_not_a_funding_request():
    (event,) = events(parse(booking_invitation(BOOKING, [ANNA], organizer=ORGANIZER, now=NOW)))
    assert "inte en ansökan om nationell finansiering" in str(event["DESCRIPTION"])
    assert "not a request for national funding" in str(event["DESCRIPTION"])
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=10)


def test_bad_invitation_input_is_refused():
    with pytest.raises(InvalidInput) as info:
        round_invitation(ROUND, [], organizer=Participant("X", "not-an-address"), method="PUBLISH", sequence=-1)
    fields = {e.field for e in info.value.errors}
    assert fields == {"method", "sequence", "organizer.email", "attendees"}


def test_subscription_feed_has_no_method_and_no_attendees():
    entries = [*round_entries(ROUND), booking_entry(BOOKING, sequence=1)]
    raw = to_ics(subscription_feed(entries, "Mina snabbdialoger", now=NOW))
    parsed = Calendar.from_ical(raw)
    assert calendar_method(parsed) is None
    assert b"METHOD" not in raw and b"ATTENDEE" not in raw and b"ORGANIZER" not in raw
    assert str(parsed["X-WR-CALNAME"]) == "Mina snabbdialoger"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw
    assert len(events(parsed)) == 5
    assert len(parsed.walk("VTIMEZONE")) == 1


def test_feed_marks_cancelled_entries():
    entry = booking_entry(BOOKING, sequence=4, cancelled=True)
    (event,) = events(parse(subscription_feed([entry], now=NOW)))
    assert str(event["STATUS"]) == "CANCELLED"


def test_webcal_link():
    assert webcal_url("https://synergy.example/feeds/abc.ics") == "webcal://synergy.example/feeds/abc.ics"
    with pytest.raises(InvalidInput):
        webcal_url("ftp://x")


def test_output_uses_crlf_line_ends():
    raw = to_ics(round_invitation(ROUND, [ANNA], organizer=ORGANIZER, now=NOW))
    assert raw.count(b"\r\n") == raw.count(b"\n")


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_the_method_read_from_a_written_invitation_is_the_one_parsing_it_gives(method):
    raw = to_ics(booking_invitation(BOOKING, [ANNA, PER], organizer=ORGANIZER, method=method, sequence=1, now=NOW))
    assert calendar_method(raw) == calendar_method(raw.decode()) == calendar_method(Calendar.from_ical(raw)) == method


def test_a_feed_read_as_text_has_no_method_even_where_an_event_names_one():
    feed = to_ics(subscription_feed([booking_entry(BOOKING)], "Mina snabbdialoger", now=NOW))
    # An event's own property (not the calendar's) is not the calendar's METHOD.
    with_event_property = feed.replace(b"BEGIN:VEVENT\r\n", b"BEGIN:VEVENT\r\nMETHOD:REQUEST\r\n", 1)
    assert calendar_method(with_event_property) is None
    assert calendar_method(feed) is None
