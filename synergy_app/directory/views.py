"""Directory pages: regions with their S3 areas, agencies with their areas, funders, clusters."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.access import ANY_USER, allow
from . import queries

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/regions")
@allow(ANY_USER)
def regions():
    regions = queries.all_regions()
    priorities = {r.id: queries.region_priorities(r) for r in regions}
    return render_template("directory/regions.html", regions=regions, priorities=priorities)


@bp.get("/regions/<key>")
@allow(ANY_USER)
def region(key: str):
    region = queries.region_by_key(key)
    return render_template("directory/region.html", region=region, priorities=queries.region_priorities(region))


@bp.get("/agencies")
@allow(ANY_USER)
def agencies():
    agencies = queries.organisations("national_agency") + queries.organisations("eu_body")
    areas = {a.id: queries.organisation_areas(a) for a in agencies}
    return render_template("directory/agencies.html", agencies=agencies, areas=areas)


@bp.get("/organisations/<slug>")
@allow(ANY_USER)
def organisation(slug: str):
    organisation = queries.organisation_by_slug(slug)
    return render_template("directory/organisation.html", organisation=organisation,
                           areas=queries.organisation_areas(organisation))


@bp.get("/funders")
@allow(ANY_USER)
def funders():
    return render_template("directory/funders.html", funders=queries.funders())


@bp.get("/clusters")
@allow(ANY_USER)
def clusters():
    return render_template("directory/clusters.html", clusters=queries.clusters())
