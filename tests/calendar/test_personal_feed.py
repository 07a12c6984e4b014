"""One personal feed: the calls a user follows and the user's snabbdialoger in one calendar, at one secret
that also opens the address the dialogue pages once handed out; it stops when the account is deactivated."""

from __future__ import annotations

import re

from icalendar import Calendar

from synergy_app.auth.lifecycle import deactivate_user
from synergy_app.dialogues import service as dialogues

from ..dialogues.rounds_support import make_round, slots_of

FEED = re.compile(r"/calendar/feed/([A-Za-z0-9_-]+)\.ics")


def _feed_secret(client) -> str:
    return FEED.search(client.post("/calendar/feed").get_data(as_text=True)).group(1)


def test_the_feed_holds_followed_calls_and_dialogue_sessions(client, make_user, login, db_session, new_call):
    followed = new_call("ONE-1", title="Bevakad utlysning")
    new_call("ONE-2", title="Inte bevakad")
    round_ = make_round(db_session, make_user("planner"))
    user = login(make_user("strategist", region="ostergotland"))
    booking = dialogues.book_slot(slots_of(db_session, round_)[0], user.region, user)
    client.post(f"/calendar/calls/{followed.id}/follow")
    token = _feed_secret(client)
    client.post("/logout")

    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"].startswith("private")
    cal = Calendar.from_ical(response.data)
    assert "METHOD" not in cal and str(cal["X-WR-CALNAME"])
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    calls = [e for e in events.values() if "Bevakad utlysning" in str(e["SUMMARY"])]
    assert calls and all(str(e["TRANSP"]) == "TRANSPARENT" for e in calls)
    assert not any("Inte bevakad" in str(e["SUMMARY"]) for e in events.values())
    (slot,) = [e for uid, e in events.items() if uid.startswith(f"booking-{booking.id}@")]
    assert "Östergötland" in str(slot["SUMMARY"]) and str(slot["STATUS"]) == "CONFIRMED"
    booked = slots_of(db_session, round_)[0]
    assert (slot.decoded("DTSTART"), slot.decoded("DTEND")) == (booked.starts_at, booked.ends_at)
    assert any(uid.startswith(f"round-{round_.id}-meeting") for uid in events)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert not any(e.get("ATTENDEE") or e.get("ORGANIZER") for e in events.values())

    # A subscription made from the dialogue pages gets the very same calendar.
    old_address = Calendar.from_ical(client.get(f"/dialogues/feed/{token}.ics").data)
    assert sorted(str(e["UID"]) for e in old_address.walk("VEVENT")) == sorted(events)


def test_a_cancelled_booking_stays_in_the_feed_marked_cancelled(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    user = login(make_user("strategist", region="ostergotland"))
    booking = dialogues.book_slot(slots_of(db_session, round_)[0], user.region, user)
    dialogues.cancel_booking(booking, user)
    token = _feed_secret(client)
    cal = Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").data)
    (event,) = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"booking-{booking.id}@")]
    assert str(event["STATUS"]) == "CANCELLED"


def test_deactivation_revokes_the_feed_at_both_addresses(client, make_user, login, db_session):
    user = login(make_user("strategist", region="ostergotland"))
    token = _feed_secret(client)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    client.post("/logout")
    deactivate_user(user, make_user("admin"))
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert client.get(f"/dialogues/feed/{token}.ics").status_code == 404
