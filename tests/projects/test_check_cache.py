"""A kept check result is never read after what it derives from changed, whichever instance wrote.

Two app instances share one database (a SQLite file, or the PostgreSQL of DATABASE_URL); one writes
through the product's own service functions, the other reads the project's check at once. Without
REDIS_URL each instance keeps results in its own process; with it (and a Redis that answers) both
share Redis, as in production.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from synergy_app import create_app
from synergy_app.extensions import db
from tests.conftest import reset_database

REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def _redis_answers() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


def _database(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # A database of its own beside the test database, so committed writes leave the shared one alone.
        from sqlalchemy import create_engine, text

        base, _, _name = url.rpartition("/")
        name = f"check_cache_{uuid.uuid4().hex[:8]}"
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return f"{base}/{name}"
    return f"sqlite:///{tmp / 'shared.sqlite3'}"


def _drop(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        base, _, name = url.rpartition("/")
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["process", "redis"])
def two_apps(request, tmp_path):
    if request.param == "redis" and not _redis_answers():
        pytest.skip(f"no Redis answers at {REDIS_TEST_URL}")
    from flask_migrate import upgrade

    from synergy_app.core.seed import seed_reference

    url = _database(tmp_path)
    reset_database(url)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
              "SERVER_NAME": "localhost", "REDIS_URL": REDIS_TEST_URL if request.param == "redis" else None}
    writer, reader = create_app(config), create_app(config)
    with writer.app_context():
        upgrade()
        seed_reference()
        from synergy_app.auth import service as auth_service
        from synergy_app.projects.demo import DEMO_TITLE, seed_demo
        from synergy_app.projects.models import Project

        seed_demo()
        auth_service.create_user("admin@test.invalid", "admin", "a-long-test-password-2026", actor="test")
        project_id = db.session.query(Project.id).filter(Project.title == DEMO_TITLE).scalar()
    yield writer, reader, project_id
    from synergy_app.projects import check_cache

    for app in (writer, reader):
        with app.app_context():
            check_cache.forget_all(app)  # with Redis: only the keys under the check cache's prefix
            db.engine.dispose()
    _drop(url)


def _kept_and_fresh(app, project_id):
    """(the check as the pages take it, the check run afresh, the brief the lists show) in `app`."""
    from synergy_app.projects import check_cache, checking

    with app.app_context():
        project = checking.load_project(project_id)
        kept = check_cache.check_of(project).result.to_dict()
        fresh = checking.run_check(project).result.to_dict()
        brief = check_cache.briefs_of([project_id])[project_id]
        db.session.remove()
    return kept, fresh, [(f.code, f.message_sv) for f in brief.flags]


def _write(app, project_id, change):
    from synergy_app.auth.models import User
    from synergy_app.projects import checking

    with app.app_context():
        actor = db.session.query(User).filter(User.email == "admin@test.invalid").one()
        change(checking.load_project(project_id), actor)
        db.session.remove()


def _budget_more_costs(project, actor):
    from synergy_app.projects import checking, service
    from synergy_app.projects.budget_body import parse_budget_body

    mapping = checking.project_mapping(project)
    costs = [dict(c) for c in mapping["costs"]]
    costs[0]["amount_sek"] = str(int(float(costs[0]["amount_sek"])) // 2)  # halve the first cost line
    rows = parse_budget_body({"costs": costs, "funding": mapping["funding"]}, {p.key for p in project.partners})
    assert rows.errors == {}
    service.save_budget(project, rows, actor, project.version)


def _partner_now_large(project, actor):
    from synergy_app.projects import service

    partner = next(p for p in project.partners if p.kind == "undertaking" and p.size_stated != "large")
    service.save_partner(project, {"key": partner.key, "name": partner.name, "kind": partner.kind,
                                   "size_stated": "large", "org_number": partner.org_number or "",
                                   "version": partner.version}, actor, partner)


def _ledger_grant(project, actor):
    from synergy_app.stateaid import ledger_service

    aided = {line.partner_id for line in project.cost_lines if line.category == "de_minimis"}
    number = next(p.org_number for p in project.partners if p.org_number and p.id in aided)
    ledger_service.add_grant({"beneficiary_org_number": number, "beneficiary_name": "Bolaget AB",
                              "grantor": "Region X", "grant_date": "2025-06-01", "amount_eur": "250000",
                              "regulation": "2023/2831"}, actor)


def _application_after_work_start(project, actor):
    from synergy_app.projects import service

    data = {name: getattr(project, name).isoformat() for name in
            ("grant_date", "application_date", "work_start", "start_date", "end_date") if getattr(project, name)}
    data |= {"title": project.title, "status": project.status, "version": project.version,
             "exchange_rate_eur_sek": str(project.exchange_rate_eur_sek or ""),
             "collab_effective": project.collab_effective, "collab_ro_may_publish": project.collab_ro_may_publish,
             "collab_wide_dissemination": project.collab_wide_dissemination,
             "collab_cross_border": project.collab_cross_border, "collab_licensing": project.collab_licensing,
             "municipalities": " ".join(project.municipalities or []), "assisted_area": project.assisted_area or ""}
    data["application_date"] = "2026-05-01"  # after work started: no incentive effect
    service.update_project(project, data, actor)


@pytest.mark.parametrize("change", [_budget_more_costs, _partner_now_large, _ledger_grant,
                                    _application_after_work_start])
def test_a_write_on_one_instance_is_in_the_next_check_read_on_the_other(two_apps, change):
    writer, reader, project_id = two_apps
    before, fresh, brief_before = _kept_and_fresh(reader, project_id)
    assert before == fresh
    assert _kept_and_fresh(reader, project_id)[0] == before  # read again: the kept result, unchanged

    _write(writer, project_id, change)

    after, fresh, brief_after = _kept_and_fresh(reader, project_id)
    assert after == fresh  # what the check of the stored data says now, not what it said before
    assert after != before
    assert sorted(brief_after) == sorted((f["code"], f["message_sv"]) for f in fresh["flags"])
    assert _kept_and_fresh(writer, project_id)[0] == fresh  # the writing instance agrees
