"""`flask outbox list|resend ID`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from . import delivery, outbox, service
from .models import STATUSES, OutboxMessage


@click.group("outbox")
def outbox_group() -> None:
    """The outbox of e-mail messages."""


@outbox_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50)
@with_appcontext
def list_command(status: str | None, limit: int) -> None:
    """The newest messages: id, status, attempts, kind, recipient, last error."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    for row in db.session.scalars(stmt):
        error = f"  {row.last_error}" if row.last_error else ""
        click.echo(f"{row.id}\t{row.status}\t{row.attempts}\t{row.kind}\t{row.recipient_email}{error}")


@outbox_group.command("resend")
@click.argument("message_id", type=int)
@with_appcontext
def resend_command(message_id: int) -> None:
    """Send a message again (a failed one, or a sent one on purpose)."""
    row = service.resend(message_id, actor="cli")
    if row is None:
        raise click.ClickException(f"no message with id {message_id}")
    if not current_app.config.get("REDIS_URL"):
        delivery.deliver(outbox.take_committed())  # no queue: send it from here
        db.session.refresh(row)
    click.echo(f"message {row.id}: {row.status}")


commands = [outbox_group]
