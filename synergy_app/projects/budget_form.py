"""The budget table editor's rows: parse the posted cells, validate each one, name the bad cell.

Pure: a flat mapping of form fields (``cost-3-amount``) in; parsed rows and per-cell errors out.
A row whose cells are all empty is a spare row and is ignored; a row marked for removal is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..money import AmountError, parse_ore
from ..stateaid.vocabulary import CATEGORIES, SOURCE_KINDS

COST_CELLS = ("partner", "category", "amount", "in_kind")
FUNDING_CELLS = ("partner", "source", "kind", "category", "amount", "in_kind", "union_max_rate")
_ROW = re.compile(r"^(cost|fund)-(\d+)-([a-z_]+)$")
MAX_ROWS = 2000


@dataclass
class BudgetRows:
    costs: list[dict] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    # cell name (e.g. "cost-3-amount") -> (Swedish, English)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the posted values per row, to show the table again with the user's input
    raw_costs: list[dict] = field(default_factory=list)
    raw_funding: list[dict] = field(default_factory=list)


def _amount(value: str, cell: str, errors: dict) -> int | None:
    try:
        return parse_ore(value)
    except AmountError as exc:
        errors[cell] = (exc.message_sv, exc.message_en)
        return None


def _rows(form: Mapping[str, str], prefix: str) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for name in form:
        match = _ROW.match(name)
        if match and match.group(1) == prefix and int(match.group(2)) < MAX_ROWS:
            rows.setdefault(int(match.group(2)), {})[match.group(3)] = (form.get(name) or "").strip()
    return dict(sorted(rows.items()))


def _blank(row: dict[str, str]) -> bool:
    return not any(row.get(k) for k in ("amount", "source", "category", "union_max_rate"))


def _cost_row(row: dict[str, str], cell: str, partner_keys: set[str], errors: dict) -> dict:
    partner, category = row.get("partner", ""), row.get("category", "")
    if partner not in partner_keys:
        errors[cell + "partner"] = ("Välj en partner i projektet.", "Choose a partner of the project.")
    if category not in CATEGORIES:
        errors[cell + "category"] = ("Välj en kostnadskategori.", "Choose a cost category.")
    amount = _amount(row.get("amount", ""), cell + "amount", errors)
    return {"partner": partner, "category": category, "amount_ore": amount, "in_kind": row.get("in_kind") == "in_kind"}


def _union_rate(text: str, kind: str, cell: str, errors: dict) -> Decimal | None:
    """The Union programme's funding rate as a share ('60', '60 %' or '0,6' -> 0.6); only for eu_direct lines."""
    if not text:
        return None
    try:
        rate = Decimal(text.replace(",", ".").removesuffix("%").strip())
        if rate > 1:
            rate = rate / 100
        if not Decimal(0) <= rate <= Decimal(1) or kind != "eu_direct":
            raise InvalidOperation
    except InvalidOperation:
        errors[cell + "union_max_rate"] = (
            "Ange EU-programmets finansieringsgrad (0–100 %) och bara för centralt förvaltade EU-medel.",
            "Give the Union programme's funding rate (0–100 %), only for centrally managed Union funding.")
        return None
    return rate


def _funding_row(row: dict[str, str], cell: str, partner_keys: set[str], errors: dict) -> dict:
    partner, kind, category = row.get("partner", ""), row.get("kind", ""), row.get("category", "")
    if partner not in partner_keys:
        errors[cell + "partner"] = ("Välj vilken partner som tar emot pengarna.",
                                    "Choose the partner receiving the money.")
    if not row.get("source"):
        errors[cell + "source"] = ("Ange finansiären (t.ex. vinnova).", "Enter the funder (e.g. vinnova).")
    if kind not in SOURCE_KINDS:
        errors[cell + "kind"] = ("Välj typ av finansiering.", "Choose the kind of funding.")
    if category and category not in CATEGORIES:
        errors[cell + "category"] = ("Välj en kostnadskategori.", "Choose a cost category.")
    elif not category and kind in SOURCE_KINDS and kind != "private":
        errors[cell + "category"] = ("Offentlig finansiering behöver en kostnadskategori.",
                                     "Public funding needs a cost category.")
    amount = _amount(row.get("amount", ""), cell + "amount", errors)
    rate = _union_rate(row.get("union_max_rate", ""), kind, cell, errors)
    return {"partner": partner, "source": row.get("source", ""), "kind": kind, "category": category or None,
            "amount_ore": amount, "in_kind": row.get("in_kind") == "in_kind", "union_max_rate": rate}


def parse_budget(form: Mapping[str, str], partner_keys: set[str]) -> BudgetRows:
    out = BudgetRows()
    for index, row in _rows(form, "cost").items():
        out.raw_costs.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.costs.append(_cost_row(row, f"cost-{index}-", partner_keys, out.errors))
    for index, row in _rows(form, "fund").items():
        out.raw_funding.append(row | {"index": index})
        if not (row.get("delete") or _blank(row)):
            out.funding.append(_funding_row(row, f"fund-{index}-", partner_keys, out.errors))
    return out
