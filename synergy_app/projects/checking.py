"""Check a stored project: build the core's project document from the database and run the check.

The document built here is the same document the project file export writes, so the page, the
API, the PDF and ``flask check-project`` on the exported file give the same result. Earlier de
minimis grants from the ledger are written into the document (``de_minimis_received``) rather
than passed beside it, for the same reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..directory.models import Programme
from ..extensions import db
from ..money import kronor_text
from ..stateaid import precedents
from ..stateaid.check import check_project
from ..stateaid.check_result import CheckResult
from ..stateaid.project_document import ProjectDocument, document_from_mapping
from ..stateaid.rulesets import default_rulesets
from .models import DeMinimisGrant, Project, ProjectPartner, UndertakingMember
from .sizing import derive_size

LEVELS = ("state", "regional", "municipal", "eu", "private")
_LEVEL_OF_KIND = {"state": "state", "regional": "regional", "municipal": "municipal", "erdf": "eu",
                  "eu_direct": "eu", "private": "private"}


def load_project(project_id: int) -> Project | None:
    return db.session.scalar(
        select(Project).where(Project.id == project_id).options(
            selectinload(Project.regions),
            selectinload(Project.partners).selectinload(ProjectPartner.organisation),
            selectinload(Project.cost_lines),
            selectinload(Project.funding_lines),
            selectinload(Project.calls),
            selectinload(Project.ruling_links),
        )
    )


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


def ledger_grants(org_numbers: list[str]) -> dict[str, list[DeMinimisGrant]]:
    """Every ledger grant of the single undertaking each organisation number belongs to."""
    numbers = [n for n in org_numbers if n]
    if not numbers:
        return {}
    members = db.session.execute(
        select(UndertakingMember.org_number, UndertakingMember.undertaking_id)
        .where(UndertakingMember.org_number.in_(numbers))).all()
    by_undertaking = {m.org_number: m.undertaking_id for m in members}
    if not by_undertaking:
        return {}
    grants = db.session.scalars(
        select(DeMinimisGrant).where(DeMinimisGrant.undertaking_id.in_(set(by_undertaking.values())),
                                     DeMinimisGrant.superseded.is_(False))
        .order_by(DeMinimisGrant.grant_date, DeMinimisGrant.id)).all()
    grouped: dict[int, list[DeMinimisGrant]] = defaultdict(list)
    for grant in grants:
        grouped[grant.undertaking_id].append(grant)
    return {number: grouped.get(uid, []) for number, uid in by_undertaking.items()}


def _declared(items: list[dict]) -> list[dict]:
    out = []
    for g in items:
        item = {"date": str(g["date"]), "amount_eur": f"{Decimal(str(g['amount_eur'])):.2f}"}
        for key in ("grantor", "regulation"):
            if g.get(key):
                item[key] = g[key]
        out.append(item)
    return out


def project_mapping(project: Project, *, include_ledger: bool = True) -> dict[str, Any]:
    """The project as a project-file mapping (the format of stateaid/PROJECT_FILE_FORMAT.md)."""
    ledger = ledger_grants([p.org_number for p in project.partners]) if include_ledger else {}
    keys = {p.id: p.key for p in project.partners}
    partners = []
    for partner in project.partners:
        item: dict[str, Any] = {"id": partner.key, "name": partner.name, "kind": partner.kind}
        size, _ = partner_size(project, partner)
        if size:
            item["size"] = size
        if partner.org_number:
            item["organisation_number"] = partner.org_number
        grants = _declared(partner.de_minimis_declared or [])
        seen = {(g["date"], g["amount_eur"], g.get("grantor", "")) for g in grants}
        for g in ledger.get(partner.org_number or "", []):
            entry = {"date": g.grant_date.isoformat(), "amount_eur": f"{Decimal(g.amount_eur):.2f}",
                     "grantor": g.grantor, "regulation": g.regulation}
            if (entry["date"], entry["amount_eur"], entry["grantor"]) not in seen:
                grants.append(entry)
        if grants:
            item["de_minimis_received"] = grants
        partners.append(item)
    data: dict[str, Any] = {
        "title": project.title,
        "grant_date": project.grant_date.isoformat(),
    }
    for name in ("application_date", "work_start", "end_date"):
        value = getattr(project, name)
        if value is not None:
            data[name] = value.isoformat()
    if project.exchange_rate_eur_sek is not None:
        data["exchange_rate_eur_sek"] = str(Decimal(project.exchange_rate_eur_sek).normalize())
    if project.assisted_area:
        data["assisted_area"] = project.assisted_area
    if project.municipalities:
        data["municipalities"] = list(project.municipalities)
    data["collaboration"] = {"effective": project.collab_effective,
                             "wide_dissemination": project.collab_wide_dissemination,
                             "research_organisations_may_publish": project.collab_ro_may_publish,
                             "cross_border": project.collab_cross_border,
                             "licensing": bool(project.collab_licensing)}
    if project.collab_multi_country:
        data["collaboration"]["multi_country"] = dict(project.collab_multi_country)
    data["partners"] = partners
    data["costs"] = [
        {"partner": keys[c.partner_id], "category": c.category, "amount_sek": kronor_text(c.amount_ore)}
        | ({"in_kind": True} if c.in_kind else {})
        for c in project.cost_lines]
    funding = []
    for line in project.funding_lines:
        item = {"source": line.source, "kind": line.source_kind, "partner": keys[line.partner_id],
                "amount_sek": kronor_text(line.amount_ore)}
        if line.category:
            item["category"] = line.category
        if line.union_max_rate is not None:
            item["union_max_rate"] = str(Decimal(line.union_max_rate).normalize())
        funding.append(item)
    data["funding"] = funding
    return data


def project_document(project: Project) -> ProjectDocument:
    return document_from_mapping(project_mapping(project))


def programme_rates() -> dict[str, Decimal]:
    """ERDF co-financing rate per programme slug, from the directory's Programme table."""
    rows = db.session.execute(select(Programme.slug, Programme.cofinancing_rate)
                              .where(Programme.cofinancing_rate.is_not(None))).all()
    return {slug: Decimal(rate) for slug, rate in rows}


