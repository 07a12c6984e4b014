"""Application drafts per funder: the description as DOCX or PDF in the funder's section order with its
limits noted, and the budget as XLSX in the funder's categories with each conversion on its own sheet."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from decimal import Decimal

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font

from ..money import format_sek
from .conversion import ROUNDING, BudgetLine, FunderBudget, convert
from .profiles import Profile

FORMATS = ("docx", "pdf", "xlsx")
MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
UNVERIFIED = {"sv": "ej verifierad mot källan", "en": "not verified against the source"}
WORDS = {
    "sv": {"limit": "Gräns", "characters": "tecken", "words": "ord", "now": "nu", "over": "över gränsen med",
           "empty": "(inte skrivet ännu)", "required": "obligatoriskt", "optional": "frivilligt",
           "own": "Frågan ställs bara av denna finansiär; skriv svaret här.", "draft": "Ansökningsutkast",
           "budget": "Budget", "partner": "Part", "total": "Summa", "conversions": "Omräkningar",
           "canonical": "Projektets budget (kanonisk)", "funder_total": "Finansiärens budget",
           "difference": "Skillnad", "rule": "Regel", "source": "Källa", "verified": "Verifierad",
           "reconcile": "Avstämning", "yes": "ja", "no": "nej", "amount_ore": "Belopp (öre)",
           "from_ore": "Från (öre)", "to_ore": "Till (öre)", "category": "Kategori",
           "sum_steps": "Summa av omräkningarnas skillnader",
           "check": "Kanonisk summa + skillnader = finansiärens summa"},
    "en": {"limit": "Limit", "characters": "characters", "words": "words", "now": "now", "over": "over the limit by",
           "empty": "(not written yet)", "required": "required", "optional": "optional",
           "own": "Only this funder asks this; write the answer here.", "draft": "Application draft",
           "budget": "Budget", "partner": "Partner", "total": "Total", "conversions": "Conversions",
           "canonical": "The project's budget (canonical)", "funder_total": "The funder's budget",
           "difference": "Difference", "rule": "Rule", "source": "Source", "verified": "Verified",
           "reconcile": "Reconciliation", "yes": "yes", "no": "no", "amount_ore": "Amount (öre)",
           "from_ore": "From (öre)", "to_ore": "To (öre)", "category": "Category",
           "sum_steps": "Sum of the conversions' differences", "check": "Canonical total + differences = funder total"},
}


@dataclass(frozen=True)
class DraftSection:
    heading: str
    required: bool
    text: str
    note: str  # the limit and how far the text is from it; empty when no limit


def draft_sections(profile: Profile, texts: dict[str, str], language: str) -> list[DraftSection]:
    """The funder's sections in its order, filled from the canonical ones, with the limit noted (never cut)."""
    from .matrix import section_text  # noqa: PLC0415 - keeps the module graph one-way at import

    w = WORDS[language]
    out = []
    for section in profile.sections:
        text = section_text(section, texts) if section.covers else ""
        note = ""
        if section.limit:
            length = section.limit.measure(text)
            unit = w[section.limit.unit]
            note = f"{w['limit']}: {section.limit.value} {unit} ({w['now']} {length})"
            if length > section.limit.value:
                note += f" – {w['over']} {length - section.limit.value} {unit}"
            if not section.limit.sourced.verified:
                note += f" – {UNVERIFIED[language]}"
        if not section.covers:
            text = text or w["own"]
        out.append(DraftSection(section.name[language], section.required, text, note))
    return out


def docx_bytes(project_title: str, profile: Profile, texts: dict[str, str], language: str) -> bytes:
    w = WORDS[language]
    document = Document()
    document.add_heading(f"{w['draft']}: {profile.title[language]}", level=0)
    document.add_paragraph(project_title)
    for section in draft_sections(profile, texts, language):
        document.add_heading(section.heading, level=1)
        meta = w["required"] if section.required else w["optional"]
        document.add_paragraph().add_run(f"{meta}{' · ' + section.note if section.note else ''}").italic = True
        for paragraph in (section.text or w["empty"]).split("\n\n"):
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def draft_html(project_title: str, profile: Profile, texts: dict[str, str], language: str) -> str:
    w = WORDS[language]
    parts = [f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{html.escape(project_title)}"
             "</title></head><body>", f"<h1>{html.escape(w['draft'])}: {html.escape(profile.title[language])}</h1>",
             f"<p>{html.escape(project_title)}</p>"]
    for section in draft_sections(profile, texts, language):
        meta = w["required"] if section.required else w["optional"]
        parts.append(f"<h2>{html.escape(section.heading)}</h2><p><em>{html.escape(meta)}"
                     f"{html.escape(' · ' + section.note) if section.note else ''}</em></p>")
        parts += [f"<p>{html.escape(p)}</p>" for p in (section.text or w["empty"]).split("\n\n")]
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(document_html: str) -> bytes:
    """HTML to PDF in one place, so that a shared PDF helper can replace it."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only when a PDF is asked for

    return HTML(string=document_html).write_pdf()


def pdf_bytes(project_title: str, profile: Profile, texts: dict[str, str], language: str) -> bytes:
    return render_pdf(draft_html(project_title, profile, texts, language))


def _kronor(ore: int) -> Decimal:
    return Decimal(ore) / 100


def xlsx_bytes(lines: list[BudgetLine], profile: Profile, language: str) -> tuple[bytes, FunderBudget]:
    """The budget in the funder's categories (sheet 1), each conversion (sheet 2), the reconciliation (sheet 3)."""
    w = WORDS[language]
    budget = convert(lines, profile)
    book = Workbook()
    sheet = book.active
    sheet.title = w["budget"]
    categories = budget.categories()
    used = [key for key in categories if any(k == key for _p, k in budget.amounts)]
    sheet.append([profile.title[language]])
    sheet["A1"].font = Font(bold=True)
    sheet.append([w["partner"], *[budget.category_name(k, language) for k in used], w["total"]])
    for partner in budget.partners():
        row = [budget.amounts.get((partner, k), 0) for k in used]
        sheet.append([partner, *[_kronor(ore) for ore in row], _kronor(sum(row))])
    totals = budget.by_category()
    sheet.append([w["total"], *[_kronor(totals.get(k, 0)) for k in used], _kronor(budget.total_ore)])
    sheet.append([])
    sheet.append([f"SEK; {w['amount_ore']}: {budget.total_ore}"])
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            cell.number_format = "#,##0.00"

    steps = book.create_sheet(w["conversions"])
    steps.append([w["partner"], w["category"], w["rule"], w["from_ore"], w["to_ore"], w["difference"], w["source"],
                  w["verified"]])
    for step in budget.steps:
        source = step.source
        cited = f"{source.source['title']} <{source.source['url']}> ({source.source['retrieved']})" if source else ""
        verified = (w["yes"] if source.verified else f"{w['no']} – {UNVERIFIED[language]}") if source else ""
        steps.append([step.partner, step.category, step.text[language], step.from_ore, step.to_ore, step.difference,
                      cited, verified])
    steps.append([])
    steps.append([ROUNDING[language]])

    check = book.create_sheet(w["reconcile"])
    difference = sum(s.difference for s in budget.steps)
    check.append([w["canonical"], budget.canonical_total_ore, format_sek(budget.canonical_total_ore, language)])
    check.append([w["sum_steps"], difference, format_sek(difference, language)])
    check.append([w["funder_total"], budget.total_ore, format_sek(budget.total_ore, language)])
    check.append([w["check"], w["yes"] if budget.reconciles else w["no"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), budget
