"""Actual costs entered once (rows or an SIE 4 file by account ranges), all or nothing, and reported to
each funder in its categories beside the budget."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from synergy_app.errors import InputError
from synergy_app.funding_profiles import service
from synergy_app.funding_profiles.models import ActualCost
from synergy_app.funding_profiles.sie import SieError, parse_ranges, read_sie

RANGES = {"personnel": "7000-7699", "equipment": "1200-1299, 5400", "consultancy": "6550-6559",
          "other_direct": "4000-6999"}

SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#RAR 0 20260101 20261231
#KONTO 7010 "Löner"
#VER A 1 20260415 "Lön april"
{
   #TRANS 7010 {} 120000.00
   #TRANS 1930 {} -120000.00
}
#VER A 2 20260510 "Mätutrustning"
{
   #TRANS 5400 {} 35000.50 20260510 "Sensorer"
   #TRANS 6550 {} 10000
   #TRANS 2440 {} -45000.50
}
#VER A 3 20260801 "Utanför perioden"
{
   #TRANS 7010 {} 99999.00
}
"""


def _as_ore(cell) -> int:
    """A report cell (kronor, two decimals) as öre, exactly."""
    return int((Decimal(str(cell)) * 100).to_integral_value())


def test_sie_sums_by_account_range_within_the_period():
    actuals = read_sie(SIE.encode("cp437"), parse_ranges(RANGES), date(2026, 4, 1), date(2026, 6, 30))
    assert actuals.by_type == {"personnel": 12_000_000, "equipment": 3_500_050, "consultancy": 1_000_000}
    assert actuals.outside_period == 1
    assert actuals.unmapped_accounts == {1930, 2440}


@pytest.mark.parametrize(("bad", "line"), [
    ("   #TRANS 7010 {} 12O00.00", 8),
    ("   #TRANS 7010 {} 100.005", 8),
    ("   #TRANS konto {} 100", 8),
])
def test_a_bad_sie_line_is_refused_with_its_number(bad, line):
    text = SIE.replace("   #TRANS 7010 {} 120000.00", bad)
    with pytest.raises(SieError) as err:
        read_sie(text.encode(), parse_ranges(RANGES), date(2026, 1, 1), date(2026, 12, 31))
    assert err.value.line == line and err.value.message_en.startswith(f"Line {line}:")


def test_bad_voucher_date_and_unclosed_voucher():
    with pytest.raises(SieError) as err:
        read_sie(SIE.replace("20260510 \"Mätutrustning\"", "20261345 \"x\"").encode(), [], date(2026, 1, 1),
                 date(2026, 12, 31))
    assert err.value.line == 11
    with pytest.raises(SieError) as err:
        read_sie(SIE.rstrip().rstrip("}").encode(), [], date(2026, 1, 1), date(2026, 12, 31))
    assert "}" in err.value.message_en


def test_ranges_are_checked():
    with pytest.raises(ValueError, match="personnel"):
        parse_ranges({"personnel": "7699-7000"})
    with pytest.raises(ValueError, match="travel"):
        parse_ranges({"travel": "5800"})


def test_sie_import_is_all_or_nothing(described_project, db_session):
    actor = "seed"
    service.import_sie(described_project, "norrstal", SIE.encode("cp437"), RANGES, date(2026, 4, 1),
                       date(2026, 6, 30), actor)
    stored = db_session.query(ActualCost).filter_by(project_id=described_project.id).all()
    assert sorted((a.cost_type, a.amount_ore) for a in stored) == [
        ("consultancy", 1_000_000), ("equipment", 3_500_050), ("personnel", 12_000_000)]
    with pytest.raises(InputError) as err:
        service.import_sie(described_project, "norrstal", SIE.replace("10000", "tio").encode(), RANGES,
                           date(2026, 4, 1), date(2026, 6, 30), actor)
    assert err.value.errors[0].field == "file" and "Rad 14" in err.value.errors[0].message_sv
    assert db_session.query(ActualCost).filter_by(project_id=described_project.id).count() == 3


def test_entered_rows_are_all_or_nothing_and_name_the_bad_row(described_project, db_session):
    rows = [{"partner": "ltu", "period_start": "2026-04-01", "period_end": "2026-06-30", "cost_type": "personnel",
             "amount": "500000"},
            {"partner": "nobody", "period_start": "2026-04-01", "period_end": "2026-06-30", "cost_type": "personnel",
             "amount": "1"}]
    with pytest.raises(InputError) as err:
        service.save_actuals(described_project, rows, "seed")
    assert err.value.errors[0].field == "rows[2] (nobody, 2026-04-01..2026-06-30)"
    assert db_session.query(ActualCost).count() == 0
    assert service.save_actuals(described_project, rows[:1], "seed") == 1


def test_an_entered_amount_is_read_as_kronor_and_a_bad_one_named_with_its_reason(described_project, db_session):
    row = {"partner": "ltu", "period_start": "2026-04-01", "period_end": "2026-06-30", "cost_type": "personnel"}
    with pytest.raises(InputError) as err:
        service.save_actuals(described_project, [{**row, "amount": "10,125"}, {**row, "amount": ""}], "seed")
    assert [(e.field, e.message_en) for e in err.value.errors] == [
        ("rows[1] (ltu, 2026-04-01..2026-06-30)", "Give at most two decimals."),
        ("rows[2] (ltu, 2026-04-01..2026-06-30)", "Enter an amount in kronor.")]
    assert db_session.query(ActualCost).count() == 0
    assert service.save_actuals(described_project, [{**row, "amount": "1 200 000,50 kr"}], "seed") == 1
    assert db_session.query(ActualCost).one().amount_ore == 120_000_050


