"""Fuzzing the file parsers: any bytes or text, and files that look right but are wrong, give the
parser's own clear errors (a preview with file/row errors, DocumentError, WorkbookError), never a crash.
"""

from __future__ import annotations

import copy
import io
import json
from datetime import date, datetime

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from synergy_app.calendar.import_ics import parse_ics
from synergy_app.calendar.import_preview import ImportPreview
from synergy_app.calendar.import_tabular import parse_csv, parse_xlsx
from synergy_app.calendar.tabular_columns import headers
from synergy_app.projects.xlsx_budget import (
    COST_SHEET,
    FUNDING_SHEET,
    PARTNER_SHEET,
    PROJECT_SHEET,
    WorkbookError,
    document_from_workbook,
    template_xlsx,
)
from synergy_app.stateaid.project_document import DocumentError, ProjectDocument, parse_project_document
from tests.stateaid.conftest import EXAMPLE

FUNDERS = {"vinnova", "tillvaxtverket"}
BOUNDED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values that parsers trip over: odd dates, money, separators, quotes, control characters.
TRICKY = st.sampled_from([
    "", " ", "0", "-1", "1e309", "NaN", "inf", "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31",
    "2026-06-01 25:61", "2026-06-01T10:00", "1 000 000,50", "12,5 %", "150 %", "-5 %", "abc", ";", ",",
    '"', '""', "\r", "\n", "\x00", "\ufeff", "=1+1", "ja", "nej", "x" * 5000, "vinnova", "öäå",
    "FREQ=DAILY;COUNT=100000", "FREQ=SECONDLY", "P1D", "PT-1H", "P", "20260601", "20260601T100000Z",
    "20260601T100000", "TZID=Mars/Olympus", "19000101",
])
CELL_TEXT = st.one_of(TRICKY, st.text(max_size=40))


def _assert_clear(preview: ImportPreview) -> None:
    """Either rows or errors, and every error names a field and says something."""
    assert isinstance(preview, ImportPreview)
    for error in list(preview.file_errors) + [e for row in preview.rows for e in row.errors]:
        assert error.field is not None and error.message_sv and error.message_en


def _ics(data):
    return parse_ics(data, "vinnova", FUNDERS, window_start=date(2023, 1, 1), window_end=date(2036, 12, 31),
                     max_occurrences=50)


# --- ICS -----------------------------------------------------------------------------------------

@BOUNDED
@given(st.binary(max_size=2000))
def test_ics_from_any_bytes(data):
    _assert_clear(_ics(data))


ICS_PROPERTY = st.sampled_from(["DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "SUMMARY",
                                "CATEGORIES", "UID", "X-SYNERGY-CALL", "DESCRIPTION", "URL", "SEQUENCE"])
ICS_PARAMS = st.sampled_from(["", ";VALUE=DATE", ";TZID=Europe/Stockholm", ";TZID=Nowhere/City", ";VALUE=PERIOD"])


@st.composite
def ics_documents(draw):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    for _ in range(draw(st.integers(0, 4))):
        lines.append("BEGIN:VEVENT")
        for _ in range(draw(st.integers(0, 7))):
            lines.append(f"{draw(ICS_PROPERTY)}{draw(ICS_PARAMS)}:{draw(CELL_TEXT)}".replace("\n", " "))
        if draw(st.booleans()):
            lines.append("END:VEVENT")
    if draw(st.booleans()):
        lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode("utf-8", "replace")


@BOUNDED
@given(ics_documents())
def test_ics_that_looks_like_a_calendar_but_is_wrong(data):
    _assert_clear(_ics(data))


# --- CSV and XLSX call import ----------------------------------------------------------------------

@BOUNDED
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_csv_from_any_bytes_or_text(data):
    _assert_clear(parse_csv(data, FUNDERS))


