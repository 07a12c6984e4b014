"""Precedents: agreed rulings on the same flag code, topic or legal basis (public to other capabilities).

``precedents_for(flag_codes=..., topics=..., legal_bases=...)`` returns plain dicts, best match
first, so the project pages (and the project check, through ``rulings_by_flag_code``) can show
them; ``link_precedent`` records a case officer's link between a ruling and a project flag.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, select

from ..errors import InputError
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
    base = _agreed(exclude_ruling_id)
    matched: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for rid, code in _flag_hits(base, flag_codes):
        matched[rid]["flag_code"].add(code)
    for rid, topic in _topic_hits(base, topics):
        matched[rid]["topic"].add(topic)
    for rid, act, article in _act_hits(base, acts):
        if (act, "") in acts or (act, article) in acts:
            matched[rid]["legal_basis"].add(f"{act} art. {article}" if article else act)
    ranked = _ranked({"": matched}, limit)
    return ranked[""]


def rulings_by_flag_code(flag_codes, limit: int = 5) -> dict[str, list[dict[str, Any]]]:
    """For the project check: per flag code, the agreed rulings that are precedents for it.

    The same answer as ``precedents_for(flag_codes=[code], limit=5)`` for each code, asked of the
    database in four statements however many flags a project raises."""
    codes = {c.upper() for c in flag_codes if c}
    base = _agreed(None)
    flag_hits, topic_hits = defaultdict(set), defaultdict(set)
    for rid, code in _flag_hits(base, codes):
        flag_hits[code].add(rid)
    for rid, topic in _topic_hits(base, {t for c in codes for t in FLAG_TOPICS.get(c, ())}):
        topic_hits[topic].add(rid)
    per_code: dict[str, dict[int, dict[str, set]]] = {}
    for code in codes:
        matched: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for rid in flag_hits[code]:
            matched[rid]["flag_code"].add(code)
        for topic in FLAG_TOPICS.get(code, ()):
            for rid in topic_hits[topic]:
                matched[rid]["topic"].add(topic)
        per_code[code] = matched
    ranked = _ranked(per_code, limit)
    return {code: ranked[code.upper()] for code in flag_codes if code}


def _acts(legal_bases) -> set[tuple[str, str]]:
    """(act, article) of each legal basis; a reference text that cannot be parsed matches nothing."""
    acts = set()
    for text in legal_bases:
        try:
            ref = parse_legal_reference(text) if isinstance(text, str) else text
        except InputError:
            continue
        acts.add((ref["act"], ref.get("article", "")))
    return acts


def _agreed(exclude_ruling_id: int | None):
    base = select(Ruling.id).join(RulingRevision, _current_join()).where(Ruling.status == "agreed")
    return base.where(Ruling.id != exclude_ruling_id) if exclude_ruling_id else base


def _flag_hits(base, flag_codes):
    if not flag_codes:
        return []
    stmt = base.add_columns(RulingFlag.flag_code).join(RulingFlag, RulingFlag.revision_id == RulingRevision.id)
    return db.session.execute(stmt.where(RulingFlag.flag_code.in_(flag_codes))).all()


def _topic_hits(base, topics):
    if not topics:
        return []
    stmt = base.add_columns(RulingTopic.topic).join(RulingTopic, RulingTopic.revision_id == RulingRevision.id)
    return db.session.execute(stmt.where(RulingTopic.topic.in_(topics))).all()


def _act_hits(base, acts):
    if not acts:
        return []
    stmt = base.add_columns(RulingLegalBasis.act, RulingLegalBasis.article).join(
        RulingLegalBasis, RulingLegalBasis.revision_id == RulingRevision.id)
    return db.session.execute(stmt.where(RulingLegalBasis.act.in_({a for a, _ in acts}))).all()


def _ranked(per_key: dict[str, dict[int, dict[str, set]]], limit: int) -> dict[str, list[dict[str, Any]]]:
    """Each key's matched rulings, best first, at most `limit`: ranked on the few columns the order
    needs, then whole texts loaded only for the rulings shown (a common flag can match hundreds)."""
    every = {rid for matched in per_key.values() for rid in matched}
    if not every:
        return {key: [] for key in per_key}
    keys = db.session.execute(select(Ruling.id, Ruling.number, RulingRevision.decided_on)
                              .join(RulingRevision, _current_join()).where(Ruling.id.in_(every))).all()
    shown_per_key = {}
    for key, matched in per_key.items():
        scores = {rid: sum(WEIGHTS[k] * len(v) for k, v in found.items()) for rid, found in matched.items()}
        own = sorted((k for k in keys if k.id in matched),
                     key=lambda k: (-scores[k.id], k.decided_on.isoformat() if k.decided_on else "", k.number))
        shown_per_key[key] = ([k.id for k in own[:limit]], scores)
    shown = {rid for ids, _ in shown_per_key.values() for rid in ids}
    rows = {ruling.id: (ruling, revision) for ruling, revision in db.session.execute(
        select(Ruling, RulingRevision).join(RulingRevision, _current_join()).where(Ruling.id.in_(shown)))}
    result = {}
    for key, (ids, scores) in shown_per_key.items():
        result[key] = []
        for rid in ids:
            item = ruling_summary(*rows[rid])
            item["matched_on"] = {k: sorted(v) for k, v in per_key[key][rid].items()}
            item["score"] = scores[rid]
            result[key].append(item)
    return result


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
