"""ICS feeds (public and personal), CSV/XLSX export and the JSON API."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from synergy_app.calendar import service
from synergy_app.calendar.call_data import Deadline


def _events(body: bytes):
    cal = Calendar.from_ical(body)
    return cal, list(cal.walk("VEVENT"))


def test_public_feed_validates_and_keeps_uids_stable(client, new_call):
    new_call("ICS-1")
    new_call("ICS-2", funder="tillvaxtverket", title="Annan finansiär",
             deadlines=(Deadline("", date(2027, 4, 20)),))
    first = client.get("/calendar/calls.ics?q=ics-")
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    body = first.data
    assert b"\r\n" in body and b"METHOD:" not in body
    cal, events = _events(body)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert {"DTSTAMP", "UID", "DTSTART"} <= set(events[0].keys())
    # Timed events carry a real VTIMEZONE; all-day events are dates.
    assert any(c.name == "VTIMEZONE" for c in cal.walk("VTIMEZONE"))
    assert any(not hasattr(e["DTSTART"].dt, "hour") for e in events)
    uids = sorted(str(e["UID"]) for e in events)
    assert len(uids) == len(set(uids))
    again = sorted(str(e["UID"]) for e in _events(client.get("/calendar/calls.ics?q=ics-").data)[1])
    assert uids == again


def test_public_feed_filters_and_sequence_rises_on_change(client, new_call):
    from .conftest import make_data

    new_call("SEQ-1")
    new_call("SEQ-2", funder="tillvaxtverket")
    _, events = _events(client.get("/calendar/calls.ics?funder=tillvaxtverket&q=seq-").data)
    assert events and all("SEQ-2" in str(e["SUMMARY"]) for e in events)
    service.save_call(make_data("SEQ-1", decision_on=date(2027, 6, 30)), actor="test")
    _, events = _events(client.get("/calendar/calls.ics?funder=vinnova&q=seq-").data)
    assert {int(e["SEQUENCE"]) for e in events} == {1}


def test_personal_feed_at_secret_url(client, make_user, login, new_call):
    followed = new_call("PF-1", title="Bevakad utlysning")
    new_call("PF-2", title="Inte bevakad")
    user = login(make_user("strategist", region="ostergotland"))
    client.post(f"/calendar/calls/{followed.id}/follow")
    page = client.post("/calendar/feed").get_data(as_text=True)
    assert "webcal://" in page and "Google" in page
    url = re.search(r'value="(https?://[^"]+/calendar/feed/[^"]+\.ics)"', page).group(1)
    path = url.split("localhost", 1)[1]
    client.post("/logout")
    response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Bevakad utlysning" in text and "Inte bevakad" not in text
    Calendar.from_ical(response.data)
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    # A new link revokes the old one.
    login(user)
    client.post("/calendar/feed")
    client.post("/logout")
    assert client.get(path).status_code == 404


@pytest.fixture
def reader_headers(make_user, api_token):
    return api_token(make_user("reader"))


def test_csv_and_xlsx_export_of_filtered_list(client, make_user, login, new_call):
    new_call("EX-1", title="Export ett")
    new_call("EX-2", funder="tillvaxtverket", title="Export två")
    login(make_user("reader"))
    csv_text = client.get("/calendar/export.csv?funder=vinnova&q=export").data.decode("utf-8-sig")
    assert "Export ett" in csv_text and "Export två" not in csv_text
    wb = load_workbook(io.BytesIO(client.get("/calendar/export.xlsx?q=export").data))
    titles = [row[3].value for row in wb.worksheets[0].iter_rows(min_row=2)]
    assert set(titles) == {"Export ett", "Export två"}


def test_api_list_filters_and_detail(client, reader_headers, new_call):
    a = new_call("API-1", title="Api ett")
    new_call("API-2", funder="tillvaxtverket", title="Api två", themes=("advanced_manufacturing",))
    body = client.get("/api/v1/calls?funder=vinnova&q=api", headers=reader_headers).get_json()
    assert [c["title"] for c in body["calls"]] == ["Api ett"] and body["total"] == 1
    body = client.get("/api/v1/calls?theme=advanced_manufacturing&q=api", headers=reader_headers).get_json()
    assert [c["title"] for c in body["calls"]] == ["Api två"]
    detail = client.get(f"/api/v1/calls/{a.id}", headers=reader_headers).get_json()
    assert detail["identity"] == "ref:vinnova:API-1" and detail["regions"] == ["varmland"]
    assert detail["deadlines"][0]["at"].startswith("2027-04-15T12:00")
    bad = client.get("/api/v1/calls?status=sleeping", headers=reader_headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "status"
    assert client.get("/api/v1/calls/999999", headers=reader_headers).status_code == 404
    assert client.get("/api/v1/calls").status_code == 401


def test_api_alignment(client, reader_headers, new_call):
    a = new_call("AL-1", decision_on=date(2027, 6, 10), latest_start=date(2027, 9, 1))
    b = new_call("AL-2", funder="tillvaxtverket", opens_on=date(2027, 5, 1),
                 deadlines=(Deadline("", date(2027, 7, 15)),), decision_on=date(2027, 11, 20),
                 earliest_start=date(2027, 12, 1), latest_start=date(2028, 3, 1))
    response = client.post("/api/v1/calls/alignment", json={"call_ids": [a.id, b.id]}, headers=reader_headers)
    assert response.status_code == 200
    flags = response.get_json()["flags"]
    codes = {f["code"] for f in flags}
    assert {"decision_after_latest_start", "deadline_in_july"} <= codes
    late = next(f for f in flags if f["code"] == "decision_after_latest_start")
    assert late["shift"]["days"] != 0 and late["dates"]
    bad = client.post("/api/v1/calls/alignment", json={"call_ids": "1,2"}, headers=reader_headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "call_ids"
    missing = client.post("/api/v1/calls/alignment", json={"call_ids": [a.id, 999999]}, headers=reader_headers)
    assert missing.status_code == 404


def test_public_functions(new_call):
    from synergy_app.calendar import public

    a = new_call("PUB-1", decision_on=date(2027, 6, 10), latest_start=date(2027, 9, 1))
    b = new_call("PUB-2", funder="tillvaxtverket", decision_on=date(2027, 11, 20), latest_start=date(2028, 3, 1))
    assert [c.reference for c in public.call_data_for_ids([b.id, a.id])] == ["PUB-2", "PUB-1"]
    assert any(f.code == "decision_after_latest_start" for f in public.alignment_for_ids([a.id, b.id]))
    assert isinstance(public.calls_for_choice(), list)
