"""Regions with their priorities and organisations with their areas, as JSON under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..auth.access import ANY_USER, allow
from ..directory import queries as directory
from ..directory.models import Region
from ..priorities import public as priorities

bp = Blueprint("dossiers_api", __name__, url_prefix="/api/v1")


def _region(region: Region) -> dict:
    rows = priorities.region_priorities(region)
    return {**directory.region_dict(region), "priorities": [priorities.priority_dict(p) for p in rows],
            "priorities_sourced": directory.coverage_dict(directory.priorities_coverage(region, rows))}


@bp.get("/regions")
@allow(ANY_USER)
def regions():
    return jsonify({"regions": [_region(r) for r in directory.all_regions()]})


@bp.get("/regions/<key>")
@allow(ANY_USER)
def region(key: str):
    return jsonify(_region(directory.region_by_key(key)))


@bp.get("/organisations/<slug>")
@allow(ANY_USER)
def organisation(slug: str):
    organisation = directory.organisation_by_slug(slug)
    data = directory.organisation_dict(organisation)
    areas = priorities.organisation_areas(organisation)
    data["areas"] = [priorities.area_dict(a) for a in areas]
    data["areas_sourced"] = directory.coverage_dict(directory.areas_coverage(organisation, areas))
    return jsonify(data)
