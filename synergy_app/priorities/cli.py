"""`flask --app synergy_app match --area <slug> | --region <slug> [--format json|text] [--top N]`."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..errors import InputError, NotFound
from .matching_service import run
from .public import area_ranks, region_ranks


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


@click.command("match")
@click.option("--area", "area", help="Area slug (or id): the regions to invite, ranked.")
@click.option("--region", "region", help="Region slug, county code or id: the national and EU areas, ranked.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the N best.")
@with_appcontext
def match(area: str | None, region: str | None, fmt: str, top: int | None) -> None:
    """Rank regions for a national/EU area, or areas for a region, with the reason for each score."""
    if bool(area) == bool(region):
        _fail("give exactly one of --area and --region")
    try:
        run_ = run()
        if area:
            slug = run_.area_slug(area)
            ranks, label_key = region_ranks(run_, slug, top), "region_name"
            heading = f"Regions for {run_.area_rows[slug].title} ({slug})"
            result = {"area": slug, "regions": ranks}
        else:
            slug = run_.region_slug(region)
            ranks, label_key = area_ranks(run_, slug, top), "area_title"
            heading = f"Areas for {run_.regions[slug].name} ({slug})"
            result = {"region": slug, "areas": ranks}
    except NotFound as err:
        hint = f"; did you mean: {', '.join(err.suggestions)}?" if err.suggestions else ""
        _fail(f"unknown {err.what} '{err.key}'{hint}")
        return
    except InputError as err:
        _fail(str(err))
        return
    for rank in ranks:
        for p in rank["priorities"]:
            p.pop("detail", None)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(heading)
    if not ranks:
        click.echo("  (no matches)")
    for i, rank in enumerate(ranks, 1):
        extra = f" – {rank['organisation_name']}" if "organisation_name" in rank else ""
        decided = " [confirmed]" if rank["decided"] else ""
        click.echo(f"{i:>3}. {rank[label_key]}{extra}  {rank['score']:.2f}{decided}")
        for p in rank["priorities"]:
            click.echo(f"       {p['title']} ({p['score']:.2f}): {p['explanation_en']}")


commands = [match]
