"""Who a person can ask for access: the active administrators, named on the 403 page."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import User


def admin_contacts(limit: int = 3) -> list[dict]:
    """Active administrators, by name: [{name, email}] (at most `limit`)."""
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.active.is_(True), User.removed_at.is_(None))
        .order_by(User.name, User.email).limit(limit))
    return [{"name": a.name or a.email, "email": a.email} for a in admins]
