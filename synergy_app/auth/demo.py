"""Demo accounts, one per role (clearly demo: the domain is demo.synergy.invalid)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from . import service
from .models import User

DEMO_PASSWORD = "demo-synergi-2026"  # noqa: S105 - a published demo login, never used outside the demo

DEMO_USERS = (
    ("admin@demo.synergy.invalid", "admin", None, None, "Ada Admin"),
    ("planerare@demo.synergy.invalid", "planner", None, "vinnova", "Petra Planerare (Vinnova)"),
    ("planerare.tvv@demo.synergy.invalid", "planner", None, "tillvaxtverket", "Tove Planerare (Tillväxtverket)"),
    ("strateg.ostergotland@demo.synergy.invalid", "strategist", "ostergotland", None, "Stina Strateg (Östergötland)"),
    ("strateg.vastmanland@demo.synergy.invalid", "strategist", "vastmanland", None, "Vidar Strateg (Västmanland)"),
    ("taskforce@demo.synergy.invalid", "taskforce", None, None, "Tage Taskforce"),
    ("lasare@demo.synergy.invalid", "reader", None, None, "Lisa Läsare"),
)


def seed_demo() -> str:
    created = []
    for email, role, region, org_slug, name in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)):
            continue
        service.create_user(email, role, DEMO_PASSWORD, region_code=region, name=name, organisation=org_slug,
                            actor="seed")
        created.append(email)
    lines = [f"Demo logins (password: {DEMO_PASSWORD}):"]
    lines += [f"  {role:<11} {email}" for email, role, *_ in DEMO_USERS]
    return "\n".join(lines)
