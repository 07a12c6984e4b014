"""`flask seed`: load the reference data, and with --demo the demo layer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..contributions import DEMO_CONTENT, contributions
from ..reference.loader import ReferenceDataError
from .seed import seed_reference


def seed_demo_content() -> list[str]:
    """Every capability's demo content, in the order the app wires the capabilities; their summaries."""
    return [seed() for seed in contributions(DEMO_CONTENT)]


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add the demo layer: demo users for every role and demo content.")
@with_appcontext
def seed(demo: bool) -> None:
    """Load the shipped reference data (idempotent: a second run changes nothing)."""
    try:
        stats = seed_reference()
    except ReferenceDataError as exc:
        raise click.ClickException(f"reference data: {exc}") from exc
    click.echo("Reference data: " + (", ".join(f"{k} {v}" for k, v in sorted(stats.items())) or "unchanged"))
    if demo:
        summaries = seed_demo_content()
        # The demo logins (the accounts' summary, the first: everything builds on the accounts) last,
        # where a newcomer sees them.
        for summary in summaries[1:] + summaries[:1]:
            if summary:
                click.echo(summary)


commands = [seed]
