"""What other capabilities may use from the taskforce's ruling log: plain dicts for the start page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Ruling, RulingRevision

WORKLIST_LIMIT = 20


def draft_rulings(limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Rulings not yet agreed, oldest first: {id, number, title, created_at, revised_at}."""
    rulings = db.session.scalars(
        select(Ruling).where(Ruling.status == "draft").options(selectinload(Ruling.current_revision))
        .order_by(Ruling.created_at, Ruling.id).limit(limit))
    return [{"id": r.id, "number": r.number, "title": r.current_revision.title if r.current_revision else r.number,
             "created_at": r.created_at,
             "revised_at": r.current_revision.created_at if r.current_revision else r.created_at}
            for r in rulings]


def rulings_revised_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Rulings with a revision since a moment (drafts included), latest first:
    {id, number, title, status, revision, revised_at, reason}."""
    rows = db.session.execute(
        select(Ruling, RulingRevision).join(RulingRevision, RulingRevision.ruling_id == Ruling.id)
        .where(RulingRevision.created_at >= since)
        .order_by(RulingRevision.created_at.desc(), RulingRevision.id.desc()).limit(limit * 3)).all()
    out, seen = [], set()
    for ruling, revision in rows:
        if ruling.id in seen:
            continue
        seen.add(ruling.id)
        out.append({"id": ruling.id, "number": ruling.number, "title": revision.title, "status": ruling.status,
                    "status_label": str(ruling.status_label), "revision": revision.number,
                    "revised_at": revision.created_at, "reason": revision.reason or ""})
        if len(out) >= limit:
            break
    return out


def agreed_rulings_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Rulings agreed since a moment, latest first: {id, number, title, agreed_at}."""
    rulings = db.session.scalars(
        select(Ruling).where(Ruling.status != "draft", Ruling.agreed_at >= since)
        .options(selectinload(Ruling.current_revision))
        .order_by(Ruling.agreed_at.desc(), Ruling.id.desc()).limit(limit))
    return [{"id": r.id, "number": r.number, "title": r.current_revision.title if r.current_revision else r.number,
             "agreed_at": r.agreed_at} for r in rulings]
