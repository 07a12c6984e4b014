"""Tables as CSV or XLSX: one writer, one delimiter rule and one formula guard for every export.

CSV is what Excel with Swedish settings opens with a double click: ';' between cells (the list
separator there, since ',' is the decimal comma) and UTF-8 with a BOM, so å, ä and ö come out right.
Every text cell goes through ``safe_cell`` so nothing a user typed runs as a formula.

XLSX keeps a cell's type: dates and times stay dates (Stockholm wall clock, as spreadsheets have no
zones), Decimal amounts stay numbers shown to two decimals. The header row is bold and frozen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..clock import to_local
from ..errors import FieldError, InputError
from .cells import FORMULA_STARTS, safe_cell

__all__ = ["BOM", "CSV_MIME", "DELIMITER", "FORMATS", "FORMULA_STARTS", "XLSX_MIME", "Sheet", "Table", "csv_bytes",
           "response", "safe_cell", "wanted_format", "write", "xlsx_bytes"]

FORMATS = ("csv", "xlsx")
DELIMITER = ";"
BOM = "\ufeff"
CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DECIMAL_FORMAT = "#,##0.00"
HEADER_FILL = "DDE7F0"
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names


@dataclass(frozen=True)
class Sheet:
    """One table: a title (the XLSX sheet name), its column headers and its rows.

    ``widths``: XLSX column widths in characters (default: fitted to the header, 10 to 60).
    ``number_formats``: XLSX number format by column index, for a column whose type alone does not say
    how to show it (a Decimal rate rather than an amount). ``wrap``: wrap long text in every cell.
    For templates users fill in: ``choices`` gives a column (by index) a drop-down list for the rows
    below the header, up to row ``choice_rows``; ``notes`` puts a comment on a column's header."""

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence] = ()
    widths: Sequence[int] | None = None
    number_formats: Mapping[int, str] = field(default_factory=dict)
    wrap: bool = False
    choices: Mapping[int, Sequence[str]] = field(default_factory=dict)
    notes: Mapping[int, str] = field(default_factory=dict)
    choice_rows: int = 5000


@dataclass(frozen=True)
class Table:
    """A written file: its bytes, its media type and its file extension."""

    body: bytes
    mimetype: str
    extension: str


def wanted_format(value: str | None) -> str | None:
    """The ``format`` query parameter: None for the HTML page, "csv" or "xlsx"; anything else is refused
    naming the field."""
    if not value or value == "html":
        return None
    if value not in FORMATS:
        raise InputError(FieldError("format", "Okänt format; välj csv eller xlsx.",
                                    "Unknown format; choose csv or xlsx."))
    return value


def write(rows: Iterable[Sequence], columns: Sequence[str], fmt: str, *, title: str = "Data",
          widths: Sequence[int] | None = None, number_formats: Mapping[int, str] | None = None,
          wrap: bool = False) -> Table:
    """One table as CSV or XLSX (``fmt``); the one call most exports need."""
    sheet = Sheet(title, columns, rows, widths, number_formats or {}, wrap)
    if fmt == "csv":
        return Table(csv_bytes(sheet), CSV_MIME, "csv")
    if fmt == "xlsx":
        return Table(xlsx_bytes([sheet]), XLSX_MIME, "xlsx")
    raise ValueError(f"unknown table format {fmt!r}")


def response(table: Table, filename: str, *, inline: bool = False):
    """A Flask response that downloads ``table`` as ``filename`` (the extension is added when missing)."""
    from flask import Response  # noqa: PLC0415 - the writer itself works without Flask

    if not filename.endswith("." + table.extension):
        filename = f"{filename}.{table.extension}"
    disposition = "inline" if inline else "attachment"
    return Response(table.body, mimetype=table.mimetype,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


# --- CSV -----------------------------------------------------------------------------------------


def csv_text(value) -> str:
    """A cell as CSV text: aware times on Stockholm's clock, dates ISO, Decimal as written, text guarded."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _wall_clock(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(safe_cell(value))


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV: BOM, ';' between cells, CRLF between rows (RFC 4180, what Excel writes)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in sheet.columns])
    for row in sheet.rows:
        writer.writerow([csv_text(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------


# The hidden sheet that holds the options of every drop-down list in a template.
LISTS_SHEET = "Listor"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Every sheet in one workbook, in order (the first is the one a spreadsheet opens on)."""
    from openpyxl import Workbook  # noqa: PLC0415 - loaded only when a workbook is written

    book = Workbook(write_only=True)
    lists: list[Sequence[str]] = []  # every drop-down's options, one column each on a last, hidden sheet
    for sheet in sheets:
        _write_sheet(book, sheet, lists)
    if lists:
        hidden = book.create_sheet(LISTS_SHEET)
        hidden.sheet_state = "hidden"
        for row in range(max(len(options) for options in lists)):
            hidden.append([safe_cell(options[row]) if row < len(options) else None for options in lists])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(book, sheet: Sheet, lists: list[Sequence[str]]) -> None:
    from openpyxl.styles import Alignment  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    ws = book.create_sheet(sheet.title[:SHEET_TITLE_MAX])
    widths = sheet.widths or [min(60, max(10, len(str(h)) + 2)) for h in sheet.columns]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    _add_choices(ws, sheet, lists)
    ws.append(_header(ws, sheet))
    wrap = Alignment(wrap_text=True, vertical="top") if sheet.wrap else None
    for row in sheet.rows:
        ws.append([_xlsx_cell(ws, i, v, sheet.number_formats, wrap) for i, v in enumerate(row)])


def _header(ws, sheet: Sheet) -> list:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    cells = []
    for i, h in enumerate(sheet.columns):
        cell = WriteOnlyCell(ws, value=safe_cell(h))
        cell.font, cell.fill = bold, fill
        if i in sheet.notes:
            cell.comment = Comment(sheet.notes[i], "Synergy")
        cells.append(cell)
    return cells


def _add_choices(ws, sheet: Sheet, lists: list[Sequence[str]]) -> None:
    """Drop-down lists whose options are a range on the hidden lists sheet: an inline list breaks on a
    comma or a quote in a name and is capped at 255 characters, a range is not."""
    from openpyxl.utils import get_column_letter, quote_sheetname  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    for index, options in sheet.choices.items():
        lists.append(list(options))
        source = get_column_letter(len(lists))
        formula = f"{quote_sheetname(LISTS_SHEET)}!${source}$1:${source}${max(1, len(options))}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        column = get_column_letter(index + 1)
        validation.add(f"{column}2:{column}{sheet.choice_rows}")
        ws.data_validations.append(validation)


def _xlsx_cell(ws, index: int, value, number_formats: Mapping[int, str], wrap):
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    if value is None:
        return None
    if isinstance(value, datetime):
        value = _wall_clock(value)
    number_format = number_formats.get(index) or _type_format(value)
    if number_format is None and wrap is None:
        return safe_cell(value)  # a plain value costs far less than a styled cell in a long export
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    if number_format:
        cell.number_format = number_format
    if wrap is not None:
        cell.alignment = wrap
    return cell


def _type_format(value) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal):
        return DECIMAL_FORMAT
    return None


def _wall_clock(value: datetime) -> datetime:
    # Spreadsheets have no time zones: an aware moment is written as Stockholm's wall-clock time.
    return value if value.tzinfo is None else to_local(value).replace(tzinfo=None)
