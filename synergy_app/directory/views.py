"""Directory pages: regions with their S3 areas, agencies with their areas, funders, clusters."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from ..auth.access import ANY_USER, allow
from . import dossier as dossiers
from . import dossier_export, queries
from . import labels as kind_labels

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
    return render_template("directory/region.html", region=region, priorities=queries.region_priorities(region),
                           dossier=dossiers.region_dossier(region), dx=dossier_export)


@bp.get("/regions/<key>/extract.<any(xlsx, csv):fmt>")
@allow(ANY_USER)
def region_extract(key: str, fmt: str):
    return _extract(dossiers.region_dossier(queries.region_by_key(key)), fmt)


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
    dossier = dossiers.agency_dossier(organisation) if dossiers.has_dossier(organisation) else None
    return render_template("directory/organisation.html", organisation=organisation,
                           areas=queries.organisation_areas(organisation), dossier=dossier, dx=dossier_export,
                           kind_labels=kind_labels)


@bp.get("/organisations/<slug>/extract.<any(xlsx, csv):fmt>")
@allow(ANY_USER)
def organisation_extract(slug: str, fmt: str):
    organisation = queries.organisation_by_slug(slug)
    if not dossiers.has_dossier(organisation):
        abort(404)
    return _extract(dossiers.agency_dossier(organisation), fmt)


def _extract(dossier: dossiers.Dossier, fmt: str) -> Response:
    """The dossier's sections as one XLSX (a sheet each) or one CSV, named after the dossier and the day."""
    parts = dossier_export.sections(dossier)
    if fmt == "xlsx":
        body, mime = dossier_export.xlsx_bytes(parts), dossier_export.XLSX_MIME
    else:
        body, mime = dossier_export.csv_bytes(parts), "text/csv; charset=utf-8"
    name = dossier_export.filename(dossier, fmt)
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/funders")
@allow(ANY_USER)
def funders():
    return render_template("directory/funders.html", funders=queries.funders())


@bp.get("/clusters")
@allow(ANY_USER)
def clusters():
    return render_template("directory/clusters.html", clusters=queries.clusters())
