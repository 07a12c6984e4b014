"""Calendar pages: list filters, timeline, month, call page, date moves, coordination, permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from synergy_app.calendar import queries, service
from synergy_app.calendar.call_data import Deadline

from .conftest import make_data


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))


def test_list_filters_by_funder_theme_region_status_and_dates(client, planner, new_call):
    a = new_call("L-1", title="Alfa industri")
    new_call("L-2", funder="tillvaxtverket", title="Beta ERUF", themes=("advanced_manufacturing",),
             regions=("norrbotten",), opens_on=date(2028, 2, 1), deadlines=(Deadline("", date(2028, 4, 1)),),
             decision_on=None, earliest_start=None, latest_start=None)
    page = client.get("/calendar/?funder=vinnova&q=alfa").get_data(as_text=True)
    assert "Alfa industri" in page and "Beta ERUF" not in page
    page = client.get("/calendar/?theme=advanced_manufacturing&q=e").get_data(as_text=True)
    assert "Beta ERUF" in page and "Alfa industri" not in page
    page = client.get("/calendar/?region=norrbotten&q=a").get_data(as_text=True)
    assert "Beta ERUF" in page and "Alfa industri" not in page
    page = client.get("/calendar/?from=2028-01-01&to=2028-12-31&q=a").get_data(as_text=True)
    assert "Beta ERUF" in page and "Alfa industri" not in page
    assert f'/calendar/calls/{a.id}' in client.get("/calendar/?q=alfa").get_data(as_text=True)


def test_bad_filter_names_the_field(client, planner):
    response = client.get("/calendar/?from=2027-13-01")
    assert response.status_code == 400
    assert "from" in response.get_data(as_text=True) or "datum" in response.get_data(as_text=True)
    response = client.get("/api/v1/calls?status=sleeping", headers={"Accept": "application/json"})
    assert response.status_code in (400, 401)


def test_timeline_year_and_quarter_with_today_marker(client, planner, new_call):
    new_call("TL-1", title="Tidslinje Vinnova")
    new_call("TL-2", funder="tillvaxtverket", title="Tidslinje ERUF")
    page = client.get("/calendar/timeline?zoom=year&at=2027-03-01").get_data(as_text=True)
    # A group, not an image: the bars inside are links to the calls.
    assert "<svg" in page and 'role="group" aria-labelledby="tl-title"' in page and 'role="img"' not in page
    assert "Tidslinje Vinnova" in page and "Tidslinje ERUF" in page
    assert 'data-funder="vinnova"' in page and 'data-funder="tillvaxtverket"' in page
    today = queries.today_local()
    page = client.get(f"/calendar/timeline?zoom=quarter&at={today.isoformat()}").get_data(as_text=True)
    assert 'class="today"' in page
    page = client.get("/calendar/timeline?zoom=quarter&at=2027-04-01").get_data(as_text=True)
    assert "2027-04-01 – 2027-06-30" in page
    assert client.get("/calendar/timeline?at=nonsense").status_code == 400


def test_month_view_lists_each_event_on_its_day(client, planner, new_call):
    new_call("M-1", title="Månadsutlysning", deadlines=(Deadline("Steg 1", date(2027, 4, 15)),
                                                        Deadline("Steg 2", date(2027, 4, 28))))
    page = client.get("/calendar/month?at=2027-04-01").get_data(as_text=True)
    assert page.count("Månadsutlysning") >= 2 and "Steg 2" in page


def test_call_page_shows_dates_regions_and_history_after_a_move(client, planner, new_call):
    call = new_call("H-1")
    form = {
        "funder": "vinnova", "reference": "H-1", "title": "Testutlysning H-1", "opens_on": "2027-02-01",
        "deadlines": "2027-05-06 14:00", "decision_on": "2027-06-10", "earliest_start": "2027-08-01",
        "latest_start": "2027-10-01", "budget_sek": "40 000 000", "themes": "vinnova-hallbar-industri",
        "regions": ["varmland"],
    }
    response = client.post(f"/calendar/calls/{call.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(f"/calendar/calls/{call.id}").get_data(as_text=True)
    assert "Värmland" in page
    assert "Historik över flyttade datum" in page and "2027-05-06" in page and "2027-04-15" in page
    assert queries.get_call(call.id).revision == 1


def test_call_form_bad_input_names_field_and_saves_nothing(client, planner):
    form = {"funder": "vinnova", "reference": "BAD-1", "title": "Fel", "opens_on": "2027-05-01",
            "deadlines": "2027-04-01"}
    response = client.post("/calendar/calls/new", data=form)
    assert response.status_code == 400
    assert "före öppningsdagen" in response.get_data(as_text=True)
    assert queries.existing_by_identity(["ref:vinnova:BAD-1"]) == {}


def test_followers_see_moved_dates(client, make_user, login, new_call):
    call = new_call("F-1")
    reader = login(make_user("reader"))
    assert client.post(f"/calendar/calls/{call.id}/follow").status_code == 302
    service.save_call(make_data("F-1", decision_on=date(2027, 6, 24)), actor="test")
    page = client.get("/calendar/following").get_data(as_text=True)
    assert "Testutlysning F-1" in page and "2027-06-24" in page and "2027-06-10" in page
    assert reader.role == "reader"


def test_coordinated_calls_show_flags_with_shifts(client, planner, new_call):
    a = new_call("C-1", decision_on=date(2027, 6, 10), latest_start=date(2027, 9, 1))
    b = new_call("C-2", funder="tillvaxtverket", opens_on=date(2027, 5, 1),
                 deadlines=(Deadline("", date(2027, 7, 15)),), decision_on=date(2027, 11, 20),
                 earliest_start=date(2027, 12, 1), latest_start=date(2028, 3, 1))
    response = client.post(f"/calendar/calls/{a.id}/coordinate", data={"other": str(b.id), "name": "HI"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "efter senaste projektstart" in page  # decision after latest start
    assert "juli" in page  # deadline in July
    assert "Minsta flytt som löser det" in page
    page = client.get(f"/calendar/calls/{a.id}").get_data(as_text=True)
    assert "Testutlysning C-2" in page and "Minsta flytt" in page


def test_coordination_view_by_theme(client, planner, new_call):
    new_call("K-1", decision_on=date(2027, 6, 10), latest_start=date(2027, 9, 1))
    new_call("K-2", funder="tillvaxtverket", opens_on=date(2027, 5, 1), deadlines=(Deadline("", date(2027, 6, 15)),),
             decision_on=date(2027, 11, 20), earliest_start=date(2027, 12, 1), latest_start=date(2028, 3, 1))
    page = client.get("/calendar/coordination?year=2027").get_data(as_text=True)
    assert "Hållbar industri" in page and "Kan samordnas" in page and "Perioder utan öppen utlysning" in page


@pytest.mark.parametrize("role", ["reader", "strategist", "taskforce"])
def test_only_planners_and_admins_write(client, make_user, login, new_call, role):
    call = new_call("P-1")
    login(make_user(role, region="ostergotland" if role == "strategist" else None))
    assert client.get("/calendar/").status_code == 200
    assert client.get(f"/calendar/calls/{call.id}").status_code == 200
    assert client.get("/calendar/import").status_code == 403
    assert client.get("/calendar/calls/new").status_code == 403
    assert client.post(f"/calendar/calls/{call.id}/edit", data={"title": "x"}).status_code == 403
    assert client.post(f"/calendar/calls/{call.id}/coordinate", data={"other": "1"}).status_code == 403


def test_admin_may_write(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/calendar/calls/new").status_code == 200
    assert client.get("/calendar/import").status_code == 200


def test_anonymous_is_sent_to_login_but_public_feed_is_open(client, new_call):
    new_call("A-1")
    assert client.get("/calendar/").status_code == 302
    response = client.get("/calendar/calls.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"


def test_unknown_call_is_404(client, planner):
    assert client.get("/calendar/calls/999999").status_code == 404


def test_timed_deadline_shown_in_stockholm_time(client, planner, new_call):
    call = new_call("T-TZ", deadlines=(Deadline("", datetime(2027, 4, 15, 12, 0, tzinfo=UTC)),))
    page = client.get(f"/calendar/calls/{call.id}").get_data(as_text=True)
    assert "2027-04-15 14:00" in page
