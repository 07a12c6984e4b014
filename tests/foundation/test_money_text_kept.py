"""Amounts written without Babel's per-call work read exactly as Babel writes them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from synergy_app.money import Eur, Pct, Sek, _babel_text, format_eur, format_percent, format_sek, format_value

LOCALES = st.sampled_from(["sv", "en", "en_GB", None])
# Shares and euro amounts as the check meets them (many digits, tiny, huge, negative, minus zero).
DECIMALS = st.one_of(
    st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-1, max_value=1, places=8, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("-0"), Decimal("0.125"), Decimal("0.115"), Decimal("-0.00001"), Decimal("0E-7"),
                     Decimal("1E+20"), Decimal("0.005"), Decimal("0.015"), Decimal("-12.345")]),
)


def _language(locale):
    return "en" if locale and locale.startswith("en") else "sv"


@given(st.integers(min_value=-(10**17), max_value=10**17), LOCALES)
def test_kronor_read_as_babel_writes_them(ore, locale):
    assert format_value(Sek(ore), locale) == _babel_text(Sek(ore), _language(locale))
    assert format_sek(ore, locale) == _babel_text(Sek(ore), _language(locale))


@given(DECIMALS, st.integers(min_value=0, max_value=4), LOCALES)
def test_shares_read_as_babel_writes_them(fraction, digits, locale):
    expected = _babel_text(Pct(fraction, digits), _language(locale))
    assert format_value(Pct(fraction, digits), locale) == expected
    assert format_percent(fraction, locale, digits) == expected


@given(DECIMALS, LOCALES)
def test_euro_read_as_babel_writes_them(amount, locale):
    expected = _babel_text(Eur(amount), _language(locale))
    assert format_value(Eur(amount), locale) == expected
    assert format_eur(amount, locale) == expected


def test_kept_texts_keep_every_digit_as_written():
    # Equal numbers written differently stay apart: an exchange rate keeps the digits it was given.
    assert format_value(Decimal("11.2"), "sv") == _babel_text(Decimal("11.2"), "sv")
    assert format_value(Decimal("11.20"), "en") == _babel_text(Decimal("11.20"), "en")
    assert format_value(Pct(Decimal("0.5")), "sv") == "50\u00a0%"
    assert format_value(Pct(Decimal("0.5"), 0), "en") == "50%"
    assert format_value(Eur(Decimal("1234567.891")), "sv") == "1\u00a0234\u00a0567,89\u00a0euro"
    assert format_value(1, "en") == "1" and format_value(True, "en") == _babel_text(True, "en")
