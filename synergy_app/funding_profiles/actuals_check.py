"""The state-aid check re-run on actual figures: the flags the actuals raise that the plan did not.

The plan is checked as the project page checks it. For the actuals, the same document is built with
the costs replaced by the actual costs of the window (a reporting period, or the project to date) and
the funding by what the plan grants for that window:

- each actual amount (per partner and cost type) is spread over the aid categories of the partner's
  planned lines of the same cost type, in proportion to their amounts (the partner's planned lines of any
  type when it planned none of that type; largest remainder, so the spread sums to the öre);
- public funding is the plan's, in proportion to the share of the project's duration (work start to end
  date, in days) the window covers: the whole grant for the whole project;
- private co-financing is what the partner bears: its actual costs less the public funding, spread over
  its planned private lines (nothing when public funding covers the costs);
- a partner with no actual costs in the window has not reported yet: its planned costs and all its
  funding are taken in the same proportion, so it raises no flag of its own.

A flag is new when the plan's check has no flag of the same code for the same partner and category.
Pure apart from ``check_actuals``, which reads the stored project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..stateaid.check_result import CheckResult
from ..stateaid.flags import Flag
from ..stateaid.project_document import CostLine, FundingLine, ProjectDocument
from .conversion import round_ore


@dataclass(frozen=True)
class PlannedLine:
    """A planned cost line as the allocation reads it."""

    partner: str
    category: str
    in_kind: bool
    cost_type: str | None
    amount_ore: int


def spread(total: int, weights: list[int]) -> list[int]:
    """``total`` öre over ``weights`` in proportion, largest remainder first: the parts sum to ``total``."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [total] + [0] * (len(weights) - 1) if weights else []
    exact = [Fraction(total * w, whole) for w in weights]
    parts = [int(x // 1) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def duration_share(window: tuple[date, date], project_span: tuple[date | None, date | None]) -> Fraction:
    """The share of the project's days (both ends counted) the window covers; 1 when the span is unknown."""
    start, end = project_span
    if start is None or end is None or end < start:
        return Fraction(1)
    first, last = max(window[0], start), min(window[1], end)
    if last < first:
        return Fraction(0)
    return Fraction((last - first).days + 1, (end - start).days + 1)


def _round(value: Fraction) -> int:
    return round_ore(Decimal(value.numerator) / Decimal(value.denominator))


def actual_costs(planned: list[PlannedLine], actual: Mapping[tuple[str, str], int]) -> tuple[CostLine, ...]:
    """The actual amounts per (partner, cost type) as cost lines in the plan's aid categories."""
    out: dict[tuple[str, str, bool], int] = {}
    for (partner, cost_type), amount in actual.items():
        own = [p for p in planned if p.partner == partner]
        targets = [p for p in own if p.cost_type == cost_type] or own
        if not targets:
            continue  # a partner without planned lines has no aid category to be checked in
        for line, part in zip(targets, spread(amount, [max(p.amount_ore, 0) for p in targets]), strict=True):
            key = (line.partner, line.category, line.in_kind)
            out[key] = out.get(key, 0) + part
    return tuple(CostLine(p, c, ore, k) for (p, c, k), ore in out.items() if ore)


def actual_funding(plan: Iterable[FundingLine], costs_by_partner: Mapping[str, int],
                   share: Fraction) -> tuple[FundingLine, ...]:
    """The plan's public funding for the window's share, and private funding as the rest of the costs of each
    partner in ``costs_by_partner``; the other partners' private funding in the same share as the public."""
    plan = list(plan)
    public = [replace(f, amount_ore=_round(f.amount_ore * share)) for f in plan
              if f.kind != "private" or f.partner not in costs_by_partner]
    out = [f for f in public if f.amount_ore]
    for partner in costs_by_partner:
        rest = costs_by_partner.get(partner, 0) - sum(f.amount_ore for f in public if f.partner == partner)
        if rest <= 0:
            continue
        private = [f for f in plan if f.kind == "private" and f.partner == partner]
        if not private:
            out.append(FundingLine(partner, "private", partner, rest))
            continue
        for line, part in zip(private, spread(rest, [max(f.amount_ore, 0) for f in private]), strict=True):
            if part:
                out.append(replace(line, amount_ore=part))
    return tuple(out)


def actual_document(doc: ProjectDocument, planned: list[PlannedLine], actual: Mapping[tuple[str, str], int],
                    share: Fraction) -> ProjectDocument:
    """The plan's document with the window's actual costs and the funding the plan grants for it."""
    costs = actual_costs(planned, actual)
    reporting = {line.partner for line in costs}
    costs += tuple(replace(c, amount_ore=_round(c.amount_ore * share)) for c in doc.costs if c.partner not in reporting)
    by_partner: dict[str, int] = {}
    for line in costs:
        by_partner[line.partner] = by_partner.get(line.partner, 0) + line.amount_ore
    return replace(doc, costs=costs, funding=actual_funding(doc.funding, by_partner, share))


def not_reported(doc: ProjectDocument, actual: Mapping[tuple[str, str], int]) -> list[str]:
    """The partners (by name) with no actual costs in the window."""
    reporting = {partner for partner, _type in actual}
    return [p.name for p in doc.partners if p.id not in reporting]


def _key(flag: Flag) -> tuple:
    return (flag.code, flag.partner, flag.category)


def new_flags(plan: CheckResult, actual: CheckResult) -> list[Flag]:
    """The actuals' flags with no flag of the same code, partner and category in the plan's check."""
    planned = {_key(f) for f in plan.flags}
    return [f for f in actual.flags if _key(f) not in planned]


@dataclass(frozen=True)
class ActualsCheck:
    start: date
    end: date
    share: Fraction
    actual_total_ore: int
    plan: CheckResult | None
    actual: CheckResult | None
    new: tuple[Flag, ...]
    error: tuple[str, str] | None = None  # (sv, en) when the project cannot be checked yet
    waiting: tuple[str, ...] = ()  # partners with no actual costs in the window, checked on the plan

    @property
    def share_fraction(self) -> Decimal:
        return (Decimal(self.share.numerator) / Decimal(self.share.denominator)).quantize(Decimal("0.0001"))



def check_actuals(project, start: date, end: date) -> ActualsCheck:
    """The plan's check and the check on the actuals of ``start``..``end``, with the flags that are new."""
    from ..projects import checking  # noqa: PLC0415 - the project check is read only here
    from ..stateaid.project_document import DocumentError  # noqa: PLC0415
    from . import canonical  # noqa: PLC0415 - canonical reads the stored project, kept out of the pure part

    actual: dict[tuple[str, str], int] = {}
    for row in canonical.actual_rows(project, start, end):
        key = (row.partner.key, row.cost_type)
        actual[key] = actual.get(key, 0) + row.amount_ore
    total = sum(actual.values())
    share = duration_share((start, end), (project.work_start, project.end_date))
    try:
        doc = checking.project_document(project)
    except DocumentError as exc:
        return ActualsCheck(start, end, share, total, None, None, (), (exc.message_sv, exc.message_en))
    types = canonical.cost_types(project)
    keys = {p.id: p.key for p in project.partners}
    planned = [PlannedLine(keys[c.partner_id], c.category, c.in_kind,
                           types[c.id].cost_type if c.id in types else None, c.amount_ore) for c in project.cost_lines]
    plan_result = checking.check_document(doc)
    actual_result = checking.check_document(actual_document(doc, planned, actual, share))
    return ActualsCheck(start, end, share, total, plan_result, actual_result,
                        tuple(new_flags(plan_result, actual_result)), waiting=tuple(not_reported(doc, actual)))
