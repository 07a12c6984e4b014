"""What would fix it: a concrete change for each flag, and the largest grant a funder can still add.

Pure: a check result in, suggestions (Swedish and English) out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import format_eur, format_percent, format_sek
from ..stateaid.check_result import CheckResult, PartnerResult
from ..stateaid.flags import Flag
from ..stateaid.rulesets import Ruleset


@dataclass(frozen=True)
class Suggestion:
    text_sv: str
    text_en: str

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_sv


def _ore(flag: Flag, key: str) -> int | None:
    value = flag.values.get(key)
    return value if flag.values.get("unit") == "ore" and isinstance(value, int) else None


def _collaboration_conditions(gber: Ruleset | None) -> tuple[str, str]:
    """The Art. 25(6)(b) cost-share conditions in words, with the figures of the ruleset in force."""
    if gber is None:
        return "", ""
    most = gber.param("r_and_d_projects.collaboration_max_share_single_undertaking").decimal
    least = gber.param("r_and_d_projects.collaboration_min_share_research_organisations").decimal
    return (f" (inget enskilt företag över {format_percent(most, 'sv')}, forskningsorganisationer minst "
            f"{format_percent(least, 'sv')})",
            f" (no single undertaking above {format_percent(most, 'en')}, research organisations at least "
            f"{format_percent(least, 'en')})")


def suggestion_for(flag: Flag, gber: Ruleset | None = None) -> Suggestion | None:
    """A concrete change for ``flag``; figures of rules come from ``gber``, the ruleset the check used."""
    diff = _ore(flag, "difference")
    code = flag.code
    if code == "AID_INTENSITY_EXCEEDED" and diff is not None:
        return Suggestion(f"Minska det statliga stödet med minst {format_sek(diff, 'sv')}, eller flytta "
                          f"finansieringen till privata medel.",
                          f"Reduce the State aid by at least {format_sek(diff, 'en')}, or replace it with private "
                          f"money.")
    if code == "PRIVATE_COFINANCING_SHORT" and diff is not None:
        return Suggestion(f"Lägg till {format_sek(-diff, 'sv')} i privat medfinansiering.",
                          f"Add {format_sek(-diff, 'en')} of private co-financing.")
    if code == "FUNDING_EXCEEDS_COSTS" and diff is not None:
        return Suggestion(f"Minska finansieringen med {format_sek(diff, 'sv')} eller redovisa fler stödberättigande "
                          f"kostnader.",
                          f"Reduce the funding by {format_sek(diff, 'en')} or show more eligible costs.")
    if code == "ERDF_RATE_EXCEEDED" and diff is not None:
        return Suggestion(f"Minska ERUF-finansieringen med {format_sek(diff, 'sv')} och ersätt den med nationell "
                          f"offentlig medfinansiering.",
                          f"Reduce the ERDF funding by {format_sek(diff, 'en')} and replace it with national public "
                          f"co-financing.")
    if code == "NOTIFICATION_THRESHOLD_EXCEEDED" and diff is not None:
        return Suggestion(f"Minska stödet med {format_sek(diff, 'sv')} så att det ligger under tröskeln, eller anmäl "
                          f"stödet till kommissionen.",
                          f"Reduce the aid by {format_sek(diff, 'en')} to stay under the threshold, or notify the aid "
                          f"to the Commission.")
    if code == "DE_MINIMIS_CEILING_EXCEEDED":
        over = flag.values.get("difference")
        return Suggestion(f"Minska de minimis-stödet med {format_eur(over, 'sv')}, eller bevilja stödet enligt GBER.",
                          f"Reduce the de minimis aid by {format_eur(over, 'en')}, or grant the aid under the GBER.")
    if code == "INCENTIVE_EFFECT_MISSING":
        return Suggestion("Registrera ansökningsdatum och planerad arbetsstart; arbetet får inte starta före "
                          "ansökan.",
                          "Record the application date and the planned work start; work must not start before "
                          "the application.")
    if code == "COLLABORATION_BONUS_NOT_MET":
        sv, en = _collaboration_conditions(gber)
        return Suggestion(f"Räkna utan samarbetspåslaget, eller fördela kostnaderna så att villkoren uppfylls{sv}.",
                          f"Plan without the collaboration bonus, or share the costs so the conditions are met{en}.")
    if code in ("INDIRECT_AID_VIA_INTERMEDIARY", "NON_ECONOMIC_CLAIM_REVIEW"):
        return Suggestion("Begär en bedömning av statsstödstaskforcen och länka avgörandet här.",
                          "Ask the State-aid taskforce for an assessment and link the ruling here.")
    if code == "RULESET_NOT_IN_FORCE":
        return Suggestion("Kontrollera beviljandedagen; för stöd efter regelverkets giltighetstid krävs det nya "
                          "regelverket.",
                          "Check the grant date; aid after the ruleset's validity needs its successor.")
    return None


@dataclass(frozen=True)
class Headroom:
    partner: str
    category: str
    state_aid_headroom: int  # how much more State aid the intensity allows
    uncovered_costs: int  # costs not yet covered by any funding
    largest_grant: int  # the largest grant a funder can add without a flag


def headroom(partner: PartnerResult) -> list[Headroom]:
    rows = []
    for cat in partner.categories:
        if cat.headroom is None:
            continue
        uncovered = cat.eligible_costs - cat.public - cat.private
        rows.append(Headroom(partner.id, cat.category, cat.headroom, uncovered,
                             max(0, min(cat.headroom, uncovered))))
    return rows


def all_headroom(result: CheckResult) -> dict[str, list[Headroom]]:
    return {p.id: headroom(p) for p in result.partners}
