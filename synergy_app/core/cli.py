"""`flask seed`: load the reference data, and with --demo the demo layer."""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask.cli import with_appcontext

from ..reference.loader import ReferenceDataError
from ..reference.seed import seed_reference

# Demo content, in dependency order: (module, function) of each capability that has some.
DEMO_ORDER = (
    ("auth.demo", "seed_demo"),
    ("priorities.demo", "seed_demo"),
    ("calendar.demo", "seed_demo"),
    ("dialogues.demo", "seed_demo"),
    ("dialogues.demo_followup", "seed_demo_followup"),
    ("projects.demo", "seed_demo"),
    ("stateaid.demo", "seed_demo"),
    ("funding_profiles.demo", "seed_demo"),
)


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
        summaries = []
        for module_name, function in DEMO_ORDER:
            name = f"synergy_app.{module_name}"
            if importlib.util.find_spec(name) is None:
                continue
            summaries.append(getattr(importlib.import_module(name), function)())
        # The demo logins (the accounts' summary) last, where a newcomer sees them.
        for summary in summaries[1:] + summaries[:1]:
            if summary:
                click.echo(summary)


commands = [seed]
