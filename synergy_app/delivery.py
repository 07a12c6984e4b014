"""How answers travel: compressed on the wire, static files named by their content and cached for a year.

A planner on a laptop over a VPN pays for every byte and every round trip. Text answers (pages, JSON,
ICS, CSV, SVG) are compressed with brotli or gzip, whichever the browser prefers (Flask-Compress);
files that are compressed already (PDF, XLSX, PNG) are left as they are. Static files get their
content's hash in the URL (`app.css?v=3f2a…`), so a browser may keep them for a year and still fetches
the new file the moment it changes. Feeds, exports and API answers carry a weak ETag of their content,
so a calendar client or script that asks again gets a bodiless 304 when nothing changed.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

# Types worth compressing; everything else (PDF, XLSX, images) is compressed already or tiny.
COMPRESSED_TYPES = (
    "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/javascript",
    "application/javascript", "application/json", "application/xml", "image/svg+xml",
)
YEAR_S = 365 * 24 * 3600
# Answers a client polls or downloads again (calendar apps, scripts): worth a 304. HTML pages carry a
# fresh CSRF token each time, so an ETag would never match there.
CONDITIONAL_TYPES = frozenset({
    "text/calendar", "text/csv", "application/json", "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
})

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    app.config.setdefault("COMPRESS_MIN_SIZE", 512)
    # Quality 4 for brotli: most of the size gain at a small share of the highest level's CPU time.
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    # Registered before Compress, so it runs after it (Flask runs these in reverse): the weak ETag is
    # of the uncompressed body, which Compress leaves as it is and which holds for every encoding.
    app.after_request(_conditional)
    compress.init_app(app)

    static_root = Path(app.static_folder)

    @app.url_defaults
    def _static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = content_version(static_root / values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _static_cache(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        asked = request.args.get("v")
        if asked and asked == content_version(static_root / filename):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR_S
            response.cache_control.immutable = True
        else:
            # No version, or an old one: the browser asks again next time (and gets a 304 if unchanged).
            response.cache_control.no_cache = True
        return response


def content_version(path: Path) -> str | None:
    """The first 12 hex digits of the file's SHA-256, read once per file and modification time."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _hash(str(path), stat.st_mtime_ns, stat.st_size)


@cache
def _hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _conditional(response):
    if (request.method not in ("GET", "HEAD") or response.status_code != 200 or response.is_streamed
            or response.direct_passthrough or response.mimetype not in CONDITIONAL_TYPES):
        return response
    if response.get_etag()[0] is None:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32], weak=True)
    return response.make_conditional(request)
