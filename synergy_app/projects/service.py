"""Writes for projects, their budgets, linked calls and rulings.

Every function validates, changes, records an audit entry and commits in one transaction;
bad input raises ``InputError`` naming the field (or the budget cell) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.models import AuditEntry
from ..audit.service import diff, record, transaction
from ..auth.access import permit
from ..calendar import public as calendar
from ..db_types import utcnow
from ..directory.models import Organisation, Programme, Region
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..form_fields import date_field, decimal_field, org_number_field
from ..int_params import DB_INT_MAX
from ..stateaid.project_document import DocumentError, ProjectDocument, country_codes, municipality_codes
from ..stateaid.vocabulary import ASSISTED_AREAS, PARTNER_KINDS, SIZES
from . import checking
from .access import can_create_project, can_edit_project, can_link_ruling  # noqa: F401 - used by the views
from .budget_lines import BudgetRows
from .models import PROJECT_STATUSES, CostLine, FundingLine, Project, ProjectCall, ProjectPartner, ProjectRulingLink

# --- optimistic locking ------------------------------------------------------------------------


class EditConflict(Conflict):
    """A save that started from an older version than the stored one: someone else saved in between.

    Nothing has been changed; ``current_version`` is the version to start from again."""

    def __init__(self, what: str, current_version: int | None):
        sv, en = {
            "budget": ("Budgeten har ändrats av någon annan sedan du öppnade den. Dina ändringar är inte sparade; "
                       "de finns kvar nedan. Se vad som ändrats och spara igen.",
                       "The budget was changed by someone else after you opened it. Your changes are not saved; "
                       "they are kept below. See what changed and save again."),
            "partner": ("Partnern har ändrats av någon annan sedan du öppnade den. Dina ändringar är inte sparade; "
                        "de finns kvar nedan. Se vad som ändrats och spara igen.",
                        "The partner was changed by someone else after you opened it. Your changes are not saved; "
                        "they are kept below. See what changed and save again."),
        }.get(what, ("Projektet har ändrats av någon annan sedan du öppnade det. Dina ändringar är inte sparade; "
                     "de finns kvar nedan. Se vad som ändrats och spara igen.",
                     "The project was changed by someone else after you opened it. Your changes are not saved; "
                     "they are kept below. See what changed and save again."))
        super().__init__("version", sv, en, code="edit_conflict")
        self.what = what
        self.current_version = current_version


def expected_version(value: Any) -> int | None:
    """The version a form or API body says it started from; None when it names none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        # An ETag read from a compressed answer carries the encoding ("3:gzip"): the version is before it.
        number = int(str(value).strip().removeprefix("W/").strip('"').split(":")[0])
    except ValueError:
        number = 0
    if not 1 <= number <= DB_INT_MAX:
        raise InputError(FieldError("version", f"Versionen måste vara ett heltal från 1 till {DB_INT_MAX}.",
                                    f"The version must be a whole number from 1 to {DB_INT_MAX}."))
    return number


def _claim_version(obj: Project | ProjectPartner, expected: int | None, what: str) -> bool:
    """Raise the stored version by one, only if it is still `expected` (any version when None).

    The UPDATE itself compares, so of two simultaneous saves from the same version exactly one
    succeeds on every database and instance; the other gets ``EditConflict``. Returns True when
    the object in this session was loaded from an older version than the one just raised."""
    model = type(obj)
    values: dict[str, Any] = {"version": model.version + 1}
    if model is Project:
        values["updated_at"] = utcnow()
    statement = update(model).where(model.id == obj.id)
    if expected is not None:
        statement = statement.where(model.version == expected)
    new = db.session.execute(statement.values(**values).returning(model.version)
                             .execution_options(synchronize_session=False)).scalar()
    if new is None:
        raise EditConflict(what, db.session.scalar(select(model.version).where(model.id == obj.id)))
    stale = new != (obj.version or 1) + 1
    set_committed_value(obj, "version", new)
    return stale


