"""What a text may look like in a spreadsheet cell (pure; shared by the CSV and XLSX writers)."""

from __future__ import annotations

from ..storable_text import replace_forbidden

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text as a spreadsheet cell: a control character XLSX cannot hold (one stored before it was refused
    at input) becomes U+FFFD instead of failing the whole export, and text that a spreadsheet would run
    as a formula (CSV/XLSX injection) is kept text with a leading '. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = replace_forbidden(value)
    if value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
