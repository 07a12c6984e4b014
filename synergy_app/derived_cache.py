"""One way to keep derived results (a project's check, the timeline's drawing, the matching scores): in
Redis when REDIS_URL is set, shared by every instance, otherwise in this process. Each capability keys its
entries by the version of the data they derive from, so an entry is never stale after a write: a write
makes a new key and the old entry expires by itself."""

from __future__ import annotations

import threading

from flask import Flask
from flask_caching import Cache

_BUILDING = threading.Lock()


def derived_cache(app: Flask, prefix: str, *, process_entries: int, timeout_s: int) -> Cache:
    """The app's cache under ``prefix`` (made once per app): Redis with REDIS_URL, else at most
    ``process_entries`` entries in this process."""
    name = f"derived_cache:{prefix}"
    cache = app.extensions.get(name)
    if cache is not None:
        return cache
    with _BUILDING:
        if name not in app.extensions:
            redis_url = app.config.get("REDIS_URL")
            config = ({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url} if redis_url
                      else {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": process_entries})
            config |= {"CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": timeout_s}
            cache = Cache(config=config)
            cache.init_app(app, config=config)
            app.extensions[name] = cache
        return app.extensions[name]
