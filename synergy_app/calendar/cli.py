"""`flask import-calls FILE --funder <slug> [--dry-run]`: the same preview and all-or-nothing save as the web."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..errors import Conflict, InputError, NotFound
from . import queries, service


@click.command("import-calls")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--funder", "funder_slug", default=None,
              help="The funder's slug (required for ICS; for CSV/XLSX the default for rows without a funder).")
@click.option("--format", "file_kind", type=click.Choice(service.FILE_KINDS), default=None,
              help="File type; by default from the file name.")
@click.option("--dry-run", is_flag=True, help="Only check the file and show what would change.")
@with_appcontext
def import_calls(file: Path, funder_slug: str | None, file_kind: str | None, dry_run: bool) -> None:
    """Import calls from an ICS, CSV or XLSX file.

    Exit status: 0 saved (or valid in a dry run), 1 rows rejected (nothing saved), 2 bad usage.
    """
    if not file.exists():
        click.echo(f"error: file not found: {file}", err=True)
        sys.exit(2)
    kind = _checked_kind(file, funder_slug, file_kind)
    content = file.read_bytes()
    preview = service.preview_import(content, kind, funder_slug)
    _echo_preview(preview)
    counts = preview.counts()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    if not preview.ok:
        click.echo(f"Rejected: nothing saved ({summary or 'no rows'}).")
        sys.exit(1)
    if dry_run:
        click.echo(f"Dry run: nothing saved ({summary}).")
        return
    try:
        service.import_file(content, kind, funder_slug, actor="cli", filename=file.name)
    except Conflict as exc:  # the same calls saved elsewhere at the same moment, even after checking again
        click.echo(f"error: {exc.error.message_en}", err=True)
        sys.exit(1)
    click.echo(f"Saved: {summary}.")


def _checked_kind(file: Path, funder_slug: str | None, file_kind: str | None) -> str:
    """The file's kind, with the funder checked; bad usage ends the command with status 2."""
    try:
        kind = service.file_kind_for(file.name, file_kind)
        if funder_slug:
            queries.funder_by_slug(funder_slug)
        elif kind == "ics":
            click.echo("error: --funder is required for an ICS file", err=True)
            sys.exit(2)
    except NotFound as exc:
        hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        click.echo(f"error: unknown funder '{exc.key}'.{hint}", err=True)
        sys.exit(2)
    except InputError as exc:
        click.echo(f"error: {exc.first.message_en}", err=True)
        sys.exit(2)
    return kind


def _echo_preview(preview) -> None:
    for err in preview.file_errors:
        click.echo(f"file: {err.field}: {err.message_en}")
    for row in preview.rows:
        title = row.call.title if row.call else (row.identity or "")
        click.echo(f"row {row.row_number}: {row.action.value:<9} {title}")
        for err in row.errors:
            click.echo(f"  error {err.field}: {err.message_en}")
        for warning in row.warnings:
            click.echo(f"  warning {warning.field}: {warning.message_en}")


commands = [import_calls]
