"""Application drafts per funder: the description as DOCX or PDF in the funder's section order with its
limits noted, and the budget as XLSX in the funder's categories with each conversion on its own sheet."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

from docx import Document

from ..money import format_sek, ore_to_kronor
from ..reports import tabular as tables
from ..reports.pdf import PDF_MIME, html_to_pdf
from .conversion import ROUNDING, BudgetLine, FunderBudget, convert
from .profiles import Profile

FORMATS = ("docx", "pdf", "xlsx")
MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": PDF_MIME, "xlsx": tables.XLSX_MIME}
UNVERIFIED = {"sv": "ej verifierad mot källan", "en": "not verified against the source"}
WORDS = {
    "sv": {"limit": "Gräns", "characters": "tecken", "words": "ord", "now": "nu", "over": "över gränsen med",
           "empty": "(inte skrivet ännu)", "required": "obligatoriskt", "optional": "frivilligt",
           "own": "Frågan ställs bara av denna finansiär; skriv svaret här.", "draft": "Ansökningsutkast",
           "budget": "Budget", "partner": "Part", "total": "Summa", "conversions": "Omräkningar",
           "canonical": "Projektets budget (kanonisk)", "funder_total": "Finansiärens budget",
           "difference": "Skillnad", "rule": "Regel", "source": "Källa", "verified": "Verifierad",
           "reconcile": "Avstämning", "yes": "ja", "no": "nej", "amount_ore": "Belopp (öre)",
           "from_ore": "Från (kr)", "to_ore": "Till (kr)", "category": "Kategori",
           "sum_steps": "Summa av omräkningarnas skillnader",
           "check": "Kanonisk summa + skillnader = finansiärens summa"},
    "en": {"limit": "Limit", "characters": "characters", "words": "words", "now": "now", "over": "over the limit by",
           "empty": "(not written yet)", "required": "required", "optional": "optional",
           "own": "Only this funder asks this; write the answer here.", "draft": "Application draft",
           "budget": "Budget", "partner": "Partner", "total": "Total", "conversions": "Conversions",
           "canonical": "The project's budget (canonical)", "funder_total": "The funder's budget",
           "difference": "Difference", "rule": "Rule", "source": "Source", "verified": "Verified",
           "reconcile": "Reconciliation", "yes": "yes", "no": "no", "amount_ore": "Amount (öre)",
           "from_ore": "From (SEK)", "to_ore": "To (SEK)", "category": "Category",
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


def pdf_bytes(project_title: str, profile: Profile, texts: dict[str, str], language: str) -> bytes:
    return html_to_pdf(draft_html(project_title, profile, texts, language))


def xlsx_bytes(lines: list[BudgetLine], profile: Profile, language: str) -> tuple[bytes, FunderBudget]:
    """The budget in the funder's categories (sheet 1), each conversion (sheet 2), the reconciliation (sheet 3)."""
    budget = convert(lines, profile)
    sheets = [_budget_sheet(budget, profile, language), _steps_sheet(budget, language),
              _reconciliation_sheet(budget, language)]
    return tables.xlsx_bytes(sheets), budget


def _budget_sheet(budget: FunderBudget, profile: Profile, language: str) -> tables.Sheet:
    w = WORDS[language]
    used = [key for key in budget.categories() if any(k == key for _p, k in budget.amounts)]
    rows: list[list] = []
    for partner in budget.partners():
        row = [budget.amounts.get((partner, k), 0) for k in used]
        rows.append([partner, *[ore_to_kronor(ore) for ore in row], ore_to_kronor(sum(row))])
    totals = budget.by_category()
    rows.append([w["total"], *[ore_to_kronor(totals.get(k, 0)) for k in used], ore_to_kronor(budget.total_ore)])
    rows += [[], [profile.title[language]], [f"SEK; {w['amount_ore']}: {budget.total_ore}"]]
    return tables.Sheet(w["budget"], [w["partner"], *[budget.category_name(k, language) for k in used], w["total"]],
                        rows)


def _steps_sheet(budget: FunderBudget, language: str) -> tables.Sheet:
    w = WORDS[language]
    rows: list[list] = []
    for step in budget.steps:
        source = step.source
        cited = f"{source.source['title']} <{source.source['url']}> ({source.source['retrieved']})" if source else ""
        verified = (w["yes"] if source.verified else f"{w['no']} – {UNVERIFIED[language]}") if source else ""
        rows.append([step.partner, step.category, step.text[language], ore_to_kronor(step.from_ore),
                     ore_to_kronor(step.to_ore), ore_to_kronor(step.difference), cited, verified])
    rows += [[], [ROUNDING[language]]]
    return tables.Sheet(w["conversions"], [w["partner"], w["category"], w["rule"], w["from_ore"], w["to_ore"],
                                           w["difference"], w["source"], w["verified"]], rows)


def _reconciliation_sheet(budget: FunderBudget, language: str) -> tables.Sheet:
    w = WORDS[language]
    difference = sum(s.difference for s in budget.steps)
    rows = [[w["canonical"], budget.canonical_total_ore, format_sek(budget.canonical_total_ore, language)],
            [w["sum_steps"], difference, format_sek(difference, language)],
            [w["funder_total"], budget.total_ore, format_sek(budget.total_ore, language)],
            [w["check"], w["yes"] if budget.reconciles else w["no"]]]
    return tables.Sheet(w["reconcile"], [w["reconcile"], w["amount_ore"], "SEK"], rows, widths=[50, 18, 22])
