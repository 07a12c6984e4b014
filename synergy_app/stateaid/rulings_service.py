"""Writes to the ruling log: create, revise, agree, supersede, link precedents.

Every function validates, adds rows (revisions are only ever inserted), records an audit entry
and commits in one transaction. Bad input raises InputError naming the field; nothing is saved.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select, update

from ..audit.service import diff, record, transaction
from ..auth.access import permit
from ..db_types import utcnow
from ..directory.models import Organisation
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from . import flags as flag_texts
from . import signals
from .access import can_write_rulings
from .models import (
    TOPICS,
    PrecedentLink,
    Ruling,
    RulingAgency,
    RulingFlag,
    RulingLegalBasis,
    RulingProject,
    RulingRelation,
    RulingRevision,
    RulingTopic,
)
from .rulings_legal_refs import parse_legal_references
from .rulings_search import index_ruling

FLAG_CODES = tuple(flag_texts._TEXTS)
CONTENT_FIELDS = ("title", "question", "facts", "assessment", "conclusion", "legal_basis", "topics", "agencies",
                  "flag_codes", "project_keys", "related", "decided_on", "in_force_from")
_PROJECT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,119}$")
_NUMBER = re.compile(r"^TF-\d{4}-\d{3,}$")


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[\n,;]", value)
    return [str(v).strip() for v in value if str(v).strip()]


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(FieldError(field, "Ange datumet som ÅÅÅÅ-MM-DD.", "Give the date as YYYY-MM-DD.")) from None


def _validate(data: dict[str, Any], ruling: Ruling | None = None) -> dict[str, Any]:
    """Clean and check the content of a revision; all field errors at once."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    _check_texts(data, out, errors)
    try:
        out["legal_basis"] = parse_legal_references(data.get("legal_basis") or [])
    except InputError as exc:
        errors.extend(exc.errors)
        out["legal_basis"] = []
    _check_codes(data, out, errors)
    _check_agencies(data, out, errors)
    _check_related(data, out, errors, ruling)
    _check_dates(data, out, errors)
    if errors:
        raise InputError(errors)
    return out


