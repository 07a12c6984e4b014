"""What differs between what is stored now and what a refused save submitted (pure, no Flask or database).

When a save is refused because someone else saved first, the form comes back with the user's
entries; these functions say what the other save changed, so nothing has to be guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any


def line_differences(stored: Iterable[Hashable], submitted: Iterable[Hashable]
                     ) -> tuple[list[Hashable], list[Hashable]]:
    """Budget lines stored now but not in the submitted table, and lines only in the submitted table.

    Lines are compared as whole values and counted (two equal lines are two lines), in their order."""
    stored, submitted = list(stored), list(submitted)
    only_stored = Counter(stored) - Counter(submitted)
    only_submitted = Counter(submitted) - Counter(stored)
    return _in_order(stored, only_stored), _in_order(submitted, only_submitted)


def _in_order(lines: list[Hashable], wanted: Counter) -> list[Hashable]:
    left = Counter(wanted)
    out = []
    for line in lines:
        if left[line] > 0:
            out.append(line)
            left[line] -= 1
    return out


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple | set):
        return ",".join(sorted(_plain(v) for v in value))
    return str(value).strip()


def field_differences(stored: Mapping[str, Any], submitted: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """The fields whose stored value differs from the submitted one, compared as plain text."""
    return [name for name in fields if _plain(stored.get(name)) != _plain(submitted.get(name))]
