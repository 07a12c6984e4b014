"""Money in one place: read what a user typed, compute in integer öre and Decimal euro, write it for
a reader (Babel, CLDR data) or for a file.

Reading: ``parse_ore`` takes kronor as people write them in Sweden ("1 200 000", "1 200 000,50",
"1200000 kr") and refuses anything else with an AmountError that says what is wrong, in Swedish and
English.

Arithmetic: öre and euro, never float; a limit never rounds up (``share_of``, ``eur_to_ore``).

Writing for readers: Swedish writes the amount first and the currency as Swedish running text does
("1 200 000,00 kr", "11 500 000,00 euro"); English puts the ISO code first, as the EU style guide does
("SEK 1,200,000.00", "EUR 11,500,000.00"). Core code passes typed values (``Sek``, ``Eur``, ``Pct``)
so each language formats them itself. Writing for files: ``kronor_text`` (plain, machine-readable),
``kronor_input`` (grouped, for a form field the parser reads back) and ``ore_to_kronor`` (Decimal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale, numbers

MISSING = "–"
ORE_PER_KRONA = 100
# Far above any budget, and its öre still fit a BIGINT column and Decimal's default 28 digits.
MAX_KRONOR = Decimal(10) ** 15

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
_TYPED = frozenset((Sek, Eur, Pct))


def _language(locale: str | None) -> str:
    if locale is None or locale == "sv":  # the usual cases, without building a string
        return "sv"
    return "en" if str(locale).split("_")[0] == "en" else "sv"


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
    if isinstance(value, Sek) and isinstance(value.ore, int):
        return _sek_text(value.ore, language)
    if isinstance(value, Pct) and type(value.fraction) is Decimal and value.fraction.is_finite():
        return _pct_text(value.fraction, value.digits, language)
    if isinstance(value, Eur) and type(value.amount) is Decimal and value.amount.is_finite():
        return _eur_text(value.amount, language)
    key = _memo_key(value)
    return _babel_text(value, language) if key is None else _formatted(*key, language)


# Amounts and shares written without Babel's per-call pattern and locale work (a check report writes
# hundreds, most of them different): exactly what Babel writes with ``_CURRENCY_PATTERNS`` and
# ``_percent_pattern``, which tests compare over many values. Babel rounds half to even.

def _grouped(whole: int, language: str) -> str:
    text = f"{whole:,}"
    return text if language == "en" else text.replace(",", "\u00a0")


def _sek_text(ore: int, language: str) -> str:
    kronor, rest = divmod(abs(ore), ORE_PER_KRONA)
    sign = "-" if ore < 0 else ""
    if language == "en":
        return f"{sign}SEK\u00a0{kronor:,}.{rest:02d}"
    return f"{sign}{_grouped(kronor, language)},{rest:02d}\u00a0kr"


_CENT = Decimal("0.01")


def _eur_text(amount: Decimal, language: str) -> str:
    cents = int(amount.quantize(_CENT, rounding=ROUND_HALF_EVEN).scaleb(2))
    whole, rest = divmod(abs(cents), 100)
    sign = "-" if amount.is_signed() else ""  # as Babel: a negative that rounds to zero keeps its sign
    if language == "en":
        return f"{sign}EUR\u00a0{whole:,}.{rest:02d}"
    return f"{sign}{_grouped(whole, language)},{rest:02d}\u00a0euro"


def _pct_text(fraction: Decimal, digits: int, language: str) -> str:
    # Up to ``digits`` decimals of the percent, trailing zeros dropped ("#,##0.##").
    scaled = int((fraction * 100).scaleb(digits).quantize(1, rounding=ROUND_HALF_EVEN))
    whole, rest = divmod(abs(scaled), 10**digits)
    sign = "-" if fraction.is_signed() else ""
    decimals = f"{rest:0{digits}d}".rstrip("0") if digits else ""
    if language == "en":
        return f"{sign}{whole:,}{'.' + decimals if decimals else ''}%"
    return f"{sign}{_grouped(whole, language)}{',' + decimals if decimals else ''}\u00a0%"


def _memo_key(value) -> tuple[str, str, int] | None:
    """(kind, exact text of the number, digits) for the values whose text is kept; None for others."""
    if isinstance(value, Pct) and isinstance(value.fraction, Decimal):
        return "pct", str(value.fraction), value.digits
    if isinstance(value, Eur) and isinstance(value.amount, Decimal):
        return "eur", str(value.amount), 0
    if type(value) is Decimal:
        return "dec", str(value), 0
    if type(value) is int:
        return "int", str(value), 0
    return None


@lru_cache(maxsize=4096)
def _formatted(kind: str, text: str, digits: int, language: str) -> str:
    # Keyed by the exact text of the number, so 0.5 and 0.50 (equal, written differently) stay apart.
    value = {"pct": lambda: Pct(Decimal(text), digits), "eur": lambda: Eur(Decimal(text)),
             "dec": lambda: Decimal(text), "int": lambda: int(text)}[kind]()
    return _babel_text(value, language)


def _babel_text(value: Typed | Decimal | int, language: str) -> str:
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
    if type(ore) is int:
        return _sek_text(ore, _language(locale))
    return MISSING if ore is None else format_value(Sek(ore), locale)


def format_eur(amount: Decimal | str | int | None, locale: str | None) -> str:
    return MISSING if amount is None else format_value(Eur(Decimal(str(amount))), locale)


def format_percent(fraction: Decimal | str | None, locale: str | None, digits: int = 2) -> str:
    if type(fraction) is Decimal and fraction.is_finite():
        return _pct_text(fraction, digits, _language(locale))
    return MISSING if fraction is None else format_value(Pct(Decimal(str(fraction)), digits), locale)


@cache
def _fixed_pattern(places: int) -> str:
    return "#,##0." + "0" * places if places else "#,##0"


def format_places(number: Decimal, locale: str | None, places: int = 2) -> str:
    """A number with exactly ``places`` decimals in the reader's language ("0,50", "1 234,50"), so a
    column of scores lines up; rounded half to even as Babel does."""
    return numbers.format_decimal(number, format=_fixed_pattern(places), locale=_language(locale))


def localize(params: dict, locale: str) -> dict:
    """``params`` with every typed amount or share replaced by its text in ``locale``."""
    return {k: format_value(v, locale) if type(v) in _TYPED else v for k, v in params.items()}


# --- reading what a user typed ---------------------------------------------------------------------

# Currency words people add; spaces of every kind (a thin space from a copied Babel text included).
_CURRENCY = re.compile(r"kr\.?|sek|:-")
_SPACES = re.compile(r"\s+")
_KRONOR = re.compile(r"(\d+)(?:\.(\d+))?")


class AmountError(ValueError):
    """Text that is not an amount of kronor. ``reason``: "empty", "not_a_number", "negative",
    "too_large" or "too_many_decimals"; the messages say what is wrong so the user can fix it."""

    def __init__(self, reason: str, message_sv: str, message_en: str):
        self.reason = reason
        self.message_sv = message_sv
        self.message_en = message_en
        super().__init__(message_en)


def _not_a_number(text: str) -> AmountError:
    return AmountError("not_a_number", f"”{text}” är inte ett belopp; skriv till exempel 1 200 000.",
                       f"“{text}” is not an amount; write for example 1 200 000.")


def _normalised(text: str) -> str:
    cleaned = _SPACES.sub("", _CURRENCY.sub("", text.strip().lower()))
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # the Swedish decimal comma
    return cleaned


def parse_kronor(value: str | int | Decimal) -> Decimal:
    """Kronor as people write them in Sweden -> Decimal kronor with at most two decimals.

    "1 200 000", "1 200 000,50", "1200000.50", "1200000 kr", "2 000 SEK" are read; a grouping comma or
    dot ("1,200,000"), a sign, an exponent or more than two decimals is refused with an AmountError."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _checked(Decimal(value), str(value))
    text = str(value).strip()
    if not text:
        raise AmountError("empty", "Ange ett belopp i kronor.", "Enter an amount in kronor.")
    cleaned = _normalised(text)
    negative = cleaned.startswith("-")
    match = _KRONOR.fullmatch(cleaned.removeprefix("-"))
    if match is None:
        raise _not_a_number(text)
    if match.group(2) is not None and len(match.group(2)) > 2:
        raise _too_many_decimals()
    return _checked(Decimal(match.group(0)) * (-1 if negative else 1), text)


