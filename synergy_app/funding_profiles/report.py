"""Follow-up reports per funder: the period's actual costs, entered once, in the funder's categories
and rules, beside the budget, per partner (XLSX, or PDF through the same small HTML→PDF function)."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..money import format_percent, format_sek, ore_to_kronor
from ..projects.models import Project
from ..reports import tabular as tables
from ..reports.pdf import html_to_pdf
from . import canonical
from .actuals_check import ActualsCheck, check_actuals
from .conversion import ROUNDING, BudgetLine, FunderBudget, convert, round_ore
from .exports import UNVERIFIED
from .periods import CoFinancing, ProgrammeRate, co_financing
from .profiles import Profile, default_profiles

# Amounts in kronor as exact decimals (two decimals, the cell formatted so), as a funder's system takes them.
HEAD = {"sv": ["Part", "Kategori", "Budget (kr)", "Utfall (kr)", "Kvar (kr)"],
        "en": ["Partner", "Category", "Budget (SEK)", "Actual (SEK)", "Remaining (SEK)"]}
STEPS_HEAD = {"sv": ["Part", "Regel", "Från (kr)", "Till (kr)", "Anmärkning"],
              "en": ["Partner", "Rule", "From (SEK)", "To (SEK)", "Note"]}
FLAGS_HEAD = {"sv": ["Kod", "Allvar", "Part", "Kategori", "Vad utfallet bryter mot"],
              "en": ["Code", "Severity", "Partner", "Category", "What the actuals break"]}
WORDS = {
    "sv": {"period": "Period", "periods": "Rapportperiod enligt profilen", "months": "månader",
           "rate": "Medfinansieringsgrad", "basis": "enligt", "claim": "Finansiärens del av utfallet",
           "decision": "sätts i beslutet", "flags": "Statsstöd på utfallet", "no_flags":
           "Utfallet bryter inte mot något som planen klarade.", "not_checked": "Kontrollen kunde inte köras",
           "share": "Andel av projekttiden (offentlig finansiering i proportion)", "total": "Summa",
           "indirect": "Regel för indirekta kostnader", "only_en": "(finns bara på engelska)"},
    "en": {"period": "Period", "periods": "Reporting period in the profile", "months": "months",
           "rate": "Co-financing rate", "basis": "from", "claim": "The funder's share of the actuals",
           "decision": "set in the decision", "flags": "State aid on the actuals", "no_flags":
           "The actuals break nothing the plan respected.", "not_checked": "The check could not run",
           "share": "Share of the project's duration (public funding in proportion)", "total": "Total",
           "indirect": "Indirect-cost rule", "only_en": ""},
}


@functools.cache
def _programme_rates() -> dict[str, ProgrammeRate]:
    """Rate, whether verified, name and source per programme slug, from the directory's reference data."""
    from ..reference.loader import load  # noqa: PLC0415 - read once, only for reports

    return {p.slug: ProgrammeRate(p.cofinancing_rate, p.cofinancing_rate_verified,
                                  {"sv": p.name, "en": p.details.get("name_en") or p.name},
                                  {"title": p.source.title or "", "url": p.source.url or "",
                                   "retrieved": p.source.retrieved.isoformat() if p.source.retrieved else ""})
            for p in load().programmes if p.cofinancing_rate is not None}


def funder_sources(project: Project, profile: Profile) -> list[str]:
    """The sources of the project's funding lines that belong to ``profile`` (e.g. ``eruf-ovre-norrland``)."""
    library = default_profiles()
    return list(dict.fromkeys(line.source for line in project.funding_lines
                              if line.source_kind != "private" and library.for_source(line.source, line.source_kind)
                              is profile))


def co_financing_for(project: Project, profile: Profile) -> CoFinancing:
    return co_financing(profile, funder_sources(project, profile), _programme_rates())


def actual_lines(project: Project, start: date, end: date) -> list[BudgetLine]:
    """The actual costs of periods lying within ``start``..``end``, as lines the conversion reads."""
    return [BudgetLine(row.partner.name, "actual", row.cost_type, row.amount_ore)
            for row in canonical.actual_rows(project, start, end)]


@dataclass
class FunderReport:
    """One funder's report of one window: budget beside actuals per partner and category, the funder's
    rate and share, and the state-aid flags the actuals raise that the plan did not."""

    profile: Profile
    start: date
    end: date
    rows: list[tuple[str, str, int, int]]
    budget: FunderBudget
    actual: FunderBudget
    co_financing: CoFinancing
    check: ActualsCheck

    @property
    def claim_ore(self) -> int | None:
        rate = self.co_financing.rate
        return None if rate is None else round_ore(Decimal(self.actual.total_ore) * rate)


def build_report(project: Project, profile: Profile, start: date, end: date, language: str,
                 alternative: int | None = None) -> FunderReport:
    budget = convert(canonical.budget_lines(project), profile, alternative)
    actual = convert(actual_lines(project, start, end), profile, alternative)
    keys = list(dict.fromkeys([*budget.amounts, *actual.amounts]))
    rows = [(partner, budget.category_name(key, language), budget.amounts.get((partner, key), 0),
             actual.amounts.get((partner, key), 0)) for partner, key in keys]
    return FunderReport(profile, start, end, rows, budget, actual, co_financing_for(project, profile),
                        check_actuals(project, start, end))


