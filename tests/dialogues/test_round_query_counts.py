"""The round page, its schedule page and the chair's running order ask the database a fixed number of
questions, however many regions take part: a change that loads invitations or bookings one by one fails here."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Invitation
from synergy_app.jobs.queue import deliver_committed
from tests.foundation.test_query_counts import building_pages, counted

from .rounds_support import DAY, make_round, region, slots_of

REGIONS = ("ostergotland", "vastmanland", "skane", "uppsala", "kalmar", "dalarna", "orebro", "halland")


def _queries(client, path: str) -> int:
    with building_pages(client.application):
        client.get(path)  # the first answer may fill per-process caches; count the second
        with counted() as statements:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def _presenting(db_session, round_, planner, slugs) -> None:
    """Regions invited, answering yes with a presenter each, and booked by the schedule."""
    service.invite_regions(round_, [region(db_session, s).id for s in slugs], planner)
    for n, slug in enumerate(slugs):
        invitation = db_session.scalar(select(Invitation).where(
            Invitation.round_id == round_.id, Invitation.region_id == region(db_session, slug).id))
        service.answer_invitation(invitation, "yes", f"Person {n} <p{n}@test.invalid>", "", "", None)
    pending = [w.key for w in service.pending_warnings(round_)]
    if pending:
        service.acknowledge_warnings(round_, pending, planner)
    service.apply_schedule(round_, planner)


@pytest.mark.parametrize("path", ["/dialogues/{id}", "/dialogues/{id}/schedule", "/dialogues/rounds/{id}/run"])
def test_round_pages_ask_as_often_for_eight_regions_as_for_two(client, make_user, login, db_session, path):
    planner = make_user("planner")
    meetings = [service.local_interval(DAY, time(9, 0), time(11, 0))]
    few = make_round(db_session, planner, open_for_booking=False, meetings=meetings)
    many = make_round(db_session, planner, open_for_booking=False, theme="Annan omgång",
                      meetings=[service.local_interval(DAY.replace(day=DAY.day + 1), time(9, 0), time(11, 0))])
    _presenting(db_session, few, planner, REGIONS[:2])
    _presenting(db_session, many, planner, REGIONS)
    login(planner)
    assert _queries(client, path.format(id=many.id)) == _queries(client, path.format(id=few.id))


def test_a_booking_of_a_taken_slot_is_refused_after_one_read(client, make_user, db_session, api_token):
    """Of fifty simultaneous bookings of one slot, most arrive after the first has committed: each of those is
    answered from the token (with its user's region) and one read of the round, the slot and its booking."""
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    slot = slots_of(db_session, round_)[0]
    service.book_slot(slot, region(db_session, "ostergotland"), make_user("strategist", region="ostergotland"))
    headers = api_token(make_user("strategist", region="vastmanland"))
    path, body = f"/api/v1/rounds/{round_.id}/bookings", {"slot_id": slot.id}
    deliver_committed()  # the first booking's e-mails go now, not at the end of the request counted below
    with counted() as statements:
        response = client.post(path, json=body, headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "slot_taken"
    assert len(statements) <= 2, "\n".join(statements)
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in statements)
