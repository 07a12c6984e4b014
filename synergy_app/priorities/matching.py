"""The matching engine: scores every priority–area pair from codes and text, and says why.

Pure core: plain dataclasses in and out, no Flask, no database. The web pages, API and CLI
call `match_all` (or `score_pair` for one pair) and show `Match.explanation(lang)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from ..shipped_data import read_yaml
from .codes import AXES, AxisCodes, AxisIndex, Codes, SharedCode, axis_overlap, parent, shared_codes
from .errors import InvalidInput
from .explanation import explain
from .text_similarity import FieldWeights, SharedTerm, TermVector, TextCorpus, TextFields, cosine
from .text_similarity import shared_terms as _shared_terms

WEIGHTS_FILE = Path(__file__).with_name("match_weights.yaml")
KINDS = ("priority", "area")
VERDICTS = ("confirmed", "rejected", "added")


@dataclass(frozen=True)
class Item:
    """A regional priority or a national/EU area, coded on the three axes.

    `owner_id` is the region slug for a priority and the organisation slug for an area.
    """

    id: str
    kind: str
    owner_id: str
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    codes: Codes = field(default_factory=Codes)
    title_en: str = ""

    def __post_init__(self) -> None:
        if not str(self.id).strip():
            raise InvalidInput("id", "Id saknas.", "The id is missing.")
        if self.kind not in KINDS:
            raise InvalidInput(
                "kind",
                f"Okänd typ {self.kind!r}; ska vara priority eller area.",
                f"Unknown kind {self.kind!r}; must be priority or area.",
            )
        if not str(self.owner_id).strip():
            owner_sv, owner_en = ("region", "region") if self.kind == "priority" else ("organisation", "organisation")
            raise InvalidInput("owner_id", f"Ange {owner_sv}.", f"The {owner_en} is missing.")
        if isinstance(self.keywords, str):
            raise InvalidInput("keywords", "Nyckelord ska vara en lista.", "Keywords must be a list.")
        if self.text().is_empty() and self.codes.is_empty():
            what_sv = "En prioritering" if self.kind == "priority" else "Ett område"
            what_en = "A priority" if self.kind == "priority" else "An area"
            raise InvalidInput(
                "title",
                f"{what_sv} behöver text (titel, beskrivning eller nyckelord) eller minst en kod; "
                "annars finns inget att matcha på.",
                f"{what_en} needs text (title, description or keywords) or at least one code; "
                "otherwise there is nothing to match on.",
            )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], kind: str, owner_id: str) -> Item:
        """An Item from a record as stored in the reference YAML or posted by a form."""
        keywords = data.get("keywords") or ()
        if isinstance(keywords, str):
            keywords = [k.strip() for k in keywords.split(",")]
        return cls(
            id=str(data.get("slug") or data.get("id") or ""),
            kind=kind,
            owner_id=owner_id,
            title=str(data.get("title") or data.get("title_sv") or ""),
            description=str(data.get("description") or data.get("description_sv") or ""),
            keywords=tuple(str(k) for k in keywords if str(k).strip()),
            codes=Codes.from_mapping(data.get("codes")),
            title_en=str(data.get("title_en") or ""),
        )

    def text(self) -> TextFields:
        return TextFields(self.title, self.description, tuple(self.keywords))


@dataclass(frozen=True)
class MatchWeights:
    """Configuration of the engine; see match_weights.yaml for what each value does."""

    economic: float = 0.25
    scientific: float = 0.10
    policy: float = 0.25
    text: float = 0.40
    hierarchy_credit: float = 0.5
    sibling_credit: float = 0.25
    minimum_score: float = 0.12
    title_weight: float = 2.0
    description_weight: float = 1.0
    keyword_weight: float = 3.0
    compound_part_weight: float = 0.5
    explanation_terms: int = 6

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidInput(
                    f.name,
                    f"{f.name} ska vara ett tal som är noll eller större.",
                    f"{f.name} must be a number, zero or greater.",
                )
        for name in ("hierarchy_credit", "sibling_credit", "minimum_score"):
            if getattr(self, name) > 1:
                raise InvalidInput(name, f"{name} ska ligga mellan 0 och 1.", f"{name} must be between 0 and 1.")
        if self.total == 0:
            raise InvalidInput(
                "text",
                "Minst en av vikterna economic, scientific, policy och text måste vara större än noll.",
                "At least one of the weights economic, scientific, policy and text must be above zero.",
            )

    @property
    def total(self) -> float:
        return self.economic + self.scientific + self.policy + self.text

    def axis(self, name: str) -> float:
        return getattr(self, name)

    def field_weights(self) -> FieldWeights:
        return FieldWeights(self.title_weight, self.description_weight, self.keyword_weight, self.compound_part_weight)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base: MatchWeights | None = None) -> MatchWeights:
        """`base` (default: the built-in values) with the keys of `data` replaced; unknown keys refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(
                unknown[0],
                f"Okänd viktnyckel {unknown[0]!r}; kända är {', '.join(sorted(known))}.",
                f"Unknown weight key {unknown[0]!r}; known keys are {', '.join(sorted(known))}.",
            )
        values = {f.name: getattr(base or cls(), f.name) for f in fields(cls)}
        values.update(data)
        return cls(**values)

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, path: Path = WEIGHTS_FILE) -> MatchWeights:
        """The weights file, then `overrides` (the app config's MATCH_WEIGHTS) on top."""
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
        weights = cls.from_mapping(data)
        return cls.from_mapping(overrides, base=weights) if overrides else weights


