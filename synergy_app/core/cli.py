"""`flask seed`: load the reference data, and with --demo the demo layer."""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask.cli import with_appcontext

from ..reference.loader import ReferenceDataError
from ..reference.seed import seed_reference

# Capabilities that contribute demo content, in dependency order; each has demo.seed_demo().
DEMO_ORDER = ("auth", "priorities", "calendar", "dialogues", "projects", "stateaid")


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
        for capability in DEMO_ORDER:
            name = f"synergy_app.{capability}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            summary = importlib.import_module(name).seed_demo()
            if summary:
                click.echo(summary)


commands = [seed]
