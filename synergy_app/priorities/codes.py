"""Codes on the three Eye@RIS3 axes: normalising them and crediting overlap, with the hierarchy.

economic:   NACE Rev. 2, section letter ("C") or division ("C29"); "C.29" and "c 29" are accepted
            and written "C29". A group below the division ("C29.1") is kept but compared as C29.
scientific: OECD FORD (Frascati 2015), field ("2") or sub-field ("2.3").
policy:     Eye@RIS3 policy-objective slugs (flat, no hierarchy).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InvalidInput

AXES = ("economic", "scientific", "policy")

_NACE = re.compile(r"^([A-U])(?:[ .]?(\d{2})(?:\.(\d{1,2}))?)?$")
_FORD = re.compile(r"^([1-6])(?:\.(\d{1,2}))?$")
_POLICY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Codes:
    economic: tuple[str, ...] = ()
    scientific: tuple[str, ...] = ()
    policy: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Iterable[str]] | None, field: str = "codes") -> Codes:
        data = data or {}
        unknown = set(data) - set(AXES)
        if unknown:
            axis = sorted(unknown)[0]
            raise InvalidInput(
                f"{field}.{axis}",
                f"Okänd axel {axis!r}; tillåtna är {', '.join(AXES)}.",
                f"Unknown axis {axis!r}; allowed are {', '.join(AXES)}.",
            )
        return cls(**{axis: normalise(axis, data.get(axis) or (), f"{field}.{axis}") for axis in AXES})

    def on(self, axis: str) -> tuple[str, ...]:
        return getattr(self, axis)

    def is_empty(self) -> bool:
        return not (self.economic or self.scientific or self.policy)

    def as_dict(self) -> dict[str, list[str]]:
        return {axis: list(self.on(axis)) for axis in AXES}


def normalise(axis: str, codes: Iterable[str], field: str) -> tuple[str, ...]:
    """Codes in canonical form, duplicates dropped, order kept; a bad code names the field."""
    if isinstance(codes, str):
        codes = [codes]
    out: list[str] = []
    for raw in codes:
        code = _normalise_one(axis, str(raw).strip(), field)
        if code not in out:
            out.append(code)
    return tuple(out)


def _normalise_one(axis: str, raw: str, field: str) -> str:
    if axis == "economic":
        m = _NACE.match(raw.upper())
        if m:
            section, division, group = m.groups()
            return section + (division or "") + (f".{group}" if group else "")
        expected_sv, expected_en = "en NACE-kod som C eller C29", "a NACE code such as C or C29"
    elif axis == "scientific":
        if _FORD.match(raw):
            return raw
        expected_sv, expected_en = "en FORD-kod som 2 eller 2.3", "a FORD code such as 2 or 2.3"
    else:
        slug = raw.lower().replace("-", "_").replace(" ", "_")
        if _POLICY.match(slug):
            return slug
        expected_sv, expected_en = (
            "ett policymål som advanced_manufacturing",
            "a policy objective such as advanced_manufacturing",
        )
    raise InvalidInput(field, f"{raw!r} är inte {expected_sv}.", f"{raw!r} is not {expected_en}.")


def parent(axis: str, code: str) -> str:
    """The section (NACE) or field (FORD) a code belongs to; itself when it is one, or on the policy axis."""
    if axis == "economic":
        return code[0]
    if axis == "scientific":
        return code.split(".")[0]
    return code


def _division(axis: str, code: str) -> str:
    # Compare NACE groups as their division: C29.1 and C29 are the same domain for matching.
    return code.split(".")[0] if axis == "economic" else code


@dataclass(frozen=True)
class AxisCodes:
    """One item's codes on one axis, precomputed for fast pairwise credit."""

    codes: tuple[str, ...]
    exact: frozenset[str]
    parents: frozenset[str]

    @classmethod
    def of(cls, axis: str, codes: tuple[str, ...]) -> AxisCodes:
        exact = tuple(dict.fromkeys(_division(axis, c) for c in codes))
        return cls(exact, frozenset(exact), frozenset(parent(axis, c) for c in exact))


@dataclass(frozen=True)
class SharedCode:
    """A code pair that earned credit: the same code, or related through the hierarchy."""

    axis: str
    priority_code: str
    area_code: str
    credit: float

    @property
    def label(self) -> str:
        if self.priority_code == self.area_code:
            return self.priority_code
        return f"{self.priority_code}~{self.area_code}"


def _credit(axis: str, code: str, other: AxisCodes, hierarchy: float, sibling: float) -> tuple[float, str | None]:
    """Best credit of one code against the other side's codes, and the code that gave it."""
    if code in other.exact:
        return 1.0, code
    if axis == "policy":
        return 0.0, None
    top = parent(axis, code)
    if code == top:
        # A section against divisions within it.
        if top in other.parents:
            return hierarchy, next(c for c in other.codes if parent(axis, c) == top)
        return 0.0, None
    if top in other.exact:
        return hierarchy, top
    if top in other.parents:
        return sibling, next(c for c in other.codes if parent(axis, c) == top)
    return 0.0, None


def axis_overlap(axis: str, a: AxisCodes, b: AxisCodes, hierarchy: float, sibling: float) -> float:
    """Symmetric overlap in [0, 1]: each code's best credit on the other side, over all codes.

    Like a Dice coefficient, but a section against one of its divisions earns `hierarchy`
    and two divisions of one section earn `sibling` instead of nothing.
    """
    if not a.codes or not b.codes:
        return 0.0
    total = sum(_credit(axis, c, b, hierarchy, sibling)[0] for c in a.codes)
    total += sum(_credit(axis, c, a, hierarchy, sibling)[0] for c in b.codes)
    return total / (len(a.codes) + len(b.codes))


def shared_codes(
    axis: str, priority: AxisCodes, area: AxisCodes, hierarchy: float, sibling: float
) -> tuple[SharedCode, ...]:
    """The code pairs behind `axis_overlap`, strongest first (built only for matches shown)."""
    shared: dict[tuple[str, str], SharedCode] = {}
    for code in priority.codes:
        credit, other = _credit(axis, code, area, hierarchy, sibling)
        if credit:
            shared.setdefault((code, other), SharedCode(axis, code, other, credit))
    for code in area.codes:
        credit, other = _credit(axis, code, priority, hierarchy, sibling)
        if credit:
            shared.setdefault((other, code), SharedCode(axis, other, code, credit))
    return tuple(sorted(shared.values(), key=lambda s: (-s.credit, s.priority_code, s.area_code)))


class AxisIndex:
    """Credit tables for one axis over a known set of codes, for scoring many pairs by lookup.

    `table(x)` maps every known code that earns credit against the codes `x` to that credit, so
    `axis_overlap(a, b)` equals (sum of table(b)[c] for c in a + sum of table(a)[d] for d in b)
    / (len(a) + len(b)), and `match_all` can add these up through inverted indices instead of
    comparing every pair.
    """

    def __init__(self, axis: str, known: Iterable[str], hierarchy: float, sibling: float) -> None:
        self.axis = axis
        self.hierarchy = hierarchy
        self.sibling = sibling
        self.by_parent: dict[str, list[str]] = {}
        for code in dict.fromkeys(known):
            self.by_parent.setdefault(parent(axis, code), []).append(code)

    def table(self, x: AxisCodes) -> dict[str, float]:
        if self.axis == "policy":
            return dict.fromkeys(x.codes, 1.0)
        out: dict[str, float] = {}
        for top in x.parents:
            for code in self.by_parent.get(top, ()):
                credit = _credit(self.axis, code, x, self.hierarchy, self.sibling)[0]
                if credit:
                    out[code] = credit
        return out
