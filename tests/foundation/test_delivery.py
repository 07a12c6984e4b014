"""Pages travel compressed; static files carry their content's hash and are cached for a year."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

STATIC = Path(__file__).resolve().parents[2] / "synergy_app" / "static"


def _logged_in_page(client, make_user, login, path="/calendar/"):
    login(make_user("planner"))
    return path


def test_pages_are_sent_with_brotli_when_the_browser_accepts_it(client, make_user, login):
    path = _logged_in_page(client, make_user, login)
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers.get("Vary", "")
    body = brotli.decompress(packed.data)
    # Same page, fewer bytes on the wire (the CSRF token and timestamps may differ between two answers).
    assert b"<html" in body and len(packed.data) < len(body) / 2


def test_gzip_for_a_browser_without_brotli(client, make_user, login):
    path = _logged_in_page(client, make_user, login)
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(packed.data)


def test_the_calls_feed_is_compressed_too(client, db_session):
    from synergy_app.calendar import service
    from tests.calendar.conftest import make_data

    for n in range(5):
        service.save_call(make_data(f"T-{n}", title=f"Utlysning nummer {n} om hållbar industri"), actor="test")
    ics = client.get("/calendar/calls.ics", headers={"Accept-Encoding": "gzip"})
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert ics.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(ics.data)
    assert body.startswith(b"BEGIN:VCALENDAR") and body.count(b"BEGIN:VEVENT") >= 5


def test_a_feed_asked_for_again_unchanged_answers_304_without_a_body(client, db_session):
    from synergy_app.calendar import service
    from tests.calendar.conftest import make_data

    service.save_call(make_data("T-1"), actor="test")
    first = client.get("/calendar/calls.ics", headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.startswith("W/")
    again = client.get("/calendar/calls.ics", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    # A change to the data gives a new body, a new ETag and a full answer.
    service.save_call(make_data("T-2"), actor="test")
    changed = client.get("/calendar/calls.ics", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"X-SYNERGY-REFERENCE:T-2" in brotli.decompress(changed.data)


def test_static_urls_carry_the_content_hash(client, make_user, login):
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]+))"', page)
    assert href, "the stylesheet link carries a version"
    expected = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert href.group(2) == expected


def test_a_versioned_static_file_is_cached_for_a_year(client):
    version = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    response = client.get(f"/static/css/app.css?v={version}")
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.max_age == 365 * 24 * 3600 and cache.public and cache.immutable


def test_an_old_or_missing_version_is_not_cached_for_long(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.no_cache and not response.cache_control.immutable
