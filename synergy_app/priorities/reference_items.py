"""Reads the shipped reference YAML (regions with priorities, organisations with areas) into Items.

Pure: files in, dataclasses out. Shared by the benchmark, the tests and the seeding command,
so all of them match on exactly the data the product ships.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..shipped_data import read_yaml
from .errors import InvalidInput
from .matching import Item

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference" / "data"
REGIONS_FILE = "regions.yaml"
AREA_FILES = ("agencies.yaml", "eu.yaml")


@dataclass(frozen=True)
class ReferenceItems:
    priorities: tuple[Item, ...]
    areas: tuple[Item, ...]
    region_labels: Mapping[str, str]
    organisation_labels: Mapping[str, str]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(path.name, f"Filen {path} saknas.", f"The file {path} is missing.") from None
    if not isinstance(data, dict):
        raise InvalidInput(path.name, "Filen ska innehålla en mappning.", "The file must hold a mapping.")
    return data


def _items(records: Iterable[Mapping[str, Any]], kind: str, owner: str, where: str) -> list[Item]:
    items = []
    for i, record in enumerate(records or ()):
        try:
            items.append(Item.from_mapping(record, kind, owner))
        except InvalidInput as err:
            # Say which record in which file, so a data error is found without a debugger.
            field = f"{where}[{i}] ({record.get('slug', '?')}).{err.field}"
            raise InvalidInput(field, err.message_sv, err.message_en) from err
    return items


def load_regions(path: Path) -> tuple[list[Item], dict[str, str]]:
    data = _read(path)
    priorities: list[Item] = []
    labels: dict[str, str] = {}
    for region in data.get("regions") or ():
        slug = region["slug"]
        labels[slug] = region.get("name") or slug
        priorities += _items(region.get("priorities"), "priority", slug, f"{path.name}:{slug}.priorities")
    return priorities, labels


def load_areas(path: Path) -> tuple[list[Item], dict[str, str]]:
    data = _read(path)
    areas: list[Item] = []
    labels: dict[str, str] = {}
    for org in data.get("organisations") or ():
        slug = org["slug"]
        labels[slug] = org.get("name") or slug
        areas += _items(org.get("areas"), "area", slug, f"{path.name}:{slug}.areas")
    return areas, labels


def load_reference_items(directory: Path = REFERENCE_DIR) -> ReferenceItems:
    """All priorities and areas of the shipped reference data; ids (slugs) must be unique."""
    priorities, region_labels = load_regions(directory / REGIONS_FILE)
    areas: list[Item] = []
    organisation_labels: dict[str, str] = {}
    for name in AREA_FILES:
        if (directory / name).exists():
            more, labels = load_areas(directory / name)
            areas += more
            organisation_labels.update(labels)
    seen: set[str] = set()
    for item in (*priorities, *areas):
        if item.id in seen:
            raise InvalidInput("slug", f"Id {item.id!r} förekommer två gånger.", f"Id {item.id!r} occurs twice.")
        seen.add(item.id)
    return ReferenceItems(tuple(priorities), tuple(areas), region_labels, organisation_labels)
