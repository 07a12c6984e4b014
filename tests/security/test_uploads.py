"""Every upload is size-limited and checked by content: a clear message naming the file field, nothing written.

The uploads are the call import (ICS, CSV, XLSX) and the project import (YAML, JSON, XLSX budget).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from synergy_app.calendar import service as calendar_service
from synergy_app.projects import views as project_views
from tests.security.support import row_counts

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
GARBAGE = bytes((i * 97 + 13) % 256 for i in range(5000))


def _zip_that_is_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


def _text(response) -> str:
    main = response.get_data(as_text=True).split('id="main"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def writer(make_user, login):
    return login(make_user("planner"))


def _import_calls(client, name: str, content: bytes, kind: str = ""):
    return client.post("/calendar/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name), "funder": "vinnova", "kind": kind})


def _import_project(client, name: str, content: bytes):
    return client.post("/projects/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


CALL_CASES = [
    ("bild.ics", PNG, "Filen är inte en ICS-kalender"),
    ("text.ics", b"Hej, det h\xc3\xa4r \xc3\xa4r ingen kalender.\n", "Filen är inte en ICS-kalender"),
    ("paket.xlsx", _zip_that_is_not_a_workbook(), "Filen kunde inte läsas som XLSX"),
    ("bild.xlsx", PNG, "Filen kunde inte läsas som XLSX"),
    ("skrap.csv", GARBAGE, "Filen är inte en CSV-fil"),
    ("bild.csv", PNG, "Filen är inte en CSV-fil"),
    ("radbrytning.csv", b'Titel;Finansi\xc3\xa4r\n"a\rb;c\n', "Filen"),
]


@pytest.mark.parametrize("name, content, message", CALL_CASES, ids=[c[0] for c in CALL_CASES])
def test_call_import_refuses_a_file_of_the_wrong_kind_by_its_content(client, writer, db_session, name, content,
                                                                   message):
    before = row_counts()
    response = _import_calls(client, name, content)
    assert response.status_code in (400, 422)
    text = _text(response)
    assert "Filen:" in text and message in text  # the file field, then what is wrong with it
    assert row_counts() == before


def test_call_import_refuses_a_file_over_its_limit_before_reading_it(client, writer, db_session):
    before = row_counts()
    response = _import_calls(client, "stor.csv", b"a" * (calendar_service.MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "Filen är större än 10 MB." in body
    assert 'aria-invalid="true"' in body  # shown at the file field
    assert row_counts() == before


PROJECT_CASES = [
    ("bild.yaml", PNG, "filen är inte UTF-8-kodad"),
    ("skrap.json", GARBAGE, "filen är inte UTF-8-kodad"),
    ("paket.xlsx", _zip_that_is_not_a_workbook(), "filen kan inte läsas som XLSX"),
    ("bild.xlsx", PNG, None),
]


@pytest.mark.parametrize("name, content, message", PROJECT_CASES, ids=[c[0] for c in PROJECT_CASES])
def test_project_import_refuses_a_file_of_the_wrong_kind_by_its_content(client, writer, db_session, name, content,
                                                                      message):
    before = row_counts()
    response = _import_project(client, name, content)
    assert response.status_code == 400
    text = _text(response)
    assert "Filen lästes inte in" in text
    assert re.search(r"\bFil\s*:", text)  # the error names the form field by its label, not its key
    if message:
        assert message in text
    assert row_counts() == before


def test_project_import_refuses_a_file_over_its_limit(client, writer, db_session):
    before = row_counts()
    response = _import_project(client, "stor.yaml", b"a" * (project_views.MAX_UPLOAD + 1))
    assert response.status_code == 400
    assert "Filen är större än 5 MB." in _text(response)
    assert row_counts() == before


@pytest.mark.parametrize("path", ["/calendar/import", "/projects/import"])
def test_a_request_over_the_app_limit_gets_a_page_that_says_so(app, client, writer, db_session, path):
    before = row_counts()
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(path, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"a" * size), "enorm.csv"), "funder": "vinnova"})
    assert response.status_code == 413
    text = _text(response)
    assert "Filen är för stor" in text
    assert "Den uppladdade filen är större än 20 MB" in text and "Ingenting sparades." in text
    assert row_counts() == before


def test_the_project_check_api_refuses_a_document_over_its_limit(client, make_user, api_token):
    response = client.post("/api/v1/projects/check", data=b"a" * (5 * 1024 * 1024 + 1),
                           headers={**api_token(make_user("planner")), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["error"]["message"] == "Dokumentet är större än 5 MB."


def test_the_api_answers_a_body_over_the_app_limit_with_json(app, client, make_user, api_token):
    response = client.post("/api/v1/calls/alignment", data=b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1),
                           headers={**api_token(make_user("planner")), "Content-Type": "application/json"})
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "request_entity_too_large" and "20 MB" in error["message"]