@st.composite
def call_tables(draw):
    header = headers(draw(st.sampled_from(["sv", "en"])))
    columns = draw(st.lists(st.sampled_from(header), min_size=1, max_size=len(header) + 2))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=0, max_size=len(columns) + 2), max_size=6))
    return [columns, *rows]


@BOUNDED
@given(call_tables(), st.sampled_from([";", ","]))
def test_csv_in_the_template_with_wrong_values(table, delimiter):
    text = "\r\n".join(delimiter.join('"' + c.replace('"', '""') + '"' for c in row) for row in table)
    _assert_clear(parse_csv(text.encode("utf-8"), FUNDERS))


XLSX_CELL = st.one_of(CELL_TEXT.map(lambda s: s.replace("\x00", "").replace("\r", "")), st.none(),
                      st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                      st.booleans(), st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)))


def _sheet_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        try:
            ws.append(row)
        except IllegalCharacterError:
            ws.append([None] * len(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@SLOW
@given(st.lists(st.sampled_from(headers("sv")), min_size=1, max_size=12),
       st.lists(st.lists(XLSX_CELL, max_size=12), max_size=5))
def test_xlsx_in_the_template_with_wrong_values(columns, rows):
    _assert_clear(parse_xlsx(_sheet_bytes([columns, *rows]), FUNDERS))


@BOUNDED
@given(st.binary(max_size=2000))
def test_xlsx_from_any_bytes(data):
    _assert_clear(parse_xlsx(b"PK\x03\x04" + data, FUNDERS))


# --- project files (YAML/JSON and the XLSX budget template) ----------------------------------------

def _parse_document(content) -> None:
    try:
        assert isinstance(parse_project_document(content), ProjectDocument)
    except DocumentError as exc:
        assert exc.message_sv and exc.message_en


@BOUNDED
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_project_file_from_any_bytes_or_text(content):
    _parse_document(content)


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), st.floats(allow_nan=True), CELL_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


ALL_PATHS = [p for p in _paths(EXAMPLE) if p]


@st.composite
def broken_examples(draw):
    """The documented example with one to three values replaced, or removed, anywhere in it."""
    doc = copy.deepcopy(EXAMPLE)
    for path in draw(st.lists(st.sampled_from(ALL_PATHS), min_size=1, max_size=3)):
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(JSONISH)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    return doc


@BOUNDED
@given(broken_examples(), st.sampled_from(["json", "yaml"]))
def test_project_file_that_is_almost_right(doc, fmt):
    try:
        text = json.dumps(doc) if fmt == "json" else yaml.safe_dump(doc, allow_unicode=True)
    except (ValueError, yaml.YAMLError):
        return
    _parse_document(text)


def _template_with(values: dict[str, list[list]]) -> bytes:
    wb = load_workbook(io.BytesIO(TEMPLATE))
    for sheet, rows in values.items():
        ws = wb[sheet]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1 if sheet != PROJECT_SHEET else 2):
                try:
                    ws.cell(row=r, column=c, value=value)
                except (ValueError, IllegalCharacterError):
                    ws.cell(row=r, column=c, value=None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


TEMPLATE = template_xlsx()
ROWS = st.lists(st.lists(XLSX_CELL, max_size=6), max_size=4)


@SLOW
@given(st.fixed_dictionaries({PROJECT_SHEET: st.lists(st.lists(XLSX_CELL, max_size=1), max_size=14),
                              PARTNER_SHEET: ROWS, COST_SHEET: ROWS, FUNDING_SHEET: ROWS}))
def test_budget_workbook_filled_with_wrong_values(values):
    try:
        assert isinstance(document_from_workbook(_template_with(values)), ProjectDocument)
    except WorkbookError as exc:
        assert exc.where is not None and exc.message_sv and exc.message_en


@BOUNDED
@given(st.binary(max_size=2000))
def test_budget_workbook_from_any_bytes(data):
    try:
        document_from_workbook(b"PK\x03\x04" + data)
    except WorkbookError as exc:
        assert exc.message_sv and exc.message_en
