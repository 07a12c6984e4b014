"""Funder requirement profiles as data: load the dated, sourced YAML files under ``data/``.

A profile says what one funder (or programme) asks of an application: its sections with their limits,
its cost categories and how the workspace's cost types map onto them, its personnel and indirect-cost
rules and its reporting. Like the state-aid rulesets, a file is refused as a whole (``ProfileError``
naming the file and the key) when a key is unknown, when a value has no source, when a source key
names no entry of ``sources``, or when ``verified: true`` comes without the quoted sentence. Values
not read at the source stay ``verified: false`` and every view shows them as not verified.
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

from ..shipped_data import ShippedFileError, parse_checked

PROFILE_DIR = Path(__file__).with_name("data")
SCHEMA_PATH = Path(__file__).with_name("profile_schema.json")

# The workspace's cost types (the canonical budget's) and description sections, in display order.
COST_TYPES = ("personnel", "equipment", "consultancy", "other_direct", "indirect")
COST_TYPE_NAMES = {
    "personnel": {"sv": "Personal (timmar × timpris)", "en": "Personnel (hours × rate)"},
    "equipment": {"sv": "Utrustning", "en": "Equipment"},
    "consultancy": {"sv": "Konsulter", "en": "Consultancy"},
    "other_direct": {"sv": "Övriga direkta kostnader", "en": "Other direct costs"},
    "indirect": {"sv": "Indirekta kostnader", "en": "Indirect costs"},
}
CANONICAL_SECTIONS = ("aim", "background", "implementation", "partners", "budget", "results", "dissemination",
                      "horizontal", "state_aid")


class ProfileError(ShippedFileError):
    """A profile file that must not be used; names the file and the key path."""


@dataclass(frozen=True)
class Sourced:
    """A value with the source it is read in; ``quote`` is the sentence when ``verified``."""

    value: Any
    source: Mapping[str, str]
    verified: bool
    quote: Mapping[str, str] | None = None
    note: str = ""

    @property
    def decimal(self) -> Decimal:
        return Decimal(str(self.value))

    def to_dict(self) -> dict[str, Any]:
        out = {"value": str(self.value) if isinstance(self.value, Decimal) else self.value,
               "source": dict(self.source), "verified": self.verified}
        if self.quote:
            out["quote"] = dict(self.quote)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Limit:
    value: int
    unit: str  # characters | words
    sourced: Sourced

    def measure(self, text: str) -> int:
        return len(text.split()) if self.unit == "words" else len(text)


@dataclass(frozen=True)
class Section:
    key: str
    name: Mapping[str, str]
    covers: tuple[str, ...]  # canonical sections it draws on; empty: a question only this funder asks
    required: bool
    order: int
    guidance: Mapping[str, str] | None
    limit: Limit | None
    sourced: Sourced


@dataclass(frozen=True)
class Category:
    key: str
    name: Mapping[str, str]
    cost_types: tuple[str, ...]
    sourced: Sourced


@dataclass(frozen=True)
class Refusal:
    """A cost type the funder does not accept as such, and the category (or rule) it goes to instead."""

    cost_type: str
    instead: str
    reason: Mapping[str, str] | None
    sourced: Sourced


@dataclass(frozen=True)
class IndirectRule:
    method: str  # flat_rate | actual
    rate: Sourced | None
    base: str | None  # direct_staff | direct_excluding_subcontracting | direct
    legal_basis: str
    alternatives: tuple[Mapping[str, Any], ...]
    sourced: Sourced


@dataclass(frozen=True)
class PersonnelRule:
    method: str  # actual_hours_times_rate | annual_cost_over_hours
    annual_hours: Sourced | None
    sourced: Sourced


@dataclass(frozen=True)
class Profile:
    id: str
    funder: str
    title: Mapping[str, str]
    valid_from: date
    valid_to: date
    checked_on: date
    sources: Mapping[str, Mapping[str, str]]
    source_slugs: tuple[str, ...]
    source_kinds: tuple[str, ...]
    organisation_names: tuple[str, ...]
    sections: tuple[Section, ...]
    categories: tuple[Category, ...]
    refusals: Mapping[str, Refusal]
    personnel: PersonnelRule
    indirect: IndirectRule
    reporting: Mapping[str, Any]
    verification_note: str = ""
    file: str = ""

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to

    def category_for(self, cost_type: str) -> Category | None:
        return next((c for c in self.categories if cost_type in c.cost_types), None)

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def sourced_values(self) -> Iterator[tuple[str, Sourced]]:
        """Every sourced value with its key path, so a view can list what is not verified."""
        for s in self.sections:
            yield f"sections.{s.key}", s.sourced
            if s.limit:
                yield f"sections.{s.key}.limit", s.limit.sourced
        for c in self.categories:
            yield f"cost_categories.{c.key}", c.sourced
        for r in self.refusals.values():
            yield f"not_accepted.{r.cost_type}", r.sourced
        yield "personnel", self.personnel.sourced
        if self.personnel.annual_hours:
            yield "personnel.annual_hours", self.personnel.annual_hours
        yield "indirect", self.indirect.sourced
        if self.indirect.rate:
            yield "indirect.rate", self.indirect.rate
        for key in ("period_months", "co_financing_rate", "co_financing_by_programme"):
            if self.reporting.get(key):
                yield f"reporting.{key}", self.reporting[key]

    def unverified(self) -> list[str]:
        return [key for key, value in self.sourced_values() if not value.verified]


@dataclass(frozen=True)
class ProfileLibrary:
    profiles: tuple[Profile, ...] = field(default_factory=tuple)

    def get(self, funder: str, on: date | None = None) -> Profile | None:
        """The funder's profile in force on ``on`` (today when not given)."""
        on = on or date.today()
        candidates = [p for p in self.profiles if p.funder == funder]
        return next((p for p in candidates if p.in_force_on(on)), candidates[-1] if candidates else None)

    def funders(self) -> list[str]:
        return sorted({p.funder for p in self.profiles})

    def for_source(self, source: str, kind: str | None = None) -> Profile | None:
        """The profile a funding line's source (its slug, e.g. ``eruf-ovre-norrland``) belongs to."""
        slug = source.strip().lower()
        for profile in self.profiles:
            if slug == profile.funder or slug in profile.source_slugs:
                return profile
        for profile in self.profiles:
            if any(slug.startswith(prefix.rstrip("*")) for prefix in profile.source_slugs if prefix.endswith("*")):
                return profile
        if kind:
            return next((p for p in self.profiles if kind in p.source_kinds), None)
        return None

    def for_organisation(self, name: str) -> Profile | None:
        lowered = name.strip().lower()
        return next((p for p in self.profiles if lowered in (n.lower() for n in p.organisation_names)), None)


