"""What other capabilities may use from joint projects: plain dicts for the call calendar and the dossiers.

The calendar lists the projects that plan to apply to a call, and shows the projects' milestones
(application, grant, work start, project start and end) on its timeline and month view. A region's or
an agency's dossier lists the projects it takes part in or funds, each with its check in brief.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select

from ..directory.models import organisation_regions
from ..extensions import db
from ..stateaid.project_document import DocumentError
from . import check_cache
from .models import CostLine, FundingLine, Project, ProjectCall, ProjectPartner, ProjectRulingLink, project_regions

# The dated fields of a project shown as milestones, in the order a project goes through them.
MILESTONE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("application_date", "Ansökan", "Application"),
    ("grant_date", "Beviljande", "Grant"),
    ("work_start", "Arbetet startar", "Work starts"),
    ("start_date", "Projektstart", "Project start"),
    ("end_date", "Projektslut", "Project end"),
)
MAX_MILESTONES = 500


def _url(project_id: int) -> str | None:
    return url_for("projects.show", id=project_id) if has_request_context() else None


def projects_for_call(call_id: int) -> list[dict]:
    """The projects that plan to apply to a call: [{id, title, url}], by title."""
    rows = db.session.execute(
        select(Project.id, Project.title).join(ProjectCall, ProjectCall.project_id == Project.id)
        .where(ProjectCall.call_id == call_id).order_by(Project.title, Project.id).limit(200)
    ).all()
    return [{"id": pid, "title": title, "url": _url(pid)} for pid, title in rows]


def milestones_between(start: date, end: date) -> list[dict]:
    """Project milestones on days in [start, end] (both inclusive), sorted by date and title.

    Each is {uid, summary, date, url, project_id, project_title, kind, label_sv, label_en}; the
    summary is "<label>: <project title>" in Swedish. At most MAX_MILESTONES are returned.
    """
    columns = [getattr(Project, name) for name, _, _ in MILESTONE_FIELDS]
    rows = db.session.execute(
        select(Project.id, Project.title, *columns)
        .where(or_(*(col.between(start, end) for col in columns)))
        .order_by(Project.id).limit(MAX_MILESTONES)
    ).all()
    domain = current_app.config.get("ICS_UID_DOMAIN") or "synergy.local"
    result = []
    for pid, title, *days in rows:
        url = _url(pid)
        for (name, label_sv, label_en), day in zip(MILESTONE_FIELDS, days, strict=True):
            if day is None or not start <= day <= end:
                continue
            result.append({
                "uid": f"project-{pid}-{name}@{domain}", "summary": f"{label_sv}: {title}", "date": day,
                "url": url, "project_id": pid, "project_title": title, "kind": name,
                "label_sv": label_sv, "label_en": label_en,
            })
    result.sort(key=lambda m: (m["date"], m["project_title"], m["kind"]))
    return result[:MAX_MILESTONES]


# Flags whose fix is an assessment by the State-aid taskforce (see fixes.py); a linked ruling answers one.
ASSESSMENT_FLAGS = ("INDIRECT_AID_VIA_INTERMEDIARY", "NON_ECONOMIC_CLAIM_REVIEW")


def awaiting_assessment(flags, linked_codes) -> list:
    """The flags that ask the taskforce for an assessment and have no ruling linked to their code yet."""
    return [f for f in flags if f.code in ASSESSMENT_FLAGS and f.code not in linked_codes]


def _asking(project_ids: list[int]) -> list[tuple[int, str, list]]:
    """(id, title, flags that ask for an assessment and have no ruling linked yet) of each project, in the
    order given; a project that cannot be checked yet shows what it lacks on its own page, not here."""
    if not project_ids:
        return []
    briefs = check_cache.briefs_of(project_ids)
    linked: dict[int, set[str]] = defaultdict(set)
    for pid, code in db.session.execute(select(ProjectRulingLink.project_id, ProjectRulingLink.flag_code)
                                        .where(ProjectRulingLink.project_id.in_(project_ids))):
        linked[pid].add(code)
    titles = dict(db.session.execute(select(Project.id, Project.title).where(Project.id.in_(project_ids))).all())
    out = []
    for pid in project_ids:
        brief = briefs.get(pid)
        flags = [] if brief is None or isinstance(brief, DocumentError) else awaiting_assessment(brief.flags,
                                                                                                   linked[pid])
        if pid in titles:
            out.append((pid, titles[pid], flags))
    return out


def projects_awaiting_assessment(limit: int = 20, scan: int = 100) -> list[dict]:
    """Projects with a flag that asks the taskforce for an assessment and no ruling linked to it yet,
    most recently changed first: {id, title, url, flags: [(message_sv, message_en)]}.

    Looks at the `scan` most recently changed projects; a project's check is run again only when
    something it reads changed (check_cache)."""
    ids = list(db.session.scalars(select(Project.id).order_by(Project.id.desc()).limit(scan)))
    return [{"id": pid, "title": title, "url": _url(pid), "flags": [(f.message_sv, f.message_en) for f in flags]}
            for pid, title, flags in _asking(ids) if flags][:limit]


def assessment_requests(limit: int = 500) -> list[dict]:
    """Flags of stored projects that ask for the taskforce's assessment and have no ruling linked yet:
    {project_id, title, code, message_sv, message_en}."""
    ids = list(db.session.scalars(select(Project.id).order_by(Project.id).limit(limit)))
    return [{"project_id": pid, "title": title, "code": flag.code,
             "message_sv": flag.message_sv, "message_en": flag.message_en}
            for pid, title, flags in _asking(ids) for flag in flags]


# --- for the region and agency dossiers ----------------------------------------------------------------

_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def region_project_roles(region_id: int, organisation_id: int, limit: int) -> dict[int, set[str]]:
    """Project id -> the region's roles in it: project_region (the project names the region), partner (the
    region's organisation is a partner), partner_in_region (a partner located in the region), funder."""
    roles: dict[int, set[str]] = defaultdict(set)
    located = select(organisation_regions.c.organisation_id).where(organisation_regions.c.region_id == region_id)
    queries = (
        ("project_region", select(project_regions.c.project_id)
         .where(project_regions.c.region_id == region_id).limit(limit)),
        ("partner", select(ProjectPartner.project_id).where(ProjectPartner.organisation_id == organisation_id)),
        ("partner_in_region", select(ProjectPartner.project_id).where(ProjectPartner.organisation_id.in_(located))),
        ("funder", select(FundingLine.project_id).where(FundingLine.funder_id == organisation_id)),
    )
    for role, query in queries:
        for (pid,) in db.session.execute(query):
            roles[pid].add(role)
    return roles


