"""A funder's calendar feed fetched from a real local HTTP server: conditional GET, the ordinary import,
date history, one notice per moved call, and the refusals that keep fetching safe."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from synergy_app.calendar import feed_sync, queries, service
from synergy_app.calendar.call_notices import call_dates_changed
from synergy_app.calendar.feed_fetch import FeedFetchError, FetchLimits, address_refusal, fetch
from synergy_app.calendar.models import Call, CallDateChange
from synergy_app.calendar.models_feeds import FunderFeedSubscription
from synergy_app.db_types import utcnow
from synergy_app.errors import InputError
from synergy_app.extensions import db

from .feed_server import ics


@pytest.fixture
def notices():
    """Every call_dates_changed signal: (call id, moved fields, follower e-mails)."""
    seen: list[tuple[int, list[str], list[str]]] = []

    def receiver(call, changes, followers):
        seen.append((call.id, [c.field for c in changes], [u.email for u in followers]))

    call_dates_changed.connect(receiver)
    yield seen
    call_dates_changed.disconnect(receiver)


@contextmanager
def _no_private_flag(monkeypatch):
    monkeypatch.delenv("FEED_ALLOW_PRIVATE", raising=False)
    yield


def _vinnova():
    return queries.funder_by_slug("vinnova")


def _call(uid_stem: str) -> Call:
    return db.session.scalar(select(Call).where(Call.identity == f"uid:{uid_stem}@vinnova.se"))


def test_a_changed_feed_is_imported_once_and_the_follower_gets_one_notice(
        db_session, feed_server, allow_private, notices, make_user):
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    start = utcnow()

    first = feed_sync.refresh_subscribed_feeds(now=start)
    assert [(o.funder_slug, o.status) for o in first] == [("vinnova", "changed")]
    assert first[0].counts["create"] == 2
    a, b = _call("feedtest-a"), _call("feedtest-b")
    assert a is not None and b is not None
    follower = make_user("strategist", region="varmland")
    service.follow(a, follower)
    service.follow(b, follower)
    assert notices == []  # new calls moved no date

    # Not due yet: nothing is fetched.
    assert feed_sync.refresh_subscribed_feeds(now=start + timedelta(minutes=5)) == []
    assert len(feed_server.requests) == 1

    feed_server.change(ics("20270430T120000Z"))
    second = feed_sync.refresh_subscribed_feeds(now=start + timedelta(hours=2))
    assert second[0].status == "changed"
    assert (second[0].counts["update"], second[0].counts["unchanged"]) == (1, 1)
    assert feed_server.requests[1]["If-None-Match"] == '"v1"'
    assert feed_server.requests[1]["If-Modified-Since"] == "Mon, 01 Nov 2026 10:00:00 GMT"

    third = feed_sync.refresh_subscribed_feeds(now=start + timedelta(hours=4))
    assert third[0].status == "unchanged"
    assert feed_server.requests[2]["If-None-Match"] == '"v2"'

    assert notices == [(a.id, ["deadline:0"], [follower.email])]
    history = list(db.session.scalars(select(CallDateChange).where(CallDateChange.call_id == a.id)))
    assert [(h.field, h.old_value, h.new_value, h.source) for h in history] == [
        ("deadline:0", "2027-04-15T12:00:00+00:00", "2027-04-30T12:00:00+00:00", "feed")]
    assert db.session.scalar(select(func.count()).select_from(CallDateChange)
                             .where(CallDateChange.call_id == b.id)) == 0
    db.session.refresh(sub)
    assert sub.status == "unchanged" and sub.last_error is None
    assert sub.last_fetched_at == start + timedelta(hours=4)
    assert sub.last_changed_at == start + timedelta(hours=2)
    assert sub.claimed_at is None


def test_the_same_body_without_validators_is_not_imported_again(db_session, feed_server, allow_private, notices):
    feed_server.validators = False
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    assert feed_sync.refresh_subscription(sub.id).status == "changed"
    again = feed_sync.refresh_subscription(sub.id)
    assert again.status == "unchanged" and again.counts is None
    assert "If-None-Match" not in feed_server.requests[1]
    assert notices == []


def test_a_loopback_feed_without_the_allow_flag_is_refused_with_a_clear_message(
        db_session, feed_server, monkeypatch):
    with _no_private_flag(monkeypatch):
        with pytest.raises(InputError) as refused:
            feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
        assert refused.value.first.field == "url"
        assert "127.0.0.1" in refused.value.first.message_en
        assert "internal address (loopback)" in refused.value.first.message_en
        assert "intern adress" in refused.value.first.message_sv
        assert feed_sync.subscription_for(_vinnova()) is None

        # A subscription saved while the flag was set is refused at fetch time, with the status kept.
        sub = FunderFeedSubscription(funder_id=_vinnova().id, url=f"{feed_server.base}/feed.ics", status="new")
        db.session.add(sub)
        db.session.flush()
        outcome = feed_sync.refresh_subscription(sub.id)
    assert outcome.status == "error"
    assert "loopback" in outcome.error_en
    assert feed_server.requests == []
    db.session.refresh(sub)
    assert sub.status == "error" and "public addresses" in sub.last_error and sub.last_fetched_at is not None


def test_a_redirect_to_a_link_local_address_is_refused(db_session, feed_server, allow_private):
    feed_server.redirect_to = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(FeedFetchError) as refused:
        fetch(f"{feed_server.base}/redirect", allow_private=True)
    assert refused.value.code == "address"
    assert "169.254.169.254" in refused.value.message_en and "link-local" in refused.value.message_en


def test_a_redirect_is_resolved_again(db_session, feed_server, monkeypatch):
    """Each hop's host name is looked up afresh and refused when it points inside."""
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        answers = {"calendar.funder.test": "10.1.2.3", "metadata.funder.test": "169.254.169.254"}
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FeedFetchError) as refused:
        fetch("http://calendar.funder.test/feed.ics", allow_private=False)
    assert "10.1.2.3" in refused.value.message_en and "(private)" in refused.value.message_en
    feed_server.redirect_to = "http://metadata.funder.test/latest/"
    with pytest.raises(FeedFetchError) as redirected:
        fetch(f"{feed_server.base}/redirect", allow_private=True)
    assert redirected.value.code == "address" and "169.254.169.254" in redirected.value.message_en


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"), ("10.0.0.1", "private"), ("192.168.1.10", "private"), ("169.254.169.254", "link-local"),
    ("::1", "loopback"), ("fe80::1", "link-local"), ("fd00::1", "private"), ("::ffff:127.0.0.1", "loopback"),
    ("224.0.0.1", "multicast"), ("::", "unspecified"), ("100.64.0.1", "private"),
])
def test_internal_addresses_are_refused(address, reason):
    import ipaddress

    assert address_refusal(ipaddress.ip_address(address), allow_private=False) == reason


