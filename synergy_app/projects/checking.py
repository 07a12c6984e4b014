"""Check a stored project: read it from the database straight into the check's project document.

The document built here is the one the project file export writes (``document_mapping``), so the page,
the API, the PDF and ``flask check-project`` on the exported file give the same result; all of them check
with the shipped rulesets and programme rates (``check_with_shipped_data``). Earlier de minimis grants
from the register are written into the document (``de_minimis_received``) rather than passed beside it,
for the same reason.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..stateaid import precedents
from ..stateaid.check import check_with_shipped_data
from ..stateaid.check_result import CheckResult
from ..stateaid.ledger import grants_by_org_number
from ..stateaid.models_de_minimis import DeMinimisGrant as LedgerGrant
from ..stateaid.project_document import (
    Collaboration,
    CostLine,
    DeMinimisGrant,
    FundingLine,
    MultiCountry,
    Partner,
    ProjectDocument,
    document_mapping,
    plain_decimal,
    sek_text,  # noqa: F401 - the project file's money text, also used by the budget tests
    validate_document,
)
from ..stateaid.sme_size import derive_size
from ..stateaid.vocabulary import FUNDING_LEVELS, LEVEL_OF_KIND
from .models import Project, ProjectPartner

_CENT = Decimal("0.01")


@functools.cache
def _project_statement():
    # Built once: building the statement and its loader options took about a fifth of a load. A
    # partner's organisation comes in the partners' own query (one query fewer). What the check reads is
    # loaded with the project; its regions, calls and ruling links (one project's few rows, one query each
    # either way) only where a page shows them, so a check, the API and the PDF do not read them.
    return select(Project).where(Project.id == bindparam("project_id")).options(
        selectinload(Project.partners).joinedload(ProjectPartner.organisation),
        selectinload(Project.cost_lines),
        selectinload(Project.funding_lines),
    )


def load_project(project_id: int) -> Project | None:
    return db.session.scalar(_project_statement(), {"project_id": project_id})


def partner_size(project: Project, partner: ProjectPartner) -> tuple[str | None, str]:
    """(size class, 'stated' | 'derived' | 'none')."""
    if partner.size_stated:
        return partner.size_stated, "stated"
    if partner.staff_headcount is not None and partner.turnover_eur is not None \
            and partner.balance_sheet_eur is not None:
        assessment = derive_size(project.grant_date, partner.staff_headcount, Decimal(partner.turnover_eur),
                                 Decimal(partner.balance_sheet_eur), partner.related_enterprises or ())
        return assessment.size, "derived"
    return None, "none"


def _declared_grant(item: dict) -> DeMinimisGrant:
    return DeMinimisGrant(date.fromisoformat(str(item["date"])), Decimal(str(item["amount_eur"])).quantize(_CENT),
                          item.get("grantor") or "", item.get("regulation") or "")


def _received(partner: ProjectPartner, ledger: list[LedgerGrant]) -> tuple[DeMinimisGrant, ...]:
    """What the partner declared, then the register's grants of its single undertaking not declared."""
    grants = [_declared_grant(g) for g in partner.de_minimis_declared or []]
    seen = {(g.date, g.amount_eur, g.grantor) for g in grants}
    for entry in ledger:
        grant = DeMinimisGrant(entry.grant_date, Decimal(entry.amount_eur).quantize(_CENT), entry.grantor,
                               entry.regulation)
        if (grant.date, grant.amount_eur, grant.grantor) not in seen:
            grants.append(grant)
    return tuple(grants)


def _partner(project: Project, partner: ProjectPartner, ledger: dict[str, list[LedgerGrant]]) -> Partner:
    size, _ = partner_size(project, partner)
    return Partner(id=partner.key, name=partner.name, kind=partner.kind, size=size,
                   organisation_number=partner.org_number or None,
                   de_minimis_received=_received(partner, ledger.get(partner.org_number or "", [])))


def _collaboration(project: Project) -> Collaboration:
    multi = project.collab_multi_country
    return Collaboration(
        effective=project.collab_effective, wide_dissemination=project.collab_wide_dissemination,
        research_organisations_may_publish=project.collab_ro_may_publish,
        cross_border=project.collab_cross_border, licensing=bool(project.collab_licensing),
        multi_country=MultiCountry(
            selected_after_open_call=bool(multi.get("selected_after_open_call")),
            **{k: tuple(multi.get(k) or ()) for k in ("jointly_designed_by", "undertaking_countries",
                                                       "dissemination_countries")}) if multi else None)


