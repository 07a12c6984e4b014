"""Two gunicorn instances, one database: races between real HTTP clients end as one request would.

Runs on the selected database (SQLite file by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import pytest

from tests.concurrency.two_instances import book_one_slot, edit_budget_twice, import_ics_twice, two_instances


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    with two_instances(tmp_path_factory.mktemp("two-instances")) as prepared:
        yield prepared


def test_fifty_clients_on_two_instances_book_one_slot_once(setup):
    race = book_one_slot(setup, clients=50)
    assert race.counts[201] == 1, race.counts
    assert race.counts[409] == 49, (race.counts, [b for s, b in zip(race.statuses, race.bodies, strict=True)
                                                  if s not in (201, 409)][:3])
    assert race.stored == 1


def test_the_same_budget_saved_on_both_instances_keeps_the_first_and_refuses_the_second(setup):
    race = edit_budget_twice(setup)
    assert sorted(race.web.statuses) == [200, 409], race.web.statuses  # 200: redirected to the project page
    refused = race.web.bodies[race.web.statuses.index(409)]
    winner = race.web_amounts[race.web.statuses.index(200)]
    loser = race.web_amounts[race.web.statuses.index(409)]
    assert "Budgeten har ändrats av någon annan" in refused
    assert f'value="{loser}"' in refused  # the refused planner's entry is still in the table
    stored = winner.replace(" ", "\u00a0") + ",00\u00a0kr"
    assert stored in refused  # and the notice shows what the other save stored

    assert sorted(race.api.statuses) == [200, 409], race.api.statuses
    conflict = race.api.bodies[race.api.statuses.index(409)]
    assert '"code":"edit_conflict"' in conflict.replace(" ", "")
    saved = race.api_amounts[race.api.statuses.index(200)]
    assert race.stored_amounts[0] == saved  # the first save is intact, nothing of the refused one


def test_the_same_ics_file_imported_at_once_on_both_instances_creates_each_call_once(setup):
    race = import_ics_twice(setup)
    assert setup.new_calls_in_file > 0
    assert 500 not in race.statuses and all(s in (200, 409) for s in race.statuses), race.statuses
    assert 200 in race.statuses
    for status, body in zip(race.statuses, race.bodies, strict=True):
        if status == 409:
            assert "Samma utlysningar sparades av någon annan" in body
    assert race.stored == setup.new_calls_in_file
