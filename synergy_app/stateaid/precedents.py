"""Precedents: agreed rulings on the same flag code, topic or legal basis (public to other capabilities).

``precedents_for(flag_codes=..., topics=..., legal_bases=...)`` returns plain dicts, best match
first, so the project pages (and the project check, through ``rulings_by_flag_code``) can show
them; ``link_precedent`` records a case officer's link between a ruling and a project flag.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, select

from ..extensions import db
from .models import PrecedentLink, Ruling, RulingFlag, RulingLegalBasis, RulingRevision, RulingTopic
from .rulings_legal_refs import parse_legal_reference
from .rulings_service import link_precedent as _link_precedent

# Flags whose question is one of the taskforce's topics: a ruling on the topic is a precedent
# for the flag even when it does not name the flag code.
FLAG_TOPICS: dict[str, tuple[str, ...]] = {
    "INDIRECT_AID_VIA_INTERMEDIARY": ("intermediary_services", "intermediary_firm_boundary",
                                      "funder_intermediary_boundary", "transparent_pricing"),
    "NON_ECONOMIC_CLAIM_REVIEW": ("non_economic_activity", "research_organisation"),
    "NON_ECONOMIC_NOT_STATE_AID": ("non_economic_activity", "research_organisation"),
    "CLUSTER_OPERATING_AID_TOO_LONG": ("cluster_operating_aid",),
    "DE_MINIMIS_CEILING_EXCEEDED": ("de_minimis",),
    "PRIVATE_COFINANCING_SHORT": ("cofinancing",),
    "UNION_FUNDING_RATE_EXCEEDED": ("cofinancing",),
}
WEIGHTS = {"flag_code": 3, "topic": 2, "legal_basis": 1}


def _current_join():
    return and_(RulingRevision.ruling_id == Ruling.id, RulingRevision.number == Ruling.current_number)


def ruling_summary(ruling: Ruling, revision: RulingRevision) -> dict[str, Any]:
    return {
        "id": ruling.id,
        "number": ruling.number,
        "status": ruling.status,
        "title": revision.title,
        "question": revision.question,
        "conclusion": revision.conclusion,
        "legal_basis": [b["citation"] for b in revision.legal_basis or []],
        "topics": list(revision.topics or []),
        "flag_codes": list(revision.flag_codes or []),
        "decided_on": revision.decided_on.isoformat() if revision.decided_on else None,
        "path": f"/stateaid/rulings/{ruling.id}",
    }


def _acts(legal_bases) -> set[tuple[str, str]]:
    """(act, article) of each reference; "" for a reference to the whole act."""
    acts = set()
    for text in legal_bases:
        try:
            ref = parse_legal_reference(text) if isinstance(text, str) else text
        except Exception:  # noqa: S112 - an unparseable reference simply matches nothing
            continue
        acts.add((ref["act"], ref.get("article", "")))
    return acts


def _matches(flag_codes: set[str], topics: set[str], acts: set[tuple[str, str]],
             exclude_ruling_id: int | None) -> dict[int, dict[str, set]]:
    """Per agreed ruling, what it shares: flag codes, topics and legal bases."""
    matched: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    base = select(Ruling.id).join(RulingRevision, _current_join()).where(Ruling.status == "agreed")
    if exclude_ruling_id:
        base = base.where(Ruling.id != exclude_ruling_id)
    if flag_codes:
        stmt = base.add_columns(RulingFlag.flag_code).join(RulingFlag, RulingFlag.revision_id == RulingRevision.id)
        for rid, code in db.session.execute(stmt.where(RulingFlag.flag_code.in_(flag_codes))):
            matched[rid]["flag_code"].add(code)
    if topics:
        stmt = base.add_columns(RulingTopic.topic).join(RulingTopic, RulingTopic.revision_id == RulingRevision.id)
        for rid, topic in db.session.execute(stmt.where(RulingTopic.topic.in_(topics))):
            matched[rid]["topic"].add(topic)
    if acts:
        stmt = base.add_columns(RulingLegalBasis.act, RulingLegalBasis.article).join(
            RulingLegalBasis, RulingLegalBasis.revision_id == RulingRevision.id)
        for rid, act, article in db.session.execute(stmt.where(RulingLegalBasis.act.in_({a for a, _ in acts}))):
            if (act, "") in acts or (act, article) in acts:
                matched[rid]["legal_basis"].add(f"{act} art. {article}" if article else act)
    return matched


def precedents_for(flag_codes=(), topics=(), legal_bases=(), *, exclude_ruling_id: int | None = None,
                   limit: int = 10) -> list[dict[str, Any]]:
    """Agreed rulings sharing a flag code, topic or legal basis, best first, each with ``matched_on``.

    ``legal_bases`` are reference strings ("GBER art. 25", "(EU) 651/2014", an ECLI); one that
    cannot be parsed is ignored here (it is validated where it is entered).
    """
    flag_codes = {c.upper() for c in flag_codes if c}
    topics = set(topics) | {t for c in flag_codes for t in FLAG_TOPICS.get(c, ())}
    acts = _acts(legal_bases)
    if not (flag_codes or topics or acts):
        return []
    matched = _matches(flag_codes, topics, acts, exclude_ruling_id)
    if not matched:
        return []
    scores = {rid: sum(WEIGHTS[k] * len(v) for k, v in found.items()) for rid, found in matched.items()}
    # Rank on the few columns the order needs, then load whole texts only for the rulings shown:
    # a common flag can match hundreds of rulings.
    keys = db.session.execute(select(Ruling.id, Ruling.number, RulingRevision.decided_on)
                              .join(RulingRevision, _current_join()).where(Ruling.id.in_(matched))).all()
    keys.sort(key=lambda k: (-scores[k.id], k.decided_on.isoformat() if k.decided_on else "", k.number))
    shown = [k.id for k in keys[:limit]]
    rows = {ruling.id: (ruling, revision) for ruling, revision in db.session.execute(
        select(Ruling, RulingRevision).join(RulingRevision, _current_join()).where(Ruling.id.in_(shown)))}
    result = []
    for rid in shown:
        item = ruling_summary(*rows[rid])
        item["matched_on"] = {k: sorted(v) for k, v in matched[rid].items()}
        item["score"] = scores[rid]
        result.append(item)
    return result


def rulings_by_flag_code(flag_codes) -> dict[str, list[dict[str, Any]]]:
    """For the project check: per flag code, the agreed rulings that are precedents for it."""
    return {code: precedents_for(flag_codes=[code], limit=5) for code in flag_codes}


def ruling_status(ruling_id: int) -> str | None:
    """A ruling's status (draft, agreed, superseded), or None for no such ruling."""
    ruling = db.session.get(Ruling, ruling_id)
    return ruling.status if ruling is not None else None


def link_precedent(ruling_id: int, project_key: str, flag_code: str = "", actor=None) -> PrecedentLink:
    """Link an agreed ruling to a project's flag (idempotent); InputError on bad input."""
    from ..errors import NotFound

    ruling = db.session.get(Ruling, ruling_id)
    if ruling is None:
        raise NotFound("ruling", str(ruling_id))
    return _link_precedent(ruling, project_key, flag_code, actor)


def linked_precedents(project_key: str) -> list[dict[str, Any]]:
    """The rulings case officers have linked to a project, with the flag each concerns."""
    rows = db.session.execute(
        select(PrecedentLink, Ruling, RulingRevision).join(Ruling, Ruling.id == PrecedentLink.ruling_id)
        .join(RulingRevision, _current_join()).where(PrecedentLink.project_key == project_key)
        .order_by(PrecedentLink.created_at)).all()
    return [{**ruling_summary(ruling, revision), "flag_code": link.flag_code or None}
            for link, ruling, revision in rows]
