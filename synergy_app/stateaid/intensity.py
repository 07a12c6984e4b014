"""Maximum aid intensity per partner and category (GBER Art. 25, 27, 28, 29), with the reasons.

Pure functions over the parsed document and a ruleset. The collaboration bonus is tested from
the partners' own cost shares, not from what the project says about itself.

Art. 25(6) as amended by (EU) 2023/1315: (a) the size increase, then ONE of (b) +15 points (effective
collaboration, wide dissemination, a licensing commitment or an Art. 107(3)(a) area), (c) +5 points
(an Art. 107(3)(c) area) or (d) +25 points (a multi-country project selected after an open call),
because the text says (b), (c) and (d) "must not be combined with each other". The most favourable
one that is met is applied; the reasons say why each of the others was not added.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import format_percent, format_value
from .project_document import MultiCountry, Partner, ProjectDocument
from .rulesets import Parameter, Ruleset
from .vocabulary import SIZE_NAMES

R_AND_D = ("fundamental_research", "industrial_research", "experimental_development")
BONUS_CATEGORIES = ("industrial_research", "experimental_development")
GBER_CATEGORIES = R_AND_D + ("feasibility_study", "cluster_investment", "cluster_operating",
                             "sme_innovation", "process_innovation")


@dataclass(frozen=True)
class Reason:
    """One step of how a maximum intensity was reached."""

    points: Decimal  # the fraction added (or the base), e.g. Decimal("0.15"); 0 for a step not applied
    text_sv: str
    text_en: str
    reference: dict | None
    applied: bool = True  # False: an increase that was considered and not added (the text says why)

    def to_dict(self) -> dict:
        return {"points_percent": f"{self.points * 100:.2f}", "text_sv": self.text_sv,
                "text_en": self.text_en, "reference": self.reference, "applied": self.applied}


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


@dataclass(frozen=True)
class ProjectFacts:
    """What Art. 25(6)(b)-(d) turn on besides the cost shares, as the project states it."""

    collaboration_claimed: bool = False
    wide_dissemination: bool = False
    licensing: bool = False
    assisted_area: str = "none"  # none | a | c
    assisted_area_basis: str = "assumed"  # stated | derived | assumed
    multi_country: MultiCountry | None = None

    @classmethod
    def of(cls, doc: ProjectDocument, assisted_area: str = "none", basis: str = "assumed") -> ProjectFacts:
        c = doc.collaboration
        return cls(c.effective, c.wide_dissemination, c.licensing, assisted_area, basis, c.multi_country)


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




def _points_sv(fraction: Decimal) -> str:
    return f"+{format_value(fraction * 100, 'sv')} procentenheter"


def _points_en(fraction: Decimal) -> str:
    return f"+{format_value(fraction * 100, 'en')} percentage points"


@dataclass(frozen=True)
class _Option:
    """One of Art. 25(6)(b), (c), (d): whether it is met, how, or why not."""

    letter: str
    param: Parameter
    met: bool
    how_sv: str = ""
    how_en: str = ""
    why_not_sv: str = ""
    why_not_en: str = ""


def _option_b(ruleset: Ruleset, collab: CollaborationAssessment, facts: ProjectFacts) -> _Option:
    routes = []
    if collab.met and collab.between_undertakings:
        routes.append(("faktiskt samarbete mellan företag", "effective collaboration between undertakings"))
    if collab.met and collab.with_research_organisations:
        routes.append(("faktiskt samarbete med forskningsorganisationer",
                       "effective collaboration with research organisations"))
    if facts.wide_dissemination:
        routes.append(("bred spridning av resultaten", "wide dissemination of results"))
    if facts.licensing:
        routes.append(("åtagande att licensiera resultaten på marknadsvillkor",
                       "commitment to license the results on market terms"))
    if facts.assisted_area == "a":
        routes.append(("projektet genomförs i ett stödområde enligt artikel 107.3 a",
                       "the project is carried out in an Art. 107(3)(a) assisted area"))
    param = ruleset.param("r_and_d_projects.collaboration_bonus")
    if routes:
        return _Option("b", param, True, routes[0][0], routes[0][1])
    collab_sv = (f"samarbetet uppfyller inte villkoren ({collab.reason_sv.rstrip('.')})" if collab.claimed
                 else "faktiskt samarbete anges inte")
    collab_en = (f"the collaboration does not meet the conditions ({collab.reason_en.rstrip('.')})" if collab.claimed
                 else "effective collaboration is not stated")
    return _Option("b", param, False, why_not_sv=(
        f"inget av villkoren är uppfyllt: {collab_sv}; resultaten sprids inte brett; inget åtagande om "
        f"licensiering; projektet genomförs inte i ett område enligt artikel 107.3 a"),
        why_not_en=(f"none of the conditions is met: {collab_en}; the results are not widely disseminated; no "
                    f"licensing commitment; the project is not carried out in an Art. 107(3)(a) area"))


def _area_words(facts: ProjectFacts) -> tuple[str, str]:
    if facts.assisted_area_basis == "assumed":
        return ", antaget eftersom stödområdet inte är angivet", ", assumed as the assisted area is not given"
    if facts.assisted_area_basis == "derived":
        return ", härlett ur kommunerna", ", derived from the municipalities"
    return "", ""


def _option_c(ruleset: Ruleset, facts: ProjectFacts) -> _Option:
    param = ruleset.param("r_and_d_projects.assisted_area_c_bonus")
    words_sv, words_en = _area_words(facts)
    if facts.assisted_area == "c":
        return _Option("c", param, True, f"projektet genomförs i ett stödområde enligt artikel 107.3 c{words_sv}",
                       f"the project is carried out in an Art. 107(3)(c) assisted area{words_en}")
    return _Option("c", param, False, why_not_sv=f"projektet genomförs inte i ett område enligt artikel 107.3 c"
                                                 f"{words_sv}",
                   why_not_en=f"the project is not carried out in an Art. 107(3)(c) area{words_en}")


def _option_d(ruleset: Ruleset, partner: Partner, facts: ProjectFacts) -> _Option:
    param = ruleset.param("r_and_d_projects.multi_country_bonus")
    multi = facts.multi_country
    if multi is None:
        return _Option("d", param, False, why_not_sv="projektet anges inte som del av ett flerlandsprojekt",
                       why_not_en="the project is not stated to be part of a multi-country project")
    designers = int(ruleset.param("r_and_d_projects.multi_country_min_designing_states").value)
    spread = int(ruleset.param("r_and_d_projects.multi_country_min_dissemination_states").value)
    key = "multi_country_min_states_sme" if partner.is_sme else "multi_country_min_states_large"
    needed = int(ruleset.param(f"r_and_d_projects.{key}").value)
    who_sv, who_en = ("ett SMF", "an SME") if partner.is_sme else ("inte ett SMF", "not an SME")
    missing_sv, missing_en = [], []
    if not multi.selected_after_open_call:
        missing_sv.append("(i) det anges inte att en medlemsstat valt ut projektet efter en öppen utlysning")
        missing_en.append("(i) it is not stated that a Member State selected the project following an open call")
    if len(multi.jointly_designed_by) < designers:
        missing_sv.append(f"(i) utformat gemensamt av {len(multi.jointly_designed_by)} stater (minst {designers})")
        missing_en.append(f"(i) jointly designed by {len(multi.jointly_designed_by)} states (at least {designers})")
    if not facts.collaboration_claimed:
        missing_sv.append("(ii) faktiskt samarbete anges inte")
        missing_en.append("(ii) effective collaboration is not stated")
    if len(multi.undertaking_countries) < needed:
        missing_sv.append(f"(ii) samarbetande företag i {len(multi.undertaking_countries)} stater (minst {needed} "
                          f"när stödmottagaren är {who_sv})")
        missing_en.append(f"(ii) collaborating undertakings in {len(multi.undertaking_countries)} states (at least "
                          f"{needed} when the beneficiary is {who_en})")
    if len(multi.dissemination_countries) < spread and not facts.licensing:
        missing_sv.append(f"(iii) resultaten sprids brett i {len(multi.dissemination_countries)} stater (minst "
                          f"{spread}) och det finns inget åtagande om licensiering")
        missing_en.append(f"(iii) results widely disseminated in {len(multi.dissemination_countries)} states (at "
                          f"least {spread}) and no licensing commitment")
    if missing_sv:
        return _Option("d", param, False, why_not_sv="; ".join(missing_sv), why_not_en="; ".join(missing_en))
    return _Option("d", param, True,
                   f"flerlandsprojekt utvalt efter öppen utlysning, utformat av {', '.join(multi.jointly_designed_by)}",
                   f"multi-country project selected after an open call, designed by "
                   f"{', '.join(multi.jointly_designed_by)}")


def _bonus_reasons(ruleset: Ruleset, partner: Partner, collab: CollaborationAssessment,
                   facts: ProjectFacts) -> tuple[Decimal, list[Reason]]:
    """The one increase of (b), (c), (d) that applies, and a note for each of the others."""
    options = [_option_b(ruleset, collab, facts), _option_c(ruleset, facts), _option_d(ruleset, partner, facts)]
    met = [o for o in options if o.met]
    best = max(met, key=lambda o: o.param.decimal, default=None)
    reasons = []
    if best is not None:
        reasons.append(Reason(best.param.decimal,
                              f"{best.how_sv[0].upper()}{best.how_sv[1:]}: {_points_sv(best.param.decimal)}",
                              f"{best.how_en[0].upper()}{best.how_en[1:]}: {_points_en(best.param.decimal)}",
                              _ref(best.param)))
    for option in options:
        if option is best:
            continue
        pts_sv, pts_en = _points_sv(option.param.decimal), _points_en(option.param.decimal)
        if option.met:
            why_sv = (f"uppfyllt ({option.how_sv}), men punkterna b, c och d kombineras inte med varandra och "
                      f"punkt {best.letter} ger mer")
            why_en = (f"met ({option.how_en}), but points (b), (c) and (d) are not combined with each other and "
                      f"point ({best.letter}) gives more")
        else:
            why_sv, why_en = option.why_not_sv, option.why_not_en
        reasons.append(Reason(Decimal(0), f"Inte tillagt, artikel 25.6 {option.letter} ({pts_sv}): {why_sv}.",
                              f"Not added, Art. 25(6)({option.letter}) ({pts_en}): {why_en}.",
                              _ref(option.param), applied=False))
    return (best.param.decimal if best else Decimal(0)), reasons


def _r_and_d_limit(ruleset: Ruleset, category: str, partner: Partner, collab: CollaborationAssessment,
                   facts: ProjectFacts, bonus_memo: dict[bool, tuple[Decimal, list[Reason]]] | None = None
                   ) -> IntensityLimit:
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
            reasons.append(Reason(bonus.decimal, f"{SIZE_NAMES[size][0].capitalize()}: {_points_sv(bonus.decimal)}",
                                  f"{SIZE_NAMES[size][1].capitalize()}: {_points_en(bonus.decimal)}", _ref(bonus)))
    notes: list[Reason] = []
    if category in BONUS_CATEGORIES:
        # Within one project the increases turn on the partner only through whether it is an SME.
        memo = {} if bonus_memo is None else bonus_memo
        if partner.is_sme not in memo:
            memo[partner.is_sme] = _bonus_reasons(ruleset, partner, collab, facts)
        added, bonus_reasons = memo[partner.is_sme]
        total += added
        reasons += [r for r in bonus_reasons if r.applied]
        notes = [r for r in bonus_reasons if not r.applied]
        cap = ruleset.param("r_and_d_projects.maximum_intensity")
        if total > cap.decimal:
            total = cap.decimal
            reasons.append(Reason(cap.decimal, f"Tak: {format_percent(cap.decimal, 'sv')}",
                                  f"Ceiling: {format_percent(cap.decimal, 'en')}", _ref(cap)))
    return IntensityLimit(min(total, Decimal(1)), tuple(reasons + notes))


def _single(param: Parameter, label_sv: str, label_en: str) -> IntensityLimit:
    pct_sv, pct_en = format_percent(param.decimal, "sv"), format_percent(param.decimal, "en")
    return IntensityLimit(param.decimal, (Reason(param.decimal, f"{label_sv}högst {pct_sv}",
                                                 f"{label_en}at most {pct_en}", _ref(param)),))


# Limits kept per ruleset: enough for every size, category and collaboration outcome met in a busy day.
KEPT_LIMITS = 4096


def kept_max_intensity(ruleset: Ruleset, category: str, partner: Partner, collab: CollaborationAssessment | None,
                       facts: ProjectFacts, sme_share_of_process_costs: Decimal = Decimal(0),
                       bonus_memo: dict[bool, tuple[Decimal, list[Reason]]] | None = None) -> IntensityLimit:
    """``max_intensity``, kept on the ruleset under everything it reads: the category, the partner's kind and
    size, the collaboration's outcome and its stated reasons, the project's facts and (process innovation
    only) the SMEs' share of the costs. Projects alike in these share their limits, so a batch or a page
    checking many projects works each one out once. The kept limits are never changed (frozen)."""
    kept = ruleset.__dict__.get("_kept_limits")
    if kept is None:
        kept = {}
        object.__setattr__(ruleset, "_kept_limits", kept)
    outcome = None if collab is None else (collab.claimed, collab.between_undertakings,
                                           collab.with_research_organisations, collab.reason_sv, collab.reason_en)
    key = (category, partner.kind, partner.size, outcome, facts,
           sme_share_of_process_costs if category == "process_innovation" else None)
    limit = kept.get(key)
    if limit is None:
        limit = max_intensity(ruleset, category, partner, collab, facts, sme_share_of_process_costs, bonus_memo)
        if len(kept) >= KEPT_LIMITS:
            kept.clear()
        if KEPT_LIMITS:
            kept[key] = limit
    return limit


def max_intensity(ruleset: Ruleset, category: str, partner: Partner, collab: CollaborationAssessment,
                  facts: ProjectFacts, sme_share_of_process_costs: Decimal = Decimal(0),
                  bonus_memo: dict[bool, tuple[Decimal, list[Reason]]] | None = None) -> IntensityLimit:
    """The maximum State-aid intensity for ``partner`` in a GBER ``category``.

    ``bonus_memo``: kept by the caller across the partners of one project (same ruleset, collaboration
    and facts), so the Art. 25(6) increases are worked out once per project rather than per partner."""
    if category in R_AND_D or category == "feasibility_study":
        return _r_and_d_limit(ruleset, category, partner, collab, facts, bonus_memo)
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
