"""The canonical budget in one funder's categories, after its personnel and indirect-cost rules.

Pure: lines in, a funder budget out, with every step that changed an amount written down so that the
canonical total plus the steps' differences is the funder's total, to the öre. Amounts are integer
öre; rates are Decimal; each computed amount is rounded once, half up to the whole öre.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .profiles import Profile, Sourced

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


def convert(lines: Iterable[BudgetLine], profile: Profile) -> FunderBudget:
    """The canonical lines in ``profile``'s categories, with the personnel and indirect-cost rules applied."""
    lines = list(lines)
    budget = FunderBudget(profile, sum(line.amount_ore for line in lines))
    staff: dict[str, int] = {}
    direct: dict[str, int] = {}
    subcontracted: dict[str, int] = {}
    flat = profile.indirect.method == "flat_rate"
    hours_rule = profile.personnel.method == "annual_cost_over_hours" and profile.personnel.annual_hours
    for line in lines:
        amount = line.amount_ore
        cost_type = line.cost_type
        if cost_type is None:
            _add(budget, line.partner, UNTYPED_KEY, amount)
            direct[line.partner] = direct.get(line.partner, 0) + amount
            continue
        if cost_type == "personnel" and hours_rule and line.hours is not None and line.annual_cost_ore:
            annual_hours = profile.personnel.annual_hours.decimal
            rate = Decimal(line.annual_cost_ore) / annual_hours
            converted = round_ore(Decimal(line.hours) * rate)
            budget.steps.append(Step(line.partner, "personnel", {
                "sv": (f"Personal: {line.hours} h × (årliga lönekostnader {line.annual_cost_ore} öre / "
                       f"{annual_hours} h) = {converted} öre (i stället för {amount} öre)"),
                "en": (f"Staff: {line.hours} h × (annual staff costs {line.annual_cost_ore} öre / "
                       f"{annual_hours} h) = {converted} öre (instead of {amount} öre)")},
                amount, converted, profile.personnel.annual_hours))
            amount = converted
        if cost_type == "indirect" and flat:
            budget.steps.append(Step(line.partner, "indirect", {
                "sv": "Indirekta kostnader tas inte upp som belopp; schablonen räknas nedan.",
                "en": "Indirect costs are not claimed as an amount; the flat rate is computed below."},
                amount, 0, profile.indirect.sourced))
            continue
        category = profile.category_for(cost_type)
        key = category.key if category else profile.refusals[cost_type].instead
        if category is None:
            budget.steps.append(Step(line.partner, cost_type, {
                "sv": f"Kostnadstypen {cost_type} godtas inte som sådan; förs till {key}.",
                "en": f"Cost type {cost_type} is not accepted as such; goes to {key}."},
                amount, amount, profile.refusals[cost_type].sourced))
        _add(budget, line.partner, key, amount)
        if cost_type == "personnel":
            staff[line.partner] = staff.get(line.partner, 0) + amount
        if cost_type != "indirect":
            direct[line.partner] = direct.get(line.partner, 0) + amount
            if cost_type == "consultancy" and (line.subcontracting or profile.indirect.base ==
                                                "direct_excluding_subcontracting"):
                subcontracted[line.partner] = subcontracted.get(line.partner, 0) + amount
    if flat and profile.indirect.rate is not None:
        rate = profile.indirect.rate.decimal
        key = profile.category_for("indirect").key if profile.category_for("indirect") else FLAT_RATE_KEY
        for partner in dict.fromkeys(line.partner for line in lines):
            if profile.indirect.base == "direct_staff":
                base = staff.get(partner, 0)
                label = {"sv": "direkta personalkostnader", "en": "direct staff costs"}
            elif profile.indirect.base == "direct_excluding_subcontracting":
                base = direct.get(partner, 0) - subcontracted.get(partner, 0)
                label = {"sv": "direkta kostnader utom underentreprenad", "en": "direct costs excluding subcontracting"}
            else:
                base = direct.get(partner, 0)
                label = {"sv": "direkta kostnader", "en": "direct costs"}
            amount = round_ore(Decimal(base) * rate)
            basis = profile.indirect.legal_basis
            budget.steps.append(Step(partner, FLAT_RATE_KEY, {
                "sv": f"Schablon {_pct(rate)} av {label['sv']} {base} öre = {amount} öre ({basis})",
                "en": f"Flat rate {_pct(rate)} of {label['en']} {base} öre = {amount} öre ({basis})"},
                0, amount, profile.indirect.rate))
            _add(budget, partner, key, amount)
    return budget
