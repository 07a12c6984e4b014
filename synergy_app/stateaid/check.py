"""The project check: every State-aid and private co-financing rule over a parsed project.

Pure: a ``ProjectDocument`` and the rulesets in, a ``CheckResult`` out. The web page, the API,
the CLI and the PDF all call ``check_project`` so they cannot disagree.

Interpretations the rules leave open are stated where they are made:
- State aid for the same costs is added up across state, regional, municipal and ERDF money
  (Art. 8(3)); centrally managed Union funding (``eu_direct``) is not State aid (Art. 8(2)).
- Required private co-financing of a partner is the part of its costs in economic activity that
  permissible public funding does not cover.
- The ERDF programme rate is applied to the whole project's costs per programme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..money import Eur, Pct, Sek, eur_to_ore, format_sek, ore_to_eur, share_of
from .check_result import CategoryResult, CheckResult, PartnerResult
from .de_minimis import de_minimis_position, merge_grants
from .exchange_rates import ECB_SOURCE_SV, ExchangeRateTable, ecb_rates
from .flags import ERROR, FAMILY_NAMES, INFO, WARNING, Flag, make_flag
from .intensity import (
    GBER_CATEGORIES,
    R_AND_D,
    CollaborationAssessment,
    IntensityLimit,
    ProjectFacts,
    assess_collaboration,
    kept_max_intensity,
)
from .programme_rates import programme_rates as shipped_programme_rates
from .project_document import DeMinimisGrant, Partner, ProjectDocument
from .regional_aid_map import RegionalAidMap, assess_assisted_area, default_aid_map
from .rulesets import Ruleset, RulesetLibrary, default_rulesets
from .validity import ended_detail
from .vocabulary import CATEGORY_NAMES, PUBLIC_KINDS

_THRESHOLD_NAMES = {
    "fundamental_research": ("projekt huvudsakligen grundforskning", "project predominantly fundamental research"),
    "industrial_research": ("projekt huvudsakligen industriell forskning", "project predominantly industrial research"),
    "experimental_development": ("projekt huvudsakligen experimentell utveckling",
                                 "project predominantly experimental development"),
    # Art. 4(1)(i) names no threshold for a project split exactly in half; the lowest one is applied.
    "no_predominant_category": ("FoU-projekt utan övervägande kategori (exakt hälften); lägsta tröskeln tillämpas",
                                "R&D project with no predominant category (exactly half); the lowest threshold "
                                "is applied"),
    "feasibility_study": ("genomförbarhetsstudie", "feasibility study"),
    "innovation_cluster": ("innovationskluster", "innovation cluster"),
    "sme_innovation": ("innovationsstöd till SMF", "innovation aid for SMEs"),
    "process_innovation": ("processinnovation", "process innovation"),
}

def _money_values(allowed: int, planned: int) -> dict[str, Any]:
    return {"unit": "ore", "allowed": allowed, "planned": planned, "difference": planned - allowed,
            "allowed_sek": format_sek(allowed, "sv"), "planned_sek": format_sek(planned, "sv"),
            "difference_sek": format_sek(planned - allowed, "sv")}


def _eur_values(allowed: Decimal, planned: Decimal) -> dict[str, Any]:
    return {"unit": "eur", "allowed": f"{allowed:.2f}", "planned": f"{planned:.2f}",
            "difference": f"{planned - allowed:.2f}"}


def _share_values(allowed: Decimal, planned: Decimal) -> dict[str, Any]:
    # Six decimals of a percent, so 70.00001 % shows as over 70 % rather than rounding to it.
    def pct(x: Decimal) -> str:
        return str((x * 100).quantize(Decimal("0.000001")))
    return {"unit": "percent", "allowed": pct(allowed), "planned": pct(planned), "difference": pct(planned - allowed)}


class _Checker:
    def __init__(self, doc: ProjectDocument, library: RulesetLibrary, ledger, rates, programme_rates, rulings,
                 aid_map: RegionalAidMap | None = None):
        self.doc = doc
        self.ledger: Mapping[str, Sequence[DeMinimisGrant]] = ledger or {}
        self.programme_rates: Mapping[str, Decimal] = programme_rates or {}
        self.rulings: Mapping[str, Sequence[dict]] = rulings or {}
        self.flags: list[Flag] = []
        self.library = library
        self.gber: Ruleset | None = library.ruleset_for("gber", doc.grant_date)
        self.de_minimis: Ruleset | None = library.ruleset_for("de_minimis", doc.grant_date)
        self.rates: ExchangeRateTable = rates if rates is not None else ecb_rates()
        self.rate, self.rate_info = self._exchange_rate(self.rates)
        self.costs: dict[tuple[str, str], int] = defaultdict(int)
        self.funding: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(PUBLIC_KINDS, 0))
        self.private_by_category: dict[tuple[str, str], int] = defaultdict(int)
        self.private_by_partner: dict[str, int] = defaultdict(int)
        for cost in doc.costs:
            self.costs[(cost.partner, cost.category)] += cost.amount_ore
        for line in doc.funding:
            if line.kind == "private":
                self.private_by_partner[line.partner] += line.amount_ore
                if line.category:
                    self.private_by_category[(line.partner, line.category)] += line.amount_ore
            else:
                self.funding[(line.partner, line.category)][line.kind] += line.amount_ore
        self.collab: CollaborationAssessment | None = assess_collaboration(doc, self.gber) if self.gber else None
        self.assisted_area = assess_assisted_area(doc.assisted_area, doc.municipalities, aid_map or default_aid_map(),
                                                  doc.grant_date)
        self.facts = ProjectFacts.of(doc, self.assisted_area.area, self.assisted_area.basis)
        # Project-wide answers asked once per partner or category, kept for the run (the inputs do not change).
        self._refs: dict[str, dict[str, Any] | None] = {}
        self._limits: dict[tuple[str, str | None], IntensityLimit] = {}
        self._bonuses: dict = {}
        self._sme_process_share: Decimal | None = None
        self._predominant: tuple[str | None] | None = None

    # --- helpers -------------------------------------------------------------------------------

    def add(self, flag: Flag) -> None:
        rulings = tuple(self.rulings.get(flag.code, ()))
        if rulings:
            flag = Flag(flag.code, flag.severity, flag.partner, flag.category, flag.message_sv,
                        flag.message_en, flag.reference, flag.values, rulings)
        self.flags.append(flag)

    def _exchange_rate(self, table: ExchangeRateTable) -> tuple[Decimal | None, dict[str, str] | None]:
        # A rate stated in the project file wins over the reference rate.
        if self.doc.exchange_rate_eur_sek is not None:
            return self.doc.exchange_rate_eur_sek, {"eur_sek": str(self.doc.exchange_rate_eur_sek),
                                                    "source": "project file", "source_kind": "project_file"}
        found = table.rate_on(self.doc.grant_date)
        if found is None:
            return None, None
        return found.eur_sek, {"eur_sek": str(found.eur_sek), "date": found.on.isoformat(),
                               "source": found.source, "source_kind": "ecb", "url": found.url,
                               "package": table.package, "data_to": table.last_day.isoformat()}

    def _rates_held(self) -> dict[str, str]:
        first, last, package = self.rates.first_day, self.rates.last_day, self.rates.package
        if first is None:
            return {"held_sv": "inga referenskurser finns att tillgå", "held_en": "no reference rates are at hand"}
        held_in = f" ({package})" if package else ""
        return {"held_sv": f"{ECB_SOURCE_SV}{held_in} finns från {first} till och med {last}",
                "held_en": f"the ECB reference rates{held_in} run from {first} up to and including {last}"}

    def ref(self, key: str) -> dict[str, Any] | None:
        """A reference the check cites for a condition, from the dated ruleset data."""
        if key not in self._refs:
            self._refs[key] = self.library.legal_reference(key, self.doc.grant_date)
        found = self._refs[key]
        return found.to_dict() if found else None

    def state_aid(self, partner_id: str, categories: Sequence[str]) -> int:
        funding = self.funding
        return sum(v for c in categories if (partner_id, c) in funding
                   for k, v in funding[(partner_id, c)].items() if k != "eu_direct")

    # --- rules ---------------------------------------------------------------------------------

    def check_rulesets(self) -> None:
        categories = {c for (_, c) in self.costs} | {c for (_, c) in self.funding}
        needs = {"gber": bool(categories & set(GBER_CATEGORIES)), "de_minimis": "de_minimis" in categories}
        for family, needed in needs.items():
            if needed and getattr(self, family) is None:
                sv, en = FAMILY_NAMES[family]
                detail_sv, detail_en = ended_detail(self.library, family, self.doc.grant_date)
                self.add(make_flag("RULESET_NOT_IN_FORCE", ERROR, on=self.doc.grant_date.isoformat(),
                                   family_sv=sv, family_en=en, detail_sv=detail_sv, detail_en=detail_en,
                                   values={"unit": "date", "planned": self.doc.grant_date.isoformat()}))
        uses_eur = (needs["gber"] and self.gber) or (needs["de_minimis"] and self.de_minimis)
        if uses_eur and self.rate is None:
            self.add(make_flag("EXCHANGE_RATE_MISSING", ERROR, on=self.doc.grant_date.isoformat(),
                               **self._rates_held()))

    def check_collaboration(self) -> None:
        if self.collab and self.collab.claimed and not (self.collab.between_undertakings
                                                        or self.collab.with_research_organisations):
            param = self.gber.param("r_and_d_projects.collaboration_max_share_single_undertaking")
            if self.collab.largest_undertaking_share > param.decimal:
                values = _share_values(param.decimal, self.collab.largest_undertaking_share)
            else:
                param = self.gber.param("r_and_d_projects.collaboration_min_share_research_organisations")
                values = _share_values(param.decimal, self.collab.research_organisation_share)
            self.add(make_flag("COLLABORATION_BONUS_NOT_MET", WARNING, reference=param.reference.to_dict(),
                               values=values, reason_sv=self.collab.reason_sv, reason_en=self.collab.reason_en))

    def _sme_share_of_process_costs(self) -> Decimal:
        if self._sme_process_share is None:
            total = sum(v for (_, c), v in self.costs.items() if c == "process_innovation")
            sme = sum(v for (p, c), v in self.costs.items()
                      if c == "process_innovation" and self.doc.partner(p).is_sme)
            self._sme_process_share = Decimal(sme) / Decimal(total) if total else Decimal(0)
        return self._sme_process_share

    def _limit(self, partner: Partner, category: str) -> IntensityLimit:
        # The limit turns on the partner only through its size class (the rest is the project's).
        key = (category, partner.size)
        limit = self._limits.get(key)
        if limit is None:
            share = self._sme_share_of_process_costs() if category == "process_innovation" else Decimal(0)
            limit = self._limits[key] = kept_max_intensity(self.gber, category, partner, self.collab, self.facts,
                                                           share, self._bonuses)
        return limit

    def category_result(self, partner: Partner, category: str) -> CategoryResult:
        costs = self.costs.get((partner.id, category), 0)
        by_kind = dict(self.funding.get((partner.id, category), dict.fromkeys(PUBLIC_KINDS, 0)))
        private = self.private_by_category.get((partner.id, category), 0)
        public = sum(by_kind.values())
        if category == "non_economic":
            self._non_economic(partner, public)
            return CategoryResult(category, costs, by_kind, private, "not_state_aid")
        if category == "de_minimis":
            return CategoryResult(category, costs, by_kind, private, "de_minimis", Decimal(1), (), costs)
        if self.gber is None:
            return CategoryResult(category, costs, by_kind, private, "unchecked")
        limit = self._limit(partner, category)
        allowed = share_of(costs, limit.fraction)
        result = CategoryResult(category, costs, by_kind, private, "gber", limit.fraction, limit.reasons, allowed)
        if not limit.available and result.state_aid > 0:
            self.add(make_flag("AID_CATEGORY_NOT_AVAILABLE", ERROR, partner=partner.id, category=category,
                               reference=self._category_reference(category),
                               values=_money_values(0, result.state_aid), partner_name=partner.name,
                               reason_sv=limit.unavailable_sv, reason_en=limit.unavailable_en))
        elif result.state_aid > allowed and result.eligible_costs:  # zero costs: FUNDING_EXCEEDS_COSTS says it
            # The last step that set the limit (a note on an increase not added never does).
            last = next((r.reference for r in reversed(limit.reasons) if r.applied), None)
            self.add(make_flag("AID_INTENSITY_EXCEEDED", ERROR, partner=partner.id, category=category,
                               reference=last, values=_money_values(allowed, result.state_aid)
                               | {"allowed_percent": f"{limit.fraction * 100:.2f}",
                                  "planned_percent": f"{result.planned_intensity * 100:.2f}"},
                               partner_name=partner.name, planned_pct=Pct(result.planned_intensity),
                               allowed_pct=Pct(limit.fraction), difference_sek=Sek(result.state_aid - allowed)))
        if by_kind["eu_direct"]:
            self._union_funding(partner, category, result)
        if category == "cluster_operating":
            self._cluster_duration(partner)
        return result

    def _category_reference(self, category: str) -> dict | None:
        key = {"sme_innovation": "sme_innovation.intensity",
               "process_innovation": "process_innovation.large_requires_sme_share"}.get(category)
        return self.gber.param(key).reference.to_dict() if key and self.gber else None

    def _non_economic(self, partner: Partner, public: int) -> None:
        if partner.kind in ("research_organisation", "public_body") and self.doc.collaboration.effective:
            self.add(make_flag("NON_ECONOMIC_NOT_STATE_AID", INFO, partner=partner.id, category="non_economic",
                               reference=self.ref("non_economic_research"), partner_name=partner.name))
            return
        if partner.is_undertaking:
            why_sv = ("Ett företag eller en mellanhand som anger icke-ekonomisk verksamhet behöver granskas: "
                      "erbjuds tjänster på en marknad är det ekonomisk verksamhet och statsstöd.")
            why_en = ("An undertaking or intermediary declaring non-economic activity needs review: offering "
                      "services on a market is economic activity, and public money for it is State aid.")
        else:
            why_sv = ("Utan faktiskt samarbete kan finansieringen gynna de deltagande företagen indirekt; "
                      "villkoren behöver granskas.")
            why_en = ("Without effective collaboration the funding may indirectly benefit the participating "
                      "undertakings; the terms need review.")
        self.add(make_flag("NON_ECONOMIC_CLAIM_REVIEW", WARNING, partner=partner.id, category="non_economic",
                           reference=self.ref("state_aid_notion"),
                           values={"unit": "ore", "planned": public, "planned_sek": format_sek(public, "sv")},
                           partner_name=partner.name, planned_sek=Sek(public), reason_sv=why_sv,
                           reason_en=why_en))

    def _union_funding(self, partner: Partner, category: str, result: CategoryResult) -> None:
        lines = [f for f in self.doc.funding
                 if f.partner == partner.id and f.category == category and f.kind == "eu_direct"]
        sources = ", ".join(sorted({f.source for f in lines}))
        self.add(make_flag("UNION_FUNDING_NOT_STATE_AID", INFO, partner=partner.id, category=category,
                           reference=self.ref("union_funding"), source=sources))
        rates = [f.union_max_rate for f in lines if f.union_max_rate is not None]
        if len(rates) < len(lines):
            self.add(make_flag("UNION_FUNDING_RATE_UNKNOWN", WARNING, partner=partner.id, category=category,
                               reference=self.ref("union_funding"), source=sources,
                               partner_name=partner.name))
        if not rates or not result.eligible_costs:
            return
        best = max(rates)
        allowed = share_of(result.eligible_costs, best)
        if result.public > allowed:
            self.add(make_flag("UNION_FUNDING_RATE_EXCEEDED", ERROR, partner=partner.id, category=category,
                               reference=self.ref("union_funding"),
                               values=_money_values(allowed, result.public), partner_name=partner.name,
                               planned_pct=Pct(Decimal(result.public) / result.eligible_costs),
                               allowed_pct=Pct(best)))

    def _cluster_duration(self, partner: Partner) -> None:
        start, end = self.doc.work_start, self.doc.end_date
        if not (self.gber and start and end):
            return
        param = self.gber.param("innovation_clusters.operating_max_years")
        years = int(param.value)
        try:
            limit_end = start.replace(year=start.year + years)
        except ValueError:
            limit_end = start.replace(year=start.year + years, day=28)
        # A period of N years starting on `start` ends the day before the N-th anniversary.
        if end >= limit_end:
            allowed_days = (limit_end - start).days
            planned_days = (end - start).days + 1
            self.add(make_flag("CLUSTER_OPERATING_AID_TOO_LONG", ERROR, partner=partner.id,
                               category="cluster_operating", reference=param.reference.to_dict(),
                               values={"unit": "days", "allowed": allowed_days, "planned": planned_days,
                                       "difference": planned_days - allowed_days},
                               partner_name=partner.name, planned_days=planned_days, max_years=years))

    def check_funding_vs_costs(self, partner: Partner, categories: Sequence[CategoryResult]) -> None:
        for result in categories:
            total = result.public + result.private
            if total > result.eligible_costs:
                self.add(make_flag("FUNDING_EXCEEDS_COSTS", ERROR, partner=partner.id, category=result.category,
                                   reference=self.ref("funding_above_costs"),
                                   values=_money_values(result.eligible_costs, total), partner_name=partner.name,
                                   for_category_sv=f" för {CATEGORY_NAMES[result.category][0]}",
                                   for_category_en=f" for {CATEGORY_NAMES[result.category][1]}",
                                   planned_sek=Sek(total), allowed_sek=Sek(result.eligible_costs),
                                   difference_sek=Sek(total - result.eligible_costs)))
        costs = sum(r.eligible_costs for r in categories)
        total = sum(r.public for r in categories) + self.private_by_partner.get(partner.id, 0)
        if total > costs and not any(f.code == "FUNDING_EXCEEDS_COSTS" and f.partner == partner.id
                                     for f in self.flags):
            self.add(make_flag("FUNDING_EXCEEDS_COSTS", ERROR, partner=partner.id,
                               reference=self.ref("funding_above_costs"),
                               values=_money_values(costs, total), partner_name=partner.name,
                               for_category_sv="", for_category_en="", planned_sek=Sek(total),
                               allowed_sek=Sek(costs), difference_sek=Sek(total - costs)))

    def required_private(self, categories: Sequence[CategoryResult]) -> int:
        required = 0
        for result in categories:
            if result.treatment == "not_state_aid":
                continue
            allowed_public = result.eligible_costs if result.allowed_aid is None else min(
                result.eligible_costs, result.allowed_aid + result.public_by_kind["eu_direct"])
            required += result.eligible_costs - min(result.public, allowed_public)
        return required

    def check_private(self, partner: Partner, required: int) -> None:
        planned = self.private_by_partner.get(partner.id, 0)
        if planned < required:
            self.add(make_flag("PRIVATE_COFINANCING_SHORT", ERROR, partner=partner.id,
                               reference=self.ref("cumulation"), values=_money_values(required, planned),
                               partner_name=partner.name, allowed_sek=Sek(required),
                               planned_sek=Sek(planned), shortfall_sek=Sek(required - planned)))

    def check_intermediary(self, partner: Partner, categories: Sequence[CategoryResult]) -> None:
        public = sum(r.public for r in categories if r.treatment != "not_state_aid")
        if partner.kind == "intermediary" and public > 0:
            self.add(make_flag("INDIRECT_AID_VIA_INTERMEDIARY", WARNING, partner=partner.id,
                               reference=self.ref("state_aid_notion"),
                               values={"unit": "ore", "planned": public, "planned_sek": format_sek(public, "sv")},
                               partner_name=partner.name, planned_sek=Sek(public)))

    def check_incentive_effect(self) -> None:
        aided = any(self.state_aid(p.id, GBER_CATEGORIES) > 0 for p in self.doc.partners)
        if not (self.gber and aided):
            return
        app, start = self.doc.application_date, self.doc.work_start
        ref = self.ref("incentive_effect")
        if app is None or start is None:
            self.add(make_flag("INCENTIVE_EFFECT_MISSING", WARNING, reference=ref,
                               reason_sv="Ansökningsdatum eller arbetets startdatum saknas, så det går inte att visa "
                                         "att ansökan lämnades innan arbetet startade.",
                               reason_en="The application date or the work start date is missing, so it cannot be "
                                         "shown that the application came before work started."))
        elif app > start:
            self.add(make_flag("INCENTIVE_EFFECT_MISSING", ERROR, reference=ref,
                               values={"unit": "date", "allowed": start.isoformat(), "planned": app.isoformat(),
                                       "difference": (app - start).days},
                               reason_sv=f"Ansökan ({app}) lämnades efter att arbetet startade ({start}); stödet "
                                         f"saknar stimulanseffekt.",
                               reason_en=f"The application ({app}) came after work started ({start}); the aid has "
                                         f"no incentive effect."))
        elif app == start:
            self.add(make_flag("INCENTIVE_EFFECT_MISSING", WARNING, reference=ref,
                               values={"unit": "date", "allowed": start.isoformat(), "planned": app.isoformat(),
                                       "difference": 0},
                               reason_sv=f"Ansökan lämnades samma dag som arbetet startade ({start}); visa att den "
                                         f"kom före arbetet.",
                               reason_en=f"The application was made on the day work started ({start}); show that it "
                                         f"came before the work."))

    def check_notification(self, partner: Partner) -> None:
        if not (self.gber and self.rate):
            return
        groups: list[tuple[str, tuple[str, ...]]] = [
            (self._r_and_d_threshold_key(), R_AND_D),
            ("feasibility_study", ("feasibility_study",)),
            ("innovation_cluster", ("cluster_investment", "cluster_operating")),
            ("sme_innovation", ("sme_innovation",)),
            ("process_innovation", ("process_innovation",)),
        ]
        for key, categories in groups:
            aid = self.state_aid(partner.id, categories)
            if not aid:
                continue
            param = self.gber.param(f"notification_thresholds_eur.{key}")
            threshold = Decimal(param.value)
            aid_eur = ore_to_eur(aid, self.rate)
            if aid_eur > threshold:
                category = categories[0] if len(categories) == 1 else None
                name = key if key not in R_AND_D or self._r_and_d_predominant() else "no_predominant_category"
                sv, en = _THRESHOLD_NAMES[name]
                self.add(make_flag("NOTIFICATION_THRESHOLD_EXCEEDED", ERROR, partner=partner.id, category=category,
                                   reference=param.reference.to_dict(),
                                   values=_money_values(eur_to_ore(threshold, self.rate), aid)
                                   | {"allowed_eur": f"{threshold:.2f}", "planned_eur": f"{aid_eur:.2f}"},
                                   partner_name=partner.name, kind_sv=sv, kind_en=en,
                                   planned_eur=Eur(aid_eur), allowed_eur=Eur(threshold)))

    def _r_and_d_predominant(self) -> str | None:
        """The R&D category the project is predominantly in, as Art. 4(1)(i)(i)-(iii) define it:
        more than half of the project's eligible R&D costs in fundamental research; in industrial
        research or in industrial and fundamental research taken together; or in experimental
        development. None when no point applies (a split exactly in half)."""
        if self._predominant is None:
            self._predominant = (self._find_r_and_d_predominant(),)
        return self._predominant[0]

    def _find_r_and_d_predominant(self) -> str | None:
        share = self.gber.param("notification_thresholds_eur.predominance_share").decimal
        totals = {c: sum(v for (_, cat), v in self.costs.items() if cat == c) for c in R_AND_D}
        whole = sum(totals.values())
        if not whole:
            return None
        research = totals["fundamental_research"] + totals["industrial_research"]
        for category, amount in (("fundamental_research", totals["fundamental_research"]),
                                 ("industrial_research", research),
                                 ("experimental_development", totals["experimental_development"])):
            if Decimal(amount) / whole > share:
                return category
        return None

    def _r_and_d_threshold_key(self) -> str:
        # With no predominant category the lowest R&D threshold (experimental development) is applied.
        return self._r_and_d_predominant() or "experimental_development"

    def check_de_minimis(self, partner: Partner) -> dict[str, str] | None:
        planned = self.state_aid(partner.id, ("de_minimis",))
        if not (planned and self.de_minimis and self.rate):
            return None
        ledger = list(self.ledger.get(partner.id, ()))
        if partner.organisation_number:
            ledger += list(self.ledger.get(partner.organisation_number, ()))
        earlier = merge_grants(partner.de_minimis_received, ledger)
        position = de_minimis_position(self.de_minimis, self.doc.grant_date, earlier, ore_to_eur(planned, self.rate))
        if position.exceeded:
            param = self.de_minimis.param("ceiling_eur")
            self.add(make_flag("DE_MINIMIS_CEILING_EXCEEDED", ERROR, partner=partner.id, category="de_minimis",
                               reference=param.reference.to_dict(),
                               values=_eur_values(position.ceiling_eur, position.total_eur)
                               | {"earlier_eur": f"{position.earlier_eur:.2f}",
                                  "window_start": position.window_start.isoformat()},
                               partner_name=partner.name, planned_eur=Eur(position.total_eur),
                               allowed_eur=Eur(position.ceiling_eur), headroom_eur=Eur(position.headroom_before_eur),
                               window_sv=f"{position.window_start}–{position.window_end}",
                               window_en=f"{position.window_start} to {position.window_end}"))
        return position.to_dict() | {"ruleset": self.de_minimis.id}

    def check_erdf(self) -> None:
        total_costs = sum(self.costs.values())
        by_source: dict[str, int] = defaultdict(int)
        for line in self.doc.funding:
            if line.kind == "erdf":
                by_source[line.source] += line.amount_ore
        for source, amount in sorted(by_source.items()):
            rate = self.programme_rates.get(source)
            if rate is None:
                self.add(make_flag("ERDF_PROGRAMME_RATE_UNKNOWN", WARNING,
                                   reference=self.ref("erdf_cofinancing_rate"), source=source))
                continue
            allowed = share_of(total_costs, Decimal(rate))
            if amount > allowed:
                self.add(make_flag("ERDF_RATE_EXCEEDED", ERROR, reference=self.ref("erdf_cofinancing_rate"),
                                   values=_money_values(allowed, amount), source=source,
                                   planned_sek=Sek(amount), allowed_sek=Sek(allowed), rate_pct=Pct(Decimal(rate))))

    # --- run -----------------------------------------------------------------------------------

    def run(self) -> CheckResult:
        self.check_rulesets()
        self.check_collaboration()
        self.check_incentive_effect()
        partners = []
        categories_of: dict[str, set[str]] = defaultdict(set)
        for table in (self.costs, self.funding, self.private_by_category):
            for p, c in table:
                categories_of[p].add(c)
        for partner in self.doc.partners:
            keys = sorted(categories_of.get(partner.id, ()))
            categories = tuple(self.category_result(partner, c) for c in keys)
            self.check_funding_vs_costs(partner, categories)
            self.check_intermediary(partner, categories)
            self.check_notification(partner)
            required = self.required_private(categories)
            self.check_private(partner, required)
            de_minimis = self.check_de_minimis(partner)
            partners.append(PartnerResult(partner.id, partner.name, partner.kind, partner.size, categories,
                                          self.private_by_partner.get(partner.id, 0), required, de_minimis))
        self.check_erdf()
        return CheckResult(
            title=self.doc.title,
            grant_date=self.doc.grant_date.isoformat(),
            rulesets={"gber": self.gber.summary() if self.gber else None,
                      "de_minimis": self.de_minimis.summary() if self.de_minimis else None},
            exchange_rate=self.rate_info,
            assisted_area=self.assisted_area,
            partners=tuple(partners),
            flags=tuple(self.flags),
        )


def check_project(doc: ProjectDocument, rulesets: RulesetLibrary, *,
                  ledger: Mapping[str, Sequence[DeMinimisGrant]] | None = None,
                  exchange_rates: ExchangeRateTable | None = None,
                  programme_rates: Mapping[str, Decimal] | None = None,
                  rulings: Mapping[str, Sequence[dict]] | None = None,
                  aid_map: RegionalAidMap | None = None) -> CheckResult:
    """Check a project against the rulesets in force on its grant date.

    ``ledger``: earlier de minimis grants keyed by partner id or organisation number.
    ``exchange_rates``: EUR/SEK rates by day, used when the document states none (default: the ECB's).
    ``programme_rates``: ERDF co-financing rate per programme slug (e.g. ``eruf-ovre-norrland``).
    ``rulings``: taskforce rulings per flag code, attached to the flags they concern.
    ``aid_map``: the regional aid map the assisted area is derived from (default: the shipped Swedish map).
    """
    return _Checker(doc, rulesets, ledger, exchange_rates, programme_rates, rulings, aid_map).run()



def check_with_shipped_data(doc: ProjectDocument) -> CheckResult:
    """The check as the workspace runs it on every page, in the API and on the command line: the shipped
    rulesets and the programme rates of the shipped reference data, so all three give the same result."""
    return check_project(doc, default_rulesets(), programme_rates=shipped_programme_rates())
