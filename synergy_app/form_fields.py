"""Readers for posted form fields that several capabilities share: a date, a decimal, an organisation number.

Each reader returns the value (None when the field is empty or bad) and appends a ``FieldError`` naming
the field to ``errors``, so a service can collect every problem of a form before it refuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import FieldError


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


def decimal_field(data: Mapping[str, Any], key: str, errors: list, positive: bool = False) -> Decimal | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).replace(" ", "").replace(",", "."))
        if not number.is_finite() or number < 0 or (positive and number == 0):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError(key, "Ange ett tal större än noll." if positive else "Ange ett tal, noll eller mer.",
                                 "Enter a number above zero." if positive else "Enter a number, zero or more."))
        return None
    return number


def org_number_field(value: Any, field: str, errors: list) -> str | None:
    """A Swedish organisation number written NNNNNN-NNNN (the form the de minimis register keys on)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    digits = text.replace("-", "")
    if not (digits.isdigit() and len(digits) == 10):
        errors.append(FieldError(field, "Ange organisationsnummer som NNNNNN-NNNN.",
                                 "Enter the organisation number as NNNNNN-NNNN."))
        return None
    return f"{digits[:6]}-{digits[6:]}"
