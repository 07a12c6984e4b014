"""Found by walking the ruling log in Chromium: on a phone the ruling form was twice the screen wide
(two columns of topic and agency checkboxes in a fieldset that would not shrink)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser




def test_new_ruling_form_fits_a_phone(make_user, login, open_page):
    login(make_user("taskforce"))
    page = open_page("/stateaid/rulings/new", 390)
    assert page.locator("#topics input[type=checkbox]").count() > 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#topics").bounding_box()
    assert box["x"] + box["width"] <= 390
