"""Imports: the XLSX budget template and project files, all or nothing with the cell or field named."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from synergy_app.projects.models import Project
from synergy_app.projects.xlsx_budget import template_xlsx


def _filled(bad_amount: bool = False) -> bytes:
    wb = load_workbook(io.BytesIO(template_xlsx()))
    project = wb["Projekt"]
    values = {"title": "Importerat projekt", "grant_date": "2026-03-01", "application_date": "2026-01-15",
              "work_start": "2026-04-01", "exchange_rate_eur_sek": 11.2, "collaboration.effective": "ja",
              "collaboration.research_organisations_may_publish": "ja"}
    for row in project.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb["Partner"].append(["acme", "Acme AB", "undertaking", "small", "556000-0009"])
    wb["Partner"].append(["ltu", "Luleå tekniska universitet", "research_organisation", None, None])
    wb["Kostnader"].append(["acme", "experimental_development", 4000000, "nej"])
    wb["Kostnader"].append(["ltu", "non_economic", "abc" if bad_amount else 1000000, None])
    wb["Finansiering"].append(["vinnova", "state", "acme", "experimental_development", 1200000, None])
    wb["Finansiering"].append(["acme", "private", "acme", None, 2800000, None])
    wb["Finansiering"].append(["vinnova", "state", "ltu", "non_economic", 1000000, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _count(db_session) -> int:
    return db_session.query(Project).count()


def test_template_downloads(client, make_user, login):
    login(make_user("reader"))
    response = client.get("/projects/budget-template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "visible"] == [
        "Projekt", "Partner", "Kostnader", "Finansiering"]


def test_xlsx_import_creates_the_project(client, planner, db_session):
    response = client.post("/projects/import", data={"file": (io.BytesIO(_filled()), "budget.xlsx"),
                                                     "regions": ["norrbotten"]},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    project = db_session.query(Project).filter(Project.title == "Importerat projekt").one()
    assert len(project.partners) == 2 and len(project.cost_lines) == 2 and len(project.funding_lines) == 3
    assert [r.slug for r in project.regions] == ["norrbotten"]


def test_xlsx_import_bad_cell_names_sheet_row_column_and_saves_nothing(client, planner, db_session):
    before = _count(db_session)
    response = client.post("/projects/import", data={"file": (io.BytesIO(_filled(bad_amount=True)), "budget.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Kostnader!C3" in response.get_data(as_text=True)
    assert _count(db_session) == before


def test_yaml_import_and_error(client, planner, db_session):
    good = b"""title: Filprojekt
grant_date: 2026-03-01
partners:
  - {id: ltu, name: LTU, kind: research_organisation}
costs:
  - {partner: ltu, category: non_economic, amount_sek: 1000}
"""
    response = client.post("/projects/import", data={"file": (io.BytesIO(good), "p.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    before = _count(db_session)
    bad = good.replace(b"non_economic", b"lunch")
    response = client.post("/projects/import", data={"file": (io.BytesIO(bad), "p.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "costs[0].category" in response.get_data(as_text=True)
    assert _count(db_session) == before
