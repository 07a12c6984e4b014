"""The budget table editor's rows: read the posted cells, judge each line, name the bad cell.

Pure: a flat mapping of form fields (``cost-3-amount``) in; parsed rows and per-cell errors out.
A row whose cells are all empty is a spare row and is ignored; a row marked for removal is dropped.
The rules for one line are in ``budget_lines``, which the budget API uses too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..money import AmountError, parse_ore
from .budget_lines import BudgetRows, FieldName, cost_line, funding_line

COST_CELLS = ("partner", "category", "amount", "in_kind")
FUNDING_CELLS = ("partner", "source", "kind", "category", "amount", "in_kind", "union_max_rate")
_ROW = re.compile(r"^(cost|fund)-(\d+)-([a-z_]+)$")
MAX_ROWS = 2000


def _rows(form: Mapping[str, str], prefix: str) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for name in form:
        match = _ROW.match(name)
        if match and match.group(1) == prefix and int(match.group(2)) < MAX_ROWS:
            rows.setdefault(int(match.group(2)), {})[match.group(3)] = (form.get(name) or "").strip()
    return dict(sorted(rows.items()))


def is_blank(row: Mapping[str, str]) -> bool:
    """A spare row: nothing typed in it (its partner and form may be preset)."""
    return _blank(row)


def _blank(row: Mapping[str, str]) -> bool:
    return not any(row.get(k) for k in ("amount", "source", "category", "union_max_rate"))


def _cells(prefix: str, index: int) -> FieldName:
    return lambda key: f"{prefix}-{index}-{key}"


def _line(row: dict[str, str]) -> dict:
    # The cash/in-kind choice is posted as the word "in_kind".
    return row | {"in_kind": row.get("in_kind") == "in_kind"}


def parse_budget(form: Mapping[str, str], partner_keys: set[str],
                 sources: Mapping[str, str] | None = None) -> BudgetRows:
    """``sources``: a funder, programme or partner as people name it (case-folded) -> its key, so the
    funder is chosen by name; a name not in it is kept as typed (a funder outside the directory)."""
    out = BudgetRows()
    for index, row in _rows(form, "cost").items():
        out.raw_costs.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.costs.append(cost_line(_line(row), _cells("cost", index), partner_keys, out.errors))
    for index, row in _rows(form, "fund").items():
        if row.get("source") and sources:
            row["source"] = sources.get(row["source"].casefold(), row["source"])
        out.raw_funding.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.funding.append(funding_line(_line(row), _cells("fund", index), partner_keys, out.errors))
    return out


@dataclass
class RunningTotals:
    """Sums of the rows as entered (amounts the reader refuses are left out), in öre."""

    partners: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> costs, funding, public
    funders: dict[str, int] = field(default_factory=dict)  # source -> funding
    costs: int = 0
    funding: int = 0

    def partner(self, key: str) -> dict[str, int]:
        return self.partners.get(key) or {"costs": 0, "funding": 0, "public": 0}


def _entered(row: Mapping[str, str]) -> int | None:
    if row.get("delete") or _blank(row):
        return None
    try:
        return parse_ore(row.get("amount") or "")
    except AmountError:
        return None


def running_totals(costs: list[Mapping[str, str]], funding: list[Mapping[str, str]]) -> RunningTotals:
    """Per partner (costs, funding, of it public) and per funder, for rows as typed or stored."""
    out = RunningTotals()
    for row in costs:
        amount = _entered(row)
        if amount is not None:
            entry = out.partners.setdefault(row.get("partner") or "", {"costs": 0, "funding": 0, "public": 0})
            entry["costs"] += amount
            out.costs += amount
    for row in funding:
        amount = _entered(row)
        if amount is not None:
            entry = out.partners.setdefault(row.get("partner") or "", {"costs": 0, "funding": 0, "public": 0})
            entry["funding"] += amount
            if row.get("kind") != "private":
                entry["public"] += amount
            source = row.get("source") or ""
            out.funders[source] = out.funders.get(source, 0) + amount
            out.funding += amount
    return out
