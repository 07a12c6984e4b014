"""Writes of the canonical description and of the budget lines' cost types.

Each function validates, changes, records an audit entry and commits in one transaction; bad input
raises ``InputError`` naming the field and changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..audit.service import record, transaction
from ..bounded_parsing import MAX_XLSX_UNPACKED, WorkbookTooLarge, bounded_rows, check_xlsx_archive
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..form_fields import decimal_field, kronor_field, ore_value
from ..projects.access import can_edit_project
from ..projects.models import Project, ProjectPartner
from . import canonical
from .models import LANGUAGES, ActualCost, CostLineType, DescriptionSection
from .profiles import CANONICAL_SECTIONS, COST_TYPE_NAMES, COST_TYPES
from .sie import SieActuals, SieError, parse_ranges, read_sie

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


def _wanted_type(line, data: Mapping[str, Any], errors: list[FieldError]) -> dict[str, Any] | None:
    """The type the form asks for the line ({} for none), or None when the choice itself is wrong."""
    prefix = f"line-{line.id}-"
    cost_type = (data.get(prefix + "type") or "").strip()
    if not cost_type:
        return {}
    if cost_type not in COST_TYPES:
        errors.append(FieldError(prefix + "type", "Välj en kostnadstyp ur listan.",
                                 "Choose a cost type from the list."))
        return None
    hours = decimal_field(data, prefix + "hours", errors)
    rate = decimal_field(data, prefix + "rate", errors)  # kronor an hour; may run to fractions of an öre
    annual_ore = kronor_field(data, prefix + "annual", errors)
    # The line's amount is what the budget says; hours × rate must agree with it to the krona.
    if cost_type == "personnel" and hours is not None and rate is not None \
            and abs(hours * rate * 100 - line.amount_ore) >= 100:
        errors.append(FieldError(prefix + "rate", "Timmar × timpris stämmer inte med radens belopp.",
                                 "Hours × rate does not agree with the line's amount."))
    return {"cost_type": cost_type, "hours": hours,
            "hourly_rate_ore": rate * 100 if rate is not None else None,
            "annual_cost_ore": annual_ore,
            "subcontracting": bool(data.get(prefix + "subcontracting"))}


def save_cost_types(project: Project, data: Mapping[str, Any], actor) -> int:
    """Set each cost line's type from ``line-<id>-type`` (with hours, rate in kronor, annual costs in kronor)."""
    _require(actor == "seed" or can_edit_project(actor, project))
    errors: list[FieldError] = []
    wanted = {line.id: _wanted_type(line, data, errors) for line in project.cost_lines}
    wanted = {line_id: values for line_id, values in wanted.items() if values is not None}
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


# --- actual costs ------------------------------------------------------------------------------


def _partner(project: Project, key: str, field: str) -> ProjectPartner:
    partner = next((p for p in project.partners if p.key == key), None)
    if partner is None:
        raise InputError(FieldError(field, "Välj en part i projektet.", "Choose a partner of the project."))
    return partner


def _period(start: date, end: date) -> None:
    if end < start:
        raise InputError(FieldError("period", "Perioden slutar före den börjar.", "The period ends before it starts."))


def _replace_actuals(project: Project, rows: list[ActualCost], origin: str, actor, summary: str) -> None:
    """Replace the actuals of the same partners, periods and origin with ``rows`` (one transaction); a row
    entered by hand replaces only the one of its partner, period and cost type."""
    with transaction():
        keys = {(r.partner_id, r.period_start, r.period_end, r.cost_type if origin == "entry" else None)
                for r in rows}
        removed = 0
        for partner_id, start, end, cost_type in keys:
            same = {"cost_type": cost_type} if cost_type else {}
            removed += db.session.query(ActualCost).filter_by(
                project_id=project.id, partner_id=partner_id, period_start=start, period_end=end,
                origin=origin, **same).delete(synchronize_session=False)
        db.session.add_all(rows)
        record(f"project.actuals.{origin}", project, summary=f"{project.title}: {summary}",
               changes={"rows": {"from": removed, "to": len(rows)},
                        "total_ore": sum(r.amount_ore for r in rows)}, actor=actor)


