"""Messages reach a real SMTP server: invitations with their ICS, in the recipient's language, once."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from synergy_app.dialogues import service
from synergy_app.notify.models import OutboxMessage

from ..dialogues.rounds_support import make_round, region, slots_of
from .conftest import calendar_part


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    return calendar, next(c for c in calendar.walk("VEVENT"))


def test_planner_moves_a_booked_slot_and_the_strategist_gets_the_updated_invitation(
        client, make_user, login, db_session, mailbox):
    planner = make_user("planner")
    strategist = make_user("strategist", region="ostergotland", email="anna@region.test")
    round_ = make_round(db_session, planner)
    s0, s1 = slots_of(db_session, round_)[:2]
    login(strategist)
    assert client.post(f"/dialogues/slots/{s0.id}/book").status_code == 303
    booked = mailbox.to("anna@region.test")
    confirmation = [m for m in booked if m["Subject"].startswith("Bokat")]
    assert len(confirmation) == 1
    method, inline, attached = calendar_part(confirmation[0])
    _cal, first = _event(inline)
    assert method == "REQUEST" and int(first["SEQUENCE"]) == 0

    client.post("/logout")
    login(planner)
    booking_id = db_session.scalar(select(OutboxMessage.payload).where(
        OutboxMessage.kind == "booking_confirmed", OutboxMessage.recipient_email == "anna@region.test"))["booking_id"]
    response = client.post(f"/dialogues/bookings/{booking_id}/move", data={"slot": s1.id})
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]

    moved = [m for m in mailbox.to("anna@region.test") if m["Subject"].startswith("Flyttat pass")]
    assert len(moved) == 1
    message = moved[0]
    method, inline, attached = calendar_part(message)
    calendar, event = _event(inline)
    assert method == "REQUEST" and calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == str(first["UID"])  # the same event, updated
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == s1.starts_at
    assert attached == inline
    assert message["Content-Language"] == "sv"
    assert message["List-Unsubscribe"].startswith("<http")
    assert "/api/v1/unsubscribe/" in message["List-Unsubscribe"]
    assert "/notifications/unsubscribe/" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = [p.get_content_type() for p in message.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    row = db_session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "booking_moved",
                                                        OutboxMessage.recipient_email == "anna@region.test"))
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1


def test_english_reader_gets_english_and_cancellation_is_method_cancel(client, make_user, login, db_session,
                                                                       mailbox):
    planner = make_user("planner")
    strategist = make_user("strategist", region="ostergotland", email="eve@region.test")
    strategist.locale = "en"
    db_session.commit()
    round_ = make_round(db_session, planner)
    booking = service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), strategist)
    login(strategist)
    assert client.post(f"/dialogues/bookings/{booking.id}/cancel").status_code in (302, 303)
    cancelled = [m for m in mailbox.to("eve@region.test") if m["Subject"].startswith("Cancelled")]
    assert len(cancelled) == 1
    method, inline, _attached = calendar_part(cancelled[0])
    calendar, event = _event(inline)
    assert method == "CANCEL" and calendar["METHOD"] == "CANCEL"
    assert cancelled[0]["Content-Language"] == "en"
    assert "The slot of" in cancelled[0].get_body(("plain",)).get_content()


def test_a_rolled_back_change_sends_nothing(client, make_user, login, db_session, mailbox):
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="rolled@region.test")
    round_ = make_round(db_session, planner)
    s0, s1 = slots_of(db_session, round_)[:2]
    booking = service.book_slot(s0, region(db_session, "ostergotland"), None)
    before = db_session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    from synergy_app.audit.service import transaction
    from synergy_app.notify import events

    try:
        with transaction():
            booking.sequence += 1
            events.booking_changed(booking)
            raise RuntimeError("the change fails after the message was queued")
    except RuntimeError:
        pass
    login(planner)
    client.get("/")  # a request ends: anything committed would be sent now
    after = db_session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert after == before
    assert [m for m in mailbox.all() if m["Subject"].startswith("Flyttat")] == []


def test_two_bookings_sent_in_one_batch_each_carry_their_own_slot(make_user, db_session, mailbox):
    """A batch reads each booking once for all its recipients, and never gives one booking's invitation
    to the people of another."""
    from synergy_app.jobs.queue import deliver_committed

    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="ost@region.test")
    make_user("strategist", region="vastmanland", email="vast@region.test")
    round_ = make_round(db_session, planner)
    s0, s1 = slots_of(db_session, round_)[:2]
    service.book_slot(s0, region(db_session, "ostergotland"), None)
    service.book_slot(s1, region(db_session, "vastmanland"), None)
    outcome = deliver_committed()  # both bookings' messages, handed on together
    assert outcome is not None and outcome.sent >= 2
    for email, slot in (("ost@region.test", s0), ("vast@region.test", s1)):
        (message,) = [m for m in mailbox.to(email) if m["Subject"].startswith("Bokat")]
        method, inline, _attached = calendar_part(message)
        _calendar, event = _event(inline)
        assert method == "REQUEST" and event.decoded("DTSTART") == slot.starts_at
    rows = db_session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "booking_confirmed")).all()
    assert rows and all(r.status == "sent" and r.attempts == 1 for r in rows)
