"""Derived calendar pages kept by the calendar's data version: the year timeline's drawing and the month grid.

A year of every funder's calls takes a few hundred milliseconds to load, lay out and draw, and is the same for
every reader until a call changes. The drawing is kept under a key made of the calendar's version, the
filter, the period, the day and the language, in Redis when REDIS_URL is set (shared by every instance) and
in this process otherwise. The version is read from the database on each page (one cheap aggregate), so a
write through any instance makes the next page, on every instance, build afresh: never stale after a write.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_caching import Cache
from sqlalchemy import case, func, select

from ..derived_cache import derived_cache
from ..extensions import db
from .models import Call

T = TypeVar("T")

# Entries kept in process (without Redis); a key holds the day, so old ones fall out as days pass. A year of
# every funder's calls is about half a megabyte of drawing, so a few dozen at most.
LOCAL_ENTRIES = 48
# Kept at most this long (seconds): a new key takes over at every write, the old entry just expires.
TIMEOUT_S = 24 * 3600
_BUILDING = threading.Lock()


def _cache() -> Cache:
    app = current_app._get_current_object()  # noqa: SLF001 (the app itself, to keep our cache on it)
    return derived_cache(app, "synergy:calendar:", process_entries=LOCAL_ENTRIES, timeout_s=TIMEOUT_S)


def calendar_version() -> str:
    """Changes with every write to the calls: a new call (count, max id), a changed one (its revision goes up
    and its updated_at moves), an archived one (the archived count)."""
    row = db.session.execute(select(
        func.count(Call.id), func.max(Call.id), func.max(Call.updated_at), func.sum(Call.revision),
        func.sum(case((Call.archived.is_(True), 1), else_=0)),
    )).one()
    return "|".join(str(v) for v in row)


def key_for(kind: str, *parts: object) -> str:
    """A short key for the parts (the version first): hashed, since filters and names can be long."""
    raw = "\x1f".join(str(p) for p in parts)
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _kept(cache: Cache, key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (a cache failure must never fail the page)
        return None


def get_or_build(key: str, build: Callable[[], T]) -> T:
    """The kept value under `key`, or `build()` kept and returned. A cache that cannot be reached (Redis
    down) is passed by: the page is built, just not kept. The threads of one process build one at a time,
    so a burst of readers after a write builds the drawing once, not once per thread."""
    cache = _cache()
    value = _kept(cache, key)
    if value is not None:
        return value
    with _BUILDING:
        value = _kept(cache, key)
        if value is not None:
            return value
        value = build()
        _keep(cache, key, value)
    return value


def _keep(cache: Cache, key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:  # noqa: BLE001
        current_app.logger.warning("calendar view cache: could not keep %s", key)