def _too_many_decimals() -> AmountError:
    return AmountError("too_many_decimals", "Ange högst två decimaler.", "Give at most two decimals.")


def _checked(kronor: Decimal, text: str) -> Decimal:
    if not kronor.is_finite():
        raise _not_a_number(text)
    if kronor < 0:
        raise AmountError("negative", "Beloppet får inte vara negativt.", "The amount must not be negative.")
    if kronor >= MAX_KRONOR:
        raise AmountError("too_large", "Beloppet är orimligt stort; ange det i kronor.",
                          "The amount is implausibly large; give it in kronor.")
    if kronor != kronor.quantize(_CENT, rounding=ROUND_FLOOR):
        raise _too_many_decimals()
    return kronor


def parse_ore(value: str | int | Decimal) -> int:
    """Kronor as people write them in Sweden -> integer öre ("1 200 000,50" -> 120000050)."""
    return kronor_to_ore(parse_kronor(value))


def kronor_to_ore(kronor: Decimal | int) -> int:
    """Exact kronor -> integer öre; refuses a negative amount or a fraction of an öre (AmountError)."""
    ore = _checked(Decimal(kronor), str(kronor)) * ORE_PER_KRONA
    return int(ore)


# --- writing for files and form fields ---------------------------------------------------------------


def ore_to_kronor(ore: int | None) -> Decimal | None:
    """Integer öre as exact Decimal kronor (12345 -> Decimal('123.45')); None stays None."""
    return None if ore is None else Decimal(ore).scaleb(-2)


