"""``flask --app synergy_app check-project FILE... [--format json|text] [--lang sv|en] [--jobs N]``.

One FILE: exit codes 0 no error flag, 1 at least one error flag, 2 the file itself is invalid (the
field is named on stderr) or the shipped rulesets or reference data cannot be read. Needs no database:
the check reads only the file and the shipped data, the same data the project page and the API use.

Several FILEs or a directory (its ``*.yaml``, ``*.yml`` and ``*.json`` files, by name, not its
subfolders): the files are checked in ``--jobs`` worker processes (default: the CPUs available; 1 checks
in this process) and reported in the order given; the output and the exit code are described in
``batch_check``: 2 if any file is invalid or could not be checked, else 1 if any has an error flag, else 0.
"""

from __future__ import annotations

from pathlib import Path

import click

from .batch_check import EXIT_INVALID, FAILED, INVALID, batch_json, batch_text, check_files, exit_code, project_files


@click.command("check-project")
@click.argument("files", metavar="FILE...", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the text report.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for several files (default: the CPUs available; 1: no workers).")
def check_project_command(files: tuple[Path, ...], output_format: str, lang: str, jobs: int | None) -> None:
    """Check project files (YAML or JSON) against the State-aid rulesets.

    FILE may be a directory: its *.yaml, *.yml and *.json files are checked."""
    if len(files) == 1 and not files[0].is_dir():
        _single(files[0], output_format, lang)
    paths = project_files(files)
    if not paths:
        raise click.UsageError("no project files (*.yaml, *.yml, *.json) in " + ", ".join(map(str, files)))
    outcomes = check_files(paths, jobs=jobs, lang=lang, output_format=output_format)
    for outcome in outcomes:
        if outcome.status in (INVALID, FAILED):
            click.echo(outcome.stderr_line(), err=True)
    if output_format == "json":
        click.echo(batch_json(outcomes))
    else:
        click.echo(batch_text(outcomes, lang), nl=False)
    raise SystemExit(exit_code(outcomes))


def _single(file: Path, output_format: str, lang: str) -> None:
    """One file, reported alone: the output the command has always given for one file."""
    outcome = check_files([file], jobs=1, lang=lang, output_format=output_format)[0]
    if outcome.status in (INVALID, FAILED):
        click.echo(outcome.stderr_line(), err=True)
        raise SystemExit(EXIT_INVALID)
    click.echo(outcome.report, nl=output_format == "json")
    raise SystemExit(outcome.exit_code)


commands = [check_project_command]
