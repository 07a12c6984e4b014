"""CSV and XLSX import of calls in the documented template (IMPORT_TEMPLATE.md), validated per row.

Nothing is saved here: the result is an ImportPreview that the service saves only when `ok`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from ..bounded_parsing import MAX_XLSX_UNPACKED, WorkbookTooLarge, bounded_rows, check_xlsx_archive
from ..clock import STOCKHOLM, to_utc
from ..money import parse_ore
from ..reports import tabular as tables
from .call_data import CallData, CallSeries, Deadline, FieldError, validate_call
from .import_preview import ImportPreview, RowResult, decide_actions
from .tabular_columns import COLUMN_BY_KEY, COLUMNS, HEADER_LOOKUP, headers, normalise_header

HEADER_ROW = 1
# A sheet's declared size is not trusted (a small file may declare A1:XFD1048576); these cap what is read.
MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 100
# Magic numbers of files that are sometimes renamed to .csv or .ics by mistake.
_BINARY_SIGNATURES = (b"\x89PNG", b"PK\x03\x04", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")
_LIST_SPLIT = re.compile(r"[;\n]")


def parse_csv(
    data: str | bytes,
    known_funders: Collection[str],
    existing: Mapping[str, CallData] | None = None,
    default_funder: str | None = None,
) -> ImportPreview:
    """Parse a CSV in the template. Both ',' and ';' separators work (Swedish Excel writes ';')."""
    if isinstance(data, bytes):
        if looks_binary(data):
            return ImportPreview([], [FieldError("file", "Filen är inte en CSV-fil: den innehåller binära data.",
                                                 "The file is not a CSV file: it contains binary data.")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows still saves "CSV" in cp1252 unless told otherwise.
            text = data.decode("cp1252", errors="replace")
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        return ImportPreview([], [FieldError("file", "Filen är tom.", "The file is empty.")])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:  # e.g. a stray carriage return or a field longer than the csv module allows
        return ImportPreview([], [FieldError("file", f"Filen kunde inte läsas som CSV ({str(exc)[:200]}).",
                                             f"The file could not be read as CSV ({str(exc)[:200]}).")])
    return _preview(rows, known_funders, existing, default_funder)


def parse_xlsx(
    data: bytes,
    known_funders: Collection[str],
    existing: Mapping[str, CallData] | None = None,
    default_funder: str | None = None,
) -> ImportPreview:
    """Parse the first worksheet of an XLSX file in the template (only its used cells, within the caps)."""
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import EMPTY_CELL

    try:
        check_xlsx_archive(data)
    except WorkbookTooLarge:
        return ImportPreview([], [FieldError(
            "file", f"Arbetsboken packas upp till mer än {MAX_XLSX_UNPACKED // (1024 * 1024)} MB och läses inte.",
            f"The workbook unpacks to more than {MAX_XLSX_UNPACKED // (1024 * 1024)} MB and is not read.")])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many different types for a file that is not XLSX
        return ImportPreview(
            [], [FieldError("file", "Filen kunde inte läsas som XLSX.", "The file could not be read as XLSX.")]
        )
    ws = wb.worksheets[0]
    rows: list[list[object]] = []
    for number, row in enumerate(bounded_rows(ws, MAX_SHEET_ROWS, MAX_SHEET_COLUMNS), start=1):
        if number > MAX_SHEET_ROWS:
            wb.close()
            return ImportPreview([], [FieldError(
                "file", f"Bladet har fler än {MAX_SHEET_ROWS} rader; dela upp filen.",
                f"The sheet has more than {MAX_SHEET_ROWS} rows; split the file.")])
        if len(row) > MAX_SHEET_COLUMNS and row[MAX_SHEET_COLUMNS].value not in (None, ""):
            wb.close()
            return ImportPreview([], [FieldError(
                "file", f"Rad {number} har värden efter kolumn {MAX_SHEET_COLUMNS}; mallen har färre kolumner.",
                f"Row {number} has values beyond column {MAX_SHEET_COLUMNS}; the template has fewer columns.")])
        if all(cell is EMPTY_CELL for cell in row):  # a row the sheet skips: no cell to look at
            rows.append([])
            continue
        values: list[object] = []
        for cell in row[:MAX_SHEET_COLUMNS]:
            value = cell.value
            # A cell formatted as percent holds 0.5 for "50 %"; the template speaks in percent.
            if isinstance(value, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
                value = f"{Decimal(str(value)) * 100}"
            values.append(value)
        rows.append(values)
    wb.close()
    return _preview(rows, known_funders, existing, default_funder)


def looks_binary(data: bytes) -> bool:
    """Whether the bytes are a binary file rather than text (NUL bytes or a known file signature)."""
    head = data[:8192]
    return b"\x00" in head or head.startswith(_BINARY_SIGNATURES)


def _preview(
    rows: list[list[object]],
    known_funders: Collection[str],
    existing: Mapping[str, CallData] | None,
    default_funder: str | None,
) -> ImportPreview:
    if not rows:
        return ImportPreview([], [FieldError("file", "Filen är tom.", "The file is empty.")])
    header = rows[0]
    positions: dict[str, int] = {}
    file_errors: list[FieldError] = []
    for i, name in enumerate(header):
        if name is None or str(name).strip() == "":
            continue
        key = HEADER_LOOKUP.get(normalise_header(str(name)))
        if key is None:
            file_errors.append(FieldError("header", f'Okänd kolumn: "{_cut(name)}".',
                                          f'Unknown column: "{_cut(name)}".'))
        else:
            positions[key] = i
    for column in COLUMNS:
        # The funder column may be left out when the whole file is one funder's (given on upload).
        if column.key == "funder" and default_funder:
            continue
        if column.required and column.key not in positions:
            file_errors.append(
                FieldError(
                    column.key,
                    f'Kolumnen "{column.header_sv}" saknas.',
                    f'The column "{column.header_en}" is missing.',
                )
            )
    if file_errors:
        return ImportPreview([], file_errors)

    results: list[RowResult] = []
    for offset, raw in enumerate(rows[1:], start=HEADER_ROW + 1):
        cells = {key: (raw[i] if i < len(raw) else None) for key, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        results.append(_parse_row(offset, cells, known_funders, default_funder))
    if not results:
        file_errors.append(FieldError("file", "Filen innehåller inga utlysningar.", "The file contains no calls."))
    return ImportPreview(decide_actions(results, existing), file_errors)


def _cut(value: object, limit: int = 60) -> str:
    """A cell quoted in a message: at most ``limit`` characters, so a huge cell never makes a huge message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _funder(cells: Mapping[str, object], known_funders: Collection[str], default_funder: str | None,
            errors: list[FieldError]) -> str | None:
    funder = _text(cells.get("funder")) or default_funder
    if funder is None:
        errors.append(FieldError("funder", "Finansiär saknas.", "Funder is missing."))
    elif funder not in known_funders:
        errors.append(FieldError("funder", f'Okänd finansiär: "{_cut(funder)}".',
                                 f'Unknown funder: "{_cut(funder)}".'))
    return funder


