"""The one money module: what a user types is read to öre or refused with a reason; amounts are written
for readers (Babel) and for files, and the öre/euro arithmetic never rounds a limit up."""

from decimal import Decimal

import pytest

from synergy_app import money
from synergy_app.money import AmountError, format_percent, format_places, format_sek, parse_kronor, parse_ore


@pytest.mark.parametrize(("text", "ore"), [
    ("1 200 000", 120_000_000),
    ("1 200 000,50", 120_000_050),
    ("1200000 kr", 120_000_000),
    ("1200000.5", 120_000_050),
    ("2 000 SEK", 200_000),
    ("500:-", 50_000),
    ("1\u00a0200\u202f000,00\u00a0kr", 120_000_000),  # as Babel writes it, copied back into a form
    ("0", 0),
])
def test_amounts_as_people_write_them(text, ore):
    assert parse_ore(text) == ore


@pytest.mark.parametrize(("text", "reason", "words"), [
    ("", "empty", "Ange ett belopp"),
    ("   ", "empty", "Ange ett belopp"),
    ("tio", "not_a_number", "”tio” är inte ett belopp"),
    ("1,2,3", "not_a_number", "inte ett belopp"),
    ("12.345,6", "not_a_number", "inte ett belopp"),
    ("1e6", "not_a_number", "inte ett belopp"),
    ("NaN", "not_a_number", "inte ett belopp"),
    ("-5", "negative", "negativt"),
    ("-1 200 kr", "negative", "negativt"),
    ("1,234", "too_many_decimals", "två decimaler"),
    ("1.005", "too_many_decimals", "två decimaler"),
    ("9" * 40, "too_large", "orimligt stort"),
])
def test_bad_amounts_are_refused_naming_the_problem(text, reason, words):
    with pytest.raises(AmountError) as exc:
        parse_ore(text)
    assert exc.value.reason == reason
    assert words in exc.value.message_sv and exc.value.message_en


def test_numbers_from_a_file_are_kronor():
    assert parse_ore(5) == 500 and parse_ore(Decimal("1.5")) == 150
    assert parse_kronor("1 200 000,50") == Decimal("1200000.50")
    with pytest.raises(AmountError):
        parse_ore(Decimal("0.001"))
    with pytest.raises(AmountError):
        parse_ore(True)  # a yes/no cell is not an amount


def test_writing_for_files_and_forms():
    assert money.kronor_text(120_000_050) == "1200000.50" and money.kronor_text(120_000_000) == "1200000"
    assert money.kronor_text(150_000_050, ",") == "1500000,50" and money.kronor_text(None) == ""
    assert money.kronor_input(120_000_050) == "1 200 000,50" and money.kronor_input(600_000_000) == "6 000 000"
    assert money.ore_to_kronor(12345) == Decimal("123.45") and money.ore_to_kronor(None) is None
    assert format(money.ore_to_kronor(100), "f") == "1.00"


def test_readers_get_babel_text_in_their_language():
    assert format_sek(120_000_000, "sv") == "1\u00a0200\u00a0000,00\u00a0kr"
    assert format_sek(120_000_000, "en") == "SEK\u00a01,200,000.00"
    assert format_percent(Decimal("0.45"), "sv") == "45\u00a0%"
    assert format_percent(Decimal("0.45"), "en") == "45%"
    assert format_sek(None, "sv") == "–"
    # A column of scores lines up: always the same number of decimals.
    assert [format_places(Decimal(x), "sv") for x in ("0.5", "0.61", "12")] == ["0,50", "0,61", "12,00"]
    assert format_places(Decimal("1234.5"), "en") == "1,234.50"


def test_arithmetic_in_ore_and_euro_never_rounds_a_limit_up():
    assert money.share_of(999, Decimal("0.5")) == 499
    assert money.eur_to_ore(Decimal("1"), Decimal("11.4999")) == 1149
    assert money.ore_to_eur(1_150_000, Decimal("11.5")) == Decimal("1000.00")
    assert money.percent_string(Decimal("0.45")) == "45.00"
