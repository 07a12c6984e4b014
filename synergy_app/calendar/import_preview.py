"""The preview every import produces before anything is saved: one result per row, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .call_data import CallData, FieldError


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"
    SKIP = "skip"  # not a call (e.g. a meeting in a funder's calendar); reported, not an error


@dataclass
class RowResult:
    """One row of a spreadsheet, or one call (a group of VEVENTs) of an ICS file."""

    row_number: int  # spreadsheet row (header is 1) or position of the first VEVENT (1-based)
    identity: str | None
    call: CallData | None
    errors: list[FieldError] = field(default_factory=list)
    action: RowAction = RowAction.REJECT
    warnings: list[FieldError] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[RowResult]
    file_errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only when every row is valid: an import saves all rows or none."""
        return not self.file_errors and all(not r.errors for r in self.rows)

    @property
    def calls(self) -> list[CallData]:
        return [r.call for r in self.rows if r.call is not None and not r.errors]

    def counts(self) -> dict[str, int]:
        result = {a.value: 0 for a in RowAction}
        for r in self.rows:
            result[r.action.value] += 1
        return result


def decide_actions(rows: list[RowResult], existing: Mapping[str, CallData] | None = None) -> list[RowResult]:
    """Set create/update/unchanged by identity, so re-importing a file updates instead of duplicating.

    Two rows with the same identity in one file are an error on the later row: it is unclear which wins.
    """
    existing = existing or {}
    seen: dict[str, int] = {}
    for row in rows:
        if row.identity is not None and row.identity in seen:
            row.errors.append(
                FieldError(
                    "uid",
                    f"Samma utlysning finns redan på rad {seen[row.identity]}.",
                    f"The same call already appears in row {seen[row.identity]}.",
                )
            )
        elif row.identity is not None:
            seen[row.identity] = row.row_number
        if row.call is None and not row.errors:
            row.action = RowAction.SKIP
            continue
        if row.errors or row.call is None:
            row.action = RowAction.REJECT
            continue
        before = existing.get(row.identity) if row.identity else None
        if before is None:
            row.action = RowAction.CREATE
        elif _same_content(before, row.call):
            row.action = RowAction.UNCHANGED
        else:
            row.action = RowAction.UPDATE
    return rows


def _same_content(a: CallData, b: CallData) -> bool:
    # Revision is bookkeeping of the stored call, not content of the file.
    return replace(a, revision=0) == replace(b, revision=0)
