"""Writes of the canonical description and of the budget lines' cost types.

Each function validates, changes, records an audit entry and commits in one transaction; bad input
raises ``InputError`` naming the field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..audit.service import record, transaction
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..projects.access import can_edit_project
from ..projects.models import Project
from . import canonical
from .models import LANGUAGES, CostLineType, DescriptionSection
from .profiles import CANONICAL_SECTIONS, COST_TYPES

MAX_SECTION_CHARS = 30000


def _require(allowed: bool) -> None:
    if not allowed:
        raise Conflict("project", "Du får inte ändra det här projektet.", "You may not change this project.",
                       code="forbidden")


def save_description(project: Project, data: Mapping[str, Any], language: str, actor) -> int:
    """Save the sections given as ``section-<key>`` in ``language``; returns how many changed."""
    _require(actor == "seed" or can_edit_project(actor, project))
    if language not in LANGUAGES:
        raise InputError(FieldError("language", "Välj svenska eller engelska.", "Choose Swedish or English."))
    status = data.get("status") or "draft"
    if status not in ("draft", "final"):
        raise InputError(FieldError("status", "Välj utkast eller klar.", "Choose draft or final."))
    errors = []
    given: dict[str, str] = {}
    for key in CANONICAL_SECTIONS:
        value = data.get(f"section-{key}")
        if value is None:
            continue
        text = str(value).replace("\r\n", "\n").strip()
        if len(text) > MAX_SECTION_CHARS:
            errors.append(FieldError(f"section-{key}", f"Högst {MAX_SECTION_CHARS} tecken per avsnitt.",
                                     f"At most {MAX_SECTION_CHARS} characters per section."))
        given[key] = text
    if errors:
        raise InputError(errors)
    stored = canonical.sections(project)
    changes: dict[str, Any] = {}
    with transaction():
        for key, text in given.items():
            row = stored.get((key, language))
            if row is None:
                if not text:
                    continue
                row = DescriptionSection(project_id=project.id, section=key, language=language, body="")
                db.session.add(row)
            if row.body != text or row.status != status:
                changes[key] = {"from": len(row.body or ""), "to": len(text)}
                row.body, row.status = text, status
        if changes:
            record("project.description.save", project, summary=f"{project.title} ({language}, {status})",
                   changes={"sections_chars": changes, "language": language, "status": status}, actor=actor)
    return len(changes)


def _decimal(value: Any, field: str, errors: list) -> Decimal | None:
    text = str(value or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > Decimal("1e12"):
        errors.append(FieldError(field, "Ange ett tal som inte är negativt.", "Give a number that is not negative."))
        return None
    return number


def save_cost_types(project: Project, data: Mapping[str, Any], actor) -> int:
    """Set each cost line's type from ``line-<id>-type`` (with hours, rate in kronor, annual costs in kronor)."""
    _require(actor == "seed" or can_edit_project(actor, project))
    errors: list[FieldError] = []
    wanted: dict[int, dict[str, Any]] = {}
    for line in project.cost_lines:
        prefix = f"line-{line.id}-"
        cost_type = (data.get(prefix + "type") or "").strip()
        if not cost_type:
            wanted[line.id] = {}
            continue
        if cost_type not in COST_TYPES:
            errors.append(FieldError(prefix + "type", "Välj en kostnadstyp ur listan.",
                                     "Choose a cost type from the list."))
            continue
        hours = _decimal(data.get(prefix + "hours"), prefix + "hours", errors)
        rate = _decimal(data.get(prefix + "rate"), prefix + "rate", errors)
        annual = _decimal(data.get(prefix + "annual"), prefix + "annual", errors)
        if cost_type == "personnel" and hours is not None and rate is not None:
            # The line's amount is what the budget says; hours × rate must agree with it to the krona.
            if abs(hours * rate * 100 - line.amount_ore) >= 100:
                errors.append(FieldError(prefix + "rate", "Timmar × timpris stämmer inte med radens belopp.",
                                         "Hours × rate does not agree with the line's amount."))
        wanted[line.id] = {"cost_type": cost_type, "hours": hours,
                           "hourly_rate_ore": rate * 100 if rate is not None else None,
                           "annual_cost_ore": int((annual * 100).to_integral_value()) if annual is not None else None,
                           "subcontracting": bool(data.get(prefix + "subcontracting"))}
    if errors:
        raise InputError(errors)
    stored = canonical.cost_types(project)
    changes: dict[str, Any] = {}
    with transaction():
        for line_id, values in wanted.items():
            row = stored.get(line_id)
            if not values:
                if row is not None:
                    changes[str(line_id)] = {"from": row.cost_type, "to": None}
                    db.session.delete(row)
                continue
            if row is None:
                row = CostLineType(cost_line_id=line_id, **values)
                db.session.add(row)
                changes[str(line_id)] = {"from": None, "to": values["cost_type"]}
                continue
            before = (row.cost_type, row.hours, row.hourly_rate_ore, row.annual_cost_ore, row.subcontracting)
            for key, value in values.items():
                setattr(row, key, value)
            if before != tuple(values.values()):
                row.version = (row.version or 1) + 1
                changes[str(line_id)] = {"from": before[0], "to": values["cost_type"]}
        if changes:
            record("project.cost_types.save", project, summary=project.title, changes=changes, actor=actor)
    return len(changes)
