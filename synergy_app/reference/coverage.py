"""How complete a shipped list of areas is, so pages can say "not yet sourced" instead of showing a gap.

Pure: no Flask, no database. The reference files state, per region and per agency, whether the listed
areas are all the areas the source names (`complete`) and how many the source says there are
(`stated_count`, when it says), optionally for one kind of area only (`kind`). The seed stores that
statement in the organisation's details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Coverage:
    complete: bool
    listed: int
    stated_count: int | None = None
    note: str | None = None

    @property
    def nothing_sourced(self) -> bool:
        return self.listed == 0

    @property
    def missing(self) -> int | None:
        """How many areas the source names that are not listed, when the source says how many there are."""
        if self.stated_count is None:
            return None
        return max(self.stated_count - self.listed, 0)


def check_statement(raw: Any, listed: int, where: str) -> dict | None:
    """The coverage statement of a reference record, checked; None when the record has none.

    ValueError names the record when the statement is malformed or contradicts the list (a "complete"
    list whose length differs from the stated count, an incomplete list that does not say why).
    """
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping with complete, stated_count and note")
    unknown = set(raw) - {"complete", "stated_count", "note", "kind"}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    complete = raw.get("complete")
    if not isinstance(complete, bool):
        raise ValueError(f"{where}.complete: must be true or false")
    stated = raw.get("stated_count")
    if stated is not None and (not isinstance(stated, int) or isinstance(stated, bool) or stated < 0):
        raise ValueError(f"{where}.stated_count: must be a whole number or null")
    if complete and stated is not None and stated != listed:
        raise ValueError(f"{where}: marked complete with {stated} areas stated but {listed} listed")
    if not complete and not raw.get("note"):
        raise ValueError(f"{where}.note: an incomplete list must say what was searched and not found")
    if stated is not None and listed > stated:
        raise ValueError(f"{where}: {listed} areas listed but the source states {stated}")
    statement = {"complete": complete, "stated_count": stated, "note": raw.get("note")}
    if raw.get("kind"):
        statement["kind"] = str(raw["kind"])
    return statement


def listed_of_kind(statement: Mapping | None, items: list) -> list:
    """The items a statement is about: those of its `kind` (e.g. an agency's strategic areas), else all."""
    kind = (statement or {}).get("kind")
    return [i for i in items if getattr(i, "kind", None) == kind] if kind else list(items)


def coverage(statement: Mapping | None, listed: int) -> Coverage:
    """What a page should say about a list of `listed` areas, given the stored statement (or none).

    Without a statement a non-empty list counts as complete (the reference data lists what its source
    lists) and an empty list as nothing sourced.
    """
    if not statement:
        return Coverage(complete=listed > 0, listed=listed)
    return Coverage(complete=bool(statement.get("complete")) and listed > 0, listed=listed,
                    stated_count=statement.get("stated_count"), note=statement.get("note"))
