"""State-aid rulesets as data: load the dated, cited YAML files and pick the one in force.

A ruleset file is refused as a whole (``RulesetError`` naming the file and the key path) when a
value lacks its legal reference, when a value is marked ``verified: true`` without the quote of the
sentence it is read in, when a key is unknown, or when two rulesets of the same family overlap in
time. Silently ignoring a misplaced key is how rules-as-code goes wrong, so nothing here is lenient.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..bounded_parsing import excerpt
from ..money import format_percent, format_value
from ..shipped_data import ShippedFileError, parse_checked

RULESET_DIR = Path(__file__).with_name("rulesets")
SCHEMA_PATH = Path(__file__).with_name("ruleset_schema.json")


class RulesetError(ShippedFileError):
    """A ruleset file that must not be used; names the file and the key path."""


@dataclass(frozen=True)
class Quote:
    """The verbatim sentence a value is read in, its language and the copy it was read in."""

    text: str
    language: str
    source: str
    marker: str | None = None  # the consolidated text's marker: B (2014 text), M6 (2023/1315), ...

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class LegalReference:
    regulation: str
    article: str
    paragraph: str | None = None
    point: str | None = None
    subpoint: str | None = None
    amended_by: str | None = None
    citation: str | None = None
    # Whether the provision was read in the legal text (then ``quote`` holds the sentence). Carried
    # on the reference so that every flag and reason citing it says whether it was verified.
    verified: bool = False
    quote: Quote | None = None
    note: str = ""

    def cite(self) -> str:
        """Short citation, e.g. 'Art. 25(6)(b)(i) (EU) No 651/2014, as amended by (EU) 2023/1315'."""
        if self.citation:
            return self.citation
        text = f"Art. {self.article}"
        for part in (self.paragraph, self.point, self.subpoint):
            if part:
                text += f"({part})"
        text += f" {self.regulation}"
        if self.amended_by:
            text += f", as amended by {self.amended_by}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The reference as results cite it; built once (a check cites the same few references for every
        partner), handed out as a copy so a caller's change never reaches another result."""
        kept = self.__dict__.get("_dict")
        if kept is None:
            kept = self._to_dict()
            object.__setattr__(self, "_dict", kept)
        out = dict(kept)
        if "quote" in out:
            out["quote"] = dict(out["quote"])
        return out

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in ("regulation", "article", "paragraph", "point",
                                                              "subpoint", "amended_by")
                               if getattr(self, k) is not None}
        out |= {"citation": self.cite(), "verified": self.verified}
        if self.quote:
            out["quote"] = self.quote.to_dict()
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Parameter:
    """One ruleset value with its legal reference; ``value`` is int, Decimal or a keyword."""

    value: int | Decimal | str
    reference: LegalReference
    verified: bool = False
    note: str = ""
    quote: Quote | None = None

    @property
    def decimal(self) -> Decimal:
        return self.value if isinstance(self.value, Decimal) else Decimal(self.value)


# Ruleset values that are words, not figures, as a reader says them.
KEYWORD_WORDS = {
    "three_fiscal_years": {"sv": "tre beskattningsår", "en": "three fiscal years"},
    "rolling_three_years": {"sv": "varje period om tre år", "en": "any period of three years"},
}


def value_words(value: int | Decimal | str) -> dict[str, str]:
    """A value as each language writes it (a share as a percentage, a keyword in words)."""
    if isinstance(value, str):
        return KEYWORD_WORDS.get(value, {"sv": value, "en": value})
    if isinstance(value, Decimal) and value < 1:
        return {lang: format_percent(value, lang) for lang in ("sv", "en")}
    return {lang: format_value(value, lang) for lang in ("sv", "en")}


