"""Follow-up reports per funder: the period's actual costs, entered once, in the funder's categories
and rules, beside the budget, per partner (XLSX, or PDF through the same small HTML→PDF function)."""

from __future__ import annotations

import html
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..money import format_sek
from ..projects.models import Project
from ..reports import tabular as tables
from ..reports.pdf import html_to_pdf
from . import canonical
from .conversion import ROUNDING, BudgetLine, convert
from .exports import UNVERIFIED
from .models import ActualCost
from .profiles import Profile

HEAD = {"sv": ["Part", "Kategori", "Budget (öre)", "Utfall (öre)", "Kvar (öre)"],
        "en": ["Partner", "Category", "Budget (öre)", "Actual (öre)", "Remaining (öre)"]}
STEPS_HEAD = {"sv": ["Part", "Regel", "Från (öre)", "Till (öre)", "Anmärkning"],
              "en": ["Partner", "Rule", "From (öre)", "To (öre)", "Note"]}


def actual_lines(project: Project, start: date, end: date) -> list[BudgetLine]:
    """The actual costs of periods lying within ``start``..``end``, as lines the conversion reads."""
    rows = db.session.scalars(select(ActualCost).where(
        ActualCost.project_id == project.id, ActualCost.period_start >= start, ActualCost.period_end <= end)
        .order_by(ActualCost.id))
    return [BudgetLine(row.partner.name, "actual", row.cost_type, row.amount_ore) for row in rows]


def report_rows(project: Project, profile: Profile, start: date, end: date, language: str):
    budget = convert(canonical.budget_lines(project), profile)
    actual = convert(actual_lines(project, start, end), profile)
    keys = list(dict.fromkeys([*budget.amounts, *actual.amounts]))
    rows = [(partner, budget.category_name(key, language), budget.amounts.get((partner, key), 0),
             actual.amounts.get((partner, key), 0)) for partner, key in keys]
    return rows, budget, actual


def report_xlsx(project: Project, profile: Profile, start: date, end: date, language: str) -> bytes:
    """The period beside the budget per partner and category (sheet 1), the conversions of the actuals (sheet 2)."""
    rows, budget, actual = report_rows(project, profile, start, end, language)
    title = f"{profile.title[language]} · {project.title} · {start.isoformat()}..{end.isoformat()}"
    lines: list[list] = [[partner, name, planned, spent, planned - spent] for partner, name, planned, spent in rows]
    lines.append(["Summa" if language == "sv" else "Total", "", budget.total_ore, actual.total_ore,
                  budget.total_ore - actual.total_ore])
    report = tables.Sheet("Rapport" if language == "sv" else "Report", HEAD[language], lines, notes={0: title})
    steps = [[step.partner, step.text[language], step.from_ore, step.to_ore,
              "" if not step.source or step.source.verified else UNVERIFIED[language]] for step in actual.steps]
    steps.append([ROUNDING[language]])
    conversions = tables.Sheet("Omräkningar" if language == "sv" else "Conversions", STEPS_HEAD[language], steps)
    return tables.xlsx_bytes([report, conversions])


def report_pdf(project: Project, profile: Profile, start: date, end: date, language: str) -> bytes:
    rows, budget, actual = report_rows(project, profile, start, end, language)
    head = "".join(f"<th scope='col'>{html.escape(h.replace(' (öre)', ''))}</th>" for h in HEAD[language])
    body = "".join(f"<tr><td>{html.escape(p)}</td><td>{html.escape(n)}</td><td>{format_sek(b, language)}</td>"
                   f"<td>{format_sek(a, language)}</td><td>{format_sek(b - a, language)}</td></tr>"
                   for p, n, b, a in rows)
    title = html.escape(f"{profile.title[language]}: {project.title} ({start.isoformat()}..{end.isoformat()})")
    return html_to_pdf(f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{title}</title>"
                      f"</head><body><h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                      f"</table><p>{format_sek(actual.total_ore, language)}</p></body></html>")
