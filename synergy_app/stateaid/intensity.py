"""Maximum aid intensity per partner and category (GBER Art. 25, 27, 28, 29), with the reasons.

Pure functions over the parsed document and a ruleset. The collaboration bonus is tested from
the partners' own cost shares, not from what the project says about itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import format_percent, format_value
from .project_document import Partner, ProjectDocument
from .rulesets import Parameter, Ruleset

R_AND_D = ("fundamental_research", "industrial_research", "experimental_development")
BONUS_CATEGORIES = ("industrial_research", "experimental_development")
GBER_CATEGORIES = R_AND_D + ("feasibility_study", "cluster_investment", "cluster_operating",
                             "sme_innovation", "process_innovation")


@dataclass(frozen=True)
class Reason:
    """One step of how a maximum intensity was reached."""

    points: Decimal  # the fraction added (or the base), e.g. Decimal("0.15")
    text_sv: str
    text_en: str
    reference: dict | None

    def to_dict(self) -> dict:
        return {"points_percent": f"{self.points * 100:.2f}", "text_sv": self.text_sv,
                "text_en": self.text_en, "reference": self.reference}


@dataclass(frozen=True)
class IntensityLimit:
    fraction: Decimal
    reasons: tuple[Reason, ...]
    available: bool = True
    unavailable_sv: str = ""
    unavailable_en: str = ""


@dataclass(frozen=True)
class CollaborationAssessment:
    """Whether Art. 25(6)(b) effective collaboration holds, tested from the cost shares."""

    claimed: bool
    between_undertakings: bool
    with_research_organisations: bool
    largest_undertaking_share: Decimal
    largest_undertaking: str | None
    research_organisation_share: Decimal
    reason_sv: str
    reason_en: str

    @property
    def met(self) -> bool:
        return self.claimed and (self.between_undertakings or self.with_research_organisations)


def _ref(param: Parameter) -> dict:
    return param.reference.to_dict()


def assess_collaboration(doc: ProjectDocument, ruleset: Ruleset) -> CollaborationAssessment:
    total = sum(c.amount_ore for c in doc.costs)
    by_partner: dict[str, int] = {}
    for cost in doc.costs:
        by_partner[cost.partner] = by_partner.get(cost.partner, 0) + cost.amount_ore
    undertakings = [p for p in doc.partners if p.is_undertaking and by_partner.get(p.id, 0) > 0]
    research = [p for p in doc.partners if p.kind == "research_organisation" and by_partner.get(p.id, 0) > 0]
    max_share = ruleset.param("r_and_d_projects.collaboration_max_share_single_undertaking").decimal
    min_ro = ruleset.param("r_and_d_projects.collaboration_min_share_research_organisations").decimal

    def share(amount: int) -> Decimal:
        return Decimal(amount) / Decimal(total) if total else Decimal(0)

    largest = max(undertakings, key=lambda p: by_partner[p.id], default=None)
    largest_share = share(by_partner[largest.id]) if largest else Decimal(0)
    ro_share = share(sum(by_partner[p.id] for p in research))
    between = (len(undertakings) >= 2 and (any(p.is_sme for p in undertakings) or doc.collaboration.cross_border)
               and largest_share <= max_share)
    with_ro = bool(undertakings) and ro_share >= min_ro and doc.collaboration.research_organisations_may_publish

    problems_sv, problems_en = [], []
    if len(undertakings) >= 2:
        if largest_share > max_share:
            problems_sv.append(f"{largest.name} bär {format_percent(largest_share, 'sv')} av kostnaderna "
                               f"(högst {format_percent(max_share, 'sv')})")
            problems_en.append(f"{largest.name} bears {format_percent(largest_share, 'en')} of the costs "
                               f"(at most {format_percent(max_share, 'en')})")
        if not any(p.is_sme for p in undertakings) and not doc.collaboration.cross_border:
            problems_sv.append("inget av företagen är ett SMF och samarbetet är inte gränsöverskridande")
            problems_en.append("none of the undertakings is an SME and the collaboration is not cross-border")
    else:
        problems_sv.append("färre än två företag deltar")
        problems_en.append("fewer than two undertakings take part")
    if research:
        if ro_share < min_ro:
            problems_sv.append(f"forskningsorganisationerna bär {format_percent(ro_share, 'sv')} av kostnaderna "
                               f"(minst {format_percent(min_ro, 'sv')})")
            problems_en.append(f"research organisations bear {format_percent(ro_share, 'en')} of the costs "
                               f"(at least {format_percent(min_ro, 'en')})")
        if not doc.collaboration.research_organisations_may_publish:
            problems_sv.append("forskningsorganisationerna har inte rätt att publicera sina resultat")
            problems_en.append("the research organisations may not publish their results")
    else:
        problems_sv.append("ingen forskningsorganisation deltar")
        problems_en.append("no research organisation takes part")
    return CollaborationAssessment(
        claimed=doc.collaboration.effective,
        between_undertakings=between,
        with_research_organisations=with_ro,
        largest_undertaking_share=largest_share,
        largest_undertaking=largest.id if largest else None,
        research_organisation_share=ro_share,
        reason_sv="; ".join(problems_sv) + ".",
        reason_en="; ".join(problems_en) + ".",
    )


def _size_key(partner: Partner) -> str | None:
    # Micro enterprises are small enterprises for the bonuses; others (and unknown) get none.
    return {"micro": "small", "small": "small", "medium": "medium"}.get(partner.size or "")


_SIZE_NAMES = {"small": ("litet företag", "small enterprise"),
               "medium": ("medelstort företag", "medium-sized enterprise")}


def _points_sv(fraction: Decimal) -> str:
    return f"+{format_value(fraction * 100, 'sv')} procentenheter"


def _points_en(fraction: Decimal) -> str:
    return f"+{format_value(fraction * 100, 'en')} percentage points"


def _r_and_d_limit(ruleset: Ruleset, category: str, partner: Partner, collab: CollaborationAssessment,
                   wide_dissemination: bool) -> IntensityLimit:
    base = ruleset.param(f"r_and_d_projects.base_intensity.{category}")
    reasons = [Reason(base.decimal, f"Grundnivå: {format_percent(base.decimal, 'sv')}",
                      f"Base intensity: {format_percent(base.decimal, 'en')}", _ref(base))]
    total = base.decimal
    size = _size_key(partner)
    if category in BONUS_CATEGORIES or category == "feasibility_study":
        group = "size_bonus" if category in BONUS_CATEGORIES else "feasibility_size_bonus"
        if size:
            bonus = ruleset.param(f"r_and_d_projects.{group}.{size}")
            total += bonus.decimal
            reasons.append(Reason(bonus.decimal, f"{_SIZE_NAMES[size][0].capitalize()}: {_points_sv(bonus.decimal)}",
                                  f"{_SIZE_NAMES[size][1].capitalize()}: {_points_en(bonus.decimal)}", _ref(bonus)))
    if category in BONUS_CATEGORIES and (collab.met or wide_dissemination):
        bonus = ruleset.param("r_and_d_projects.collaboration_bonus")
        total += bonus.decimal
        if collab.met:
            how_sv = ("faktiskt samarbete mellan företag" if collab.between_undertakings
                      else "faktiskt samarbete med forskningsorganisationer")
            how_en = ("effective collaboration between undertakings" if collab.between_undertakings
                      else "effective collaboration with research organisations")
        else:
            how_sv, how_en = "bred spridning av resultaten", "wide dissemination of results"
        reasons.append(Reason(bonus.decimal, f"{how_sv.capitalize()}: {_points_sv(bonus.decimal)}",
                              f"{how_en.capitalize()}: {_points_en(bonus.decimal)}", _ref(bonus)))
    if category in BONUS_CATEGORIES:
        cap = ruleset.param("r_and_d_projects.maximum_intensity")
        if total > cap.decimal:
            total = cap.decimal
            reasons.append(Reason(cap.decimal, f"Tak: {format_percent(cap.decimal, 'sv')}",
                                  f"Ceiling: {format_percent(cap.decimal, 'en')}", _ref(cap)))
    return IntensityLimit(min(total, Decimal(1)), tuple(reasons))


def _single(param: Parameter, label_sv: str, label_en: str) -> IntensityLimit:
    pct_sv, pct_en = format_percent(param.decimal, "sv"), format_percent(param.decimal, "en")
    return IntensityLimit(param.decimal, (Reason(param.decimal, f"{label_sv}högst {pct_sv}",
                                                 f"{label_en}at most {pct_en}", _ref(param)),))


def max_intensity(ruleset: Ruleset, category: str, partner: Partner, collab: CollaborationAssessment,
                  wide_dissemination: bool, sme_share_of_process_costs: Decimal = Decimal(0)) -> IntensityLimit:
    """The maximum State-aid intensity for ``partner`` in a GBER ``category``."""
    if category in R_AND_D or category == "feasibility_study":
        return _r_and_d_limit(ruleset, category, partner, collab, wide_dissemination)
    if category in ("cluster_investment", "cluster_operating"):
        key = "investment_intensity" if category == "cluster_investment" else "operating_intensity"
        return _single(ruleset.param(f"innovation_clusters.{key}"), "", "")
    if category == "sme_innovation":
        param = ruleset.param("sme_innovation.intensity")
        if not partner.is_sme:
            return IntensityLimit(Decimal(0), (), False, "stödet är bara öppet för små och medelstora företag.",
                                  "the aid is only open to SMEs.")
        return _single(param, "SMF: ", "SME: ")
    if category == "process_innovation":
        if partner.is_sme:
            return _single(ruleset.param("process_innovation.intensity_sme"), "SMF: ", "SME: ")
        param = ruleset.param("process_innovation.intensity_large")
        needed = ruleset.param("process_innovation.large_requires_sme_share").decimal
        if sme_share_of_process_costs < needed:
            return IntensityLimit(
                Decimal(0), (), False,
                f"stora företag kräver samarbete där SMF bär minst {format_percent(needed, 'sv')} av kostnaderna "
                f"(nu {format_percent(sme_share_of_process_costs, 'sv')}).",
                f"large undertakings need collaboration with SMEs bearing at least {format_percent(needed, 'en')} of "
                f"the costs (now {format_percent(sme_share_of_process_costs, 'en')}).")
        return _single(param, "Stort företag: ", "Large undertaking: ")
    raise ValueError(f"{category} is not a GBER category")
