"""Reading a project's canonical description and budget, and the funders it is written for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..projects.models import Project
from .conversion import BudgetLine
from .models import ActualCost, CostLineType, DescriptionSection
from .profiles import Profile, ProfileLibrary, default_profiles


def texts(project: Project, language: str) -> dict[str, str]:
    rows = db.session.scalars(select(DescriptionSection).where(DescriptionSection.project_id == project.id,
                                                               DescriptionSection.language == language))
    return {row.section: row.body for row in rows}


def sections(project: Project) -> dict[tuple[str, str], DescriptionSection]:
    rows = db.session.scalars(select(DescriptionSection).where(DescriptionSection.project_id == project.id))
    return {(row.section, row.language): row for row in rows}


def cost_types(project: Project) -> dict[int, CostLineType]:
    ids = [line.id for line in project.cost_lines]
    if not ids:
        return {}
    rows = db.session.scalars(select(CostLineType).where(CostLineType.cost_line_id.in_(ids)))
    return {t.cost_line_id: t for t in rows}


def budget_lines(project: Project) -> list[BudgetLine]:
    types = cost_types(project)
    out = []
    for line in project.cost_lines:
        typed = types.get(line.id)
        out.append(BudgetLine(
            partner=line.partner.name, category=line.category, cost_type=typed.cost_type if typed else None,
            amount_ore=line.amount_ore,
            hours=Decimal(typed.hours) if typed and typed.hours is not None else None,
            hourly_rate_ore=Decimal(typed.hourly_rate_ore) if typed and typed.hourly_rate_ore is not None else None,
            annual_cost_ore=typed.annual_cost_ore if typed else None,
            subcontracting=bool(typed and typed.subcontracting)))
    return out


def _call_funder_slugs(project: Project) -> list[str]:
    if not project.calls:
        return []
    from ..calendar import public  # the calendar is optional for projects; plain import where used

    return [call.funder_slug for call in public.call_data_for_ids([link.call_id for link in project.calls])]


def project_funders(project: Project, library: ProfileLibrary | None = None) -> list[Profile]:
    """The profiles of the project's linked calls' funders and of its public funding lines, in that order."""
    library = library or default_profiles()
    found: list[Profile] = []
    candidates = [library.for_source(slug) for slug in _call_funder_slugs(project)]
    candidates += [library.for_source(line.source, line.source_kind) for line in project.funding_lines
                   if line.source_kind != "private"]
    for profile in candidates:
        if profile is not None and profile not in found:
            found.append(profile)
    return found


def chosen_funders(slugs: list[str], library: ProfileLibrary | None = None) -> tuple[list[Profile], list[str]]:
    """Profiles for the given funder slugs, and the slugs no profile exists for."""
    library = library or default_profiles()
    profiles, unknown = [], []
    for slug in slugs:
        profile = library.get(slug)
        (profiles.append(profile) if profile else unknown.append(slug))
    return profiles, unknown


def actual_rows(project: Project, start: date, end: date) -> list[ActualCost]:
    """The actual costs of periods lying within ``start``..``end``."""
    return list(db.session.scalars(select(ActualCost).where(
        ActualCost.project_id == project.id, ActualCost.period_start >= start, ActualCost.period_end <= end)
        .order_by(ActualCost.id)))