def report_rows(project: Project, profile: Profile, start: date, end: date, language: str):
    report = build_report(project, profile, start, end, language)
    return report.rows, report.budget, report.actual


def _unverified(verified: bool, language: str) -> str:
    return "" if verified else f" ({UNVERIFIED[language]})"


def summary_lines(report: FunderReport, language: str) -> list[tuple[str, str]]:
    """The report's header facts as (label, value) in ``language``."""
    w = WORDS[language]
    period = report.profile.reporting["period_months"]
    rate = report.co_financing
    lines = [(w["period"], f"{report.start.isoformat()}..{report.end.isoformat()}"),
             (w["periods"], f"{period.value} {w['months']}{_unverified(period.verified, language)}")]
    if rate.rate is None:
        lines.append((w["rate"], f"{w['decision']} ({w['basis']} {rate.basis[language]})"))
    else:
        lines.append((w["rate"], f"{format_percent(rate.rate, language)} ({w['basis']} {rate.basis[language]})"
                                 f"{_unverified(rate.verified, language)}"))
        lines.append((w["claim"], format_sek(report.claim_ore, language)))
    choice = report.actual.choice
    if choice is not None and choice.flat:
        lines.append((w["indirect"], f"{format_percent(choice.rate.decimal, language)} ({choice.legal_basis})"
                                     f"{_unverified(choice.rate.verified, language)}"))
    lines.append((w["share"], format_percent(report.check.share_fraction, language)))
    return lines


def flag_rows(report: FunderReport, language: str) -> list[list[str]]:
    w = WORDS[language]
    if report.check.error:
        sv, en = report.check.error
        return [[w["not_checked"], "", "", "", en if language == "en" else sv]]
    if not report.check.new:
        return [[w["no_flags"]]]
    return [[f.code, f.severity, f.partner or "", f.category or "", f.message_en if language == "en" else f.message_sv]
            for f in report.check.new]


def report_xlsx(project: Project, profile: Profile, start: date, end: date, language: str,
                alternative: int | None = None) -> bytes:
    """The period beside the budget per partner and category (sheet 1), the period, rate and share (sheet 2),
    the conversions of the actuals (sheet 3), the state-aid flags the actuals raise that the plan did not (sheet 4)."""
    report = build_report(project, profile, start, end, language, alternative)
    budget, actual = report.budget, report.actual
    title = f"{profile.title[language]} · {project.title} · {start.isoformat()}..{end.isoformat()}"
    kr = ore_to_kronor
    lines: list[list] = [[partner, name, kr(planned), kr(spent), kr(planned - spent)]
                         for partner, name, planned, spent in report.rows]
    lines.append([WORDS[language]["total"], "", kr(budget.total_ore), kr(actual.total_ore),
                  kr(budget.total_ore - actual.total_ore)])
    sheet = tables.Sheet("Rapport" if language == "sv" else "Report", HEAD[language], lines, notes={0: title})
    facts = tables.Sheet("Villkor" if language == "sv" else "Terms", ["", ""],
                         [[label, value] for label, value in summary_lines(report, language)], widths=[50, 70])
    steps = [[step.partner, step.text[language], kr(step.from_ore), kr(step.to_ore),
              "" if not step.source or step.source.verified else UNVERIFIED[language]] for step in actual.steps]
    steps.append([ROUNDING[language]])
    conversions = tables.Sheet("Omräkningar" if language == "sv" else "Conversions", STEPS_HEAD[language], steps)
    flags = tables.Sheet(WORDS[language]["flags"], FLAGS_HEAD[language], flag_rows(report, language), wrap=True)
    return tables.xlsx_bytes([sheet, facts, conversions, flags])


def report_pdf(project: Project, profile: Profile, start: date, end: date, language: str,
               alternative: int | None = None) -> bytes:
    report = build_report(project, profile, start, end, language, alternative)
    e = html.escape
    head = "".join(f"<th scope='col'>{e(h.split(' (')[0])}</th>" for h in HEAD[language])
    body = "".join(f"<tr><td>{e(p)}</td><td>{e(n)}</td><td>{format_sek(b, language)}</td>"
                   f"<td>{format_sek(a, language)}</td><td>{format_sek(b - a, language)}</td></tr>"
                   for p, n, b, a in report.rows)
    total = WORDS[language]["total"]
    body += (f"<tr><th scope='row'>{e(total)}</th><td></td><td>{format_sek(report.budget.total_ore, language)}</td>"
             f"<td>{format_sek(report.actual.total_ore, language)}</td>"
             f"<td>{format_sek(report.budget.total_ore - report.actual.total_ore, language)}</td></tr>")
    facts = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in summary_lines(report, language))
    flags = "".join(f"<li>{' · '.join(e(cell) for cell in row if cell)}</li>" for row in flag_rows(report, language))
    title = e(f"{profile.title[language]}: {project.title} ({start.isoformat()}..{end.isoformat()})")
    return html_to_pdf(f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{title}</title>"
                       f"</head><body><h1>{title}</h1><dl>{facts}</dl><table><thead><tr>{head}</tr></thead>"
                       f"<tbody>{body}</tbody></table><h2>{e(WORDS[language]['flags'])}</h2><ul>{flags}</ul>"
                       "</body></html>")
