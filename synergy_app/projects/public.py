"""What other capabilities may use from joint projects: plain dicts for the call calendar.

The calendar lists the projects that plan to apply to a call, and shows the projects' milestones
(application, grant, work start, project start and end) on its timeline and month view.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, has_request_context, url_for
from sqlalchemy import or_, select

from ..extensions import db
from .checking import run_check
from .models import Project, ProjectCall, ProjectRulingLink

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


# The flags whose fix is the taskforce's assessment (see fixes.py).
ASSESSMENT_FLAGS = ("INDIRECT_AID_VIA_INTERMEDIARY", "NON_ECONOMIC_CLAIM_REVIEW")


def assessment_requests(limit: int = 500) -> list[dict]:
    """Flags of stored projects that ask for the taskforce's assessment and have no ruling linked yet:
    {project_id, title, code, message_sv, message_en}."""
    linked = set(db.session.execute(select(ProjectRulingLink.project_id, ProjectRulingLink.flag_code)).all())
    found = []
    for project in db.session.scalars(select(Project).order_by(Project.id).limit(limit)):
        for flag in run_check(project).result.flags:
            if flag.code in ASSESSMENT_FLAGS and (project.id, flag.code) not in linked:
                found.append({"project_id": project.id, "title": project.title, "code": flag.code,
                              "message_sv": flag.message_sv, "message_en": flag.message_en})
    return found
