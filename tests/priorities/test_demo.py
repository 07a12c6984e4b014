"""The priorities demo: the demo planner's decisions on Hållbar industri, audited, idempotent, respected."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.auth.demo import seed_demo as seed_users
from synergy_app.extensions import db
from synergy_app.priorities.demo import AREA, DECISIONS, PLANNER, seed_demo
from synergy_app.priorities.models_decisions import MatchDecision
from synergy_app.priorities.public import regions_for_area


def _decisions() -> dict[str, str]:
    rows = db.session.scalars(select(MatchDecision).where(MatchDecision.area.has(slug=AREA)))
    return {d.priority.slug: (d.verdict, d.decided_by.email) for d in rows}


def test_demo_decisions_are_made_by_the_planner_through_the_audited_service(db_session):
    seed_users()
    summary = seed_demo()
    assert "4 decisions" in summary
    made = _decisions()
    assert {slug: v for slug, (v, _by) in made.items()} == {slug: v for slug, v, _note in DECISIONS}
    assert {by for _v, by in made.values()} == {PLANNER}
    verdicts = {v for _slug, v, _note in DECISIONS}
    assert verdicts == {"confirmed", "rejected", "added"}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("match.%"))).all()
    assert sorted(actions) == sorted(f"match.{v}" for _slug, v, _note in DECISIONS)


def test_demo_is_idempotent(db_session):
    seed_users()
    seed_demo()
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    assert "0 decisions" in seed_demo()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before
    assert db.session.scalar(select(func.count(MatchDecision.id))) == len(DECISIONS)


def test_demo_without_the_planner_changes_nothing(db_session):
    assert "skipped" in seed_demo()
    assert db.session.scalar(select(func.count(MatchDecision.id))) == 0


def test_rankings_respect_the_demo_decisions(db_session, client, make_user, login):
    seed_users()
    seed_demo()
    ranks = regions_for_area(AREA)
    slugs = [r["region_slug"] for r in ranks]
    # Confirmed and added matches first; the rejected pair is gone.
    assert set(slugs[:3]) == {"stockholm", "varmland", "ostergotland"}
    shown = {p["slug"] for r in ranks for p in r["priorities"]}
    assert "ostergotland-uppkopplade-system" in shown and "skane-livsmedel" not in shown
    login(make_user("reader"))
    html = client.get(f"/priorities/areas/{AREA}").get_data(as_text=True)
    assert re.findall(r'<li id="region-([a-z-]+)" class="card">', html)[:3] == slugs[:3]
    assert "Tillagd av handläggare" in html and "Bekräftad av handläggare" in html