def changes_since(project: Project, version: int) -> list[AuditEntry]:
    """The saves of the project and its budget after `version`, oldest first (who, when, what)."""
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == Project.__tablename__, AuditEntry.object_id == str(project.id),
        AuditEntry.action.in_(("project.update", "project.budget.save"))).order_by(AuditEntry.id.desc()).limit(50))
    later = [e for e in entries if ((e.changes or {}).get("version") or {}).get("to", 0) > version]
    return list(reversed(later))


# --- field readers -----------------------------------------------------------------------------


def _regions(keys: list[str], errors: list) -> list[Region]:
    found = []
    for key in keys:
        region = db.session.scalar(select(Region).where((Region.slug == key) | (Region.county_code == key)))
        if region is None:
            errors.append(FieldError("regions", f"Okänd region ”{key}”.", f"Unknown region “{key}”."))
        else:
            found.append(region)
    return found


def _project_fields(data: Mapping[str, Any], errors: list) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(FieldError("title", "Ange projektets titel.", "Enter the project title."))
    elif len(title) > 300:
        errors.append(FieldError("title", "Titeln får vara högst 300 tecken.",
                                 "The title may be at most 300 characters."))
    status = data.get("status") or "draft"
    if status not in PROJECT_STATUSES:
        errors.append(FieldError("status", "Okänd status.", "Unknown status."))
    fields = {
        "title": title,
        "description": (data.get("description") or "").strip() or None,
        "status": status,
        "grant_date": date_field(data, "grant_date", errors, required=True),
        "application_date": date_field(data, "application_date", errors),
        "work_start": date_field(data, "work_start", errors),
        "start_date": date_field(data, "start_date", errors),
        "end_date": date_field(data, "end_date", errors),
        "exchange_rate_eur_sek": decimal_field(data, "exchange_rate_eur_sek", errors, positive=True),
    }
    for flag in ("collab_effective", "collab_wide_dissemination", "collab_ro_may_publish", "collab_cross_border",
                 "collab_licensing"):
        fields[flag] = bool(data.get(flag))
    fields.update(_art25_fields(data, errors))
    if fields["start_date"] and fields["end_date"] and fields["end_date"] < fields["start_date"]:
        errors.append(FieldError("end_date", "Slutdatum ligger före startdatum.", "The end date is before the start."))
    return fields


MULTI_COUNTRY_LISTS = ("jointly_designed_by", "undertaking_countries", "dissemination_countries")


def _codes(text: Any) -> list[str]:
    """'SE, FI NO' or '2584, 0980' -> the separate codes."""
    return [c for c in str(text or "").replace(",", " ").replace(";", " ").split() if c]


def _art25_fields(data: Mapping[str, Any], errors: list) -> dict[str, Any]:
    """Assisted area, municipalities and the multi-country project (GBER Art. 25(6)) from the project form."""
    area = (data.get("assisted_area") or "").strip() or None
    if area is not None and area not in ASSISTED_AREAS:
        errors.append(FieldError("assisted_area", "Välj inget stödområde, a eller c.", "Choose none, a or c."))
        area = None
    fields: dict[str, Any] = {"assisted_area": area, "municipalities": None, "collab_multi_country": None}
    try:
        fields["municipalities"] = list(municipality_codes(_codes(data.get("municipalities")), "municipalities")) \
            or None
    except DocumentError as exc:
        errors.append(FieldError("municipalities", exc.message_sv, exc.message_en))
    multi: dict[str, Any] = {"selected_after_open_call": bool(data.get("mc_selected_after_open_call"))}
    for key in MULTI_COUNTRY_LISTS:
        try:
            multi[key] = list(country_codes(_codes(data.get(f"mc_{key}")), key))
        except DocumentError as exc:
            errors.append(FieldError(f"mc_{key}", exc.message_sv, exc.message_en))
    if multi["selected_after_open_call"] or any(multi.get(k) for k in MULTI_COUNTRY_LISTS):
        fields["collab_multi_country"] = multi
    return fields


def multi_country_form_values(project: Project) -> dict[str, Any]:
    """The stored multi-country project and municipalities as the project form shows them."""
    multi = project.collab_multi_country or {}
    return {"mc_selected_after_open_call": bool(multi.get("selected_after_open_call")),
            "municipalities": ", ".join(project.municipalities or [])} | {
        f"mc_{key}": ", ".join(multi.get(key) or []) for key in MULTI_COUNTRY_LISTS}