# --- loading -----------------------------------------------------------------------------------


def _load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _date(text: str, file: str, path: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ProfileError(file, path, f"not a valid date: {text!r}") from exc


class _Builder:
    def __init__(self, data: Mapping[str, Any], file: str):
        self.data = data
        self.file = file
        self.sources = data["sources"]

    def sourced(self, item: Mapping[str, Any], path: str, value: Any = None) -> Sourced:
        key = item["source"]
        if key not in self.sources:
            raise ProfileError(self.file, f"{path}.source",
                               f"names the source {key!r}, which is not in sources ({', '.join(self.sources)})")
        raw = item.get("value", value)
        if isinstance(raw, str) and raw[:1].isdigit():
            raw = Decimal(raw)
        return Sourced(raw, {"key": key, **self.sources[key]}, item["verified"], item.get("quote"),
                       " ".join(item.get("note", "").split()))

    def optional(self, item: Mapping[str, Any] | None, path: str) -> Sourced | None:
        return self.sourced(item, path) if item else None

    def build(self) -> Profile:
        d, file = self.data, self.file
        sections = []
        seen: set[str] = set()
        for i, s in enumerate(d["sections"]):
            path = f"sections[{i}]"
            if s["key"] in seen:
                raise ProfileError(file, f"{path}.key", f"duplicate section key {s['key']!r}")
            seen.add(s["key"])
            limit = None
            if s.get("limit"):
                limit = Limit(s["limit"]["value"], s["limit"]["unit"], self.sourced(s["limit"], f"{path}.limit"))
            sections.append(Section(s["key"], s["name"], tuple(s.get("covers", ())), s["required"], i + 1,
                                    s.get("guidance"), limit, self.sourced(s, path, value=s["key"])))
        categories = []
        for i, c in enumerate(d["cost_categories"]):
            categories.append(Category(c["key"], c["name"], tuple(c["from"]),
                                       self.sourced(c, f"cost_categories[{i}]", value=c["key"])))
        refusals = {}
        category_keys = {c.key for c in categories}
        for cost_type, r in d["not_accepted"].items():
            path = f"not_accepted.{cost_type}"
            if r["instead"] not in category_keys | {"indirect_flat_rate"}:
                raise ProfileError(file, f"{path}.instead",
                                   f"{r['instead']!r} is neither a cost category here nor indirect_flat_rate")
            refusals[cost_type] = Refusal(cost_type, r["instead"], r.get("reason"), self.sourced(r, path,
                                                                                               value=r["instead"]))
        for cost_type in COST_TYPES:
            mapped = [c.key for c in categories if cost_type in c.cost_types]
            if len(mapped) > 1:
                raise ProfileError(file, "cost_categories",
                                   f"cost type {cost_type} is mapped twice ({', '.join(mapped)})")
            if not mapped and cost_type not in refusals:
                raise ProfileError(file, "not_accepted",
                                   f"cost type {cost_type} is in no category; name where it goes under not_accepted")
        p, ind = d["personnel"], d["indirect"]
        personnel = PersonnelRule(p["method"], self.optional(p.get("annual_hours"), "personnel.annual_hours"),
                                  self.sourced(p, "personnel", value=p["method"]))
        indirect = IndirectRule(ind["method"], self.optional(ind.get("rate"), "indirect.rate"), ind.get("base"),
                                ind.get("legal_basis", ""), tuple(ind.get("alternatives", ())),
                                self.sourced(ind, "indirect", value=ind["method"]))
        for j, alt in enumerate(indirect.alternatives):
            self.sourced(alt["rate"], f"indirect.alternatives[{j}].rate")
        rep = d["reporting"]
        reporting = {"period_months": self.sourced(rep["period_months"], "reporting.period_months"),
                     "contents": tuple(rep["contents"]),
                     "co_financing_rate": self.optional(rep.get("co_financing_rate"), "reporting.co_financing_rate"),
                     "co_financing_by_programme": self.optional(rep.get("co_financing_by_programme"),
                                                                "reporting.co_financing_by_programme"),
                     "note": " ".join(rep.get("note", "").split())}
        valid_from = _date(d["valid_from"], file, "valid_from")
        valid_to = _date(d["valid_to"], file, "valid_to")
        if valid_to < valid_from:
            raise ProfileError(file, "valid_to", "ends before valid_from")
        matches = d["matches"]
        return Profile(
            id=d["id"], funder=d["funder"], title=d["title"], valid_from=valid_from, valid_to=valid_to,
            checked_on=_date(d["checked_on"], file, "checked_on"), sources=self.sources,
            source_slugs=tuple(matches["source_slugs"]), source_kinds=tuple(matches.get("source_kinds", ())),
            organisation_names=tuple(matches.get("organisation_names", ())), sections=tuple(sections),
            categories=tuple(categories), refusals=refusals, personnel=personnel, indirect=indirect,
            reporting=reporting, verification_note=" ".join(d.get("verification_note", "").split()), file=file)


def parse_profile(text: str, file: str, schema: dict | None = None) -> Profile:
    """Validate one profile file's text against the schema and build a ``Profile``."""
    data = parse_checked(text, file, schema or _load_schema(), ProfileError, "a profile")
    return _Builder(data, file).build()


def build_library(profiles: Iterable[Profile]) -> ProfileLibrary:
    ordered = sorted(profiles, key=lambda p: (p.funder, p.valid_from))
    seen: dict[str, Profile] = {}
    for profile in ordered:
        if profile.id in seen:
            raise ProfileError(profile.file, "id",
                               f"duplicate profile id {profile.id!r} (also in {seen[profile.id].file})")
        seen[profile.id] = profile
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.funder == later.funder and later.valid_from <= earlier.valid_to:
            raise ProfileError(later.file, "valid_from", f"validity overlaps {earlier.id} for funder {later.funder!r}")
    return ProfileLibrary(tuple(ordered))


def load_profiles(directory: Path | str | None = None) -> ProfileLibrary:
    folder = Path(directory) if directory is not None else PROFILE_DIR
    schema = _load_schema()
    return build_library(parse_profile(path.read_text(encoding="utf-8"), path.name, schema)
                         for path in sorted(folder.glob("*.yaml")))


@functools.cache
def default_profiles() -> ProfileLibrary:
    """The shipped profiles, loaded once per process (read-only package data)."""
    return load_profiles()
