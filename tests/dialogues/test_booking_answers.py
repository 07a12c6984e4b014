"""A region's answer to the invitation decides whether it may book a presentation slot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking, Invitation
from synergy_app.errors import Conflict

from .rounds_support import make_round, region, slots_of


@pytest.mark.parametrize("answer,code", [("listening", "listening_only"), ("no", "declined")])
def test_a_region_that_only_listens_or_declined_cannot_book(db_session, make_user, answer, code):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    osterg = region(db_session, "ostergotland")
    service.invite_regions(round_, [osterg.id], planner)
    invitation = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id,
                                                            Invitation.region_id == osterg.id))
    service.answer_invitation(invitation, answer, "", "", "", make_user("strategist", region="ostergotland"))
    with pytest.raises(Conflict) as err:
        service.book_slot(slots_of(db_session, round_)[0], osterg, None)
    assert err.value.code == code
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == round_.id)) == 0
