"""Writes of the priorities capability: edit priorities and areas, record planners' match decisions.

Each function checks who may write, validates, changes, records an audit entry and commits in
one transaction; on bad input nothing is saved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.service import diff, record, transaction
from ..auth.access import require
from ..db_types import utcnow
from ..directory.models import Region
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..reference.vocabularies import labels as vocabulary_labels
from .access import can_decide_match, can_edit_area, can_edit_priorities
from .codes import AXES, Codes
from .errors import InvalidInput
from .models import Area, Priority
from .models_decisions import VERDICTS, MatchDecision

EDITABLE = ("title", "title_en", "description", "keywords", "codes")
MAX_TITLE = 300
MAX_KEYWORDS = 40


def _snapshot(obj: Priority | Area) -> dict[str, Any]:
    return {
        "title": obj.title,
        "title_en": obj.title_en,
        "description": obj.description,
        "keywords": list(obj.keywords or []),
        "codes": {axis: list((obj.codes or {}).get(axis, [])) for axis in AXES},
        "archived": obj.archived,
    }


def _split(value: Any) -> list[str]:
    """A list from a list or from comma/semicolon/newline separated text; blanks dropped, order kept."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,;\n]", value)
    return list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))


def validate_fields(data: Mapping[str, Any], what: str = "priority") -> dict[str, Any]:
    """Clean values for a priority or an area, or InputError naming every field at fault."""
    errors: list[FieldError] = []
    title = str(data.get("title") or "").strip()
    title_en = str(data.get("title_en") or "").strip() or None
    description = str(data.get("description") or "").strip()
    keywords = _split(data.get("keywords"))
    if len(title) > MAX_TITLE:
        errors.append(FieldError("title", f"Titeln får vara högst {MAX_TITLE} tecken.",
                                 f"The title may be at most {MAX_TITLE} characters."))
    if title_en and len(title_en) > MAX_TITLE:
        errors.append(FieldError("title_en", f"Den engelska titeln får vara högst {MAX_TITLE} tecken.",
                                 f"The English title may be at most {MAX_TITLE} characters."))
    if len(keywords) > MAX_KEYWORDS:
        errors.append(FieldError("keywords", f"Högst {MAX_KEYWORDS} nyckelord.", f"At most {MAX_KEYWORDS} keywords."))
    raw_codes = data.get("codes") or {}
    codes: dict[str, list[str]] = {}
    for axis in AXES:
        try:
            normalised = Codes.from_mapping({axis: _split(raw_codes.get(axis))}).on(axis)
        except InvalidInput as err:
            errors.append(FieldError(f"codes_{axis}", err.message_sv, err.message_en))
            continue
        unknown = [c for c in normalised if _vocabulary_code(axis, c) not in vocabulary_labels()[axis]]
        if unknown:
            errors.append(FieldError(
                f"codes_{axis}",
                f"Okänd kod: {', '.join(unknown)}. Använd koder ur arbetsytans kodlista ({_AXIS_SV[axis]}).",
                f"Unknown code: {', '.join(unknown)}. Use codes from the workspace vocabulary ({_AXIS_EN[axis]}).",
            ))
            continue
        codes[axis] = list(normalised)
    if not errors and not (title or description or keywords) and not any(codes.values()):
        what_sv = "En prioritering" if what == "priority" else "Ett område"
        what_en = "A priority" if what == "priority" else "An area"
        errors.append(FieldError(
            "title",
            f"{what_sv} behöver text (titel, beskrivning eller nyckelord) eller minst en kod "
            "(näringsgren, forskningsområde eller policymål); annars finns inget att matcha på.",
            f"{what_en} needs text (title, description or keywords) or at least one code "
            "(economic domain, field of research or policy objective); otherwise there is nothing to match on.",
        ))
    if not errors and not title:
        errors.append(FieldError("title", "Ange en titel.", "Enter a title."))
    if errors:
        raise InputError(errors)
    return {"title": title, "title_en": title_en, "description": description, "keywords": keywords,
            "codes": {axis: codes.get(axis, []) for axis in AXES}}


_AXIS_SV = {"economic": "NACE", "scientific": "FORD", "policy": "policymål"}
_AXIS_EN = {"economic": "NACE", "scientific": "FORD", "policy": "policy objectives"}


