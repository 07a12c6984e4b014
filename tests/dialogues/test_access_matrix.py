"""Who may do what in a snabbdialog round, per README's roles table: every role against every action, with
the same answer from the access rule, the service, the page and (where there is one) the API.

The round is Vinnova's with Energimyndigheten taking part; Västmanland has booked the first slot and
Östergötland is invited but has not answered. Every attempt starts from that state, so an action that was
refused is also checked to have changed nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from synergy_app.dialogues import access, service, service_followup
from synergy_app.dialogues.demo_followup import PRESENTATION
from synergy_app.dialogues.models import Booking, Invitation
from synergy_app.dialogues.models_followup import FollowUpAction, Presentation, SlotNote

from ..conftest import TEST_PASSWORD
from ..foundation.test_scope_matrix import unbound_planner
from .followup_support import GOOD_CONTENT, make_round, organisation, region, slots_of

START = datetime(2030, 9, 10, 7, 0, tzinfo=UTC)

ACCOUNTS = {
    "admin": {"role": "admin"},
    "planner_lead": {"role": "planner", "organisation": "vinnova"},
    "planner_part": {"role": "planner", "organisation": "energimyndigheten"},
    "planner_other": {"role": "planner", "organisation": "tillvaxtverket"},
    "planner_none": None,  # an account from before planners had to name their agency
    "strategist_ost": {"role": "strategist", "region": "ostergotland"},
    "strategist_vast": {"role": "strategist", "region": "vastmanland"},
    "taskforce": {"role": "taskforce"},
    "reader": {"role": "reader"},
}

# README, Roles: a planner plans the rounds her agency leads or takes part in (schedule, run, move and cancel
# bookings, follow up); a strategist acts for her region (answers, bookings, presentations, follow-up).
ROUND_PLANNERS = {"admin", "planner_lead", "planner_part"}


@pytest.fixture
def world(db_session):
    round_ = make_round(db_session, start=START, booked=("vastmanland",))
    round_.agencies.append(organisation(db_session, "energimyndigheten"))
    ost = region(db_session, "ostergotland")
    db_session.add(Invitation(round_id=round_.id, region_id=ost.id, answer="pending"))
    db_session.commit()
    return {
        "round": round_, "slots": slots_of(db_session, round_), "ost": ost,
        "booking": db_session.scalar(select(Booking).where(Booking.round_id == round_.id)),
        "invitation": db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                                 Invitation.region_id == ost.id)),
    }


@pytest.fixture
def account(db_session, make_user):
    def _account(who: str):
        spec = ACCOUNTS[who]
        return unbound_planner(db_session) if spec is None else make_user(**spec)

    return _account


@dataclass(frozen=True)
class Action:
    may: set[str]
    rule: Callable  # (user, world) -> bool
    service: Callable  # (user, world) -> None
    web: Callable  # (client, world) -> response
    done: Callable  # (db_session, world) -> bool
    api: Callable | None = None  # (client, headers, world) -> response


def _booked_ost(db_session, w) -> bool:
    return db_session.scalar(select(Booking.id).where(Booking.region_id == w["ost"].id,
                                                      Booking.cancelled_at.is_(None))) is not None


def _refreshed(db_session, obj):
    db_session.refresh(obj)
    return obj


ACTIONS = {
    "book a slot for Östergötland": Action(
        may={"admin", "strategist_ost"},
        rule=lambda u, w: access.can_act_for_region(u, w["ost"]),
        service=lambda u, w: service.book_slot(w["slots"][1], w["ost"], u),
        web=lambda c, w: c.post(f"/dialogues/slots/{w['slots'][1].id}/book", data={"region": "ostergotland"}),
        api=lambda c, h, w: c.post(f"/api/v1/rounds/{w['round'].id}/bookings",
                                   json={"slot_id": w["slots"][1].id, "region": "ostergotland"}, headers=h),
        done=_booked_ost,
    ),
    "answer Östergötland's invitation": Action(
        may={"admin", "strategist_ost"},
        rule=lambda u, w: access.can_act_for_region(u, w["invitation"].region),
        service=lambda u, w: service.answer_invitation(w["invitation"], "listening", "", "", "", u),
        web=lambda c, w: c.post(f"/dialogues/{w['round'].id}/answer",
                                data={"answer": "listening", "region": "ostergotland"}),
        done=lambda db, w: _refreshed(db, w["invitation"]).answer == "listening",
    ),
    "cancel Västmanland's booking": Action(
        may=ROUND_PLANNERS | {"strategist_vast"},
        rule=lambda u, w: access.can_cancel_booking(u, w["booking"]),
        service=lambda u, w: service.cancel_booking(w["booking"], u),
        web=lambda c, w: c.post(f"/dialogues/bookings/{w['booking'].id}/cancel"),
        api=lambda c, h, w: c.delete(f"/api/v1/bookings/{w['booking'].id}", headers=h),
        done=lambda db, w: _refreshed(db, w["booking"]).cancelled_at is not None,
    ),
    "move Västmanland's booking": Action(
        may=ROUND_PLANNERS,
        rule=lambda u, w: access.can_move_booking(u, w["booking"]),
        service=lambda u, w: service.move_booking(w["booking"], w["slots"][2], u),
        web=lambda c, w: c.post(f"/dialogues/bookings/{w['booking'].id}/move", data={"slot": w["slots"][2].id}),
        done=lambda db, w: _refreshed(db, w["booking"]).slot_id == w["slots"][2].id,
    ),
    "change the round's status": Action(
        may=ROUND_PLANNERS,
        rule=lambda u, w: access.can_manage_round(u, w["round"]),
        service=lambda u, w: service.set_status(w["round"], "held", u),
        web=lambda c, w: c.post(f"/dialogues/{w['round'].id}/status", data={"status": "held"}),
        done=lambda db, w: _refreshed(db, w["round"]).status == "held",
    ),
    "write Östergötland's presentation": Action(
        may={"admin", "strategist_ost"},
        rule=lambda u, w: access.can_edit_presentation(u, w["ost"]),
        service=lambda u, w: service_followup.save_presentation(w["round"], w["ost"], None, PRESENTATION, u),
        web=lambda c, w: c.post(f"/dialogues/rounds/{w['round'].id}/regions/ostergotland/presentation",
                                data=GOOD_CONTENT),
        done=lambda db, w: db.scalar(select(Presentation.id).where(Presentation.round_id == w["round"].id))
        is not None,
    ),
    "write a chair's note": Action(
        may=ROUND_PLANNERS,
        rule=lambda u, w: access.can_chair_round(u, w["round"]),
        service=lambda u, w: service_followup.add_slot_note(w["slots"][0], "Bra start", u),
        web=lambda c, w: c.post(f"/dialogues/slots/{w['slots'][0].id}/note", data={"text": "Bra start"}),
        done=lambda db, w: db.scalar(select(SlotNote.id).where(SlotNote.slot_id == w["slots"][0].id)) is not None,
    ),
    "add a follow-up action for Östergötland": Action(
        may=ROUND_PLANNERS | {"strategist_ost"},
        rule=lambda u, w: access.can_follow_up(u, w["round"], w["ost"]),
        service=lambda u, w: service_followup.add_action(
            w["round"], region=w["ost"], owner_kind="region", owner=w["ost"].organisation,
            description="Ta fram en gemensam ansökan", due_date=date.today() + timedelta(days=30), actor=u),
        web=lambda c, w: c.post(f"/dialogues/rounds/{w['round'].id}/follow-up/actions", data={
            "action-region": "ostergotland", "action-owner_kind": "region",
            "action-owner": w["ost"].organisation.slug, "action-description": "Ta fram en gemensam ansökan",
            "action-due_date": (date.today() + timedelta(days=30)).isoformat()}),
        done=lambda db, w: db.scalar(select(FollowUpAction.id).where(FollowUpAction.round_id == w["round"].id))
        is not None,
    ),
}

CASES = [(action, who) for action in ACTIONS for who in ACCOUNTS]
API_CASES = [(action, who) for action, who in CASES if ACTIONS[action].api is not None]


@pytest.mark.parametrize(("action", "who"), CASES)
def test_the_rule_and_the_service_agree_with_the_roles_table(db_session, world, account, action, who):
    case, user = ACTIONS[action], account(who)
    may = who in case.may
    assert case.rule(user, world) == may, (action, who)
    if may:
        case.service(user, world)
    else:
        with pytest.raises(Forbidden):
            case.service(user, world)
    assert case.done(db_session, world) == may, (action, who)


@pytest.mark.parametrize(("action", "who"), CASES)
def test_the_page_gives_the_same_answer(app, db_session, world, account, action, who):
    case, user = ACTIONS[action], account(who)
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    response = case.web(client, world)
    may = who in case.may
    assert response.status_code in ((302, 303) if may else (403,)), \
        (action, who, response.status_code, response.get_data(as_text=True)[:300])
    assert case.done(db_session, world) == may, (action, who)


@pytest.mark.parametrize(("action", "who"), API_CASES)
def test_the_api_gives_the_same_answer(client, db_session, world, account, api_token, action, who):
    case, user = ACTIONS[action], account(who)
    response = case.api(client, api_token(user), world)
    may = who in case.may
    if may:
        assert response.status_code in (200, 201), (action, who, response.get_json())
    else:
        assert response.status_code == 403, (action, who, response.status_code)
        assert response.get_json()["error"]["message"]
    assert case.done(db_session, world) == may, (action, who)


def test_an_admin_who_names_no_region_is_asked_for_one(client, db_session, world, account, api_token):
    """Admins act for any region, so which one must be said; the refusal names the field and books nothing."""
    response = client.post(f"/api/v1/rounds/{world['round'].id}/bookings",
                           json={"slot_id": world["slots"][1].id}, headers=api_token(account("admin")))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "region"
    assert db_session.scalar(select(Booking.id).where(Booking.slot_id == world["slots"][1].id)) is None


def test_a_strategist_sees_only_her_own_regions_presentation(app, world, account):
    for who, allowed in (("strategist_ost", True), ("strategist_vast", False), ("planner_other", True),
                         ("admin", True), ("reader", False), ("taskforce", False)):
        assert access.can_see_presentation(account(who), world["ost"]) == allowed, who
    client = app.test_client()
    client.post("/login", data={"email": account("strategist_vast").email, "password": TEST_PASSWORD})
    url = f"/dialogues/rounds/{world['round'].id}/regions/ostergotland/presentation"
    assert client.get(url).status_code == 403


def test_the_round_page_offers_cancel_and_move_exactly_where_they_are_allowed(app, world, account):
    cancel = f"/dialogues/bookings/{world['booking'].id}/cancel"
    move = f"/dialogues/bookings/{world['booking'].id}/move"
    for who in ACCOUNTS:
        client = app.test_client()
        client.post("/login", data={"email": account(who).email, "password": TEST_PASSWORD})
        page = client.get(f"/dialogues/{world['round'].id}").get_data(as_text=True)
        assert (cancel in page) == (who in ACTIONS["cancel Västmanland's booking"].may), who
        assert (move in page) == (who in ACTIONS["move Västmanland's booking"].may), who
