"""Pages, PDF and JSON say when a value was not read in the legal text, and warn before a ruleset ends."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader


def _text(response) -> str:
    """The page with each date's one-line wrapper removed, so dates read as in the sentence."""
    return re.sub(r'<span class="date">([^<]*)</span>', r"\1", response.get_data(as_text=True))


def _granted(project, db_session, on: date):
    project.grant_date = on
    db_session.flush()
    return project


def test_project_granted_under_1407_2013_is_marked_unverified_on_page_pdf_and_json(
        client, make_user, login, api_token, demo_project, db_session):
    _granted(demo_project, db_session, date(2020, 5, 1))
    user = login(make_user("reader"))
    page = _text(client.get(f"/projects/{demo_project.id}"))
    assert "Ej kontrollerat mot rättsakten" in page
    assert "Art. 3(2) (EU) nr 1407/2013 = 200\xa0000" in page  # written the Swedish way
    assert "= tre beskattningsår" in page and "three_fiscal_years" not in page
    pdf = client.get(f"/projects/{demo_project.id}/report.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "Ej kontrollerat mot rättsakten" in text and "Art. 3(2) (EU) nr 1407/2013 = 200 000" in text
    data = client.get(f"/api/v1/projects/{demo_project.id}/check", headers=api_token(user)).get_json()
    assert data["ruleset"]["de_minimis"]["values_verified"] == 0
    assert {v["key"] for v in data["ruleset"]["de_minimis"]["unverified_values"]} == {"ceiling_eur", "period"}


def test_project_granted_after_2026_says_no_block_exemption_is_loaded(client, make_user, login, demo_project,
                                                                        db_session):
    _granted(demo_project, db_session, date(2027, 2, 1))
    login(make_user("reader"))
    page = _text(client.get(f"/projects/{demo_project.id}"))
    assert "Inget gruppundantag är inläst för 2027-02-01" in page


def test_expiry_warning_shows_within_60_days_on_the_project_page(app, client, make_user, login, demo_project,
                                                                   monkeypatch):
    login(make_user("reader"))
    monkeypatch.setitem(app.config, "STATEAID_TODAY", "2026-12-06")
    page = _text(client.get(f"/projects/{demo_project.id}"))
    assert "Regelverket upphör snart" in page and "gäller till och med 2026-12-31 (25 dagar kvar)" in page
    monkeypatch.setitem(app.config, "STATEAID_TODAY", "2026-10-01")
    assert "Regelverket upphör snart" not in _text(client.get(f"/projects/{demo_project.id}"))


def test_expiry_banner_on_every_page_for_admin_and_taskforce_only(app, client, make_user, login, monkeypatch):
    monkeypatch.setitem(app.config, "STATEAID_TODAY", "2026-11-15")
    login(make_user("taskforce"))
    assert "Regelverket upphör snart" in _text(client.get("/stateaid/"))
    client.post("/logout")
    login(make_user("reader"))
    assert "Regelverket upphör snart" not in _text(client.get("/stateaid/"))


def test_admin_sees_when_each_ruleset_ends_and_how_much_was_read(app, client, make_user, login, monkeypatch):
    monkeypatch.setitem(app.config, "STATEAID_TODAY", "2026-12-06")
    login(make_user("reader"))
    assert client.get("/admin/rulesets").status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    page = _text(client.get("/admin/rulesets"))
    for end in ("2023-12-31", "2026-12-31", "2030-12-31"):
        assert end in page
    assert "gäller, 25 dagar kvar" in page
    assert "0 av 2" in page and "2 av 2" in page  # 1407/2013 unread, 2023/2831 read
    assert "kunde inte läsas (försök 2026-12-06)" in page


def test_ruleset_page_and_warning_in_english(app, client, make_user, login, demo_project, monkeypatch):
    monkeypatch.setitem(app.config, "STATEAID_TODAY", "2026-12-06")
    login(make_user("admin"))
    client.get("/lang/en")
    page = _text(client.get("/admin/rulesets"))
    assert "State-aid rulesets" in page and "in force, 25 days left" in page
    assert "General Block Exemption Regulation (EU) No 651/2014" in page
    project_page = _text(client.get(f"/projects/{demo_project.id}"))
    assert "A ruleset ends soon" in project_page
    assert "applies until 2026-12-31 (25 days left)" in project_page
