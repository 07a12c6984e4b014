"""Cancelling a booked slot or a whole round reaches everyone invited or booked as a calendar
cancellation (METHOD:CANCEL, the same UID, a raised SEQUENCE) on a real SMTP server."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking

from ..dialogues.rounds_support import make_round, region, slots_of
from .conftest import calendar_part


def _events(ics: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(ics)
    return calendar, list(calendar.walk("VEVENT"))


def _uids_and_sequences(message) -> tuple[str, dict[str, int]]:
    method, inline, _attached = calendar_part(message)
    _calendar, events = _events(inline)
    return method, {str(e["UID"]): int(e["SEQUENCE"]) for e in events}


def test_a_planner_cancels_a_booked_slot_and_the_strategist_gets_method_cancel(
        client, make_user, login, db_session, mailbox):
    planner = make_user("planner")
    strategist = make_user("strategist", region="ostergotland", email="slot@region.test")
    round_ = make_round(db_session, planner)
    booking = service.book_slot(slots_of(db_session, round_)[2], region(db_session, "ostergotland"), strategist)
    login(planner)
    client.get("/")
    [confirmation] = [m for m in mailbox.to("slot@region.test") if m["Subject"].startswith("Bokat")]
    _method, booked = _uids_and_sequences(confirmation)

    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert f"/dialogues/bookings/{booking.id}/cancel" in page
    assert client.post(f"/dialogues/bookings/{booking.id}/cancel").status_code == 303

    [cancelled] = [m for m in mailbox.to("slot@region.test") if m["Subject"].startswith("Inställt")]
    method, events = _uids_and_sequences(cancelled)
    [(uid, sequence)] = events.items()
    assert method == "CANCEL" and list(booked) == [uid]
    assert sequence == booked[uid] + 1
    calendar, [event] = _events(calendar_part(cancelled)[1])
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"


def test_cancelling_a_round_needs_confirmation_and_changes_nothing_without_it(client, make_user, login, db_session,
                                                                              mailbox):
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="unconfirmed@region.test")
    round_ = make_round(db_session, planner)
    login(planner)
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Ställ in omgången" in page and 'name="confirm"' in page
    response = client.post(f"/dialogues/{round_.id}/cancel", follow_redirects=True)
    assert "Bekräfta att omgången ska ställas in." in response.get_data(as_text=True)
    db_session.refresh(round_)
    assert round_.status == "invitations_sent"
    assert [m for m in mailbox.all() if m["Subject"].startswith("Inställd")] == []


def test_a_planner_cancels_a_round_and_everyone_invited_or_booked_gets_the_cancellation(
        client, make_user, login, db_session, mailbox):
    planner = make_user("planner")
    strategist = make_user("strategist", region="ostergotland", email="booked@region.test")
    listener = make_user("strategist", region="skane", email="invited@region.test")
    listener.locale = "en"
    db_session.commit()
    round_ = make_round(db_session, planner)
    service.invite_regions(round_, [region(db_session, "skane").id], planner)
    service.send_invitations(round_, planner)
    booking = service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), strategist)
    login(planner)
    client.get("/")
    [invitation] = [m for m in mailbox.to("invited@region.test") if m["Subject"].startswith("Invitation")][-1:]
    _method, invited = _uids_and_sequences(invitation)
    mailbox.clear()

    response = client.post(f"/dialogues/{round_.id}/cancel", data={"confirm": "yes"})
    assert response.status_code == 303
    db_session.refresh(round_)
    assert round_.status == "cancelled"
    assert db_session.get(Booking, booking.id).cancelled_at is not None
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "dialogues.round_cancelled")) is not None

    # The invited region (in English) gets the meetings' cancellation: the same UIDs, SEQUENCE raised.
    [round_cancel] = mailbox.to("invited@region.test")
    assert round_cancel["Subject"].startswith("Cancelled: snabbdialog")
    assert round_cancel["Content-Language"] == "en"
    method, events = _uids_and_sequences(round_cancel)
    assert method == "CANCEL" and set(events) == set(invited)
    assert all(events[uid] == invited[uid] + 1 for uid in invited)
    # The booked region gets both: the meetings and its own slot, each as METHOD:CANCEL.
    booked = mailbox.to("booked@region.test")
    assert sorted(m["Subject"].split(":")[0] for m in booked) == ["Inställd", "Inställt"]
    assert {calendar_part(m)[0] for m in booked} == {"CANCEL"}

    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Inställd" in page and f'action="/dialogues/{round_.id}/cancel"' not in page
    again = client.post(f"/dialogues/{round_.id}/cancel", data={"confirm": "yes"}, follow_redirects=True)
    assert "kan inte ställas in" in again.get_data(as_text=True)
    assert len(mailbox.all()) == 3


def test_a_strategist_cannot_cancel_a_round(client, make_user, login, db_session):
    planner = make_user("planner")
    strategist = make_user("strategist", region="ostergotland")
    round_ = make_round(db_session, planner)
    login(strategist)
    assert client.post(f"/dialogues/{round_.id}/cancel", data={"confirm": "yes"}).status_code == 403
    db_session.refresh(round_)
    assert round_.status == "invitations_sent"
