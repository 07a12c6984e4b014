"""The project file format: what parses, and errors that name the field in Swedish and English."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from synergy_app.stateaid.project_document import (
    DocumentError,
    MultiCountry,
    document_from_mapping,
    document_mapping,
    parse_project_document,
    validate_document,
)

EXAMPLE_YAML = """\
title: Systemdemonstrator för resilient produktion
grant_date: 2026-03-01
application_date: 2026-01-15
work_start: 2026-04-01
exchange_rate_eur_sek: 11.2        # optional; otherwise the dated reference rate
collaboration: {effective: true, wide_dissemination: false, research_organisations_may_publish: true}
partners:
  - {id: acme, name: Acme AB, kind: undertaking, size: small,
     de_minimis_received: [{date: 2025-02-01, amount_eur: 120000}]}
  - {id: ltu, name: Luleå tekniska universitet, kind: research_organisation}
costs:
  - {partner: acme, category: experimental_development, amount_sek: 4000000}
  - {partner: ltu, category: non_economic, amount_sek: 1000000}
funding:
  - {source: vinnova, kind: state, partner: acme, category: experimental_development, amount_sek: 1200000}
  - {source: eruf-ovre-norrland, kind: erdf, partner: acme, category: experimental_development, amount_sek: 800000}
  - {source: acme, kind: private, partner: acme, amount_sek: 2000000}
  - {source: vinnova, kind: state, partner: ltu, category: non_economic, amount_sek: 1000000}
"""


def test_issue_example_parses_with_money_in_ore():
    doc = parse_project_document(EXAMPLE_YAML)
    assert doc.grant_date == date(2026, 3, 1)
    assert doc.exchange_rate_eur_sek == Decimal("11.2")
    assert doc.costs[0].amount_ore == 400_000_000
    assert doc.funding[2].category is None and doc.funding[2].kind == "private"
    assert doc.partners[0].de_minimis_received[0].amount_eur == Decimal("120000")
    assert doc.collaboration.effective and doc.collaboration.research_organisations_may_publish


def test_json_and_bytes_give_the_same_document(example):
    from_json = parse_project_document(json.dumps(example).encode("utf-8"))
    assert from_json == document_from_mapping(example)


def test_a_written_document_reads_back_equal():
    doc = parse_project_document(EXAMPLE_YAML)
    doc = replace(doc, exchange_rate_eur_sek=Decimal("10.0000"), funding=(
        *doc.funding, replace(doc.funding[0], kind="eu_direct", union_max_rate=Decimal("0.7000"), partner="ltu")),
        collaboration=replace(doc.collaboration, multi_country=MultiCountry(True, ("SE", "FI"))),
        municipalities=("2584",), assisted_area="c")
    written = document_mapping(doc)
    # Numbers are written plainly, without trailing zeros or an exponent (10.0000 normalised is 1E+1).
    assert written["exchange_rate_eur_sek"] == "10" and written["funding"][-1]["union_max_rate"] == "0.7"
    assert written["costs"][0]["amount_sek"] == "4000000"
    assert document_from_mapping(written) == doc


def test_a_stored_document_without_what_the_check_needs_is_refused_like_a_file():
    doc = parse_project_document(EXAMPLE_YAML)
    with pytest.raises(DocumentError) as exc:
        validate_document(replace(doc, partners=()))
    assert exc.value.field == "partners"
    with pytest.raises(DocumentError) as exc:
        validate_document(replace(doc, partners=(replace(doc.partners[0], size=None), doc.partners[1])))
    assert exc.value.field == "partners[0].size"
    assert validate_document(doc) is doc


@pytest.mark.parametrize(("amount", "ore"), [
    (4000000, 400_000_000), ("1 200 000.50", 120_000_050), ("0.01", 1), (4000000.0, 400_000_000), (12.34, 1234),
])
def test_amounts_become_whole_ore(example, amount, ore):
    example["costs"][0]["amount_sek"] = amount
    assert document_from_mapping(example).costs[0].amount_ore == ore


@pytest.mark.parametrize(("amount", "problem"), [
    (12.345, "fractions of an öre"), ("-1", "negative"), ("tolv", "not a number"), (True, "must be a number"),
])
def test_bad_amounts_name_the_field(example, amount, problem):
    example["costs"][0]["amount_sek"] = amount
    with pytest.raises(DocumentError) as err:
        document_from_mapping(example)
    assert err.value.field == "costs[0].amount_sek"
    assert problem in err.value.message_en
    assert err.value.message_sv


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d["partners"][1].update(kind="university"), "partners[1].kind"),
    (lambda d: d["partners"][0].pop("size"), "partners[0].size"),
    (lambda d: d["partners"][1].update(id="acme"), "partners[1].id"),
    (lambda d: d.update(budget=1), "budget"),
    (lambda d: d["costs"][1].update(kategori="x"), "costs[1].kategori"),
    (lambda d: d["costs"][0].update(category="research"), "costs[0].category"),
    (lambda d: d["funding"][0].update(partner="nobody"), "funding[0].partner"),
    (lambda d: d["funding"][0].update(kind="eu"), "funding[0].kind"),
    (lambda d: d["funding"][0].pop("category"), "funding[0].category"),
    (lambda d: d["funding"][0].update(union_max_rate="0.7"), "funding[0].union_max_rate"),
    (lambda d: d.pop("grant_date"), "grant_date"),
    (lambda d: d.update(grant_date="1 mars 2026"), "grant_date"),
    (lambda d: d.update(exchange_rate_eur_sek=0), "exchange_rate_eur_sek"),
    (lambda d: d["collaboration"].update(effective="yes"), "collaboration.effective"),
    (lambda d: d["partners"][0]["de_minimis_received"][0].update(amount_eur=-5),
     "partners[0].de_minimis_received[0].amount_eur"),
    (lambda d: d.update(partners=[]), "partners"),
])
def test_invalid_documents_name_the_field(example, mutate, field):
    mutate(example)
    with pytest.raises(DocumentError) as err:
        document_from_mapping(example)
    assert err.value.field == field
    assert err.value.message_sv and err.value.message_en


def test_a_date_with_time_is_refused():
    text = EXAMPLE_YAML.replace("grant_date: 2026-03-01", "grant_date: 2026-03-01 10:00:00")
    with pytest.raises(DocumentError) as err:
        parse_project_document(text)
    assert err.value.field == "grant_date"


def test_unreadable_text_is_a_document_error():
    with pytest.raises(DocumentError) as err:
        parse_project_document("title: [unclosed")
    assert err.value.field == ""
    assert "YAML" in err.value.message_en
