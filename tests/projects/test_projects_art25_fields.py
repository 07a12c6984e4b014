"""GBER Art. 25(6) facts of a stored project: the project form, the API, the XLSX template and the project
file carry the assisted area, the municipalities, the licensing commitment and the multi-country project."""

from __future__ import annotations

import html
import io
import re

import yaml
from openpyxl import load_workbook

from synergy_app.projects import checking
from synergy_app.projects.models import Project
from synergy_app.projects.xlsx_budget import template_xlsx

FORM = {"title": "Flerlandsprojekt", "regions": ["norrbotten"], "grant_date": "2026-06-01",
        "application_date": "2026-05-01", "work_start": "2026-07-01", "status": "draft",
        "collab_effective": "1", "collab_licensing": "1", "assisted_area": "", "municipalities": "2584, 0980",
        "mc_selected_after_open_call": "1", "mc_jointly_designed_by": "se, FI, NO",
        "mc_undertaking_countries": "SE FI", "mc_dissemination_countries": ""}
MULTI = {"selected_after_open_call": True, "jointly_designed_by": ["SE", "FI", "NO"],
         "undertaking_countries": ["SE", "FI"], "dissemination_countries": []}


def _edit_form(project: Project, **changes) -> dict:
    data = FORM | {"title": project.title, "grant_date": project.grant_date.isoformat(),
                   "version": str(project.version)} | changes
    return data


