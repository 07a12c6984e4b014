"""One score per pair on every page, and cached matching that is never stale after a write.

The matrix cell of a region and an area is the score the area's ranked list gives the region, for
every pair of the demo data. Matching results are kept per data version: a decision or a new
priority written through the service shows in the very next page, also when another app instance
(its own process cache, or a shared Redis) served the page before the write.
"""

from __future__ import annotations

import os
import pickle
import re
import socket
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from synergy_app import create_app
from synergy_app.auth.demo import seed_demo as seed_users
from synergy_app.directory.models import Region
from synergy_app.extensions import db
from synergy_app.priorities import service
from synergy_app.priorities.demo import seed_demo
from synergy_app.priorities.models import Area, Priority
from tests.conftest import TEST_PASSWORD

HALLBAR = "vinnova-hallbar-industri"
CELL = re.compile(r'<td class="heat-[1-5]"><a href="/priorities/areas/([a-z0-9-]+)#region-([a-z-]+)">([\d,]+)</a>')
REGION_SCORE = re.compile(r'<li id="region-([a-z-]+)" class="card">\s*<h3><a [^>]*>[^<]*</a>\s*'
                          r'<span class="score">poäng ([\d,]+)</span>')


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


def _region_scores(client, area: str) -> dict[str, str]:
    html = client.get(f"/priorities/areas/{area}").get_data(as_text=True)
    return dict(REGION_SCORE.findall(html))


def test_matrix_cell_equals_the_ranked_list_score_for_every_pair_in_the_demo_data(client, db_session, make_user,
                                                                                   login):
    seed_users()
    seed_demo()
    login(make_user("reader"))
    cells: dict[str, dict[str, str]] = {}
    for area, region, text in CELL.findall(client.get("/priorities/matrix").get_data(as_text=True)):
        cells.setdefault(area, {})[region] = text
    assert len(cells) > 20 and sum(len(c) for c in cells.values()) > 300
    for area, by_region in cells.items():
        assert _region_scores(client, area) == by_region, area
    # The pair that once read 0,20 on the matrix and 0,10 in the list: Östergötland has a planner-added
    # match scoring 0,10 and a suggested one scoring 0,20. The region ranks as decided, and scores its best;
    # every score has two decimals, so a column of them lines up.
    assert cells[HALLBAR]["ostergotland"] == _region_scores(client, HALLBAR)["ostergotland"] == "0,20"


def _planner(make_user):
    return make_user("planner", organisation="vinnova")


def test_a_decision_written_through_the_service_shows_in_the_next_render(client, db_session, make_user, reader):
    planner = _planner(make_user)
    before = client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    assert 'id="region-vastmanland"' in before
    area = db_session.scalar(select(Area).where(Area.slug == HALLBAR))
    for priority in db_session.scalars(select(Priority).where(Priority.region.has(slug="vastmanland"))):
        service.decide(priority, area, "rejected", planner)
    after = client.get(f"/priorities/areas/{HALLBAR}").get_data(as_text=True)
    assert 'id="region-vastmanland"' not in after
    matrix = client.get("/priorities/matrix").get_data(as_text=True)
    assert f'href="/priorities/areas/{HALLBAR}#region-vastmanland"' not in matrix


def test_a_new_priority_written_through_the_service_shows_in_the_next_render(client, db_session, make_user, reader):
    gotland = db_session.scalar(select(Region).where(Region.slug == "gotland"))
    before = _region_scores(client, HALLBAR)
    assert "gotland" not in before
    service.create_priority(gotland, {
        "title": "Hållbar industri och cirkulär tillverkning på Gotland",
        "description": "Konkurrenskraftig tillverkningsindustri: produktion, material och cirkulära flöden.",
        "keywords": "tillverkning, produktion, material",
        "codes": {"economic": ["C28"], "policy": ["advanced_manufacturing"]},
    }, make_user("admin"))
    assert "gotland" in _region_scores(client, HALLBAR)


def test_the_cached_results_survive_a_round_trip_through_pickle(app, db_session):
    """What the shared cache (Redis) stores must come back whole, explanations included."""
    from synergy_app.priorities.matching_service import run

    run_ = run()
    again = pickle.loads(pickle.dumps(run_.matches))  # noqa: S301 - our own data, as the cache stores it
    assert [(m.priority_id, m.area_id, m.score) for m in again] == [
        (m.priority_id, m.area_id, m.score) for m in run_.matches]
    assert [m.explanation_en for m in again[:50]] == [m.explanation_en for m in run_.matches[:50]]


