"""Runs the matching engine on the database: Items from priorities and areas, planners' decisions,
weights from the app config.

The derived part (the TF-IDF model and every pair's score) is computed once per data version and
weights and kept in the matching cache (matching_cache.py); the rows a page shows and the graph
are read and built per request. A write through the service or the seed changes the data version,
so the next request of any instance computes afresh: several instances always agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..directory.models import Organisation, Region
from ..errors import FieldError, InputError, NotFound
from ..extensions import db
from . import matching_cache
from .codes import Codes
from .data_version import data_version
from .errors import InvalidInput, UnknownId
from .graph import build_graph
from .matching import Decision, Item, Match, MatchWeights, build_corpus, match_all
from .models import Area, Priority
from .models_decisions import MatchDecision
from .text_similarity import TextCorpus


@lru_cache(maxsize=8)
def _loaded_weights(overrides: tuple) -> MatchWeights:
    # The weights file is shipped with the code: read once per process and set of overrides.
    return MatchWeights.load(dict(overrides) or None)


def weights() -> MatchWeights:
    """match_weights.yaml with the app config's MATCH_WEIGHTS (a mapping of any of its keys) on top."""
    overrides = current_app.config.get("MATCH_WEIGHTS") or current_app.config.get("PRIORITY_MATCH_WEIGHTS")
    try:
        try:
            return _loaded_weights(tuple(sorted(overrides.items())) if overrides else ())
        except TypeError:  # a value that cannot be a cache key (and is refused by MatchWeights anyway)
            return MatchWeights.load(overrides)
    except InvalidInput as err:
        raise InputError(FieldError(f"MATCH_WEIGHTS.{err.field}", err.message_sv, err.message_en)) from err


def item_of(obj: Priority | Area, kind: str, owner: str) -> Item | None:
    """The engine's view of a row; None for a row with nothing to match on (it is left out)."""
    try:
        return Item(
            id=obj.slug, kind=kind, owner_id=owner, title=obj.title or "", description=obj.description or "",
            keywords=tuple(str(k) for k in (obj.keywords or []) if str(k).strip()),
            codes=Codes.from_mapping(obj.codes or {}), title_en=obj.title_en or "",
        )
    except InvalidInput:
        current_app.logger.warning("%s %s left out of matching: nothing to match on or a bad code", kind, obj.slug)
        return None


@dataclass
class MatchRun:
    """One matching run over the database and the graph built from it."""

    priorities: list[Item]
    areas: list[Item]
    matches: list[Match]
    graph: nx.Graph
    weights: MatchWeights
    regions: dict[str, Region] = field(default_factory=dict)  # slug -> Region
    organisations: dict[str, Organisation] = field(default_factory=dict)
    priority_rows: dict[str, Priority] = field(default_factory=dict)  # slug -> row
    area_rows: dict[str, Area] = field(default_factory=dict)
    decisions: dict[tuple[str, str], MatchDecision] = field(default_factory=dict)

    def region_slug(self, key: str) -> str:
        """A region slug from a slug, county code or numeric id; NotFound lists close matches."""
        from ..directory.queries import region_by_key

        key = (key or "").strip()
        if key.lower() in self.regions:
            return key.lower()
        try:
            return region_by_key(key).slug
        except NotFound:
            # Not a county code or slug: a numeric id, then.
            region = next((r for r in self.regions.values() if key.isdigit() and r.id == int(key)), None)
            if region is None:
                raise
            return region.slug

    def area_slug(self, key: str) -> str:
        """An area slug from a slug or numeric id; NotFound lists close matches."""
        key = (key or "").strip()
        if key in self.area_rows:
            return key
        if key.isdigit():
            for slug, row in self.area_rows.items():
                if row.id == int(key):
                    return slug
        from .graph import require

        try:
            require(self.graph, "area", key)
        except UnknownId as err:
            raise NotFound("area", key, err.suggestions) from None
        return key


@dataclass(frozen=True)
class MatchResults:
    """What a matching run derives, free of database rows: kept in the cache (picklable)."""

    priorities: list[Item]
    areas: list[Item]
    matches: list[Match]
    corpus: TextCorpus
    graph: nx.Graph


def _compute(w: MatchWeights, priority_rows: dict[str, Priority], area_rows: dict[str, Area],
             region_by_id: dict[int, Region], decisions: dict[tuple[str, str], MatchDecision],
             labels: tuple[dict[str, str], dict[str, str]]) -> MatchResults:
    priorities = [i for p in priority_rows.values()
                  if (i := item_of(p, "priority", region_by_id[p.region_id].slug)) is not None]
    areas = [i for a in area_rows.values() if (i := item_of(a, "area", a.organisation.slug)) is not None]
    corpus = build_corpus([*priorities, *areas], w)
    matches = match_all(priorities, areas, w, [Decision(p, a, d.verdict) for (p, a), d in decisions.items()],
                        corpus=corpus)
    graph = build_graph(priorities, areas, matches, *labels, corpus=corpus)
    return MatchResults(priorities, areas, matches, corpus, graph)


def results_key(w: MatchWeights, version: str, labels: tuple) -> str:
    """The cache key: the data version, the weights, the names the graph shows, and the database."""
    return matching_cache.key_of("match-results", version, w, labels, str(db.engine.url))


def _load_missing(model, ids: set[int]) -> list:
    # The caller keeps the rows: the session holds them only weakly.
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def run() -> MatchRun:
    """Score every active priority against every active area, decisions respected."""
    w = weights()
    # The version is read before the rows: a write landing in between is then computed under the
    # older key, never an older result under the newer key.
    version = data_version()
    regions = {r.slug: r for r in db.session.scalars(select(Region).order_by(Region.name))}
    region_by_id = {r.id: r for r in regions.values()}
    priority_rows = {p.slug: p for p in db.session.scalars(
        select(Priority).where(Priority.archived.is_(False)).order_by(Priority.id))}
    area_rows = {a.slug: a for a in db.session.scalars(
        select(Area).where(Area.archived.is_(False)).options(selectinload(Area.organisation)).order_by(Area.id))}
    organisations = {a.organisation.slug: a.organisation for a in area_rows.values()}
    decision_rows = list(db.session.scalars(select(MatchDecision).order_by(MatchDecision.decided_at, MatchDecision.id)))
    # A decision's priority and area are among the rows just read, unless archived: those in one query each,
    # so `d.priority` and `d.area` below are found in the session without asking the database again.
    archived = (_load_missing(Priority, {d.priority_id for d in decision_rows} - {p.id for p in priority_rows.values()})
                + _load_missing(Area, {d.area_id for d in decision_rows} - {a.id for a in area_rows.values()}))
    decisions = {(d.priority.slug, d.area.slug): d for d in decision_rows}
    del archived  # each decision now holds its own priority and area
    labels = ({s: r.name for s, r in regions.items()}, {s: o.name for s, o in organisations.items()})
    results = matching_cache.cached(results_key(w, version, labels),
                                    lambda: _compute(w, priority_rows, area_rows, region_by_id, decisions, labels))
    return MatchRun(results.priorities, results.areas, results.matches, results.graph, w, regions, organisations,
                    priority_rows, area_rows, decisions)
