"""E-mailed calendar invitations: pure core, no app and no mail server needed."""

import email
import email.policy
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from synergy_app.dialogues.invitation_email import invitation_email
from synergy_app.dialogues.invitations_ics import (
    BookingInfo,
    Participant,
    booking_entry,
    booking_invitation,
    subscription_feed,
    to_ics,
)
from synergy_app.dialogues.validation import InvalidInput

STHLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
ORGANIZER = Participant("Vinnova", "hallbarindustri@vinnova.example")
ASA = Participant("Åsa Öberg", "asa@regionostergotland.example")
BOOKING = BookingInfo(
    42,
    7,
    "Hållbar industri",
    "Östergötland",
    datetime(2026, 3, 30, 9, 10, tzinfo=STHLM),
    datetime(2026, 3, 30, 9, 20, tzinfo=STHLM),
)


def build(method: str):
    calendar = booking_invitation(BOOKING, [ASA], organizer=ORGANIZER, method=method, sequence=1, now=NOW)
    message = invitation_email(
        calendar,
        sender=("Synergy workspace", "noreply@synergy.example"),
        recipients=[(ASA.name, ASA.email)],
        subject="Snabbdialog: ditt pass 30 mars 09:10",
        body_text="Hej Åsa! Här är ditt pass i snabbdialogen Hållbar industri.",
    )
    # Parse the wire form, as a receiving client would.
    return calendar, email.message_from_bytes(message.as_bytes(policy=email.policy.SMTP), policy=email.policy.default)


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_mime_method_matches_the_ics_method(method):
    _, received = build(method)
    parts = [p for p in received.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == method
    assert parts[0].get_param("charset").upper() == "UTF-8"
    ics = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(ics["METHOD"]) == method


def test_structure_text_then_calendar_then_attachment():
    calendar, received = build("REQUEST")
    assert received.get_content_type() == "multipart/mixed"
    alternative, attachment = received.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/calendar"]
    assert "Hej Åsa" in alternative.get_payload()[0].get_content()
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == to_ics(calendar)


def test_calendar_part_keeps_crlf_line_ends():
    _, received = build("REQUEST")
    part = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    body = part.get_payload(decode=True)
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert body.count(b"\r\n") == body.count(b"\n")


def test_non_ascii_names_in_headers_survive():
    _, received = build("REQUEST")
    assert received["To"].addresses[0].display_name == "Åsa Öberg"
    assert received["Subject"] == "Snabbdialog: ditt pass 30 mars 09:10"


def test_a_feed_without_method_cannot_be_mailed_as_an_invitation():
    feed = subscription_feed([booking_entry(BOOKING)], now=NOW)
    with pytest.raises(InvalidInput) as info:
        invitation_email(
            feed, sender=("S", "s@synergy.example"), recipients=[("A", "a@x.example")], subject="x", body_text="y"
        )
    assert [e.field for e in info.value.errors] == ["calendar"]


def test_bad_addresses_and_empty_texts_are_named():
    calendar = booking_invitation(BOOKING, [ASA], organizer=ORGANIZER, now=NOW)
    with pytest.raises(InvalidInput) as info:
        invitation_email(calendar, sender=("S", "nobody"), recipients=[("A", "a@")], subject=" ", body_text="")
    assert {e.field for e in info.value.errors} == {"sender", "recipients[0]", "subject", "body_text"}
