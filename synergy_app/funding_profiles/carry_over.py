"""A budget line saved unchanged keeps its cost type.

The budget editor replaces every cost line when it saves (the old rows are deleted, new ones added),
and the database drops the cost types with the old rows. Within one session, a new line with the same
project, partner, aid category and amount as a line deleted before it takes over that line's cost type
(hours × rate still agree with an unchanged amount); a changed line loses its type and the
requirement matrix shows it as a line without a cost type."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from ..projects.models import CostLine
from .models import CostLineType

_KEY = "funding_profiles.deleted_cost_types"
_FIELDS = ("cost_type", "hours", "hourly_rate_ore", "annual_cost_ore", "subcontracting")


def _line_key(line: CostLine) -> tuple:
    return (line.project_id, line.partner_id, line.category, line.amount_ore)


def _before_delete(_mapper, connection, line: CostLine) -> None:
    # Orphaned lines are found during the flush, so the rows are read here, on the flush's connection.
    session = object_session(line)
    row = connection.execute(select(*[getattr(CostLineType, f) for f in _FIELDS])
                             .where(CostLineType.cost_line_id == line.id)).first()
    if session is None or row is None:
        return
    session.info.setdefault(_KEY, {}).setdefault(_line_key(line), []).append(dict(zip(_FIELDS, row, strict=True)))
    session.info.setdefault(_KEY + ".gone", []).append(line.id)


def _after_insert(_mapper, _connection, line: CostLine) -> None:
    session = object_session(line)
    if session is not None and session.info.get(_KEY):
        session.info.setdefault(_KEY + ".pending", []).append(line)


def _after_flush_postexec(session: Session, _context) -> None:
    for line_id in session.info.pop(_KEY + ".gone", []):
        # The database deleted the type with its line (ON DELETE CASCADE); forget any copy held here.
        stale = session.identity_map.get(identity_key(CostLineType, line_id))
        if stale is not None:
            session.expunge(stale)
    pending = session.info.pop(_KEY + ".pending", [])
    stash = session.info.get(_KEY, {})
    for line in sorted(pending, key=lambda obj: obj.position or 0):
        values = stash.get(_line_key(line))
        if values:
            session.add(CostLineType(cost_line_id=line.id, **values.pop(0)))


def _forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_KEY + ".pending", None)
    session.info.pop(_KEY + ".gone", None)


def register() -> None:
    if not event.contains(Session, "after_flush_postexec", _after_flush_postexec):
        event.listen(CostLine, "before_delete", _before_delete)
        event.listen(CostLine, "after_insert", _after_insert)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
        event.listen(Session, "after_commit", _forget)
        event.listen(Session, "after_rollback", _forget)
