"""The canonical budget in one funder's categories, after its personnel and indirect-cost rules.

Pure: lines in, a funder budget out, with every step that changed an amount written down so that the
canonical total plus the steps' differences is the funder's total, to the öre. Amounts are integer
öre; rates are Decimal; each computed amount is rounded once, half up to the whole öre.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..money import format_sek
from .profiles import COST_TYPE_NAMES, Profile, Sourced

FLAT_RATE_KEY = "indirect_flat_rate"
UNTYPED_KEY = "untyped"
ROUNDING = {"sv": "Varje beräknat belopp avrundas en gång, till hela ören (avrundning uppåt vid exakt hälften).",
            "en": "Each computed amount is rounded once, to the whole öre (half up)."}


def round_ore(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class BudgetLine:
    """One canonical cost line: its partner, aid category, cost type and amount (with hours and rates)."""

    partner: str
    category: str
    cost_type: str | None
    amount_ore: int
    hours: Decimal | None = None
    hourly_rate_ore: Decimal | None = None
    annual_cost_ore: int | None = None
    subcontracting: bool = False


@dataclass(frozen=True)
class Step:
    """One conversion: what it did to which partner's amount, by which rule and source."""

    partner: str
    category: str
    text: dict[str, str]
    from_ore: int
    to_ore: int
    source: Sourced | None = None

    @property
    def difference(self) -> int:
        return self.to_ore - self.from_ore


