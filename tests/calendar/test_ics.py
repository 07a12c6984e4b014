from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar

from synergy_app.calendar.call_data import CallData, Deadline, EventKind
from synergy_app.calendar.export_ics import calls_to_ics, fold
from synergy_app.calendar.import_ics import classify, parse_ics
from synergy_app.calendar.import_preview import RowAction

FIXTURES = Path(__file__).parent / "fixtures"
WINDOW = {"window_start": date(2026, 1, 1), "window_end": date(2030, 12, 31)}


def _parse(name, existing=None):
    return parse_ics((FIXTURES / name).read_bytes(), "vinnova", {"vinnova"}, existing=existing, **WINDOW)


def test_outlook_windows_zone_events_become_one_call_in_utc():
    preview = _parse("outlook_windows_zone.ics")
    assert preview.ok
    [call] = preview.calls
    assert call.title == "Hållbar industri 2027"
    # "W. Europe Standard Time": +01:00 in February, +02:00 after the switch on 28 March 2027.
    assert call.opens_on == datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
    assert call.deadlines[0].at == datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
    assert call.decision_on == date(2027, 6, 15)
    assert call.latest_start == date(2027, 9, 1)
    # The information meeting in the same file is reported and skipped, not turned into a call.
    skipped = [r for r in preview.rows if r.action == RowAction.SKIP]
    assert len(skipped) == 1 and "Informationsmöte" in skipped[0].warnings[0].message_sv


def test_google_all_day_window_with_yearly_rrule_is_a_series():
    preview = _parse("google_all_day_rrule.ics")
    assert preview.ok
    series = [c for c in preview.calls if c.series is not None]
    assert [(c.opens_on, c.last_deadline) for c in series] == [
        (date(2027, 3, 1), date(2027, 4, 15)),  # DTEND 16 April is exclusive
        (date(2028, 3, 1), date(2028, 4, 15)),
        (date(2029, 3, 1), date(2029, 4, 15)),
    ]
    assert len({c.identity for c in series}) == 3


def test_monthly_cutoffs_are_separate_deadlines_and_exdate_is_respected():
    preview = _parse("google_all_day_rrule.ics")
    [check] = [c for c in preview.calls if c.uid == "kompetenscheck@example.org"]
    assert check.opens_on == date(2027, 1, 15)
    assert [d.at for d in check.deadlines] == [date(2027, 2, 15), date(2027, 3, 15), date(2027, 5, 15)]
    assert check.decision_on == date(2027, 6, 15)


def test_rrule_is_expanded_only_inside_the_window():
    preview = parse_ics(
        (FIXTURES / "google_all_day_rrule.ics").read_bytes(),
        "vinnova",
        {"vinnova"},
        window_start=date(2028, 1, 1),
        window_end=date(2028, 12, 31),
    )
    series = [c for c in preview.calls if c.series is not None]
    assert [c.opens_on for c in series] == [date(2028, 3, 1)]


def test_malformed_events_are_named_per_row_and_block_the_import():
    preview = _parse("malformed.ics")
    assert not preview.ok
    errors = {r.row_number: [e.field for e in r.errors] for r in preview.rows}
    assert errors == {1: [], 2: ["DTSTART"], 3: ["DTSTART"], 4: ["DTEND"]}
    assert "Händelse 2" in preview.rows[1].errors[0].message_sv


def test_text_that_is_not_ics_is_a_file_error_not_a_crash():
    preview = parse_ics(b"this is not a calendar", "vinnova", {"vinnova"}, **WINDOW)
    assert not preview.ok and preview.file_errors[0].field == "file"


def test_unknown_funder_is_refused():
    preview = parse_ics((FIXTURES / "malformed.ics").read_bytes(), "okand", {"vinnova"}, **WINDOW)
    assert not preview.ok and preview.file_errors[0].field == "funder"


def test_event_kinds_in_swedish_and_english():
    assert classify("Utlysningen öppnar") == EventKind.OPENING
    assert classify("Sista ansökningsdag steg 1") == EventKind.DEADLINE
    assert classify("Call closes") == EventKind.DEADLINE
    assert classify("Beslut meddelas") == EventKind.DECISION
    assert classify("Senaste projektstart") == EventKind.LATEST_START
    assert classify("Workshop") is None


def _call(**kw):
    base = dict(
        funder_slug="vinnova",
        title="Hållbar industri; steg 1, 2027",
        reference="2027-00101",
        opens_on=date(2027, 2, 1),
        deadlines=(Deadline("", datetime(2027, 3, 30, 12, 0, tzinfo=UTC)),),
        decision_on=date(2027, 6, 15),
        revision=3,
    )
    base.update(kw)
    return CallData(**base)


def test_feed_is_parseable_with_stockholm_timezone_and_stable_uids():
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    data = calls_to_ics([_call()], now)
    cal = Calendar.from_ical(data)
    assert "METHOD" not in cal
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Hållbar industri; steg 1, 2027: Utlysningen öppnar",
        "Hållbar industri; steg 1, 2027: Sista ansökningsdag",
        "Hållbar industri; steg 1, 2027: Beslut",
    ]
    deadline = events[1]["DTSTART"].dt
    assert deadline.utcoffset().total_seconds() == 7200 and deadline.hour == 14
    assert b"DTSTART;VALUE=DATE:20270201" in data and b"DTEND;VALUE=DATE:20270202" in data
    assert all(int(e["SEQUENCE"]) == 3 for e in events)
    later = calls_to_ics([_call(decision_on=date(2027, 6, 22), revision=4)], now)
    assert [e["UID"] for e in Calendar.from_ical(later).walk("VEVENT")] == [e["UID"] for e in events]


def test_winter_time_deadline_keeps_its_offset():
    call = _call(deadlines=(Deadline("", datetime(2027, 11, 30, 13, 0, tzinfo=UTC)),), decision_on=None)
    data = calls_to_ics([call], datetime(2026, 11, 1, tzinfo=UTC))
    deadline = Calendar.from_ical(data).walk("VEVENT")[1]["DTSTART"].dt
    assert (deadline.hour, deadline.utcoffset().total_seconds()) == (14, 3600)


def test_feed_reimports_as_unchanged():
    call = _call()
    data = calls_to_ics([call], datetime(2026, 11, 1, tzinfo=UTC))
    preview = parse_ics(data, "vinnova", {"vinnova"}, existing={call.identity: call}, **WINDOW)
    assert [r.action for r in preview.rows] == [RowAction.UNCHANGED]


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "å" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_link_that_is_not_a_web_address_is_refused_and_names_the_url_field():
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:link-1@test\r\n"
        "DTSTART;VALUE=DATE:20270310\r\nSUMMARY:Sista ansökningsdag\r\nURL:javascript:alert(1)\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    preview = parse_ics(ics, "vinnova", {"vinnova"}, **WINDOW)
    assert not preview.ok
    assert [e.field for e in preview.rows[0].errors] == ["URL"]
    assert "http" in preview.rows[0].errors[0].message_sv
