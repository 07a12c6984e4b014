"""Import through the web and the CLI: preview per row, confirm, re-import updates, a bad row saves nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from synergy_app.calendar.models import Call, CallImportDraft

FIXTURES = Path(__file__).parent / "fixtures"

CSV = (
    "finansiär;referens;titel;öppnar;sista ansökningsdag;beslut;teman;regioner\n"
    "vinnova;W-1;Webbimport ett;2027-02-01;2027-04-15 14:00;2027-06-10;vinnova-hallbar-industri;varmland\n"
    'tillvaxtverket;W-2;Webbimport två;2027-03-01;"Steg 1=2027-04-20; Steg 2=2027-09-20";2027-11-30;;norrbotten\n'
)


@pytest.fixture
def planner(make_user, login):
    return login(make_user("planner"))


def _count(db_session, prefix: str = "") -> int:
    return db_session.scalar(select(func.count()).select_from(Call).where(Call.title.like(f"{prefix}%")))


def _upload(client, content: bytes, filename: str, funder: str = ""):
    return client.post("/calendar/import", data={"file": (io.BytesIO(content), filename), "funder": funder},
                       content_type="multipart/form-data")


def _draft(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('value="', html.index('name="draft"')) + len('value="')
    return html[start:html.index('"', start)]


def test_preview_then_confirm_then_reimport_updates_not_duplicates(client, planner, db_session):
    response = _upload(client, CSV.encode(), "calls.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Webbimport ett" in page and "Ny" in page
    assert _count(db_session, "Webbimport") == 0  # preview saves nothing
    token = _draft(response)
    assert db_session.scalar(select(CallImportDraft.id).where(CallImportDraft.token == token))
    response = client.post("/calendar/import/confirm", data={"draft": token})
    assert response.status_code == 302
    assert _count(db_session, "Webbimport") == 2
    call = db_session.scalar(select(Call).where(Call.reference == "W-2"))
    assert len([e for e in call.events if e.kind == "deadline"]) == 2

    # The same file again: unchanged rows, no duplicates.
    response = _upload(client, CSV.encode(), "calls.csv")
    assert "Oförändrad" in response.get_data(as_text=True)
    client.post("/calendar/import/confirm", data={"draft": _draft(response)})
    assert _count(db_session, "Webbimport") == 2

    # A moved deadline: an update, kept in the history.
    moved = CSV.replace("2027-04-15 14:00", "2027-04-22 14:00")
    response = _upload(client, moved.encode(), "calls.csv")
    assert "Uppdateras" in response.get_data(as_text=True)
    client.post("/calendar/import/confirm", data={"draft": _draft(response)})
    assert _count(db_session, "Webbimport") == 2
    call = db_session.scalar(select(Call).where(Call.reference == "W-1"))
    db_session.refresh(call)
    assert call.revision == 1 and call.date_changes[0].field == "deadline:0"


def test_bad_rows_name_each_row_and_save_nothing(client, planner, db_session):
    before = _count(db_session)
    response = _upload(client, (FIXTURES / "bad_rows.csv").read_bytes(), "bad_rows.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ingenting sparas" in page
    assert "före öppningsdagen" in page and "Okänd finansiär" in page and "Ogiltigt datum" in page
    # Each error names its column as the template's header, in the page's language.
    assert "sista ansökningsdag: " in page and "finansiär: " in page and "deadline: " not in page
    assert 'name="draft"' not in page
    # A rejected row is named by funder and reference, not by the importer's internal key.
    assert "Vinnova · A-4" in page and "ref:vinnova:A-4" not in page
    assert _count(db_session) == before


def test_missing_column_and_malformed_ics_are_file_errors(client, planner, db_session):
    before = _count(db_session)
    page = _upload(client, (FIXTURES / "missing_column.csv").read_bytes(), "m.csv").get_data(as_text=True)
    assert "saknas" in page
    page = _upload(client, (FIXTURES / "malformed.ics").read_bytes(), "m.ics", "vinnova").get_data(as_text=True)
    assert "Ingenting sparas" in page
    assert _count(db_session) == before


def test_unknown_region_rejects_the_row(client, planner, db_session):
    bad = CSV.replace(";norrbotten", ";atlantis")
    response = _upload(client, bad.encode(), "calls.csv")
    assert response.status_code == 422 and "Okänd region" in response.get_data(as_text=True)


def test_outlook_ics_import(client, planner, db_session):
    response = _upload(client, (FIXTURES / "outlook_windows_zone.ics").read_bytes(), "outlook.ics", "vinnova")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    client.post("/calendar/import/confirm", data={"draft": _draft(response)})
    assert _count(db_session, "Hållbar industri 2027") == 1


def test_xlsx_import(client, planner, db_session):
    response = _upload(client, (FIXTURES / "calls.xlsx").read_bytes(), "calls.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "Rad" in page


def test_confirm_needs_own_draft(client, planner, make_user, login):
    response = _upload(client, CSV.encode(), "calls.csv")
    token = _draft(response)
    client.post("/logout")
    login(make_user("planner"))
    assert client.post("/calendar/import/confirm", data={"draft": token}).status_code == 404


def test_cli_exit_codes(app, db_session, tmp_path):
    from synergy_app.calendar.cli import import_calls

    runner = app.test_cli_runner()
    good = tmp_path / "good.csv"
    good.write_text(CSV.replace("W-", "CLI-"), encoding="utf-8")
    result = runner.invoke(import_calls, [str(good), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and _count(db_session, "Webbimport") == 0
    result = runner.invoke(import_calls, [str(good)])
    assert result.exit_code == 0 and "Saved" in result.output
    assert _count(db_session, "Webbimport") == 2

    result = runner.invoke(import_calls, [str(FIXTURES / "bad_rows.csv")])
    assert result.exit_code == 1
    assert "row 3" in result.output and "row 4" in result.output and "nothing saved" in result.output

    result = runner.invoke(import_calls, [str(FIXTURES / "google_all_day_rrule.ics"), "--funder", "vinova"])
    assert result.exit_code == 2 and "vinnova" in result.output
    result = runner.invoke(import_calls, [str(FIXTURES / "google_all_day_rrule.ics")])
    assert result.exit_code == 2
    result = runner.invoke(import_calls, [str(tmp_path / "nope.csv")])
    assert result.exit_code == 2


def test_cli_that_keeps_losing_the_race_says_so_and_exits_1(app, db_session, tmp_path, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from synergy_app.calendar import service
    from synergy_app.calendar.cli import import_calls

    attempts = []

    def always_taken(*args, **kwargs):
        attempts.append(1)
        raise IntegrityError("INSERT", {}, Exception("unique constraint on the call identity"))

    monkeypatch.setattr(service, "commit_import", always_taken)
    monkeypatch.setattr(service, "sleep", lambda seconds: None)
    good = tmp_path / "race.csv"
    good.write_text(CSV.replace("W-", "RACE-"), encoding="utf-8")
    result = app.test_cli_runner().invoke(import_calls, [str(good)])
    assert result.exit_code == 1
    assert "same calls were being saved by someone else" in result.output
    assert len(attempts) == service.IMPORT_ATTEMPTS  # checked again before giving up
    assert _count(db_session, "Webbimport") == 0
