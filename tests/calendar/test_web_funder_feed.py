"""The funder page's calendar feed section: planners subscribe, see the status, fetch now and remove it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from synergy_app.calendar import feed_sync, queries
from synergy_app.calendar.models import Call
from synergy_app.extensions import db

PAGE = "/directory/organisations/vinnova"


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_planner_subscribes_fetches_now_and_sees_the_status(client, planner, feed_server, allow_private):
    page = _text(client.get(PAGE))
    assert "Finansiärens kalenderflöde" in page and "Ingen prenumeration" in page
    url = f"{feed_server.base}/feed.ics"
    response = client.post("/calendar/funders/vinnova/feed", data={"url": url})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{PAGE}#feed")
    page = _text(client.get(PAGE))
    assert url in page and "Inte hämtat ännu" in page and "Hämta nu" in page

    response = client.post("/calendar/funders/vinnova/feed/fetch", follow_redirects=True)
    page = _text(response)
    assert "Flödet är hämtat: Ändringar importerade." in page
    assert "Senast hämtat" in page and "Senast ändrat" in page
    sub = feed_sync.subscription_for(queries.funder_by_slug("vinnova"))
    assert sub.status == "changed" and sub.last_fetched_at is not None
    assert db.session.scalar(select(Call).where(Call.identity == "uid:feedtest-a@vinnova.se")) is not None

    feed_server.change(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    page = _text(client.post("/calendar/funders/vinnova/feed/fetch", follow_redirects=True))
    assert "Flödet kunde inte hämtas: Flödet importerades inte, inga utlysningar ändrades" in page
    assert "Senaste fel" in page and "DTSTART" in page

    english = _text(client.get(PAGE + "?lang=en"))
    assert "Funder's calendar feed" in english and "Last error" in english
    assert "The feed was not imported and no calls were changed" in english

    response = client.post("/calendar/funders/vinnova/feed/delete", follow_redirects=True)
    assert "The calendar feed is removed. Calls already imported stay." in _text(response)  # still English
    assert feed_sync.subscription_for(queries.funder_by_slug("vinnova")) is None


def test_a_loopback_url_without_the_flag_is_refused_on_the_form(client, planner, feed_server, monkeypatch):
    monkeypatch.delenv("FEED_ALLOW_PRIVATE", raising=False)
    url = f"{feed_server.base}/feed.ics"
    response = client.post("/calendar/funders/vinnova/feed", data={"url": url})
    assert response.status_code == 422
    page = _text(response)
    assert 'aria-invalid="true"' in page and f'value="{url}"' in page
    assert "pekar på 127.0.0.1, en intern adress (loopback)" in page
    assert feed_sync.subscription_for(queries.funder_by_slug("vinnova")) is None
    response = client.post("/calendar/funders/vinnova/feed?lang=en", data={"url": "ftp://example.org/x.ics"})
    assert response.status_code == 422
    assert "The address must start with http:// or https://." in _text(response)


def test_readers_see_the_status_but_cannot_change_the_feed(client, make_user, login, feed_server, allow_private):
    feed_sync.subscribe(queries.funder_by_slug("vinnova"), f"{feed_server.base}/feed.ics", actor="test")
    login(make_user("reader"))
    page = _text(client.get(PAGE))
    assert "Finansiärens kalenderflöde" in page and "Inte hämtat ännu" in page and "Hämta nu" not in page
    assert client.post("/calendar/funders/vinnova/feed", data={"url": "https://example.org/x.ics"}).status_code == 403
    assert client.post("/calendar/funders/vinnova/feed/fetch").status_code == 403
    assert client.post("/calendar/funders/vinnova/feed/delete").status_code == 403
    assert feed_server.requests == []


def test_organisations_that_are_not_funders_have_no_feed_section(client, planner):
    from synergy_app.directory.models import Organisation

    other = db.session.scalar(select(Organisation).where(Organisation.is_funder.is_(False)).limit(1))
    page = _text(client.get(f"/directory/organisations/{other.slug}"))
    assert "Finansiärens kalenderflöde" not in page
    assert client.get(f"/calendar/funders/{other.slug}/feed").status_code == 404