@dataclass
class FunderBudget:
    profile: Profile
    canonical_total_ore: int
    # (partner, funder category key) -> öre, in insertion order
    amounts: dict[tuple[str, str], int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    choice: IndirectChoice | None = None

    @property
    def total_ore(self) -> int:
        return sum(self.amounts.values())

    @property
    def reconciles(self) -> bool:
        return self.canonical_total_ore + sum(s.difference for s in self.steps) == self.total_ore

    def category_name(self, key: str, language: str) -> str:
        category = self.profile.category(key)
        if category:
            return category.name[language]
        return {FLAT_RATE_KEY: {"sv": "Indirekta kostnader (schablon)", "en": "Indirect costs (flat rate)"},
                UNTYPED_KEY: {"sv": "Utan kostnadstyp", "en": "Without a cost type"}}[key][language]

    def categories(self) -> list[str]:
        seen: list[str] = [c.key for c in self.profile.categories]
        for _partner, key in self.amounts:
            if key not in seen:
                seen.append(key)
        return seen

    def partners(self) -> list[str]:
        out: list[str] = []
        for partner, _key in self.amounts:
            if partner not in out:
                out.append(partner)
        return out

    def by_category(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (_partner, key), ore in self.amounts.items():
            totals[key] = totals.get(key, 0) + ore
        return totals


def _add(budget: FunderBudget, partner: str, key: str, ore: int) -> None:
    budget.amounts[(partner, key)] = budget.amounts.get((partner, key), 0) + ore


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def _kr(ore: int, language: str) -> str:
    return format_sek(ore, language)


@dataclass
class _Bases:
    """Per partner, the sums a flat rate is taken of."""

    staff: dict[str, int] = field(default_factory=dict)
    direct: dict[str, int] = field(default_factory=dict)
    subcontracted: dict[str, int] = field(default_factory=dict)

    def add(self, which: dict[str, int], partner: str, ore: int) -> None:
        which[partner] = which.get(partner, 0) + ore


@dataclass(frozen=True)
class IndirectChoice:
    """The indirect-cost rule a conversion applies: the profile's own, or one of its alternatives."""

    rate: Sourced | None
    base: str | None
    legal_basis: str
    covers_all_other: bool = False  # the rate stands for every cost but direct staff costs

    @property
    def flat(self) -> bool:
        return self.rate is not None


def indirect_choice(profile: Profile, alternative: int | None = None) -> IndirectChoice:
    """The profile's indirect-cost rule, or its alternative number ``alternative`` (0-based); IndexError if none."""
    if alternative is None:
        rule = profile.indirect
        return IndirectChoice(rule.rate if rule.method == "flat_rate" else None, rule.base, rule.legal_basis)
    alt = profile.indirect.alternatives[alternative]
    rate = alt["rate"]
    sourced = Sourced(Decimal(str(rate["value"])), {"key": rate["source"], **profile.sources[rate["source"]]},
                      rate["verified"], rate.get("quote"), " ".join(rate.get("note", "").split()))
    return IndirectChoice(sourced, alt.get("base"), alt.get("legal_basis", ""), alt.get("covers") == "all_other_costs")


def convert(lines: Iterable[BudgetLine], profile: Profile, alternative: int | None = None) -> FunderBudget:
    """The canonical lines in ``profile``'s categories, with the personnel and indirect-cost rules applied
    (the indirect-cost rule's alternative number ``alternative`` when given)."""
    lines = list(lines)
    choice = indirect_choice(profile, alternative)
    budget = FunderBudget(profile, sum(line.amount_ore for line in lines), choice=choice)
    bases = _Bases()
    for line in lines:
        _convert_line(budget, bases, line, profile)
    if choice.flat:
        for partner in dict.fromkeys(line.partner for line in lines):
            _flat_rate(budget, bases, partner, profile)
    return budget


def _convert_line(budget: FunderBudget, bases: _Bases, line: BudgetLine, profile: Profile) -> None:
    amount, cost_type = line.amount_ore, line.cost_type
    if cost_type is None:
        _add(budget, line.partner, UNTYPED_KEY, amount)
        bases.add(bases.direct, line.partner, amount)
        return
    if cost_type == "personnel":
        amount = _personnel(budget, line, profile)
    choice = budget.choice
    if choice.covers_all_other and cost_type != "personnel":
        rate, basis = _pct(choice.rate.decimal), choice.legal_basis
        budget.steps.append(Step(line.partner, cost_type, {
            "sv": f"Ingår i schablonen {rate} på direkta personalkostnader ({basis}).",
            "en": f"Covered by the {rate} flat rate on direct staff costs ({basis})."}, amount, 0, choice.rate))
        return
    if cost_type == "indirect" and choice.flat:
        budget.steps.append(Step(line.partner, "indirect", {
            "sv": "Indirekta kostnader tas inte upp som belopp; schablonen räknas nedan.",
            "en": "Indirect costs are not claimed as an amount; the flat rate is computed below."},
            amount, 0, profile.indirect.sourced))
        return
    category = profile.category_for(cost_type)
    key = category.key if category else profile.refusals[cost_type].instead
    if category is None:
        names = COST_TYPE_NAMES[cost_type]
        budget.steps.append(Step(line.partner, cost_type, {
            "sv": f"Kostnadstypen {names['sv']} godtas inte som sådan; förs till {_category_name(profile, key, 'sv')}.",
            "en": f"Cost type {names['en']} is not accepted as such; goes to {_category_name(profile, key, 'en')}."},
            amount, amount, profile.refusals[cost_type].sourced))
    _add(budget, line.partner, key, amount)
    if cost_type == "personnel":
        bases.add(bases.staff, line.partner, amount)
    if cost_type != "indirect":
        bases.add(bases.direct, line.partner, amount)
        if cost_type == "consultancy" and (line.subcontracting
                                           or budget.choice.base == "direct_excluding_subcontracting"):
            bases.add(bases.subcontracted, line.partner, amount)


def _category_name(profile: Profile, key: str, language: str) -> str:
    category = next((c for c in profile.categories if c.key == key), None)
    return category.name.get(language) or category.name.get("sv") if category else key


def _personnel(budget: FunderBudget, line: BudgetLine, profile: Profile) -> int:
    """The personnel line after the funder's hourly-rate rule (annual costs over its hours), where it has one."""
    rule = profile.personnel
    if not (rule.method == "annual_cost_over_hours" and rule.annual_hours and line.hours is not None
            and line.annual_cost_ore):
        return line.amount_ore
    annual_hours = rule.annual_hours.decimal
    converted = round_ore(Decimal(line.hours) * Decimal(line.annual_cost_ore) / annual_hours)
    budget.steps.append(Step(line.partner, "personnel", {
        lang: (f"{'Personal' if lang == 'sv' else 'Staff'}: {line.hours} h × "
               f"({'årliga lönekostnader' if lang == 'sv' else 'annual staff costs'} {_kr(line.annual_cost_ore, lang)}"
               f" / {annual_hours} h) = {_kr(converted, lang)} "
               f"({'i stället för' if lang == 'sv' else 'instead of'} {_kr(line.amount_ore, lang)})")
        for lang in ("sv", "en")}, line.amount_ore, converted, rule.annual_hours))
    return converted


_BASE_LABELS = {
    "direct_staff": {"sv": "direkta personalkostnader", "en": "direct staff costs"},
    "direct_excluding_subcontracting": {"sv": "direkta kostnader utom underentreprenad",
                                        "en": "direct costs excluding subcontracting"},
}


def _flat_rate(budget: FunderBudget, bases: _Bases, partner: str, profile: Profile) -> None:
    choice = budget.choice
    rate = choice.rate.decimal
    key = profile.category_for("indirect").key if profile.category_for("indirect") else FLAT_RATE_KEY
    if choice.base == "direct_staff":
        base = bases.staff.get(partner, 0)
    elif choice.base == "direct_excluding_subcontracting":
        base = bases.direct.get(partner, 0) - bases.subcontracted.get(partner, 0)
    else:
        base = bases.direct.get(partner, 0)
    label = _BASE_LABELS.get(choice.base, {"sv": "direkta kostnader", "en": "direct costs"})
    amount = round_ore(Decimal(base) * rate)
    basis = choice.legal_basis
    budget.steps.append(Step(partner, FLAT_RATE_KEY, {
        "sv": f"Schablon {_pct(rate)} av {label['sv']} {_kr(base, 'sv')} = {_kr(amount, 'sv')} ({basis})",
        "en": f"Flat rate {_pct(rate)} of {label['en']} {_kr(base, 'en')} = {_kr(amount, 'en')} ({basis})"},
        0, amount, choice.rate))
    _add(budget, partner, key, amount)
