"""Found by walking the calendar in a browser: the list and the theme filter showed theme slugs instead of
names, and snabbdialog meetings on the timeline linked to PUBLIC_BASE_URL (another host) instead of this one."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from flask_babel import refresh


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_list_and_theme_filter_show_theme_names(client, planner, new_call):
    new_call("QA-T", themes=("vinnova-hallbar-industri", "advanced_manufacturing"))
    page = _text(client.get("/calendar/"))
    assert '<td class="themes" data-label="Teman">Avancerad tillverkning, Hållbar industri</td>' in page
    assert "vinnova-hallbar-industri</td>" not in page
    assert '<option value="vinnova-hallbar-industri">Hållbar industri</option>' in page
    assert '<option value="advanced_manufacturing">Avancerad tillverkning</option>' in page
    refresh()  # the tests share one app context, where Flask-Babel keeps the first request's locale
    english = _text(client.get("/calendar/?lang=en"))
    assert '<option value="advanced_manufacturing">Advanced manufacturing systems</option>' in english
    # The filter still works by slug.
    filtered = _text(client.get("/calendar/?theme=advanced_manufacturing"))
    assert '<option value="advanced_manufacturing" selected>' in filtered and "Testutlysning QA-T" in filtered


def test_a_call_page_names_its_national_area_in_the_pages_language(client, planner, new_call):
    call = new_call("QA-A", themes=("vinnova-hallbar-industri",))
    refresh()
    english = _text(client.get(f"/calendar/calls/{call.id}?lang=en"))
    assert "Sustainable industry <span class=\"kind\">(national area)</span>" in english
    assert "Hållbar industri <span" not in english


def test_dialogue_meetings_link_to_this_host(client, planner, monkeypatch):
    from synergy_app.dialogues import public as dialogues_public

    meeting = {"uid": "round-7@test", "summary": "Snabbdialog: QA-runda",
               "start": datetime(2027, 3, 9, 8, 0, tzinfo=UTC), "end": datetime(2027, 3, 9, 9, 0, tzinfo=UTC),
               "url": "http://127.0.0.1:5000/dialogues/7", "sequence": 0, "location": None, "cancelled": False}
    monkeypatch.setattr(dialogues_public, "calendar_entries_between",
                        lambda start, end: [meeting] if start <= meeting["start"] < end else [])
    for path in ("/calendar/timeline?zoom=quarter&at=2027-03-01", "/calendar/month?at=2027-03-01"):
        page = _text(client.get(path))
        assert 'href="/dialogues/7"' in page, path
        assert "127.0.0.1:5000" not in page, path
