import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from synergy_app.calendar.export_tabular import calls_to_csv, calls_to_xlsx
from synergy_app.calendar.import_preview import RowAction
from synergy_app.calendar.import_tabular import (
    parse_csv,
    parse_money_ore,
    parse_xlsx,
    template_csv,
    template_rows,
    template_xlsx,
)

FIXTURES = Path(__file__).parent / "fixtures"
FUNDERS = {"vinnova", "tillvaxtverket", "energimyndigheten"}


def test_swedish_csv_with_stages_money_and_lists():
    preview = parse_csv((FIXTURES / "calls.csv").read_bytes(), FUNDERS)
    assert preview.ok
    hi, eruf = preview.calls
    assert hi.identity == "ref:vinnova:2027-00101"
    # 14:00 Swedish summer time on 30 March 2027 (after the switch on 28 March) is 12:00 UTC.
    assert [(d.label, d.at) for d in hi.deadlines] == [
        ("Steg 1", datetime(2027, 3, 30, 12, 0, tzinfo=UTC)),
        ("Steg 2", datetime(2027, 9, 14, 12, 0, tzinfo=UTC)),
    ]
    assert hi.budget_sek == 4_000_000_000  # 40 MSEK in öre
    assert hi.funding_rate == Decimal("0.5")
    assert hi.eligible_applicants == ("företag", "universitet och högskolor")
    assert hi.regions == ("vastra-gotaland", "norrbotten")
    assert eruf.budget_sek == 2_500_000_050
    assert [r.action for r in preview.rows] == [RowAction.CREATE, RowAction.CREATE]


def test_every_bad_row_is_named_and_nothing_is_accepted():
    preview = parse_csv((FIXTURES / "bad_rows.csv").read_bytes(), FUNDERS)
    assert not preview.ok
    problems = {r.row_number: [e.field for e in r.errors] for r in preview.rows}
    assert problems == {2: [], 3: ["deadline"], 4: ["funder"], 5: ["opens_on"], 6: ["budget_sek"]}
    row4 = preview.rows[2].errors[0]
    assert "okand-finansiar" in row4.message_sv and "Unknown funder" in row4.message_en


def test_missing_column_is_named():
    preview = parse_csv((FIXTURES / "missing_column.csv").read_bytes(), FUNDERS)
    assert not preview.ok and preview.rows == []
    assert [(e.field, e.message_sv) for e in preview.file_errors] == [("opens_on", 'Kolumnen "öppnar" saknas.')]


def test_xlsx_date_cells_and_percent_format():
    preview = parse_xlsx((FIXTURES / "calls.xlsx").read_bytes(), FUNDERS)
    assert preview.ok
    em = preview.calls[0]
    assert em.opens_on == date(2027, 1, 10)  # a date cell at midnight stays a date
    assert em.deadlines[0].at == datetime(2027, 3, 31, 12, 0, tzinfo=UTC)  # 14:00 CEST
    assert em.funding_rate == Decimal("0.25")  # 25 % formatted cell
    assert em.budget_sek == 1_250_000_000


def test_reimport_updates_instead_of_duplicating():
    first = parse_csv((FIXTURES / "calls.csv").read_bytes(), FUNDERS)
    existing = {c.identity: c for c in first.calls}
    again = parse_csv((FIXTURES / "calls.csv").read_bytes(), FUNDERS, existing)
    assert [r.action for r in again.rows] == [RowAction.UNCHANGED, RowAction.UNCHANGED]
    moved = (FIXTURES / "calls.csv").read_text().replace("2027-04-15", "2027-04-22")
    changed = parse_csv(moved, FUNDERS, existing)
    assert [r.action for r in changed.rows] == [RowAction.UNCHANGED, RowAction.UPDATE]


def test_same_call_twice_in_one_file_is_an_error():
    text = (
        "funder,reference,title,opens,deadlines\nvinnova,X,A,2027-01-01,2027-03-01\nvinnova,X,B,2027-01-01,2027-03-01\n"
    )
    preview = parse_csv(text, FUNDERS)
    assert not preview.ok
    assert preview.rows[1].errors[0].message_en == "The same call already appears in row 2."


@pytest.mark.parametrize(
    ("text", "ore"),
    [("1 500 000", 150_000_000), ("1500000,50", 150_000_050), ("2 000 kr", 200_000), ("", None)],
)
def test_money_in_swedish_notation(text, ore):
    assert parse_money_ore(text) == ore


@pytest.mark.parametrize("text", ["-5", "1,234", "12.345,6", "tio"])
def test_bad_money_is_refused(text):
    with pytest.raises(ValueError):
        parse_money_ore(text)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_exported_list_imports_back_unchanged(lang):
    calls = parse_csv((FIXTURES / "calls.csv").read_bytes(), FUNDERS).calls
    existing = {c.identity: c for c in calls}
    csv_back = parse_csv(calls_to_csv(calls, lang), FUNDERS, existing)
    xlsx_back = parse_xlsx(calls_to_xlsx(calls, lang), FUNDERS, existing)
    for preview in (csv_back, xlsx_back):
        assert preview.ok
        assert [r.action for r in preview.rows] == [RowAction.UNCHANGED, RowAction.UNCHANGED]


def test_template_example_is_a_valid_import_but_is_never_imported_from_the_template():
    from openpyxl import load_workbook

    example = io.StringIO()
    csv.writer(example, delimiter=";").writerows(template_rows("sv"))
    assert parse_csv(example.getvalue(), FUNDERS).ok
    # The files themselves hold only the header: a user filling rows in never imports the example.
    for preview in (parse_csv(template_csv("sv"), FUNDERS), parse_xlsx(template_xlsx("en"), FUNDERS)):
        assert not preview.ok and preview.file_errors[0].message_en == "The file contains no calls."
    sheets = load_workbook(io.BytesIO(template_xlsx("sv"))).worksheets
    assert [s.title for s in sheets] == ["Utlysningar", "Exempel"]
    assert sheets[1].max_row == 2 and sheets[0].max_row == 1


def test_formula_like_cells_are_neutralised_on_export():
    calls = parse_csv(
        "funder,reference,title,opens,deadlines\nvinnova,X,=HYPERLINK(1),2027-01-01,2027-03-01\n", FUNDERS
    )
    assert "'=HYPERLINK(1)" in calls_to_csv(calls.calls).decode("utf-8-sig")
