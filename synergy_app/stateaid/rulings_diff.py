"""A readable word-level diff between two revisions of a ruling (pure; HTML-escaped output).

Input is two revision snapshots (``RulingRevision.snapshot()``); output is one entry per field
with ``changed`` and ``html``: unchanged words as text, removed words in ``<del>``, added words
in ``<ins>``. Lists (topics, legal bases, ...) show the items removed and added. Every piece of
user text is escaped before markup is added.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

TEXT_FIELDS = ("title", "question", "facts", "assessment", "conclusion")
LIST_FIELDS = ("legal_basis", "topics", "agencies", "flag_codes", "project_keys", "related")
VALUE_FIELDS = ("decided_on", "in_force_from")

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    changed: bool
    html: Markup
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(before: str, after: str) -> Markup:
    """Word-level diff of two texts as escaped HTML with <del>/<ins>."""
    a, b = tokens(before), tokens(after)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped


def list_diff(before: list, after: list) -> tuple[Markup, tuple[str, ...], tuple[str, ...]]:
    before_s, after_s = [str(x) for x in before or []], [str(x) for x in after or []]
    removed = tuple(x for x in before_s if x not in after_s)
    added = tuple(x for x in after_s if x not in before_s)
    parts = []
    for item in after_s:
        parts.append(f"<ins>{escape(item)}</ins>" if item in added else str(escape(item)))
    for item in removed:
        parts.append(f"<del>{escape(item)}</del>")
    return Markup("; ".join(parts)), removed, added  # noqa: S704 - escaped above


def diff_revisions(before: dict, after: dict) -> list[FieldDiff]:
    """Per field, what changed from ``before`` to ``after`` (both revision snapshots)."""
    result = []
    for field in TEXT_FIELDS:
        a, b = before.get(field) or "", after.get(field) or ""
        result.append(FieldDiff(field, a != b, word_diff(a, b) if a != b else escape(b)))
    for field in LIST_FIELDS:
        a, b = before.get(field) or [], after.get(field) or []
        html, removed, added = list_diff(a, b)
        result.append(FieldDiff(field, list(a) != list(b), html, removed, added))
    for field in VALUE_FIELDS:
        a, b = before.get(field), after.get(field)
        html = word_diff(a or "", b or "") if a != b else escape(b or "")
        result.append(FieldDiff(field, a != b, html))
    return result