def test_project_form_stores_and_shows_the_fields(client, planner, db_session):
    response = client.post("/projects/new", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    project_id = int(re.search(r"/projects/(\d+)", response.headers["Location"]).group(1))
    project = db_session.get(Project, project_id)
    assert project.assisted_area is None
    assert project.municipalities == ["2584", "0980"]
    assert project.collab_licensing is True
    assert project.collab_multi_country == MULTI
    page = html.unescape(client.get(f"/projects/{project_id}/edit").get_data(as_text=True))
    assert 'value="2584, 0980"' in page and 'value="SE, FI, NO"' in page
    assert re.search(r'name="collab_licensing" value="1" checked', page)
    # The project file (the document the API, the CLI and the PDF check) carries them.
    exported = yaml.safe_load(client.get(f"/projects/{project_id}/project.yaml").data)
    assert exported["municipalities"] == ["2584", "0980"] and "assisted_area" not in exported
    assert exported["collaboration"]["licensing"] is True
    assert exported["collaboration"]["multi_country"] == MULTI


def test_project_form_refuses_bad_codes_and_changes_nothing(client, planner, db_session):
    before = db_session.query(Project).count()
    response = client.post("/projects/new", data=FORM | {"municipalities": "2584, 12",
                                                         "mc_jointly_designed_by": "SE, US"})
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert "'12' är ingen kommunkod" in text
    assert "'US' är inte en landskod" in text
    assert db_session.query(Project).count() == before
    response = client.post("/projects/new", data=FORM | {"assisted_area": "b"})
    assert response.status_code == 400 and db_session.query(Project).count() == before


def test_demo_project_page_api_cli_and_pdf_explain_the_derived_area(client, planner, db_session, demo_project,
                                                                      api_token, app, tmp_path):
    # Norrstål (medium, experimental development): 25 % + 10 % + 15 % (collaboration with LTU) = 50 %.
    # In Kiruna (stödområde 1, a (c) area) the (c) increase is met too but not added: still 50 %.
    response = client.post(f"/projects/{demo_project.id}/edit",
                           data=_edit_form(demo_project, collab_licensing="", municipalities="2584",
                                           mc_selected_after_open_call="", mc_jointly_designed_by="",
                                           mc_undertaking_countries="",
                                           regions=[r.slug for r in demo_project.regions]))
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[:3000]
    db_session.expire_all()
    project = checking.load_project(demo_project.id)
    assert project.municipalities == ["2584"] and project.collab_multi_country is None
    page = html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True))
    assert "Härlett ur regionalstödskartan 2022–2027: Kiruna (2584) i stödområde 1" in page
    assert "Inte tillagt, artikel 25.6 c (+5 procentenheter): uppfyllt" in page

    headers = api_token(planner)
    stored = client.get(f"/api/v1/projects/{project.id}", headers=headers).get_json()
    assert stored["municipalities"] == ["2584"]
    check = client.get(f"/api/v1/projects/{project.id}/check", headers=headers).get_json()
    assert check["assisted_area"]["area"] == "c" and check["assisted_area"]["basis"] == "derived"
    norrstal = next(p for p in check["partners"] if p["id"] == "norrstal")
    ed = next(c for c in norrstal["categories"] if c["category"] == "experimental_development")
    assert ed["max_intensity_percent"] == "50.00"
    assert any(not r["applied"] and "25(6)(c)" in r["text_en"] for r in ed["max_intensity_reasons"])

    from pypdf import PdfReader

    pdf = client.get(f"/projects/{project.id}/report.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "Kiruna (2584)" in text and "Inte tillagt, artikel 25.6 c" in text

    path = tmp_path / "project.yaml"
    path.write_bytes(client.get(f"/projects/{project.id}/project.yaml").data)
    cli = app.test_cli_runner().invoke(args=["check-project", str(path), "--lang", "en"])
    assert "Assisted area: Derived from Sweden's regional aid map 2022–2027: Kiruna (2584) in aid area 1" in cli.output
    assert "Not added, Art. 25(6)(c) (+5 percentage points): met" in cli.output


def _filled_workbook() -> bytes:
    wb = load_workbook(io.BytesIO(template_xlsx()))
    values = {"title": "XLSX flerland", "grant_date": "2026-03-01", "application_date": "2026-01-15",
              "work_start": "2026-04-01", "exchange_rate_eur_sek": 11.2, "collaboration.effective": "ja",
              "collaboration.licensing": "ja", "assisted_area": "c", "municipalities": 980,
              "collaboration.multi_country.selected_after_open_call": "ja",
              "collaboration.multi_country.jointly_designed_by": "SE, FI, NO",
              "collaboration.multi_country.undertaking_countries": "SE, FI",
              "collaboration.multi_country.dissemination_countries": "SE FI NO"}
    for row in wb["Projekt"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values.pop(row[0].value)
    assert not values, f"template rows missing: {values}"
    wb["Partner"].append(["acme", "Acme AB", "undertaking", "medium", None])
    wb["Kostnader"].append(["acme", "experimental_development", 1000000, "nej"])
    wb["Finansiering"].append(["vinnova", "state", "acme", "experimental_development", 600000, None])
    wb["Finansiering"].append(["acme", "private", "acme", None, 400000, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_template_round_trip(client, planner, db_session):
    response = client.post("/projects/import", data={"file": (io.BytesIO(_filled_workbook()), "budget.xlsx"),
                                                     "regions": ["gotland"]}, content_type="multipart/form-data")
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[:2000]
    project = db_session.query(Project).filter(Project.title == "XLSX flerland").one()
    # A number cell lost the kommunkod's leading zero; it is read back as 0980 (Gotland).
    assert project.assisted_area == "c" and project.municipalities == ["0980"]
    assert project.collab_licensing is True
    assert project.collab_multi_country == {"selected_after_open_call": True, "jointly_designed_by": ["SE", "FI", "NO"],
                                            "undertaking_countries": ["SE", "FI"],
                                            "dissemination_countries": ["SE", "FI", "NO"]}
    # Medium, experimental development, (d) met (an SME needs undertakings in two states): 25 + 10 + 25 = 60 %.
    result = checking.run_check(checking.load_project(project.id)).result
    assert result.partners[0].categories[0].max_intensity * 100 == 60
    # The exported project file imports to the same stored facts.
    exported = client.get(f"/projects/{project.id}/project.yaml").data
    again = client.post("/projects/import", data={"file": (io.BytesIO(exported.replace(b"XLSX flerland",
                                                                                        b"YAML flerland")), "p.yaml")},
                        content_type="multipart/form-data")
    assert again.status_code == 302
    copy = db_session.query(Project).filter(Project.title == "YAML flerland").one()
    assert (copy.assisted_area, copy.municipalities, copy.collab_licensing, copy.collab_multi_country) == (
        project.assisted_area, project.municipalities, project.collab_licensing, project.collab_multi_country)


def test_xlsx_bad_country_is_named(client, planner, db_session):
    wb = load_workbook(io.BytesIO(_filled_workbook()))
    for row in wb["Projekt"].iter_rows(min_row=2):
        if row[0].value == "collaboration.multi_country.jointly_designed_by":
            row[1].value = "SE, XX"
    buffer = io.BytesIO()
    wb.save(buffer)
    before = db_session.query(Project).count()
    response = client.post("/projects/import", data={"file": (io.BytesIO(buffer.getvalue()), "budget.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "collaboration.multi_country.jointly_designed_by[1]" in html.unescape(response.get_data(as_text=True))
    assert db_session.query(Project).count() == before
