"""Text the database can store: a NUL byte or another control character (not tab, newline or carriage
return) in any parameter is refused with a message naming the field, changes nothing and is never a
500 (PostgreSQL refuses NUL); importers name the row and field; and a control character already
stored never breaks an export (XLSX cannot hold one).

The forms are found as a user finds them (crawling the pages an admin can open, demo data loaded);
the query parameters from the links and search forms on those pages, and every GET route."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from synergy_app.auth.access import PUBLIC, access_of
from synergy_app.storable_text import forbidden_character, problems_in, replace_forbidden
from tests.security.support import row_counts, rules, seed_demo
from tests.security.test_escaping import _crawl, _fill
from tests.test_route_access import SAMPLES, _url

BAD = {"NUL": "a\x00b", "ESC": "a\x1bb"}
CODEPOINT = {"NUL": "U+0000", "ESC": "U+001B"}
REFUSED_SV = "innehåller ett tecken som inte kan sparas"


def _refused(response, field: str, which: str) -> str | None:
    """None when the answer refuses the field as it should; else what was wrong."""
    body = response.get_data(as_text=True)
    if response.is_json:
        error = response.get_json()["error"]
        body = f"{error['field']} {error['message']}"
    if response.status_code != 400:
        return f"answered {response.status_code}"
    if field not in body or CODEPOINT[which] not in body or REFUSED_SV not in body:
        return "the answer does not name the field and the character"
    return None


@pytest.fixture
def admin_with_demo(db_session, make_user, login):
    seed_demo()
    return login(make_user("admin"))


def test_the_rule_is_the_xml_one_and_keeps_tabs_and_newlines():
    assert forbidden_character("rad 1\nrad 2\r\n\tindrag, åäö €") is None
    assert forbidden_character("a\x00") == "U+0000" and forbidden_character("\x0b") == "U+000B"
    assert forbidden_character("x\ud800") == "U+D800"  # a lone surrogate, as a JSON escape gives
    assert replace_forbidden("a\x01b\x1f\tc") == "a\ufffdb\ufffd\tc"
    nested = {"costs": [{"label": "ok"}, {"label": "x\x00"}], "bad\x02key": 1}
    assert sorted(problems_in(nested)) == [("'bad\\x02key'", "U+0002"), ("costs[1].label", "U+0000")]


def test_a_nul_or_control_character_in_every_form_field_is_refused_naming_it(client, admin_with_demo):
    _pages, forms = _crawl(client)
    before = row_counts()
    problems, sent, seen = [], 0, set()
    for url, form in forms:
        action = urljoin(url, form.action or url)
        path = urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else "")
        data = _fill(form)
        key = (re.sub(r"/\d+", "/N", urlsplit(action).path), tuple(sorted(data)))
        if "/logout" in action or key in seen:
            continue
        seen.add(key)
        for field in sorted(data):
            if field == "csrf_token":
                continue
            for which, value in BAD.items():
                response = client.post(path, data={**data, field: [value]})
                sent += 1
                if (problem := _refused(response, field, which)) is not None:
                    problems.append(f"POST {path} {field} {which}: {problem}")
    assert sent > 150, "the crawl found the forms and their fields"
    assert problems == []
    assert row_counts() == before
    assert client.get("/profile").status_code == 200  # still logged in: no form was taken as a logout


@pytest.mark.parametrize("which", sorted(BAD))
@pytest.mark.parametrize("field", ["email", "password"])
def test_the_login_form_refuses_it_before_anyone_is_logged_in(client, db_session, make_user, field, which):
    user = make_user("reader")
    data = {"email": user.email, "password": "whatever-it-is", field: BAD[which]}
    response = client.post("/login", data=data)
    assert _refused(response, field, which) is None
    assert client.get("/profile").status_code == 302  # not logged in


def _query_parameters(client) -> set[tuple[str, str]]:
    """(path, parameter) pairs: from the links and GET forms on every crawled page."""
    from lxml import html as lxml_html

    pages, _forms = _crawl(client)
    pairs = set()
    for url, body in pages.items():
        parts = urlsplit(url)
        pairs |= {(parts.path, name) for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if not body.lstrip().startswith(b"<"):
            continue
        for form in lxml_html.fromstring(body).forms:
            if (form.method or "GET").upper() == "GET":
                target = urlsplit(urljoin(url, form.action or url)).path
                pairs |= {(target, name) for name in form.inputs.keys() if name}
    return pairs


def test_a_nul_or_control_character_in_every_query_parameter_is_refused_naming_it(app, client, admin_with_demo):
    pairs = _query_parameters(client)
    assert len({name for _path, name in pairs}) >= 8, pairs
    # Every GET route, also those no page links with a query, with the parameter every list reads.
    for rule in rules(app):
        if "GET" in rule.methods and rule.endpoint != "static":
            pairs.add((_url(rule), "page"))
    problems = []
    for path, name in sorted(pairs):
        for which, value in BAD.items():
            response = client.get(path, query_string={name: value})
            if (problem := _refused(response, name, which)) is not None:
                problems.append(f"GET {path}?{name}= {which}: {problem}")
    assert problems == []


def test_a_nul_in_a_path_value_is_refused_not_a_500(app, client, admin_with_demo):
    problems = []
    for rule in rules(app):
        text_args = [a for a in rule.arguments
                     if isinstance(SAMPLES.get(a), str) and a not in ("fmt", "filename", "section")]
        for arg in text_args:
            for value in BAD.values():
                url = rule.build({**{a: SAMPLES[a] for a in rule.arguments}, arg: value}, append_unknown=False)[1]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = client.open(url, method=method)
                    if response.status_code != 400:
                        problems.append(f"{method} {url}: {response.status_code}")
    assert problems == []


def test_the_api_refuses_it_anywhere_in_a_json_body_naming_the_field(client, db_session, make_user, api_token):
    headers = api_token(make_user("planner"))
    document = {"title": "Projekt", "grant_date": "2026-03-01",
                "partners": [{"id": "ltu", "name": "LTU\x1b", "kind": "research_organisation"}],
                "costs": [{"partner": "ltu", "category": "non_economic", "amount_sek": 1000}]}
    clean = {**document, "partners": [{"id": "ltu", "name": "LTU", "kind": "research_organisation"}]}
    for body, field in ((document, "partners[0].name"), ({**clean, "title": "a\x00"}, "title")):
        response = client.post("/api/v1/projects/check", json=body, headers=headers)
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["field"] == field and "U+00" in error["message"]
    lone = client.post("/api/v1/projects/check", data='{"title": "\\ud800"}', headers={
        **headers, "Content-Type": "application/json"})
    assert lone.status_code == 400 and lone.get_json()["error"]["field"] == "title"


def test_the_api_refuses_it_in_a_query_parameter(client, db_session, make_user, api_token):
    headers = api_token(make_user("reader"))
    response = client.get("/api/v1/calls", query_string={"q": "a\x00"}, headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "q"


# --- imports ------------------------------------------------------------------------------------

CSV_HEADER = ("finansiär;referens;uid;titel;program;länk;öppnar;sista ansökningsdag;beslut;tidigaste projektstart;"
              "senaste projektstart;budget (kr);högsta bidrag (kr);stödnivå (%);vem kan söka;teman;regioner;serie")


def test_a_calendar_csv_row_with_a_control_character_names_the_row_and_field(db_session):
    from synergy_app.calendar import service

    content = "\n".join([CSV_HEADER, "vinnova;K-1;;Bra titel;;;2031-02-01;2031-05-06;;;;;;;;;;",
                         "vinnova;K-2;;Titel med \x07 klocka;;;2031-02-01;2031-05-06;;;;;;;;;;"]).encode()
    preview = service.preview_import(content, "csv", "vinnova")
    assert not preview.ok
    assert [(row.row_number, [e.field for e in row.errors]) for row in preview.rows if row.errors] == [(3, ["title"])]
    assert "U+0007" in preview.rows[1].errors[0].message_sv


def test_an_ics_event_with_a_control_character_names_the_event_and_field(db_session):
    from synergy_app.calendar import service
    from tests.submit_twice_cases import ICS_FILE

    content = ICS_FILE.read_bytes().replace(b"industri 2027", b"industri\x02 2027")
    preview = service.preview_import(content, "ics", "vinnova")
    rejected = [(row.row_number, e.field, e.message_en) for row in preview.rows for e in row.errors]
    assert "title" in {field for _n, field, _m in rejected}
    assert all("U+0002" in message for _n, _field, message in rejected)
    assert not preview.ok


def test_a_project_file_with_a_control_character_names_the_field_and_saves_nothing(client, db_session,
                                                                                  make_user, login):
    from synergy_app.projects.models import Project

    login(make_user("planner"))
    content = (b'{"title": "Filprojekt", "grant_date": "2026-03-01", "partners": [{"id": "ltu", '
               b'"name": "LTU\\u0000", "kind": "research_organisation"}], "costs": [{"partner": "ltu", '
               b'"category": "non_economic", "amount_sek": 1000}]}')
    before = len(db_session.scalars(select(Project.id)).all())
    response = client.post("/projects/import", data={"file": (io.BytesIO(content), "p.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "partners[0].name" in response.get_data(as_text=True) and "U+0000" in response.get_data(as_text=True)
    assert len(db_session.scalars(select(Project.id)).all()) == before


# --- exports ------------------------------------------------------------------------------------

XLSX_EXPORTS = ["/calendar/export.xlsx", "/projects/de-minimis/export.xlsx", "/stateaid/register.xlsx",
                "/priorities/matrix?format=xlsx", "/priorities/regions/ostergotland?format=xlsx",
                "/directory/regions/ostergotland/extract.xlsx", "/directory/organisations/vinnova/extract.xlsx",
                "/projects/{demo_project}/actuals/template.xlsx"]


def _store_control_characters() -> None:
    """What an older version let in: a control character in every text the exports show."""
    from synergy_app.calendar.models import Call
    from synergy_app.directory.models import Organisation
    from synergy_app.extensions import db
    from synergy_app.priorities.models import Area, Priority
    from synergy_app.projects.models import ProjectPartner
    from synergy_app.stateaid import rulings_service
    from synergy_app.stateaid.models_de_minimis import DeMinimisGrant, SingleUndertaking
    from tests.submit_twice_cases import RULING

    for model, column in ((Call, Call.title), (Priority, Priority.title), (Area, Area.title),
                          (SingleUndertaking, SingleUndertaking.name), (DeMinimisGrant, DeMinimisGrant.grantor),
                          (Organisation, Organisation.name), (ProjectPartner, ProjectPartner.name)):
        db.session.execute(update(model).values({column: column + "\x01\x0b"}))
    db.session.commit()
    # Ruling revisions are append-only: a ruling logged with the characters, then agreed.
    ruling = rulings_service.create_ruling(dict(RULING, title="Avgörande \x01\x0b"), "test", reason="")
    rulings_service.agree_ruling(ruling, "test")


@pytest.mark.parametrize("url", XLSX_EXPORTS)
def test_a_stored_control_character_does_not_break_any_xlsx_export(client, admin_with_demo, url):
    from synergy_app.extensions import db
    from synergy_app.projects.models import Project

    _store_control_characters()
    # The demo project's id differs between databases (PostgreSQL keeps its sequences across tests).
    response = client.get(url.format(demo_project=db.session.scalar(select(func.min(Project.id)))))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    book = load_workbook(io.BytesIO(response.data))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any("\ufffd" in c for c in cells), "the stored text is exported, the characters replaced"
    assert not any(forbidden_character(c) for c in cells)


def test_every_xlsx_export_is_in_the_list(app):
    exports = {rule.rule for rule in rules(app) if "xlsx" in rule.rule and PUBLIC not in
               (access_of(app.view_functions[rule.endpoint]) or ())}
    covered = {"/calendar/export.xlsx", "/projects/de-minimis/export.xlsx", "/stateaid/register.xlsx",
               "/directory/regions/<key>/extract.<any(xlsx, csv):fmt>",
               "/directory/organisations/<slug>/extract.<any(xlsx, csv):fmt>",
               "/projects/<int:id>/actuals/template.xlsx",  # lists the project's partners
               "/calendar/import/template.xlsx", "/projects/budget-template.xlsx"}  # the templates hold no user text
    assert exports <= covered, exports - covered
