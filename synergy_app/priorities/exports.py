"""CSV and XLSX answers for the matrix and every ranked list."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook

from ..errors import FieldError, InputError
from ..formatting import spreadsheet_safe

FORMATS = ("csv", "xlsx")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wanted_format(value: str | None) -> str | None:
    """None for the HTML page; "csv" or "xlsx"; anything else is refused naming the field."""
    if not value or value == "html":
        return None
    if value not in FORMATS:
        raise InputError(FieldError("format", "Okänt format; välj csv eller xlsx.",
                                    "Unknown format; choose csv or xlsx."))
    return value


def tabular(fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> Response:
    rows = [[spreadsheet_safe(v) for v in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        body = ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel then reads å, ä, ö right
        mime = "text/csv; charset=utf-8"
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        body, mime = buffer.getvalue(), XLSX_MIME
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