def _snapshot(project: Project) -> dict[str, Any]:
    return {k: getattr(project, k) for k in (
        "title", "description", "status", "grant_date", "application_date", "work_start", "start_date", "end_date",
        "exchange_rate_eur_sek", "collab_effective", "collab_wide_dissemination", "collab_ro_may_publish",
        "collab_cross_border", "collab_licensing", "collab_multi_country", "assisted_area", "municipalities")} \
        | {"regions": [r.slug for r in project.regions]}


# --- projects ----------------------------------------------------------------------------------


def create_project(data: Mapping[str, Any], actor) -> Project:
    permit(actor, can_create_project)
    errors: list[FieldError] = []
    fields = _project_fields(data, errors)
    regions = _regions(list(data.get("regions") or []), errors)
    if getattr(actor, "role", None) == "strategist" and not any(r.id == actor.region_id for r in regions):
        errors.append(FieldError("regions", "Ett projekt du skapar måste omfatta din region.",
                                 "A project you create must include your region."))
    if errors:
        raise InputError(errors)
    with transaction():
        project = Project(**fields, regions=regions, created_by_id=getattr(actor, "id", None))
        db.session.add(project)
        db.session.flush()
        record("project.create", project, summary=project.title, changes=_snapshot(project), actor=actor)
    return project


def update_project(project: Project, data: Mapping[str, Any], actor) -> Project:
    permit(actor, lambda user: can_edit_project(user, project))
    errors: list[FieldError] = []
    fields = _project_fields(data, errors)
    regions = _regions(list(data.get("regions") or []), errors)
    if getattr(actor, "role", None) == "strategist" and not any(r.id == actor.region_id for r in regions):
        errors.append(FieldError("regions", "Projektet måste fortsätta omfatta din region.",
                                 "The project must keep including your region."))
    expected = expected_version(data.get("version"))
    if errors:
        raise InputError(errors)
    with transaction():
        start = project.version
        if _claim_version(project, expected, "project"):
            db.session.refresh(project)
        before = _snapshot(project)
        for key, value in fields.items():
            setattr(project, key, value)
        project.regions = regions
        record("project.update", project, summary=project.title, changes=diff(before, _snapshot(project)) | {
            "version": {"from": start if expected is None else expected, "to": project.version}}, actor=actor)
    return project


# --- partners ----------------------------------------------------------------------------------


def _partner_identity(project: Project, data: Mapping[str, Any], errors: list,
                      partner: ProjectPartner | None) -> tuple[str, str, Organisation | None]:
    """(key, name, organisation): the directory's organisation fills in a name and key left empty."""
    key = (data.get("key") or "").strip().lower()
    name = (data.get("name") or "").strip()
    organisation = None
    if data.get("organisation"):
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == data["organisation"]))
        if organisation is None:
            errors.append(FieldError("organisation", "Okänd organisation.", "Unknown organisation."))
        else:
            name = name or organisation.name
            key = key or organisation.slug
    if not name:
        errors.append(FieldError("name", "Ange partnerns namn eller välj en organisation.",
                                 "Enter the partner's name or choose an organisation."))
    if not key:
        key = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:80]
    if not key or len(key) > 80:
        errors.append(FieldError("key", "Ange en kort identitet (högst 80 tecken).", "Enter a short id (max 80)."))
    elif any(p.key == key and p is not partner for p in project.partners):
        errors.append(FieldError("key", f"Identiteten ”{key}” används redan i projektet.",
                                 f"The id “{key}” is already used in the project."))
    return key, name, organisation


def _headcount(data: Mapping[str, Any], errors: list) -> int | None:
    staff = data.get("staff_headcount")
    if staff in (None, ""):
        return None
    try:
        value = int(str(staff).strip())
        if value < 0:
            raise ValueError
    except ValueError:
        errors.append(FieldError("staff_headcount", "Ange antal anställda (årsarbetskrafter) som ett heltal.",
                                 "Enter the headcount (annual work units) as a whole number."))
        return None
    return value


