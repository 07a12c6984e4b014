"""Pages kept for their reader until a table they were built from changes.

A page is built from what its SQL read. While a page is built, the tables its statements read are noted
(data_versions.recording); the finished page is kept with the version of each of those tables, under a key
of the reader (account, session, language), the address with its query, and the five minutes of the clock
it was built in. The next time the same reader asks for it, the versions are read again (one query): if
none of the tables changed, the kept page is the answer, and the view does not run. A write to any of them,
through any instance, renews its version in the same transaction, so a kept page is never served after a
change to what it shows; at most it is five minutes behind the clock (a round that started a minute ago).
A page that follows the clock closer says how far it may be behind (``follows_clock``): the chair's running
order, whose timer counts seconds, is kept for one second, so many asking at once share one build.

Kept pages carry a weak ETag of their body and ``Cache-Control: private, no-cache``: a browser going back
or reloading asks with If-None-Match and gets a bodiless 304 while nothing changed. With REDIS_URL the
pages are kept in Redis (shared by every instance), otherwise in this process.

Only what is safe to repeat is kept: a GET answered 200 with HTML, for a request with no message waiting
to be shown (flash), whose building did not change what the session holds. A create form's one-time token
(submissions.py) is put in afresh each time a kept page is shown, so a form is never shown with a used one.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import brotli
from flask import Flask, current_app, g, request, session
from flask_caching import Cache
from flask_login import current_user

from . import clock, data_versions
from .derived_cache import derived_cache
from .security import SESSIONLESS_ENDPOINTS
from .submissions import fresh_tokens, tokens_as_placeholders

log = logging.getLogger(__name__)

BUCKET_S = 300  # a kept page is at most this far behind the clock
TIMEOUT_S = 600
PROCESS_ENTRIES = 300
KEY_PREFIX = "synergy:page:"
BUILD_WAIT_S = 30  # a thread waits at most this long for another building the same page, then builds it
_BUILD_LOCKS = tuple(threading.Lock() for _ in range(64))  # striped by key: bounded, rarely shared
_CLOCK_BUCKET = "_synergy_page_clock_seconds"
# Response headers kept with a page: the rest are added afresh to every answer (security, compression).
_KEPT_HEADERS = ("Content-Language",)
TOKEN_PLACEHOLDER = b"\x1esubmission-token\x1e"  # never in a page: a control character
_ROOT = Path(__file__).resolve().parent


def follows_clock(seconds: int) -> Callable[[Callable], Callable]:
    """Mark a view whose page follows the clock closer than five minutes: it is kept for at most `seconds`
    of the clock (the same `seconds` for everyone, so a page is never further behind than that)."""
    def mark(view: Callable) -> Callable:
        setattr(view, _CLOCK_BUCKET, seconds)
        return view
    return mark


def init_app(app: Flask) -> None:
    """Register after every other before_request hook (sessions, limits) and after Compress, so a kept
    page is looked up once the session is checked and kept before it is compressed."""
    with app.app_context():
        from .extensions import db
        data_versions.init_engine(db.engine)
    app.before_request(_serve_kept)
    app.after_request(_keep)
    app.teardown_request(_stop_recording)


def _cache(app: Flask) -> Cache:
    return derived_cache(app, KEY_PREFIX, process_entries=PROCESS_ENTRIES, timeout_s=TIMEOUT_S)


@functools.cache
def build_fingerprint() -> str:
    """The code and templates this process renders with: a deploy never reads a page an older one kept."""
    digest = hashlib.sha256()
    for root in (_ROOT, _ROOT.parent / "templates"):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".mo", ".yaml", ".json", ".csv"):
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _eligible() -> bool:
    if not current_app.config["PAGE_CACHE"]:
        return False
    if request.method not in ("GET", "HEAD") or request.path.startswith("/api/"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or request.endpoint in SESSIONLESS_ENDPOINTS:
        return False
    return "_flashes" not in session


def _clock_seconds() -> int:
    return getattr(current_app.view_functions[request.endpoint], _CLOCK_BUCKET, BUCKET_S)


def _reader() -> str:
    """Who the page is for, without reading the account: the session's account (its id and session version),
    once the session check found the session live for it; else "-". A password change, a deactivation or a
    new language setting writes ``users``, which every kept page depends on, so a page kept for an account
    as it was is never served after such a change."""
    account = str(session.get("_user_id") or "")
    live = g.get("session_user_id")
    return account if live is not None and account.split(":")[0] == str(live) else "-"


def _key(seconds: int) -> str:
    csrf = hashlib.sha256(str(session.get("csrf_token", "")).encode()).hexdigest()[:16]
    bucket = f"{seconds}:{int(clock.utcnow().timestamp()) // seconds}"
    # The page's language follows from the address (?lang=), the session's choice and the account's setting
    # (i18n.select_locale): the first two are in the key, the last is in ``users``.
    raw = "\x1f".join((build_fingerprint(), _reader(), csrf, str(session.get("lang", "")), request.full_path,
                        bucket))
    return hashlib.sha256(raw.encode()).hexdigest()


def _serve_kept():
    # Where one application context spans several requests (a test, a CLI), nothing of the last one's answer
    # carries over.
    g.page_key, g.page_served_kept = None, False
    if not _eligible():
        return None
    seconds = _clock_seconds()
    key = _key(seconds)
    cache = _cache(current_app)
    versions = data_versions.current_versions()
    entry = _kept(cache, key)
    if _current(entry, versions):
        return _answer(entry)
    # One thread of this process builds a page at a time; the others asking for it meanwhile wait and take
    # what it kept, instead of all building it at once after a change.
    lock = _BUILD_LOCKS[int(key[:8], 16) % len(_BUILD_LOCKS)]
    if not lock.acquire(blocking=False):
        if not lock.acquire(timeout=BUILD_WAIT_S):
            lock = None
        versions = data_versions.current_versions()
        entry = _kept(cache, key)
        if _current(entry, versions):
            if lock is not None:
                lock.release()
            return _answer(entry)
    g.page_lock = lock
    g.page_key, g.page_versions = key, versions
    g.page_seconds = seconds
    # What the session holds once the reader is loaded (Flask-Login may mark it non-fresh, a write of the same
    # value each time a client on another address sends its old cookie): only a change the page's own
    # building makes keeps it from being kept.
    current_user._get_current_object()  # noqa: SLF001 (load the account now, as the page would)
    g.page_session = dict(session)
    # Built afresh: note every table the page reads from here on.
    g.page_tables, g.page_recording = data_versions.start_recording()
    return None


def _kept(cache: Cache, key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (an unreachable cache must never fail the page)
        log.warning("page cache unreachable", exc_info=True)
        return None


def _current(entry: dict | None, versions: dict[str, str]) -> bool:
    return entry is not None and all(versions.get(table) == version for table, version in entry["depends"].items())


def _answer(entry: dict):
    """The kept page, compressed as it was kept when the browser takes that encoding. A page with one-time
    form tokens gets new ones each time: compressed afresh, and without an ETag (it is never the same)."""
    g.page_served_kept = True
    encoding = None if entry["tokens"] else request.accept_encodings.best_match(tuple(entry["encoded"]))
    body = (fresh_tokens(entry["body"], TOKEN_PLACEHOLDER) if entry["tokens"]
            else entry["encoded"][encoding] if encoding else entry["body"])
    response = current_app.response_class(body, status=200, mimetype=entry["mimetype"])
    response.headers.extend(entry["headers"])
    if entry["tokens"]:
        return _uncached_by_browser(response)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return _conditional(response, entry["etag"])


def _keep(response):
    key = g.get("page_key")
    if key is None or g.get("page_served_kept"):
        return response
    tables = g.get("page_tables")
    _stop_recording()
    if (tables is None or response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed
            or response.direct_passthrough or dict(session) != g.page_session or "Set-Cookie" in response.headers):
        return response
    body, tokens = tokens_as_placeholders(response.get_data(), TOKEN_PLACEHOLDER)
    etag = hashlib.sha256(body).hexdigest()[:32]
    versions = g.page_versions
    # The reader's own row and a schema change are always among what the page depends on.
    depends = {table: versions.get(table) for table in (tables | {"users", data_versions.EVERYTHING})}
    entry = {"body": body, "mimetype": response.mimetype, "etag": etag, "depends": depends,
             "tokens": tokens, "encoded": {} if tokens else _encoded(body),
             "headers": [(name, response.headers[name]) for name in _KEPT_HEADERS if name in response.headers]}
    try:
        # A page that follows the clock is gone once its seconds are past, so it never crowds out the others.
        seconds = g.page_seconds
        _cache(current_app).set(key, entry, timeout=TIMEOUT_S if seconds == BUCKET_S else seconds + 1)
    except Exception:  # noqa: BLE001
        log.warning("page cache unreachable", exc_info=True)
    _release_build()
    return _uncached_by_browser(response) if tokens else _conditional(response, etag)


def _encoded(body: bytes) -> dict[str, bytes]:
    """The body compressed once, as Flask-Compress would (same levels), so a kept page is not compressed again
    on every answer."""
    config = current_app.config
    if len(body) < config["COMPRESS_MIN_SIZE"]:
        return {}
    return {"br": brotli.compress(body, quality=config["COMPRESS_BR_LEVEL"]),
            "gzip": gzip.compress(body, compresslevel=config["COMPRESS_LEVEL"])}


def _conditional(response, etag: str):
    response.set_etag(etag, weak=True)
    return _uncached_by_browser(response).make_conditional(request)


def _uncached_by_browser(response):
    """Private to the reader, and asked for again each time (a 304 when it has an ETag and nothing changed)."""
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response


def _stop_recording(_exc=None) -> None:
    recording = g.pop("page_recording", None)
    if recording is not None:
        data_versions.stop_recording(recording)
    _release_build()


def _release_build() -> None:
    lock = g.pop("page_lock", None)
    if lock is not None:
        lock.release()
