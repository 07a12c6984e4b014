"""Writes to the de minimis register: record a grant, link an enterprise to a single undertaking,
supersede a wrongly recorded grant.

Every function validates, changes, records an audit entry and commits in one transaction; bad input
raises ``InputError`` naming the field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..audit.service import record, transaction
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from ..form_fields import date_field, decimal_field, kronor_field, org_number_field
from .access import can_edit_ledger
from .ledger import undertaking_for
from .models_de_minimis import DeMinimisGrant, SingleUndertaking, UndertakingMember
from .vocabulary import DE_MINIMIS_REGULATIONS


def _require(allowed: bool) -> None:
    if not allowed:
        raise Conflict("ledger", "Du får inte ändra de minimis-registret.", "You may not change the de minimis ledger.",
                       code="forbidden")


def add_grant(data: Mapping[str, Any], actor) -> DeMinimisGrant:
    """Record a de minimis grant; the beneficiary's single undertaking is found or started."""
    _require(can_edit_ledger(actor) or actor == "seed")
    errors: list[FieldError] = []
    org_number = org_number_field(data.get("beneficiary_org_number"), "beneficiary_org_number", errors)
    name = (data.get("beneficiary_name") or "").strip()
    if not name:
        errors.append(FieldError("beneficiary_name", "Ange stödmottagarens namn.", "Enter the beneficiary's name."))
    grant_date = date_field(data, "grant_date", errors, required=True)
    grantor = (data.get("grantor") or "").strip()
    if not grantor:
        errors.append(FieldError("grantor", "Ange vem som beviljade stödet.", "Enter who granted the aid."))
    amount = decimal_field(data, "amount_eur", errors, positive=True)
    if amount is None and not any(e.field == "amount_eur" for e in errors):
        errors.append(FieldError("amount_eur", "Ange beloppet i euro.", "Enter the amount in euro."))
    elif amount is not None and amount != amount.quantize(Decimal("0.01")):
        errors.append(FieldError("amount_eur", "Ange högst två decimaler.", "Give at most two decimals."))
    amount_ore = kronor_field(data, "amount_sek", errors)
    regulation = data.get("regulation") or ""
    if regulation not in DE_MINIMIS_REGULATIONS:
        errors.append(FieldError("regulation", "Välj förordningen stödet beviljades enligt.",
                                 "Choose the regulation the aid was granted under."))
    grantor_org = None
    if (data.get("grantor_org_number") or "").strip():
        grantor_org = org_number_field(data.get("grantor_org_number"), "grantor_org_number", errors)
    if errors:
        raise InputError(errors)
    with transaction():
        undertaking = undertaking_for(org_number)
        if undertaking is None:
            undertaking = SingleUndertaking(org_number=org_number, name=name)
            undertaking.members.append(UndertakingMember(org_number=org_number, name=name))
            db.session.add(undertaking)
        grant = DeMinimisGrant(
            undertaking=undertaking, beneficiary_org_number=org_number, beneficiary_name=name,
            grant_date=grant_date, grantor=grantor, grantor_org_number=grantor_org, amount_eur=amount,
            amount_ore=amount_ore, regulation=regulation,
            purpose=(data.get("purpose") or "").strip() or None, project_id=data.get("project_id"))
        db.session.add(grant)
        db.session.flush()
        record("deminimis.grant.add", grant, summary=f"{name}: {amount} EUR {grant_date}",
               changes={"grantor": grantor, "amount_eur": amount, "regulation": regulation},
               actor=None if actor == "seed" else actor)
    return grant


def link_enterprise(undertaking: SingleUndertaking, data: Mapping[str, Any], actor) -> UndertakingMember:
    """Add a linked enterprise to a single undertaking (its grants then count in the same ledger)."""
    _require(can_edit_ledger(actor) or actor == "seed")
    errors: list[FieldError] = []
    org_number = org_number_field(data.get("org_number"), "org_number", errors)
    name = (data.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", "Ange företagets namn.", "Enter the enterprise's name."))
    if org_number and undertaking_for(org_number) is not None:
        errors.append(FieldError("org_number", "Företaget hör redan till ett annat enda företag i registret.",
                                 "The enterprise already belongs to a single undertaking in the ledger."))
    if errors:
        raise InputError(errors)
    with transaction():
        member = UndertakingMember(undertaking=undertaking, org_number=org_number, name=name)
        db.session.add(member)
        db.session.flush()
        record("deminimis.member.add", member, summary=f"{undertaking.name}: {name} ({org_number})",
               actor=None if actor == "seed" else actor)
    return member


def supersede_grant(grant: DeMinimisGrant, actor) -> None:
    """A wrongly recorded grant is superseded (kept for the history), never deleted."""
    _require(can_edit_ledger(actor))
    with transaction():
        grant.superseded = True
        record("deminimis.grant.supersede", grant, summary=f"{grant.beneficiary_name} {grant.grant_date}",
               actor=actor)