def _partner_fields(project: Project, data: Mapping[str, Any], errors: list,
                    partner: ProjectPartner | None) -> dict[str, Any]:
    key, name, organisation = _partner_identity(project, data, errors, partner)
    kind = data.get("kind")
    if kind not in PARTNER_KINDS:
        errors.append(FieldError("kind", "Välj typ av partner.", "Choose the kind of partner."))
    size = data.get("size_stated") or None
    if size and size not in SIZES:
        errors.append(FieldError("size_stated", "Okänd storleksklass.", "Unknown size class."))
    staff_value = _headcount(data, errors)
    turnover = decimal_field(data, "turnover_eur", errors)
    balance = decimal_field(data, "balance_sheet_eur", errors)
    figures_given = staff_value is not None and turnover is not None and balance is not None
    if kind == "undertaking" and not size and not figures_given:
        errors.append(FieldError("size_stated", "Ange storleksklass, eller anställda, omsättning och balansomslutning "
                                 "så att klassen kan räknas fram.",
                                 "State the size class, or the headcount, turnover and balance sheet so the class "
                                 "can be derived."))
    typed = (data.get("org_number") or "").strip()
    # Written as NNNNNN-NNNN, as in the de minimis ledger, so the project check finds the undertaking's earlier aid.
    org_number = org_number_field(typed, "org_number", errors) if typed else (
        organisation.org_number if organisation else None)
    return {"key": key, "name": name, "kind": kind, "size_stated": size, "organisation_id": getattr(
        organisation, "id", None), "org_number": org_number, "staff_headcount": staff_value,
        "turnover_eur": turnover, "balance_sheet_eur": balance,
        "related_enterprises": data.get("related_enterprises") or None}


def save_partner(project: Project, data: Mapping[str, Any], actor, partner: ProjectPartner | None = None):
    permit(actor, lambda user: can_edit_project(user, project))
    errors: list[FieldError] = []
    fields = _partner_fields(project, data, errors, partner)
    expected = expected_version(data.get("version")) if partner is not None else None
    if errors:
        raise InputError(errors)
    with transaction():
        if partner is None:
            partner = ProjectPartner(project=project, position=len(project.partners), **fields)
            db.session.add(partner)
            action = "project.partner.add"
        else:
            _claim_version(partner, expected, "partner")
            for key, value in fields.items():
                setattr(partner, key, value)
            action = "project.partner.update"
        db.session.flush()
        record(action, partner, summary=f"{project.title}: {partner.name}",
               changes={k: v for k, v in fields.items() if v is not None}, actor=actor)
    return partner


def remove_partner(project: Project, partner: ProjectPartner, actor) -> None:
    permit(actor, lambda user: can_edit_project(user, project))
    if any(line.partner_id == partner.id for line in [*project.cost_lines, *project.funding_lines]):
        raise Conflict("partner", "Partnern har budgetrader; ta bort dem i budgeten först.",
                       "The partner has budget lines; remove them in the budget first.", code="partner_in_use")
    with transaction():
        record("project.partner.remove", partner, summary=f"{project.title}: {partner.name}", actor=actor)
        project.partners.remove(partner)


# --- budget ------------------------------------------------------------------------------------


def _budget_snapshot(project: Project) -> dict[str, Any]:
    keys = {p.id: p.key for p in project.partners}
    return {
        "costs": [[keys.get(c.partner_id), c.category, c.amount_ore, c.in_kind] for c in project.cost_lines],
        "funding": [[keys.get(f.partner_id), f.source, f.source_kind, f.category, f.amount_ore, f.in_kind]
                    for f in project.funding_lines],
    }


def _funder_refs(sources: set[str]) -> dict[str, tuple[int | None, int | None]]:
    """(funder organisation id, programme id) per source slug, in two queries."""
    refs: dict[str, tuple[int | None, int | None]] = dict.fromkeys(sources, (None, None))
    if not sources:
        return refs
    for slug, org_id in db.session.execute(select(Organisation.slug, Organisation.id)
                                           .where(Organisation.slug.in_(sources))):
        refs[slug] = (org_id, None)
    for slug, funder_id, programme_id in db.session.execute(
            select(Programme.slug, Programme.funder_id, Programme.id).where(Programme.slug.in_(sources))):
        refs[slug] = (funder_id, programme_id)
    return refs


