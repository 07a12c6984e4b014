"""Bookings: a strategist books a free slot, the database refuses a second booking of the same slot (also
when two sessions book at the same moment), planners move and swap, cancellations, calendar files and feed."""

from __future__ import annotations

import re
import threading
from datetime import date, time
from email import message_from_bytes

import pytest
from icalendar import Calendar
from sqlalchemy import delete, func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking, DialogueRound, Invitation, Slot
from synergy_app.errors import Conflict
from synergy_app.extensions import db

from .rounds_support import make_round, region, slots_of


def test_strategist_books_a_free_slot(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    login(make_user("strategist", region="ostergotland"))
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Boka" in page
    slot = slots_of(db_session, round_)[2]
    response = client.post(f"/dialogues/slots/{slot.id}/book")
    assert response.status_code == 303
    booking = db_session.scalar(select(Booking).where(Booking.slot_id == slot.id))
    assert booking.region.slug == "ostergotland" and booking.invitation.answer == "yes"
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Ert pass" in page


def _picker(html: str) -> str:
    start = html.index('id="book-heading"')
    return html[start:html.index("</form>", start)]


def test_strategist_picks_a_free_slot_from_chips_grouped_by_day(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    first, second = slots_of(db_session, round_)[:2]
    service.book_slot(first, region(db_session, "vastmanland"), None)
    login(make_user("strategist", region="ostergotland"))
    picker = _picker(client.get(f"/dialogues/{round_.id}").get_data(as_text=True))
    assert picker.count("<fieldset") == 1 and "<legend>tisdag 10 september 2030</legend>" in picker
    # The taken slot is shown, in words, with nothing to choose; each free one is a radio button.
    taken = picker[picker.index("09:00–09:10") - 200:picker.index("09:00–09:10") + 120]
    assert "upptaget" in taken and "<input" not in taken
    assert f'name="slot" value="{second.id}"' in picker and f'value="{first.id}"' not in picker
    assert picker.count('type="radio"') == len(slots_of(db_session, round_)) - 1
    assert "Boka valt pass" in picker

    response = client.post(f"/dialogues/{round_.id}/book", data={"slot": second.id})
    assert response.status_code == 303
    booking = db_session.scalar(select(Booking).where(Booking.slot_id == second.id))
    assert booking.region.slug == "ostergotland"
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Ert pass" in page and 'id="book-heading"' not in page  # booked: nothing left to pick


def test_slot_picker_in_english(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    login(make_user("strategist", region="ostergotland"))
    picker = _picker(client.get(f"/dialogues/{round_.id}?lang=en").get_data(as_text=True))
    assert "<legend>Tuesday 10 September 2030</legend>" in picker and "Book chosen slot" in picker
    assert "ledigt" not in picker and "free" in picker


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_the_round_pages_tables_are_cards_on_a_phone_without_a_scroll_region(client, make_user, login, db_session):
    """The invited regions are a table.stack (cards on a narrow screen, each value led by its column's name)
    outside any scroll region; the running order is one too where it has the planner's action column."""
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), None)
    login(planner)
    html = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    invited = _section(html, "inv-heading")
    assert '<table class="data stack invitations">' in invited and 'role="region"' not in invited
    row = invited[invited.index("<tbody>"):]
    assert [label for label in re.findall(r'data-label="([^"]+)"', row)] == [
        "Svar", "Presentatörer", "Kan inte", "Varför inbjuden"]
    assert '<table class="data slots stack">' in _section(html, "slots-heading")
    assert 'data-label="Åtgärd"' in _section(html, "slots-heading")
    client.post("/logout")
    login(make_user("reader"))
    reader = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert '<table class="data slots">' in _section(reader, "slots-heading")  # three columns fit a phone


@pytest.mark.parametrize("chosen", [None, "", "x", "other-round"])
def test_booking_without_a_slot_of_the_round_names_the_field_and_books_nothing(client, make_user, login, db_session,
                                                                               chosen):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    other = make_round(db_session, planner)
    login(make_user("strategist", region="ostergotland"))
    data = {} if chosen is None else {"slot": slots_of(db_session, other)[0].id if chosen == "other-round" else chosen}
    response = client.post(f"/dialogues/{round_.id}/book", data=data)
    assert response.status_code == 400
    picker = _picker(response.get_data(as_text=True))
    assert 'id="slot-error"' in picker and "Välj ett ledigt pass att boka." in picker
    assert 'aria-describedby="slot-error slot-hint"' in picker
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id.in_([round_.id, other.id]))) == 0