@dataclass(frozen=True)
class Ruleset:
    id: str
    family: str
    title: str
    valid_from: date
    valid_to: date
    last_checked_against_legal_text: bool
    checked_on: date
    sources: tuple[Mapping[str, str], ...]
    values: Mapping[str, Any]
    verification_note: str = ""
    file: str = ""
    legal_references: Mapping[str, LegalReference] = field(default_factory=dict)

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to

    def parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Every value with its dotted key, in file order."""
        def walk(node: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Parameter]]:
            for key, item in node.items():
                if isinstance(item, Parameter):
                    yield prefix + key, item
                else:
                    yield from walk(item, f"{prefix}{key}.")
        return walk(self.values, "")

    def unverified(self) -> list[tuple[str, Parameter]]:
        return [(key, p) for key, p in self.parameters() if not p.verified]

    def legal_reference(self, key: str) -> LegalReference:
        """A reference the check cites for a condition (``legal_references`` in the file)."""
        try:
            return self.legal_references[key]
        except KeyError:
            raise KeyError(f"{self.id}: no legal reference {key!r}") from None

    def param(self, dotted: str) -> Parameter:
        """The parameter at a dotted path, e.g. ``r_and_d_projects.size_bonus.small``."""
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        if not isinstance(node, Parameter):
            raise KeyError(f"{self.id}: {dotted} is a group, not a value")
        return node

    def summary(self) -> dict[str, Any]:
        """The ruleset as a result shows it, with every value not read in the legal text named.

        Built once per ruleset (every check cites it; the ruleset does not change once loaded)."""
        kept = self.__dict__.get("_summary")
        if kept is None:
            kept = self._summary()
            object.__setattr__(self, "_summary", kept)
        return dict(kept)

    def _summary(self) -> dict[str, Any]:
        params = list(self.parameters())
        return {
            "id": self.id,
            "family": self.family,
            "title": self.title,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "last_checked_against_legal_text": self.last_checked_against_legal_text,
            "checked_on": self.checked_on.isoformat(),
            "values_total": len(params),
            "values_verified": sum(1 for _, p in params if p.verified),
            "unverified_values": [{"key": key, "value": str(p.value), "text": value_words(p.value),
                                   "citation": p.reference.cite(), "note": p.note}
                                  for key, p in params if not p.verified],
        }


@dataclass(frozen=True)
class RulesetLibrary:
    """All loaded rulesets, ordered by family and start date."""

    rulesets: tuple[Ruleset, ...] = field(default_factory=tuple)

    def ruleset_for(self, family: str, on_date: date) -> Ruleset | None:
        for ruleset in self.rulesets:
            if ruleset.family == family and ruleset.in_force_on(on_date):
                return ruleset
        return None

    def families(self) -> set[str]:
        return {r.family for r in self.rulesets}

    def last_ended_before(self, family: str, on_date: date) -> Ruleset | None:
        """The latest ruleset of ``family`` whose validity ended before ``on_date``."""
        ended = [r for r in self.rulesets if r.family == family and r.valid_to < on_date]
        return max(ended, key=lambda r: r.valid_to) if ended else None

    def legal_reference(self, key: str, on_date: date, family: str = "gber") -> LegalReference | None:
        """A cited reference from the ruleset in force on ``on_date``; when none is in force, from the
        nearest one before it (the Treaty and the CPR do not end with a block exemption)."""
        ruleset = self.ruleset_for(family, on_date) or self.last_ended_before(family, on_date) or next(
            (r for r in self.rulesets if r.family == family), None)
        return ruleset.legal_references.get(key) if ruleset else None

    def expiring(self, today: date, within_days: int = 60) -> list[Ruleset]:
        """Rulesets in force ``today`` whose validity ends within ``within_days`` days."""
        return [r for r in self.rulesets if r.in_force_on(today) and (r.valid_to - today).days <= within_days]


def _load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _parse_date(text: str, file: str, path: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise RulesetError(file, path, f"not a valid date: {excerpt(text)}") from exc


def _build_reference(item: Mapping[str, Any]) -> LegalReference:
    quote = Quote(**item["quote"]) if item.get("quote") else None
    note = " ".join(item.get("note", "").split())
    return LegalReference(**item["reference"], verified=item.get("verified", False), quote=quote, note=note)


def _build_values(node: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in node.items():
        if "reference" in item and "value" in item:
            raw = item["value"]
            value: int | Decimal | str
            if isinstance(raw, int):
                value = raw
            elif any(ch.isdigit() for ch in raw):
                value = Decimal(raw)
            else:
                value = raw
            reference = _build_reference(item)
            out[key] = Parameter(value, reference, reference.verified, reference.note, reference.quote)
        else:
            out[key] = _build_values(item)
    return out


def parse_ruleset(text: str, file: str, schema: dict | None = None) -> Ruleset:
    """Validate one ruleset file's text against the schema and build a ``Ruleset``."""
    data = parse_checked(text, file, schema or _load_schema(), RulesetError, "a ruleset")
    valid_from = _parse_date(data["valid_from"], file, "valid_from")
    valid_to = _parse_date(data["valid_to"], file, "valid_to")
    if valid_to < valid_from:
        raise RulesetError(file, "valid_to", "ends before valid_from")
    return Ruleset(
        id=data["id"],
        family=data["family"],
        title=" ".join(data["title"].split()),
        valid_from=valid_from,
        valid_to=valid_to,
        last_checked_against_legal_text=data["last_checked_against_legal_text"],
        checked_on=_parse_date(data["checked_on"], file, "checked_on"),
        sources=tuple(data["sources"]),
        values=_build_values(data["values"]),
        legal_references={key: _build_reference(item) for key, item in data.get("legal_references", {}).items()},
        verification_note=" ".join(data.get("verification_note", "").split()),
        file=file,
    )


def build_library(rulesets: Iterable[Ruleset]) -> RulesetLibrary:
    """Order the rulesets and refuse duplicate ids and overlapping periods within a family."""
    ordered = sorted(rulesets, key=lambda r: (r.family, r.valid_from))
    seen: dict[str, Ruleset] = {}
    for ruleset in ordered:
        if ruleset.id in seen:
            raise RulesetError(ruleset.file, "id",
                               f"duplicate ruleset id {ruleset.id!r} (also in {seen[ruleset.id].file})")
        seen[ruleset.id] = ruleset
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.family == later.family and later.valid_from <= earlier.valid_to:
            raise RulesetError(
                later.file, "valid_from",
                f"validity {later.valid_from}..{later.valid_to} overlaps {earlier.id} "
                f"({earlier.valid_from}..{earlier.valid_to}) in family {later.family!r}",
            )
    return RulesetLibrary(tuple(ordered))


def load_rulesets(directory: Path | str | None = None) -> RulesetLibrary:
    """Load and validate every ``*.yaml`` ruleset in ``directory`` (the shipped ones by default)."""
    folder = Path(directory) if directory is not None else RULESET_DIR
    schema = _load_schema()
    parsed = [parse_ruleset(path.read_text(encoding="utf-8"), path.name, schema)
              for path in sorted(folder.glob("*.yaml"))]
    return build_library(parsed)


@functools.cache
def default_rulesets() -> RulesetLibrary:
    """The shipped rulesets, loaded once per process (they are read-only package data)."""
    return load_rulesets()


def ruleset_for(family: str, on_date: date, library: RulesetLibrary | None = None) -> Ruleset | None:
    """The ruleset of ``family`` in force on ``on_date``, or None when none is."""
    return (library or default_rulesets()).ruleset_for(family, on_date)
