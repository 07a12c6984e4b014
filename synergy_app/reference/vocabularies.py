"""Labels for the codes on the three Eye@RIS3 axes, from the shipped vocabularies file."""

from __future__ import annotations

from functools import cache

from ..shipped_data import read_yaml
from .loader import DATA_DIR


@cache
def labels() -> dict[str, dict[str, tuple[str, str]]]:
    """{axis: {code: (label_sv, label_en)}}; the file is shipped, read-only data."""
    raw = read_yaml((DATA_DIR / "vocabularies.yaml").read_text(encoding="utf-8"))
    result: dict[str, dict[str, tuple[str, str]]] = {"economic": {}, "scientific": {}, "policy": {}}
    for entry in raw["economic"].get("sections", []) + raw["economic"].get("divisions", []):
        result["economic"][str(entry["code"])] = (entry["label_sv"], entry["label_en"])
    for entry in raw["scientific"].get("fields", []):
        result["scientific"][str(entry["code"])] = (entry["label_sv"], entry["label_en"])
    for entry in raw["policy"].get("objectives", []):
        result["policy"][str(entry["slug"])] = (entry["label_sv"], entry["label_en"])
    return result


def label(axis: str, code: str, lang: str = "sv") -> str:
    found = labels().get(axis, {}).get(str(code))
    if not found:
        return str(code)
    return found[1] if lang == "en" else found[0]