def test_a_slot_taken_meanwhile_is_explained_at_the_picker(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    login(make_user("strategist", region="ostergotland"))
    service.book_slot(slot, region(db_session, "vastmanland"), None)  # another region was quicker
    response = client.post(f"/dialogues/{round_.id}/book", data={"slot": slot.id})
    assert response.status_code == 409
    picker = _picker(response.get_data(as_text=True))
    assert "Passet har just bokats av en annan region" in picker and f'value="{slot.id}"' not in picker
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 1


def test_taken_slot_gives_a_clear_message_and_changes_nothing(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    service.book_slot(slot, region(db_session, "vastmanland"), None)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/slots/{slot.id}/book", follow_redirects=True)
    assert "Passet har just bokats av en annan region" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 1
    with pytest.raises(Conflict) as err:
        service.book_slot(slot, region(db_session, "ostergotland"), None)
    assert err.value.code == "slot_taken"


def test_one_active_booking_per_region_and_round(db_session, make_user):
    round_ = make_round(db_session, make_user("planner"))
    first, second = slots_of(db_session, round_)[:2]
    osterg = region(db_session, "ostergotland")
    service.book_slot(first, osterg, None)
    with pytest.raises(Conflict) as err:
        service.book_slot(second, osterg, None)
    assert err.value.code == "region_already_booked"


def test_draft_round_is_not_open_for_booking(db_session, make_user):
    round_ = make_round(db_session, make_user("planner"), open_for_booking=False)
    with pytest.raises(Conflict) as err:
        service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), None)
    assert err.value.code == "round_closed"


