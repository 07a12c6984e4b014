"""Every dialogue form that refuses input opens with an error summary (GOV.UK pattern): in the error colour,
above the form, one link per problem to the field it concerns, and nothing saved."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking, ScheduleWarningAck
from synergy_app.dialogues.models_followup import Feedback, FollowUpAction, HorizonNote
from tests.dialogues import followup_support

from .rounds_support import make_round, region, slots_of


def _summary(html: str) -> str:
    match = re.search(r'<div class="notice severity-error error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def _links(summary: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', summary)


def test_round_form_summary_links_to_each_field(client, make_user, login):
    login(make_user("planner"))
    response = client.post("/dialogues/new", data={"theme": "", "kind": "snabbdialog", "lead_organisation": "",
                                                   "presentation_minutes": "10", "questions_minutes": "0",
                                                   "buffer_minutes": "0", "recurrence": "none"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = _summary(html)
    assert "theme" in _links(summary)
    assert html.index("error-summary") < html.index('name="theme"')
    for target in _links(summary):
        assert f'id="{target}"' in html  # every link lands on a field


def test_follow_up_forms_open_with_a_summary_and_save_nothing(client, db_session, make_user, login):
    round_ = followup_support.make_round(db_session)
    login(make_user("planner"))
    response = client.post(f"/dialogues/rounds/{round_.id}/follow-up/actions", data={
        "action-region": "ostergotland", "action-owner_kind": "agency", "action-owner": "vinnova",
        "action-description": "", "action-due_date": (date.today() + timedelta(days=5)).isoformat()})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "action-description" in _links(_summary(html))
    assert 'id="action-description"' in html
    assert db_session.scalar(select(func.count(FollowUpAction.id)).where(FollowUpAction.round_id == round_.id)) == 0

    response = client.post(f"/dialogues/rounds/{round_.id}/follow-up/feedback", data={
        "feedback-region": "ostergotland", "feedback-organisation": "vinnova", "feedback-led_to": "",
        "feedback-reported_on": date.today().isoformat()})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "feedback-led_to" in _links(_summary(html))
    assert db_session.scalar(select(func.count(Feedback.id)).where(Feedback.round_id == round_.id)) == 0


def test_horizon_note_summary(client, db_session, make_user, login):
    round_ = followup_support.make_round(db_session, booked=(), kind="spaning", theme="Spaningsgruppen Q3")
    login(make_user("planner"))
    response = client.post(f"/dialogues/rounds/{round_.id}/horizon-notes",
                           data={"signal": "", "horizon_years": "15", "relevance": "x"})
    assert response.status_code == 400
    links = _links(_summary(response.get_data(as_text=True)))
    assert "signal" in links and "horizon_years" in links
    assert db_session.scalar(select(func.count(HorizonNote.id)).where(HorizonNote.round_id == round_.id)) == 0


def test_move_form_summary_names_the_slot(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    other = make_round(db_session, planner, theme="Annan omgång")
    strategist = make_user("strategist", region="ostergotland")
    booking = service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), strategist)
    login(planner)
    response = client.post(f"/dialogues/bookings/{booking.id}/move", data={"slot": slots_of(db_session, other)[0].id})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = _summary(html)
    assert "Passet hör till en annan omgång." in summary and _links(summary) == ["slot"]
    db_session.refresh(booking)
    assert booking.slot_id == slots_of(db_session, round_)[0].id
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == other.id)) == 0


def test_acknowledging_nothing_is_summarised_on_the_schedule_page(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False, agencies=[])
    service.invite_regions(round_, [region(db_session, "vastmanland").id], planner)
    login(planner)
    response = client.post(f"/dialogues/{round_.id}/schedule/acknowledge", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _links(_summary(html)) == ["keys"] and 'id="keys"' in html
    english = client.post(f"/dialogues/{round_.id}/schedule/acknowledge?lang=en", data={}).get_data(as_text=True)
    assert "Choose one or more of the warnings listed." in _summary(english)
    assert db_session.scalar(select(func.count(ScheduleWarningAck.id))) == 0
