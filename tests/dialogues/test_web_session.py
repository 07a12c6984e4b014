"""The chair's running-order page: current presenter, next up, countdown, notes and timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from synergy_app.dialogues import views_session
from synergy_app.dialogues.models_followup import SlotNote, SlotTiming
from tests.dialogues.followup_support import make_round, slots_of


def _run(client, round_):
    return client.get(f"/dialogues/rounds/{round_.id}/run")


def test_clock_decides_current_and_next(client, db_session, make_user, login, monkeypatch):
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    round_ = make_round(db_session, start=start)
    monkeypatch.setattr(views_session, "utcnow", lambda: start + timedelta(minutes=3))
    login(make_user("planner"))
    response = _run(client, round_)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    now_part = page.split('id="now-h"')[1].split('id="next-h"')[0]
    next_part = page.split('id="next-h"')[1].split("</section>")[0]
    assert "Region Östergötland" in now_part
    assert 'data-countdown-seconds="420"' in now_part
    assert "7:00" in now_part
    assert "Region Västmanland" in next_part
    assert "session-timer.js" in page


def test_chair_starts_a_presenter_and_timer_counts_from_then(client, db_session, make_user, login, monkeypatch):
    round_ = make_round(db_session)
    first, second, _ = slots_of(db_session, round_)
    login(make_user("planner"))
    assert client.post(f"/dialogues/slots/{second.id}/start").status_code == 302
    timing = db_session.scalar(select(SlotTiming).where(SlotTiming.slot_id == second.id))
    monkeypatch.setattr(views_session, "utcnow", lambda: timing.started_at + timedelta(minutes=11))
    page = _run(client, round_).get_data(as_text=True)
    now_part = page.split('id="now-h"')[1].split('id="next-h"')[0]
    assert "Region Västmanland" in now_part
    assert 'data-countdown-seconds="-60"' in now_part and "tiden är slut" in now_part
    # Starting the first one ends the second.
    client.post(f"/dialogues/slots/{first.id}/start")
    db_session.expire_all()
    assert db_session.scalar(select(SlotTiming).where(SlotTiming.slot_id == second.id)).ended_at is not None
    assert client.post(f"/dialogues/slots/{first.id}/end").status_code == 302


def test_running_state_without_anyone_presenting():
    state = views_session.running_state([], datetime(2026, 1, 1, tzinfo=UTC), 600)
    assert state.current is None and state.next_up is None and state.remaining_seconds is None


def test_notes_are_saved_as_revisions(client, db_session, make_user, login):
    round_ = make_round(db_session)
    slot = slots_of(db_session, round_)[0]
    login(make_user("planner"))
    assert client.post(f"/dialogues/slots/{slot.id}/note", data={"text": "Bra fråga om testbäddar"}).status_code == 302
    client.post(f"/dialogues/slots/{slot.id}/note", data={"text": "Följ upp med Energimyndigheten"})
    notes = db_session.scalars(select(SlotNote).where(SlotNote.slot_id == slot.id)).all()
    assert len(notes) == 2
    page = _run(client, round_).get_data(as_text=True)
    assert "Följ upp med Energimyndigheten" in page and "Bra fråga om testbäddar" not in page


def test_note_too_long_is_refused(client, db_session, make_user, login):
    round_ = make_round(db_session)
    slot = slots_of(db_session, round_)[0]
    login(make_user("planner"))
    response = client.post(f"/dialogues/slots/{slot.id}/note", data={"text": "x" * 5001})
    assert response.status_code == 400
    assert "högst 5000 tecken" in response.get_data(as_text=True)
    assert db_session.scalar(select(SlotNote).where(SlotNote.slot_id == slot.id)) is None


def test_only_planners_run_the_session(client, db_session, make_user, login):
    round_ = make_round(db_session)
    slot = slots_of(db_session, round_)[0]
    login(make_user("strategist", region="ostergotland"))
    assert _run(client, round_).status_code == 403
    assert client.post(f"/dialogues/slots/{slot.id}/note", data={"text": "x"}).status_code == 403
    assert client.post(f"/dialogues/slots/{slot.id}/start").status_code == 403


def test_a_presentation_the_chair_ended_is_neither_current_nor_next(client, db_session, make_user, login,
                                                                     monkeypatch):
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    round_ = make_round(db_session, start=start)
    first, second, _ = slots_of(db_session, round_)
    login(make_user("planner"))
    # The chair runs Östergötland early, before its slot, and ends it.
    monkeypatch.setattr(views_session, "utcnow", lambda: start - timedelta(minutes=20))
    client.post(f"/dialogues/slots/{first.id}/start")
    client.post(f"/dialogues/slots/{first.id}/end")
    page = _run(client, round_).get_data(as_text=True)
    next_part = page.split('id="next-h"')[1].split("</section>")[0]
    assert "Region Västmanland" in next_part and "Region Östergötland" not in next_part
    # In Östergötland's own slot the clock no longer makes it the current presenter.
    monkeypatch.setattr(views_session, "utcnow", lambda: start + timedelta(minutes=3))
    page = _run(client, round_).get_data(as_text=True)
    now_part = page.split('id="now-h"')[1].split('id="next-h"')[0]
    assert "Region Östergötland" not in now_part and "Ingen presenterar just nu" in now_part
