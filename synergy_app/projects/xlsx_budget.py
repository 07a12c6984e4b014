"""The XLSX budget template: write it, and read a filled one into a project-file mapping.

Reading is all or nothing: the workbook becomes the same mapping a YAML project file gives, and the
project file parser validates it; its error path (``costs[2].amount_sek``) is translated back to the
sheet, row and column the case officer typed into.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from ..bounded_parsing import MAX_XLSX_UNPACKED, WorkbookTooLarge, bounded_rows, check_xlsx_archive, excerpt
from ..reports import tabular as tables
from ..stateaid.project_document import DocumentError, ProjectDocument, document_from_mapping
from ..stateaid.vocabulary import CATEGORIES, PARTNER_KINDS, SIZES, SOURCE_KINDS

PROJECT_SHEET, PARTNER_SHEET, COST_SHEET, FUNDING_SHEET = "Projekt", "Partner", "Kostnader", "Finansiering"
PROJECT_FIELDS = (
    ("title", "Projektets titel"),
    ("grant_date", "Beviljandedag (ÅÅÅÅ-MM-DD)"),
    ("application_date", "Ansökningsdag (ÅÅÅÅ-MM-DD)"),
    ("work_start", "Arbetet startar (ÅÅÅÅ-MM-DD)"),
    ("end_date", "Projektet slutar (ÅÅÅÅ-MM-DD)"),
    ("exchange_rate_eur_sek", "Växelkurs SEK per EUR (tomt: referenskursen)"),
    ("collaboration.effective", "Faktiskt samarbete (ja/nej)"),
    ("collaboration.wide_dissemination", "Bred spridning av resultaten (ja/nej)"),
    ("collaboration.research_organisations_may_publish", "Forskningsorganisationerna får publicera (ja/nej)"),
    ("collaboration.cross_border", "Genomförs i minst två EES-länder (ja/nej)"),
    ("collaboration.licensing", "Åtagande att licensiera resultaten på marknadsvillkor (ja/nej), art. 25.6 b iii"),
    ("assisted_area", "Stödområde: none, a eller c (tomt: härleds ur kommunerna, annars antas none)"),
    ("municipalities", "Kommunkoder där projektet genomförs, kommaseparerade (t.ex. 2584, 0980)"),
    ("collaboration.multi_country.selected_after_open_call",
     "Flerlandsprojekt: utvalt av en medlemsstat efter öppen utlysning (ja/nej), art. 25.6 d i"),
    ("collaboration.multi_country.jointly_designed_by",
     "Flerlandsprojekt: stater som gemensamt utformat projektet (landskoder, t.ex. SE, FI, NO)"),
    ("collaboration.multi_country.undertaking_countries",
     "Flerlandsprojekt: stater där de samarbetande företagen finns (landskoder)"),
    ("collaboration.multi_country.dissemination_countries",
     "Flerlandsprojekt: stater där resultaten sprids brett (landskoder)"),
)
_LIST_FIELDS = ("municipalities", "collaboration.multi_country.jointly_designed_by",
                "collaboration.multi_country.undertaking_countries",
                "collaboration.multi_country.dissemination_countries")
PARTNER_COLUMNS = ("id", "name", "kind", "size", "organisation_number")
COST_COLUMNS = ("partner", "category", "amount_sek", "in_kind")
FUNDING_COLUMNS = ("source", "kind", "partner", "category", "amount_sek", "union_max_rate")
_PATH = re.compile(r"^(partners|costs|funding)\[(\d+)\](?:\.([a-z_]+))?")
MAX_ROWS = 5000
MAX_COLUMNS = 50  # the widest sheet of the template has 7; a sheet's declared dimension is not trusted


class WorkbookError(ValueError):
    def __init__(self, where: str, message_sv: str, message_en: str):
        self.where = where
        self.message_sv = message_sv
        self.message_en = message_en
        super().__init__(f"{where}: {message_en}")


def template_xlsx() -> bytes:
    """An empty budget template with headers, explanations and drop-down lists."""
    lists = {
        PARTNER_SHEET: (PARTNER_COLUMNS, {"kind": PARTNER_KINDS, "size": SIZES}),
        COST_SHEET: (COST_COLUMNS, {"category": CATEGORIES, "in_kind": ("ja", "nej")}),
        FUNDING_SHEET: (FUNDING_COLUMNS, {"kind": SOURCE_KINDS, "category": CATEGORIES}),
    }
    sheets = [tables.Sheet(PROJECT_SHEET, ("fält", "värde", "förklaring"),
                           [(key, None, text) for key, text in PROJECT_FIELDS], widths=(48, 40, 50))]
    for title, (columns, choices) in lists.items():
        sheets.append(tables.Sheet(title, columns, widths=[26] * len(columns), choice_rows=MAX_ROWS,
                                   choices={i: choices[c] for i, c in enumerate(columns) if c in choices}))
    return tables.xlsx_bytes(sheets)


def _value(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("ja", "yes", "true", "sant", "x"):
        return True
    if isinstance(value, str) and value.lower() in ("nej", "no", "false", "falskt"):
        return False
    return value


def _table(wb, title: str, columns: tuple[str, ...]) -> tuple[list[dict], list[int]]:
    if title not in wb.sheetnames:
        raise WorkbookError(title, f"bladet ”{title}” saknas; använd mallen", f"the sheet '{title}' is missing; "
                            "use the template")
    sheet = wb[title]
    rows = bounded_rows(sheet, MAX_ROWS, MAX_COLUMNS, values_only=True)
    header = [str(h).strip()[:100] if h is not None else "" for h in next(rows, ())]
    for column in columns:
        if column not in header:
            raise WorkbookError(f"{title}!1", f"kolumnen ”{column}” saknas i rubrikraden",
                                f"the column '{column}' is missing from the header row")
    index = {c: header.index(c) for c in columns}
    items, numbers = [], []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise WorkbookError(title, f"högst {MAX_ROWS} rader", f"at most {MAX_ROWS} rows")
        _refuse_wide(title, number, row)
        values = {c: _value(row[i]) if i < len(row) else None for c, i in index.items()}
        if all(v is None for v in values.values()):
            continue
        items.append({k: v for k, v in values.items() if v is not None})
        numbers.append(number)
    return items, numbers


def _code_list(value: Any) -> list[str]:
    """A cell of codes: '2584, 0980' or 'SE FI'; a number cell is a kommunkod that lost its leading zero."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(int(value)).zfill(4)]
    return [c for c in str(value).replace(",", " ").replace(";", " ").split() if c]


