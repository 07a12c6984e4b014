"""What other capabilities may ask of priority matching (dialogue invitations, the calendar, the dossiers),
and a region's priorities and an organisation's areas.

Plain dicts out, so callers depend on nothing of the engine's internals:

    regions_for_area("vinnova-hallbar-industri", top=10)
    areas_for_region("vastmanland")
"""

from __future__ import annotations

from sqlalchemy import select

from ..directory.models import Organisation, Region
from ..directory.queries import source_dict
from ..errors import NotFound
from ..extensions import db
from . import graph as g
from .errors import UnknownId
from .matching import Match
from .matching_service import MatchRun, run
from .models import Area, Priority


def match_dict(m: Match, run_: MatchRun) -> dict:
    """One priority–area match for lists, API and exports."""
    priority = run_.priority_rows.get(m.priority_id)
    area = run_.area_rows.get(m.area_id)
    return {
        "slug": m.priority_id,
        "title": priority.title if priority else m.priority_id,
        "area_slug": m.area_id,
        "area_title": area.title if area else m.area_id,
        "score": round(m.score, 4),
        "decision": m.decision,
        "explanation_sv": m.explanation_sv,
        "explanation_en": m.explanation_en,
        "detail": m.to_dict(),
    }


def region_ranks(run_: MatchRun, area_slug: str, top: int | None = None) -> list[dict]:
    try:
        ranks = g.regions_for_area(run_.graph, area_slug, top)
    except UnknownId as err:
        raise NotFound("area", area_slug, err.suggestions) from None
    out = []
    for rank in ranks:
        region = run_.regions.get(rank.region)
        out.append({
            "region_id": region.id if region else None,
            "region_slug": rank.region,
            "region_code": region.county_code if region else None,
            "region_name": rank.label,
            "score": round(rank.score, 4),
            "decided": rank.decided,
            "priorities": [match_dict(m, run_) for m in rank.matches],
        })
    return out


def area_ranks(run_: MatchRun, region_slug: str, top: int | None = None) -> list[dict]:
    try:
        ranks = g.areas_for_region(run_.graph, region_slug, top)
    except UnknownId as err:
        raise NotFound("region", region_slug, err.suggestions) from None
    out = []
    for rank in ranks:
        area = run_.area_rows.get(rank.area)
        out.append({
            "area_id": area.id if area else None,
            "area_slug": rank.area,
            "area_title": rank.label,
            "area_kind": area.kind if area else None,
            "organisation_slug": rank.organisation,
            "organisation_name": rank.organisation_label,
            "score": round(rank.score, 4),
            "decided": rank.decided,
            "priorities": [match_dict(m, run_) for m in rank.matches],
        })
    return out


def best_areas_per_priority(run_: MatchRun, region_slug: str, per_priority: int) -> dict[str, list[dict]]:
    """The best `per_priority` areas for each of the region's priorities, planners' decisions first, then by
    score and area title: `match_dict`'s fields (without the technical detail) and the area's organisation.
    Only the matches kept are put into words, which is where the time of a region's ranking goes."""
    try:
        ranks = g.areas_for_region(run_.graph, region_slug)
    except UnknownId as err:
        raise NotFound("region", region_slug, err.suggestions) from None
    found: dict[str, list[tuple[tuple, Match, str]]] = {}
    for rank in ranks:
        for m in rank.matches:
            area = run_.area_rows.get(m.area_id)
            title = area.title if area else m.area_id
            found.setdefault(m.priority_id, []).append(((not m.decided, -round(m.score, 4), title), m,
                                                        rank.organisation_label))
    out: dict[str, list[dict]] = {}
    for slug, rows in found.items():
        priority = run_.priority_rows.get(slug)
        out[slug] = [{
            "slug": slug, "title": priority.title if priority else slug, "area_slug": m.area_id,
            "area_title": key[2], "score": round(m.score, 4), "decision": m.decision,
            "explanation_sv": m.explanation_sv, "explanation_en": m.explanation_en, "organisation_name": organisation,
        } for key, m, organisation in sorted(rows, key=lambda row: row[0])[:per_priority]]
    return out


def regions_for_area(area_slug: str, top: int | None = None) -> list[dict]:
    """Regions to invite for a national/EU area, best first, each with its matching priorities
    (slug, title, score, explanation_sv, explanation_en). Unknown area: NotFound with close slugs."""
    run_ = run()
    return region_ranks(run_, run_.area_slug(area_slug), top)


def areas_for_region(region_key: str, top: int | None = None) -> list[dict]:
    """National and EU areas for a region (slug, county code or id), best first, with the
    organisation behind each and the region's matching priorities."""
    run_ = run()
    return area_ranks(run_, run_.region_slug(region_key), top)


def counts() -> dict[str, int]:
    """How many live regional priorities and national/EU areas there are."""
    from sqlalchemy import func, select

    from ..extensions import db
    from .models import Area, Priority

    return {
        "priorities": db.session.scalar(select(func.count(Priority.id)).where(Priority.archived.is_(False))),
        "areas": db.session.scalar(select(func.count(Area.id)).where(Area.archived.is_(False))),
    }


# --- a region's priorities and an organisation's areas ------------------------------------------------


def region_priorities(region: Region) -> list[Priority]:
    """The region's priorities that are not archived, by title."""
    return list(db.session.scalars(
        select(Priority).where(Priority.region_id == region.id, Priority.archived.is_(False)).order_by(Priority.title)
    ))


def organisation_areas(organisation: Organisation) -> list[Area]:
    """The organisation's national or EU areas that are not archived, by title."""
    return list(db.session.scalars(
        select(Area).where(Area.organisation_id == organisation.id, Area.archived.is_(False)).order_by(Area.title)
    ))


def priority_dict(priority: Priority) -> dict:
    return {
        "id": priority.id,
        "slug": priority.slug,
        "title": priority.title,
        "title_en": priority.title_en,
        "description": priority.description,
        "keywords": priority.keywords or [],
        "codes": priority.codes or {},
        "codes_origin": priority.codes_origin,
        "source": source_dict(priority),
    }


def area_dict(area: Area) -> dict:
    return {
        "id": area.id,
        "slug": area.slug,
        "title": area.title,
        "title_en": area.title_en,
        "kind": area.kind,
        "organisation": area.organisation.slug,
        "description": area.description,
        "keywords": area.keywords or [],
        "codes": area.codes or {},
        "codes_origin": area.codes_origin,
        "source": source_dict(area),
    }
