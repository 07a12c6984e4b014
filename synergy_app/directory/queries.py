"""Read helpers for the directory (organisations, regions, programmes), shared by pages, API and CLI."""

from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..extensions import db
from ..reference.coverage import Coverage, coverage, listed_of_kind
from .models import Organisation, Programme, Region


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))


def region_by_key(key: str) -> Region:
    """A region by county code ("05"), slug ("ostergotland") or numeric id; NotFound lists close matches."""
    key = (key or "").strip().lower()
    region = None
    if key.isdigit():
        region = db.session.scalar(select(Region).where(Region.county_code == key.zfill(2)))
    if region is None:
        region = db.session.scalar(select(Region).where(Region.slug == key))
    if region is None:
        slugs = [r.slug for r in all_regions()]
        raise NotFound("region", key, difflib.get_close_matches(key, slugs, n=3, cutoff=0.5))
    return region


def organisation_by_slug(slug: str, kinds: tuple[str, ...] | None = None) -> Organisation:
    stmt = select(Organisation).where(Organisation.slug == slug)
    if kinds:
        stmt = stmt.where(Organisation.kind.in_(kinds))
    organisation = db.session.scalar(stmt)
    if organisation is None:
        candidates = db.session.scalars(select(Organisation.slug)).all()
        raise NotFound("organisation", slug, difflib.get_close_matches(slug, candidates, n=3, cutoff=0.5))
    return organisation


def priorities_coverage(region: Region, priorities: list) -> Coverage:
    """How complete a region's listed S3 areas are, from the statement the seed stored with the region."""
    details = (region.organisation.details if region.organisation else None) or {}
    return coverage(details.get("priorities_coverage"), len(priorities))


def areas_coverage(organisation: Organisation, areas: list) -> Coverage:
    """How complete an agency's listed areas are (of the kind its statement is about)."""
    statement = (organisation.details or {}).get("areas_coverage")
    if not statement:
        return coverage(None, len(areas))
    return coverage(statement, len(listed_of_kind(statement, areas)))


def coverage_dict(cov: Coverage) -> dict:
    """For the API: whether the list is complete, how many areas are listed and how many the source states."""
    return {"complete": cov.complete, "listed": cov.listed, "stated_count": cov.stated_count, "note": cov.note}


def organisations(kind: str | None = None) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.name)
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    return list(db.session.scalars(stmt))


def funders() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).where(Organisation.is_funder.is_(True))
        .options(selectinload(Organisation.programmes).selectinload(Programme.regions))
        .order_by(Organisation.name)
    ))


def clusters() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).where(Organisation.kind == "cluster_initiative")
        .options(selectinload(Organisation.regions)).order_by(Organisation.name)
    ))


def source_dict(obj) -> dict:
    return {
        "title": obj.source_title,
        "url": obj.source_url,
        "retrieved": obj.source_retrieved.isoformat() if obj.source_retrieved else None,
    }


def region_dict(region: Region) -> dict:
    """The region's own record for the API (its priorities are added where they are known)."""
    return {
        "id": region.id,
        "code": region.county_code,
        "slug": region.slug,
        "name": region.name,
        "county": region.county,
        "county_letter": region.county_letter,
        "nuts2": region.nuts2,
        "nuts3": region.nuts3,
        "org_number": region.organisation.org_number,
    }


def organisation_dict(organisation: Organisation) -> dict:
    return {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "name_en": organisation.name_en,
        "kind": organisation.kind,
        "org_number": organisation.org_number,
        "website": organisation.website,
        "is_funder": organisation.is_funder,
        "regions": [r.slug for r in organisation.regions],
        "source": source_dict(organisation),
    }