def _refuse_wide(title: str, number: int, row: tuple) -> None:
    if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] not in (None, ""):
        raise WorkbookError(f"{title}!{number}", f"värden efter kolumn {MAX_COLUMNS}; mallen har färre kolumner",
                            f"values beyond column {MAX_COLUMNS}; the template has fewer columns")


def _open_workbook(content: bytes):
    try:
        check_xlsx_archive(content)
    except WorkbookTooLarge as exc:
        mb = MAX_XLSX_UNPACKED // (1024 * 1024)
        raise WorkbookError("", f"arbetsboken packas upp till mer än {mb} MB och läses inte",
                            f"the workbook unpacks to more than {mb} MB and is not read") from exc
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same answer to the user
        raise WorkbookError("", "filen kan inte läsas som XLSX", "the file cannot be read as XLSX") from exc
    if PROJECT_SHEET not in wb.sheetnames:
        raise WorkbookError(PROJECT_SHEET, f"bladet ”{PROJECT_SHEET}” saknas; använd mallen",
                            f"the sheet '{PROJECT_SHEET}' is missing; use the template")
    return wb


def _project_rows(sheet) -> Iterator[tuple[str, Any]]:
    """(field, value) of each filled row of the project sheet; an unknown field is refused."""
    known = {k for k, _ in PROJECT_FIELDS}
    for number, row in enumerate(bounded_rows(sheet, MAX_ROWS, MAX_COLUMNS, values_only=True), start=1):
        if number > MAX_ROWS:
            raise WorkbookError(PROJECT_SHEET, f"högst {MAX_ROWS} rader", f"at most {MAX_ROWS} rows")
        _refuse_wide(PROJECT_SHEET, number, row)
        if number == 1 or not row or row[0] is None:
            continue
        key = str(row[0]).strip()
        value = _value(row[1]) if len(row) > 1 else None
        if key not in known:
            raise WorkbookError(f"{PROJECT_SHEET}!A{number}", f"okänt fält {excerpt(key)}",
                                f"unknown field {excerpt(key)}")
        if value is not None:
            yield key, value