def funded_project_ids(organisation_id: int) -> list[int]:
    """Ids of the projects the organisation funds (has a funding line in)."""
    return list(db.session.scalars(select(FundingLine.project_id).where(FundingLine.funder_id == organisation_id)
                                   .distinct()))


def project_overview(project_id: int, funder_id: int) -> dict | None:
    """A project with its check in brief, or None when there is no such project: id, title, status,
    start_date, end_date, total_costs_ore, funding_ore (the funder's own funding lines), errors,
    warnings, flags [(severity, code, message_sv, message_en)] worst first, and not_checked_sv/_en
    saying why the check could not run (no partner, no cost line), else None."""
    found = project_overviews([project_id], funder_id)
    return found[0] if found else None


def project_overviews(project_ids: list[int], funder_id: int) -> list[dict]:
    """``project_overview`` of each of the projects that exist, in the order given, in a fixed number
    of queries however many there are."""
    if not project_ids:
        return []
    briefs = check_cache.briefs_of(project_ids)
    costs = dict(db.session.execute(select(CostLine.project_id, func.sum(CostLine.amount_ore))
                                    .where(CostLine.project_id.in_(project_ids)).group_by(CostLine.project_id)).all())
    funding = dict(db.session.execute(
        select(FundingLine.project_id, func.sum(FundingLine.amount_ore))
        .where(FundingLine.project_id.in_(project_ids), FundingLine.funder_id == funder_id)
        .group_by(FundingLine.project_id)).all())
    rows = {row.id: row for row in db.session.execute(
        select(Project.id, Project.title, Project.status, Project.start_date, Project.work_start, Project.end_date)
        .where(Project.id.in_(project_ids)))}
    return [_overview(rows[pid], briefs.get(pid), int(costs.get(pid) or 0), int(funding.get(pid) or 0))
            for pid in project_ids if pid in rows]


def _overview(row, found, total_costs: int, funding: int) -> dict:
    brief, reason = (None, found) if isinstance(found, DocumentError) else (found, None)
    flags = sorted(brief.flags, key=lambda f: (_SEVERITY.get(f.severity, 9), f.code)) if brief else []
    return {
        "id": row.id, "title": row.title, "status": row.status,
        "start_date": row.start_date or row.work_start, "end_date": row.end_date,
        "total_costs_ore": total_costs, "funding_ore": funding,
        "errors": brief.count("error") if brief else 0, "warnings": brief.count("warning") if brief else 0,
        "flags": [(f.severity, f.code, f.message_sv, f.message_en) for f in flags],
        "not_checked_sv": _message(reason, "sv"), "not_checked_en": _message(reason, "en"),
    }


def _message(exc: DocumentError | None, lang: str) -> str | None:
    if exc is None:
        return None
    for name in (f"message_{lang}", "message"):
        value = getattr(exc, name, None)
        if isinstance(value, str) and value:
            return value
    return str(exc)
