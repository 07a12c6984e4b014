"""The page, the API, the CLI and the PDF report give the same result for the same project."""

from __future__ import annotations

import io
import json
import re

import yaml
from pypdf import PdfReader

from synergy_app.formatting import legal_citation
from synergy_app.projects import checking

EXPECTED_DEMO_FLAGS = {
    ("AID_INTENSITY_EXCEEDED", "norrstal", "experimental_development"),
    ("PRIVATE_COFINANCING_SHORT", "norrstal", None),
    ("PRIVATE_COFINANCING_SHORT", "varmauto", None),
    ("DE_MINIMIS_CEILING_EXCEEDED", "varmauto", "de_minimis"),
    ("NON_ECONOMIC_NOT_STATE_AID", "ltu", "non_economic"),
    ("INDIRECT_AID_VIA_INTERMEDIARY", "testbadd", None),
}


def _flags(data: dict) -> set[tuple]:
    return {(f["code"], f["partner"], f["category"]) for f in data["flags"]}


def test_demo_project_has_the_expected_flags_with_references(demo_project):
    result = checking.run_check(demo_project).result
    assert {(f.code, f.partner, f.category) for f in result.flags} == EXPECTED_DEMO_FLAGS
    assert all(f.reference and f.reference.get("citation") for f in result.flags)
    intensity = next(f for f in result.flags if f.code == "AID_INTENSITY_EXCEEDED")
    # Medium-sized enterprise, experimental development: 25 % + 10 % (medium) + 15 % (effective collaboration
    # with a research organisation bearing >= 10 % of the costs) = 50 % of 6 000 000 kr = 3 000 000 kr allowed;
    # planned State aid 1 800 000 + 1 200 000 (ERDF) + 600 000 (region) = 3 600 000 kr.
    assert intensity.values["allowed"] == 300_000_000
    assert intensity.values["planned"] == 360_000_000
    assert "25" in intensity.reference["article"]
    assert result.rulesets["gber"]["id"].startswith("gber")


def test_cli_api_and_pdf_agree(client, make_user, login, api_token, demo_project, app, tmp_path):
    user = login(make_user("reader"))
    headers = api_token(user)
    stored = client.get(f"/api/v1/projects/{demo_project.id}/check", headers=headers)
    assert stored.status_code == 200
    stored_json = stored.get_json()
    assert _flags(stored_json) == EXPECTED_DEMO_FLAGS

    exported = client.get(f"/projects/{demo_project.id}/project.yaml")
    assert exported.status_code == 200
    path = tmp_path / "project.yaml"
    path.write_bytes(exported.data)

    runner = app.test_cli_runner()
    cli = runner.invoke(args=["check-project", str(path), "--format", "json"])
    assert cli.exit_code == 1  # error flags
    cli_json = json.loads(cli.output)
    assert cli_json == stored_json

    posted = client.post("/api/v1/projects/check", json=yaml.safe_load(exported.data), headers=headers)
    assert posted.status_code == 200
    assert posted.get_json() == stored_json

    pdf = client.get(f"/projects/{demo_project.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    for flag in stored_json["flags"]:
        assert flag["code"] in text.replace("\n", "")
        # The report is in Swedish, so each citation is in the Swedish form of the act's name.
        assert " ".join(legal_citation(flag["reference"]["citation"], "sv").split()) in text
    # The PDF names the ruleset in its language, as the JSON's title has it, never by its file key.
    assert " ".join(stored_json["ruleset"]["gber"]["title"].split(" / ")[0].split()) in text
    assert stored_json["ruleset"]["gber"]["id"] not in text


def test_api_check_reports_the_bad_field(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    response = client.post("/api/v1/projects/check", json={"title": "x", "grant_date": "2026-13-01",
                                                            "partners": [], "costs": []}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] in ("grant_date", "partners")


def test_project_page_shows_flags_beside_lines_and_fixes(client, make_user, login, demo_project):
    login(make_user("reader"))
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    assert "AID_INTENSITY_EXCEEDED" in page and "Art. 25" in page
    assert "Det här skulle rätta det" in page
    assert "Lägg till 600\u00a0000,00\u00a0kr i privat medfinansiering" in page  # Norrstål's shortfall
    assert "Största bidrag som kan läggas till" in page
    # Public money per source is named in the page's language, not by its code.
    assert "statlig:" in page and "ERUF:" in page and "state:" not in page and "erdf:" not in page


def test_totals_count_each_funding_line_once(demo_project):
    per_partner, whole = checking.totals(demo_project)
    assert whole.total_costs == 1_490_000_000
    assert whole.level("eu") == 120_000_000
    assert whole.public == 940_000_000  # state 6.5 M + regional 1.7 M + ERDF 1.2 M
    assert whole.private == 520_000_000
    assert sum(t.public for t in per_partner.values()) == whole.public


def test_the_stored_document_is_the_exported_file(demo_project):
    # The check reads the stored project straight into its document; the file export writes that document,
    # and reading the file back gives the same document, so the CLI on the export checks the same thing.
    from synergy_app.stateaid.project_document import document_from_mapping

    doc = checking.project_document(demo_project)
    assert document_from_mapping(yaml.safe_load(yaml.safe_dump(checking.project_mapping(demo_project)))) == doc
    norrstal = doc.partner("norrstal")
    assert norrstal.size == "medium" and isinstance(doc.costs[0].amount_ore, int)
    assert {g.grantor for g in doc.partner("varmauto").de_minimis_received}  # the register's grants are in it


def _page_flags(page: str) -> set[str]:
    from synergy_app.stateaid.flags import known_codes

    return set(re.findall(r"\b[A-Z][A-Z_]+[A-Z]\b", page)) & set(known_codes())


def test_page_api_and_cli_use_one_source_of_programme_rates(client, make_user, login, api_token, demo_project, app,
                                                            tmp_path, db_session):
    from sqlalchemy import update

    from synergy_app.directory.models import Programme

    # A programme row whose rate differs from the shipped reference data (a stale seed, say): were the page to
    # read the database and the CLI the files, the page would flag the ERDF line and the CLI would not.
    changed = db_session.execute(update(Programme).where(Programme.slug == "eruf-ovre-norrland")
                                 .values(cofinancing_rate="0.0100")).rowcount
    assert changed == 1
    db_session.flush()
    headers = api_token(login(make_user("reader")))
    api = client.get(f"/api/v1/projects/{demo_project.id}/check", headers=headers).get_json()
    path = tmp_path / "project.yaml"
    path.write_bytes(client.get(f"/projects/{demo_project.id}/project.yaml").data)
    cli = json.loads(app.test_cli_runner().invoke(args=["check-project", str(path), "--format", "json"]).output)
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    assert cli == api
    assert _page_flags(page) == {f["code"] for f in api["flags"]} == {code for code, _p, _c in EXPECTED_DEMO_FLAGS}
    assert "ERDF_RATE_EXCEEDED" not in page and "ERDF_PROGRAMME_RATE_UNKNOWN" not in page
