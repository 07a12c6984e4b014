"""`flask feeds refresh`: one pass over the funders' subscribed calendar feeds (fit for cron)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from . import feed_sync

feeds = AppGroup("feeds", help="Funders' subscribed calendar feeds.")


@feeds.command("refresh")
def refresh() -> None:
    """Fetch every feed that is due and import what changed.

    Exit status: 0 when every fetched feed was read (changed or not), 1 when any feed failed.
    """
    outcomes = feed_sync.refresh_subscribed_feeds()
    for outcome in outcomes:
        line = f"{outcome.funder_slug}: {outcome.status}"
        if outcome.counts:
            line += " (" + ", ".join(f"{k} {v}" for k, v in outcome.counts.items() if v) + ")"
        if outcome.error_en:
            line += f": {outcome.error_en}"
        click.echo(line)
    if not outcomes:
        click.echo("No feed is due.")
    if any(o.status == "error" for o in outcomes):
        sys.exit(1)


commands = [feeds]
