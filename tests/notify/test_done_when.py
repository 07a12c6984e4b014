"""The issue's finish line, on the demo data: a planner moves a booked slot and the strategist's mailbox (a
real SMTP server) receives the updated invitation with the raised SEQUENCE; reminders are queued once
however many workers run the periodic pass."""

from __future__ import annotations

import time
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from synergy_app.auth.demo import seed_demo as seed_demo_accounts
from synergy_app.dialogues.demo import DEMO_THEME
from synergy_app.dialogues.demo import seed_demo as seed_demo_round
from synergy_app.dialogues.models import Booking, DialogueRound, Slot
from synergy_app.jobs import periodic, worker
from synergy_app.notify.models import OutboxMessage

from .conftest import calendar_part
from .test_workers import _redis_or_skip

STRATEGIST = "strateg.ostergotland@demo.synergy.invalid"
PLANNER = "planerare@demo.synergy.invalid"
DEMO_PASSWORD = "demo-synergi-2026"


def _login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _event(message):
    method, inline, attached = calendar_part(message)
    calendar = Calendar.from_ical(inline)
    return method, calendar, next(iter(calendar.walk("VEVENT"))), attached == inline


def _demo_round(db_session):
    seed_demo_accounts()
    seed_demo_round()
    return db_session.scalar(select(DialogueRound).where(DialogueRound.theme == DEMO_THEME))


def _free_slots(db_session, round_) -> list[Slot]:
    booked = select(Booking.slot_id).where(Booking.slot_id.is_not(None))
    return list(db_session.scalars(select(Slot).where(Slot.round_id == round_.id, Slot.id.not_in(booked))
                                   .order_by(Slot.starts_at)))


def test_in_the_demo_a_moved_booked_slot_reaches_the_strategists_mailbox_with_a_raised_sequence(
        client, db_session, mailbox):
    round_ = _demo_round(db_session)
    first, second = _free_slots(db_session, round_)[:2]
    _login(client, STRATEGIST)
    assert client.post(f"/dialogues/slots/{first.id}/book").status_code == 303
    [booked] = [m for m in mailbox.to(STRATEGIST) if m["Subject"].startswith("Bokat")]
    _method, _calendar, original, _same = _event(booked)
    client.post("/logout")

    _login(client, PLANNER)
    booking = db_session.scalar(select(Booking).where(Booking.slot_id == first.id))
    response = client.post(f"/dialogues/bookings/{booking.id}/move", data={"slot": second.id})
    assert response.status_code == 303

    [moved] = [m for m in mailbox.to(STRATEGIST) if m["Subject"].startswith("Flyttat pass")]
    method, calendar, event, attached_too = _event(moved)
    assert method == "REQUEST" and calendar["METHOD"] == "REQUEST" and attached_too
    assert str(event["UID"]) == str(original["UID"])
    assert int(event["SEQUENCE"]) == int(original["SEQUENCE"]) + 1
    assert event.decoded("DTSTART") == second.starts_at
    assert "Östergötland" in str(moved["Subject"])


def test_in_the_demo_reminders_are_queued_once_however_many_passes_run(db_session):
    round_ = _demo_round(db_session)
    starts = [s.starts_at for s in db_session.scalars(select(Slot).join(Booking, Booking.slot_id == Slot.id)
                                                       .where(Slot.round_id == round_.id))]
    assert starts
    before_first = min(starts) - timedelta(hours=47)
    for _ in range(3):  # three workers' passes, one after another or at once: the outbox key decides
        periodic.run_pass(before_first)
    reminders = list(db_session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "session_reminder")))
    keys = [(r.event_key, r.recipient_email) for r in reminders]
    assert reminders and len(keys) == len(set(keys))


def test_of_many_workers_one_enqueues_each_periodic_tick(app):
    from rq import Queue

    connection = _redis_or_skip()
    name = f"synergy-tick-test-{time.time_ns()}"
    queue = Queue(name, connection=connection)
    try:
        now = time.time()
        fired = [worker._tick(connection, queue, "periodic", "synergy_app.jobs.tasks.periodic_pass", 60, now)
                 for _ in range(4)]  # four workers' schedulers in the same minute
        assert fired.count(True) == 1
        assert len(queue.jobs) == 1
    finally:
        for key in connection.scan_iter(f"*{name}*"):
            connection.delete(key)