def save_budget(project: Project, rows: BudgetRows, actor, expected: int | None = None) -> None:
    """Replace the project's cost and funding lines with the table's rows (all or nothing).

    `expected` is the project version the editor was opened at; a save from an older version
    raises ``EditConflict`` and changes nothing."""
    permit(actor, lambda user: can_edit_project(user, project))
    if rows.errors:
        raise InputError([FieldError(cell, sv, en) for cell, (sv, en) in rows.errors.items()])
    with transaction():
        start = project.version
        if _claim_version(project, expected, "budget"):
            # Saved without a version by someone who loaded an older budget: replace what is stored now.
            db.session.refresh(project)
            for name in ("partners", "cost_lines", "funding_lines"):
                db.session.refresh(project, [name])
        partners = {p.key: p for p in project.partners}
        if any(row["partner"] not in partners for row in [*rows.costs, *rows.funding]):
            raise EditConflict("budget", project.version)
        before = _budget_snapshot(project)
        project.cost_lines.clear()
        project.funding_lines.clear()
        db.session.flush()
        for i, row in enumerate(rows.costs):
            project.cost_lines.append(CostLine(partner=partners[row["partner"]], category=row["category"],
                                               amount_ore=row["amount_ore"], in_kind=row["in_kind"], position=i))
        refs = _funder_refs({row["source"] for row in rows.funding})
        for i, row in enumerate(rows.funding):
            funder_id, programme_id = refs[row["source"]]
            project.funding_lines.append(FundingLine(
                partner=partners[row["partner"]], source=row["source"], source_kind=row["kind"],
                category=row["category"], amount_ore=row["amount_ore"], in_kind=row["in_kind"],
                union_max_rate=row["union_max_rate"], funder_id=funder_id, programme_id=programme_id, position=i))
        db.session.flush()
        record("project.budget.save", project, summary=project.title,
               changes={"before": before, "after": _budget_snapshot(project),
                        "version": {"from": start if expected is None else expected, "to": project.version}},
               actor=actor)


# --- import ------------------------------------------------------------------------------------


def import_document(doc: ProjectDocument, actor, region_keys: list[str] | None = None, *,
                    is_demo: bool = False, description: str | None = None, audit_action: str = "project.import"
                    ) -> Project:
    """Create a project from a parsed project file or XLSX budget (the parse has validated it)."""
    permit(actor, can_create_project)
    errors: list[FieldError] = []
    regions = _regions(region_keys or [], errors)
    if getattr(actor, "role", None) == "strategist" and not any(r.id == actor.region_id for r in regions):
        errors.append(FieldError("regions", "Ett projekt du skapar måste omfatta din region.",
                                 "A project you create must include your region."))
    if errors:
        raise InputError(errors)
    with transaction():
        project = Project(
            title=doc.title, description=description, grant_date=doc.grant_date,
            application_date=doc.application_date, work_start=doc.work_start, start_date=doc.work_start,
            end_date=doc.end_date, exchange_rate_eur_sek=doc.exchange_rate_eur_sek,
            collab_effective=doc.collaboration.effective,
            collab_wide_dissemination=doc.collaboration.wide_dissemination,
            collab_ro_may_publish=doc.collaboration.research_organisations_may_publish,
            collab_cross_border=doc.collaboration.cross_border, collab_licensing=doc.collaboration.licensing,
            collab_multi_country=doc.collaboration.multi_country.to_mapping() if doc.collaboration.multi_country
            else None, assisted_area=doc.assisted_area, municipalities=list(doc.municipalities) or None,
            regions=regions, is_demo=is_demo,
            created_by_id=getattr(actor, "id", None))
        db.session.add(project)
        partners: dict[str, ProjectPartner] = {}
        numbers = {p.organisation_number for p in doc.partners if p.organisation_number}
        by_number = dict(db.session.execute(select(Organisation.org_number, Organisation.id)
                                            .where(Organisation.org_number.in_(numbers))).all()) if numbers else {}
        by_slug = dict(db.session.execute(select(Organisation.slug, Organisation.id)
                                          .where(Organisation.slug.in_({p.id for p in doc.partners}))).all())
        for i, p in enumerate(doc.partners):
            org_id = by_number.get(p.organisation_number) or by_slug.get(p.id)
            partners[p.id] = ProjectPartner(
                project=project, key=p.id, name=p.name, kind=p.kind, size_stated=p.size,
                org_number=p.organisation_number, organisation_id=org_id, position=i,
                de_minimis_declared=[{"date": g.date.isoformat(), "amount_eur": str(g.amount_eur),
                                      "grantor": g.grantor, "regulation": g.regulation}
                                     for g in p.de_minimis_received] or None)
            db.session.add(partners[p.id])
        for i, c in enumerate(doc.costs):
            project.cost_lines.append(CostLine(partner=partners[c.partner], category=c.category,
                                               amount_ore=c.amount_ore, in_kind=c.in_kind, position=i))
        refs = _funder_refs({f.source for f in doc.funding})
        for i, f in enumerate(doc.funding):
            funder_id, programme_id = refs[f.source]
            project.funding_lines.append(FundingLine(
                partner=partners[f.partner], source=f.source, source_kind=f.kind, category=f.category,
                amount_ore=f.amount_ore, union_max_rate=f.union_max_rate, funder_id=funder_id,
                programme_id=programme_id, position=i))
        db.session.flush()
        record(audit_action, project, summary=project.title,
               changes={"partners": len(doc.partners), "costs": len(doc.costs), "funding": len(doc.funding)},
               actor=None if actor == "seed" else actor)
    return project


