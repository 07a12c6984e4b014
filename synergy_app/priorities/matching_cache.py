"""Derived matching results kept between requests, keyed by what they derive from.

Flask-Caching on Redis when REDIS_URL is set (every worker and instance shares one computation),
otherwise in the process. The key holds the data version (data_version.py) and the weights, so a
write to priorities, areas or decisions, or other weights, simply asks for another key: nothing is
ever invalidated and nothing stale is ever served. Each process also keeps the last result it used
as a plain object, which spares it the unpickling on the next request of the same version.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from flask_caching import Cache

from ..derived_cache import derived_cache

T = TypeVar("T")

KEY_PREFIX = "synergy:priorities:matching:"
TIMEOUT_S = 24 * 3600  # a version nobody asks for any more leaves the shared cache by itself
PROCESS_ENTRIES = 8

_lock = threading.Lock()
_last: dict[int, tuple[str, object]] = {}  # id(app) -> (key, result): this process's latest


def init_app(app: Flask) -> None:
    derived_cache(app, KEY_PREFIX, process_entries=PROCESS_ENTRIES, timeout_s=TIMEOUT_S)


def _shared() -> Cache:
    app = current_app._get_current_object()  # noqa: SLF001 (the app itself, whose cache this is)
    return derived_cache(app, KEY_PREFIX, process_entries=PROCESS_ENTRIES, timeout_s=TIMEOUT_S)


def key_of(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _shared_get(key: str):
    try:
        return _shared().get(key)
    except Exception:  # noqa: BLE001 - the cache is a help, never a reason to fail a page
        current_app.logger.warning("matching cache unavailable; computing", exc_info=True)
        return None


def _shared_set(key: str, value: object) -> None:
    try:
        _shared().set(key, value)
    except Exception:  # noqa: BLE001
        current_app.logger.warning("matching cache unavailable; result not shared", exc_info=True)


def cached(key: str, compute: Callable[[], T]) -> T:
    """The result stored under `key`, computed (once per process at a time) when nobody has it yet."""
    app = current_app._get_current_object()
    mine = _last.get(id(app))
    if mine and mine[0] == key:
        return mine[1]  # type: ignore[return-value]
    with _lock:
        mine = _last.get(id(app))
        if mine and mine[0] == key:
            return mine[1]  # type: ignore[return-value]
        result = _shared_get(key)
        if result is None:
            result = compute()
            _shared_set(key, result)
        _last[id(app)] = (key, result)
        return result
