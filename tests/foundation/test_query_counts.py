"""Main pages ask the database a fixed number of questions, however much data they show.

Each test opens a page with a little data and again with more of the same kind; the count of SQL
statements must not grow with it. A change that loads rows one by one (an N+1) fails here.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from synergy_app.extensions import db


@contextmanager
def counted():
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


@contextmanager
def building_pages(app):
    """Every page built afresh, never taken from the kept pages (page_cache): what is counted is the building."""
    app.config["PAGE_CACHE"] = False
    try:
        yield
    finally:
        app.config["PAGE_CACHE"] = True


def _queries(client, path: str) -> int:
    with building_pages(client.application):
        client.get(path)  # the first answer may fill per-process caches; count the second
        with counted() as statements:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.fixture
def planner_client(client, make_user, login):
    login(make_user("planner"))
    return client


def _calls(first: int, count: int):
    from synergy_app.calendar import service
    from tests.calendar.conftest import make_data

    for n in range(first, first + count):
        service.save_call(make_data(f"Q-{n}", regions=("varmland", "ostergotland")), actor="test")


def test_calendar_list_asks_as_often_for_40_calls_as_for_4(planner_client, db_session):
    path = "/calendar/?from=2027-01-01&to=2027-12-31"
    _calls(0, 4)
    few = _queries(planner_client, path)
    _calls(4, 36)
    assert _queries(planner_client, path) == few


def test_year_timeline_asks_as_often_for_40_calls_as_for_4(planner_client, db_session):
    path = "/calendar/timeline?zoom=year&at=2027-06-01"
    _calls(0, 4)
    few = _queries(planner_client, path)
    _calls(4, 36)
    assert _queries(planner_client, path) == few


def test_month_view_asks_as_often_for_40_calls_as_for_4(planner_client, db_session):
    path = "/calendar/month?at=2027-04-01"
    _calls(0, 4)
    few = _queries(planner_client, path)
    _calls(4, 36)
    assert _queries(planner_client, path) == few


def _project(partners: int, seed: int):
    from benchmarks.bench_stateaid import project_mapping
    from synergy_app.projects import service
    from synergy_app.stateaid.project_document import document_from_mapping

    return service.import_document(document_from_mapping(project_mapping(partners, seed=seed)), "seed",
                                   ["norrbotten"])


@pytest.mark.parametrize("page", ["", "/budget"])
def test_project_pages_ask_as_often_for_20_partners_as_for_5(planner_client, db_session, page):
    # Both raise flags (so both look up precedents); only the number of partners differs.
    small, large = _project(5, 1), _project(20, 2)
    assert _queries(planner_client, f"/projects/{large.id}{page}") == \
        _queries(planner_client, f"/projects/{small.id}{page}")


def test_projects_list_asks_as_often_for_12_projects_as_for_2(planner_client, db_session):
    for n in range(2):
        _project(3, 10 + n)
    few = _queries(planner_client, "/projects/")
    for n in range(10):
        _project(3, 20 + n)
    assert _queries(planner_client, "/projects/") == few


def _cold_queries(client, path: str) -> int:
    """The count when no kept project check can be reused (every listed project is checked afresh)."""
    from flask import current_app

    from synergy_app.projects import check_cache

    with building_pages(client.application):
        client.get(path)
        check_cache.forget_all(current_app)
        with counted() as statements:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize("count", [_queries, _cold_queries])
def test_taskforce_start_page_asks_as_often_for_12_projects_as_for_2(client, make_user, login, db_session, count):
    login(make_user("taskforce"))
    for n in range(2):
        _project(3 + n, 40 + n)
    few = count(client, "/start")
    for n in range(10):
        _project(3 + n, 50 + n)
    assert count(client, "/start") == few


@pytest.mark.parametrize("count", [_queries, _cold_queries])
def test_agency_dossier_asks_as_often_for_12_funded_projects_as_for_2(planner_client, db_session, count):
    for n in range(2):
        _project(3 + n, 60 + n)
    few = count(planner_client, "/directory/organisations/vinnova")
    for n in range(10):
        _project(3 + n, 70 + n)
    assert count(planner_client, "/directory/organisations/vinnova") == few


def _coordinated_calls(first: int, count: int):
    """Calls naming Östergötland, each pair of them marked as coordinated (so each is checked with a partner)."""
    from synergy_app.calendar import service
    from tests.calendar.conftest import make_data

    calls = [service.save_call(make_data(f"Q-{n}", regions=("ostergotland",)), actor="test")
             for n in range(first, first + count)]
    for a, b in zip(calls[::2], calls[1::2], strict=False):
        service.mark_coordinated([a.id, b.id], name=f"Samordning {a.id}", actor=None)


def test_region_dossier_asks_as_often_for_40_coordinated_calls_as_for_4(planner_client, db_session):
    # Each call's alignment with the calls coordinated with it is checked in one pass, not call by call.
    path = "/directory/regions/ostergotland"
    _coordinated_calls(0, 4)
    few = _queries(planner_client, path)
    _coordinated_calls(4, 36)
    assert _queries(planner_client, path) == few


def test_region_dossier_asks_as_often_for_12_joint_projects_as_for_2(planner_client, db_session):
    # Each project's check, totals and funding from the region are read for all of them at once.
    from benchmarks.bench_stateaid import project_mapping
    from synergy_app.projects import service
    from synergy_app.stateaid.project_document import document_from_mapping

    def projects(first: int, count: int):
        for n in range(first, first + count):
            service.import_document(document_from_mapping(project_mapping(3 + n % 4, seed=80 + n)), "seed",
                                    ["ostergotland"])

    path = "/directory/regions/ostergotland"
    projects(0, 2)
    few = _queries(planner_client, path)
    projects(2, 10)
    assert _queries(planner_client, path) == few
