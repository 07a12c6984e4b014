"""Read the reference data files shipped with the package into plain, checked records.

Pure: no Flask, no database. The seed service writes what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..shipped_data import read_yaml
from .coverage import check_statement

DATA_DIR = Path(__file__).parent / "data"


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message names the file and the record."""


@dataclass(frozen=True)
class Source:
    title: str | None
    url: str | None
    retrieved: date | None


@dataclass(frozen=True)
class CodedRecord:
    """A regional priority or a national/EU area."""

    slug: str
    owner: str  # region slug or organisation slug
    title: str
    title_en: str | None
    description: str
    keywords: tuple[str, ...]
    codes: dict[str, list[str]]
    codes_origin: str
    source: Source
    kind: str | None = None  # areas only


@dataclass(frozen=True)
class OrganisationRecord:
    slug: str
    name: str
    kind: str
    name_en: str | None = None
    org_number: str | None = None
    website: str | None = None
    description: str | None = None
    source: Source = Source(None, None, None)
    regions: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    is_funder: bool = False


@dataclass(frozen=True)
class RegionRecord:
    slug: str
    name: str
    county: str
    county_code: str
    county_letter: str | None
    nuts2: str | None
    nuts3: str | None
    org_number: str | None
    website: str | None
    source: Source
    note: str | None
    # Whether `priorities` are all the areas the source names (see coverage.py); None when not stated.
    priorities_coverage: dict | None = None


@dataclass(frozen=True)
class RetiredRecord:
    """A priority or area shipped earlier and no longer current: seeding archives it, never deletes it."""

    slug: str
    owner: str
    title: str
    reason: str
    source: Source


@dataclass(frozen=True)
class ProgrammeRecord:
    slug: str
    funder: str
    name: str
    source_kind: str
    description: str | None
    managing_authority: str | None
    cofinancing_rate: Decimal | None
    cofinancing_rate_verified: bool
    regions: tuple[str, ...]
    source: Source
    details: dict[str, Any]


@dataclass
class ReferenceData:
    regions: list[RegionRecord] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    priorities: list[CodedRecord] = field(default_factory=list)
    areas: list[CodedRecord] = field(default_factory=list)
    programmes: list[ProgrammeRecord] = field(default_factory=list)
    retired_priorities: list[RetiredRecord] = field(default_factory=list)
    retired_areas: list[RetiredRecord] = field(default_factory=list)


def _read(path: Path) -> Any:
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path.name}: not valid YAML: {exc}") from exc


def _source(raw: Any, where: str) -> Source:
    if raw is None:
        return Source(None, None, None)
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{where}.source: expected a mapping")
    retrieved = raw.get("retrieved")
    if isinstance(retrieved, str):
        try:
            retrieved = date.fromisoformat(retrieved)
        except ValueError as exc:
            raise ReferenceDataError(f"{where}.source.retrieved: not a date: {retrieved!r}") from exc
    title = raw.get("title") or raw.get("document")
    return Source(str(title) if title else None, raw.get("url"), retrieved)


def _required(raw: dict, key: str, where: str) -> Any:
    value = raw.get(key)
    if value in (None, ""):
        raise ReferenceDataError(f"{where}.{key}: missing")
    return value


def _codes(raw: Any, where: str) -> dict[str, list[str]]:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{where}.codes: expected a mapping of axis to codes")
    unknown = set(raw) - {"economic", "scientific", "policy"}
    if unknown:
        raise ReferenceDataError(f"{where}.codes: unknown axis {sorted(unknown)}")
    return {axis: [str(c) for c in (raw.get(axis) or [])] for axis in ("economic", "scientific", "policy")}


def _coded(raw: dict, owner: str, where: str, kind: str | None = None) -> CodedRecord:
    return CodedRecord(
        slug=str(_required(raw, "slug", where)),
        owner=owner,
        title=str(_required(raw, "title", where)),
        title_en=raw.get("title_en"),
        description=str(raw.get("description") or ""),
        keywords=tuple(str(k) for k in raw.get("keywords") or ()),
        codes=_codes(raw.get("codes"), where),
        codes_origin=str(raw.get("codes_origin") or "assigned"),
        source=_source(raw.get("source"), where),
        kind=kind,
    )


ORG_KEYS = {"slug", "name", "name_en", "kind", "org_number", "website", "description", "source", "areas",
            "regions", "programmes", "retired_areas"}


