"""Sweden's regional aid map as data, and a project's assisted area for GBER Art. 25(6).

Pure: the shipped YAML (``reference/data/regional-aid-map-sweden-2022-2027.yaml``, with its sources
and retrieval date) in, plain dataclasses out. The check asks ``assess_assisted_area`` which area a
project is carried out in: as the project file states it, derived from its municipalities
(kommunkoder), or - when neither is given - assumed to be none, and it says which.

Derivation is deliberately cautious, because a wrongly granted bonus misleads the case officer:
- every listed municipality must lie wholly in the map for the project to count as a (c) area;
- a municipality the map covers except its urban DeSO areas cannot tell on its own, so the area is
  not derived from it and the text says to state ``assisted_area`` instead.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..shipped_data import read_yaml

MAP_PATH = Path(__file__).resolve().parent.parent / "reference" / "data" / "regional-aid-map-sweden-2022-2027.yaml"
AREAS = ("none", "a", "c")
# The 21 county codes (länskoder) a kommunkod starts with.
COUNTY_CODES = frozenset({"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
                          "20", "21", "22", "23", "24", "25"})
AREA_NAMES = {
    "none": ("inget stödområde", "not an assisted area"),
    "a": ("stödområde enligt artikel 107.3 a EUF-fördraget", "assisted area under Art. 107(3)(a) TFEU"),
    "c": ("stödområde enligt artikel 107.3 c EUF-fördraget", "assisted area under Art. 107(3)(c) TFEU"),
}


def is_kommunkod(code: str) -> bool:
    """Four digits starting with one of the 21 county codes."""
    return len(code) == 4 and code.isdigit() and code[:2] in COUNTY_CODES


@dataclass(frozen=True)
class MapMunicipality:
    code: str
    name: str
    county: str
    aid_area: int  # stödområde 1, 2 or 3
    deso_excluded: bool = False

    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class RegionalAidMap:
    id: str
    title: str
    valid_from: date
    valid_to: date
    retrieved: date
    sources: tuple[Mapping[str, Any], ...]
    municipalities: Mapping[str, MapMunicipality]

    def lookup(self, code: str) -> MapMunicipality | None:
        return self.municipalities.get(code)

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to

    def summary(self) -> dict[str, str]:
        first = self.sources[0] if self.sources else {}
        return {"id": self.id, "title": self.title, "valid_from": self.valid_from.isoformat(),
                "valid_to": self.valid_to.isoformat(), "retrieved": self.retrieved.isoformat(),
                "source": str(first.get("title", "")), "url": str(first.get("url", ""))}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_regional_aid_map(path: Path | str = MAP_PATH) -> RegionalAidMap:
    data = read_yaml(Path(path).read_text(encoding="utf-8"))
    municipalities = {}
    for raw in data["municipalities"]:
        item = MapMunicipality(str(raw["code"]), raw["name"], raw["county"], int(raw["aid_area"]),
                               bool(raw.get("deso_excluded", False)))
        if not is_kommunkod(item.code) or item.aid_area not in (1, 2, 3) or item.code in municipalities:
            raise ValueError(f"{path}: municipality {raw!r} is not a valid, unique entry")
        municipalities[item.code] = item
    return RegionalAidMap(data["id"], data["title"], _as_date(data["valid_from"]), _as_date(data["valid_to"]),
                          _as_date(data["retrieved"]), tuple(data.get("sources") or ()), municipalities)


@functools.cache
def default_aid_map() -> RegionalAidMap:
    """The shipped map, loaded once per process (read-only package data)."""
    return load_regional_aid_map()


@dataclass(frozen=True)
class AssistedArea:
    """Which assisted area the project is carried out in, and how that was established."""

    area: str  # none | a | c
    basis: str  # stated | derived | assumed
    municipalities: tuple[str, ...]
    text_sv: str
    text_en: str
    aid_map: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"area": self.area, "basis": self.basis, "municipalities": list(self.municipalities),
                "text_sv": self.text_sv, "text_en": self.text_en, "aid_map": self.aid_map}


def _names(items: Iterable[MapMunicipality | str]) -> str:
    return ", ".join(i.label() if isinstance(i, MapMunicipality) else i for i in items)


def assess_assisted_area(stated: str | None, municipalities: tuple[str, ...], aid_map: RegionalAidMap,
                         on: date) -> AssistedArea:
    """The project's assisted area on grant date ``on``: stated, derived from the map, or assumed none."""
    if stated is not None:
        sv, en = AREA_NAMES[stated]
        return AssistedArea(stated, "stated", municipalities, f"Enligt projektfilen: {sv}.",
                            f"As stated in the project file: {en}.")
    if not municipalities:
        return AssistedArea(
            "none", "assumed", (),
            "Stödområde är inte angivet, så kontrollen antar att projektet inte genomförs i ett stödområde "
            "(inget tillägg enligt artikel 25.6 b iv eller c). Ange projektets stödområde eller dess kommuner.",
            "The assisted area is not given, so the check assumed the project is not carried out in an assisted "
            "area (no increase under Art. 25(6)(b)(iv) or (c)). "
            "Give the project's assisted area or its municipalities.")
    summary = aid_map.summary()
    map_sv = f"regionalstödskartan {aid_map.valid_from.year}–{aid_map.valid_to.year}"
    map_en = f"Sweden's regional aid map {aid_map.valid_from.year}–{aid_map.valid_to.year}"
    if not aid_map.in_force_on(on):
        return AssistedArea(
            "none", "assumed", municipalities,
            f"Beviljandedagen {on} ligger utanför {map_sv}, så stödområdet kan inte härledas ur kommunerna "
            f"({', '.join(municipalities)}); kontrollen antar inget stödområde. Ange projektets stödområde.",
            f"The grant date {on} is outside {map_en}, so the area cannot be derived from the municipalities "
            f"({', '.join(municipalities)}); the check assumed none. Give the project's assisted area.", summary)
    found = {code: aid_map.lookup(code) for code in municipalities}
    outside = [code for code, m in found.items() if m is None]
    partly = [m for m in found.values() if m is not None and m.deso_excluded]
    inside = [m for m in found.values() if m is not None and not m.deso_excluded]
    listed_sv = "; ".join(f"{m.label()} i stödområde {m.aid_area}" for m in inside)
    listed_en = "; ".join(f"{m.label()} in aid area {m.aid_area}" for m in inside)
    if outside:
        return AssistedArea(
            "none", "derived", municipalities,
            f"Härlett ur {map_sv}: kommun {', '.join(outside)} ligger utanför stödområdena, så projektet räknas "
            f"inte som genomfört i ett stödområde" + (f" (inom: {listed_sv})." if inside else "."),
            f"Derived from {map_en}: municipality {', '.join(outside)} is outside the aid areas, so the project "
            f"does not count as carried out in an assisted area" + (f" (inside: {listed_en})." if inside else "."),
            summary)
    if partly:
        areas = ", ".join(f"{m.label()} (stödområde {m.aid_area})" for m in partly)
        areas_en = ", ".join(f"{m.label()} (aid area {m.aid_area})" for m in partly)
        return AssistedArea(
            "none", "derived", municipalities,
            f"Härlett ur {map_sv}: {areas} ingår utom de undantagna tätortsnära DeSO-områdena, och kommunen "
            f"ensam visar inte om projektet ligger där. Kontrollen antar inget stödområde; ange assisted_area: c "
            f"om projektet genomförs utanför de undantagna områdena.",
            f"Derived from {map_en}: {areas_en} is covered except its excluded urban DeSO areas, and the "
            f"municipality alone does not show whether the project lies there. The check assumed none; give "
            f"assisted_area: c if the project is carried out outside the excluded areas.", summary)
    return AssistedArea(
        "c", "derived", municipalities,
        f"Härlett ur {map_sv}: {listed_sv}; alla stödområden i Sverige är områden enligt artikel 107.3 c.",
        f"Derived from {map_en}: {listed_en}; every Swedish aid area is an Art. 107(3)(c) area.", summary)