def rulings_for_flags(codes: list[str]) -> dict[str, list[dict]]:
    """Taskforce rulings on the same questions, per flag code."""
    if not codes:
        return {}
    try:
        found = precedents.rulings_by_flag_code(codes)
    except Exception:  # noqa: BLE001 - precedents are a help beside the check, never a reason for it to fail
        return {}
    return {code: list(items) for code, items in found.items() if items}


def ruling_status(ruling_id: int) -> str | None:
    """The status of a ruling in the log (None when there is no such ruling)."""
    return precedents.ruling_status(ruling_id)


@dataclass
class Totals:
    """Whole public cost per partner and for the project, cash and in kind, each funding line once."""

    costs: dict[str, int] = field(default_factory=lambda: {"cash": 0, "in_kind": 0})
    funding: dict[str, dict[str, int]] = field(
        default_factory=lambda: {level: {"cash": 0, "in_kind": 0} for level in LEVELS})

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
        level = _LEVEL_OF_KIND[line.source_kind]
        per[line.partner_id].funding[level][key] += line.amount_ore
        whole.funding[level][key] += line.amount_ore
    return dict(per), whole


@dataclass
class ProjectCheck:
    project: Project
    document: ProjectDocument
    result: CheckResult
    checked_on: date


def run_check(project: Project) -> ProjectCheck:
    doc = project_document(project)
    result = check_project(doc, default_rulesets(), programme_rates=programme_rates())
    return ProjectCheck(project, doc, result, date.today())


def check_document(doc: ProjectDocument) -> CheckResult:
    """A posted or uploaded document, with the same programme rates as a stored project."""
    return check_project(doc, default_rulesets(), programme_rates=programme_rates())