def kronor_text(ore: int | None, decimal_mark: str = ".") -> str:
    """Öre as plain kronor for a file: '1200000', or '1200000.50' with the decimals only when there are
    some; '' for None. ``decimal_mark`` ',' gives the Swedish '1200000,50'."""
    if ore is None:
        return ""
    kronor, rest = divmod(ore, ORE_PER_KRONA)
    return f"{kronor}" if rest == 0 else f"{kronor}{decimal_mark}{rest:02d}"


def kronor_input(ore: int) -> str:
    """'6 000 000' or '1 200 000,50': easy to read in a form field, and ``parse_ore`` reads it back."""
    kronor, rest = divmod(ore, ORE_PER_KRONA)
    return f"{kronor:,}".replace(",", " ") + (f",{rest:02d}" if rest else "")


# --- arithmetic in öre and euro ----------------------------------------------------------------------


def percent_string(fraction: Decimal) -> str:
    """A fraction as a machine-readable percent string with two decimals: '45.00'."""
    return f"{(fraction * 100).quantize(_CENT, rounding=ROUND_HALF_UP)}"


def share_of(amount_ore: int, fraction: Decimal) -> int:
    """The largest whole öre amount not above ``amount_ore * fraction`` (a limit must not round up)."""
    return int((Decimal(amount_ore) * fraction).to_integral_value(rounding=ROUND_FLOOR))


def ore_to_eur(ore: int, eur_sek: Decimal) -> Decimal:
    """SEK öre to EUR at ``eur_sek`` kronor per euro, to the cent."""
    return (Decimal(ore) / ORE_PER_KRONA / eur_sek).quantize(_CENT, rounding=ROUND_HALF_UP)


def eur_to_ore(eur: Decimal | int, eur_sek: Decimal) -> int:
    """EUR to whole öre; rounded down so a ceiling converted to SEK is never exceeded by rounding."""
    return int((Decimal(eur) * eur_sek * ORE_PER_KRONA).to_integral_value(rounding=ROUND_FLOOR))
