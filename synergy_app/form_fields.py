"""Readers for posted form fields that several capabilities share: a date, a number, an amount of kronor,
an organisation number.

Each reader returns the value (None when the field is empty or bad) and appends a ``FieldError`` naming
the field to ``errors``, so a service can collect every problem of a form before it refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import FieldError
from .money import AmountError, parse_ore

MAX_NUMBER = Decimal("1e12")  # far beyond any hour count or rate; keeps Decimal arithmetic cheap
_SPACES = re.compile(r"\s+")


def date_field(data: Mapping[str, Any], key: str, errors: list, required: bool = False) -> date | None:
    value = data.get(key)
    if isinstance(value, date):
        return value
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        if required:
            errors.append(FieldError(key, "Ange ett datum (ÅÅÅÅ-MM-DD).", "Enter a date (YYYY-MM-DD)."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(key, f"”{text}” är inte ett datum; skriv ÅÅÅÅ-MM-DD.",
                                 f"“{text}” is not a date; write YYYY-MM-DD."))
        return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decimal_value(value: Any, field: str, errors: list, positive: bool = False) -> Decimal | None:
    """A plain number that is not money (hours, a rate, an exchange rate): a decimal comma and spaces
    (a copied no-break space too) are accepted; a negative, non-finite or absurdly large number is refused."""
    if _blank(value):
        return None
    try:
        number = Decimal(_SPACES.sub("", str(value)).replace(",", "."))
        if not number.is_finite() or number < 0 or (positive and number == 0) or number > MAX_NUMBER:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError(field, "Ange ett tal större än noll." if positive else "Ange ett tal, noll eller mer.",
                                 "Enter a number above zero." if positive else "Enter a number, zero or more."))
        return None
    return number


def decimal_field(data: Mapping[str, Any], key: str, errors: list, positive: bool = False) -> Decimal | None:
    return decimal_value(data.get(key), key, errors, positive)


def ore_value(value: Any, field: str, errors: list, required: bool = False) -> int | None:
    """An amount of kronor as people write it ("1 200 000,50", "2 000 kr") as integer öre; None when blank.
    A bad amount is refused with the money module's reason (negative, too many decimals, ...)."""
    if _blank(value) and not required:
        return None
    try:
        return parse_ore("" if value is None else value)
    except AmountError as exc:
        errors.append(FieldError(field, exc.message_sv, exc.message_en))
        return None


def kronor_field(data: Mapping[str, Any], key: str, errors: list, required: bool = False) -> int | None:
    """The form field ``key`` as an amount in kronor, returned as integer öre (None when empty or bad)."""
    return ore_value(data.get(key), key, errors, required)


def org_number_field(value: Any, field: str, errors: list) -> str | None:
    """A Swedish organisation number written NNNNNN-NNNN (the form the de minimis register keys on)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    digits = text.replace("-", "")
    if not (digits.isdigit() and len(digits) == 10):
        errors.append(FieldError(field, "Ange organisationsnummer som NNNNNN-NNNN.",
                                 "Enter the organisation number as NNNNNN-NNNN."))
        return None
    return f"{digits[:6]}-{digits[6:]}"
