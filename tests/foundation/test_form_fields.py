"""Shared form readers: amounts of kronor go through the money module, plain numbers through one reader."""

from __future__ import annotations

from decimal import Decimal

from synergy_app.form_fields import decimal_field, kronor_field


def test_kronor_field_reads_swedish_amounts_as_ore():
    errors: list = []
    assert kronor_field({"amount": "1 200 000,50"}, "amount", errors) == 120_000_050
    assert kronor_field({"amount": "2\u00a0000 kr"}, "amount", errors) == 200_000
    assert kronor_field({"amount": " "}, "amount", errors) is None
    assert errors == []


def test_kronor_field_refuses_naming_the_field_and_the_reason():
    errors: list = []
    assert kronor_field({"amount": "12,345"}, "amount", errors) is None
    assert kronor_field({"fee": "-5"}, "fee", errors) is None
    assert kronor_field({"sum": ""}, "sum", errors, required=True) is None
    assert [(e.field, e.message_en) for e in errors] == [
        ("amount", "Give at most two decimals."), ("fee", "The amount must not be negative."),
        ("sum", "Enter an amount in kronor.")]


def test_decimal_field_reads_plain_numbers_and_refuses_absurd_ones():
    errors: list = []
    assert decimal_field({"hours": "1\u00a0720,5"}, "hours", errors) == Decimal("1720.5")
    assert decimal_field({"rate": "1e13"}, "rate", errors) is None
    assert decimal_field({"rate": "0"}, "rate", errors, positive=True) is None
    assert [e.field for e in errors] == ["rate", "rate"]
