"""Full-text search over rulings, in Swedish and English, with filters, ranking and highlights.

SQLite (the embedded default): the FTS5 table ``ruling_fts`` (created by the migration) holds
each ruling's current text as Snowball stems, Swedish and English, so "bedömningar" finds
"bedömningen"; ranked by bm25() with question and conclusion weighted highest.
PostgreSQL: ``ruling_search.document`` is a tsvector of the 'swedish' and 'english'
configurations with a GIN index; ranked by ts_rank(), highlighted by ts_headline().
The service keeps the index in step with the current revision in the same transaction.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape
from sqlalchemy import and_, column, exists, func, literal_column, select, table, text

from ..extensions import db
from .models import (
    Ruling,
    RulingAgency,
    RulingFlag,
    RulingLegalBasis,
    RulingRevision,
    RulingSearchDocument,
    RulingTopic,
)

SEARCH_FIELDS = ("title", "question", "facts", "assessment", "conclusion")
_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMERS = threading.local()  # a Snowball stemmer keeps state while it works: one per thread
_FTS = table("ruling_fts", column("rowid"))
START, STOP = "\x02", "\x03"  # highlight markers, replaced by <mark> after escaping


@lru_cache(maxsize=100_000)
def _stems(word: str) -> frozenset[str]:
    """The Swedish and English Snowball stems of a word (lower case)."""
    if not hasattr(_STEMMERS, "sv"):
        _STEMMERS.sv = snowballstemmer.stemmer("swedish")
        _STEMMERS.en = snowballstemmer.stemmer("english")
    word = word.lower()
    return frozenset((_STEMMERS.sv.stemWord(word), _STEMMERS.en.stemWord(word)))


def stemmed(text_value: str) -> str:
    """The text as Swedish and English stems, for the SQLite FTS5 index."""
    out = []
    for word in _WORD.findall(text_value or ""):
        out.extend(sorted(_stems(word)))
    return " ".join(out)


def query_terms(query: str) -> list[set[str]]:
    return [_stems(w) for w in _WORD.findall(query or "")][:12]


def fts5_match(query: str) -> str | None:
    """An FTS5 MATCH expression: every word must match in one of its stems."""
    groups = []
    for stems in query_terms(query):
        quoted = " OR ".join('"' + s.replace('"', '""') + '"' for s in sorted(stems))
        groups.append(f"({quoted})")
    return " AND ".join(groups) or None


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def index_ruling(ruling: Ruling, revision: RulingRevision) -> None:
    """Put the ruling's current revision into the full-text index (same transaction as the write)."""
    values = {f: getattr(revision, f) or "" for f in SEARCH_FIELDS}
    if is_postgres():
        db.session.execute(text(
            "INSERT INTO ruling_search (ruling_id, document) VALUES (:id, "
            " setweight(to_tsvector('swedish', :title || ' ' || :question || ' ' || :conclusion), 'A')"
            " || setweight(to_tsvector('swedish', :facts || ' ' || :assessment), 'B')"
            " || setweight(to_tsvector('english', :title || ' ' || :question || ' ' || :conclusion), 'C')"
            " || setweight(to_tsvector('english', :facts || ' ' || :assessment), 'D'))"
            " ON CONFLICT (ruling_id) DO UPDATE SET document = EXCLUDED.document"),
            {"id": ruling.id, **values})
    else:
        db.session.execute(text("DELETE FROM ruling_fts WHERE rowid = :id"), {"id": ruling.id})
        db.session.execute(text(
            "INSERT INTO ruling_fts (rowid, title, question, facts, assessment, conclusion)"
            " VALUES (:id, :title, :question, :facts, :assessment, :conclusion)"),
            {"id": ruling.id, **{f: stemmed(v) for f, v in values.items()}})


@dataclass
class Filters:
    q: str = ""
    topic: str = ""
    legal_act: str = ""
    legal_article: str = ""
    agency_id: int | None = None
    status: str = ""
    decided_from: date | None = None
    decided_to: date | None = None
    flag_code: str = ""


@dataclass
class Hit:
    ruling: Ruling
    revision: RulingRevision
    rank: float | None
    snippet: Markup


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)


def _filtered(stmt, filters: Filters, include_drafts: bool):
    rev = RulingRevision
    if filters.status:
        stmt = stmt.where(Ruling.status == filters.status)
    if not include_drafts:
        stmt = stmt.where(Ruling.status != "draft")
    if filters.topic:
        stmt = stmt.where(exists().where(RulingTopic.revision_id == rev.id, RulingTopic.topic == filters.topic))
    if filters.flag_code:
        stmt = stmt.where(exists().where(RulingFlag.revision_id == rev.id, RulingFlag.flag_code == filters.flag_code))
    if filters.legal_act:
        cond = [RulingLegalBasis.revision_id == rev.id, RulingLegalBasis.act == filters.legal_act]
        if filters.legal_article:
            cond.append(RulingLegalBasis.article == filters.legal_article)
        stmt = stmt.where(exists().where(*cond))
    if filters.agency_id:
        stmt = stmt.where(exists().where(RulingAgency.revision_id == rev.id,
                                         RulingAgency.organisation_id == filters.agency_id))
    if filters.decided_from:
        stmt = stmt.where(rev.decided_on >= filters.decided_from)
    if filters.decided_to:
        stmt = stmt.where(rev.decided_on <= filters.decided_to)
    return stmt