# --- calls and rulings -------------------------------------------------------------------------


def _call_title(call_id: int) -> str | None:
    """The title of a stored call, through the calendar's public functions (None when unknown)."""
    found = calendar.call_data_for_ids([call_id])
    return found[0].title if found else None


def link_call(project: Project, call_id: int, actor) -> None:
    """Link a call from the calendar to the project (nothing happens when it is linked already)."""
    permit(actor, lambda user: can_edit_project(user, project))
    title = _call_title(call_id) if call_id else None
    if title is None:
        raise InputError(FieldError("call", "Välj en utlysning ur kalendern.", "Choose a call from the calendar."))
    if any(link.call_id == call_id for link in project.calls):
        return
    with transaction():
        project.calls.append(ProjectCall(call_id=call_id))
        record("project.call.link", project, summary=f"{project.title}: {title}",
               changes={"call": {"from": None, "to": call_id}}, actor=actor)


def unlink_call(project: Project, call_id: int, actor) -> None:
    """Remove a linked call from the project (nothing happens when it is not linked)."""
    permit(actor, lambda user: can_edit_project(user, project))
    links = [link for link in project.calls if link.call_id == call_id]
    if not links:
        return
    title = _call_title(call_id) or f"#{call_id}"
    with transaction():
        for link in links:
            project.calls.remove(link)
        record("project.call.unlink", project, summary=f"{project.title}: {title}",
               changes={"call": {"from": call_id, "to": None}}, actor=actor)


def link_ruling(project: Project, flag_code: str, ruling_id: int, label: str, actor) -> None:
    permit(actor, lambda user: can_link_ruling(user, project))
    if not flag_code or not ruling_id:
        raise InputError(FieldError("ruling", "Välj ett avgörande.", "Choose a ruling."))
    status = checking.ruling_status(ruling_id)
    if status is None:
        raise InputError(FieldError("ruling", "Avgörandet finns inte.", "The ruling does not exist."))
    if status != "agreed":
        # A draft may still change or be withdrawn; a project must not lean on it (nor see it, as a reader).
        raise InputError(FieldError(
            "ruling", "Bara överenskomna avgöranden kan länkas som prejudikat; ett utkast kan inte länkas.",
            "Only agreed rulings can be linked as precedents; a draft cannot be linked."))
    if any(link.flag_code == flag_code and link.ruling_id == ruling_id for link in project.ruling_links):
        return
    with transaction():
        project.ruling_links.append(ProjectRulingLink(flag_code=flag_code, ruling_id=ruling_id, label=label[:300]))
        record("project.ruling.link", project, summary=f"{flag_code}: {label}", actor=actor)
