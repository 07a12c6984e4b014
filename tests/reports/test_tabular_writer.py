"""The one tabular writer: CSV for Swedish Excel (';', UTF-8 with BOM), XLSX with typed cells, and the
formula guard on both."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from synergy_app.errors import InputError
from synergy_app.reports import tabular as tables
from synergy_app.reports.cells import safe_cell

COLUMNS = ["Område", "Län", "Belopp"]
ROWS = [["Hållbar industri", "Västra Götaland", Decimal("1200000.50")], ["Åre – Östersund", "Jämtland", None]]
FORMULAS = ['=HYPERLINK("http://evil.example","klick")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_opens_in_swedish_excel_bom_semicolon_and_swedish_letters():
    table = tables.write(ROWS, COLUMNS, "csv")
    assert table.mimetype == "text/csv; charset=utf-8" and table.extension == "csv"
    assert table.body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads å, ä, ö right
    text = table.body.decode("utf-8")
    assert text.splitlines()[0] == "\ufeffOmråde;Län;Belopp"
    assert "\r\n" in text
    assert _csv_rows(table.body) == [COLUMNS, ["Hållbar industri", "Västra Götaland", "1200000.50"],
                                     ["Åre – Östersund", "Jämtland", ""]]


def test_csv_quotes_a_cell_holding_the_delimiter():
    body = tables.write([["a; b", "rad 1\nrad 2"]], ["x", "y"], "csv").body
    assert _csv_rows(body)[1] == ["a; b", "rad 1\nrad 2"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_stays_text(fmt):
    table = tables.write([[f] for f in FORMULAS], ["Text"], fmt)
    if fmt == "csv":
        cells = [row[0] for row in _csv_rows(table.body)[1:]]
    else:
        sheet = load_workbook(io.BytesIO(table.body)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells == ["'" + f for f in FORMULAS]


def test_the_guard_leaves_plain_text_and_numbers_and_replaces_control_characters():
    assert safe_cell("Hållbar") == "Hållbar"
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-1.50")) == Decimal("-1.50") and safe_cell(None) is None
    assert safe_cell("a\x00b") == "a\ufffdb"


def test_xlsx_reads_back_with_types_bold_frozen_header_and_swedish_letters():
    moment = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)  # 09:30 in Stockholm (winter time)
    rows = [["Västerås", date(2027, 3, 1), moment, Decimal("1200000.50"), 7]]
    table = tables.write(rows, ["Ort", "Dag", "Tid", "Belopp", "Antal"], "xlsx", title="Översikt")
    assert table.mimetype == tables.XLSX_MIME and table.extension == "xlsx"
    book = load_workbook(io.BytesIO(table.body))
    sheet = book.active
    assert sheet.title == "Översikt"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    values = next(sheet.iter_rows(min_row=2, values_only=True))
    assert values == ("Västerås", datetime(2027, 3, 1), datetime(2027, 1, 15, 9, 30), 1200000.5, 7)
    assert sheet["B2"].number_format == "yyyy-mm-dd" and sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D2"].number_format == "#,##0.00"


def test_csv_writes_times_on_stockholm_clock_and_dates_iso():
    body = tables.write([[datetime(2027, 7, 1, 10, 0, tzinfo=UTC), date(2027, 7, 2)]], ["Tid", "Dag"], "csv").body
    assert _csv_rows(body)[1] == ["2027-07-01 12:00", "2027-07-02"]


def test_workbook_with_several_sheets_choices_and_notes():
    sheets = [tables.Sheet("Ett mycket långt bladnamn som Excel inte tar", ["a"], [[1]]),
              tables.Sheet("Val", ["typ", "not"], choices={0: ("ja", "nej")}, notes={1: "Obligatorisk"},
                           choice_rows=100)]
    book = load_workbook(io.BytesIO(tables.xlsx_bytes(sheets)))
    assert [s.title for s in book.worksheets if s.sheet_state == "visible"] == ["Ett mycket långt bladnamn som E",
                                                                                "Val"]
    validation = book["Val"].data_validations.dataValidation[0]
    # The options are a range on the hidden lists sheet, so a name with a comma or a quote stays one option.
    assert str(validation.sqref) == "A2:A100" and validation.formula1.endswith("!$A$1:$A$2")
    assert book["Listor"].sheet_state == "hidden" and [c.value for c in book["Listor"]["A"]] == ["ja", "nej"]
    assert book["Val"]["B1"].comment.text == "Obligatorisk"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        tables.write([], ["a"], "pdf")
    with pytest.raises(InputError) as exc:
        tables.wanted_format("pdf")
    assert exc.value.errors[0].field == "format"
    assert tables.wanted_format(None) is None and tables.wanted_format("html") is None
    assert tables.wanted_format("xlsx") == "xlsx"


def test_response_downloads_under_the_name(app):
    with app.test_request_context():
        response = tables.response(tables.write(ROWS, COLUMNS, "csv"), "omraden")
    assert response.headers["Content-Disposition"] == 'attachment; filename="omraden.csv"'
    assert response.mimetype == "text/csv"
    assert response.get_data().startswith(b"\xef\xbb\xbf")
