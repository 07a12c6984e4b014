"""Regression from the browser walk: match explanations named policy objectives by their slug
("policymål: advanced_manufacturing") on the Swedish area page, the invite list and the exports."""

from __future__ import annotations

AREA = "/priorities/areas/vinnova-hallbar-industri"


def test_area_page_names_policy_objectives_in_swedish(client, make_user, login):
    login(make_user("planner"))
    page = client.get(AREA).get_data(as_text=True)
    assert "policymålet ”Avancerad tillverkning”" in page or "policymålen ”Avancerad tillverkning”" in page
    assert "advanced_manufacturing" not in page


def test_area_page_names_policy_objectives_in_english(client, make_user, login):
    login(make_user("planner"))
    page = client.get(f"{AREA}?lang=en").get_data(as_text=True)
    assert "“Advanced manufacturing systems”" in page and "the policy objective" in page
    assert "advanced_manufacturing" not in page


def test_area_export_explains_with_policy_names(client, make_user, login):
    login(make_user("planner"))
    csv = client.get(f"{AREA}?format=csv").get_data(as_text=True)
    assert "Avancerad tillverkning" in csv and "advanced_manufacturing" not in csv
