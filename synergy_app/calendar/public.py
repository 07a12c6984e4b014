"""What other capabilities may use from the call calendar (e.g. projects linking calls to a joint project)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from . import queries
from .alignment import AlignmentSettings, Flag, check_alignment
from .call_data import CallData
from .models import Call, CallTheme


def calls_for_choice(limit: int = 400) -> list[tuple[int, str]]:
    """(id, "Funder: title (opens – last deadline)") for calls not closed more than a year ago."""
    return queries.calls_for_choice(limit=limit)


def call_data_for_ids(ids: Iterable[int]) -> list[CallData]:
    """Stored calls as CallData in the order given; `extra["id"]` is the call's id. Unknown ids are left out."""
    return queries.call_data_for_ids(list(ids))


def alignment_for_ids(ids: Iterable[int], settings: AlignmentSettings | None = None) -> list[Flag]:
    """Alignment flags for calls meant to co-fund one project (each flag names the clashing dates and a shift)."""
    return check_alignment(queries.call_data_for_ids(list(ids)), settings or AlignmentSettings())


def open_calls_for_areas(area_ids: Iterable[int], horizon_days: int = 365) -> list[CallData]:
    """Calls on any of the given national areas that are open or open within `horizon_days`, by opening."""
    area_ids = list(area_ids)
    if not area_ids:
        return []
    today = queries.today_local()
    ids = list(db.session.scalars(
        select(Call.id).where(
            Call.archived.is_(False),
            Call.id.in_(select(CallTheme.call_id).where(CallTheme.area_id.in_(area_ids))),
            (Call.last_deadline_on.is_(None)) | (Call.last_deadline_on >= today),
            (Call.opens_on.is_(None)) | (Call.opens_on <= today + timedelta(days=horizon_days)),
        ).order_by(Call.opens_on, Call.id).limit(200)
    ))
    return queries.call_data_for_ids(ids)
