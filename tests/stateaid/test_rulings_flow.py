"""The issue's "done when" flow through the pages and the API, permissions, output and precedents."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from synergy_app.audit.models import AuditEntry
from synergy_app.stateaid import precedents
from synergy_app.stateaid import rulings_service as service
from synergy_app.stateaid.models import Ruling, RulingRevision

FORM = {
    "title": "Exempel: tjänster via intermediär",
    "question": "Är stöd till en intermediär som levererar tjänster till företag indirekt statsstöd?",
    "facts": "En regional innovationsaktör får medel och ger företag rådgivning utan kostnad.",
    "assessment": "Fördelen förs vidare till företagen eftersom tjänsterna ges under marknadspris.",
    "conclusion": "Indirekt stöd; tjänsterna ges som de minimis-stöd.",
    "legal_basis": "TFEU art. 107(1)\n(EU) 2023/2831 art. 3",
    "topics": ["intermediary_services"],
    "agencies": ["vinnova", "tillvaxtverket"],
    "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"],
    "decided_on": "2026-03-01",
    "reason": "",
}


def _ruling_id(response) -> int:
    return int(re.search(r"/stateaid/rulings/(\d+)$", response.headers["Location"]).group(1))


def test_done_when_flow(app, client, make_user, login, db_session, api_token):
    tf = make_user("taskforce")
    login(tf)
    response = client.post("/stateaid/rulings/new", data=FORM)
    assert response.status_code == 302
    rid = _ruling_id(response)
    second = {**FORM, "assessment": FORM["assessment"] + " Bedömningen omfattar även testmiljöer.",
              "reason": "Testmiljöer tillagda"}
    assert client.post(f"/stateaid/rulings/{rid}/revise", data=second).status_code == 302
    third = {**second,
             "assessment": second["assessment"].replace("under marknadspris", "utan marknadsmässig ersättning"),
             "reason": "Precisering av ersättningen"}
    assert client.post(f"/stateaid/rulings/{rid}/revise", data=third).status_code == 302
    assert client.post(f"/stateaid/rulings/{rid}/agree").status_code == 302
    ruling = db_session.get(Ruling, rid)
    assert ruling.status == "agreed" and ruling.current_number == 3

    planner = make_user("planner")
    client.post("/logout")
    login(planner)
    # "bedömningar" is not in the text; "Bedömningen" is: the Swedish stem finds it.
    page = client.get("/stateaid/", query_string={"q": "bedömningar testmiljö"}).get_data(as_text=True)
    assert ruling.number in page
    assert "<mark>Bedömningen</mark>" in page
    show = client.get(f"/stateaid/rulings/{rid}", query_string={"a": 1, "b": 3}).get_data(as_text=True)
    assert "Testmiljöer tillagda" in show and "Precisering av ersättningen" in show
    assert "<del>under marknadspris</del>" in show or "<del>under</del>" in show
    assert "<ins>" in show and "testmiljöer" in show
    assert f'href="/stateaid/rulings/{rid}/revise"' not in show  # a planner does not write

    # API: same search, and a project flag shows the ruling as a precedent
    headers = api_token(planner)
    data = client.get("/api/v1/rulings", query_string={"q": "bedömningar", "topic": "intermediary_services"},
                      headers=headers).get_json()
    assert [r["number"] for r in data["rulings"]] == [ruling.number]
    found = precedents.precedents_for(flag_codes=["INDIRECT_AID_VIA_INTERMEDIARY"])
    assert [p["number"] for p in found] == [ruling.number]
    assert found[0]["matched_on"]["flag_code"] == ["INDIRECT_AID_VIA_INTERMEDIARY"]
    assert precedents.rulings_by_flag_code(["INDIRECT_AID_VIA_INTERMEDIARY"])["INDIRECT_AID_VIA_INTERMEDIARY"]
    link = precedents.link_precedent(rid, "hallbar-industri-demo", "INDIRECT_AID_VIA_INTERMEDIARY", planner)
    assert link.id and precedents.linked_precedents("hallbar-industri-demo")[0]["number"] == ruling.number


def test_drafts_only_for_taskforce(client, make_user, login, api_token, db_session):
    tf = make_user("taskforce")
    draft = service.create_ruling({k: v for k, v in FORM.items() if k != "reason"}, tf)
    reader = make_user("reader")
    login(reader)
    assert client.get(f"/stateaid/rulings/{draft.id}").status_code == 404
    assert draft.number not in client.get("/stateaid/", query_string={"q": "intermediär"}).get_data(as_text=True)
    assert client.get(f"/api/v1/rulings/{draft.id}", headers=api_token(reader)).status_code == 404
    assert client.get("/stateaid/rulings/new").status_code == 403
    assert client.post(f"/stateaid/rulings/{draft.id}/agree").status_code == 403
    assert client.get(f"/api/v1/rulings/{draft.id}", headers=api_token(tf)).status_code == 200
    service.agree_ruling(draft, tf)
    assert client.get(f"/stateaid/rulings/{draft.id}").status_code == 200
    assert client.get(f"/api/v1/rulings/{draft.id}", headers=api_token(reader)).get_json()["number"] == draft.number


def test_bad_form_input_shows_message_and_saves_nothing(client, make_user, login, db_session):
    login(make_user("taskforce"))
    before = db_session.scalar(select(func.count()).select_from(Ruling))
    audit_before = db_session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post("/stateaid/rulings/new", data={**FORM, "question": "", "conclusion": "",
                                                          "legal_basis": "paragraf 5 i lagen"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ange frågan som avgörandet besvarar." in page
    assert "Ange avgörandets slutsats." in page
    assert "Okänt format på rättslig grund" in page
    assert db_session.scalar(select(func.count()).select_from(Ruling)) == before
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_revision_without_reason_via_form(client, make_user, login, db_session):
    tf = make_user("taskforce")
    ruling = service.create_ruling({k: v for k, v in FORM.items() if k != "reason"}, tf)
    login(tf)
    response = client.post(f"/stateaid/rulings/{ruling.id}/revise", data={**FORM, "facts": "Nya fakta", "reason": ""})
    assert response.status_code == 400
    assert "Ange skälet till ändringen." in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(RulingRevision)
                             .where(RulingRevision.ruling_id == ruling.id)) == 1


def test_api_filters_and_errors(client, make_user, api_token, db_session):
    tf = make_user("taskforce")
    ruling = service.create_ruling({k: v for k, v in FORM.items() if k != "reason"}, tf)
    service.agree_ruling(ruling, tf)
    headers = api_token(make_user("reader"))
    ok = client.get("/api/v1/rulings", query_string={"legal_basis": "TFEU art. 107", "agency": "vinnova",
                                                      "status": "agreed", "from": "2026-01-01"}, headers=headers)
    assert ruling.number in [r["number"] for r in ok.get_json()["rulings"]]
    bad = client.get("/api/v1/rulings", query_string={"legal_basis": "kapitel 3"}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "legal_basis"
    bad = client.get("/api/v1/rulings", query_string={"from": "mars"}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "from"
    page = client.get("/stateaid/", query_string={"legal_basis": "kapitel 3"}, headers={})
    assert page.status_code in (302, 400)


def test_supersede_keeps_old_readable_with_successor_link(client, make_user, login, db_session):
    tf = make_user("taskforce")
    base = {k: v for k, v in FORM.items() if k != "reason"}
    old = service.create_ruling(base, tf)
    service.agree_ruling(old, tf)
    new = service.create_ruling({**base, "title": "Exempel: ny vägledning"}, tf)
    login(tf)
    assert client.post(f"/stateaid/rulings/{old.id}/supersede",
                       data={"successor": new.number, "reason": "Ny vägledning"}).status_code == 302
    login(make_user("reader"))
    page = client.get(f"/stateaid/rulings/{old.id}").get_data(as_text=True)
    assert "Ersatt" in page and f'href="/stateaid/rulings/{new.id}"' in page


def test_draft_page_suggests_and_links_precedents(client, make_user, login, db_session):
    tf = make_user("taskforce")
    base = {k: v for k, v in FORM.items() if k != "reason"}
    agreed = service.create_ruling(base, tf)
    service.agree_ruling(agreed, tf)
    draft = service.create_ruling({**base, "title": "Exempel: nytt utkast", "flag_codes": [],
                                   "legal_basis": "", "topics": ["intermediary_services"]}, tf)
    login(tf)
    page = client.get(f"/stateaid/rulings/{draft.id}").get_data(as_text=True)
    assert "Möjliga prejudikat" in page and agreed.number in page
    assert client.post(f"/stateaid/rulings/{draft.id}/precedents", data={"precedent": agreed.number}).status_code == 302
    db_session.expire_all()
    draft = db_session.get(Ruling, draft.id)
    assert draft.current_revision.related == [agreed.number] and draft.current_number == 2


def test_pdf_and_xlsx(client, make_user, login, db_session):
    tf = make_user("taskforce")
    ruling = service.create_ruling({k: v for k, v in FORM.items() if k != "reason"}, tf)
    service.agree_ruling(ruling, tf)
    login(make_user("reader"))
    pdf = client.get(f"/stateaid/rulings/{ruling.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert ruling.number in text and "Bedömning" in text
    register = client.get("/stateaid/register.pdf")
    assert register.status_code == 200 and register.data.startswith(b"%PDF")
    xlsx = client.get("/stateaid/register.xlsx")
    sheet = load_workbook(BytesIO(xlsx.data)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ruling.number in numbers


def test_demo_examples_are_clearly_marked(app, db_session):
    from synergy_app.auth.demo import seed_demo as seed_users
    from synergy_app.stateaid.demo import seed_demo

    seed_users()
    summary = seed_demo()
    assert "examples" in summary
    revisions = db_session.scalars(select(RulingRevision)).all()
    assert len({r.ruling_id for r in revisions}) >= 7
    assert all(r.title.startswith("Exempel") and "inte ett verkligt beslut" in r.facts for r in revisions)
    statuses = set(db_session.scalars(select(Ruling.status)))
    assert statuses == {"draft", "agreed", "superseded"}
    assert precedents.precedents_for(flag_codes=["NON_ECONOMIC_CLAIM_REVIEW"])
    assert "already" in seed_demo()


def test_a_version_names_its_author_by_name_not_by_e_mail(client, make_user, login):
    tf = make_user("taskforce", name="Tove Taskforce")
    login(tf)
    rid = _ruling_id(client.post("/stateaid/rulings/new", data=FORM))
    page = client.get(f"/stateaid/rulings/{rid}").get_data(as_text=True)
    assert "<td>Tove Taskforce</td>" in page
    assert f"<td>{tf.email}</td>" not in page