def import_sie(project: Project, partner_key: str, content: bytes, ranges: Mapping[str, str], start: date,
               end: date, actor) -> SieActuals:
    """One partner's actual costs for one period from its SIE 4 file, all or nothing."""
    _require(actor == "seed" or can_edit_project(actor, project))
    partner = _partner(project, partner_key, "partner")
    _period(start, end)
    try:
        parsed_ranges = parse_ranges(ranges)
    except ValueError as exc:
        raise InputError(FieldError("ranges", f"Kontointervall: {exc}", f"Account ranges: {exc}")) from exc
    if not parsed_ranges:
        raise InputError(FieldError("ranges", "Ange minst ett kontointervall.", "Give at least one account range."))
    try:
        actuals = read_sie(content, parsed_ranges, start, end)
    except SieError as exc:
        raise InputError(FieldError("file", exc.message_sv, exc.message_en)) from exc
    rows = [ActualCost(project_id=project.id, partner_id=partner.id, period_start=start, period_end=end,
                       cost_type=cost_type, amount_ore=ore, origin="sie") for cost_type, ore in actuals.by_type.items()]
    _replace_actuals(project, rows, "sie", actor, f"{partner.name} {start}..{end}")
    return actuals


def _cost_type(text: str) -> str:
    """The cost type written as its key or its name in either language (as the XLSX template lists them)."""
    for key, names in COST_TYPE_NAMES.items():
        if text == key or text.casefold() in (names["sv"].casefold(), names["en"].casefold()):
            return key
    return text


def actuals_template(project: Project, language: str) -> bytes:
    """The XLSX template for actual costs: the header row, and drop-down lists of the project's partners and
    the cost types by name."""
    from ..reports import tabular  # noqa: PLC0415 - only for the template

    head = {"sv": ["Part", "Periodens första dag", "Periodens sista dag", "Kostnadstyp", "Belopp (kr)"],
            "en": ["Partner", "First day of the period", "Last day of the period", "Cost type", "Amount (SEK)"]}
    sheet = tabular.Sheet("Utfall" if language == "sv" else "Actual costs", head[language], [],
                          widths=[40, 22, 22, 30, 16],
                          choices={0: [p.name for p in project.partners],
                                   3: [COST_TYPE_NAMES[t][language] for t in COST_TYPES]},
                          notes={1: "ÅÅÅÅ-MM-DD" if language == "sv" else "YYYY-MM-DD"})
    return tabular.xlsx_bytes([sheet])


def _actual_row(project: Project, row: Mapping[str, Any], errors: list[FieldError], where: str | None) -> \
        ActualCost | None:
    """One row of partner, period, cost type and amount (kronor) as an unsaved actual cost, or None with
    the errors added, each named ``where`` (a row of an import) or by its form field when ``where`` is None."""
    def at(key: str) -> str:
        return where or key

    given = str(row.get("partner") or "").strip()
    partner = next((p for p in project.partners if given in (p.key, p.name)), None)
    try:
        start = date.fromisoformat(str(row.get("period_start")))
        end = date.fromisoformat(str(row.get("period_end")))
    except ValueError:
        start = end = None
    cost_type = _cost_type(str(row.get("cost_type") or "").strip())
    amount_ore = ore_value(row.get("amount"), at("amount"), errors, required=True)
    if partner is None:
        errors.append(FieldError(at("partner"), "Okänd part.", "Unknown partner."))
    if start is None or end is None or end < start:
        errors.append(FieldError(at("period_end"), "Perioden ska vara två datum ÅÅÅÅ-MM-DD i ordning.",
                                 "The period must be two dates YYYY-MM-DD in order."))
    if cost_type not in COST_TYPES:
        errors.append(FieldError(at("cost_type"), "Okänd kostnadstyp.", "Unknown cost type."))
    if partner and start and end and cost_type in COST_TYPES and amount_ore is not None:
        return ActualCost(project_id=project.id, partner_id=partner.id, period_start=start, period_end=end,
                          cost_type=cost_type, amount_ore=amount_ore)
    return None


def actual(project: Project, actual_id: int) -> ActualCost | None:
    return db.session.scalar(select(ActualCost).where(ActualCost.id == actual_id,
                                                      ActualCost.project_id == project.id))


def _describe(row: ActualCost) -> dict[str, Any]:
    return {"partner_id": row.partner_id, "period": f"{row.period_start}..{row.period_end}",
            "cost_type": row.cost_type, "amount_ore": row.amount_ore}


