"""A ruling as PDF, and the register of agreed rulings as PDF and XLSX."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import and_, select

from ..extensions import db
from ..i18n import pick
from ..reports import tabular as tables
from ..reports.pdf import html_to_pdf
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


def ruling_pdf(ruling: Ruling, revision: RulingRevision, revisions: list[RulingRevision]) -> bytes:
    return html_to_pdf(render_template("stateaid/pdf/ruling.html", ruling=ruling, revision=revision,
                                       revisions=revisions, topic_label=topic_label))


def register_pdf(rows) -> bytes:
    return html_to_pdf(render_template("stateaid/pdf/register.html", rows=rows, topic_label=topic_label))


REGISTER_COLUMNS = ("Nummer", "Rubrik", "Fråga", "Slutsats", "Rättslig grund", "Ämnen", "Myndigheter", "Flaggkoder",
                    "Beslutsdag", "Gäller från", "Version")
REGISTER_WIDTHS = (14, 40, 60, 60, 36, 40, 28, 30, 12, 12, 8)


def register_table(rows) -> tables.Table:
    """The register as an XLSX workbook, one ruling a row."""
    table = [(ruling.number, rev.title, rev.question, rev.conclusion,
              "; ".join(b["citation"] for b in rev.legal_basis or []),
              "; ".join(topic_label(t) for t in rev.topics or []),
              ", ".join(rev.agencies or []), ", ".join(rev.flag_codes or []),
              rev.decided_on, rev.in_force_from, rev.number) for ruling, rev in rows]
    return tables.write(table, REGISTER_COLUMNS, "xlsx", title="Avgöranden", widths=REGISTER_WIDTHS,
                        wrap=True)


def register_xlsx(rows) -> bytes:
    return register_table(rows).body
