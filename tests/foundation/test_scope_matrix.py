"""Who may change what: every role and scope against areas, match decisions, rounds, bookings, calls and
projects, through the pages, the API and the services; a planner without an agency changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from synergy_app.auth.models import User
from synergy_app.auth.passwords import hash_password
from synergy_app.dialogues import service as dialogues
from synergy_app.dialogues.models import Booking
from synergy_app.errors import InputError
from synergy_app.priorities import service as priorities
from synergy_app.priorities.models import Area, Priority

from ..conftest import TEST_PASSWORD
from ..dialogues.rounds_support import make_round, region, slots_of

ACTORS = ("admin", "planner_a", "planner_b", "planner_none", "strategist_own", "strategist_other", "taskforce",
          "reader")


def unbound_planner(db_session, email: str = "old.planner@test.invalid") -> User:
    """A planner as older databases hold them: no agency (the account forms no longer make one)."""
    user = User(email=email, name="Old Planner", role="planner", password_hash=hash_password(TEST_PASSWORD))
    db_session.add(user)
    db_session.commit()
    return user


@pytest.fixture
def world(app, db_session, make_user):
    """Agency A is Vinnova, agency B Tillväxtverket; the round is A's (with Energimyndigheten taking part),
    and Östergötland has booked a slot in it."""
    users = {
        "admin": make_user("admin"),
        "planner_a": make_user("planner", organisation="vinnova"),
        "planner_b": make_user("planner", organisation="tillvaxtverket"),
        "planner_none": unbound_planner(db_session),
        "strategist_own": make_user("strategist", region="ostergotland"),
        "strategist_other": make_user("strategist", region="vastmanland"),
        "taskforce": make_user("taskforce"),
        "reader": make_user("reader"),
    }
    planner_a = users["planner_a"]
    round_ = make_round(db_session, planner_a, open_for_booking=False, agencies=["energimyndigheten"])
    dialogues.invite_regions(round_, [region(db_session, "ostergotland").id], planner_a)
    gaps = [w.key for w in dialogues.agency_warnings(round_)]
    if gaps:
        dialogues.acknowledge_warnings(round_, gaps, planner_a)
    dialogues.send_invitations(round_, planner_a)
    slot = slots_of(db_session, round_)[0]
    booking = dialogues.book_slot(slot, region(db_session, "ostergotland"), None)
    area_a = db_session.scalar(select(Area).where(Area.slug == "vinnova-hallbar-industri"))
    area_b = db_session.scalar(select(Area).join(Area.organisation).where(
        Area.organisation.has(slug="tillvaxtverket"), Area.archived.is_(False)).order_by(Area.id))
    priority = db_session.scalar(select(Priority).where(Priority.region.has(slug="ostergotland"))
                                 .order_by(Priority.id))
    return {"users": users, "round": round_, "booking": booking, "slot": slot, "area_a": area_a, "area_b": area_b,
            "priority": priority}


def _client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _allowed(status: int) -> bool:
    assert status < 500, status
    return status not in (401, 403)


# Who may, per action: everything agency-bound is the agency's planners' (and admins'); a region's
# booking is its strategist's; a planner without an agency is refused everywhere.
EXPECTED = {
    "edit own agency's area": {"admin", "planner_a"},
    "edit other agency's area": {"admin", "planner_b"},
    "decide match on agency A's area": {"admin", "planner_a"},
    "manage agency A's round": {"admin", "planner_a"},
    "cancel booking in agency A's round": {"admin", "planner_a", "strategist_own"},
    "edit calls": {"admin", "planner_a", "planner_b"},
    "start a round": {"admin", "planner_a", "planner_b"},
    "edit region's priority": {"admin", "strategist_own"},
}


def _web_attempts(world) -> dict:
    r, a, b, p = world["round"], world["area_a"], world["area_b"], world["priority"]
    return {
        "edit own agency's area": ("get", f"/priorities/areas/{a.slug}/edit", None),
        "edit other agency's area": ("get", f"/priorities/areas/{b.slug}/edit", None),
        "decide match on agency A's area": ("post", f"/priorities/areas/{a.slug}/decisions",
                                            {"priority": p.slug, "verdict": "added", "note": ""}),
        "manage agency A's round": ("get", f"/dialogues/{r.id}/edit", None),
        "edit calls": ("get", "/calendar/calls/new", None),
        "start a round": ("get", "/dialogues/new", None),
        "edit region's priority": ("get", f"/priorities/priorities/{p.slug}/edit", None),
    }


@pytest.mark.parametrize("who", ACTORS)
def test_web_matrix_each_role_and_scope(app, world, who):
    client = _client(app, world["users"][who])
    for action, (method, url, data) in _web_attempts(world).items():
        response = client.get(url) if method == "get" else client.post(url, data=data)
        assert _allowed(response.status_code) == (who in EXPECTED[action]), (who, action, response.status_code)


@pytest.mark.parametrize("who", ACTORS)
def test_web_cancel_and_status_change_only_within_scope(app, db_session, world, who):
    client = _client(app, world["users"][who])
    round_, booking = world["round"], world["booking"]
    status = client.post(f"/dialogues/{round_.id}/status", data={"status": "held"})
    assert _allowed(status.status_code) == (who in EXPECTED["manage agency A's round"]), (who, status.status_code)
    db_session.refresh(round_)
    assert (round_.status == "held") == (who in EXPECTED["manage agency A's round"])
    cancel = client.post(f"/dialogues/bookings/{booking.id}/cancel")
    may = who in EXPECTED["cancel booking in agency A's round"]
    assert _allowed(cancel.status_code) == may, (who, cancel.status_code)
    db_session.refresh(booking)
    assert (booking.cancelled_at is not None) == may


@pytest.mark.parametrize("who", ACTORS)
def test_api_cancel_only_within_scope(app, client, api_token, db_session, world, who):
    booking = world["booking"]
    response = client.delete(f"/api/v1/bookings/{booking.id}", headers=api_token(world["users"][who]))
    may = who in EXPECTED["cancel booking in agency A's round"]
    assert _allowed(response.status_code) == may, (who, response.status_code)
    if not may:
        assert response.status_code == 403 and response.get_json()["error"]["message"]
    db_session.refresh(booking)
    assert (booking.cancelled_at is not None) == may


@pytest.mark.parametrize("who", ACTORS)
def test_api_booking_only_for_ones_own_region(app, client, api_token, db_session, world, who):
    slot = slots_of(db_session, world["round"])[1]
    response = client.post(f"/api/v1/rounds/{world['round'].id}/bookings", json={"slot_id": slot.id},
                           headers=api_token(world["users"][who]))
    # Admins name a region to book for; without one there is none to act for.
    assert (response.status_code == 201) == (who == "strategist_other"), (who, response.status_code)


def test_services_apply_the_same_rules_as_the_pages(db_session, world):
    users, round_, booking = world["users"], world["round"], world["booking"]
    for who in ("planner_b", "planner_none", "reader", "strategist_other"):
        with pytest.raises(Forbidden):
            dialogues.cancel_booking(booking, users[who])
        with pytest.raises(Forbidden):
            dialogues.set_status(round_, "held", users[who])
        with pytest.raises(Forbidden):
            priorities.update_area(world["area_a"], {"title": "X"}, users[who])
    with pytest.raises(Forbidden):  # a strategist books for her own region only
        dialogues.book_slot(slots_of(db_session, round_)[1], region(db_session, "vastmanland"),
                            users["strategist_own"])
    assert dialogues.cancel_booking(booking, users["planner_a"]).cancelled_at is not None


def test_a_planner_cannot_start_a_round_outside_her_agency(app, db_session, world):
    from ..dialogues.rounds_support import round_data

    planner_b = world["users"]["planner_b"]
    with pytest.raises(InputError) as refused:
        dialogues.create_round(round_data(agencies=["energimyndigheten"]), planner_b)
    assert refused.value.first.field == "lead_organisation" and "Tillväxtverket" in refused.value.first.message_sv
    own = dialogues.create_round(round_data(agencies=["tillvaxtverket"]), planner_b)
    assert dialogues.access.can_manage_round(planner_b, own)
    assert not dialogues.access.can_manage_round(planner_b, world["round"])


def test_an_unbound_planner_is_told_why_everywhere_agency_bound(app, world):
    client = _client(app, world["users"]["planner_none"])
    round_, booking, area = world["round"], world["booking"], world["area_a"]
    attempts = [
        client.get(f"/priorities/areas/{area.slug}/edit"),
        client.post(f"/dialogues/{round_.id}/status", data={"status": "held"}),
        client.post(f"/dialogues/bookings/{booking.id}/cancel"),
        client.get(f"/dialogues/bookings/{booking.id}/move"),
        client.get("/dialogues/new"),
        client.get("/calendar/calls/new"),
        client.get("/calendar/import"),
        client.post(f"/dialogues/slots/{world['slot'].id}/note", data={"text": "x"}),
    ]
    for response in attempts:
        assert response.status_code == 403, response.request.path
        assert "inte knutet till någon myndighet" in response.get_data(as_text=True), response.request.path
    # Reading stays open to the account.
    assert client.get(f"/dialogues/{round_.id}").status_code == 200
    assert client.get(f"/priorities/areas/{area.slug}").status_code == 200


def test_an_unbound_planner_is_refused_on_the_api_with_the_reason(client, api_token, world):
    response = client.delete(f"/api/v1/bookings/{world['booking'].id}",
                             headers=api_token(world["users"]["planner_none"]))
    assert response.status_code == 403
    assert "myndighet" in response.get_json()["error"]["message"]


def test_the_round_page_offers_planning_only_within_scope(app, world):
    url = f"/dialogues/{world['round'].id}/edit"
    own = _client(app, world["users"]["planner_a"]).get(f"/dialogues/{world['round'].id}").get_data(as_text=True)
    other = _client(app, world["users"]["planner_b"]).get(f"/dialogues/{world['round'].id}").get_data(as_text=True)
    assert url in own and url not in other


def test_moving_a_booking_is_the_rounds_planners(app, world, db_session):
    booking = world["booking"]
    target = slots_of(db_session, world["round"])[2]
    refused = _client(app, world["users"]["planner_b"]).post(f"/dialogues/bookings/{booking.id}/move",
                                                             data={"slot": target.id})
    assert refused.status_code == 403
    ok = _client(app, world["users"]["planner_a"]).post(f"/dialogues/bookings/{booking.id}/move",
                                                        data={"slot": target.id})
    assert ok.status_code in (302, 303)
    db_session.refresh(booking)
    assert booking.slot_id == target.id
    assert db_session.scalar(select(Booking.id).where(Booking.slot_id == world["slot"].id)) is None


def test_the_refusal_reads_in_english_too(app, world):
    client = _client(app, world["users"]["planner_none"])
    client.get("/dialogues/?lang=en")
    response = client.get(f"/priorities/areas/{world['area_a'].slug}/edit")
    assert response.status_code == 403
    assert "Your planner account is bound to no agency" in response.get_data(as_text=True)


def test_only_the_taskforce_writes_rulings_through_the_service_too(world):
    from synergy_app.stateaid import rulings_service

    from ..stateaid.test_rulings_service import BASE

    for who in ("planner_a", "strategist_own", "reader", "planner_none"):
        with pytest.raises(Forbidden):
            rulings_service.create_ruling(BASE, world["users"][who])
    assert rulings_service.create_ruling(BASE, world["users"]["taskforce"]).id
