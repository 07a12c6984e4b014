"""The ranked national areas of presenting regions, computed once per version of the matching data.

A round page counts the agency warnings still to acknowledge, and those need every presenting
region's ranked areas: a full matching run (about 100 ms on national data) that gives the same
answer until a priority, an area or a confirmed match changes. The version below is read from the
database on every call (three aggregate queries), so a write on any instance is seen at once and a
cached answer is never stale; the cache lives in the process and holds one version only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select

from ..errors import NotFound
from ..extensions import db
from ..priorities.models import Area, Priority
from ..priorities.models_decisions import MatchDecision

_lock = threading.Lock()
_cached: dict = {"version": None, "ranks": {}}


def matching_version() -> tuple:
    """What the matching run depends on: priorities, areas and decisions (count, newest change), and weights."""
    def aggregate(model, changed):
        return tuple(db.session.execute(select(func.count(model.id), func.max(model.id), func.max(changed))).one())

    return (
        aggregate(Priority, Priority.updated_at),
        aggregate(Area, Area.updated_at),
        aggregate(MatchDecision, MatchDecision.decided_at),
        repr(current_app.config.get("MATCH_WEIGHTS") or current_app.config.get("PRIORITY_MATCH_WEIGHTS")),
        db.engine.url.render_as_string(hide_password=True),
    )


def region_area_ranks(region_slugs: Iterable[str]) -> dict[str, list[dict]]:
    """Region slug -> its ranked areas (best first); regions without priorities are left out."""
    from ..priorities.public import area_ranks, run  # the priorities capability's public matching functions

    wanted = sorted(set(region_slugs))
    version = matching_version()
    with _lock:
        if _cached["version"] != version:
            _cached["version"], _cached["ranks"] = version, {}
        known = dict(_cached["ranks"])
    missing = [slug for slug in wanted if slug not in known]
    if missing:
        run_ = run()
        for slug in missing:
            try:
                known[slug] = area_ranks(run_, slug)
            except NotFound:  # a region without priorities has no theme to compare
                known[slug] = None
        with _lock:
            if _cached["version"] == version:
                _cached["ranks"].update({slug: known[slug] for slug in missing})
    return {slug: known[slug] for slug in wanted if known[slug] is not None}
