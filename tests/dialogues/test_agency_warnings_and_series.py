"""Soft warning for agencies missing from a region's theme, recurring rounds, the region page's links,
and the follow-up through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from synergy_app.dialogues import agency_gaps, service, service_followup
from synergy_app.dialogues.models import DialogueRound, ScheduleWarningAck
from synergy_app.errors import Conflict, InputError

from .followup_support import organisation
from .rounds_support import make_round, region, slots_of

# ---------------------------------------------------------------------------------------------
# the pure rule


def _rank(org, area, score, decided=False):
    return {"organisation_slug": org, "organisation_name": org.title(), "area_slug": area, "area_title": area,
            "score": score, "decided": decided}


def test_agency_gap_rule_uses_the_best_areas_and_only_agencies():
    ranks = {"vastmanland": [
        _rank("energimyndigheten", "energisystemet", 0.72),
        _rank("european-commission", "clean-hydrogen", 0.6),
        _rank("vinnova", "hallbar-industri", 0.55),
        _rank("formas", "bygg", 0.41),
        _rank("formas", "stad", 0.2),  # below the threshold
        _rank("tillvaxtverket", "kreativa", 0.1, decided=True),  # a confirmed match always counts
    ]}
    warnings = agency_gaps.agency_gap_warnings(
        7, {"vinnova"}, ranks, {"vastmanland": "Region Västmanland"},
        agencies={"vinnova", "energimyndigheten", "formas", "tillvaxtverket"})
    assert [w.key for w in warnings] == ["agency_missing:7:vastmanland:energimyndigheten",
                                         "agency_missing:7:vastmanland:formas",
                                         "agency_missing:7:vastmanland:tillvaxtverket"]
    assert warnings[1].areas == ("bygg",)
    assert "Region Västmanland" in warnings[0].message_sv and "deltar inte" in warnings[0].message_sv
    assert "does not take part" in warnings[0].message_en
    everyone = {"vinnova", "energimyndigheten", "formas", "tillvaxtverket"}
    # Without a list of agencies every organisation counts, the EU body too.
    assert [w.agency for w in agency_gaps.agency_gap_warnings(7, everyone, ranks)] == ["european-commission"]


# ---------------------------------------------------------------------------------------------
# the warning in the workflow


def _lone_vinnova_round(db_session, planner, invite=("vastmanland",)):
    round_ = make_round(db_session, planner, open_for_booking=False, agencies=[])
    service.invite_regions(round_, [region(db_session, s).id for s in invite], planner)
    return round_


def test_missing_agency_warning_blocks_sending_until_acknowledged(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _lone_vinnova_round(db_session, planner)
    warnings = service.agency_warnings(round_)
    assert warnings, "Västmanland's energy priorities point to Energimyndigheten, which is not in the round"
    assert all(w.key.startswith(f"agency_missing:{round_.id}:vastmanland:") for w in warnings)
    assert "energimyndigheten" in {w.agency for w in warnings}

    login(planner)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Varningar att kvittera" in page and "Energimyndigheten" in page and "deltar inte" in page
    response = client.post(f"/dialogues/{round_.id}/send")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/dialogues/{round_.id}/schedule")
    db_session.refresh(round_)
    assert round_.status == "draft" and round_.sequence == 0
    with pytest.raises(Conflict) as err:
        service.send_invitations(round_, planner)
    assert err.value.code == "warnings_unacknowledged"

    keys = [w.key for w in warnings]
    client.post(f"/dialogues/{round_.id}/schedule/acknowledge", data={"keys": keys})
    assert db_session.scalar(select(func.count(ScheduleWarningAck.id)).where(
        ScheduleWarningAck.round_id == round_.id)) == len(keys)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Kvitterad" in page
    assert client.post(f"/dialogues/{round_.id}/send").status_code == 303
    db_session.refresh(round_)
    assert round_.status == "invitations_sent" and round_.sequence == 1


def test_the_warning_key_is_stable_and_goes_away_when_the_agency_joins(db_session, make_user):
    planner = make_user("planner")
    round_ = _lone_vinnova_round(db_session, planner)
    first = [w.key for w in service.agency_warnings(round_)]
    assert first == [w.key for w in service.agency_warnings(round_)]
    missing = sorted({w.agency for w in service.agency_warnings(round_)})
    data = service.RoundData(
        theme=round_.theme, lead_organisation="vinnova", lead_area="vinnova-hallbar-industri",
        agencies=missing, meetings=[(m.starts_at, m.ends_at) for m in round_.meetings])
    service.update_round(round_, data, planner)
    assert service.agency_warnings(round_) == []


def test_regions_that_only_listen_or_decline_raise_no_warning(db_session, make_user):
    planner = make_user("planner")
    round_ = _lone_vinnova_round(db_session, planner)
    invitation = round_.invitations[0]
    service.answer_invitation(invitation, "listening", "", "", "", None)
    assert service.agency_warnings(round_) == []
    service.answer_invitation(invitation, "yes", "A <a@test.invalid>", "", "", None)
    assert service.agency_warnings(round_)
    with pytest.raises(InputError):
        service.acknowledge_warnings(round_, ["agency_missing:0:nowhere:nobody"], planner)


def test_warnings_block_applying_the_schedule_too(db_session, make_user):
    planner = make_user("planner")
    round_ = _lone_vinnova_round(db_session, planner)
    service.answer_invitation(round_.invitations[0], "yes", "A <a@test.invalid>", "", "", None)
    with pytest.raises(Conflict) as err:
        service.apply_schedule(round_, planner)
    assert err.value.code == "warnings_unacknowledged"
    service.acknowledge_warnings(round_, [w.key for w in service.agency_warnings(round_)], planner)
    assert len(service.apply_schedule(round_, planner)) == 1


# ---------------------------------------------------------------------------------------------
# recurring rounds


def test_shift_keeps_stockholm_wall_clock_across_daylight_saving():
    winter = datetime(2030, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert service.shift_local_months(winter, 3) == datetime(2030, 4, 15, 7, 0, tzinfo=UTC)  # 09:00 CEST
    summer = datetime(2030, 9, 10, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert service.shift_local_months(summer, 6) == datetime(2031, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 CET
    month_end = datetime(2030, 11, 30, 12, 0, tzinfo=UTC)
    assert service.shift_local_months(month_end, 3) == datetime(2031, 2, 28, 12, 0, tzinfo=UTC)


def test_planner_creates_the_next_round_of_a_quarterly_series(client, make_user, login, db_session):
    planner = make_user("planner")
    agency_person = make_user("planner", email="deltagare@test.invalid")
    first = make_round(db_session, planner, open_for_booking=False, recurrence="quarterly", recorded=True,
                       people=[agency_person.id], questions_minutes=5, buffer_minutes=5,
                       meetings=[service.local_interval(date(2030, 1, 15), time(9, 0), time(10, 0))])
    login(planner)
    page = client.get(f"/dialogues/{first.id}").get_data(as_text=True)
    assert "Skapa nästa omgång i serien" in page and "Det här är den första omgången i serien." in page
    response = client.post(f"/dialogues/{first.id}/next")
    assert response.status_code == 303
    new = db_session.scalar(select(DialogueRound).order_by(DialogueRound.id.desc()))
    assert response.headers["Location"].endswith(f"/dialogues/{new.id}")
    assert new.id != first.id and new.series_id == first.id and new.status == "draft"
    assert (new.theme, new.lead_organisation_id, new.lead_area_id) == (first.theme, first.lead_organisation_id,
                                                                       first.lead_area_id)
    assert {a.slug for a in new.agencies} == {a.slug for a in first.agencies}
    assert [u.id for u in new.people] == [agency_person.id]
    assert (new.meeting_link, new.recorded, new.recurrence) == (first.meeting_link, True, "quarterly")
    assert (new.presentation_minutes, new.questions_minutes, new.buffer_minutes) == (10, 5, 5)
    # 09:00 in January (CET, UTC+1) becomes 09:00 in April (CEST, UTC+2).
    assert new.meetings[0].starts_at == datetime(2030, 4, 15, 7, 0, tzinfo=UTC)
    assert new.meetings[0].ends_at == datetime(2030, 4, 15, 8, 0, tzinfo=UTC)
    assert len(slots_of(db_session, new)) == len(slots_of(db_session, first)) == 3

    # Both rounds list each other.
    assert f'href="/dialogues/{first.id}"' in client.get(f"/dialogues/{new.id}").get_data(as_text=True)
    assert f'href="/dialogues/{new.id}"' in client.get(f"/dialogues/{first.id}").get_data(as_text=True)

    # The same next round twice is refused with a message, nothing created.
    count = db_session.scalar(select(func.count(DialogueRound.id)))
    response = client.post(f"/dialogues/{first.id}/next", follow_redirects=True)
    assert "finns redan" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(DialogueRound.id))) == count
    # ... while the next round's own "next" continues the series half a year from the first.
    third = service.create_next_in_series(new, planner)
    assert third.series_id == first.id and third.meetings[0].starts_at == datetime(2030, 7, 15, 7, 0, tzinfo=UTC)


def test_half_yearly_and_non_recurring_rounds(db_session, make_user, client, login):
    planner = make_user("planner")
    half = make_round(db_session, planner, open_for_booking=False, recurrence="half_yearly")
    nxt = service.create_next_in_series(half, planner)
    assert nxt.meetings[0].starts_at.astimezone(service.STOCKHOLM).replace(tzinfo=None) == \
        datetime(2031, 3, 10, 9, 0)
    once = make_round(db_session, planner, open_for_booking=False)
    with pytest.raises(InputError) as err:
        service.create_next_in_series(once, planner)
    assert err.value.first.field == "recurrence"
    login(planner)
    assert "Skapa nästa omgång i serien" not in client.get(f"/dialogues/{once.id}").get_data(as_text=True)
    client.post("/logout")
    login(make_user("strategist", region="05"))
    assert client.post(f"/dialogues/{half.id}/next").status_code == 403


# ---------------------------------------------------------------------------------------------
# the directory's region page


def test_region_page_links_to_dialogue_history_and_ranked_areas(client, make_user, login):
    login(make_user("reader"))
    page = client.get("/directory/regions/ostergotland").get_data(as_text=True)
    assert 'href="/dialogues/regions/ostergotland"' in page
    assert 'href="/priorities/regions/ostergotland"' in page
    assert client.get("/dialogues/regions/ostergotland").status_code == 200


# ---------------------------------------------------------------------------------------------
# follow-up through the API


def test_follow_up_api_lists_actions_and_feedback(client, make_user, api_token, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    vinnova = organisation(db_session, "vinnova")
    ostergotland = region(db_session, "ostergotland")
    action = service_followup.add_action(
        round_, region=ostergotland, owner_kind="agency", owner=vinnova,
        description="Bjuda in till ett systemdemonstratorprojekt", due_date="2020-01-31", actor=planner)
    service_followup.add_feedback(
        round_, region=ostergotland, organisation=ostergotland.organisation,
        led_to="En gemensam ansökan till ett EU-partnerskap", reported_on="2025-10-01", actor=planner)
    body = client.get(f"/api/v1/rounds/{round_.id}/follow-up", headers=api_token(make_user("reader"))).get_json()
    assert body["round_id"] == round_.id
    [row] = body["actions"]
    assert row["id"] == action.id and row["owner"] == "vinnova" and row["owner_kind"] == "agency"
    assert row["region"] == "ostergotland" and row["due_date"] == "2020-01-31" and row["status"] == "open"
    assert row["overdue"] is True
    [entry] = body["feedback"]
    assert entry["region"] == "ostergotland" and entry["reported_on"] == "2025-10-01"
    assert "EU-partnerskap" in entry["led_to"]
    assert body["url"].endswith(f"/dialogues/rounds/{round_.id}/follow-up")
    assert "horizon_notes" not in body


def test_follow_up_api_needs_a_token_and_a_real_round(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    assert client.get(f"/api/v1/rounds/{round_.id}/follow-up").status_code == 401
    response = client.get("/api/v1/rounds/999999/follow-up", headers=api_token(make_user("strategist", region="05")))
    assert response.status_code == 404 and response.get_json()["error"]["code"]
    body = client.get(f"/api/v1/rounds/{round_.id}/follow-up", headers=api_token(make_user("taskforce"))).get_json()
    assert body == {**body, "actions": [], "feedback": []}
