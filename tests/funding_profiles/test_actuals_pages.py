"""One actual cost line edited or deleted in the browser; each funder's reports for the periods of its
profile with its co-financing rate; the state-aid check on the actual figures on the page and in the report."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from synergy_app.audit.models import AuditEntry
from synergy_app.funding_profiles import service
from synergy_app.funding_profiles.models import ActualCost

ROW = {"partner": "ltu", "period_start": "2026-04-01", "period_end": "2026-09-30", "cost_type": "personnel",
       "amount": "500000"}


def _as_ore(cell) -> int:
    """A report cell (kronor, two decimals) as öre, exactly."""
    return int((Decimal(str(cell)) * 100).to_integral_value())


def _one(db_session):
    return db_session.query(ActualCost).one()


def test_one_actual_line_is_edited_with_errors_naming_the_field(client, planner, described_project, db_session):
    service.save_actuals(described_project, [ROW], "seed")
    line = _one(db_session)
    url = f"/projects/{described_project.id}/actuals/{line.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'value="500000,00"' in page.get_data(as_text=True)
    bad = client.post(url, data={**ROW, "amount": "12,345", "period_end": "2026-03-01", "action": "save"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'href="#f-amount"' in text and 'href="#f-period_end"' in text and 'aria-invalid="true"' in text
    db_session.expire_all()
    assert (_one(db_session).amount_ore, str(_one(db_session).period_end)) == (50_000_000, "2026-09-30")
    good = client.post(url, data={**ROW, "amount": "450 000,50", "cost_type": "other_direct", "action": "save"})
    assert good.status_code == 302
    db_session.expire_all()
    assert (_one(db_session).amount_ore, _one(db_session).cost_type) == (45_000_050, "other_direct")
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "project.actuals.update")).one()
    assert entry.changes["amount_ore"] == {"from": 50_000_000, "to": 45_000_050}


def test_one_actual_line_is_deleted_and_audited(client, planner, described_project, db_session):
    service.save_actuals(described_project, [ROW, {**ROW, "cost_type": "equipment", "amount": "1000"}], "seed")
    line = db_session.query(ActualCost).filter_by(cost_type="equipment").one()
    assert client.post(f"/projects/{described_project.id}/actuals/{line.id}",
                       data={"action": "delete"}).status_code == 302
    assert [a.cost_type for a in db_session.query(ActualCost).all()] == ["personnel"]
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "project.actuals.delete")).one()
    assert client.get(f"/projects/{described_project.id}/actuals/{line.id}").status_code == 404


def test_a_reader_may_not_edit_an_actual_line(client, make_user, login, described_project, db_session):
    service.save_actuals(described_project, [ROW], "seed")
    login(make_user("reader"))
    assert client.get(f"/projects/{described_project.id}/actuals/{_one(db_session).id}").status_code == 403


def test_entering_another_cost_type_of_the_same_period_keeps_the_first(client, planner, described_project,
                                                                        db_session):
    url = f"/projects/{described_project.id}/actuals"
    assert client.post(url, data={**ROW, "action": "entry"}).status_code == 302
    other = {**ROW, "cost_type": "equipment", "amount": "10", "action": "entry"}
    assert client.post(url, data=other).status_code == 302
    assert client.post(url, data={**ROW, "amount": "400000", "action": "entry"}).status_code == 302
    assert sorted((a.cost_type, a.amount_ore) for a in db_session.query(ActualCost).all()) == [
        ("equipment", 1_000), ("personnel", 40_000_000)]


def test_each_funder_reports_over_the_periods_of_its_profile(client, planner, described_project):
    text = client.get(f"/projects/{described_project.id}/actuals").get_data(as_text=True)
    # The demo runs 2026-04-01..2028-03-31: Vinnova's profile says twelve months, ERUF's six.
    vinnova = re.findall(r"/reports/vinnova\.xlsx\?period=([0-9.-]+)", text)
    eruf = re.findall(r"/reports/eruf-tillvaxtverket\.xlsx\?period=([0-9.-]+)\"", text)
    assert vinnova == ["2026-04-01..2027-03-31", "2027-04-01..2028-03-31"]
    assert eruf == ["2026-04-01..2026-09-30", "2026-10-01..2027-03-31", "2027-04-01..2027-09-30",
                    "2027-10-01..2028-03-31"]
    # ERUF's rate is the programme's (Övre Norrland), not yet verified; the 40 % alternative is offered.
    section = text[text.index('id="report-eruf-tillvaxtverket"'):text.index('id="report-region-1-1"')]
    assert "40" in section and "Regionalfondsprogram för Övre Norrland" in section
    assert "ej verifierad mot källan" in section
    assert "indirect=0" in section
    # Vinnova's note exists only in English: the Swedish page says so.
    assert "Finns bara på engelska:" in text
    english = client.get(f"/projects/{described_project.id}/actuals?lang=en").get_data(as_text=True)
    assert "Reports per funder" in english and "Finns bara" not in english and "Only available" not in english
    assert "not verified against the source" in english


def test_the_check_defaults_to_the_project_to_date(client, planner, described_project):
    # 2026-04-01..2026-09-30 is 183 of the demo's 731 days: Vinnova's 2 500 000 kr to Luleå tekniska
    # universitet (all of its costs) is taken as 2 500 000 × 183 / 731 = 625 854,99 kr for the period.
    service.save_actuals(described_project, [{**ROW, "amount": "625854,99"}], "seed")
    text = client.get(f"/projects/{described_project.id}/actuals").get_data(as_text=True)
    assert 'name="to" type="date" value="2026-09-30"' in text
    assert "2026-04-01–2026-09-30, 25,03\xa0% av projekttiden" in text
    assert 'id="actual-flags-none"' in text
    # Spending less than that, the university's funding exceeds its costs: a flag the plan did not have.
    service.save_actuals(described_project, [{**ROW, "amount": "625854,98"}], "seed")
    text = client.get(f"/projects/{described_project.id}/actuals").get_data(as_text=True)
    flags = text[text.index('id="actual-flags"'):]
    assert "FUNDING_EXCEEDS_COSTS" in flags and "Luleå tekniska universitet" in flags and "0,01\xa0kr" in flags


def test_the_report_names_the_rate_and_the_funders_share(client, planner, described_project):
    service.save_actuals(described_project, [{**ROW, "partner": "norrstal", "amount": "100000"}], "seed")
    response = client.get(f"/projects/{described_project.id}/reports/eruf-tillvaxtverket.xlsx"
                          "?period=2026-04-01..2026-09-30")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Rapport", "Villkor", "Omräkningar", "Statsstöd på utfallet"]
    facts = {row[0]: row[1] for row in book["Villkor"].iter_rows(min_row=2, values_only=True)}
    # 100 000 kr of staff + 15 % flat rate = 115 000 kr; ERDF pays 40 % of it: 46 000 kr.
    assert facts["Medfinansieringsgrad"].startswith("40\xa0%") and "ej verifierad" in facts["Medfinansieringsgrad"]
    assert facts["Finansiärens del av utfallet"].replace("\xa0", " ") == "46 000,00 kr"
    assert facts["Rapportperiod enligt profilen"].startswith("6 månader")
    alternative = client.get(f"/projects/{described_project.id}/reports/eruf-tillvaxtverket.xlsx"
                             "?period=2026-04-01..2026-09-30&indirect=0")
    rows = list(load_workbook(io.BytesIO(alternative.data))["Rapport"].iter_rows(values_only=True))
    assert _as_ore(rows[-1][3]) == 14_000_000  # 100 000 kr + 40 % of it, all other costs inside the flat rate
    assert client.get(f"/projects/{described_project.id}/reports/eruf-tillvaxtverket.xlsx"
                      "?period=2026-04-01..2026-09-30&indirect=5").status_code == 404
    assert client.get(f"/projects/{described_project.id}/reports/nobody.xlsx"
                      "?period=2026-04-01..2026-09-30").status_code == 404


def test_actuals_that_break_the_plan_are_flagged_on_the_page_and_in_the_report(client, planner, described_project):
    start, end = described_project.work_start.isoformat(), described_project.end_date.isoformat()
    service.save_actuals(described_project, [{"partner": "testbadd", "period_start": start, "period_end": end,
                                              "cost_type": "other_direct", "amount": "700000"}], "seed")
    text = client.get(f"/projects/{described_project.id}/actuals").get_data(as_text=True)
    flags = text[text.index('id="actual-flags"'):]
    assert "AID_INTENSITY_EXCEEDED" in flags and "PRIVATE_COFINANCING_SHORT" in flags
    assert "Arktisk testbädd" in flags
    assert "AID_INTENSITY_EXCEEDED" not in text[text.index('id="check-h"'):text.index('id="actual-flags"')]
    response = client.get(f"/projects/{described_project.id}/reports/region-1-1.xlsx?period={start}..{end}")
    sheet = load_workbook(io.BytesIO(response.data))["Statsstöd på utfallet"]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["AID_INTENSITY_EXCEEDED", "PRIVATE_COFINANCING_SHORT"]
    pdf = client.get(f"/projects/{described_project.id}/reports/region-1-1.pdf?period={start}..{end}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Without a window chosen, the project to date: its work start to the last day entered.
    service.save_actuals(described_project, [{**ROW, "amount": "700000"}], "seed")
    default = client.get(f"/projects/{described_project.id}/actuals").get_data(as_text=True)
    assert 'name="from" type="date" value="2026-04-01"' in default and 'value="2028-03-31"' in default
    # A window when the demo partner is on budget raises nothing new.
    quiet = client.get(f"/projects/{described_project.id}/actuals?from=2026-04-01&to=2026-09-30")
    assert 'id="actual-flags-none"' in quiet.get_data(as_text=True)


def test_the_xlsx_template_lists_partners_and_cost_types_by_name_and_imports_filled_in(client, planner,
                                                                                       described_project, db_session):
    from datetime import date

    response = client.get(f"/projects/{described_project.id}/actuals/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Part", "Periodens första dag", "Periodens sista dag", "Kostnadstyp",
                                           "Belopp (kr)"]
    # Each drop-down is a range on the hidden lists sheet (names may hold commas and quotes).
    assert all("Listor" in v.formula1 and "!$" in v.formula1 for v in sheet.data_validations.dataValidation)
    lists = [c.value for row in book["Listor"].iter_rows() for c in row if c.value]
    assert "Luleå tekniska universitet" in lists and "Personal (timmar × timpris)" in lists
    sheet.append(["Luleå tekniska universitet", date(2026, 4, 1), date(2026, 9, 30), "Personal (timmar × timpris)",
                  1500.5])
    sheet.append(["Norrstål Verkstad AB (exempel)", date(2026, 4, 1), date(2026, 9, 30), "Utrustning", 20000])
    filled = io.BytesIO()
    book.save(filled)
    imported = client.post(f"/projects/{described_project.id}/actuals",
                           data={"action": "xlsx", "file": (io.BytesIO(filled.getvalue()), "utfall.xlsx")},
                           content_type="multipart/form-data")
    assert imported.status_code == 302
    assert sorted((a.partner.key, a.cost_type, a.amount_ore) for a in db_session.query(ActualCost).all()) == [
        ("ltu", "personnel", 150_050), ("norrstal", "equipment", 2_000_000)]
