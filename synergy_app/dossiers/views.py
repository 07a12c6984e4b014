"""Region and agency pages under /directory/: the regions with their S3 areas, the agencies with their
areas, and each region's and national agency's dossier with its XLSX/CSV extract."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for

from ..auth.access import ANY_USER, allow
from ..directory import labels as kind_labels
from ..directory import queries as directory
from ..i18n import pick
from ..priorities import public as priorities
from ..reports import tabular as tables
from . import dossier as dossiers
from . import export

bp = Blueprint("dossiers", __name__, url_prefix="/directory")


@bp.get("/regions")
@allow(ANY_USER)
def regions():
    regions = directory.all_regions()
    areas = {r.id: priorities.region_priorities(r) for r in regions}
    return render_template("directory/regions.html", regions=regions, priorities=areas)


@bp.get("/regions/<key>")
@allow(ANY_USER)
def region(key: str):
    region = directory.region_by_key(key)
    dossier = dossiers.region_dossier(region, aligned=SECTION_ROWS)
    return render_template("directory/region.html", region=region, priorities=priorities.region_priorities(region),
                           dossier=dossier, summary=dossiers.summary(dossier), dx=export,
                           section_rows=SECTION_ROWS)


# The sections a dossier page lists in full on a page of their own ("show all").
LISTS = "any(dialogues, actions, calls, projects)"
# How many rows a section shows on the dossier itself; the rest are one click away on the section's page.
SECTION_ROWS = 20


@bp.get(f"/regions/<key>/<{LISTS}:section>")
@allow(ANY_USER)
def region_section(key: str, section: str):
    region = directory.region_by_key(key)
    dossier = dossiers.region_dossier(region, only=frozenset({section}))
    return render_template("directory/dossier_section.html", d=dossier, section=section, dx=export,
                           back=url_for("dossiers.region", key=key), name=region.name)


@bp.get("/regions/<key>/extract.<any(xlsx, csv):fmt>")
@allow(ANY_USER)
def region_extract(key: str, fmt: str):
    return _extract(dossiers.region_dossier(directory.region_by_key(key)), fmt)


@bp.get("/agencies")
@allow(ANY_USER)
def agencies():
    agencies = directory.organisations("national_agency") + directory.organisations("eu_body")
    areas = {a.id: priorities.organisation_areas(a) for a in agencies}
    return render_template("directory/agencies.html", agencies=agencies, areas=areas)


@bp.get("/organisations/<slug>")
@allow(ANY_USER)
def organisation(slug: str):
    organisation = directory.organisation_by_slug(slug)
    dossier = (dossiers.agency_dossier(organisation, aligned=SECTION_ROWS) if dossiers.has_dossier(organisation)
               else None)
    return render_template("directory/organisation.html", organisation=organisation,
                           areas=priorities.organisation_areas(organisation), dossier=dossier, dx=export,
                           summary=dossiers.summary(dossier) if dossier else None, kind_labels=kind_labels,
                           section_rows=SECTION_ROWS)


@bp.get(f"/organisations/<slug>/<{LISTS}:section>")
@allow(ANY_USER)
def organisation_section(slug: str, section: str):
    organisation = directory.organisation_by_slug(slug)
    if not dossiers.has_dossier(organisation):
        abort(404)
    dossier = dossiers.agency_dossier(organisation, only=frozenset({section}))
    return render_template("directory/dossier_section.html", d=dossier, section=section, dx=export,
                           back=url_for("dossiers.organisation", slug=slug),
                           name=pick(organisation.name, organisation.name_en or organisation.name))


@bp.get("/organisations/<slug>/extract.<any(xlsx, csv):fmt>")
@allow(ANY_USER)
def organisation_extract(slug: str, fmt: str):
    organisation = directory.organisation_by_slug(slug)
    if not dossiers.has_dossier(organisation):
        abort(404)
    return _extract(dossiers.agency_dossier(organisation), fmt)


def _extract(dossier: dossiers.Dossier, fmt: str) -> Response:
    """The dossier's sections as one XLSX (a sheet each) or one CSV, named after the dossier and the day."""
    parts = export.sections(dossier)
    if fmt == "xlsx":
        table = tables.Table(export.xlsx_bytes(parts), tables.XLSX_MIME, "xlsx")
    else:
        table = tables.Table(export.csv_bytes(parts), tables.CSV_MIME, "csv")
    return tables.response(table, export.filename(dossier, fmt))
