"""Builders for project documents used by the State-aid tests (no Flask app needed)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from synergy_app.stateaid.check import check_project
from synergy_app.stateaid.check_result import CheckResult
from synergy_app.stateaid.exchange_rates import ExchangeRateTable
from synergy_app.stateaid.project_document import document_from_mapping
from synergy_app.stateaid.rulesets import RulesetLibrary, load_rulesets

# The example project, with an easy exchange rate of 10 SEK per EUR for hand calculations.
EXAMPLE: dict[str, Any] = {
    "title": "Systemdemonstrator för resilient produktion",
    "grant_date": "2026-03-01",
    "application_date": "2026-01-15",
    "work_start": "2026-04-01",
    "exchange_rate_eur_sek": "10",
    "collaboration": {"effective": True, "wide_dissemination": False, "research_organisations_may_publish": True},
    "partners": [
        {"id": "acme", "name": "Acme AB", "kind": "undertaking", "size": "small",
         "de_minimis_received": [{"date": "2025-02-01", "amount_eur": 120000}]},
        {"id": "ltu", "name": "Luleå tekniska universitet", "kind": "research_organisation"},
    ],
    "costs": [
        {"partner": "acme", "category": "experimental_development", "amount_sek": 4000000},
        {"partner": "ltu", "category": "non_economic", "amount_sek": 1000000},
    ],
    "funding": [
        {"source": "vinnova", "kind": "state", "partner": "acme", "category": "experimental_development",
         "amount_sek": 1200000},
        {"source": "eruf-ovre-norrland", "kind": "erdf", "partner": "acme", "category": "experimental_development",
         "amount_sek": 800000},
        {"source": "acme", "kind": "private", "partner": "acme", "amount_sek": 2000000},
        {"source": "vinnova", "kind": "state", "partner": "ltu", "category": "non_economic", "amount_sek": 1000000},
    ],
}


@pytest.fixture(scope="session")
def rulesets() -> RulesetLibrary:
    return load_rulesets()


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


@pytest.fixture
def run(rulesets: RulesetLibrary) -> Callable[..., CheckResult]:
    """Check a document given as a mapping; no reference exchange rates unless passed."""

    def _run(data: dict[str, Any], **kwargs: Any) -> CheckResult:
        kwargs.setdefault("exchange_rates", ExchangeRateTable())
        return check_project(document_from_mapping(data), rulesets, **kwargs)

    return _run


def codes(result: CheckResult, severity: str | None = None) -> list[str]:
    return [f.code for f in result.flags if severity is None or f.severity == severity]


@pytest.fixture
def flag_codes() -> Callable[..., list[str]]:
    return codes


def project(partners: list[dict], costs: list[dict], funding: list[dict], **top: Any) -> dict[str, Any]:
    """A minimal valid project around the given lines (grant 2026-03-01, rate 10 SEK/EUR)."""
    data: dict[str, Any] = {
        "title": "Testprojekt", "grant_date": "2026-03-01", "application_date": "2026-01-15",
        "work_start": "2026-04-01", "exchange_rate_eur_sek": "10",
        "partners": partners, "costs": costs, "funding": funding,
    }
    data.update(top)
    return data


@pytest.fixture
def make_project() -> Callable[..., dict[str, Any]]:
    return project
