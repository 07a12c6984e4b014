"""Found by walking the calendar in Chromium: on a phone a coordinated set's page was 950 px wide, because
the visually hidden "remove" labels in its table escaped the table's own sideways scrolling."""

from __future__ import annotations

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser




def test_coordinated_set_and_list_fit_a_phone(db_session, make_user, login, open_page):
    from synergy_app.calendar.demo import seed_demo
    from synergy_app.calendar.models import CoordinationSet

    seed_demo()
    set_id = db_session.scalar(select(CoordinationSet.id))
    login(make_user("planner"))
    for path in (f"/calendar/coordinated/{set_id}", "/calendar/", "/calendar/calls/new"):
        page = open_page(path, 390)
        assert page.locator("h1").count() == 1, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
