"""Amounts and percentages as a reader of the chosen language reads them (Babel, CLDR data).

The one place that turns money (integer öre, Decimal euro) and shares into text. Swedish writes the
amount first and the currency as Swedish running text does ("1 200 000,00 kr", "11 500 000,00 euro");
English puts the ISO code first, as the EU style guide does ("SEK 1,200,000.00", "EUR 11,500,000.00").
Core code passes typed values (``Sek``, ``Eur``, ``Pct``) so each language formats them itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale, numbers

MISSING = "–"

# ¤ is the currency symbol (kr), ¤¤ the ISO code (EUR), ¤¤¤ the currency's name (euro).
_CURRENCY_PATTERNS = {
    "sv": {"SEK": "#,##0.00\u00a0¤", "EUR": "#,##0.00\u00a0¤¤¤"},
    "en": {"SEK": "¤¤\u00a0#,##0.00", "EUR": "¤¤\u00a0#,##0.00"},
}


@dataclass(frozen=True)
class Sek:
    """An amount in Swedish kronor, as integer öre."""

    ore: int


@dataclass(frozen=True)
class Eur:
    """An amount in euro (Decimal, to the cent)."""

    amount: Decimal


@dataclass(frozen=True)
class Pct:
    """A share as a fraction: Pct(Decimal('0.45')) reads 45 %; up to ``digits`` decimals of the percent."""

    fraction: Decimal
    digits: int = 2


Typed = Sek | Eur | Pct


def _language(locale: str | None) -> str:
    return "en" if str(locale or "sv").split("_")[0] == "en" else "sv"


@cache
def _percent_pattern(language: str, digits: int) -> str:
    # The locale's own percent pattern (45 % in Swedish, 45% in English) with up to ``digits`` decimals.
    fraction = "." + "#" * digits if digits else ""
    return Locale.parse(language).percent_formats[None].pattern.replace("#,##0", "#,##0" + fraction, 1)


def format_value(value: Typed | Decimal | int | None, locale: str | None) -> str:
    """Any amount or share in the reader's language ('sv' or 'en'); None reads '–'.

    A plain Decimal or int is a number (an exchange rate keeps every digit it has).
    """
    language = _language(locale)
    if value is None:
        return MISSING
    if isinstance(value, Sek):
        return numbers.format_currency(Decimal(int(value.ore)) / 100, "SEK",
                                       format=_CURRENCY_PATTERNS[language]["SEK"], locale=language,
                                       currency_digits=False)
    if isinstance(value, Eur):
        return numbers.format_currency(Decimal(value.amount), "EUR", format=_CURRENCY_PATTERNS[language]["EUR"],
                                       locale=language, currency_digits=False)
    if isinstance(value, Pct):
        return numbers.format_percent(Decimal(value.fraction), format=_percent_pattern(language, value.digits),
                                      locale=language)
    return numbers.format_decimal(Decimal(value), locale=language, decimal_quantization=False)


def format_sek(ore: int | None, locale: str | None) -> str:
    return MISSING if ore is None else format_value(Sek(ore), locale)


def format_eur(amount: Decimal | str | int | None, locale: str | None) -> str:
    return MISSING if amount is None else format_value(Eur(Decimal(str(amount))), locale)


def format_percent(fraction: Decimal | str | None, locale: str | None, digits: int = 2) -> str:
    return MISSING if fraction is None else format_value(Pct(Decimal(str(fraction)), digits), locale)


def localize(params: dict, locale: str) -> dict:
    """``params`` with every typed amount or share replaced by its text in ``locale``."""
    return {k: format_value(v, locale) if isinstance(v, Sek | Eur | Pct) else v for k, v in params.items()}
