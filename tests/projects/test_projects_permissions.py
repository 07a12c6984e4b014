"""Planners and admins write every project; strategists their region's; everyone logged in reads."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("role,region,status", [
    ("planner", None, 200), ("admin", None, 200), ("strategist", "norrbotten", 200),
    ("strategist", "ostergotland", 403), ("reader", None, 403), ("taskforce", None, 403),
])
def test_budget_editor_access(client, make_user, login, demo_project, role, region, status):
    login(make_user(role, region=region))
    assert client.get(f"/projects/{demo_project.id}/budget").status_code == status


@pytest.mark.parametrize("role", ["reader", "taskforce", "strategist"])
def test_everyone_logged_in_reads(client, make_user, login, demo_project, role):
    login(make_user(role, region="ostergotland" if role == "strategist" else None))
    assert client.get(f"/projects/{demo_project.id}").status_code == 200
    assert client.get("/projects/").status_code == 200


def test_strategist_creates_only_with_own_region(client, make_user, login, db_session):
    from synergy_app.projects.models import Project

    login(make_user("strategist", region="ostergotland"))
    response = client.post("/projects/new", data={"title": "T", "grant_date": "2026-03-01", "regions": ["varmland"]})
    assert response.status_code == 400
    assert db_session.query(Project).filter(Project.title == "T").count() == 0
    response = client.post("/projects/new", data={"title": "T", "grant_date": "2026-03-01",
                                                  "regions": ["ostergotland"]})
    assert response.status_code == 302


def test_new_project_form_names_bad_fields(client, planner):
    response = client.post("/projects/new", data={"title": "", "grant_date": "1 mars"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="f-title-error"' in page and 'id="f-grant_date-error"' in page


def test_partner_needs_size_or_figures_and_derives_it(client, planner, demo_project, db_session):
    from synergy_app.projects import checking

    url = f"/projects/{demo_project.id}/partners/new"
    response = client.post(url, data={"name": "Nytt AB", "kind": "undertaking"})
    assert response.status_code == 400 and 'id="f-size_stated-error"' in response.get_data(as_text=True)
    response = client.post(url, data={"name": "Nytt AB", "kind": "undertaking", "staff_headcount": "49",
                                      "turnover_eur": "12000000", "balance_sheet_eur": "9000000"})
    assert response.status_code == 302
    db_session.expire_all()
    project = checking.load_project(demo_project.id)
    partner = next(p for p in project.partners if p.name == "Nytt AB")
    assert checking.partner_size(project, partner) == ("small", "derived")