def search(filters: Filters, *, include_drafts: bool, page: int = 1, page_size: int = 20,
           order: str = "relevance") -> SearchResult:
    """One page of rulings matching the filters, best first when there is a text query."""
    base = (select(Ruling, RulingRevision)
            .join(RulingRevision, and_(RulingRevision.ruling_id == Ruling.id,
                                       RulingRevision.number == Ruling.current_number)))
    base = _filtered(base, filters, include_drafts)
    rank = None
    tsquery = None
    if filters.q.strip():
        if is_postgres():
            tsquery = func.websearch_to_tsquery(literal_column("'swedish'"), filters.q).op("||")(
                func.websearch_to_tsquery(literal_column("'english'"), filters.q))
            base = base.join(RulingSearchDocument, RulingSearchDocument.ruling_id == Ruling.id).where(
                RulingSearchDocument.document.op("@@")(tsquery))
            rank = func.ts_rank(RulingSearchDocument.document, tsquery)
        else:
            match = fts5_match(filters.q)
            if match is None:
                return SearchResult(0)
            base = base.join(_FTS, _FTS.c.rowid == Ruling.id).where(
                text("ruling_fts MATCH :match").bindparams(match=match))
            rank = literal_column("bm25(ruling_fts, 10.0, 8.0, 2.0, 3.0, 8.0)")

    total = db.session.scalar(select(func.count()).select_from(base.with_only_columns(Ruling.id).subquery()))
    stmt = base
    if rank is not None and order == "relevance":
        ordering = [rank.desc() if is_postgres() else rank.asc(), Ruling.number.desc()]
        stmt = stmt.add_columns(rank.label("rank"))
    else:
        ordering = [RulingRevision.decided_on.desc().nulls_last(), Ruling.number.desc()]
        stmt = stmt.add_columns(literal_column("NULL").label("rank"))
    rows = db.session.execute(stmt.order_by(*ordering).limit(page_size).offset((page - 1) * page_size)).all()
    hits = []
    for ruling, revision, row_rank in rows:
        hits.append(Hit(ruling, revision, row_rank, Markup("")))
    if filters.q.strip() and hits:
        _add_snippets(hits, filters.q, tsquery)
    return SearchResult(total, hits)


def _marked(text_value: str) -> Markup:
    """Escape a text with START/STOP markers and turn the markers into <mark>."""
    escaped = str(escape(text_value))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


def _add_snippets(hits: list[Hit], query: str, tsquery) -> None:
    if tsquery is not None:
        ids = [h.revision.id for h in hits]
        doc = func.concat_ws(" … ", RulingRevision.question, RulingRevision.assessment,
                             RulingRevision.facts, RulingRevision.conclusion)
        options = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2"
        headline_sv = func.ts_headline(literal_column("'swedish'"), doc,
                                       func.websearch_to_tsquery(literal_column("'swedish'"), query), options)
        rows = db.session.execute(select(RulingRevision.id, headline_sv).where(RulingRevision.id.in_(ids))).all()
        by_id = dict(rows)
        for hit in hits:
            hit.snippet = _marked(by_id.get(hit.revision.id, ""))
        return
    for hit in hits:
        hit.snippet = highlight_snippet(hit.revision, query)


def highlight_snippet(revision: RulingRevision, query: str, words: int = 30) -> Markup:
    """The passage with the most query words, matched by stem, with <mark> around them."""
    wanted = set().union(*query_terms(query)) if query_terms(query) else set()
    best = None
    for name in ("assessment", "facts", "question", "conclusion", "title"):
        value = getattr(revision, name) or ""
        tokens = list(_WORD.finditer(value))
        hit_positions = [i for i, m in enumerate(tokens) if _stems(m.group()) & wanted]
        if hit_positions and (best is None or len(hit_positions) > len(best[2])):
            best = (value, tokens, hit_positions)
    if best is None:
        return escape((revision.question or "")[:240])
    value, tokens, positions = best
    first = max(0, positions[0] - words // 3)
    last = min(len(tokens) - 1, first + words)
    start, end = tokens[first].start(), tokens[last].end()
    pieces, cursor = [], start
    for i in positions:
        if first <= i <= last:
            m = tokens[i]
            pieces.append(value[cursor:m.start()] + START + m.group() + STOP)
            cursor = m.end()
    pieces.append(value[cursor:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(value) else ""
    return _marked(prefix + "".join(pieces) + suffix)


def filters_from_args(args) -> Filters:
    """Filters from query parameters (page and API alike); InputError naming the parameter."""
    from ..directory.models import Organisation
    from ..errors import FieldError, InputError
    from .models import RULING_STATUSES, TOPICS
    from .rulings_legal_refs import filter_key

    errors = []
    filters = Filters(q=(args.get("q") or "").strip()[:200])
    topic = (args.get("topic") or "").strip()
    if topic and topic not in TOPICS:
        errors.append(FieldError("topic", "Okänt ämne.", "Unknown topic."))
    filters.topic = topic
    status = (args.get("status") or "").strip()
    if status and status not in RULING_STATUSES:
        errors.append(FieldError("status", "Okänd status: välj draft, agreed eller superseded.",
                                 "Unknown status: choose draft, agreed or superseded."))
    filters.status = status
    filters.flag_code = (args.get("flag") or "").strip().upper()
    legal = (args.get("legal_basis") or "").strip()
    if legal:
        try:
            filters.legal_act, filters.legal_article = filter_key(legal)
        except InputError as exc:
            errors.extend(exc.errors)
    agency = (args.get("agency") or "").strip()
    if agency:
        filters.agency_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == agency))
        if filters.agency_id is None:
            errors.append(FieldError("agency", f"Okänd myndighet: {agency}.", f"Unknown agency: {agency}."))
    for name, attr in (("from", "decided_from"), ("to", "decided_to")):
        value = (args.get(name) or "").strip()
        if value:
            try:
                setattr(filters, attr, date.fromisoformat(value))
            except ValueError:
                errors.append(FieldError(name, "Ange datumet som ÅÅÅÅ-MM-DD.", "Give the date as YYYY-MM-DD."))
    if errors:
        raise InputError(errors)
    return filters