@dataclass(frozen=True)
class Decision:
    """A planner's verdict on a pair: confirmed, rejected, or added (a match the engine missed)."""

    priority_id: str
    area_id: str
    verdict: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise InvalidInput(
                "verdict",
                f"Okänt beslut {self.verdict!r}; ska vara confirmed, rejected eller added.",
                f"Unknown verdict {self.verdict!r}; must be confirmed, rejected or added.",
            )


@dataclass(frozen=True)
class Match:
    """One scored pair. `shared_codes` and `terms` (the explanation) are worked out on first use:
    an EU-scale run keeps tens of thousands of matches and shows a few dozen."""

    priority_id: str
    area_id: str
    score: float
    code_score: float
    text_score: float
    axis_scores: Mapping[str, float]
    decision: str | None = None
    _detail: Callable[[], tuple[Mapping[str, tuple[SharedCode, ...]], tuple[SharedTerm, ...]]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def _explained(self) -> tuple[Mapping[str, tuple[SharedCode, ...]], tuple[SharedTerm, ...]]:
        return self._detail() if self._detail else ({}, ())

    @property
    def shared_codes(self) -> Mapping[str, tuple[SharedCode, ...]]:
        """Axis -> the code pairs that earned credit, strongest first (axes without any left out)."""
        return self._explained[0]

    @property
    def terms(self) -> tuple[SharedTerm, ...]:
        """The shared stems that drove the text score, largest contribution first."""
        return self._explained[1]

    @property
    def decided(self) -> bool:
        """Confirmed or added by a planner: always ranked, ahead of the engine's suggestions."""
        return self.decision in ("confirmed", "added")

    def explanation(self, lang: str = "sv") -> str:
        """What the pair shares, in words (see explanation.py); the numbers are in `to_dict`."""
        return self.explanation_en if lang == "en" else self.explanation_sv

    # Worked out once per match: a cached run's matches serve many pages.
    @cached_property
    def explanation_sv(self) -> str:
        return explain(self, "sv")

    @cached_property
    def explanation_en(self) -> str:
        return explain(self, "en")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (the API's match object)."""
        return {
            "priority": self.priority_id,
            "area": self.area_id,
            "score": round(self.score, 4),
            "code_score": round(self.code_score, 4),
            "text_score": round(self.text_score, 4),
            "axis_scores": {axis: round(v, 4) for axis, v in self.axis_scores.items()},
            "shared_codes": {
                axis: [{"priority": s.priority_code, "area": s.area_code, "credit": s.credit} for s in shared]
                for axis, shared in self.shared_codes.items()
            },
            "terms": [{"stem": t.stem, "words": t.label, "weight": round(t.contribution, 4)} for t in self.terms],
            "decision": self.decision,
            "explanation": {"sv": self.explanation_sv, "en": self.explanation_en},
        }


def rank_key(match: Match) -> tuple:
    """Planner-decided matches first, then by score; ids break ties so the order is stable."""
    return (not match.decided, -match.score, match.priority_id, match.area_id)


def build_corpus(items: Iterable[Item], weights: MatchWeights) -> TextCorpus:
    return TextCorpus.build({item.id: item.text() for item in items}, weights.field_weights())


class _Prepared:
    """An item's codes and text vector, computed once for all the pairs it takes part in."""

    __slots__ = ("item", "axes", "vector")

    def __init__(self, item: Item, corpus: TextCorpus) -> None:
        self.item = item
        self.axes = {axis: AxisCodes.of(axis, item.codes.on(axis)) for axis in AXES}
        self.vector: TermVector = corpus.vectors.get(item.id) or corpus.vector_for(item.text())


def score_pair(
    priority: Item, area: Item, weights: MatchWeights, corpus: TextCorpus, decision: str | None = None
) -> Match:
    """Score and explain one pair. `corpus` gives the IDF; items not in it are vectorised on the fly."""
    _check_kinds(priority, area)
    return _match(_Prepared(priority, corpus), _Prepared(area, corpus), weights, decision)


def _check_kinds(priority: Item, area: Item) -> None:
    if priority.kind != "priority":
        raise InvalidInput("priority", "Första posten ska vara en prioritering.", "The first item must be a priority.")
    if area.kind != "area":
        raise InvalidInput("area", "Andra posten ska vara ett område.", "The second item must be an area.")


def _scores(p: _Prepared, a: _Prepared, weights: MatchWeights, text: float) -> tuple[float, float, dict]:
    axis_scores = {
        axis: axis_overlap(axis, p.axes[axis], a.axes[axis], weights.hierarchy_credit, weights.sibling_credit)
        if weights.axis(axis)
        else 0.0
        for axis in AXES
    }
    return _combine(axis_scores, text, weights)


def _combine(axis_scores: dict[str, float], text: float, weights: MatchWeights) -> tuple[float, float, dict]:
    code_weight = weights.economic + weights.scientific + weights.policy
    weighted_codes = sum(weights.axis(axis) * axis_scores[axis] for axis in AXES)
    code_score = weighted_codes / code_weight if code_weight else 0.0
    score = (weighted_codes + weights.text * text) / weights.total
    return score, code_score, axis_scores


def _match(
    p: _Prepared,
    a: _Prepared,
    weights: MatchWeights,
    decision: str | None,
    text: float | None = None,
    scored: tuple | None = None,
) -> Match:
    if text is None:
        text = cosine(p.vector, a.vector)
    score, code_score, axis_scores = scored or _scores(p, a, weights, text)

    return Match(p.item.id, a.item.id, score, code_score, text, axis_scores, decision,
                 _Reasons(p.axes, a.axes, p.vector, a.vector, weights, bool(text)))


class _Reasons:
    """The shared codes and terms of a pair, worked out when its explanation is first asked for.

    A plain object rather than a closure, so a run's matches can be pickled into the shared cache;
    pickling keeps each item's codes and vector once, however many matches refer to them.
    """

    __slots__ = ("p_axes", "a_axes", "p_vector", "a_vector", "weights", "with_terms")

    def __init__(self, p_axes: Mapping[str, AxisCodes], a_axes: Mapping[str, AxisCodes], p_vector: TermVector,
                 a_vector: TermVector, weights: MatchWeights, with_terms: bool) -> None:
        self.p_axes, self.a_axes, self.p_vector, self.a_vector = p_axes, a_axes, p_vector, a_vector
        self.weights, self.with_terms = weights, with_terms

    def __call__(self) -> tuple[dict[str, tuple[SharedCode, ...]], tuple[SharedTerm, ...]]:
        w = self.weights
        shared = {
            axis: shared_codes(axis, self.p_axes[axis], self.a_axes[axis], w.hierarchy_credit, w.sibling_credit)
            for axis in AXES
        }
        terms = tuple(_shared_terms(self.p_vector, self.a_vector, w.explanation_terms)) if self.with_terms else ()
        return {axis: s for axis, s in shared.items() if s}, terms


def current_decisions(decisions: Iterable[Decision]) -> dict[tuple[str, str], str]:
    """The verdict in force per pair: a later decision on the same pair supersedes an earlier one."""
    return {(d.priority_id, d.area_id): d.verdict for d in decisions}


def match_all(
    priorities: Sequence[Item],
    areas: Sequence[Item],
    weights: MatchWeights | None = None,
    decisions: Iterable[Decision] = (),
    corpus: TextCorpus | None = None,
) -> list[Match]:
    """Every pair worth showing, ranked (see `rank_key`).

    A pair is shown when its score reaches `weights.minimum_score`, or a planner confirmed or
    added it; a rejected pair is never shown, whatever its score. Decisions on pairs not among
    the given items are ignored (the item was archived or filtered out).

    Only pairs that share a term or a code (directly or through the hierarchy) are scored at
    all: every other pair scores zero, and skipping them keeps EU-scale runs fast.
    """
    weights = weights or MatchWeights.load()
    _check_all_kinds(priorities, areas)
    corpus = corpus or build_corpus([*priorities, *areas], weights)
    verdicts = current_decisions(decisions)
    index = _AreaIndex.build(priorities, areas, weights, corpus)
    forced: dict[str, list[str]] = {}
    for (p_id, area_id), verdict in verdicts.items():
        if verdict != "rejected" and area_id in index.prepared:
            forced.setdefault(p_id, []).append(area_id)
    results: list[Match] = []
    for item in priorities:
        results.extend(_priority_matches(_Prepared(item, corpus), index, weights, verdicts, forced.get(item.id, ())))
    results.sort(key=rank_key)
    return results


def _check_all_kinds(priorities: Sequence[Item], areas: Sequence[Item]) -> None:
    for item in priorities:
        if item.kind != "priority":
            raise InvalidInput("priorities", f"{item.id!r} är inte en prioritering.", f"{item.id!r} is not a priority.")
    for item in areas:
        if item.kind != "area":
            raise InvalidInput("areas", f"{item.id!r} är inte ett område.", f"{item.id!r} is not an area.")


@dataclass
class _AreaIndex:
    """The areas prepared once for matching every priority against them."""

    prepared: dict[str, _Prepared]
    # Inverted index over the areas' text: stem -> [(area, weight)].
    postings: dict[str, list[tuple[str, float]]]
    axes: list[str]
    indices: dict[str, AxisIndex]
    # Per axis: which areas give credit to a code (and how much), and which areas carry a code.
    credited: dict[str, dict[str, list[tuple[str, float]]]]
    carried: dict[str, dict[str, list[str]]]

    @classmethod
    def build(cls, priorities: Sequence[Item], areas: Sequence[Item], weights: MatchWeights,
              corpus: TextCorpus) -> _AreaIndex:
        prepared = {a.id: _Prepared(a, corpus) for a in areas}
        postings: dict[str, list[tuple[str, float]]] = {}
        for area_id, pa in prepared.items():
            for stem, w in pa.vector.weights.items():
                postings.setdefault(stem, []).append((area_id, w))
        index = cls(prepared, postings, [axis for axis in AXES if weights.axis(axis)], {}, {}, {})
        for axis in index.axes:
            index._index_axis(axis, priorities, areas, weights)
        return index

    def _index_axis(self, axis: str, priorities: Sequence[Item], areas: Sequence[Item], weights: MatchWeights) -> None:
        known = [c for item in (*priorities, *areas) for c in AxisCodes.of(axis, item.codes.on(axis)).codes]
        index = self.indices[axis] = AxisIndex(axis, known, weights.hierarchy_credit, weights.sibling_credit)
        credited: dict[str, list[tuple[str, float]]] = {}
        carried: dict[str, list[str]] = {}
        for area_id, pa in self.prepared.items():
            for code, credit in index.table(pa.axes[axis]).items():
                credited.setdefault(code, []).append((area_id, credit))
            for code in pa.axes[axis].codes:
                carried.setdefault(code, []).append(area_id)
        self.credited[axis], self.carried[axis] = credited, carried

    def text_scores(self, pp: _Prepared) -> dict[str, float]:
        scores: dict[str, float] = {}
        for stem, w in pp.vector.weights.items():
            for area_id, aw in self.postings.get(stem, ()):
                scores[area_id] = scores.get(area_id, 0.0) + w * aw
        return scores

    def axis_sums(self, pp: _Prepared, axis: str) -> dict[str, float]:
        sums: dict[str, float] = {}
        for code in pp.axes[axis].codes:
            for area_id, credit in self.credited[axis].get(code, ()):
                sums[area_id] = sums.get(area_id, 0.0) + credit
        for code, credit in self.indices[axis].table(pp.axes[axis]).items():
            for area_id in self.carried[axis].get(code, ()):
                sums[area_id] = sums.get(area_id, 0.0) + credit
        return sums


def _priority_matches(pp: _Prepared, index: _AreaIndex, weights: MatchWeights,
                      verdicts: Mapping[tuple[str, str], str], forced: Iterable[str]) -> list[Match]:
    """One priority against the areas that share a term or a code with it, or that a planner decided on."""
    axes = index.axes
    # The score test works on the weighted sum, before dividing by the total weight.
    threshold = weights.minimum_score * weights.total
    axis_weight = {axis: weights.axis(axis) for axis in axes}
    n_codes = {axis: len(pp.axes[axis].codes) for axis in axes}
    text_scores = index.text_scores(pp) if weights.text else {}
    axis_sums = {axis: index.axis_sums(pp, axis) for axis in axes}
    results = []
    for area_id in set(text_scores).union(*axis_sums.values(), forced):
        verdict = verdicts.get((pp.item.id, area_id))
        if verdict == "rejected":
            continue
        pa = index.prepared[area_id]
        text = text_scores.get(area_id, 0.0)
        weighted = weights.text * text
        for axis in axes:
            total = axis_sums[axis].get(area_id)
            if total:
                weighted += axis_weight[axis] * total / (n_codes[axis] + len(pa.axes[axis].codes))
        if weighted < threshold and verdict not in ("confirmed", "added"):
            continue
        axis_scores = dict.fromkeys(AXES, 0.0)
        for axis in axes:
            total = axis_sums[axis].get(area_id)
            if total:
                axis_scores[axis] = total / (n_codes[axis] + len(pa.axes[axis].codes))
        results.append(_match(pp, pa, weights, verdict, text=text, scored=_combine(axis_scores, text, weights)))
    return results


__all__ = [
    "Codes",
    "Decision",
    "Item",
    "Match",
    "MatchWeights",
    "SharedCode",
    "SharedTerm",
    "build_corpus",
    "current_decisions",
    "match_all",
    "parent",
    "rank_key",
    "score_pair",
]
