"""Demo project: a Hållbar industri system demonstrator co-funded by Vinnova, ERUF through
Tillväxtverket, Region Norrbotten and private money (seeds/002, 3.3.1). EXAMPLE DATA: the companies
are invented, the amounts chosen so the check has something to say."""

from __future__ import annotations

from sqlalchemy import select

from ..calendar import public as calendar
from ..extensions import db
from ..stateaid import ledger_service
from ..stateaid.models_de_minimis import SingleUndertaking
from ..stateaid.project_document import document_from_mapping
from . import service
from .models import Project

DEMO_TITLE = "[Exempel] Systemdemonstrator för hållbar och resilient produktion – Hållbar industri"
DEMO_DESCRIPTION = (
    "Exempeldata för demonstration. Ett genomförandeprojekt efter genomförbarhetsstudierna om "
    "systemdemonstratorer, samfinansierat av Vinnova, ERUF genom Tillväxtverket, Region Norrbotten och "
    "privata medel, som i piloten Hållbar industri (Vinnova 2023, avsnitt 3.3.1). Företagen är påhittade.")

DEMO_DOCUMENT = {
    "title": DEMO_TITLE,
    "grant_date": "2026-03-01",
    "application_date": "2026-01-15",
    "work_start": "2026-04-01",
    "end_date": "2028-03-31",
    "exchange_rate_eur_sek": "11.2",
    "collaboration": {"effective": True, "wide_dissemination": False, "research_organisations_may_publish": True},
    "partners": [
        {"id": "norrstal", "name": "Norrstål Verkstad AB (exempel)", "kind": "undertaking", "size": "medium",
         "organisation_number": "556000-0001"},
        {"id": "varmauto", "name": "Värmlands Processautomation AB (exempel)", "kind": "undertaking",
         "size": "small", "organisation_number": "556000-0002"},
        {"id": "ltu", "name": "Luleå tekniska universitet", "kind": "research_organisation"},
        {"id": "testbadd", "name": "Arktisk testbädd ekonomisk förening (exempel)", "kind": "intermediary"},
    ],
    "costs": [
        {"partner": "norrstal", "category": "experimental_development", "amount_sek": 6000000},
        {"partner": "norrstal", "category": "industrial_research", "amount_sek": 2000000},
        {"partner": "varmauto", "category": "experimental_development", "amount_sek": 3000000},
        {"partner": "varmauto", "category": "de_minimis", "amount_sek": 600000},
        {"partner": "ltu", "category": "non_economic", "amount_sek": 2500000},
        {"partner": "testbadd", "category": "industrial_research", "amount_sek": 800000},
    ],
    "funding": [
        {"source": "vinnova", "kind": "state", "partner": "norrstal", "category": "experimental_development",
         "amount_sek": 1800000},
        {"source": "eruf-ovre-norrland", "kind": "erdf", "partner": "norrstal",
         "category": "experimental_development", "amount_sek": 1200000},
        {"source": "region-norrbotten", "kind": "regional", "partner": "norrstal",
         "category": "experimental_development", "amount_sek": 600000},
        {"source": "vinnova", "kind": "state", "partner": "norrstal", "category": "industrial_research",
         "amount_sek": 1000000},
        {"source": "norrstal", "kind": "private", "partner": "norrstal", "amount_sek": 3400000},
        {"source": "vinnova", "kind": "state", "partner": "varmauto", "category": "experimental_development",
         "amount_sek": 1200000},
        {"source": "region-varmland", "kind": "regional", "partner": "varmauto", "category": "de_minimis",
         "amount_sek": 600000},
        {"source": "varmauto", "kind": "private", "partner": "varmauto", "amount_sek": 1500000},
        {"source": "vinnova", "kind": "state", "partner": "ltu", "category": "non_economic", "amount_sek": 2500000},
        {"source": "region-norrbotten", "kind": "regional", "partner": "testbadd", "category": "industrial_research",
         "amount_sek": 500000},
        {"source": "testbadd", "kind": "private", "partner": "testbadd", "amount_sek": 300000},
    ],
}

DEMO_LEDGER = (
    {"beneficiary_org_number": "556000-0002", "beneficiary_name": "Värmlands Processautomation AB (exempel)",
     "grantor": "Region Värmland", "grant_date": "2024-06-10", "amount_eur": "180000", "regulation": "2023/2831",
     "purpose": "Exempel: affärsutvecklingscheck"},
    {"beneficiary_org_number": "556000-0002", "beneficiary_name": "Värmlands Processautomation AB (exempel)",
     "grantor": "Tillväxtverket", "grant_date": "2025-05-20", "amount_eur": "90000", "regulation": "2023/2831",
     "purpose": "Exempel: internationaliseringsstöd"},
)


# The two demo calls of the calendar (Vinnova and ERUF through Tillväxtverket, Hållbar industri) the demo
# project plans to use; their dates do not line up, so the project page shows alignment flags and shifts.
DEMO_CALL_IDENTITIES = ("ref:vinnova:EXEMPEL-HI-GENOMFORANDE", "ref:tillvaxtverket:EXEMPEL-ERUF-HI")


def _link_demo_calls(project: Project) -> int:
    """Link the calendar's demo calls when the calendar has them; returns how many links were added."""
    choices = [cid for cid, _label in calendar.calls_for_choice(limit=5000)]
    by_identity = {c.identity: int(c.extra["id"]) for c in calendar.call_data_for_ids(choices)}
    added = 0
    for identity in DEMO_CALL_IDENTITIES:
        call_id = by_identity.get(identity)
        if call_id is not None and all(link.call_id != call_id for link in project.calls):
            service.link_call(project, call_id, "seed")
            added += 1
    return added


def seed_demo() -> str:
    project_id = db.session.scalar(select(Project.id).where(Project.title == DEMO_TITLE))
    if project_id is not None:
        linked = _link_demo_calls(db.session.get(Project, project_id))
        return f"Demo project already present ({linked} calls linked now)."
    if not db.session.scalar(select(SingleUndertaking.id).where(SingleUndertaking.org_number == "556000-0002")):
        for entry in DEMO_LEDGER:
            ledger_service.add_grant(entry, "seed")
    project = service.import_document(document_from_mapping(DEMO_DOCUMENT), "seed", ["norrbotten", "varmland"],
                                      is_demo=True, description=DEMO_DESCRIPTION, audit_action="project.demo")
    linked = _link_demo_calls(project)
    return f"Demo project: {project.title} (id {project.id}, {linked} calls linked)"