def _statement(raw: Any, listed: int, where: str) -> dict | None:
    try:
        return check_statement(raw, listed, where)
    except ValueError as exc:
        raise ReferenceDataError(str(exc)) from exc


def _retired(raw: Any, owner: str, where: str) -> list[RetiredRecord]:
    records = []
    for i, item in enumerate(raw or []):
        rwhere = f"{where}[{i}]"
        records.append(RetiredRecord(
            slug=str(_required(item, "slug", rwhere)),
            owner=owner,
            title=str(_required(item, "title", rwhere)),
            reason=str(_required(item, "reason", rwhere)),
            source=_source(_required(item, "source", rwhere), rwhere),
        ))
    return records


def _organisation(raw: dict, where: str, default_kind: str, is_funder: bool = False) -> OrganisationRecord:
    details = {k: v for k, v in raw.items() if k not in ORG_KEYS}
    regions = raw.get("regions") or ()
    return OrganisationRecord(
        slug=str(_required(raw, "slug", where)),
        name=str(_required(raw, "name", where)),
        kind=str(raw.get("kind") or default_kind),
        name_en=raw.get("name_en"),
        org_number=str(raw["org_number"]) if raw.get("org_number") else None,
        website=raw.get("website"),
        description=raw.get("description"),
        source=_source(raw.get("source"), where),
        regions=tuple(regions) if isinstance(regions, list | tuple) else (str(regions),),
        details=_plain(details),
        is_funder=is_funder,
    )


def _plain(value: Any) -> Any:
    """Make YAML values JSON-safe for storage (dates become ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _rate(raw: Any, where: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        rate = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ReferenceDataError(f"{where}.cofinancing_rate: not a number: {raw!r}") from exc
    if not Decimal(0) <= rate <= Decimal(1):
        raise ReferenceDataError(f"{where}.cofinancing_rate: must be between 0 and 1")
    return rate


def load(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Load every reference file in `data_dir`; missing optional files are skipped."""
    data = ReferenceData()
    organisations: dict[str, OrganisationRecord] = {}
    _load_regions(data_dir / "regions.yaml", data)
    for filename in ("agencies.yaml", "eu.yaml"):
        _load_organisations(data_dir / filename, data, organisations)
    _load_funders(data_dir / "funders.yaml", data, organisations)
    _load_clusters(data_dir / "clusters.yaml", organisations)
    data.organisations = list(organisations.values())
    _check_references(data)
    return data


def _load_regions(path: Path, data: ReferenceData) -> None:
    if not path.exists():
        return
    for i, raw in enumerate(_read(path).get("regions") or []):
        where = f"regions.yaml: regions[{i}]"
        slug = str(_required(raw, "slug", where))
        data.regions.append(RegionRecord(
            slug=slug,
            name=str(_required(raw, "name", where)),
            county=str(raw.get("county") or raw["name"]),
            county_code=str(_required(raw, "county_code", where)).zfill(2),
            county_letter=raw.get("county_letter"),
            nuts2=raw.get("nuts2"),
            nuts3=raw.get("nuts3"),
            org_number=str(raw["org_number"]) if raw.get("org_number") else None,
            website=raw.get("website"),
            source=_source(raw.get("source"), where),
            note=raw.get("note"),
            priorities_coverage=_statement(raw.get("priorities_coverage"), len(raw.get("priorities") or []),
                                           f"{where}.priorities_coverage"),
        ))
        for j, prio in enumerate(raw.get("priorities") or []):
            data.priorities.append(_coded(prio, slug, f"{where}.priorities[{j}]"))
        data.retired_priorities += _retired(raw.get("retired_priorities"), slug, f"{where}.retired_priorities")


