"""A ruling as PDF, and the register of agreed rulings as PDF and XLSX."""

from __future__ import annotations

from io import BytesIO

from flask import render_template
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import and_, select

from ..extensions import db
from ..formatting import spreadsheet_safe
from ..i18n import pick
from .models import TOPICS, Ruling, RulingRevision

REGISTER_LIMIT = 5000


def agreed_register() -> list[tuple[Ruling, RulingRevision]]:
    """Every agreed ruling with its current revision, by number (bounded)."""
    return list(db.session.execute(
        select(Ruling, RulingRevision)
        .join(RulingRevision, and_(RulingRevision.ruling_id == Ruling.id,
                                   RulingRevision.number == Ruling.current_number))
        .where(Ruling.status == "agreed").order_by(Ruling.number).limit(REGISTER_LIMIT)).all())


def topic_label(code: str) -> str:
    sv, en = TOPICS.get(code, (code, code))
    return pick(sv, en)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def ruling_pdf(ruling: Ruling, revision: RulingRevision, revisions: list[RulingRevision]) -> bytes:
    return _pdf(render_template("stateaid/pdf/ruling.html", ruling=ruling, revision=revision, revisions=revisions,
                                topic_label=topic_label))


def register_pdf(rows) -> bytes:
    return _pdf(render_template("stateaid/pdf/register.html", rows=rows, topic_label=topic_label))


def register_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Avgöranden"
    headers = ["Nummer", "Rubrik", "Fråga", "Slutsats", "Rättslig grund", "Ämnen", "Myndigheter", "Flaggkoder",
               "Beslutsdag", "Gäller från", "Version"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for ruling, rev in rows:
        ws.append([spreadsheet_safe(value) for value in (
            ruling.number, rev.title, rev.question, rev.conclusion,
            "; ".join(b["citation"] for b in rev.legal_basis or []),
            "; ".join(topic_label(t) for t in rev.topics or []),
            ", ".join(rev.agencies or []), ", ".join(rev.flag_codes or []),
            rev.decided_on, rev.in_force_from, rev.number,
        )])
    widths = [14, 40, 60, 60, 36, 40, 28, 30, 12, 12, 8]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (row[8], row[9]):
            cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
