"""The one calendar writer: icalendar objects for invitations and personal feeds, and plain lines for the
big public feed that must give the same calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from synergy_app.ics_writer import Entry, FeedHeader, Participant, feed, feed_text, invitation, to_ics, webcal_url

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
HEADER = FeedHeader(prodid="-//Test//SV", name="Mina; utlysningar, och dialoger", description="Rad ett\nrad två",
                    refresh=timedelta(hours=12))
ENTRIES = [
    Entry(uid="call.deadline.0@test", summary="Hållbar industri; steg 1, 2027: Sista ansökningsdag",
          start=datetime(2027, 3, 30, 12, 0, tzinfo=UTC), sequence=3,
          description="Hållbar industri\n" + "å" * 90 + "\nhttps://example.org/a", url="https://example.org/a",
          transparent=True, categories=("Sista ansökningsdag", "Beslut, senare"),
          extra=(("X-SYNERGY-CALL", "ref:vinnova:2027-00101"), ("X-SYNERGY-EVENT-KIND", "deadline"))),
    Entry(uid="call.opening.0@test", summary="Öppnar", start=date(2027, 2, 1), end=date(2027, 2, 2)),
    Entry(uid="booking-42@test", summary="Snabbdialog: Östergötland presenterar", status="CANCELLED",
          start=datetime(2026, 10, 26, 9, 10, tzinfo=STHLM), end=datetime(2026, 10, 26, 9, 20, tzinfo=STHLM),
          location="https://meet.example/a", sequence=4),
]


def _as_data(calendar: Calendar):
    """Every property of the calendar and its components, decoded, order left out."""
    def props(component):
        return sorted((name, str(component.decoded(name)) if name not in ("CATEGORIES",)
                       else str(component[name].cats)) for name in component)
    return props(calendar), [(c.name, props(c)) for c in calendar.subcomponents]


def test_plain_lines_give_the_same_calendar_as_icalendar_objects():
    from_objects = Calendar.from_ical(to_ics(feed(ENTRIES, NOW, HEADER)))
    raw = feed_text(ENTRIES, NOW, HEADER)
    from_lines = Calendar.from_ical(raw)
    assert _as_data(from_lines) == _as_data(from_objects)
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"METHOD" not in raw and b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in raw


def test_feed_values_read_back():
    raw = feed_text(ENTRIES, NOW, HEADER)
    cal = Calendar.from_ical(raw)
    # TEXT escaping (icalendar reads these calendar properties back without undoing it).
    assert "X-WR-CALNAME:Mina\\; utlysningar\\, och dialoger\r\n" in raw.decode()
    deadline, opening, booking = cal.walk("VEVENT")
    assert deadline.decoded("DTSTART") == datetime(2027, 3, 30, 14, 0, tzinfo=STHLM) and "DTEND" not in deadline
    assert deadline.decoded("DTSTAMP") == NOW and deadline["SEQUENCE"] == 3
    assert str(deadline["SUMMARY"]) == "Hållbar industri; steg 1, 2027: Sista ansökningsdag"
    assert deadline["CATEGORIES"].cats == ["Sista ansökningsdag", "Beslut, senare"]
    assert str(deadline["X-SYNERGY-CALL"]) == "ref:vinnova:2027-00101"
    assert opening.decoded("DTSTART") == date(2027, 2, 1) and str(opening["TRANSP"]) == "OPAQUE"
    # 09:10 in Stockholm on the Monday after the October change is 08:10 UTC.
    assert booking.decoded("DTSTART").astimezone(UTC) == datetime(2026, 10, 26, 8, 10, tzinfo=UTC)
    assert str(booking["STATUS"]) == "CANCELLED"


def test_all_day_entries_need_no_timezone():
    cal = Calendar.from_ical(feed_text(ENTRIES[1:2], NOW, HEADER))
    assert not cal.walk("VTIMEZONE") and len(cal.walk("VEVENT")) == 1
    assert not Calendar.from_ical(to_ics(feed([], NOW, HEADER))).walk("VEVENT")


def test_invitation_has_method_organizer_and_attendees():
    anna = Participant("Anna Ek", "anna@example.se")
    chair = Participant("Vinnova", "chair@example.se", role="CHAIR")
    cal = Calendar.from_ical(to_ics(invitation(ENTRIES[2:], NOW, prodid="-//Test//SV", method="REQUEST",
                                               organizer=chair, attendees=[anna])))
    (event,) = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST" and str(event["ORGANIZER"]) == "mailto:chair@example.se"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE" and event["ATTENDEE"].params["CN"] == "Anna Ek"
    cancel = Calendar.from_ical(to_ics(invitation(ENTRIES[2:], NOW, prodid="-//Test//SV", method="CANCEL",
                                                  organizer=chair, attendees=[anna])))
    assert cancel.walk("VEVENT")[0]["ATTENDEE"].params["RSVP"] == "FALSE"


def test_webcal_url():
    assert webcal_url("https://synergy.example/calendar/feed/a.ics") == "webcal://synergy.example/calendar/feed/a.ics"
    assert webcal_url("ftp://x") is None