def _vocabulary_code(axis: str, code: str) -> str:
    # A NACE group ("C29.1") is checked through its division; the vocabulary lists divisions.
    return code.split(".")[0] if axis == "economic" else code


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:100] or "prioritering"


def _unique_slug(base: str) -> str:
    taken = set(db.session.scalars(select(Priority.slug).where(Priority.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_priority(region: Region, data: Mapping[str, Any], actor) -> Priority:
    """A new S3 priority of `region`; a strategist only for her own region."""
    require(can_edit_priorities(actor, region), actor)
    values = validate_fields(data, "priority")
    with transaction():
        priority = Priority(slug=_unique_slug(f"{region.slug}-{slugify(values['title'])}"), region_id=region.id,
                            codes_origin="assigned", **values)
        db.session.add(priority)
        db.session.flush()
        record("priority.create", priority, summary=f"{region.name}: {priority.title}",
               changes=diff({}, _snapshot(priority)), actor=actor)
    return priority


def update_priority(priority: Priority, data: Mapping[str, Any], actor) -> Priority:
    require(can_edit_priorities(actor, priority.region), actor)
    values = validate_fields(data, "priority")
    return _update(priority, values, actor, "priority.update", f"{priority.region.name}: {values['title']}")


def update_area(area: Area, data: Mapping[str, Any], actor) -> Area:
    """Edit a national/EU area; a planner only her own agency's."""
    require(can_edit_area(actor, area), actor)
    values = validate_fields(data, "area")
    return _update(area, values, actor, "area.update", f"{area.organisation.name}: {values['title']}")


def _update(obj, values: dict[str, Any], actor, action: str, summary: str):
    before = _snapshot(obj)
    if values["codes"] != before["codes"]:
        values["codes_origin"] = "assigned"  # our coding now, whatever the source said
    with transaction():
        for key, value in values.items():
            setattr(obj, key, value)
        changes = diff(before, _snapshot(obj))
        if changes:
            record(action, obj, summary=summary, changes=changes, actor=actor)
    return obj


def decide(priority: Priority, area: Area, verdict: str, actor, note: str = "") -> MatchDecision:
    """Confirm or reject a suggested match, or add one the engine missed; replaces an earlier verdict."""
    require(can_decide_match(actor, area), actor)
    note = (note or "").strip()
    if verdict not in VERDICTS:
        raise InputError(FieldError("verdict", "Välj bekräfta, avvisa eller lägg till.",
                                    "Choose confirm, reject or add."))
    if len(note) > 2000:
        raise InputError(FieldError("note", "Kommentaren får vara högst 2000 tecken.",
                                    "The note may be at most 2000 characters."))
    if priority.archived or area.archived:
        raise InputError(FieldError("priority", "Prioriteringen eller området är arkiverat.",
                                    "The priority or the area is archived."))
    try:
        return _write_decision(priority, area, verdict, actor, note)
    except IntegrityError:
        # Another planner decided the same pair at the same moment; the unique pair constraint held.
        raise Conflict(
            "priority", "Någon annan beslutade om samma matchning samtidigt. Ladda om sidan och försök igen.",
            "Someone else decided on the same match at the same time. Reload the page and try again.",
        ) from None


def _write_decision(priority: Priority, area: Area, verdict: str, actor, note: str) -> MatchDecision:
    with transaction():
        decision = db.session.scalar(select(MatchDecision).where(
            MatchDecision.priority_id == priority.id, MatchDecision.area_id == area.id).with_for_update())
        before = {"verdict": decision.verdict, "note": decision.note} if decision else {}
        if decision is None:
            decision = MatchDecision(priority_id=priority.id, area_id=area.id)
            db.session.add(decision)
        decision.verdict = verdict
        decision.note = note
        decision.decided_by_id = getattr(actor, "id", None)
        decision.decided_at = utcnow()
        db.session.flush()
        record(f"match.{verdict}", decision,
               summary=f"{priority.region.name}: {priority.title} – {area.title}",
               changes={"priority": priority.slug, "area": area.slug,
                        **diff(before, {"verdict": verdict, "note": note})},
               actor=actor)
    return decision
