"""Follow-up: actions and återkoppling, overdue actions on the start page, region history, Spaningsgruppen."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from synergy_app.dialogues.models_followup import Feedback, FollowUpAction, HorizonNote
from tests.dialogues.followup_support import make_round, organisation


def _action(client, round_, **overrides):
    data = {"action-region": "ostergotland", "action-owner_kind": "agency", "action-owner": "vinnova",
            "action-description": "Utred en fullskalig systemdemonstrator för grönt stål",
            "action-due_date": (date.today() - timedelta(days=5)).isoformat()}
    data.update(overrides)
    return client.post(f"/dialogues/rounds/{round_.id}/follow-up/actions", data=data)


def test_planner_adds_action_and_it_shows_overdue_on_start_pages(client, db_session, make_user, login):
    round_ = make_round(db_session)
    vinnova = organisation(db_session, "vinnova")
    login(make_user("planner", organisation_id=vinnova.id))
    assert _action(client, round_).status_code == 302
    action = db_session.scalar(select(FollowUpAction).where(FollowUpAction.round_id == round_.id))
    assert action.owner_organisation_id == vinnova.id and action.status == "open"
    start = client.get("/start").get_data(as_text=True)
    assert "Försenad uppföljning" in start and "grönt stål" in start and "Försenad" in start
    client.post("/logout")
    login(make_user("strategist", region="ostergotland"))
    start = client.get("/start").get_data(as_text=True)
    assert "grönt stål" in start
    assert "/dialogues/regions/ostergotland" in start
    client.post("/logout")
    login(make_user("strategist", region="vastmanland"))
    assert "grönt stål" not in client.get("/start").get_data(as_text=True)


def test_done_action_is_no_longer_overdue(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("planner"))
    _action(client, round_)
    action = db_session.scalar(select(FollowUpAction).where(FollowUpAction.round_id == round_.id))
    assert client.post(f"/dialogues/follow-up/actions/{action.id}/status", data={"status": "done"}).status_code == 302
    db_session.refresh(action)
    assert action.status == "done"
    assert "grönt stål" not in client.get("/start").get_data(as_text=True)
    response = client.post(f"/dialogues/follow-up/actions/{action.id}/status", data={"status": "finished"})
    assert response.status_code == 400


def test_bad_action_names_the_field_and_saves_nothing(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("planner"))
    response = _action(client, round_, **{"action-due_date": "31/12", "action-description": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ÅÅÅÅ-MM-DD" in page and "Beskrivning måste fyllas i" in page
    response = _action(client, round_, **{"action-owner_kind": "region"})
    assert "Ägaren ska vara en region" in response.get_data(as_text=True)
    assert db_session.scalar(select(FollowUpAction).where(FollowUpAction.round_id == round_.id)) is None


def test_strategist_follows_up_only_her_own_region(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="vastmanland"))
    assert _action(client, round_).status_code == 403
    response = client.post(f"/dialogues/rounds/{round_.id}/follow-up/feedback", data={
        "feedback-region": "vastmanland", "feedback-organisation": "vinnova",
        "feedback-led_to": "x", "feedback-reported_on": "2026-04-01"})
    assert response.status_code == 400
    assert "sin egen region" in response.get_data(as_text=True)


def test_feedback_and_region_history(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/rounds/{round_.id}/follow-up/feedback", data={
        "feedback-region": "ostergotland",
        "feedback-organisation": "region-ostergotland",
        "feedback-led_to": "Gemensam ansökan till Clean Steel-partnerskapet",
        "feedback-reported_on": "2026-05-02"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db_session.scalar(select(Feedback).where(Feedback.round_id == round_.id)).led_to.startswith("Gemensam")
    client.post("/logout")
    login(make_user("reader"))
    page = client.get("/dialogues/regions/05").get_data(as_text=True)
    assert "Hållbar industri" in page and "Clean Steel" in page
    assert client.get(f"/dialogues/rounds/{round_.id}/follow-up").status_code == 200
    assert client.get("/dialogues/regions/nowhere").status_code == 404


def test_spaningsgruppen_notes(client, db_session, make_user, login):
    round_ = make_round(db_session, booked=(), kind="spaning", theme="Spaningsgruppen Q1 2026")
    login(make_user("planner"))
    url = f"/dialogues/rounds/{round_.id}/horizon-notes"
    response = client.post(url, data={"signal": "Partnerships for Regional Innovation", "horizon_years": "5",
                                      "eu_source": "JRC PRI Playbook", "relevance": "Påverkar nästa ERUF-period"})
    assert response.status_code == 302
    bad = client.post(url, data={"signal": "Ny ramprogramsstruktur", "horizon_years": "15", "relevance": "x"})
    assert bad.status_code == 400 and "2–10" in bad.get_data(as_text=True)
    assert len(db_session.scalars(select(HorizonNote).where(HorizonNote.round_id == round_.id)).all()) == 1
    page = client.get("/dialogues/spaning").get_data(as_text=True)
    assert "Partnerships for Regional Innovation" in page
    other = make_round(db_session)
    assert client.get(f"/dialogues/rounds/{other.id}/horizon-notes").status_code == 404
    client.post("/logout")
    login(make_user("reader"))
    assert client.get(url).status_code == 200
    assert client.post(url, data={"signal": "x"}).status_code == 403