# --- two app instances on one database ----------------------------------------------------------------


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    host, port = "127.0.0.1", 6379
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return None
    return url


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A database of its own (committed data, not the per-test rolled-back transaction), migrated and seeded."""
    from flask_migrate import upgrade

    from synergy_app.core.seed import seed_reference

    url = _own_database(os.environ.get("DATABASE_URL", "").strip(), tmp_path_factory)
    first = _instance(url, None)
    with first.app_context():
        upgrade()
        seed_reference()
        from synergy_app.auth import service as auth

        auth.create_user("planner@two.invalid", "planner", TEST_PASSWORD, organisation="vinnova", actor="test")
        auth.create_user("reader@two.invalid", "reader", TEST_PASSWORD, actor="test")
        db.session.commit()
    return url


def _own_database(test_url: str, tmp_path_factory) -> str:
    """A SQLite file, or on PostgreSQL a database beside the test database (created, then emptied)."""
    if not test_url:
        return f"sqlite:///{tmp_path_factory.mktemp('two-instances') / 'shared.sqlite3'}"
    from sqlalchemy import create_engine, make_url, text

    from tests.conftest import reset_database

    url = make_url(test_url.replace("postgresql://", "postgresql+psycopg://", 1))
    own = url.set(database=f"{url.database}_two")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own.database}):
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    own_url = own.render_as_string(hide_password=False)
    reset_database(own_url)
    return own_url


def _instance(url: str, redis_url: str | None):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "two-instances",
                       "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost", "REDIS_URL": redis_url})


@contextmanager
def _logged_in(app):
    client = app.test_client()
    response = client.post("/login", data={"email": "reader@two.invalid", "password": TEST_PASSWORD})
    assert response.status_code == 302
    yield client


@pytest.mark.parametrize("shared_cache", ["process", "redis"])
def test_two_instances_on_one_database_agree_after_a_write(shared_database, shared_cache):
    redis_url = None
    if shared_cache == "redis":
        redis_url = _redis_url()
        if redis_url is None:
            pytest.skip("no Redis on 127.0.0.1:6379")
    writer, reader = _instance(shared_database, redis_url), _instance(shared_database, redis_url)
    with _logged_in(reader) as client:
        scores = _region_scores(client, HALLBAR)  # the reader instance has computed and cached the results
        if redis_url:
            from redis import Redis

            from synergy_app.priorities.matching_cache import KEY_PREFIX

            assert list(Redis.from_url(redis_url).scan_iter(f"{KEY_PREFIX}*")), "nothing shared in Redis"
        region = sorted(scores)[-1]
        with writer.app_context():
            from synergy_app.auth.models import User

            planner = db.session.scalar(select(User).where(User.email == "planner@two.invalid"))
            area = db.session.scalar(select(Area).where(Area.slug == HALLBAR))
            for priority in db.session.scalars(select(Priority).where(Priority.region.has(slug=region))):
                service.decide(priority, area, "rejected", planner)
        # The reader instance answers from the new data at once, although it had the old results cached.
        assert region not in _region_scores(client, HALLBAR)


# --- a fixed number of questions to the database ----------------------------------------------------


@contextmanager
def _counted():
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _queries(client, path: str) -> int:
    from tests.foundation.test_query_counts import building_pages

    with building_pages(client.application):
        client.get(path)  # the first answer computes and caches the matching; count the second
        with _counted() as statements:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def _more_data(make_user, count: int) -> None:
    admin = make_user("admin")
    planner = _planner(make_user)
    area = db.session.scalar(select(Area).where(Area.slug == HALLBAR))
    for n, region in enumerate(db.session.scalars(select(Region).order_by(Region.id).limit(count))):
        priority = service.create_priority(region, {
            "title": f"Cirkulär tillverkning {n}", "description": "Hållbar tillverkningsindustri och material.",
            "keywords": "tillverkning, material", "codes": {"economic": ["C28"]}}, admin)
        service.decide(priority, area, "confirmed" if n % 2 else "added", planner)
        if n == 0:  # a decided priority later archived: its decision is still read, with no query of its own
            priority.archived = True
            db.session.commit()


@pytest.mark.parametrize("path", [f"/priorities/areas/{HALLBAR}", "/priorities/matrix"])
def test_area_and_matrix_pages_ask_as_often_with_more_priorities_and_decisions(client, db_session, make_user,
                                                                               path):
    planner = _planner(make_user)
    client.post("/login", data={"email": planner.email, "password": TEST_PASSWORD})
    _more_data(make_user, 2)
    few = _queries(client, path)
    _more_data(make_user, 12)
    assert _queries(client, path) == few
