"""CSV and XLSX answers for the matrix and every ranked list (written by synergy_app.reports)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import Response

from ..reports import tabular as tables
from ..reports.tabular import FORMATS, XLSX_MIME, wanted_format

__all__ = ["FORMATS", "XLSX_MIME", "tabular", "wanted_format"]


def tabular(fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """The download ``name.csv`` or ``name.xlsx`` (sheet named ``name``)."""
    return tables.response(tables.write(rows, headers, fmt, title=name), name)