def _deadlines(cells: Mapping[str, object], errors: list[FieldError]) -> list[Deadline]:
    deadlines: list[Deadline] = []
    for item in _split(cells.get("deadlines"), keep_datetime=True):
        label, _, value = item.rpartition("=") if isinstance(item, str) else ("", "", item)
        try:
            at = parse_moment(value)
        except ValueError:
            errors.append(_date_error("deadlines", value))
            continue
        if at is not None:
            deadlines.append(Deadline(label.strip(), at))
    return deadlines


def _money(cells: Mapping[str, object], key: str, errors: list[FieldError]) -> int | None:
    try:
        return parse_money_ore(cells.get(key))
    except ValueError:
        errors.append(
            FieldError(
                key,
                f'Ogiltigt belopp: "{cells.get(key)}" (ange kronor, t.ex. 1 500 000 eller 1500000,50).',
                f'Invalid amount: "{cells.get(key)}" (give kronor, e.g. 1 500 000 or 1500000.50).',
            )
        )
        return None


def _rate(cells: Mapping[str, object], errors: list[FieldError]):
    try:
        return parse_percent(cells.get("funding_rate"))
    except ValueError:
        errors.append(
            FieldError(
                "funding_rate",
                f'Ogiltig stödnivå: "{cells.get("funding_rate")}" (ange procent, t.ex. 50).',
                f'Invalid funding rate: "{cells.get("funding_rate")}" (give percent, e.g. 50).',
            )
        )
        return None


def _url(cells: Mapping[str, object], errors: list[FieldError]) -> str | None:
    url = _text(cells.get("url"))
    if url is not None and not re.match(r"^https?://\S+$", url):
        errors.append(
            FieldError(
                "url", "Länken måste börja med http:// eller https://.", "The link must start with http:// or https://."
            )
        )
    return url


