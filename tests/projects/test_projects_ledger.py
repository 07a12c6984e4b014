"""The de minimis ledger: single undertakings, headroom on a date, the register export, the check reads it."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from synergy_app.errors import InputError
from synergy_app.projects import checking
from synergy_app.stateaid import ledger, ledger_service
from synergy_app.stateaid.ledger import EXPORT_COLUMNS


def _grant(actor, org="556100-0001", on="2023-03-02", eur="100000", name="Bolaget AB"):
    return ledger_service.add_grant({"beneficiary_org_number": org, "beneficiary_name": name, "grantor": "Region X",
                              "grant_date": on, "amount_eur": eur, "regulation": "1407/2013"}, actor)


def test_headroom_three_years_minus_a_day(db_session, make_user):
    planner = make_user("planner")
    grant = _grant(planner, on="2023-03-02")
    u = grant.undertaking
    # 2023/2831: any period of three years; on 2026-03-01 the window starts 2023-03-02 (inclusive).
    inside = ledger.position(u, date(2026, 3, 1))
    assert inside.earlier_eur == Decimal("100000") and inside.headroom_before_eur == Decimal("200000")
    outside = ledger.position(u, date(2026, 3, 2))
    assert outside.earlier_eur == 0 and outside.headroom_before_eur == Decimal("300000")


def test_linked_enterprises_share_one_ledger(db_session, make_user):
    planner = make_user("planner")
    first = _grant(planner, org="556100-0001", eur="200000")
    ledger_service.link_enterprise(first.undertaking, {"org_number": "5561000002", "name": "Dotterbolaget AB"}, planner)
    second = _grant(planner, org="556100-0002", eur="50000", name="Dotterbolaget AB")
    assert second.undertaking_id == first.undertaking_id
    assert ledger.position(first.undertaking, date(2025, 1, 1)).earlier_eur == Decimal("250000")


def test_bad_grant_names_the_field(db_session, make_user):
    with pytest.raises(InputError) as exc:
        ledger_service.add_grant({"beneficiary_org_number": "12", "beneficiary_name": "", "grant_date": "2025-02-30",
                           "grantor": "X", "amount_eur": "-1", "regulation": "nope"}, make_user("planner"))
    fields = {e.field for e in exc.value.errors}
    assert {"beneficiary_org_number", "beneficiary_name", "grant_date", "amount_eur", "regulation"} <= fields


def test_check_reads_the_ledger(db_session, make_user, demo_project):
    result = checking.run_check(demo_project).result
    flag = next(f for f in result.flags if f.code == "DE_MINIMIS_CEILING_EXCEEDED")
    # Ledger: 180 000 + 90 000 EUR; planned 600 000 kr / 11.2 = 53 571.43 EUR; total 323 571.43 > 300 000.
    assert flag.values["earlier_eur"] == "270000.00"
    assert flag.values["planned"] == "323571.43"


def test_register_export_and_pages(client, make_user, login, db_session):
    user = login(make_user("planner"))
    _grant(user)
    csv_response = client.get("/projects/de-minimis/export.csv")
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [k for k, _ in EXPORT_COLUMNS]
    assert rows[1][1] == "556100-0001" and rows[1][8] == "100000.00" and rows[1][10] == "1407/2013"
    assert client.get("/projects/de-minimis/export.xlsx").status_code == 200
    page = client.get("/projects/de-minimis?on=2026-03-01")
    assert page.status_code == 200 and "Bolaget AB" in page.get_data(as_text=True)


def test_headroom_api(client, make_user, api_token, db_session):
    user = make_user("taskforce")
    _grant(user)
    response = client.get("/api/v1/de-minimis/headroom?org_number=556100-0001&on=2026-03-01",
                          headers=api_token(user))
    assert response.status_code == 200
    assert response.get_json()["position"]["remaining_after_eur"] == "200000.00"


def test_ledger_is_for_planners_and_taskforce(client, make_user, login):
    login(make_user("reader"))
    assert client.get("/projects/de-minimis").status_code == 403
