"""Legal references of a ruling: parse, validate and cite (pure).

Accepted forms (case-insensitive, Swedish or English words):

- an EU act by number, with or without "(EU)" / "No" / "nr": ``(EU) 651/2014 art. 25(6)(b)``,
  ``651/2014 artikel 2 punkt 83``, ``(EU) 2023/2831 art. 3(2)``
- a known short name: ``GBER art. 27``, ``de minimis art. 3``, ``TFEU art. 107(1)`` (``FEUF``),
  ``FoUI-ramverket punkt 20`` / ``R&D&I Framework point 20`` (2022/C 414/01)
- a judgment by ECLI, optionally with its case number: ``ECLI:EU:C:2022:785``,
  ``ECLI:EU:C:2022:785 (C-164/21)``

Anything else is refused with a FieldError naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import FieldError, InputError

ALIASES: dict[str, tuple[str, str]] = {
    # name -> (act, kind)
    "gber": ("(EU) 651/2014", "regulation"),
    "de minimis": ("(EU) 2023/2831", "regulation"),
    "tfeu": ("TFEU", "treaty"),
    "feuf": ("TFEU", "treaty"),
    "fördraget": ("TFEU", "treaty"),
    "foui-ramverket": ("2022/C 414/01", "framework"),
    "foui-ramen": ("2022/C 414/01", "framework"),
    "r&d&i framework": ("2022/C 414/01", "framework"),
    "rdi framework": ("2022/C 414/01", "framework"),
    "2022/c 414/01": ("2022/C 414/01", "framework"),
}

_ARTICLE = r"(?:art\.?|artikel|article)\s*(?P<article>\d{1,3}[a-z]?)(?P<subs>(?:\s*\(\s*[0-9a-z]{1,4}\s*\))*)"
_POINT = r"(?:punkt|point|p\.)\s*(?P<point_only>\d{1,3}(?:\.\d{1,3})*(?:\s*\(\s*[0-9a-z]{1,4}\s*\))*)"
_ACT_NUMBER = r"(?:\(\s*(?:eu|eg|eec|eeg|ec)\s*\)\s*)?(?:(?:no|nr)\.?\s*)?(?P<num>\d{1,4}/\d{1,4})"

_RE_NUMBERED = re.compile(rf"^{_ACT_NUMBER}\s*,?\s*(?:{_ARTICLE}|{_POINT})?$", re.IGNORECASE)
_RE_ALIAS = re.compile(rf"^(?P<alias>[a-zåäö&\-/ 0-9]+?)\s*,?\s*(?:{_ARTICLE}|{_POINT})?$", re.IGNORECASE)
_RE_ECLI = re.compile(r"^ECLI:EU:(?P<court>[CTF]):(?P<year>\d{4}):(?P<no>\d{1,6})"
                      r"(?:\s*\(\s*(?P<case>[CTF]-\d{1,4}/\d{2}(?:\s*P)?)\s*\))?$", re.IGNORECASE)
_RE_SUB = re.compile(r"\(\s*([0-9a-z]{1,4})\s*\)", re.IGNORECASE)

EXAMPLES = "(EU) 651/2014 art. 25(6)(b), GBER art. 27, TFEU art. 107(1), ECLI:EU:C:2022:785 (C-164/21)"


def _error(field: str, text: str) -> FieldError:
    return FieldError(
        field,
        f"Okänt format på rättslig grund: ”{text}”. Skriv förordning, artikel och punkt, "
        f"eller en dom med ECLI, t.ex. {EXAMPLES}.",
        f"Unknown legal reference format: “{text}”. Give regulation, article and paragraph, "
        f"or a judgment by ECLI, e.g. {EXAMPLES}.",
    )


def _normalise_act_number(num: str) -> str:
    first, second = num.split("/")
    return f"(EU) {int(first)}/{int(second)}" if len(second) == 4 or len(first) == 4 else f"{first}/{second}"


def _article_parts(match: re.Match) -> dict[str, str]:
    article = (match.group("article") or "").lower()
    subs = [s.lower() for s in _RE_SUB.findall(match.group("subs") or "")]
    point_only = match.group("point_only")
    return {
        "article": article,
        "paragraph": subs[0] if subs else "",
        "point": "".join(f"({s})" for s in subs[1:]),
        "section": re.sub(r"\s+", "", point_only) if point_only else "",
    }


def _citation(ref: dict[str, Any]) -> str:
    if ref["kind"] == "case":
        return ref["ecli"] + (f" ({ref['case']})" if ref["case"] else "")
    text = ref["act"]
    if ref["article"]:
        text += f" art. {ref['article']}"
        if ref["paragraph"]:
            text += f"({ref['paragraph']})"
        text += ref["point"]
    elif ref["section"]:
        text += f" point {ref['section']}"
    return text


def parse_legal_reference(text: str, field: str = "legal_basis") -> dict[str, Any]:
    """One reference as structured data with a normalised ``citation``; FieldError on an unknown format."""
    raw = " ".join((text or "").split())
    if not raw:
        raise InputError(_error(field, text or ""))
    match = _RE_ECLI.match(raw)
    if match:
        ref = {"kind": "case", "act": f"ECLI:EU:{match['court'].upper()}:{match['year']}:{match['no']}",
               "article": "", "paragraph": "", "point": "", "section": "",
               "case": (match["case"] or "").upper().replace(" ", ""), "ecli": ""}
        ref["ecli"] = ref["act"]
        ref["citation"] = _citation(ref)
        return ref
    match = _RE_NUMBERED.match(raw)
    if match:
        ref = {"kind": "regulation", "act": _normalise_act_number(match["num"]), "ecli": "", "case": "",
               **_article_parts(match)}
        ref["citation"] = _citation(ref)
        return ref
    match = _RE_ALIAS.match(raw)
    if match and match["alias"].strip().lower() in ALIASES:
        act, kind = ALIASES[match["alias"].strip().lower()]
        ref = {"kind": kind, "act": act, "ecli": "", "case": "", **_article_parts(match)}
        ref["citation"] = _citation(ref)
        return ref
    raise InputError(_error(field, raw))


def parse_legal_references(lines: list[str] | str, field: str = "legal_basis") -> list[dict[str, Any]]:
    """Several references (a list, or text with one per line or separated by ';'); all errors together."""
    if isinstance(lines, str):
        lines = re.split(r"[\n;]", lines)
    refs, errors, seen = [], [], set()
    for line in lines:
        if not line or not line.strip():
            continue
        try:
            ref = parse_legal_reference(line, field)
        except InputError as exc:
            errors.extend(exc.errors)
            continue
        if ref["citation"] not in seen:
            seen.add(ref["citation"])
            refs.append(ref)
    if errors:
        raise InputError(errors)
    return refs


def filter_key(text: str) -> tuple[str, str]:
    """(act, article) for a legal-basis filter; the article is '' when the filter names only the act."""
    ref = parse_legal_reference(text, field="legal_basis")
    return ref["act"], ref["article"]
