"""Rounds through the pages: create, bad input, invite, answer, schedule with warnings and conflicts."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking, DialogueRound, Invitation, ScheduleWarningAck
from synergy_app.errors import Conflict, InputError

from .rounds_support import DAY, make_round, region, round_data, slots_of


def _form(**overrides):
    data = {
        "theme": "Hållbar industri",
        "kind": "snabbdialog",
        "lead_organisation": "vinnova",
        "lead_area": "vinnova-hallbar-industri",
        "agencies": ["tillvaxtverket", "energimyndigheten"],
        "meeting_link": "https://meet.example.org/x",
        "presentation_minutes": "10",
        "questions_minutes": "0",
        "buffer_minutes": "0",
        "recurrence": "quarterly",
        "meetings-0-day": DAY.isoformat(),
        "meetings-0-start": "09:00",
        "meetings-0-end": "10:00",
        "meetings-1-day": "2030-09-17",
        "meetings-1-start": "13:00",
        "meetings-1-end": "13:30",
    }
    data.update(overrides)
    return data


def test_planner_creates_round_with_two_meetings_and_slots(client, make_user, login, db_session):
    planner = login(make_user("planner"))
    response = client.post("/dialogues/new", data=_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    round_ = db_session.scalar(select(DialogueRound).order_by(DialogueRound.id.desc()))
    assert round_.theme == "Hållbar industri" and round_.status == "draft" and round_.recurrence == "quarterly"
    assert round_.created_by_id == planner.id and round_.series_id == round_.id
    assert {a.slug for a in round_.agencies} == {"tillvaxtverket", "energimyndigheten"}
    assert len(round_.meetings) == 2
    slots = slots_of(db_session, round_)
    assert len(slots) == 6 + 3
    # 09:00 Stockholm summer time is 07:00 UTC.
    assert slots[0].starts_at.hour == 7 and [s.position for s in slots] == list(range(9))
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    assert "Hållbar industri" in page and "09:00" in page
    assert client.get("/dialogues/").status_code == 200


@pytest.mark.parametrize("overrides, field_text", [
    ({"lead_organisation": ""}, "huvudman"),
    ({"meetings-0-day": "", "meetings-0-start": "", "meetings-0-end": "",
      "meetings-1-day": "", "meetings-1-start": "", "meetings-1-end": ""}, "minst ett mötesdatum"),
    ({"meetings-1-day": DAY.isoformat(), "meetings-1-start": "09:30", "meetings-1-end": "10:30"}, "överlappar"),
    ({"meetings-0-end": "08:00"}, "meetings[0]"),
    ({"lead_area": "tillvaxtverket-nonexistent"}, "Området finns inte"),
    ({"meeting_link": "javascript://example.org/%0aalert(1)"}, "börjar med https://"),
])
def test_bad_round_input_names_the_problem_and_saves_nothing(client, make_user, login, db_session, overrides,
                                                              field_text):
    login(make_user("planner"))
    before = db_session.scalar(select(func.count(DialogueRound.id)))
    response = client.post("/dialogues/new", data=_form(**overrides))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Inget har sparats" in text
    assert field_text.lower() in text.lower() or "slutet" in text.lower() or "sluttid" in text.lower()
    assert db_session.scalar(select(func.count(DialogueRound.id))) == before


def test_round_without_lead_is_refused_by_the_service(db_session):
    with pytest.raises(InputError) as err:
        service.create_round(round_data(lead_organisation=None), None)
    assert err.value.first.field == "lead_organisation"


def test_area_must_belong_to_the_lead(db_session):
    with pytest.raises(InputError) as err:
        service.create_round(round_data(lead_organisation="tillvaxtverket"), None)
    assert err.value.first.field == "lead_area"


def test_others_cannot_create_rounds(client, make_user, login):
    login(make_user("strategist", region="ostergotland"))
    assert client.get("/dialogues/new").status_code == 403


def test_round_started_from_an_area_page_is_led_by_that_area(client, make_user, login):
    login(make_user("planner"))
    area_page = client.get("/priorities/areas/vinnova-hallbar-industri").get_data(as_text=True)
    assert 'href="/dialogues/new?area=vinnova-hallbar-industri"' in area_page
    form = client.get("/dialogues/new?area=vinnova-hallbar-industri").get_data(as_text=True)
    assert '<option selected value="vinnova">' in form
    assert '<option selected value="vinnova-hallbar-industri">' in form
    assert 'value="Hållbar industri"' in form
    unknown = client.get("/dialogues/new?area=finns-inte")
    assert unknown.status_code == 200 and "Området finns-inte finns inte" in unknown.get_data(as_text=True)


def test_only_planners_are_offered_a_round_from_an_area(client, make_user, login):
    login(make_user("reader"))
    page = client.get("/priorities/areas/vinnova-hallbar-industri").get_data(as_text=True)
    assert "/dialogues/new" not in page


def test_invite_from_matching_and_answer(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    login(planner)
    page = client.get(f"/dialogues/{round_.id}/invite")
    assert page.status_code == 200
    osterg, vastm = region(db_session, "ostergotland"), region(db_session, "vastmanland")
    response = client.post(f"/dialogues/{round_.id}/invite", data={"regions": [str(osterg.id), str(vastm.id)]})
    assert response.status_code == 303
    invitations = db_session.scalars(select(Invitation).where(Invitation.round_id == round_.id)).all()
    assert {i.region.slug for i in invitations} == {"ostergotland", "vastmanland"}

    client.post("/logout")
    strategist = login(make_user("strategist", region="ostergotland"))
    assert strategist.region.slug == "ostergotland"
    presenter = {"new-0-name": "Stina Strateg", "new-0-email": "stina@test.invalid"}
    bad = client.post(f"/dialogues/{round_.id}/answer", data={
        "answer": "yes", **presenter, "unavailable-0-date": "2030-09-10", "unavailable-0-start": "kl nio",
        "unavailable-0-end": "09:20"})
    assert bad.status_code == 400
    summary_link = '<a href="#unavailable-0-start">Tid ni inte kan 1: ange från-tiden som TT:MM.</a>'
    assert summary_link in bad.get_data(as_text=True)
    ok = client.post(f"/dialogues/{round_.id}/answer", data={
        "answer": "yes", **presenter, "unavailable-0-date": "2030-09-10", "unavailable-0-start": "09:00",
        "unavailable-0-end": "09:20"})
    assert ok.status_code == 303
    inv = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                     Invitation.region_id == osterg.id))
    assert inv.answer == "yes" and inv.presenters == [{"name": "Stina Strateg", "email": "stina@test.invalid"}]
    assert inv.unavailable[0]["start"].startswith("2030-09-10T07:00")


def test_strategist_of_another_region_cannot_answer(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    service.invite_regions(round_, [region(db_session, "vastmanland").id], planner)
    login(make_user("strategist", region="ostergotland"))
    # Östergötland is not invited: there is no invitation to answer for her region.
    assert client.get(f"/dialogues/{round_.id}/answer").status_code == 404


def _answer(db_session, round_, slug, unavailable="", people="P <p@test.invalid>"):
    inv = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                     Invitation.region_id == region(db_session, slug).id))
    service.answer_invitation(inv, "yes", people, unavailable, "", None)
    return inv


def test_schedule_warning_must_be_acknowledged_before_applying(client, make_user, login, db_session):
    planner = make_user("planner")
    # One meeting with two slots, two presenting regions; Östergötland cannot at all during the meeting.
    round_ = make_round(db_session, planner, open_for_booking=False,
                        meetings=[service.local_interval(DAY, time(9, 0), time(9, 20))])
    service.invite_regions(round_, [region(db_session, s).id for s in ("ostergotland", "vastmanland")], planner)
    _answer(db_session, round_, "ostergotland", "2030-09-10 09:00–09:20", "A <a@test.invalid>")
    _answer(db_session, round_, "vastmanland", "", "B <b@test.invalid>")
    login(planner)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Varning" in page
    response = client.post(f"/dialogues/{round_.id}/schedule/apply")
    assert response.status_code == 303
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 0
    with pytest.raises(Conflict):
        service.apply_schedule(round_, planner)
    keys = [w.key for w in service.round_warnings(round_, service.compute_schedule(round_))]
    assert keys
    client.post(f"/dialogues/{round_.id}/schedule/acknowledge", data={"keys": keys})
    assert db_session.scalar(select(func.count(ScheduleWarningAck.id)).where(
        ScheduleWarningAck.round_id == round_.id)) == len(keys)
    assert client.post(f"/dialogues/{round_.id}/schedule/apply").status_code == 303
    bookings = db_session.scalars(select(Booking).where(Booking.round_id == round_.id)).all()
    assert len(bookings) == 2 and len({b.slot_id for b in bookings}) == 2
    db_session.refresh(round_)
    assert round_.status == "scheduled"


def test_schedule_conflict_names_regions_and_blocks(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False,
                        meetings=[service.local_interval(DAY, time(9, 0), time(9, 10))])
    service.invite_regions(round_, [region(db_session, s).id for s in ("ostergotland", "vastmanland")], planner)
    _answer(db_session, round_, "ostergotland", people="A <a@test.invalid>")
    _answer(db_session, round_, "vastmanland", people="B <b@test.invalid>")
    login(planner)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Inget schema går att lägga" in page and "ostergotland" in page and "vastmanland" in page
    with pytest.raises(Conflict) as err:
        service.apply_schedule(round_, planner)
    assert err.value.code == "schedule_conflict"
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 0


def test_send_invitations_moves_status_and_raises_sequence(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    login(planner)
    client.post(f"/dialogues/{round_.id}/send")
    db_session.refresh(round_)
    assert round_.status == "draft"  # nobody invited yet
    service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
    client.post(f"/dialogues/{round_.id}/send")
    db_session.refresh(round_)
    assert round_.status == "invitations_sent" and round_.sequence == 1


def test_editing_a_meeting_with_a_booked_slot_is_refused(db_session, make_user):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    slot = slots_of(db_session, round_)[0]
    service.book_slot(slot, region(db_session, "ostergotland"), None)
    with pytest.raises(InputError) as err:
        service.update_round(round_, round_data(meetings=[service.local_interval(DAY, time(13, 0), time(14, 0))]),
                             planner)
    assert "bokat av" in err.value.first.message_sv
    assert slots_of(db_session, round_)[0].id == slot.id


def test_editing_pattern_keeps_booked_slot_and_raises_sequence(db_session, make_user):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    slot = slots_of(db_session, round_)[0]
    booking = service.book_slot(slot, region(db_session, "ostergotland"), None)
    service.update_round(round_, round_data(buffer_minutes=5), planner)
    slots = slots_of(db_session, round_)
    assert slots[0].id == slot.id and len(slots) == 4
    assert round_.sequence == 2 and booking.sequence == 1


def test_strategist_start_of_dialogues_lists_her_invitations(client, make_user, login, db_session):
    round_ = make_round(db_session, make_user("planner"))
    login(make_user("strategist", region="ostergotland"))
    page = client.get("/dialogues/").get_data(as_text=True)
    assert "Inbjudningar till Region Östergötland" in page
    assert f"/dialogues/{round_.id}/answer" in page


def test_parallel_rounds_never_put_one_presenter_in_two_places(db_session, make_user):
    planner = make_user("planner")
    one_slot = [service.local_interval(DAY, time(9, 0), time(9, 20))]
    first = make_round(db_session, planner, open_for_booking=False, meetings=one_slot)
    second = make_round(db_session, planner, open_for_booking=False, meetings=one_slot, theme="Life science")
    shared = "Delad Person <delad@test.invalid>"
    for round_ in (first, second):
        service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
        _answer(db_session, round_, "ostergotland", people=shared)
    service.apply_schedule(first, planner)
    # The second round sees the first one's booking and puts the shared presenter in the other slot.
    service.apply_schedule(second, planner)
    a = db_session.scalar(select(Booking).where(Booking.round_id == first.id))
    b = db_session.scalar(select(Booking).where(Booking.round_id == second.id))
    assert a.slot.starts_at != b.slot.starts_at


def test_demo_round_seeds_the_workflow(db_session):
    from synergy_app.auth.demo import seed_demo as seed_users
    from synergy_app.dialogues.demo import seed_demo

    seed_users()
    message = seed_demo()
    assert "demo round" in message
    round_ = db_session.scalar(select(DialogueRound).where(DialogueRound.is_demo.is_(True)))
    assert round_.lead_organisation.slug == "vinnova" and round_.status == "scheduled"
    assert {a.slug for a in round_.agencies} == {"tillvaxtverket", "energimyndigheten", "business-sweden"}
    assert len(round_.meetings) == 2
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) >= 3
    assert "already" in seed_demo()


def test_invite_reasons_read_as_sentences(app):
    from synergy_app.dialogues.queries import _reason

    item = {"priorities": [
        {"title": "Hållbar produktion", "explanation_sv": "Poäng 0,65. Bekräftad av handläggare.",
         "explanation_en": "Score 0.65. Confirmed by a case officer."},
        {"title": "Avancerade material", "explanation_sv": "Poäng 0,20", "explanation_en": "Score 0.20"}]}
    with app.test_request_context("/?lang=sv"):
        assert _reason(item) == ("Hållbar produktion: Poäng 0,65. Bekräftad av handläggare. "
                                 "Avancerade material: Poäng 0,20.")
    with app.test_request_context("/?lang=en"):
        assert _reason(item).startswith("Hållbar produktion: Score 0.65. Confirmed by a case officer. Avancerade")
