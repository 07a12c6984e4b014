"""An application draft of a stored project for one funder, as the bytes of a file."""

from __future__ import annotations

from ..projects.models import Project
from . import canonical, exports
from .profiles import Profile


def filename(project: Project, profile: Profile, fmt: str) -> str:
    kind = "budget" if fmt == "xlsx" else "ansokan"
    return f"{kind}-{profile.funder}-projekt-{project.id}.{fmt}"


def export_bytes(project: Project, profile: Profile, fmt: str, language: str) -> bytes:
    if fmt == "xlsx":
        return exports.xlsx_bytes(canonical.budget_lines(project), profile, language)[0]
    texts = canonical.texts(project, language)
    render = exports.docx_bytes if fmt == "docx" else exports.pdf_bytes
    return render(project.title, profile, texts, language)