def _check_texts(data: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    for name in ("title", "question", "facts", "assessment", "conclusion"):
        out[name] = (data.get(name) or "").strip().replace("\r\n", "\n")
    if not out["question"]:
        errors.append(FieldError("question", "Ange frågan som avgörandet besvarar.",
                                 "State the question the ruling answers."))
    if not out["conclusion"]:
        errors.append(FieldError("conclusion", "Ange avgörandets slutsats.", "State the ruling's conclusion."))
    if not out["title"]:
        out["title"] = out["question"][:120]
    if len(out["title"]) > 300:
        errors.append(FieldError("title", "Rubriken får vara högst 300 tecken.",
                                 "The title may be at most 300 characters."))


def _check_codes(data: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    """Topics, flag codes and project keys: each once, each known or well formed."""
    out["topics"] = list(dict.fromkeys(_split(data.get("topics"))))
    unknown = [t for t in out["topics"] if t not in TOPICS]
    if unknown:
        errors.append(FieldError("topics", f"Okänt ämne: {', '.join(unknown)}.",
                                 f"Unknown topic: {', '.join(unknown)}."))
    out["flag_codes"] = list(dict.fromkeys(c.upper() for c in _split(data.get("flag_codes"))))
    unknown = [c for c in out["flag_codes"] if c not in FLAG_CODES]
    if unknown:
        errors.append(FieldError("flag_codes", f"Okänd flaggkod: {', '.join(unknown)}.",
                                 f"Unknown flag code: {', '.join(unknown)}."))
    out["project_keys"] = list(dict.fromkeys(_split(data.get("project_keys"))))
    bad = [k for k in out["project_keys"] if not _PROJECT_KEY.match(k)]
    if bad:
        errors.append(FieldError("project_keys", f"Ogiltig projektnyckel: {', '.join(bad)}.",
                                 f"Invalid project key: {', '.join(bad)}."))


def _check_agencies(data: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    slugs = list(dict.fromkeys(_split(data.get("agencies"))))
    orgs = {o.slug: o for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in orgs]
    if missing:
        errors.append(FieldError("agencies", f"Okänd myndighet: {', '.join(missing)}.",
                                 f"Unknown agency: {', '.join(missing)}."))
    out["agencies"] = slugs
    out["_agency_orgs"] = [orgs[s] for s in slugs if s in orgs]


def _check_related(data: dict[str, Any], out: dict[str, Any], errors: list[FieldError],
                   ruling: Ruling | None) -> None:
    numbers = list(dict.fromkeys(n.upper() for n in _split(data.get("related"))))
    related = {r.number: r for r in db.session.scalars(select(Ruling).where(Ruling.number.in_(numbers)))}
    missing = [n for n in numbers if n not in related]
    if missing:
        errors.append(FieldError("related", f"Okänt avgörande: {', '.join(missing)}.",
                                 f"Unknown ruling: {', '.join(missing)}."))
    if ruling is not None and ruling.number in numbers:
        errors.append(FieldError("related", "Ett avgörande kan inte hänvisa till sig självt.",
                                 "A ruling cannot refer to itself."))
    out["related"] = numbers
    out["_related_rulings"] = [related[n] for n in numbers if n in related and (ruling is None or n != ruling.number)]


def _check_dates(data: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    for name in ("decided_on", "in_force_from"):
        try:
            out[name] = _date(data.get(name), name)
        except InputError as exc:
            errors.extend(exc.errors)
            out[name] = None
    if out["decided_on"] and out["in_force_from"] and out["in_force_from"] < out["decided_on"]:
        errors.append(FieldError("in_force_from", "Giltig från kan inte vara före beslutsdagen.",
                                 "In force from cannot be before the decision date."))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InputError(FieldError("reason", "Ange skälet till ändringen.", "Give the reason for the change."))
    return reason


def _next_number(today: date) -> str:
    prefix = f"TF-{today.year}-"
    # Longest first: as text, "TF-2026-1000" sorts before "TF-2026-999".
    last = db.session.scalar(select(Ruling.number).where(Ruling.number.like(prefix + "%"))
                             .order_by(func.length(Ruling.number).desc(), Ruling.number.desc()).limit(1))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


def _add_revision(ruling: Ruling, number: int, clean: dict[str, Any], reason: str, actor) -> RulingRevision:
    revision = RulingRevision(
        ruling_id=ruling.id, number=number, title=clean["title"], question=clean["question"],
        facts=clean["facts"], assessment=clean["assessment"], conclusion=clean["conclusion"],
        legal_basis=clean["legal_basis"], topics=clean["topics"], agencies=clean["agencies"],
        flag_codes=clean["flag_codes"], project_keys=clean["project_keys"], related=clean["related"],
        decided_on=clean["decided_on"], in_force_from=clean["in_force_from"],
        author_id=getattr(actor, "id", None),
        author_label=getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system"),
        reason=reason, created_at=utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    rows: list = [RulingTopic(revision_id=revision.id, topic=t) for t in clean["topics"]]
    rows += [RulingLegalBasis(revision_id=revision.id, position=i, act=ref["act"], article=ref["article"])
             for i, ref in enumerate(clean["legal_basis"])]
    rows += [RulingAgency(revision_id=revision.id, organisation_id=o.id) for o in clean["_agency_orgs"]]
    rows += [RulingFlag(revision_id=revision.id, flag_code=c) for c in clean["flag_codes"]]
    rows += [RulingProject(revision_id=revision.id, project_key=k) for k in clean["project_keys"]]
    rows += [RulingRelation(revision_id=revision.id, related_ruling_id=r.id) for r in clean["_related_rulings"]]
    db.session.add_all(rows)
    ruling.current_number = number
    db.session.flush()
    index_ruling(ruling, revision)
    return revision


def _content(revision: RulingRevision) -> dict[str, Any]:
    snap = revision.snapshot()
    return {k: snap[k] for k in CONTENT_FIELDS}


def create_ruling(data: dict[str, Any], actor=None, *, reason: str | None = None) -> Ruling:
    """Log a new ruling as a draft with its first revision."""
    permit(actor, can_write_rulings)
    clean = _validate(data)
    with transaction():
        now = utcnow()
        ruling = Ruling(number=_next_number(now.date()), status="draft", current_number=1,
                        created_by_id=getattr(actor, "id", None), created_at=now)
        db.session.add(ruling)
        db.session.flush()
        revision = _add_revision(ruling, 1, clean, (reason or "").strip() or "Första versionen", actor)
        record("stateaid.ruling.create", ruling, summary=f"{ruling.number}: {revision.title}",
               changes={k: {"from": None, "to": v} for k, v in _content(revision).items() if v}, actor=actor)
    return ruling


def revise_ruling(ruling: Ruling, data: dict[str, Any], reason: str | None, actor=None) -> RulingRevision:
    """A new revision with the given content; the reason is required and the old text stays."""
    permit(actor, can_write_rulings)
    errors = []
    try:
        reason = _reason(reason)
    except InputError as exc:
        errors.extend(exc.errors)
    try:
        clean = _validate(data, ruling)
    except InputError as exc:
        errors.extend(exc.errors)
    if errors:
        raise InputError(errors)
    if ruling.status == "superseded":
        raise Conflict("status", "Ett ersatt avgörande kan inte ändras; ändra det som ersätter det.",
                       "A superseded ruling cannot be revised; revise its successor.")
    current = ruling.current_revision
    before = _content(current)
    with transaction():
        revision = _add_revision(ruling, current.number + 1, clean, reason, actor)
        changes = diff(before, _content(revision))
        if not changes:
            raise InputError(FieldError("reason", "Versionen ändrar ingenting jämfört med den gällande.",
                                        "The revision changes nothing compared with the current one."))
        record("stateaid.ruling.revise", ruling, summary=f"{ruling.number} version {revision.number}: {reason}",
               changes=changes, actor=actor)
        signals.ruling_published.send(ruling)
    return revision


def agree_ruling(ruling: Ruling, actor=None) -> Ruling:
    """The agencies agree: a draft becomes an agreed ruling, readable by every logged-in user."""
    permit(actor, can_write_rulings)
    if ruling.status != "draft":
        raise Conflict("status", "Bara ett utkast kan bli överenskommet.", "Only a draft can be agreed.")
    revision = ruling.current_revision
    if not revision.decided_on:
        raise InputError(FieldError("decided_on", "Ange beslutsdag innan avgörandet blir överenskommet.",
                                    "Give the decision date before the ruling is agreed."))
    with transaction():
        ruling.status = "agreed"
        ruling.agreed_at = utcnow()
        record("stateaid.ruling.agree", ruling, summary=f"{ruling.number} överenskommen",
               changes={"status": {"from": "draft", "to": "agreed"}}, actor=actor)
        signals.ruling_published.send(ruling)
    return ruling


def supersede_ruling(ruling: Ruling, successor: Ruling, reason: str | None, actor=None) -> Ruling:
    """Replace an agreed ruling by another; the old one links to its successor and stays readable."""
    permit(actor, can_write_rulings)
    reason = _reason(reason)
    if ruling.status != "agreed":
        raise Conflict("status", "Bara ett överenskommet avgörande kan ersättas.",
                       "Only an agreed ruling can be superseded.")
    if successor.id == ruling.id:
        raise InputError(FieldError("successor", "Ett avgörande kan inte ersätta sig självt.",
                                    "A ruling cannot supersede itself."))
    if successor.status == "superseded":
        raise InputError(FieldError("successor", "Efterträdaren är själv ersatt; välj det gällande avgörandet.",
                                    "The successor is itself superseded; choose the ruling in force."))
    with transaction():
        ruling.status = "superseded"
        ruling.successor_id = successor.id
        ruling.superseded_at = utcnow()
        record("stateaid.ruling.supersede", ruling, summary=f"{ruling.number} ersatt av {successor.number}: {reason}",
               changes={"status": {"from": "agreed", "to": "superseded"},
                        "successor": {"from": None, "to": successor.number}}, actor=actor)
    return ruling


def link_related(draft: Ruling, precedent: Ruling, actor=None) -> RulingRevision:
    """Link an agreed ruling to a draft as a precedent: a new revision of the draft naming it."""
    permit(actor, can_write_rulings)
    if draft.status != "draft":
        raise Conflict("status", "Prejudikat länkas till utkast.", "Precedents are linked to drafts.")
    if precedent.status != "agreed":
        raise InputError(FieldError("precedent", "Bara överenskomna avgöranden kan länkas som prejudikat.",
                                    "Only agreed rulings can be linked as precedents."))
    current = ruling_content(draft)
    if precedent.number in current["related"]:
        raise Conflict("precedent", "Avgörandet är redan länkat.", "The ruling is already linked.")
    current["related"] = [*current["related"], precedent.number]
    return revise_ruling(draft, current, f"Prejudikat {precedent.number} länkat", actor)


def link_precedent(ruling: Ruling, project_key: str, flag_code: str = "", actor=None) -> PrecedentLink:
    """A case officer links an agreed ruling to a project's state-aid flag."""
    errors = []
    project_key = (project_key or "").strip()
    flag_code = (flag_code or "").strip().upper()
    if not _PROJECT_KEY.match(project_key):
        errors.append(FieldError("project_key", "Ogiltig projektnyckel.", "Invalid project key."))
    if flag_code and flag_code not in FLAG_CODES:
        errors.append(FieldError("flag_code", f"Okänd flaggkod: {flag_code}.", f"Unknown flag code: {flag_code}."))
    if ruling.status != "agreed":
        errors.append(FieldError("ruling", "Bara överenskomna avgöranden kan länkas som prejudikat.",
                                 "Only agreed rulings can be linked as precedents."))
    if errors:
        raise InputError(errors)
    existing = db.session.scalar(select(PrecedentLink).where(
        PrecedentLink.ruling_id == ruling.id, PrecedentLink.project_key == project_key,
        PrecedentLink.flag_code == flag_code))
    if existing:
        return existing
    with transaction():
        link = PrecedentLink(ruling_id=ruling.id, project_key=project_key, flag_code=flag_code,
                             linked_by_id=getattr(actor, "id", None), created_at=utcnow())
        db.session.add(link)
        db.session.flush()
        record("stateaid.precedent.link", link, summary=f"{ruling.number} → {project_key} {flag_code}".strip(),
               actor=actor)
    return link


def ruling_content(ruling: Ruling) -> dict[str, Any]:
    """The current revision as form input (legal bases as citations), a starting point for a revision."""
    return _content(ruling.current_revision)


def valid_number(number: str) -> bool:
    return bool(_NUMBER.match(number or ""))


def forget_author(user, placeholder: str) -> None:
    """Revisions by a removed account name it by its placeholder, as the audit log does; the caller commits."""
    db.session.execute(update(RulingRevision).where(RulingRevision.author_id == user.id)
                       .values(author_label=placeholder))