def update_actual(project: Project, actual_id: int, data: Mapping[str, Any], actor) -> ActualCost:
    """Change one actual cost line (partner, period, cost type, amount in kronor); errors name the field."""
    _require(actor == "seed" or can_edit_project(actor, project))
    row = actual(project, actual_id)
    if row is None:
        raise InputError(FieldError("actual", "Raden finns inte längre.", "The row no longer exists."))
    errors: list[FieldError] = []
    built = _actual_row(project, data, errors, None)
    if errors or built is None:
        raise InputError(errors)
    before = _describe(row)
    with transaction():
        row.partner_id, row.period_start, row.period_end = built.partner_id, built.period_start, built.period_end
        row.cost_type, row.amount_ore = built.cost_type, built.amount_ore
        after = _describe(row)
        if after != before:
            record("project.actuals.update", project, summary=f"{project.title}: {row.id}",
                   changes={k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]},
                   actor=actor)
    return row


def delete_actual(project: Project, actual_id: int, actor) -> None:
    _require(actor == "seed" or can_edit_project(actor, project))
    row = actual(project, actual_id)
    if row is None:
        raise InputError(FieldError("actual", "Raden finns inte längre.", "The row no longer exists."))
    with transaction():
        record("project.actuals.delete", project, summary=f"{project.title}: {row.id}",
               changes={k: {"from": v, "to": None} for k, v in _describe(row).items()}, actor=actor)
        db.session.delete(row)


def save_actuals(project: Project, rows: list[Mapping[str, Any]], actor, origin: str = "entry") -> int:
    """Actual costs as rows of partner, period_start, period_end, cost_type and amount (kronor); all or nothing.

    A bad row is named by its number, partner and period."""
    _require(actor == "seed" or can_edit_project(actor, project))
    errors: list[FieldError] = []
    built: list[ActualCost] = []
    for i, row in enumerate(rows, start=1):
        where = f"rows[{i}] ({str(row.get('partner') or '?')[:40]}, {row.get('period_start')}..{row.get('period_end')})"
        line = _actual_row(project, row, errors, where)
        if line is not None:
            line.origin = origin
            built.append(line)
    if errors:
        raise InputError(errors)
    _replace_actuals(project, built, origin, actor, f"{len(built)} rows")
    return len(built)


ACTUALS_COLUMNS = ("partner", "period_start", "period_end", "cost_type", "amount")
MAX_ACTUAL_ROWS = 5000


def import_actuals_xlsx(project: Project, content: bytes, actor) -> int:
    """Actual costs from the XLSX template (columns as ``ACTUALS_COLUMNS``, a header row first); all or nothing."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only for this import

    try:
        check_xlsx_archive(content)
    except WorkbookTooLarge as exc:
        mb = MAX_XLSX_UNPACKED // (1024 * 1024)
        raise InputError(FieldError("file", f"Arbetsboken packas upp till mer än {mb} MB och läses inte.",
                                    f"The workbook unpacks to more than {mb} MB and is not read.")) from exc
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same answer to the user
        raise InputError(FieldError("file", "Filen är inte en läsbar XLSX-fil.",
                                    "The file is not a readable XLSX file.")) from exc
    rows: list[dict[str, Any]] = []
    for i, values in enumerate(bounded_rows(book.worksheets[0], MAX_ACTUAL_ROWS + 1, len(ACTUALS_COLUMNS),
                                            values_only=True)):
        if i == 0:
            continue
        if i > MAX_ACTUAL_ROWS:
            raise InputError(FieldError("file", f"Högst {MAX_ACTUAL_ROWS} rader.", f"At most {MAX_ACTUAL_ROWS} rows."))
        if not any(v not in (None, "") for v in values):
            continue
        row = dict(zip(ACTUALS_COLUMNS, values, strict=False))
        for key in ("period_start", "period_end"):
            if isinstance(row.get(key), datetime):
                row[key] = row[key].date().isoformat()
            elif isinstance(row.get(key), date):
                row[key] = row[key].isoformat()
        if isinstance(row.get("amount"), float):
            row["amount"] = repr(row["amount"])  # Excel stores numbers as floats; read its shortest text exactly
        rows.append(row)
    return save_actuals(project, rows, actor, origin="xlsx")


def actuals(project: Project) -> list[ActualCost]:
    return db.session.query(ActualCost).filter_by(project_id=project.id).order_by(
        ActualCost.period_start, ActualCost.partner_id, ActualCost.cost_type).all()
