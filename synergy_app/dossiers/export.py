"""A dossier as tables (one per section) and as an XLSX workbook or one CSV file.

The tables are built from the same Dossier the page shows, so the extract holds the page's rows.
Cells keep their types: dates stay dates, money is Decimal kronor with the öre exact, scores are
numbers. Labels are in the reader's language (Swedish unless English was chosen).

The CSV is one file with a "section" column in front: it opens with a double click in Excel (the shared
writer's ';' and BOM) and filters by section, where a ZIP of one CSV per section
would first have to be unpacked; the XLSX already gives one sheet per section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..calendar.call_data import EVENT_LABELS, STATUS_LABELS, EventKind
from ..clock import to_local
from ..dialogues.labels import answer_label, round_status
from ..i18n import locale, pick
from ..money import ore_to_kronor
from ..projects.labels import label as project_label
from ..reports import tabular as tables
from .dossier import Dossier

__all__ = ["Section", "answer_label", "csv_bytes", "filename", "round_status", "sections", "xlsx_bytes"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]


def _local(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: the Stockholm wall-clock time, as the page shows it.
    return None if value is None else to_local(value).replace(tzinfo=None)


def _yes(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def _decision(value: str | None) -> str:
    return {"confirmed": _("bekräftad"), "added": _("tillagd"), "rejected": _("avvisad")}.get(value or "", "")


def call_status(value: str) -> str:
    pair = next((v for k, v in STATUS_LABELS.items() if k.value == value), None)
    return pick(*pair) if pair else value


def event_label(value: str | None) -> str:
    if not value:
        return ""
    return pick(*EVENT_LABELS[EventKind(value)])


def call_target(value: str) -> str:
    return {"region": _("Regionen"), "national": _("Hela landet"), "funder": _("Myndighetens utlysning")}[value]


def dialogue_role(value: str) -> str:
    return {"invited": _("Inbjuden"), "booked": _("Bokad"), "lead": _("Leder"),
            "agency": _("Deltar")}.get(value, value)


def project_role(value: str) -> str:
    return {"project_region": _("Projektregion"), "partner": _("Partner"),
            "partner_in_region": _("Partner i regionen"), "funder": _("Finansiär")}.get(value, value)


def not_checked(p) -> str:
    return pick(p.not_checked_sv or "", p.not_checked_en or "")


def project_roles(roles: Sequence[str]) -> str:
    return ", ".join(project_role(r) for r in roles)


def explanation(row) -> str:
    return row.explanation_en if locale() == "en" else row.explanation_sv


def sections(d: Dossier) -> list[Section]:
    """The dossier's sections as typed tables, in the page's order."""
    out: list[Section] = []
    if d.kind == "region":
        rows = []
        for p in d.priorities:
            title = pick(p.title, p.title_en or p.title)
            if not p.matches:
                rows.append((title, "", "", None, "", ""))
            for m in p.matches:
                rows.append((title, m.area_title, m.organisation_name, m.score, _decision(m.decision), explanation(m)))
        if not d.priorities:  # say it in words, as the page does, rather than export an empty table
            rows.append((_("Ännu inte belagt i källa"), "", "", None, "", ""))
        out.append(Section("priorities", _("Prioriteringar och matchningar"),
                           (_("Prioritering"), _("Område"), _("Organisation"), _("Poäng"), _("Beslut"),
                            _("Förklaring")), tuple(rows)))
    else:
        rows = []
        for a in d.areas:
            title = pick(a.title, a.title_en or a.title)
            if not a.matches:
                rows.append((title, a.kind, "", "", None, "", ""))
            for m in a.matches:
                rows.append((title, a.kind, m.region_name, m.priority_title, m.score, _decision(m.decision),
                             explanation(m)))
        out.append(Section("areas", _("Områden och matchande regioner"),
                           (_("Område"), _("Typ"), _("Region"), _("Prioritering"), _("Poäng"), _("Beslut"),
                            _("Förklaring")), tuple(rows)))
    out.append(Section("dialogues", _("Snabbdialoger"),
                       (_("Omgång"), _("Ledning"), _("Status"), _("Möte (svensk tid)"), _("Roll"),
                        _("Svar på inbjudan")),
                       tuple((r.theme, r.lead_name, round_status(r.status), _local(r.meeting_at),
                              dialogue_role(r.role), answer_label(r.answer)) for r in d.dialogues)))
    out.append(Section("actions", _("Öppna åtgärder"),
                       (_("Åtgärd"), _("Omgång"), _("Ansvarig"), _("Region"), _("Klart senast"), _("Försenad")),
                       tuple((a.description, a.round_theme, a.owner_name, a.region_name or "", a.due_date,
                              _yes(a.overdue)) for a in d.actions)))
    out.append(Section("calls", _("Utlysningar"),
                       (_("Utlysning"), _("Finansiär"), _("Riktad till"), _("Status"), _("Öppnar"),
                        _("Sista ansökningsdag"), _("Nästa datum"), _("Nästa händelse"), _("Budget (kr)"),
                        _("Samordning"), _("Länk")),
                       tuple((c.title, c.funder_name, call_target(c.targets), call_status(c.status), c.opens_on,
                              c.last_deadline, c.next_on, event_label(c.next_event), ore_to_kronor(c.budget_ore),
                              " ".join(pick(sv, en) for sv, en in c.alignment),
                              c.url or "") for c in d.calls)))
    funding_header = (_("Finansiering från regionen (kr)") if d.kind == "region"
                      else _("Finansiering från myndigheten (kr)"))
    out.append(Section("projects", _("Gemensamma projekt"),
                       (_("Projekt"), _("Status"), _("Roll"), _("Start"), _("Slut"), _("Kostnader (kr)"),
                        funding_header, _("Fel"), _("Varningar"), _("Flaggor")),
                       tuple((p.title, project_label("status", p.status),
                              project_roles(p.roles), p.start_date, p.end_date,
                              ore_to_kronor(p.total_costs_ore), ore_to_kronor(p.funding_ore), p.errors, p.warnings,
                              "; ".join(f.code for f in p.flags) or not_checked(p))
                             for p in d.projects)))
    return out


def filename(d: Dossier, ext: str) -> str:
    return f"dossier-{d.key}-{d.generated_on.isoformat()}.{ext}"


def _sheet(section: Section) -> tables.Sheet:
    return tables.Sheet(section.title, section.headers, section.rows)


def xlsx_bytes(parts: Sequence[Section]) -> bytes:
    """One sheet per section, in the page's order."""
    return tables.xlsx_bytes([_sheet(section) for section in parts])


def csv_bytes(parts: Sequence[Section]) -> bytes:
    """One CSV: a section column, then every section's columns side by side (each row fills its own),
    each header prefixed with its section so equal names ("Status") stay apart."""
    offsets, headers = {}, [_("Avsnitt")]
    for section in parts:
        offsets[section.key] = len(headers)
        headers += [f"{section.title}: {h}" for h in section.headers]
    lines = []
    for section in parts:
        start = offsets[section.key]
        for row in section.rows:
            line: list = [None] * len(headers)
            line[0] = section.title
            line[start:start + len(row)] = row
            lines.append(line)
    return tables.write(lines, headers, "csv").body
