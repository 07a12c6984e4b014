"""The budget API's body read straight into budget rows.

Pure: the ``costs`` and ``funding`` lists of a JSON body (as GET /api/v1/projects/<id> writes them) in;
the same rows the budget table gives, with errors named by the body's own fields (``costs[1].amount_sek``).
Every line sent is a line: an API client has no spare rows, so an empty one is an error, not skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import FieldError, InputError
from .budget_lines import BudgetRows, FieldName, cost_line, funding_line

_TEXTS = {"costs": ("partner", "category"), "funding": ("partner", "source", "kind", "category")}
_BODY_KEYS = {"amount": "amount_sek"}


def _fields(name: str, index: int) -> FieldName:
    return lambda key: f"{name}[{index}].{_BODY_KEYS.get(key, key)}"


def _text(value: Any) -> str:
    # An amount or a rate may come as a JSON number (1000000, 0.6); parse_ore reads its text exactly.
    return "" if value is None else str(value).strip()


def _values(line: Mapping[str, Any], name: str) -> dict[str, Any]:
    values: dict[str, Any] = {key: str(line.get(key) or "").strip() for key in _TEXTS[name]}
    values["amount"] = _text(line.get("amount_sek"))
    values["in_kind"] = line.get("in_kind") is True
    if name == "funding":
        values["union_max_rate"] = _text(line.get("union_max_rate"))
    return values


def _lines(body: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    lines = body.get(name, [])
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise InputError(FieldError(name, f"{name} måste vara en lista med objekt.",
                                    f"{name} must be a list of objects."))
    return lines


def parse_budget_body(body: Mapping[str, Any], partner_keys: set[str]) -> BudgetRows:
    costs, funding = _lines(body, "costs"), _lines(body, "funding")
    out = BudgetRows()
    for index, line in enumerate(costs):
        out.costs.append(cost_line(_values(line, "costs"), _fields("costs", index), partner_keys, out.errors))
    for index, line in enumerate(funding):
        out.funding.append(funding_line(_values(line, "funding"), _fields("funding", index), partner_keys,
                                        out.errors))
    return out
