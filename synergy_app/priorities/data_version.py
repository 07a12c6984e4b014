"""The version of everything matching derives from: priorities, areas and planners' decisions.

Priorities and areas are written by the priorities service (edits) and by the reference seed
(upserts and retirements), decisions by the service alone; every such write changes a row count,
the highest id, or a row's `updated_at` / `decided_at`. One statement reads all of them, so every
app instance on the database sees a write at its next request and never serves a stale result.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from ..extensions import db
from .models import Area, Priority
from .models_decisions import MatchDecision


def _stamp(model, changed_at):
    return (select(func.count(model.id)).scalar_subquery(), select(func.max(model.id)).scalar_subquery(),
            select(func.max(changed_at)).scalar_subquery())


def data_version() -> str:
    """A short fingerprint of the matching data now in the database (one query)."""
    row = db.session.execute(select(
        *_stamp(Priority, Priority.updated_at), *_stamp(Area, Area.updated_at),
        *_stamp(MatchDecision, MatchDecision.decided_at),
    )).one()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:20]
