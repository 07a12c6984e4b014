"""Plain-text rendering of a check result (Swedish by default, English on request)."""

from __future__ import annotations

from ..formatting import legal_citation
from ..money import format_eur, format_percent, format_sek
from .check_result import CheckResult
from .exchange_rates import rate_text
from .flags import FAMILY_NAMES, SEVERITY_ORDER
from .vocabulary import CATEGORY_NAMES, PARTNER_KIND_NAMES, SIZE_NAMES

_LABELS = {
    "sv": {
        "title": "Statsstödskontroll", "grant_date": "Beviljandedag", "ruleset": "Regelverk",
        "none": "inget gäller", "checked": "läst i rättsakten", "not_read": "rättsakten kunde inte läsas, försök",
        "verified": "{v} av {n} värden kontrollerade mot rättsakten",
        "unverified": "EJ KONTROLLERAT MOT RÄTTSAKTEN (lita inte på värdet utan att läsa rättsakten)",
        "rate": "Växelkurs EUR/SEK",
        "rate_none": "saknas", "partner": "Partner", "costs": "kostnader", "aid": "statligt stöd",
        "max": "högsta stödnivå", "planned": "planerad", "headroom": "utrymme", "private": "Privat medfinansiering",
        "required": "krävs", "planned_private": "planerad", "flags": "Flaggor", "no_flags": "Inga flaggor.",
        "reference": "Rättslig grund", "summary": "{e} fel, {w} varningar, {i} upplysningar",
        "error": "FEL", "warning": "VARNING", "info": "INFO", "de_minimis": "de minimis, kvar efter stödet",
        "area": "Stödområde", "not_added": "inte tillagt",
    },
    "en": {
        "title": "State-aid check", "grant_date": "Grant date", "ruleset": "Ruleset",
        "none": "none in force", "checked": "read in the legal text", "not_read": "legal text could not be read, tried",
        "verified": "{v} of {n} values verified against the legal text",
        "unverified": "NOT VERIFIED AGAINST THE LEGAL TEXT (do not rely on it without reading the legal text)",
        "rate": "Exchange rate EUR/SEK",
        "rate_none": "missing", "partner": "Partner", "costs": "costs", "aid": "State aid",
        "max": "maximum intensity", "planned": "planned", "headroom": "headroom", "private": "Private co-financing",
        "required": "required", "planned_private": "planned", "flags": "Flags", "no_flags": "No flags.",
        "reference": "Legal basis", "summary": "{e} errors, {w} warnings, {i} notices",
        "error": "ERROR", "warning": "WARNING", "info": "INFO", "de_minimis": "de minimis, remaining after the aid",
        "area": "Assisted area", "not_added": "not added",
    },
}


def _ruleset_lines(result: CheckResult, t: dict[str, str], name_index: int) -> list[str]:
    lines = []
    for key, summary in result.rulesets.items():
        family = FAMILY_NAMES[key][name_index]
        if summary is None:
            lines.append(f"{t['ruleset']} ({family}): {t['none']}")
            continue
        checked = t["checked"] if summary["last_checked_against_legal_text"] else t["not_read"]
        verified = t["verified"].format(v=summary["values_verified"], n=summary["values_total"])
        titles = summary["title"].split(" / ")
        title = titles[min(name_index, len(titles) - 1)]
        lines.append(f"{t['ruleset']} ({family}): {title} ({summary['valid_from']}–{summary['valid_to']}; "
                     f"{checked} {summary['checked_on']}; {verified})")
        for value in summary["unverified_values"]:
            lang = ("sv", "en")[name_index]
            lines.append(f"  {t['unverified']}: {legal_citation(value['citation'], lang)} = {value['text'][lang]}")
    return lines


def _category_lines(cat, t: dict[str, str], lang: str, name_index: int) -> list[str]:
    parts = [f"{t['costs']} {format_sek(cat.eligible_costs, lang)}", f"{t['aid']} {format_sek(cat.state_aid, lang)}"]
    if cat.max_intensity is not None:
        parts.append(f"{t['max']} {format_percent(cat.max_intensity, lang)}")
    if cat.planned_intensity is not None:
        parts.append(f"{t['planned']} {format_percent(cat.planned_intensity, lang)}")
    if cat.headroom is not None:
        parts.append(f"{t['headroom']} {format_sek(cat.headroom, lang)}")
    lines = [f"  - {CATEGORY_NAMES[cat.category][name_index]}: " + "; ".join(parts)]
    for reason in cat.reasons:
        lines.append(f"      {reason.text_sv if lang == 'sv' else reason.text_en} "
                     f"[{legal_citation(reason.reference['citation'], lang) if reason.reference else ''}]")
    return lines


def _partner_lines(partner, t: dict[str, str], lang: str, name_index: int) -> list[str]:
    kind = PARTNER_KIND_NAMES.get(partner.kind, (partner.kind, partner.kind))[name_index]
    size = SIZE_NAMES.get(partner.size, (partner.size, partner.size))[name_index] if partner.size else ""
    lines = [f"{t['partner']}: {partner.name} ({kind}{', ' + size if size else ''})"]
    for cat in partner.categories:
        lines += _category_lines(cat, t, lang, name_index)
    lines.append(f"  {t['private']}: {t['required']} {format_sek(partner.private_required, lang)}, "
                 f"{t['planned_private']} {format_sek(partner.private_planned, lang)}")
    if partner.de_minimis:
        lines.append(f"  {t['de_minimis']}: {format_eur(partner.de_minimis['remaining_after_eur'], lang)}")
    return [*lines, ""]


def _flag_lines(result: CheckResult, t: dict[str, str], lang: str) -> list[str]:
    counts = t["summary"].format(e=result.count("error"), w=result.count("warning"), i=result.count("info"))
    lines = [f"{t['flags']} ({counts}):"]
    if not result.flags:
        lines.append(f"  {t['no_flags']}")
    names = {p.id: p.name for p in result.partners}
    index = 0 if lang == "sv" else 1
    for flag in sorted(result.flags, key=lambda f: SEVERITY_ORDER[f.severity]):
        # The partner and the aid category by name: the report is read by people, not parsers.
        category = CATEGORY_NAMES[flag.category][index] if flag.category in CATEGORY_NAMES else flag.category
        where = ", ".join(x for x in (names.get(flag.partner, flag.partner), category) if x)
        lines.append(f"  [{t[flag.severity]}] {flag.code}{' (' + where + ')' if where else ''}")
        lines.append(f"    {flag.message_sv if lang == 'sv' else flag.message_en}")
        if flag.reference:
            unverified = f" [{t['unverified']}]" if flag.reference.get("verified") is False else ""
            lines.append(f"    {t['reference']}: {legal_citation(flag.reference.get('citation'), lang)}{unverified}")
    return lines


def render_text(result: CheckResult, language: str = "sv") -> str:
    """The whole check as text: rulesets used, per-partner figures, then every flag with its reference."""
    lang = "en" if language == "en" else "sv"
    t = _LABELS[lang]
    name_index = 0 if lang == "sv" else 1
    lines = [f"{t['title']}: {result.title}", f"{t['grant_date']}: {result.grant_date}",
             *_ruleset_lines(result, t, name_index), f"{t['rate']}: {rate_text(result.exchange_rate, lang)}"]
    if result.assisted_area:
        area = result.assisted_area
        lines.append(f"{t['area']}: {area.text_sv if lang == 'sv' else area.text_en}")
    lines.append("")
    for partner in result.partners:
        lines += _partner_lines(partner, t, lang, name_index)
    lines += _flag_lines(result, t, lang)
    return "\n".join(lines) + "\n"
