"""The dialogue API: rounds, slots, booking (201 / 409 / 403) and cancelling."""

from __future__ import annotations

from sqlalchemy import func, select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking

from .rounds_support import make_round, region, slots_of


def test_list_and_detail(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    headers = api_token(make_user("reader"))
    body = client.get("/api/v1/rounds", headers=headers).get_json()
    assert any(r["id"] == round_.id for r in body["rounds"]) and body["page"] == 1
    detail = client.get(f"/api/v1/rounds/{round_.id}", headers=headers).get_json()
    assert detail["lead_organisation"] == "vinnova" and detail["lead_area"] == "vinnova-hallbar-industri"
    assert detail["status"] == "invitations_sent"
    assert set(detail["agencies"]) == {"tillvaxtverket", "energimyndigheten", "business-sweden"}
    assert detail["slot_pattern"]["presentation_minutes"] == 10
    assert client.get("/api/v1/rounds?status=bogus", headers=headers).get_json()["error"]["field"] == "status"
    assert client.get("/api/v1/rounds/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/rounds").status_code == 401


def test_slots_show_free_and_booked(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    first = slots_of(db_session, round_)[0]
    service.book_slot(first, region(db_session, "vastmanland"), None)
    body = client.get(f"/api/v1/rounds/{round_.id}/slots", headers=api_token(make_user("reader"))).get_json()
    assert len(body["slots"]) == 6
    assert body["slots"][0]["free"] is False and body["slots"][0]["region"] == "vastmanland"
    assert all(s["free"] for s in body["slots"][1:])
    assert body["slots"][0]["start"].endswith("+00:00")


def test_book_201_then_409_for_the_same_slot(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[1]
    osterg = api_token(make_user("strategist", region="ostergotland"))
    vastm = api_token(make_user("strategist", region="vastmanland"))
    ok = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": slot.id}, headers=osterg)
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["region"] == "ostergotland" and ok.headers["Location"].endswith(f"/{ok.get_json()['id']}")
    taken = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": slot.id}, headers=vastm)
    assert taken.status_code == 409
    error = taken.get_json()["error"]
    assert error["code"] == "slot_taken" and error["field"] == "slot_id" and "annan region" in error["message"]
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.slot_id == slot.id)) == 1


def test_book_refused_for_non_strategists_and_bad_input(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    for role in ("planner", "reader", "taskforce"):
        response = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": slot.id},
                               headers=api_token(make_user(role)))
        assert response.status_code == 403
    headers = api_token(make_user("strategist", region="ostergotland"))
    bad = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": "one"}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "slot_id"
    other = make_round(db_session, None)
    wrong = client.post(f"/api/v1/rounds/{round_.id}/bookings",
                        json={"slot_id": slots_of(db_session, other)[0].id}, headers=headers)
    assert wrong.status_code == 400
    assert client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": 99999999},
                       headers=headers).status_code == 404
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 0


def test_admin_books_for_a_named_region(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    response = client.post(f"/api/v1/rounds/{round_.id}/bookings", json={"slot_id": slot.id, "region": "skane"},
                           headers=api_token(make_user("admin")))
    assert response.status_code == 201 and response.get_json()["region"] == "skane"


def test_cancel_via_api(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    booking = service.book_slot(slot, region(db_session, "ostergotland"), None)
    other = api_token(make_user("strategist", region="vastmanland"))
    assert client.delete(f"/api/v1/bookings/{booking.id}", headers=other).status_code == 403
    own = api_token(make_user("strategist", region="ostergotland"))
    response = client.delete(f"/api/v1/bookings/{booking.id}", headers=own)
    assert response.status_code == 200 and response.get_json()["cancelled_at"]
    again = client.delete(f"/api/v1/bookings/{booking.id}", headers=own)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_cancelled"
    assert client.get(f"/api/v1/rounds/{round_.id}/slots", headers=own).get_json()["slots"][0]["free"] is True


def test_book_answers_each_refusal_with_its_code(client, make_user, api_token, db_session):
    """The API reads the slot's state in one go; each reason to refuse still has its own answer."""
    from synergy_app.dialogues.models import Invitation

    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    s0, s1, s2 = slots_of(db_session, round_)[:3]
    path = f"/api/v1/rounds/{round_.id}/bookings"
    osterg = api_token(make_user("strategist", region="ostergotland"))
    assert client.post(path, json={"slot_id": s0.id}, headers=osterg).status_code == 201
    again = client.post(path, json={"slot_id": s1.id}, headers=osterg)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "region_already_booked"
    own_slot = client.post(path, json={"slot_id": s0.id}, headers=osterg)
    assert own_slot.status_code == 409 and own_slot.get_json()["error"]["code"] == "slot_taken"

    for slug, answer, code in (("vastmanland", "no", "declined"), ("skane", "listening", "listening_only")):
        place = region(db_session, slug)
        service.invite_regions(round_, [place.id], planner)
        strategist = make_user("strategist", region=slug)
        invitation = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                                Invitation.region_id == place.id))
        service.answer_invitation(invitation, answer, "", "", "", strategist)
        refused = client.post(path, json={"slot_id": s2.id}, headers=api_token(strategist))
        assert refused.status_code == 409 and refused.get_json()["error"]["code"] == code
        # A slot already taken is the answer before the region's own reason.
        taken = client.post(path, json={"slot_id": s0.id}, headers=api_token(strategist))
        assert taken.get_json()["error"]["code"] == "slot_taken"
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 1


def test_book_in_a_round_that_does_not_exist_is_404_whatever_the_body(client, make_user, api_token, db_session):
    round_ = make_round(db_session, make_user("planner"))
    slot = slots_of(db_session, round_)[0]
    headers = api_token(make_user("strategist", region="ostergotland"))
    for body in ({"slot_id": slot.id}, {"slot_id": "one"}, {"slot_id": slot.id, "region": "nowhere"}, None):
        response = client.post("/api/v1/rounds/99999999/bookings", json=body, headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found", body
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.slot_id == slot.id)) == 0