def stored_document(project: Project, ledger: dict[str, list[LedgerGrant]] | None = None) -> ProjectDocument:
    """The stored project as the check's document, as it stands (it may not be checkable yet).

    ``ledger``: the register's grants by organisation number, when already read for many projects at once."""
    if ledger is None:
        ledger = grants_by_org_number([p.org_number for p in project.partners])
    keys = {p.id: p.key for p in project.partners}
    rate = project.exchange_rate_eur_sek
    return ProjectDocument(
        title=project.title, grant_date=project.grant_date, application_date=project.application_date,
        work_start=project.work_start, end_date=project.end_date,
        exchange_rate_eur_sek=None if rate is None else plain_decimal(rate),
        collaboration=_collaboration(project), assisted_area=project.assisted_area or None,
        municipalities=tuple(project.municipalities or ()),
        partners=tuple(_partner(project, p, ledger) for p in project.partners),
        costs=tuple(CostLine(keys[c.partner_id], c.category, c.amount_ore, c.in_kind) for c in project.cost_lines),
        funding=tuple(FundingLine(f.source, f.source_kind, keys[f.partner_id], f.amount_ore, f.category or None,
                                  None if f.union_max_rate is None else plain_decimal(f.union_max_rate))
                      for f in project.funding_lines))


def project_document(project: Project) -> ProjectDocument:
    """The document the check reads; ``DocumentError`` when the project cannot be checked yet."""
    return validate_document(stored_document(project))


def project_mapping(project: Project) -> dict[str, Any]:
    """The project as a project-file mapping (the format of stateaid/PROJECT_FILE_FORMAT.md)."""
    return document_mapping(stored_document(project))


def rulings_for_flags(codes: list[str]) -> dict[str, list[dict]]:
    """Taskforce rulings on the same questions, per flag code."""
    if not codes:
        return {}
    found = precedents.rulings_by_flag_code(codes)
    return {code: list(items) for code, items in found.items() if items}


def ruling_status(ruling_id: int) -> str | None:
    """The status of a ruling in the log (None when there is no such ruling)."""
    return precedents.ruling_status(ruling_id)


@dataclass
class Totals:
    """Whole public cost per partner and for the project, cash and in kind, each funding line once."""

    costs: dict[str, int] = field(default_factory=lambda: {"cash": 0, "in_kind": 0})
    funding: dict[str, dict[str, int]] = field(
        default_factory=lambda: {level: {"cash": 0, "in_kind": 0} for level in FUNDING_LEVELS})

    @property
    def public(self) -> int:
        return sum(sum(v.values()) for k, v in self.funding.items() if k != "private")

    @property
    def private(self) -> int:
        return sum(self.funding["private"].values())

    @property
    def total_costs(self) -> int:
        return sum(self.costs.values())

    def level(self, name: str) -> int:
        return sum(self.funding[name].values())

    def to_dict(self) -> dict[str, Any]:
        return {"costs": dict(self.costs), "funding": {k: dict(v) for k, v in self.funding.items()},
                "public": self.public, "private": self.private, "total_costs": self.total_costs}


def totals(project: Project) -> tuple[dict[int, Totals], Totals]:
    """Per partner id and for the whole project. ERDF and its national match are separate funding
    lines, so adding the lines once per level never counts the EU match funding twice."""
    per: dict[int, Totals] = defaultdict(Totals)
    whole = Totals()
    for line in project.cost_lines:
        key = "in_kind" if line.in_kind else "cash"
        per[line.partner_id].costs[key] += line.amount_ore
        whole.costs[key] += line.amount_ore
    for line in project.funding_lines:
        key = "in_kind" if line.in_kind else "cash"
        level = LEVEL_OF_KIND[line.source_kind]
        per[line.partner_id].funding[level][key] += line.amount_ore
        whole.funding[level][key] += line.amount_ore
    return dict(per), whole


@dataclass
class ProjectCheck:
    project: Project
    result: CheckResult
    checked_on: date

    @property
    def document(self) -> ProjectDocument:
        """The document the result was checked from (built again from the stored project)."""
        return project_document(self.project)


def run_check(project: Project) -> ProjectCheck:
    """Check the project afresh (the pages take ``check_cache``'s result, which is this one kept)."""
    return ProjectCheck(project, check_with_shipped_data(project_document(project)), date.today())


def check_document(doc: ProjectDocument) -> CheckResult:
    """A posted or uploaded document, checked as a stored project is."""
    return check_with_shipped_data(doc)
