"""Found by walking the product in a browser: a new project without partners opened a 500 page, a partner's
organisation number was stored in any form, and a flag showed an empty "rulings on the same question" heading."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from synergy_app.projects.models import Project, ProjectPartner, ProjectRulingLink


def _new_project(client) -> int:
    response = client.post("/projects/new", data={
        "title": "QA-projekt utan partner", "description": "Beskrivning", "regions": ["ostergotland"],
        "grant_date": "2026-06-01", "application_date": "2026-05-01", "work_start": "2026-07-01",
        "start_date": "2026-07-01", "end_date": "2027-12-31", "status": "draft"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/projects/(\d+)", response.headers["Location"]).group(1))


def test_new_project_without_partners_opens_and_says_why_it_cannot_be_checked(client, planner):
    project_id = _new_project(client)
    page = client.get(f"/projects/{project_id}")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "Kan inte köras ännu" in text and "minst en partner" in text
    assert "Projektet har inga partner ännu." in text
    # The report cannot be made yet: back to the page with the reason, not a server error.
    report = client.get(f"/projects/{project_id}/report.pdf")
    assert report.status_code == 302 and report.headers["Location"].endswith(f"/projects/{project_id}")
    assert "minst en partner" in html.unescape(client.get(f"/projects/{project_id}").get_data(as_text=True))


def test_api_check_of_a_project_without_partners_is_a_json_error(client, planner, api_token):
    project_id = _new_project(client)
    response = client.get(f"/api/v1/projects/{project_id}/check", headers=api_token(planner))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "partners"


def test_partner_after_the_first_makes_the_check_run(client, planner, db_session):
    project_id = _new_project(client)
    response = client.post(f"/projects/{project_id}/partners/new", data={
        "name": "QA Verkstad AB", "kind": "undertaking", "size_stated": "small"})
    assert response.status_code == 302
    text = html.unescape(client.get(f"/projects/{project_id}").get_data(as_text=True))
    assert "Kan inte köras ännu" not in text and "QA Verkstad AB" in text


def test_partner_organisation_number_is_checked_and_written_as_in_the_ledger(client, planner, db_session):
    project_id = _new_project(client)
    bad = client.post(f"/projects/{project_id}/partners/new", data={
        "name": "QA Verkstad AB", "kind": "undertaking", "size_stated": "small", "org_number": "123"})
    assert bad.status_code == 400
    assert "NNNNNN-NNNN" in html.unescape(bad.get_data(as_text=True))
    assert 'value="QA Verkstad AB"' in bad.get_data(as_text=True)  # the form keeps what was typed
    assert db_session.scalar(select(ProjectPartner).where(ProjectPartner.project_id == project_id)) is None

    good = client.post(f"/projects/{project_id}/partners/new", data={
        "name": "QA Verkstad AB", "kind": "undertaking", "size_stated": "small", "org_number": "5560000001"})
    assert good.status_code == 302
    partner = db_session.scalar(select(ProjectPartner).where(ProjectPartner.project_id == project_id))
    assert partner.org_number == "556000-0001"


def test_flag_without_precedent_has_no_empty_precedent_heading(client, planner, demo_project, db_session):
    project = db_session.get(Project, demo_project.id)
    heading = "Avgöranden från taskforcen i samma fråga"

    def flag_items(page: str) -> list[str]:
        return re.split(r'<li class="flag ', page)[1:]

    page = html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True))
    codes = set(re.findall(r"<code>([A-Z_]+)</code>", page))
    without = sorted({c for c in codes if not any(f"<code>{c}</code>" in i and heading in i for i in flag_items(page))})
    assert len(without) >= 2
    linked_code, other_code = without[:2]
    project.ruling_links.append(ProjectRulingLink(flag_code=linked_code, ruling_id=999, label="TF-QA Länkat"))
    db_session.commit()

    items = flag_items(html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True)))
    linked_items = [i for i in items if f"<code>{linked_code}</code>" in i]
    other_items = [i for i in items if f"<code>{other_code}</code>" in i]
    assert linked_items and all(heading in i and "TF-QA Länkat" in i for i in linked_items)
    assert other_items and not any(heading in i or "TF-QA Länkat" in i for i in other_items)


def test_a_flag_codes_suggested_precedents_are_listed_once_and_referred_to_from_its_other_flags(
        client, planner, db_session):
    import copy

    from synergy_app.projects import service
    from synergy_app.projects.demo import DEMO_DOCUMENT
    from synergy_app.stateaid.demo import seed_demo as seed_example_rulings
    from synergy_app.stateaid.project_document import document_from_mapping

    seed_example_rulings()
    # Two universities with non-economic costs: the same flag twice, with the same precedents.
    mapping = copy.deepcopy(DEMO_DOCUMENT)
    mapping["title"] = "Två universitet"
    mapping["partners"].append({"id": "kth", "name": "Kungliga Tekniska högskolan", "kind": "research_organisation"})
    mapping["costs"].append({"partner": "kth", "category": "non_economic", "amount_sek": 1000000})
    mapping["funding"].append({"source": "vinnova", "kind": "state", "partner": "kth", "category": "non_economic",
                               "amount_sek": 1000000})
    project = service.import_document(document_from_mapping(mapping), planner, ["norrbotten"])

    page = html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True))
    items = re.split(r'<li class="flag ', page)[1:]
    code = "NON_ECONOMIC_NOT_STATE_AID"
    flagged = [i for i in items if f"<code>{code}</code>" in i]
    assert len(flagged) == 2
    assert page.count(f'id="precedents-{code}"') == 1  # the full list, with its link forms, once
    assert 'name="ruling_id"' in flagged[0] and f'id="precedents-{code}"' in flagged[0]
    assert f'href="#precedents-{code}"' in flagged[1] and 'name="ruling_id"' not in flagged[1]
