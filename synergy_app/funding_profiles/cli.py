"""`flask export-application`: a project's application draft for one funder, as DOCX, PDF or XLSX."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..projects import checking
from . import drafts, exports, report
from .profiles import default_profiles


def _refuse(field: str, message: str) -> None:
    click.echo(f"{field}: {message}", err=True)
    sys.exit(2)


@click.command("export-application")
@click.argument("project_id", type=str)
@click.option("--funder", "funder", required=True, help="The funder's profile slug, e.g. vinnova.")
@click.option("--format", "fmt", required=True, help="docx, pdf or xlsx.")
@click.option("--language", default="sv", show_default=True, help="sv or en.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: a name from the project and funder in the current folder).")
@with_appcontext
def export_application(project_id: str, funder: str, fmt: str, language: str, out: Path | None) -> None:
    """Write PROJECT_ID's application draft for --funder in --format."""
    project, profile = _project_and_profile(project_id, funder)
    if fmt not in exports.FORMATS:
        _refuse("--format", f"{fmt[:20]!r} is not one of {', '.join(exports.FORMATS)}")
    if language not in ("sv", "en"):
        _refuse("--language", "sv or en")
    content = drafts.export_bytes(project, profile, fmt, language)
    path = out or Path(drafts.filename(project, profile, fmt))
    path.write_bytes(content)
    click.echo(f"{path} ({len(content)} bytes)")


def _project_and_profile(project_id: str, funder: str):
    """The stored project and the funder's profile, or exit 2 naming the argument that is wrong."""
    if not project_id.isdigit() or int(project_id) > 2**31 - 1:
        _refuse("PROJECT_ID", f"not a project id: {project_id[:40]!r}")
    project = checking.load_project(int(project_id))
    if project is None:
        _refuse("PROJECT_ID", f"no project {project_id}")
    library = default_profiles()
    profile = library.get(funder)
    if profile is None:
        _refuse("--funder", f"no profile {funder[:40]!r}; known: {', '.join(library.funders())}")
    return project, profile


def _period(text: str) -> tuple[date, date]:
    try:
        first, last = text.split("..", 1)
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        _refuse("--period", "write it as YYYY-MM-DD..YYYY-MM-DD")
    if end < start:
        _refuse("--period", "ends before it starts")
    return start, end


@click.command("export-report")
@click.argument("project_id", type=str)
@click.option("--funder", "funder", required=True, help="The funder's profile slug, e.g. eruf-tillvaxtverket.")
@click.option("--period", "period", required=True, help="YYYY-MM-DD..YYYY-MM-DD")
@click.option("--format", "fmt", required=True, help="xlsx or pdf.")
@click.option("--language", default="sv", show_default=True, help="sv or en.")
@click.option("--indirect", "alternative", type=int, default=None,
              help="Number (from 1) of the profile's alternative indirect-cost rule, e.g. ERUF's 40 %% flat rate.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
def export_report(project_id: str, funder: str, period: str, fmt: str, language: str, alternative: int | None,
                  out: Path | None) -> None:
    """Write PROJECT_ID's follow-up report for --funder over --period: actual costs beside the budget, the
    funder's rate and share, and the state-aid flags the actual figures raise that the plan did not."""
    project, profile = _project_and_profile(project_id, funder)
    if alternative is not None and not 1 <= alternative <= len(profile.indirect.alternatives):
        _refuse("--indirect", f"{profile.funder} has {len(profile.indirect.alternatives)} alternative rule(s)")
    if fmt not in ("xlsx", "pdf"):
        _refuse("--format", f"{fmt[:20]!r} is not one of xlsx, pdf")
    if language not in ("sv", "en"):
        _refuse("--language", "sv or en")
    start, end = _period(period)
    render = report.report_xlsx if fmt == "xlsx" else report.report_pdf
    content = render(project, profile, start, end, language, None if alternative is None else alternative - 1)
    path = out or Path(f"rapport-{profile.funder}-projekt-{project.id}-{start}-{end}.{fmt}")
    path.write_bytes(content)
    click.echo(f"{path} ({len(content)} bytes)")


commands = [export_application, export_report]
