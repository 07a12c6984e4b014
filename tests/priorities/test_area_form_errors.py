"""Re-saving an area with an error shows the error once, at its field; a summary at the top appears only
when several fields need fixing, and then it links to each of them."""

from __future__ import annotations

import re

from sqlalchemy import select

from synergy_app.directory.models import Organisation

HALLBAR = "vinnova-hallbar-industri"
URL = f"/priorities/areas/{HALLBAR}/edit"


def _login_vinnova_planner(db_session, make_user, login):
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    login(make_user("planner", organisation_id=vinnova.id))


def _form(**overrides):
    data = {"title": "Hållbar industri", "title_en": "", "description": "Industri", "keywords": "stål",
            "codes_economic": "C", "codes_scientific": "2.3", "codes_policy": ["advanced_manufacturing"]}
    data.update(overrides)
    return data


def test_one_error_is_shown_once_at_its_field(client, make_user, login, db_session):
    _login_vinnova_planner(db_session, make_user, login)
    response = client.post(URL, data=_form(codes_economic="C99"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count("Okänd kod: C99") == 1
    assert 'id="codes_economic-error"' in html
    assert 'role="alert"' not in html and "error-summary" not in html
    assert "Inget sparades" not in html


def test_several_errors_get_a_summary_linking_to_each_field(client, make_user, login, db_session):
    _login_vinnova_planner(db_session, make_user, login)
    response = client.post(URL, data=_form(codes_economic="C99", codes_scientific="9.9"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="notice severity-error error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary is not None
    links = re.findall(r'<a href="#([a-z_]+)">', summary.group(1))
    assert links == ["codes_economic", "codes_scientific"]
    assert "C99" not in summary.group(1) and "9.9" not in summary.group(1)
    assert html.count("Okänd kod: C99") == 1
    assert 'id="codes_economic"' in html and 'id="codes_scientific"' in html
