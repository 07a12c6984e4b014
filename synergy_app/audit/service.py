"""Recording audit entries; called by every service function that writes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user

from ..extensions import db
from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field changes between two plain snapshots, as {field: {"from": a, "to": b}}."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes[key] = {"from": _jsonable(before.get(key)), "to": _jsonable(after.get(key))}
    return changes


def record(action: str, obj: Any = None, *, object_type: str | None = None, object_id: Any = None,
           summary: str = "", changes: Mapping | None = None, actor=None) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if object_type is None and obj is not None:
        object_type = getattr(obj, "__tablename__", type(obj).__name__)
    if object_id is None and obj is not None:
        object_id = getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system"),
        action=action,
        object_type=object_type or "-",
        object_id=None if object_id is None else str(object_id),
        summary=summary,
        changes=_jsonable(dict(changes)) if changes else None,
    )
    db.session.add(entry)
    return entry


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work: commit when the block succeeds, roll everything back when it raises."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