def test_strategist_cannot_book_for_a_slot_when_not_strategist(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    login(make_user("reader"))
    assert client.post(f"/dialogues/slots/{slots_of(db_session, round_)[0].id}/book").status_code == 403


def test_planner_moves_and_swaps_bookings_with_sequence_bumped(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    s0, s1, s2 = slots_of(db_session, round_)[:3]
    a = service.book_slot(s0, region(db_session, "ostergotland"), None)
    b = service.book_slot(s1, region(db_session, "vastmanland"), None)
    login(planner)
    assert client.get(f"/dialogues/bookings/{a.id}/move").status_code == 200
    assert client.post(f"/dialogues/bookings/{a.id}/move", data={"slot": s2.id}).status_code == 303
    db_session.refresh(a)
    assert a.slot_id == s2.id and a.sequence == 1
    client.post(f"/dialogues/bookings/{a.id}/move", data={"slot": s1.id})
    db_session.refresh(a)
    db_session.refresh(b)
    assert (a.slot_id, b.slot_id) == (s1.id, s2.id)
    assert (a.sequence, b.sequence) == (2, 1)


def _chip(html: str, slot) -> str:
    """The chip (label or span) of `slot` on the move page, by its time."""
    when = f'class="chip-time">{slot.starts_at.astimezone(service.STOCKHOLM):%H:%M}'
    start = html.rindex("<", 0, html.rindex('class="chip', 0, html.index(when)))
    return html[start:html.index("</label>" if html.startswith("<label", start) else "</span>\n  </span>", start)]


def test_planner_moves_a_booking_by_picking_a_time_chip(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    s0, s1, s2 = slots_of(db_session, round_)[:3]
    a = service.book_slot(s0, region(db_session, "ostergotland"), None)
    service.book_slot(s1, region(db_session, "vastmanland"), None)
    login(planner)
    html = client.get(f"/dialogues/bookings/{a.id}/move").get_data(as_text=True)
    assert "<select" not in html and "<legend>tisdag 10 september 2030</legend>" in html
    # Where the booking is now: no choice, said in words. A free slot and a booked one (a swap) are chips,
    # each a radio button of the field `slot`; the booked one names the region it swaps with.
    here = _chip(html, s0)
    assert "<input" not in here and "nu här" in here
    swap = _chip(html, s1)
    assert f'type="radio" name="slot" value="{s1.id}"' in swap and "bokat: Region Västmanland" in swap
    assert 'data-chosen="valt, byter med Region Västmanland"' in swap
    free = _chip(html, s2)
    assert f'name="slot" value="{s2.id}"' in free and "ledigt" in free
    assert html.count('type="radio" name="slot"') == len(slots_of(db_session, round_)) - 1
    english = client.get(f"/dialogues/bookings/{a.id}/move?lang=en").get_data(as_text=True)
    assert "here now" in _chip(english, s0) and "booked: Region Västmanland" in _chip(english, s1)
    assert "<legend>Tuesday 10 September 2030</legend>" in english
    client.get("/start?lang=sv")

    # Nothing chosen: said at the top and at the chips (the summary links to them), nothing moved.
    refused = client.post(f"/dialogues/bookings/{a.id}/move", data={})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert '<a href="#slot">Välj ett pass att flytta till.</a>' in page and 'id="slot"' in page
    assert 'id="slot-error"' in page and 'aria-invalid="true"' in _chip(page, s2)
    db_session.refresh(a)
    assert a.slot_id == s0.id

    assert client.post(f"/dialogues/bookings/{a.id}/move", data={"slot": s2.id}).status_code == 303
    db_session.refresh(a)
    assert a.slot_id == s2.id


def test_cancel_frees_the_slot_and_downloads_method_cancel(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    strategist = login(make_user("strategist", region="ostergotland"))
    booking = service.book_slot(slot, strategist.region, strategist)
    assert client.post(f"/dialogues/bookings/{booking.id}/cancel").status_code == 303
    db_session.refresh(booking)
    assert booking.cancelled_at is not None and booking.slot_id is None and booking.sequence == 1
    ics = client.get(f"/dialogues/bookings/{booking.id}/invitation.ics")
    assert "method=CANCEL" in ics.headers["Content-Type"]
    cal = Calendar.from_ical(ics.data)
    assert cal["METHOD"] == "CANCEL"
    event = next(iter(cal.walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == f"booking-{booking.id}@synergy.local"
    # The slot is free again and can be booked.
    service.book_slot(slot, region(db_session, "vastmanland"), None)


def test_strategist_of_other_region_cannot_cancel(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    booking = service.book_slot(slots_of(db_session, round_)[0], region(db_session, "vastmanland"), None)
    login(make_user("strategist", region="ostergotland"))
    assert client.post(f"/dialogues/bookings/{booking.id}/cancel").status_code == 403


@pytest.mark.parametrize("day, offset", [(date(2030, 3, 29), 1), (date(2030, 4, 1), 2),
                                         (date(2030, 10, 25), 2), (date(2030, 10, 28), 1)])
def test_ics_times_are_right_on_both_sides_of_the_dst_changes(client, make_user, login, db_session, day, offset):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, meetings=[service.local_interval(day, time(9, 0), time(10, 0))])
    booking = service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), None)
    login(planner)
    for url in (f"/dialogues/{round_.id}/invitation.ics", f"/dialogues/bookings/{booking.id}/invitation.ics"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Stockholm" in text
        assert f"DTSTART;TZID=Europe/Stockholm:{day:%Y%m%d}T090000" in text
        cal = Calendar.from_ical(response.data)
        assert cal["METHOD"] == "REQUEST"
        event = next(iter(cal.walk("VEVENT")))
        start = event["DTSTART"].dt
        assert start.utcoffset().total_seconds() == offset * 3600 and start.hour == 9


def test_round_sequence_rises_on_change_and_uid_stays(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    login(planner)
    first = Calendar.from_ical(client.get(f"/dialogues/{round_.id}/invitation.ics").data)
    from .rounds_support import round_data
    service.update_round(round_, round_data(recorded=True), planner)
    second = Calendar.from_ical(client.get(f"/dialogues/{round_.id}/invitation.ics").data)
    e1, e2 = next(iter(first.walk("VEVENT"))), next(iter(second.walk("VEVENT")))
    assert str(e1["UID"]) == str(e2["UID"])
    assert int(e2["SEQUENCE"]) == int(e1["SEQUENCE"]) + 1


def test_email_invitation_method_matches_ics(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    login(planner)
    for method in ("REQUEST", "CANCEL"):
        response = client.get(f"/dialogues/{round_.id}/invitation.eml?method={method}")
        assert response.status_code == 200
        message = message_from_bytes(response.data)
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert parts and parts[0].get_param("method") == method
        assert Calendar.from_ical(parts[0].get_payload(decode=True))["METHOD"] == method
    assert client.get(f"/dialogues/{round_.id}/invitation.eml?method=PUBLISH").status_code == 400


def test_personal_feed_has_no_method_and_a_webcal_link(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    strategist = login(make_user("strategist", region="ostergotland"))
    service.book_slot(slots_of(db_session, round_)[0], strategist.region, strategist)
    assert "/calendar/feed" in client.get("/dialogues/").get_data(as_text=True)  # the one personal feed
    page = client.post("/calendar/feed").get_data(as_text=True)
    assert "webcal://" in page
    token = re.search(r"/calendar/feed/([A-Za-z0-9_-]+)\.ics", page).group(1)
    client.post("/logout")
    # The address the dialogue pages once handed out serves the same feed.
    response = client.get(f"/dialogues/feed/{token}.ics")
    assert response.status_code == 200
    cal = Calendar.from_ical(response.data)
    assert "METHOD" not in cal
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert any("Östergötland" in s for s in summaries) and any("Hållbar industri" in s for s in summaries)
    assert not any(e.get("ATTENDEE") for e in cal.walk("VEVENT"))
    assert client.get("/dialogues/feed/not-a-token.ics").status_code == 404


def test_public_calendar_entries(db_session, make_user):
    from datetime import UTC, datetime

    from synergy_app.dialogues.public import calendar_entries_between, calendar_entries_for_user
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    entries = calendar_entries_between(datetime(2030, 9, 1, tzinfo=UTC), datetime(2030, 10, 1, tzinfo=UTC))
    assert any(e["uid"].startswith(f"round-{round_.id}-meeting") for e in entries)
    assert set(entries[0]) >= {"uid", "summary", "start", "end", "url", "sequence", "location"}
    assert any(e["uid"].startswith(f"round-{round_.id}-") for e in calendar_entries_for_user(planner))


# ---------------------------------------------------------------------------------------------
# two sessions booking the same slot at the same moment (real commits, own connections)


@pytest.fixture
def committed_round(app):
    """A round committed for real (not inside the per-test transaction); removed afterwards."""
    with app.app_context():
        round_ = make_round(db.session, None)
        round_id = round_.id
        slot_id = slots_of(db.session, round_)[0].id
        db.session.remove()
    yield round_id, slot_id
    with app.app_context():
        booking_ids = list(db.session.scalars(select(Booking.id).where(Booking.round_id == round_id)))
        db.session.execute(delete(Booking).where(Booking.round_id == round_id))
        invitation_ids = list(db.session.scalars(select(Invitation.id).where(Invitation.round_id == round_id)))
        db.session.execute(delete(AuditEntry).where(
            ((AuditEntry.object_type == "dialogue_rounds") & (AuditEntry.object_id == str(round_id)))
            | ((AuditEntry.object_type == "dialogue_bookings")
               & AuditEntry.object_id.in_([str(i) for i in booking_ids]))
            | ((AuditEntry.object_type == "dialogue_invitations")
               & AuditEntry.object_id.in_([str(i) for i in invitation_ids]))))
        db.session.delete(db.session.get(DialogueRound, round_id))
        db.session.commit()
        db.session.remove()


def test_simultaneous_bookings_end_with_exactly_one(app, committed_round):
    round_id, slot_id = committed_round
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def book(slug: str) -> None:
        with app.app_context():
            try:
                slot = db.session.get(Slot, slot_id)
                reg = region(db.session, slug)
                barrier.wait(timeout=10)
                service.book_slot(slot, reg, None)
                outcomes[slug] = "booked"
            except Conflict as exc:
                outcomes[slug] = f"conflict:{exc.code}:{exc.error.message_sv}"
            except Exception as exc:  # noqa: BLE001 - reported in the assertion below
                outcomes[slug] = f"error:{type(exc).__name__}:{exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(slug,)) for slug in ("ostergotland", "vastmanland")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v.split(":")[0] for v in outcomes.values()) == ["booked", "conflict"], outcomes
    conflict = next(v for v in outcomes.values() if v.startswith("conflict"))
    assert "slot_taken" in conflict and "annan region" in conflict
    with app.app_context():
        count = db.session.scalar(select(func.count(Booking.id)).where(Booking.slot_id == slot_id))
        db.session.remove()
    assert count == 1


def test_a_booking_of_a_slot_being_saved_by_another_region_is_answered_at_once(app, committed_round, monkeypatch):
    """While one region's booking of a slot is being saved, another region's booking of it is told the slot is
    taken at once (on PostgreSQL; SQLite lets one writer in at a time), not after the first one commits."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite lets one writer in at a time")
    round_id, slot_id = committed_round
    saving, release = threading.Event(), threading.Event()
    announce = service.signals.announce_bookings

    def announce_slowly(*bookings):  # the first booking is written but not yet committed
        if threading.current_thread().name == "first":
            saving.set()
            release.wait(timeout=30)
        announce(*bookings)

    monkeypatch.setattr(service.signals, "announce_bookings", announce_slowly)
    outcomes: dict[str, str] = {}

    def book(slug: str) -> None:
        with app.app_context():
            try:
                service.book_slot(db.session.get(Slot, slot_id), region(db.session, slug), None)
                outcomes[slug] = "booked"
            except Conflict as exc:
                outcomes[slug] = exc.code
            finally:
                db.session.remove()

    first = threading.Thread(target=book, args=("ostergotland",), name="first")
    first.start()
    try:
        assert saving.wait(timeout=30)
        second = threading.Thread(target=book, args=("vastmanland",), name="second")
        second.start()
        second.join(timeout=10)
        assert not second.is_alive() and outcomes == {"vastmanland": "slot_taken"}, outcomes
    finally:
        release.set()
        first.join(timeout=30)
    assert outcomes == {"vastmanland": "slot_taken", "ostergotland": "booked"}
    with app.app_context():
        booked = list(db.session.scalars(select(Booking.region_id).where(Booking.slot_id == slot_id)))
        assert booked == [region(db.session, "ostergotland").id]
        db.session.remove()
