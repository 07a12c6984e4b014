"""Result dataclasses of the project check and their JSON shape.

Money is integer öre with a ``*_sek`` display string (Swedish) beside it; intensities are percent strings
with two decimals ("45.00"); amounts in EUR are decimal strings ("300000.00").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from ..money import format_sek, percent_string
from .flags import ERROR, INFO, SEVERITY_ORDER, WARNING, Flag
from .intensity import Reason
from .regional_aid_map import AssistedArea


@dataclass(frozen=True)
class CategoryResult:
    category: str
    eligible_costs: int
    public_by_kind: dict[str, int]
    private: int
    treatment: str  # gber | de_minimis | not_state_aid | unchecked
    max_intensity: Decimal | None = None
    reasons: tuple[Reason, ...] = ()
    allowed_aid: int | None = None

    # Worked out once: the check, the report and the pages ask for these many times per category
    # (a frozen dataclass keeps them in its __dict__; the amounts they derive from never change).
    @cached_property
    def state_aid(self) -> int:
        if self.treatment == "not_state_aid":
            return 0
        return sum(v for k, v in self.public_by_kind.items() if k != "eu_direct")

    @cached_property
    def public(self) -> int:
        return sum(self.public_by_kind.values())

    @property
    def planned_intensity(self) -> Decimal | None:
        if not self.eligible_costs or self.treatment == "not_state_aid":
            return None
        return Decimal(self.state_aid) / Decimal(self.eligible_costs)

    @property
    def headroom(self) -> int | None:
        return None if self.allowed_aid is None else self.allowed_aid - self.state_aid

    def to_dict(self) -> dict[str, Any]:
        planned = self.planned_intensity
        return {
            "category": self.category,
            "eligible_costs": self.eligible_costs,
            "eligible_costs_sek": format_sek(self.eligible_costs, "sv"),
            "public_aid_by_source_kind": dict(self.public_by_kind),
            "state_aid": self.state_aid,
            "state_aid_sek": format_sek(self.state_aid, "sv"),
            "private": self.private,
            "treatment": self.treatment,
            "max_intensity_percent": None if self.max_intensity is None else percent_string(self.max_intensity),
            "max_intensity_reasons": [r.to_dict() for r in self.reasons],
            "planned_intensity_percent": None if planned is None else percent_string(planned),
            "allowed_aid": self.allowed_aid,
            "headroom": self.headroom,
            "headroom_sek": None if self.headroom is None else format_sek(self.headroom, "sv"),
        }


@dataclass(frozen=True)
class PartnerResult:
    id: str
    name: str
    kind: str
    size: str | None
    categories: tuple[CategoryResult, ...]
    private_planned: int
    private_required: int
    de_minimis: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        costs = sum(c.eligible_costs for c in self.categories)
        public = sum(c.public for c in self.categories)
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "size": self.size,
            "categories": [c.to_dict() for c in self.categories],
            "totals": {"eligible_costs": costs, "public": public, "private": self.private_planned,
                       "eligible_costs_sek": format_sek(costs, "sv"), "public_sek": format_sek(public, "sv"),
                       "private_sek": format_sek(self.private_planned, "sv")},
            "private_cofinancing": {"required": self.private_required, "planned": self.private_planned,
                                    "required_sek": format_sek(self.private_required, "sv"),
                                    "planned_sek": format_sek(self.private_planned, "sv")},
            "de_minimis": self.de_minimis,
        }


@dataclass(frozen=True)
class CheckResult:
    title: str
    grant_date: str
    rulesets: dict[str, dict[str, str] | None]
    exchange_rate: dict[str, str] | None
    partners: tuple[PartnerResult, ...]
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    assisted_area: AssistedArea | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.flags)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.flags if f.severity == severity)

    def flags_for(self, partner: str | None, category: str | None = None) -> list[Flag]:
        return [f for f in self.flags if f.partner == partner and (category is None or f.category == category)]

    def to_dict(self) -> dict[str, Any]:
        required = sum(p.private_required for p in self.partners)
        planned = sum(p.private_planned for p in self.partners)
        return {
            "project": {"title": self.title, "grant_date": self.grant_date},
            "ruleset": self.rulesets,
            "exchange_rate": self.exchange_rate,
            "assisted_area": self.assisted_area.to_dict() if self.assisted_area else None,
            "partners": [p.to_dict() for p in self.partners],
            "private_cofinancing": {"required": required, "planned": planned,
                                    "required_sek": format_sek(required, "sv"),
                                    "planned_sek": format_sek(planned, "sv")},
            "flags": [f.to_dict() for f in sorted(self.flags, key=lambda f: SEVERITY_ORDER[f.severity])],
            "summary": {"errors": self.count(ERROR), "warnings": self.count(WARNING), "infos": self.count(INFO)},
        }