def _project_fields(sheet) -> dict[str, Any]:
    data: dict[str, Any] = {}
    collaboration: dict[str, Any] = {}
    for key, value in _project_rows(sheet):
        if key in _LIST_FIELDS:
            value = _code_list(value)
        elif key.startswith("collaboration."):
            value = _bool(value)
        if key.startswith("collaboration.multi_country."):
            collaboration.setdefault("multi_country", {})[key.rsplit(".", 1)[1]] = value
        elif key.startswith("collaboration."):
            collaboration[key.split(".", 1)[1]] = value
        else:
            data[key] = str(value) if key == "exchange_rate_eur_sek" else value
    if collaboration:
        data["collaboration"] = collaboration
    return data


def _as_file_values(partners: list[dict], costs: list[dict], funding: list[dict]) -> None:
    """Cells as the project file writes them: ids as text, yes/no as booleans, amounts without float noise."""
    for item in partners:
        for key in ("id", "organisation_number"):
            if key in item:
                item[key] = str(item[key])
    for item in costs:
        if "in_kind" in item:
            item["in_kind"] = _bool(item["in_kind"])
    for item in costs + funding:
        for key in ("amount_sek", "union_max_rate"):
            if isinstance(item.get(key), float):
                item[key] = repr(item[key])


def read_workbook(content: bytes) -> tuple[dict[str, Any], dict[str, tuple[str, list[int], tuple[str, ...]]]]:
    wb = _open_workbook(content)
    data = _project_fields(wb[PROJECT_SHEET])
    partners, p_rows = _table(wb, PARTNER_SHEET, PARTNER_COLUMNS)
    costs, c_rows = _table(wb, COST_SHEET, COST_COLUMNS)
    funding, f_rows = _table(wb, FUNDING_SHEET, FUNDING_COLUMNS)
    _as_file_values(partners, costs, funding)
    data.update(partners=partners, costs=costs, funding=funding)
    where = {"partners": (PARTNER_SHEET, p_rows, PARTNER_COLUMNS), "costs": (COST_SHEET, c_rows, COST_COLUMNS),
             "funding": (FUNDING_SHEET, f_rows, FUNDING_COLUMNS)}
    return data, where


def locate(path: str, where: dict[str, tuple[str, list[int], tuple[str, ...]]]) -> str:
    """'costs[2].amount_sek' -> 'Kostnader!C5'; a top-level field -> 'Projekt!<field>'."""
    match = _PATH.match(path)
    if not match:
        return f"{PROJECT_SHEET}: {path}" if path else PROJECT_SHEET
    sheet, rows, columns = where[match.group(1)]
    index = int(match.group(2))
    row = rows[index] if index < len(rows) else "?"
    column = match.group(3)
    if column in columns:
        letter = chr(ord("A") + columns.index(column))
        return f"{sheet}!{letter}{row}"
    return f"{sheet}, rad {row}" + (f" ({path.split('.', 1)[1]})" if "." in path else "")


def document_from_workbook(content: bytes) -> ProjectDocument:
    """Parse a filled template; raises WorkbookError naming sheet, row and column."""
    data, where = read_workbook(content)
    try:
        return document_from_mapping(data)
    except DocumentError as exc:
        raise WorkbookError(locate(exc.field, where), exc.message_sv, exc.message_en) from exc
