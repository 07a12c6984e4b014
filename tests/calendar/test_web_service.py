"""Saving calls: history of moved dates, revisions, themes and regions, follow and coordination."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from synergy_app.calendar import queries, service
from synergy_app.calendar.call_data import Deadline
from synergy_app.errors import InputError

from .conftest import make_data


def test_create_stores_each_event_and_links(new_call):
    call = new_call("T-1", eligible_applicants=("företag", "regioner"),
                    deadlines=(Deadline("Steg 1", date(2027, 3, 15)), Deadline("Steg 2", date(2027, 5, 15))))
    kinds = [(e.kind, e.position) for e in call.events]
    assert ("deadline", 0) in kinds and ("deadline", 1) in kinds
    assert [t.slug for t in call.themes] == ["vinnova-hallbar-industri"]
    assert call.themes[0].kind == "area" and call.themes[0].area_id is not None
    assert [r.slug for r in call.regions] == ["varmland"]
    assert call.revision == 0
    data = queries.call_data_for_ids([call.id])[0]
    assert data.identity == "ref:vinnova:T-1"
    assert [d.on for d in data.deadlines] == [date(2027, 3, 15), date(2027, 5, 15)]
    assert data.budget_sek == 40_000_000_00
    assert data.eligible_applicants == ("företag", "regioner")


def test_moving_a_date_keeps_history_and_raises_revision(new_call):
    call = new_call("T-2")
    moved = make_data("T-2", deadlines=(Deadline("", datetime(2027, 4, 29, 12, 0, tzinfo=UTC)),))
    service.save_call(moved, actor="test")
    call = queries.get_call(call.id)
    assert call.revision == 1
    [change] = call.date_changes
    assert change.field == "deadline:0"
    assert change.old_value.startswith("2027-04-15") and change.new_value.startswith("2027-04-29")
    # Saving the same content again changes nothing.
    service.save_call(moved, actor="test")
    assert queries.get_call(call.id).revision == 1


def test_bad_call_saves_nothing(new_call, db_session):
    with pytest.raises(InputError) as exc:
        service.save_call(make_data("T-3", opens_on=date(2027, 5, 1)), actor="test")
    assert exc.value.first.field == "deadline"
    with pytest.raises(InputError) as exc:
        service.save_call(make_data("T-3", regions=("atlantis",)), actor="test")
    assert exc.value.first.field == "regions"
    with pytest.raises(InputError):
        service.save_call(make_data("T-3", funder="nobody"), actor="test")
    assert queries.existing_by_identity(["ref:vinnova:T-3"]) == {}


def test_follow_and_coordinate(new_call, make_user):
    a = new_call("T-4")
    b = new_call("T-5", funder="tillvaxtverket")
    user = make_user("planner")
    service.follow(a, user)
    service.follow(a, user)
    assert service.is_following(a.id, user)
    service.unfollow(a, user)
    assert not service.is_following(a.id, user)
    cset = service.mark_coordinated([a.id, b.id], name="Hållbar industri", actor=user)
    assert {c.id for c in cset.calls} == {a.id, b.id}
    with pytest.raises(InputError):
        service.mark_coordinated([a.id], name="x", actor=user)


def test_status_filter_matches_core_rule(new_call):
    from synergy_app.calendar.call_data import derive_status

    calls = [new_call(f"S-{i}", opens_on=date(2027, 1, 1 + i * 7),
                      deadlines=(Deadline("", date(2027, 3, 1 + i * 5)),)) for i in range(4)]
    today = date(2027, 2, 1)
    mine = {c.id for c in calls}
    for status in ("planned", "forthcoming", "open", "closed"):
        found = {int(c.extra["id"]) for c in queries.all_calls(queries.CallFilters(status=status), today=today)}
        expected = {c.id for c in calls if derive_status(queries.call_data_for_ids([c.id])[0], today) == status}
        assert found & mine == expected
