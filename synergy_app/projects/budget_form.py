"""The budget table editor's rows: read the posted cells, judge each line, name the bad cell.

Pure: a flat mapping of form fields (``cost-3-amount``) in; parsed rows and per-cell errors out.
A row whose cells are all empty is a spare row and is ignored; a row marked for removal is dropped.
The rules for one line are in ``budget_lines``, which the budget API uses too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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


def _blank(row: dict[str, str]) -> bool:
    return not any(row.get(k) for k in ("amount", "source", "category", "union_max_rate"))


def _cells(prefix: str, index: int) -> FieldName:
    return lambda key: f"{prefix}-{index}-{key}"


def _line(row: dict[str, str]) -> dict:
    # The cash/in-kind choice is posted as the word "in_kind".
    return row | {"in_kind": row.get("in_kind") == "in_kind"}


def parse_budget(form: Mapping[str, str], partner_keys: set[str]) -> BudgetRows:
    out = BudgetRows()
    for index, row in _rows(form, "cost").items():
        out.raw_costs.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.costs.append(cost_line(_line(row), _cells("cost", index), partner_keys, out.errors))
    for index, row in _rows(form, "fund").items():
        out.raw_funding.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.funding.append(funding_line(_line(row), _cells("fund", index), partner_keys, out.errors))
    return out
