"""Amounts written without Babel's per-call work read exactly as Babel writes them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from synergy_app.money import Eur, Pct, Sek, _babel_text, format_value


@given(st.integers(min_value=-(10**17), max_value=10**17), st.sampled_from(["sv", "en", "en_GB", None]))
def test_kronor_read_as_babel_writes_them(ore, locale):
    language = "en" if locale and locale.startswith("en") else "sv"
    assert format_value(Sek(ore), locale) == _babel_text(Sek(ore), language)


def test_kept_texts_keep_every_digit_as_written():
    # Equal numbers written differently stay apart: an exchange rate keeps the digits it was given.
    assert format_value(Decimal("11.2"), "sv") == _babel_text(Decimal("11.2"), "sv")
    assert format_value(Decimal("11.20"), "en") == _babel_text(Decimal("11.20"), "en")
    assert format_value(Pct(Decimal("0.5")), "sv") == "50\u00a0%"
    assert format_value(Pct(Decimal("0.5"), 0), "en") == "50%"
    assert format_value(Eur(Decimal("1234567.891")), "sv") == "1\u00a0234\u00a0567,89\u00a0euro"
    assert format_value(1, "en") == "1" and format_value(True, "en") == _babel_text(True, "en")
