"""One budget line's rules, shared by the budget table editor and the budget API.

Pure: one line's values in (texts as typed or sent, ``in_kind`` a bool), the parsed line out and any
errors under the name the caller gives each value, so a table cell (``cost-3-amount``) and a JSON field
(``costs[3].amount_sek``) are judged by the same rules and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..money import AmountError, parse_ore
from ..stateaid.vocabulary import CATEGORIES, SOURCE_KINDS

# A line's key ("amount") -> the name of the field it came from, for the error.
FieldName = Callable[[str], str]


@dataclass
class BudgetRows:
    costs: list[dict] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    # field name (e.g. "cost-3-amount" or "costs[3].amount_sek") -> (Swedish, English)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the posted values per row, to show the table again with the user's input
    raw_costs: list[dict] = field(default_factory=list)
    raw_funding: list[dict] = field(default_factory=list)


def _amount(value: str, name: str, errors: dict) -> int | None:
    try:
        return parse_ore(value)
    except AmountError as exc:
        errors[name] = (exc.message_sv, exc.message_en)
        return None


def cost_line(line: Mapping[str, Any], name: FieldName, partner_keys: set[str], errors: dict) -> dict:
    partner, category = line.get("partner", ""), line.get("category", "")
    if partner not in partner_keys:
        errors[name("partner")] = ("Välj en partner i projektet.", "Choose a partner of the project.")
    if category not in CATEGORIES:
        errors[name("category")] = ("Välj en kostnadskategori.", "Choose a cost category.")
    amount = _amount(line.get("amount", ""), name("amount"), errors)
    return {"partner": partner, "category": category, "amount_ore": amount, "in_kind": line.get("in_kind") is True}


def _union_rate(text: str, kind: str, name: FieldName, errors: dict) -> Decimal | None:
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
        errors[name("union_max_rate")] = (
            "Ange EU-programmets finansieringsgrad (0–100 %) och bara för centralt förvaltade EU-medel.",
            "Give the Union programme's funding rate (0–100 %), only for centrally managed Union funding.")
        return None
    return rate


def funding_line(line: Mapping[str, Any], name: FieldName, partner_keys: set[str], errors: dict) -> dict:
    partner, kind, category = line.get("partner", ""), line.get("kind", ""), line.get("category", "")
    if partner not in partner_keys:
        errors[name("partner")] = ("Välj vilken partner som tar emot pengarna.",
                                   "Choose the partner receiving the money.")
    if not line.get("source"):
        # Worded with a name, as people type or pick it from the list (never a key).
        errors[name("source")] = ("Ange finansiären: skriv eller välj ett namn i listan, t.ex. Vinnova.",
                                  "Enter the funder: type or pick a name from the list, e.g. Vinnova.")
    if kind not in SOURCE_KINDS:
        errors[name("kind")] = ("Välj typ av finansiering.", "Choose the kind of funding.")
    if category and category not in CATEGORIES:
        errors[name("category")] = ("Välj en kostnadskategori.", "Choose a cost category.")
    elif not category and kind in SOURCE_KINDS and kind != "private":
        errors[name("category")] = ("Offentlig finansiering behöver en kostnadskategori.",
                                    "Public funding needs a cost category.")
    amount = _amount(line.get("amount", ""), name("amount"), errors)
    rate = _union_rate(line.get("union_max_rate", ""), kind, name, errors)
    return {"partner": partner, "source": line.get("source", ""), "kind": kind, "category": category or None,
            "amount_ore": amount, "in_kind": line.get("in_kind") is True, "union_max_rate": rate}
