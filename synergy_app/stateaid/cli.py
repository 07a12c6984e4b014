"""``flask --app synergy_app check-project FILE [--format json|text] [--lang sv|en]``.

Exit codes: 0 no error flag, 1 at least one error flag, 2 the file itself is invalid (the field
is named on stderr) or the shipped rulesets or reference data cannot be read. Needs no database: the
check reads only the file and the shipped data, the same data the project page and the API use.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..reference.loader import ReferenceDataError
from .check import check_with_shipped_data
from .project_document import DocumentError, parse_project_document
from .rulesets import RulesetError
from .text_report import render_text

EXIT_OK, EXIT_ERROR_FLAGS, EXIT_INVALID = 0, 1, 2


@click.command("check-project")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the text report.")
def check_project_command(file: Path, output_format: str, lang: str) -> None:
    """Check a project file (YAML or JSON) against the State-aid rulesets."""
    try:
        doc = parse_project_document(file.read_bytes())
    except DocumentError as exc:
        message = exc.message_sv if lang == "sv" else exc.message_en
        click.echo(f"{file}: {exc.field or '<fil>'}: {message}", err=True)
        raise SystemExit(EXIT_INVALID) from exc
    try:
        result = check_with_shipped_data(doc)
    except RulesetError as exc:
        click.echo(f"ruleset: {exc}", err=True)
        raise SystemExit(EXIT_INVALID) from exc
    except ReferenceDataError as exc:
        click.echo(f"reference data: {exc}", err=True)
        raise SystemExit(EXIT_INVALID) from exc
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, lang), nl=False)
    raise SystemExit(EXIT_ERROR_FLAGS if result.has_errors else EXIT_OK)


commands = [check_project_command]
