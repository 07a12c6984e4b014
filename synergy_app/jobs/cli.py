"""`flask worker` and `flask run-periodic`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..notify import delivery
from . import periodic, worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
@click.option("--name", default=None, help="The worker's name in RQ (default: generated).")
@with_appcontext
def worker_command(burst: bool, name: str | None) -> None:
    """Run an RQ worker (REDIS_URL) and its scheduler of periodic jobs."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis, run `flask run-periodic` from cron.")
    worker.run(current_app._get_current_object(), burst=burst, name=name)


@click.command("run-periodic")
@click.option("--dry-run", is_flag=True, help="Print what would be sent, change nothing.")
@with_appcontext
def run_periodic_command(dry_run: bool) -> None:
    """One pass of the periodic jobs (reminders, follow-ups, deadlines), then send what is due."""
    rows = periodic.run_pass(dry_run=dry_run)
    verb = "would send" if dry_run else "queued"
    for row in rows:
        click.echo(f"{verb}: {row['kind']} to {row['recipient']} ({row['locale']}) [{row['event_key']}]")
    if dry_run:
        click.echo(f"{len(rows)} message(s) would be sent; nothing was changed.")
        return
    outcome = delivery.drain()
    click.echo(f"{len(rows)} new message(s); sent {outcome.sent}, to retry {outcome.retried}, "
               f"failed {outcome.failed}.")


commands = [worker_command, run_periodic_command]