def _load_organisations(path: Path, data: ReferenceData, organisations: dict[str, OrganisationRecord]) -> None:
    """The agencies' or the EU's file: organisations with their areas, and areas listed on their own."""
    if not path.exists():
        return
    filename = path.name
    content = _read(path) or {}
    file_orgs = []
    for i, raw in enumerate(content.get("organisations") or []):
        where = f"{filename}: organisations[{i}]"
        org = _organisation(raw, where, "national_agency" if filename == "agencies.yaml" else "eu_body")
        if "areas_coverage" in raw:
            kind = (raw["areas_coverage"] or {}).get("kind")
            listed = [a for a in raw.get("areas") or [] if not kind or a.get("kind") == kind]
            org.details["areas_coverage"] = _statement(raw["areas_coverage"], len(listed),
                                                       f"{where}.areas_coverage")
        organisations[org.slug] = org
        data.retired_areas += _retired(raw.get("retired_areas"), org.slug, f"{where}.retired_areas")
        file_orgs.append(org)
        for j, area in enumerate(raw.get("areas") or []):
            data.areas.append(_coded(area, org.slug, f"{where}.areas[{j}]", str(area.get("kind") or "programme")))
    for j, area in enumerate(content.get("areas") or []):
        where = f"{filename}: areas[{j}]"
        owner = area.get("organisation") or (file_orgs[0].slug if file_orgs else None)
        if not owner:
            raise ReferenceDataError(f"{where}.organisation: missing and no organisation in the file")
        data.areas.append(_coded(area, owner, where, str(area.get("kind") or "programme")))


_PROGRAMME_KEYS = {"slug", "name", "source_kind", "description", "managing_authority", "cofinancing_rate",
                   "cofinancing_rate_verified", "regions", "source"}


def _load_funders(path: Path, data: ReferenceData, organisations: dict[str, OrganisationRecord]) -> None:
    if not path.exists():
        return
    for i, raw in enumerate(_read(path).get("funders") or []):
        where = f"funders.yaml: funders[{i}]"
        funder = _organisation(raw, where, "funder", is_funder=True)
        existing = organisations.get(funder.slug)
        if existing is not None:
            # An agency that also funds: one organisation, marked as funder.
            funder = OrganisationRecord(**{**existing.__dict__, "is_funder": True,
                                           "org_number": existing.org_number or funder.org_number})
        organisations[funder.slug] = funder
        for j, prog in enumerate(raw.get("programmes") or []):
            data.programmes.append(_programme(prog, funder.slug, f"{where}.programmes[{j}]"))


def _programme(prog: dict, funder_slug: str, pwhere: str) -> ProgrammeRecord:
    return ProgrammeRecord(
        slug=str(_required(prog, "slug", pwhere)),
        funder=funder_slug,
        name=str(_required(prog, "name", pwhere)),
        source_kind=str(_required(prog, "source_kind", pwhere)),
        description=prog.get("description"),
        managing_authority=prog.get("managing_authority"),
        cofinancing_rate=_rate(prog.get("cofinancing_rate"), pwhere),
        cofinancing_rate_verified=bool(prog.get("cofinancing_rate_verified", prog.get("cofinancing_rate")
                                                is not None)),
        regions=tuple(prog.get("regions") or ()),
        source=_source(prog.get("source"), pwhere),
        details=_plain({k: v for k, v in prog.items() if k not in _PROGRAMME_KEYS}),
    )


def _load_clusters(path: Path, organisations: dict[str, OrganisationRecord]) -> None:
    if not path.exists():
        return
    content = _read(path)
    items = content.get("clusters") if isinstance(content, dict) else content
    for i, raw in enumerate(items or []):
        org = _organisation(raw, f"clusters.yaml: clusters[{i}]", "cluster_initiative")
        organisations[org.slug] = org


def _check_references(data: ReferenceData) -> None:
    _check_slugs(data)
    org_slugs = {o.slug for o in data.organisations}
    for area in data.areas:
        if area.owner not in org_slugs:
            raise ReferenceDataError(f"area '{area.slug}': unknown organisation '{area.owner}'")
    region_slugs = {r.slug for r in data.regions}
    if region_slugs:
        for kind, records in (("organisation", data.organisations), ("programme", data.programmes)):
            for rec in records:
                for slug in rec.regions:
                    if slug not in region_slugs:
                        raise ReferenceDataError(f"{kind} '{rec.slug}': unknown region '{slug}'")


def _check_slugs(data: ReferenceData) -> None:
    """Each priority and area slug once, and never both current and retired."""
    seen: set[str] = set()
    for kind, records in (("priority", data.priorities), ("area", data.areas)):
        for rec in records:
            if rec.slug in seen:
                raise ReferenceDataError(f"{kind} '{rec.slug}': slug used twice")
            seen.add(rec.slug)
    for kind, retired, current in (("priority", data.retired_priorities, data.priorities),
                                   ("area", data.retired_areas, data.areas)):
        current_slugs = {rec.slug for rec in current}
        for rec in retired:
            if rec.slug in current_slugs:
                raise ReferenceDataError(f"{kind} '{rec.slug}': listed both as current and as retired")
