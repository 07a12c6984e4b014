"""Write the shipped reference data into the database, idempotently.

Records are matched by slug; a field is written only when it differs, so a second run
changes nothing and leaves no audit entry. A priority or area the files list as retired is archived,
never deleted: planners' decisions, dialogues and history that refer to it stay intact, and matching
and the directory leave archived records out.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from ..audit.service import record, transaction
from ..directory.models import Organisation, Programme, Region
from ..extensions import db
from ..priorities.models import Area, Priority
from ..reference.loader import CodedRecord, ReferenceData, RetiredRecord, Source, load


def _source_fields(source: Source) -> dict[str, Any]:
    return {"source_title": source.title, "source_url": source.url, "source_retrieved": source.retrieved}


def _apply(obj, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(model, slug: str, values: dict[str, Any], stats: Counter, label: str):
    obj = db.session.scalar(select(model).where(model.slug == slug))
    if obj is None:
        obj = model(slug=slug, **values)
        db.session.add(obj)
        stats[f"{label}.created"] += 1
    elif _apply(obj, values):
        stats[f"{label}.updated"] += 1
    return obj


def _coded_values(rec: CodedRecord) -> dict[str, Any]:
    return {
        "title": rec.title,
        "title_en": rec.title_en,
        "description": rec.description,
        "keywords": list(rec.keywords),
        "codes": rec.codes,
        "codes_origin": rec.codes_origin,
        **_source_fields(rec.source),
    }


def _retire(model, records: list[RetiredRecord], stats: Counter, label: str) -> None:
    """Archive records the files list as retired; a database that never had them gets nothing."""
    for rec in records:
        obj = db.session.scalar(select(model).where(model.slug == rec.slug))
        if obj is not None and not obj.archived:
            obj.archived = True
            stats[f"{label}.retired"] += 1


def seed_reference(data: ReferenceData | None = None, actor: str = "seed") -> Counter:
    """Load the reference files and bring the database in line with them. Returns what changed."""
    data = data or load()
    stats: Counter = Counter()
    with transaction():
        regions: dict[str, Region] = {}
        for rec in data.regions:
            details = {"priorities_coverage": rec.priorities_coverage} if rec.priorities_coverage else None
            org = _upsert(Organisation, f"region-{rec.slug}", {
                "name": rec.name, "kind": "region", "org_number": rec.org_number, "website": rec.website,
                "details": details, **_source_fields(rec.source)}, stats, "organisation")
            db.session.flush()
            region = db.session.scalar(select(Region).where(Region.slug == rec.slug))
            values = {"organisation_id": org.id, "name": rec.name, "county": rec.county, "county_code": rec.county_code,
                      "county_letter": rec.county_letter, "nuts2": rec.nuts2, "nuts3": rec.nuts3, "note": rec.note}
            if region is None:
                region = Region(slug=rec.slug, **values)
                db.session.add(region)
                stats["region.created"] += 1
            elif _apply(region, values):
                stats["region.updated"] += 1
            regions[rec.slug] = region
        db.session.flush()

        organisations: dict[str, Organisation] = {}
        for rec in data.organisations:
            org = _upsert(Organisation, rec.slug, {
                "name": rec.name, "name_en": rec.name_en, "kind": rec.kind, "org_number": rec.org_number,
                "website": rec.website, "description": rec.description, "details": rec.details or None,
                "is_funder": rec.is_funder, **_source_fields(rec.source)}, stats, "organisation")
            wanted = sorted(rec.regions)
            if sorted(r.slug for r in org.regions) != wanted:
                org.regions = [regions[s] for s in wanted]
                stats["organisation.regions"] += 1
            organisations[rec.slug] = org
        db.session.flush()

        for rec in data.priorities:
            _upsert(Priority, rec.slug, {"region_id": regions[rec.owner].id, **_coded_values(rec)}, stats, "priority")
        for rec in data.areas:
            _upsert(Area, rec.slug, {"organisation_id": organisations[rec.owner].id, "kind": rec.kind,
                                     **_coded_values(rec)}, stats, "area")
        _retire(Priority, data.retired_priorities, stats, "priority")
        _retire(Area, data.retired_areas, stats, "area")
        for rec in data.programmes:
            prog = _upsert(Programme, rec.slug, {
                "funder_id": organisations[rec.funder].id, "name": rec.name, "source_kind": rec.source_kind,
                "description": rec.description, "managing_authority": rec.managing_authority,
                "cofinancing_rate": rec.cofinancing_rate, "cofinancing_rate_verified": rec.cofinancing_rate_verified,
                "details": rec.details or None, **_source_fields(rec.source)}, stats, "programme")
            wanted = sorted(rec.regions)
            if sorted(r.slug for r in prog.regions) != wanted:
                prog.regions = [regions[s] for s in wanted]
                stats["programme.regions"] += 1
        if stats:
            summary = ", ".join(f"{k}={v}" for k, v in sorted(stats.items()))
            record("reference.seed", object_type="reference", summary=summary, changes=dict(stats), actor=actor)
    return stats
