"""Why a priority and an area match, in a sentence a planner reads: the names of what they share.

"Delar tillverkning (C27, C28), forskningsområdet materialteknik (2.5) och policymålet ”Avancerad
tillverkning”; gemensamma ord: material, tillverkning." Codes are named from the shipped
vocabularies in the reader's language, with the code beside the name; the scores, weights and
credits behind the sentence are the technical reason (`Match.to_dict`), shown on demand.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from babel.lists import format_list

from ..reference.vocabularies import labels as vocabulary_labels
from .codes import AXES, SharedCode, parent
from .text_similarity import SharedTerm

if TYPE_CHECKING:
    from .matching import Match

# The sentence names at most this many things per axis; the technical reason lists them all.
PHRASES_PER_AXIS = 3
_QUOTES = {"sv": ("”", "”"), "en": ("“", "”")}
_LEADS = {
    # axis -> (one, several); the industries (NACE) need no lead: their names say what they are.
    "sv": {"economic": ("", ""), "scientific": ("forskningsområdet ", "forskningsområdena "),
           "policy": ("policymålet ", "policymålen ")},
    "en": {"economic": ("", ""), "scientific": ("the field of research ", "the fields of research "),
           "policy": ("the policy objective ", "the policy objectives ")},
}
_DECISIONS = {
    "sv": {"confirmed": "Bekräftad av handläggare.", "added": "Tillagd av handläggare.",
           "rejected": "Avvisad av handläggare."},
    "en": {"confirmed": "Confirmed by a planner.", "added": "Added by a planner.",
           "rejected": "Rejected by a planner."},
}


def code_name(axis: str, code: str, lang: str) -> str:
    """The vocabulary's name of a code in `lang` ('sv' or 'en'); the code itself when it has none."""
    pair = vocabulary_labels()[axis].get(code)
    if pair is None and axis == "economic":
        pair = vocabulary_labels()[axis].get(code.split(".")[0])
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def _lower_first(name: str) -> str:
    # "Tillverkning av maskiner" reads as running text; "IT-tjänster" keeps its capitals.
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _code_key(code: str) -> tuple:
    # C9 before C28, 2.3 before 2.11
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _code_phrases(axis: str, shared: Iterable[SharedCode], lang: str) -> list[str]:
    """Exact shared codes by their own names; codes related through the hierarchy (a section and its
    division, two divisions of one section) by the name they have in common, with all their codes."""
    if axis == "policy":
        opening, closing = _QUOTES[lang]
        return list(dict.fromkeys(f"{opening}{code_name(axis, s.priority_code, lang)}{closing}" for s in shared))
    exact: list[str] = []
    related: dict[str, set[str]] = {}
    for s in shared:
        if s.priority_code == s.area_code:
            exact.append(s.priority_code)
        else:
            top = parent(axis, s.priority_code)
            related.setdefault(top, set()).update({s.priority_code, s.area_code})
    phrases = [f"{_lower_first(code_name(axis, code, lang))} ({code})" for code in dict.fromkeys(exact)]
    for top, codes in related.items():
        # A code already named as shared is not named again under the common name.
        specific = sorted(codes - {top} - set(exact), key=_code_key) or sorted(codes - {top}, key=_code_key) or [top]
        phrases.append(f"{_lower_first(code_name(axis, top, lang))} ({', '.join(specific)})")
    return phrases


def _axis_part(axis: str, shared: Iterable[SharedCode], lang: str) -> str:
    phrases = _code_phrases(axis, shared, lang)
    one, several = _LEADS[lang][axis]
    shown = phrases[:PHRASES_PER_AXIS]
    if len(phrases) > len(shown):
        more = len(phrases) - len(shown)
        shown.append(f"{more} till" if lang == "sv" else f"{more} more")
    return (several if len(phrases) > 1 else one) + format_list(shown, locale=lang)


def term_word(term: SharedTerm) -> str:
    """The shortest word a shared stem came from (either side), as a reader would write it."""
    words = set(term.words_a) | set(term.words_b)
    return min(words, key=lambda w: (len(w), w)) if words else term.stem


def explain(match: Match, lang: str = "sv") -> str:
    """The sentence: what the pair shares in names, the common words, and a planner's verdict."""
    lang = "en" if lang == "en" else "sv"
    parts = [_axis_part(axis, match.shared_codes[axis], lang) for axis in AXES if match.shared_codes.get(axis)]
    words = list(dict.fromkeys(term_word(t) for t in match.terms))
    sentence = ""
    if parts:
        sentence = ("Delar " if lang == "sv" else "Shares ") + format_list(parts, locale=lang)
    if words:
        lead = "gemensamma ord: " if lang == "sv" else "common terms: "
        sentence = f"{sentence}; {lead}" if sentence else lead[0].upper() + lead[1:]
        sentence += ", ".join(words)
    if not sentence:
        sentence = "Inga gemensamma koder eller ord" if lang == "sv" else "No shared codes or terms"
    sentence += "."
    if match.decision:
        sentence += " " + _DECISIONS[lang][match.decision]
    return sentence
