"""The description written once, the budget's cost types, the requirement matrix for the demo project
(on the page and as JSON) and the application drafts read back."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.funding_profiles import canonical
from synergy_app.funding_profiles.conversion import convert
from synergy_app.funding_profiles.exports import xlsx_bytes
from synergy_app.funding_profiles.matrix import build_matrix
from synergy_app.funding_profiles.profiles import default_profiles
from synergy_app.money import format_sek


def _cells(matrix, key):
    row = next(r for r in matrix.rows if r.key == key)
    return {p.funder: c for p, c in zip(matrix.funders, row.cells, strict=True)}


def test_demo_matrix_across_its_funders(described_project):
    funders = canonical.project_funders(described_project)
    # The demo's public funding lines (the calendar's calls are not linked in this test database).
    assert [p.funder for p in funders] == ["vinnova", "eruf-tillvaxtverket", "region-1-1"]
    matrix = build_matrix(canonical.texts(described_project, "sv"), canonical.budget_lines(described_project), funders)
    aim = _cells(matrix, "aim")
    assert {k: c.status for k, c in aim.items()} == {"vinnova": "covered", "eruf-tillvaxtverket": "covered",
                                                     "region-1-1": "covered"}
    assert aim["region-1-1"].limit == 2000 and aim["region-1-1"].length == len(canonical.texts(described_project,
                                                                                                "sv")["aim"])
    # Dissemination is not written: ERUF and Vinnova ask for it; the region does not.
    dissemination = _cells(matrix, "dissemination")
    assert dissemination["eruf-tillvaxtverket"].status == "missing"
    assert dissemination["vinnova"].status == "missing"
    assert dissemination["region-1-1"].status == "not_asked"
    assert _cells(matrix, "state_aid")["eruf-tillvaxtverket"].status == "missing"
    own = _cells(matrix, "eruf-tillvaxtverket:procurement_plan")
    assert own["eruf-tillvaxtverket"].status == "own_question" and own["vinnova"].status == "not_asked"
    assert _cells(matrix, "region-1-1:regional_strategy")["region-1-1"].status == "own_question"
    indirect = _cells(matrix, "indirect")
    assert indirect["eruf-tillvaxtverket"].status == "flat_rate" and indirect["eruf-tillvaxtverket"].label == "15 %"
    assert indirect["region-1-1"].status == "mapped"
    assert _cells(matrix, "consultancy")["eruf-tillvaxtverket"].label == "Externa tjänster"


def test_a_section_over_the_limit_says_by_how_much_and_is_not_cut():
    region = default_profiles().get("region-1-1")
    matrix = build_matrix({"aim": "x" * 2005}, [], [region])
    cell = _cells(matrix, "aim")["region-1-1"]
    assert (cell.status, cell.over_by, cell.length, cell.limit) == ("over", 5, 2005, 2000)
    assert not cell.verified


def test_a_cost_type_a_funder_does_not_accept_names_where_it_goes():
    he = default_profiles().get("horizon-europe")
    matrix = build_matrix({}, [], [he], "en")
    assert _cells(matrix, "indirect")["horizon-europe"].status == "flat_rate"
    eruf = default_profiles().get("eruf-tillvaxtverket")
    refusal = eruf.refusals["indirect"]
    assert refusal.instead == "indirect_flat_rate"


def test_project_page_shows_the_matrix_and_drafts(client, planner, described_project):
    page = client.get(f"/projects/{described_project.id}").get_data(as_text=True)
    assert 'id="requirement-matrix"' in page
    assert "Fråga bara denna finansiär ställer" in page
    assert "ej verifierad mot källan" in page
    assert f"/projects/{described_project.id}/applications/eruf-tillvaxtverket.docx" in page
    # Limits are numbers written the reader's way: "3 000 tecken", not "3000".
    matrix = page.split('id="requirement-matrix"')[1]
    assert re.search(r"/\d{1,3}(?:\xa0|\u202f| )000 tecken\)", matrix) and not re.search(r"/\d{4,} tecken", matrix)
    chosen = client.get(f"/projects/{described_project.id}?funder=horizon-europe").get_data(as_text=True)
    assert "Horisont Europa</th>" in chosen and "Region" not in chosen.split('id="requirement-matrix"')[1][:400]


def test_requirements_api(client, make_user, api_token, described_project):
    headers = api_token(make_user("reader"))
    body = client.get(f"/api/v1/projects/{described_project.id}/requirements", headers=headers).get_json()
    assert [f["slug"] for f in body["funders"]] == ["vinnova", "eruf-tillvaxtverket", "region-1-1"]
    dissemination = next(r for r in body["rows"] if r["key"] == "dissemination")
    assert dissemination["cells"]["eruf-tillvaxtverket"]["status"] == "missing"
    chosen = client.get(f"/api/v1/projects/{described_project.id}/requirements?funder=horizon-europe&language=en",
                        headers=headers).get_json()
    assert [f["slug"] for f in chosen["funders"]] == ["horizon-europe"] and chosen["language"] == "en"
    unknown = client.get(f"/api/v1/projects/{described_project.id}/requirements?funder=nobody", headers=headers)
    assert unknown.status_code == 404 and "funder" in unknown.get_data(as_text=True)
    assert client.get("/api/v1/projects/999999/requirements", headers=headers).status_code == 404
    assert client.get(f"/api/v1/projects/{described_project.id}/requirements").status_code == 401


def test_description_form_saves_a_draft_in_english_and_is_audited(client, planner, described_project, db_session):
    url = f"/projects/{described_project.id}/description?language=en"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"section-aim": "Halve the energy use per unit by 2028.", "status": "draft"})
    assert response.status_code == 302
    assert canonical.texts(described_project, "en") == {"aim": "Halve the energy use per unit by 2028."}
    assert canonical.texts(described_project, "sv")["aim"].startswith("Projektet ska bygga")
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "project.description.save")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.changes["language"] == "en"
    too_long = client.post(url, data={"section-aim": "x" * 30001})
    assert too_long.status_code == 400 and "section-aim" in too_long.get_data(as_text=True)
    assert canonical.texts(described_project, "en")["aim"] == "Halve the energy use per unit by 2028."


def test_reader_may_not_write_the_description(client, make_user, login, described_project):
    login(make_user("reader"))
    assert client.post(f"/projects/{described_project.id}/description", data={"section-aim": "x"}).status_code == 403


def test_cost_types_form_refuses_a_rate_that_disagrees_with_the_amount(client, planner, described_project):
    line = described_project.cost_lines[0]
    response = client.post(f"/projects/{described_project.id}/cost-types",
                           data={f"line-{line.id}-type": "personnel", f"line-{line.id}-hours": "10",
                                 f"line-{line.id}-rate": "1"})
    assert response.status_code == 400 and f"line-{line.id}-rate" in response.get_data(as_text=True)
    assert canonical.cost_types(described_project)[line.id].hours == 8000


def test_docx_draft_in_the_funders_order_with_limits(client, planner, described_project):
    response = client.get(f"/projects/{described_project.id}/applications/eruf-tillvaxtverket.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    eruf = default_profiles().get("eruf-tillvaxtverket")
    assert headings == [s.name["sv"] for s in eruf.sections]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Gräns: 3000 tecken" in text and "ej verifierad mot källan" in text
    assert canonical.texts(described_project, "sv")["background"] in text


def test_every_budget_export_reconciles_with_the_canonical_budget(client, planner, described_project):
    lines = canonical.budget_lines(described_project)
    canonical_total = sum(line.amount_ore for line in lines)
    assert canonical_total == 1_490_000_000
    for profile in default_profiles().profiles:
        response = client.get(f"/projects/{described_project.id}/applications/{profile.funder}.xlsx")
        book = load_workbook(io.BytesIO(response.data))
        budget_sheet, steps_sheet, check_sheet = book.worksheets
        rows = list(check_sheet.iter_rows(min_row=2, values_only=True))  # below the header
        assert rows[0][1] == canonical_total
        funder_total = convert(lines, profile).total_ore
        assert rows[0][1] + rows[1][1] == rows[2][1] == funder_total, profile.id
        assert rows[3][1] == "ja"
        # The steps are in kronor with two decimals; their differences add up to the funder's total, to the öre.
        differences = [int((Decimal(str(r[5])) * 100).to_integral_value())
                       for r in steps_sheet.iter_rows(min_row=2, values_only=True) if isinstance(r[5], int | float)]
        assert sum(differences) == funder_total - canonical_total
        total_row = [r for r in budget_sheet.iter_rows(values_only=True) if r and r[0] == "Summa"][0]
        assert round(total_row[-1] * 100) == funder_total  # kronor with two decimals in the sheet


def test_xlsx_explains_the_1720_conversion(described_project):
    content, _budget = xlsx_bytes(canonical.budget_lines(described_project),
                                  default_profiles().get("eruf-tillvaxtverket"), "sv")
    steps = load_workbook(io.BytesIO(content))["Omräkningar"]
    texts = [r[2] for r in steps.iter_rows(min_row=2, values_only=True) if r[2]]
    # 1,720 hours: 6 046 511,63 kr worked by hand from the handbook's formula, written as Swedes write it.
    assert any("/ 1720 h" in t and format_sek(604651163, "sv") in t for t in texts)
    assert any("Schablon 15 %" in t for t in texts)


def test_pdf_draft(client, planner, described_project):
    response = client.get(f"/projects/{described_project.id}/applications/vinnova.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(f"/projects/{described_project.id}/applications/nobody.pdf").status_code == 404


def test_export_application_cli(app, described_project, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "draft.docx"
    result = runner.invoke(args=["export-application", str(described_project.id), "--funder", "vinnova",
                                 "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[0].text.startswith("Ansökningsutkast")
    unknown_funder = runner.invoke(args=["export-application", str(described_project.id), "--funder", "nobody",
                                         "--format", "docx"])
    assert unknown_funder.exit_code == 2 and "--funder" in unknown_funder.output
    unknown_project = runner.invoke(args=["export-application", "999999", "--funder", "vinnova", "--format", "xlsx"])
    assert unknown_project.exit_code == 2 and "PROJECT_ID" in unknown_project.output
    bad_format = runner.invoke(args=["export-application", str(described_project.id), "--funder", "vinnova",
                                     "--format", "odt"])
    assert bad_format.exit_code == 2 and "--format" in bad_format.output


def test_linked_calls_name_the_funders_first(db_session):
    from synergy_app.calendar.demo import seed_demo as seed_calendar_demo
    from synergy_app.projects import checking
    from synergy_app.projects.demo import DEMO_TITLE
    from synergy_app.projects.demo import seed_demo as seed_project_demo
    from synergy_app.projects.models import Project

    seed_calendar_demo()
    seed_project_demo()
    project = checking.load_project(db_session.query(Project.id).filter(Project.title == DEMO_TITLE).scalar())
    assert len(project.calls) == 2
    assert sorted(canonical._call_funder_slugs(project)) == ["tillvaxtverket", "vinnova"]
    assert [p.funder for p in canonical.project_funders(project)][2:] == ["region-1-1"]
    assert {p.funder for p in canonical.project_funders(project)} == {"vinnova", "eruf-tillvaxtverket", "region-1-1"}
    matrix = build_matrix({}, [], canonical.project_funders(project))
    assert next(r for r in matrix.rows if r.key == "personnel").used is False


def test_the_swedish_description_is_measured_unless_the_english_one_is_asked_for(client, planner, described_project):
    api = f"/projects/{described_project.id}"
    swedish = client.get(api).get_data(as_text=True)
    assert 'data-status="missing"' in swedish and swedish.count('data-status="covered"') >= 3
    english = client.get(api + "?text_language=en").get_data(as_text=True)
    assert english.count('data-status="covered"') == 0
    assert "/applications/vinnova.docx?language=en" in english


def test_a_budget_line_saved_unchanged_keeps_its_cost_type(client, make_user, api_token, described_project,
                                                             db_session):
    headers = api_token(make_user("planner"))
    url = f"/api/v1/projects/{described_project.id}"
    document = client.get(url, headers=headers).get_json()
    changed = document["costs"][1]
    assert changed["category"] == "industrial_research" and changed["partner"] == "norrstal"
    changed["amount_sek"] = "2000001"
    response = client.put(url + "/budget", headers=headers,
                          json={"version": document["version"], "costs": document["costs"],
                                "funding": document["funding"]})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    db_session.expire_all()
    project = checking_project(described_project.id)
    types = [line.cost_type for line in canonical.budget_lines(project)]
    assert types == ["personnel", None, "personnel", "consultancy", "personnel", "other_direct"]
    personnel = canonical.budget_lines(project)[0]
    assert personnel.hours == 8000 and personnel.annual_cost_ore == 130_000_000


def checking_project(project_id):
    from synergy_app.projects import checking

    return checking.load_project(project_id)