def test_one_periods_actuals_produce_both_funders_reports(app, described_project, tmp_path):
    service.import_sie(described_project, "norrstal", SIE.encode("cp437"), RANGES, date(2026, 4, 1),
                       date(2026, 6, 30), "seed")
    runner = app.test_cli_runner()
    totals = {}
    for funder in ("vinnova", "eruf-tillvaxtverket"):
        out = tmp_path / f"{funder}.xlsx"
        result = runner.invoke(args=["export-report", str(described_project.id), "--funder", funder,
                                     "--period", "2026-04-01..2026-06-30", "--format", "xlsx", "--out", str(out)])
        assert result.exit_code == 0, result.output
        rows = list(load_workbook(io.BytesIO(out.read_bytes())).worksheets[0].iter_rows(values_only=True))
        totals[funder] = _as_ore(rows[-1][3])
    # Actuals 120 000 + 35 000.50 + 10 000 kr; Vinnova adds 30 % of staff costs (36 000 kr), ERUF 15 % (18 000 kr).
    assert totals == {"vinnova": 16_500_050 + 3_600_000, "eruf-tillvaxtverket": 16_500_050 + 1_800_000}
    bad = runner.invoke(args=["export-report", str(described_project.id), "--funder", "vinnova",
                              "--period", "2026-06-30..2026-04-01", "--format", "xlsx"])
    assert bad.exit_code == 2 and "--period" in bad.output
    forty = tmp_path / "forty.xlsx"
    assert runner.invoke(args=["export-report", str(described_project.id), "--funder", "eruf-tillvaxtverket",
                               "--period", "2026-04-01..2026-06-30", "--format", "xlsx", "--indirect", "1",
                               "--out", str(forty)]).exit_code == 0
    # 120 000 kr of staff + 40 % of it; the equipment and consultancy are inside the flat rate.
    last = list(load_workbook(io.BytesIO(forty.read_bytes())).worksheets[0].iter_rows(values_only=True))[-1]
    assert _as_ore(last[3]) == 12_000_000 + 4_800_000
    refused = runner.invoke(args=["export-report", str(described_project.id), "--funder", "vinnova", "--period",
                                  "2026-04-01..2026-06-30", "--format", "xlsx", "--indirect", "1"])
    assert refused.exit_code == 2 and "--indirect" in refused.output
    pdf = tmp_path / "r.pdf"
    assert runner.invoke(args=["export-report", str(described_project.id), "--funder", "vinnova", "--period",
                               "2026-04-01..2026-06-30", "--format", "pdf", "--out", str(pdf)]).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["partner", "period_start", "period_end", "cost_type", "amount"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_actuals_page_entry_xlsx_and_sie(client, planner, described_project, db_session):
    url = f"/projects/{described_project.id}/actuals"
    assert client.get(url).status_code == 200
    entered = client.post(url, data={"action": "entry", "partner": "ltu", "period_start": "2026-04-01",
                                      "period_end": "2026-06-30", "cost_type": "personnel", "amount": "1 000,50"})
    assert entered.status_code == 302
    assert db_session.query(ActualCost).filter_by(origin="entry").one().amount_ore == 100_050
    bad_xlsx = _xlsx([("varmauto", date(2026, 4, 1), date(2026, 6, 30), "equipment", 5000),
                      ("varmauto", date(2026, 4, 1), date(2026, 6, 30), "travel", 10)])
    refused = client.post(url, data={"action": "xlsx", "file": (io.BytesIO(bad_xlsx), "utfall.xlsx")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and "rows[2] (varmauto, 2026-04-01..2026-06-30)" in refused.get_data(as_text=True)
    assert db_session.query(ActualCost).filter_by(origin="xlsx").count() == 0
    good_xlsx = _xlsx([("varmauto", date(2026, 4, 1), date(2026, 6, 30), "equipment", 5000.25)])
    assert client.post(url, data={"action": "xlsx", "file": (io.BytesIO(good_xlsx), "utfall.xlsx")},
                       content_type="multipart/form-data").status_code == 302
    assert db_session.query(ActualCost).filter_by(origin="xlsx").one().amount_ore == 500_025
    sie = client.post(url, data={"action": "sie", "partner": "norrstal", "period_start": "2026-04-01",
                                 "period_end": "2026-06-30", "range-personnel": "7000-7699",
                                 "file": (io.BytesIO(SIE.replace("120000.00", "12x").encode()), "bok.se")},
                      content_type="multipart/form-data")
    assert sie.status_code == 400 and "Rad 8" in sie.get_data(as_text=True)
    assert db_session.query(ActualCost).filter_by(origin="sie").count() == 0


def test_reader_may_not_enter_actuals(client, make_user, login, described_project):
    login(make_user("reader"))
    assert client.get(f"/projects/{described_project.id}/actuals").status_code == 403
