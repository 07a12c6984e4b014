"""Check flags: stable codes, severities and their Swedish and English explanations.

Texts are templates filled from the flag's parameters, so the web layer, the CLI and the PDF all
show the same words. References that are not ruleset values (Treaty, Framework, CPR) live in the
dated ruleset files (``legal_references``), with their quotes where the text was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..money import localize
from .vocabulary import CATEGORY_NAMES

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

_TEXTS: dict[str, tuple[str, str]] = {
    "RULESET_NOT_IN_FORCE": (
        "Inget regelverk för {family_sv} gäller på beviljandedagen {on}; stödet kan inte prövas mot en regel."
        "{detail_sv}",
        "No {family_en} ruleset is in force on the grant date {on}; the aid cannot be checked against a rule."
        "{detail_en}",
    ),
    "EXCHANGE_RATE_MISSING": (
        "Ingen växelkurs EUR/SEK för {on}: {held_sv}. Ange exchange_rate_eur_sek i projektfilen. "
        "Kontroller av belopp i euro (anmälningströsklar, de minimis) har inte gjorts.",
        "No EUR/SEK exchange rate for {on}: {held_en}. State exchange_rate_eur_sek in the project file. "
        "Checks of amounts in euro (notification thresholds, de minimis) were not made.",
    ),
    "AID_INTENSITY_EXCEEDED": (
        "Offentligt stöd till {partner_name} för {category_sv} är {planned_pct} av de stödberättigande "
        "kostnaderna; högsta tillåtna är {allowed_pct}. Minska stödet med {difference_sek}.",
        "Public aid to {partner_name} for {category_en} is {planned_pct} of the eligible costs; "
        "the maximum is {allowed_pct}. Reduce the aid by {difference_sek}.",
    ),
    "AID_CATEGORY_NOT_AVAILABLE": (
        "{partner_name} kan inte få stöd för {category_sv}: {reason_sv}",
        "{partner_name} cannot receive aid for {category_en}: {reason_en}",
    ),
    "COLLABORATION_BONUS_NOT_MET": (
        "Projektet anger faktiskt samarbete, men villkoren för påslaget uppfylls inte: {reason_sv}",
        "The project states effective collaboration, but the conditions for the bonus are not met: {reason_en}",
    ),
    "PRIVATE_COFINANCING_SHORT": (
        "{partner_name} behöver minst {allowed_sek} i privat medfinansiering men har planerat {planned_sek}; "
        "det saknas {shortfall_sek}.",
        "{partner_name} needs at least {allowed_sek} of private co-financing but has planned {planned_sek}; "
        "{shortfall_sek} is missing.",
    ),
    "FUNDING_EXCEEDS_COSTS": (
        "Finansieringen till {partner_name}{for_category_sv} är {planned_sek} men kostnaderna är {allowed_sek}; "
        "{difference_sek} för mycket.",
        "Funding for {partner_name}{for_category_en} is {planned_sek} but the costs are {allowed_sek}; "
        "{difference_sek} too much.",
    ),
    "NOTIFICATION_THRESHOLD_EXCEEDED": (
        "Stödet till {partner_name} ({kind_sv}) är {planned_eur} och överstiger anmälningströskeln "
        "{allowed_eur}; stödet måste anmälas till kommissionen.",
        "Aid to {partner_name} ({kind_en}) is {planned_eur} and exceeds the notification threshold of "
        "{allowed_eur}; the aid must be notified to the Commission.",
    ),
    "INCENTIVE_EFFECT_MISSING": (
        "{reason_sv}",
        "{reason_en}",
    ),
    "DE_MINIMIS_CEILING_EXCEEDED": (
        "De minimis-stöd till {partner_name} blir {planned_eur} under perioden {window_sv}, "
        "över taket {allowed_eur}. Utrymmet före detta stöd var {headroom_eur}.",
        "De minimis aid to {partner_name} would total {planned_eur} over {window_en}, "
        "above the ceiling of {allowed_eur}. The headroom before this aid was {headroom_eur}.",
    ),
    "UNION_FUNDING_RATE_EXCEEDED": (
        "Offentlig finansiering till {partner_name} för {category_sv} inklusive centralt förvaltade EU-medel "
        "är {planned_pct}, över EU-programmets finansieringsgrad {allowed_pct}.",
        "Public funding to {partner_name} for {category_en} including centrally managed Union funding is "
        "{planned_pct}, above the Union programme's funding rate of {allowed_pct}.",
    ),
    "UNION_FUNDING_RATE_UNKNOWN": (
        "EU-finansiering ({source}) till {partner_name} saknar programmets högsta finansieringsgrad "
        "(union_max_rate); den sammanlagda offentliga finansieringen kan inte prövas.",
        "Union funding ({source}) to {partner_name} has no programme funding rate (union_max_rate); "
        "total public funding cannot be checked.",
    ),
    "UNION_FUNDING_NOT_STATE_AID": (
        "Centralt förvaltade EU-medel ({source}) är inte statsstöd; bara det statliga stödet prövas mot "
        "stödnivåerna.",
        "Centrally managed Union funding ({source}) is not State aid; only the State aid is held against "
        "the aid intensities.",
    ),
    "ERDF_RATE_EXCEEDED": (
        "ERUF från {source} är {planned_sek}, mer än programmets medfinansieringsgrad {rate_pct} av "
        "projektets kostnader ({allowed_sek}).",
        "ERDF from {source} is {planned_sek}, more than the programme's co-financing rate of {rate_pct} of "
        "the project costs ({allowed_sek}).",
    ),
    "ERDF_PROGRAMME_RATE_UNKNOWN": (
        "Medfinansieringsgraden för programmet {source} är okänd; ERUF-andelen har inte prövats.",
        "The co-financing rate of programme {source} is unknown; the ERDF share was not checked.",
    ),
    "INDIRECT_AID_VIA_INTERMEDIARY": (
        "{partner_name} är en mellanhand som tar emot {planned_sek} i offentliga medel. Om medlen förs vidare "
        "till företag som tjänster kan det vara indirekt statsstöd; taskforcen behöver bedöma upplägget.",
        "{partner_name} is an intermediary receiving {planned_sek} of public money. If it passes the money on "
        "to firms as services this may be indirect State aid; the taskforce needs to assess the set-up.",
    ),
    "NON_ECONOMIC_CLAIM_REVIEW": (
        "{partner_name} anger {planned_sek} som icke-ekonomisk verksamhet. {reason_sv}",
        "{partner_name} declares {planned_sek} as non-economic activity. {reason_en}",
    ),
    "NON_ECONOMIC_NOT_STATE_AID": (
        "{partner_name}s egen icke-ekonomiska forskning i faktiskt samarbete är inte statsstöd; "
        "ingen stödnivå gäller för den delen.",
        "{partner_name}'s own non-economic research in effective collaboration is not State aid; "
        "no aid intensity applies to it.",
    ),
    "CLUSTER_OPERATING_AID_TOO_LONG": (
        "Driftsstöd till innovationskluster för {partner_name} löper {planned_days} dagar, längre än "
        "{max_years} år.",
        "Operating aid to the innovation cluster {partner_name} runs for {planned_days} days, longer than "
        "{max_years} years.",
    ),
}

# Ruleset families in words (Swedish, English), for every page, report and message that names one.
FAMILY_NAMES: dict[str, tuple[str, str]] = {
    "gber": ("allmänna gruppundantaget (GBER)", "General Block Exemption (GBER)"),
    "de_minimis": ("de minimis-stöd", "de minimis aid"),
}



@dataclass(frozen=True)
class Flag:
    """One finding of the check. ``values`` uses ``allowed`` for the limit: a maximum, or for
    private co-financing the minimum required; ``difference`` is planned minus allowed."""

    code: str
    severity: str
    partner: str | None
    category: str | None
    message_sv: str
    message_en: str
    reference: dict[str, Any] | None
    values: dict[str, Any] = field(default_factory=dict)
    rulings: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "partner": self.partner,
            "category": self.category,
            "message_sv": self.message_sv,
            "message_en": self.message_en,
            "reference": self.reference,
            "values": self.values,
            "rulings": list(self.rulings),
        }


def make_flag(code: str, severity: str, *, partner: str | None = None, category: str | None = None,
              reference: dict[str, Any] | None = None, values: dict[str, Any] | None = None,
              **params: Any) -> Flag:
    """Build a flag, filling the code's Swedish and English templates from ``params``.

    Amounts and shares come typed (``Sek``, ``Eur``, ``Pct``) and are written as each language reads them.
    """
    sv, en = _TEXTS[code]
    if category:
        params.setdefault("category_sv", CATEGORY_NAMES[category][0])
        params.setdefault("category_en", CATEGORY_NAMES[category][1])
    return Flag(code, severity, partner, category, sv.format(**localize(params, "sv")),
                en.format(**localize(params, "en")), reference, values or {})


def known_codes() -> tuple[str, ...]:
    return tuple(_TEXTS)