def _parse_row(
    row_number: int, cells: Mapping[str, object], known_funders: Collection[str], default_funder: str | None
) -> RowResult:
    errors: list[FieldError] = []
    funder = _funder(cells, known_funders, default_funder, errors)

    def moment(key: str) -> date | datetime | None:
        try:
            return parse_moment(cells.get(key))
        except ValueError:
            errors.append(_date_error(key, cells.get(key)))
            return None

    def day(key: str) -> date | None:
        value = moment(key)
        if isinstance(value, datetime):
            errors.append(FieldError(key, "Ange bara datum, utan klockslag.", "Give a date only, without a time."))
            return None
        return value

    opens_on = moment("opens_on")
    deadlines = _deadlines(cells, errors)
    money = {key: _money(cells, key, errors) for key in ("budget_sek", "max_grant_sek")}
    rate = _rate(cells, errors)
    url = _url(cells, errors)

    series_key = _text(cells.get("series"))
    call = CallData(
        funder_slug=funder or "",
        title=_text(cells.get("title")) or "",
        reference=_text(cells.get("reference")),
        uid=_text(cells.get("uid")),
        programme=_text(cells.get("programme")),
        url=url,
        opens_on=opens_on,
        deadlines=tuple(sorted(deadlines, key=lambda d: d.on)),
        decision_on=day("decision_on"),
        earliest_start=day("earliest_start"),
        latest_start=day("latest_start"),
        budget_sek=money["budget_sek"],
        max_grant_sek=money["max_grant_sek"],
        funding_rate=rate,
        eligible_applicants=tuple(_split(cells.get("eligible_applicants"))),
        themes=tuple(_split(cells.get("themes"))),
        regions=tuple(_split(cells.get("regions"))),
        series=CallSeries(series_key) if series_key else None,
    )
    errors.extend(validate_call(call))
    identity = None
    if call.uid or call.reference:
        identity = call.identity
    return RowResult(row_number, identity, None if errors else call, errors)


def _date_error(key: str, value: object) -> FieldError:
    return FieldError(
        key,
        f'Ogiltigt datum: "{_cut(value)}" (ange ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM).',
        f'Invalid date: "{_cut(value)}" (give YYYY-MM-DD or YYYY-MM-DD HH:MM).',
    )


def _split(value: object, keep_datetime: bool = False) -> Iterable[object]:
    if _blank(value):
        return []
    if isinstance(value, datetime | date) and keep_datetime:
        return [value]
    return [part.strip() for part in _LIST_SPLIT.split(str(value)) if part.strip()]


def parse_moment(value: object) -> date | datetime | None:
    """A date, or a Stockholm wall-clock time returned as an aware UTC datetime.

    Spreadsheet date cells arrive as datetimes; midnight means a date without time.
    """
    if _blank(value):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return to_utc(value)
        if value.time() == time(0, 0):
            return value.date()
        return to_utc(value.replace(tzinfo=STOCKHOLM))
    if isinstance(value, date):
        return value
    match = _DATETIME_RE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    day = date.fromisoformat(match.group(1))
    if match.group(2) is None:
        return day
    local = datetime.combine(day, time(int(match.group(2)), int(match.group(3))), tzinfo=STOCKHOLM)
    return to_utc(local)


def parse_money_ore(value: object) -> int | None:
    """Kronor as written in Sweden ("1 500 000", "1500000,50", "2 000 kr") to integer öre; a blank cell is None.

    A spreadsheet may hold the amount as a number: a float cell is read by its shortest decimal form."""
    if _blank(value):
        return None
    if isinstance(value, float):
        value = Decimal(str(value))
    return parse_ore(value if isinstance(value, int | Decimal) else str(value))


def parse_percent(value: object) -> Decimal | None:
    """A percentage ("50", "37,5 %") to a share between 0 and 1."""
    if _blank(value):
        return None
    text = str(value).strip().replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or not (0 <= number <= 100):
        raise ValueError(value)
    return number / 100


def template_rows(lang: str = "sv") -> list[list[str]]:
    """Header row plus one example row, as shown in the template's example sheet."""
    return [headers(lang), [c.example for c in COLUMNS]]


def _template_sheets(lang: str) -> list[tables.Sheet]:
    # The import reads the first sheet, which users fill in; the example lives on a sheet of its own
    # so it is never imported by mistake.
    title, example = ("Utlysningar", "Exempel") if lang == "sv" else ("Calls", "Example")
    required = "Obligatorisk kolumn" if lang == "sv" else "Required column"
    widths = [max(14, len(c.example) + 2) for c in COLUMNS]
    notes = {i: required for i, c in enumerate(COLUMNS) if c.required}
    return [tables.Sheet(title, headers(lang), widths=widths, notes=notes),
            tables.Sheet(example, headers(lang), template_rows(lang)[1:], widths=widths)]


def template_csv(lang: str = "sv") -> bytes:
    """The header row only: an example row here would be imported as a real call by whoever fills rows below it."""
    return tables.csv_bytes(_template_sheets(lang)[0])


def template_xlsx(lang: str = "sv") -> bytes:
    return tables.xlsx_bytes(_template_sheets(lang))


__all__ = [
    "COLUMN_BY_KEY",
    "parse_csv",
    "parse_money_ore",
    "parse_moment",
    "parse_percent",
    "parse_xlsx",
    "template_csv",
    "template_xlsx",
]
