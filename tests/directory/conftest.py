"""Fixtures for the dossier tests: the demo layer as `flask seed --demo` loads it, plus one joint
project in Östergötland (the demo project itself is in Norrbotten and Värmland)."""

from __future__ import annotations

import pytest

from synergy_app.core.cli import seed_demo_content

OSTERGOTLAND_PROJECT = {
    "title": "Östgöta testbädd för hälsoteknik (test)",
    "grant_date": "2026-05-04",
    "application_date": "2026-02-01",
    "work_start": "2026-06-01",
    "end_date": "2027-12-31",
    "exchange_rate_eur_sek": "11.2",
    "partners": [
        # Linked by slug to the cluster initiative Hälsans nya verktyg, located in Östergötland.
        {"id": "halsans-nya-verktyg", "name": "Hälsans nya verktyg", "kind": "intermediary"},
        {"id": "ostmed", "name": "Östgöta Medicinteknik AB (test)", "kind": "undertaking", "size": "small",
         "organisation_number": "556000-0099"},
    ],
    "costs": [
        {"partner": "halsans-nya-verktyg", "category": "industrial_research", "amount_sek": "400000"},
        {"partner": "ostmed", "category": "experimental_development", "amount_sek": "1000000"},
    ],
    "funding": [
        {"source": "region-ostergotland", "kind": "regional", "partner": "halsans-nya-verktyg",
         "category": "industrial_research", "amount_sek": "123456.78"},
        {"source": "vinnova", "kind": "state", "partner": "ostmed", "category": "experimental_development",
         "amount_sek": "900000"},
        {"source": "ostmed", "kind": "private", "partner": "ostmed", "amount_sek": "100000"},
    ],
}


@pytest.fixture
def demo(db_session):
    """Every capability's demo content, in the order `flask seed --demo` loads it."""
    seed_demo_content()
    return db_session


@pytest.fixture
def ostergotland_project(demo):
    from synergy_app.projects import service
    from synergy_app.stateaid.project_document import document_from_mapping

    return service.import_document(document_from_mapping(OSTERGOTLAND_PROJECT), "seed", [])
