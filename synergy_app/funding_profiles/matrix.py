"""The requirement matrix: what each funder needs, read against the project's one description and budget.

Pure: the canonical sections (texts by section key), the budget lines and the profiles go in; rows
(canonical sections, questions only one funder asks, cost types) by columns (funders) come out. A text
over a funder's limit is reported with by how much, never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .conversion import BudgetLine
from .profiles import CANONICAL_SECTIONS, COST_TYPE_NAMES, COST_TYPES, Profile, Section

SECTION_NAMES = {
    "aim": {"sv": "Mål", "en": "Aim"},
    "background": {"sv": "Bakgrund och behov", "en": "Background and need"},
    "implementation": {"sv": "Genomförande och arbetsplan", "en": "Implementation and work plan"},
    "partners": {"sv": "Parter och roller", "en": "Partners and roles"},
    "budget": {"sv": "Budget", "en": "Budget"},
    "results": {"sv": "Förväntade resultat och effekter", "en": "Expected results and effects"},
    "dissemination": {"sv": "Spridning", "en": "Dissemination"},
    "horizontal": {"sv": "Jämställdhet och horisontella kriterier", "en": "Gender equality and horizontal criteria"},
    "state_aid": {"sv": "Statligt stöd", "en": "State aid"},
}


@dataclass(frozen=True)
class Cell:
    """``status``: covered | over | missing | not_asked | own_question | mapped | not_accepted | flat_rate."""

    status: str
    label: str = ""  # the funder's own section or category name
    over_by: int = 0
    unit: str = ""
    limit: int | None = None
    length: int | None = None
    instead: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "label": self.label, "verified": self.verified}
        for key in ("over_by", "unit", "limit", "length", "instead"):
            value = getattr(self, key)
            if value not in ("", None, 0):
                out[key] = value
        return out


@dataclass(frozen=True)
class Row:
    kind: str  # section | own_question | cost_type
    key: str
    name: Mapping[str, str]
    cells: tuple[Cell, ...]
    used: bool = True  # for cost types: whether the budget has a line of this type


@dataclass
class Matrix:
    funders: tuple[Profile, ...]
    rows: list[Row] = field(default_factory=list)

    def to_dict(self, language: str) -> dict[str, Any]:
        return {
            "funders": [{"slug": p.funder, "profile": p.id, "name": p.title[language],
                         "unverified_values": p.unverified()} for p in self.funders],
            "rows": [{"kind": r.kind, "key": r.key, "name": r.name[language], "used": r.used,
                      "cells": {p.funder: c.to_dict() for p, c in zip(self.funders, r.cells, strict=True)}}
                     for r in self.rows],
        }


def section_text(section: Section, texts: Mapping[str, str]) -> str:
    """What the funder's section is filled with: the canonical sections it draws on, in its order."""
    return "\n\n".join(texts[key].strip() for key in section.covers if texts.get(key, "").strip())


def _section_cell(profile: Profile, key: str, texts: Mapping[str, str], language: str) -> Cell:
    section = next((s for s in profile.sections if key in s.covers), None)
    if section is None:
        return Cell("not_asked")
    label = section.name[language]
    if not texts.get(key, "").strip():
        return Cell("missing" if section.required else "not_asked", label, verified=section.sourced.verified)
    if section.limit:
        length = section.limit.measure(section_text(section, texts))
        if length > section.limit.value:
            return Cell("over", label, length - section.limit.value, section.limit.unit, section.limit.value, length,
                        verified=section.limit.sourced.verified)
        return Cell("covered", label, 0, section.limit.unit, section.limit.value, length,
                    verified=section.limit.sourced.verified)
    return Cell("covered", label, verified=section.sourced.verified)


def _cost_cell(profile: Profile, cost_type: str, language: str) -> Cell:
    if cost_type == "indirect" and profile.indirect.method == "flat_rate" and profile.indirect.rate:
        rate = profile.indirect.rate
        return Cell("flat_rate", f"{(rate.decimal * 100).normalize():f} %", instead=profile.indirect.legal_basis,
                    verified=rate.verified)
    category = profile.category_for(cost_type)
    if category is not None:
        return Cell("mapped", category.name[language], verified=category.sourced.verified)
    refusal = profile.refusals[cost_type]
    target = profile.category(refusal.instead)
    instead = target.name[language] if target else (refusal.reason or {}).get(language, refusal.instead)
    return Cell("not_accepted", "", instead=instead, verified=refusal.sourced.verified)


def build_matrix(texts: Mapping[str, str], lines: Iterable[BudgetLine], profiles: Iterable[Profile],
                 language: str = "sv") -> Matrix:
    """Rows by funders; ``texts`` maps canonical section keys to the text written in ``language``."""
    matrix = Matrix(tuple(profiles))
    for key in CANONICAL_SECTIONS:
        matrix.rows.append(Row("section", key, SECTION_NAMES[key],
                               tuple(_section_cell(p, key, texts, language) for p in matrix.funders)))
    for owner in matrix.funders:
        for section in owner.sections:
            if section.covers:
                continue
            cells = tuple(Cell("own_question", section.name[language], verified=section.sourced.verified)
                          if p is owner else Cell("not_asked") for p in matrix.funders)
            matrix.rows.append(Row("own_question", f"{owner.funder}:{section.key}", section.name, cells))
    used = {line.cost_type for line in lines}
    for cost_type in COST_TYPES:
        name = COST_TYPE_NAMES[cost_type]
        cells = tuple(_cost_cell(p, cost_type, language) for p in matrix.funders)
        matrix.rows.append(Row("cost_type", cost_type, name, cells, cost_type in used))
    if None in used:
        matrix.rows.append(Row("cost_type", "untyped", {"sv": "Kostnadsrader utan kostnadstyp",
                                                        "en": "Cost lines without a cost type"},
                               tuple(Cell("missing") for _ in matrix.funders)))
    return matrix
