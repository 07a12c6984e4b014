"""Demo decisions on Vinnova's area Hållbar industri, made by the demo planner through the service
(so each one is audited): two strong matches confirmed, a weak one rejected, and a link the engine
missed added by hand. Idempotent: a pair that already has the demo verdict is left alone."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from . import service
from .models import Area, Priority
from .models_decisions import MatchDecision

PLANNER = "planerare@demo.synergy.invalid"
AREA = "vinnova-hallbar-industri"

# (priority slug, verdict, note)
DECISIONS = (
    ("stockholm-hallbar-produktion", "confirmed",
     "Exempel: regionens prioritering för hållbar produktion svarar direkt mot området."),
    ("varmland-avancerad-tillverkning", "confirmed",
     "Exempel: Region Värmland validerade utlysningstexten i piloten Hållbar industri (Vinnova 2023, 3.3.1)."),
    ("skane-livsmedel", "rejected",
     "Exempel: livsmedel hör till andra nationella områden; likheten gäller bara ordet produktion."),
    ("ostergotland-uppkopplade-system", "added",
     "Exempel: industriell digitalisering; dialogen mellan Region Östergötland och Vinnova om Hållbar "
     "industri (Vinnova 2023, 3.1.1)."),
)


def seed_demo() -> str:
    planner = db.session.scalar(select(User).where(User.email == PLANNER))
    area = db.session.scalar(select(Area).where(Area.slug == AREA))
    if planner is None or area is None:
        return "Priorities demo: skipped (no demo planner or no area Hållbar industri)."
    slugs = [slug for slug, _verdict, _note in DECISIONS]
    priorities = {p.slug: p for p in db.session.scalars(select(Priority).where(Priority.slug.in_(slugs)))}
    existing = {d.priority_id: d.verdict for d in db.session.scalars(
        select(MatchDecision).where(MatchDecision.area_id == area.id))}
    made = 0
    for slug, verdict, note in DECISIONS:
        priority = priorities.get(slug)
        if priority is None or priority.archived or existing.get(priority.id) == verdict:
            continue
        service.decide(priority, area, verdict, planner, note)
        made += 1
    return f"Priorities demo: {made} decisions on Hållbar industri ({len(DECISIONS) - made} already in place)."