def test_public_addresses_are_allowed_and_the_flag_allows_private_but_never_link_local():
    import ipaddress

    assert address_refusal(ipaddress.ip_address("93.184.216.34"), allow_private=False) is None
    assert address_refusal(ipaddress.ip_address("2606:2800:220:1::1"), allow_private=False) is None
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), allow_private=True) is None
    assert address_refusal(ipaddress.ip_address("10.0.0.1"), allow_private=True) is None
    assert address_refusal(ipaddress.ip_address("169.254.169.254"), allow_private=True) == "link-local"


@pytest.mark.parametrize("url, field_text", [
    ("ftp://example.org/feed.ics", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("https://user:secret@example.org/feed.ics", "user name or password"),
    ("", "Give the feed's address"),
    ("https://" + "a" * 2000 + ".se/", "longer than 2000"),
])
def test_bad_urls_name_the_field(db_session, url, field_text, allow_private):
    with pytest.raises(InputError) as refused:
        feed_sync.subscribe(_vinnova(), url, actor="test")
    assert refused.value.first.field == "url"
    assert field_text in refused.value.first.message_en


def test_a_body_over_the_size_limit_is_refused_with_a_clear_status(db_session, feed_server, allow_private,
                                                                   monkeypatch):
    monkeypatch.setenv("FEED_MAX_BYTES", "500")  # the feed is about 700 bytes
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    outcome = feed_sync.refresh_subscription(sub.id)
    assert outcome.status == "error"
    assert outcome.error_en == "The feed is larger than 500 bytes and is not fetched."
    db.session.refresh(sub)
    assert sub.status == "error" and "larger than" in sub.last_error and "större än" in sub.last_error_sv
    assert _call("feedtest-a") is None
    # Without Content-Length the limit holds while reading.
    with pytest.raises(FeedFetchError) as refused:
        fetch(f"{feed_server.base}/unbounded", allow_private=True, limits=FetchLimits(max_bytes=50_000))
    assert refused.value.code == "size"


def test_a_malformed_feed_leaves_calls_unchanged_and_records_the_error(db_session, feed_server, allow_private,
                                                                      notices):
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    start = utcnow()
    assert feed_sync.refresh_subscription(sub.id, now=start).status == "changed"
    a = _call("feedtest-a")
    revision = a.revision
    # One good change and one broken event: all or nothing, so the good change is not saved either.
    broken = ics("20270430T120000Z", deadline_b="2027-05-20 noon")
    feed_server.change(broken)
    outcome = feed_sync.refresh_subscription(sub.id, now=start + timedelta(hours=1))
    assert outcome.status == "error"
    assert "no calls were changed" in outcome.error_en and "DTSTART" in outcome.error_en
    db.session.expire_all()
    a = _call("feedtest-a")
    assert a.revision == revision and a.last_deadline_on.isoformat() == "2027-04-15"
    assert notices == []
    sub = db.session.get(FunderFeedSubscription, sub.id)
    assert sub.status == "error" and sub.last_error_sv.startswith("Flödet importerades inte")
    assert sub.last_changed_at == start
    # The validators of the last good import stay, so the broken file is fetched again next time.
    assert sub.etag == '"v1"'
    # Once the funder fixes the feed, the change comes in and the error is cleared.
    feed_server.change(ics("20270430T120000Z"))
    assert feed_sync.refresh_subscription(sub.id, now=start + timedelta(hours=2)).status == "changed"
    db.session.refresh(sub)
    assert sub.status == "changed" and sub.last_error is None
    assert [n[1] for n in notices] == [["deadline:0"]]


def test_a_feed_that_another_process_is_fetching_is_left_alone(db_session, feed_server, allow_private):
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    sub.claimed_at = utcnow()
    db.session.commit()
    assert feed_sync.refresh_subscription(sub.id).status == "busy"
    assert feed_server.requests == []
    # A claim older than the lease is a fetch that died: taken over.
    sub.claimed_at = utcnow() - feed_sync.CLAIM_LEASE - timedelta(seconds=1)
    db.session.commit()
    assert feed_sync.refresh_subscription(sub.id).status == "changed"


def test_changing_the_url_starts_afresh_and_unsubscribing_keeps_the_calls(db_session, feed_server, allow_private):
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    feed_sync.refresh_subscription(sub.id)
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/other.ics", actor="test")
    assert (sub.etag, sub.content_sha256, sub.status) == (None, None, "new")
    assert db.session.scalar(select(func.count()).select_from(FunderFeedSubscription)) == 1
    feed_sync.unsubscribe(_vinnova(), actor="test")
    assert feed_sync.subscription_for(_vinnova()) is None
    assert _call("feedtest-a") is not None


def test_cli_refresh_runs_one_pass(app, db_session, feed_server, allow_private):
    from synergy_app.calendar.cli_feeds import feeds

    runner = app.test_cli_runner()
    empty = runner.invoke(feeds, ["refresh"])
    assert empty.exit_code == 0 and "No feed is due." in empty.output
    feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    result = runner.invoke(feeds, ["refresh"])
    assert result.exit_code == 0, result.output
    assert "vinnova: changed (create 2)" in result.output
    feed_server.change(b"not a calendar")
    db.session.execute(FunderFeedSubscription.__table__.update().values(last_fetched_at=None))
    failed = runner.invoke(feeds, ["refresh"])
    assert failed.exit_code == 1
    assert "vinnova: error: The feed was not imported" in failed.output


def test_https_connects_to_the_checked_address_and_checks_the_certificate_name(tls_feed_server):
    import ssl

    state, cert = tls_feed_server
    trusted = ssl.create_default_context(cafile=str(cert))
    result = fetch(f"{state.base}/feed.ics", allow_private=True, tls=trusted)
    assert (result.status, result.body, result.etag) == (200, state.body, '"v1"')
    assert state.requests[0]["Host"] == state.base.removeprefix("https://")
    # The system's trust store does not know this certificate.
    with pytest.raises(FeedFetchError) as untrusted:
        fetch(f"{state.base}/feed.ics", allow_private=True)
    assert untrusted.value.code == "tls"
    # The certificate names "localhost", not the bare address.
    with pytest.raises(FeedFetchError) as mismatch:
        fetch(state.base.replace("localhost", "127.0.0.1") + "/feed.ics", allow_private=True, tls=trusted)
    assert mismatch.value.code == "tls"


def test_an_unexpected_failure_is_recorded_and_releases_the_feed(db_session, feed_server, allow_private,
                                                                 monkeypatch):
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "import_file", broken)
    outcome = feed_sync.refresh_subscription(sub.id)
    assert outcome.status == "error" and "unexpected" in outcome.error_en
    sub = db.session.get(FunderFeedSubscription, sub.id)
    assert sub.status == "error" and sub.claimed_at is None


def test_a_second_periodic_pass_over_a_feed_just_fetched_leaves_it_alone(db_session, feed_server, allow_private):
    """Two workers that both found the feed due: the one that comes second does not fetch it again."""
    sub = feed_sync.subscribe(_vinnova(), f"{feed_server.base}/feed.ics", actor="test")
    start = utcnow()
    assert feed_sync.refresh_subscription(sub.id, now=start, only_if_due=True).status == "changed"
    late = feed_sync.refresh_subscription(sub.id, now=start + timedelta(seconds=1), only_if_due=True)
    assert late.status == "busy"
    assert len(feed_server.requests) == 1
    # "Fetch now" is not bound to the schedule.
    assert feed_sync.refresh_subscription(sub.id, now=start + timedelta(seconds=2)).status == "unchanged"
    assert len(feed_server.requests) == 2
