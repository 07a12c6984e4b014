"""Consistency of the shipped reference data: regions, S3 areas, clusters and vocabularies.

Pure tests: they read the YAML files directly, without the Flask app or a database.
"""

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "synergy_app" / "reference" / "data"

# Official identifiers of the 21 counties: länskod (SCB), länsbokstav (ISO 3166-2:SE), NUTS 2021.
OFFICIAL = {
    "stockholm": ("01", "AB", "SE11", "SE110"),
    "uppsala": ("03", "C", "SE12", "SE121"),
    "sormland": ("04", "D", "SE12", "SE122"),
    "ostergotland": ("05", "E", "SE12", "SE123"),
    "jonkoping": ("06", "F", "SE21", "SE211"),
    "kronoberg": ("07", "G", "SE21", "SE212"),
    "kalmar": ("08", "H", "SE21", "SE213"),
    "gotland": ("09", "I", "SE21", "SE214"),
    "blekinge": ("10", "K", "SE22", "SE221"),
    "skane": ("12", "M", "SE22", "SE224"),
    "halland": ("13", "N", "SE23", "SE231"),
    "vastra-gotaland": ("14", "O", "SE23", "SE232"),
    "varmland": ("17", "S", "SE31", "SE311"),
    "orebro": ("18", "T", "SE12", "SE124"),
    "vastmanland": ("19", "U", "SE12", "SE125"),
    "dalarna": ("20", "W", "SE31", "SE312"),
    "gavleborg": ("21", "X", "SE31", "SE313"),
    "vasternorrland": ("22", "Y", "SE32", "SE321"),
    "jamtland-harjedalen": ("23", "Z", "SE32", "SE322"),
    "vasterbotten": ("24", "AC", "SE33", "SE331"),
    "norrbotten": ("25", "BD", "SE33", "SE332"),
}

# Other packages code against these slugs, so the set must not drift.
POLICY_SLUGS = {
    "key_enabling_technologies", "advanced_manufacturing", "digital_transformation", "ict_trends",
    "sustainable_innovation", "low_carbon_economy", "circular_economy", "blue_growth", "bioeconomy",
    "public_health_and_security", "ageing_society", "creative_and_cultural_industries", "tourism",
    "transport_and_mobility", "energy_production_and_distribution", "agrifood", "social_innovation",
    "service_innovation", "smart_cities", "materials", "life_sciences", "security_and_defence",
    "space", "forestry_and_wood",
}

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@cache
def load(name: str) -> dict:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def regions() -> list[dict]:
    return load("regions.yaml")["regions"]


def priorities() -> list[tuple[dict, dict]]:
    return [(region, p) for region in regions() for p in region["priorities"]]


def vocabulary_codes() -> dict[str, set[str]]:
    vocab = load("vocabularies.yaml")
    economic = vocab["economic"]
    return {
        "economic": {e["code"] for e in economic["sections"] + economic["divisions"]},
        "scientific": {f["code"] for f in vocab["scientific"]["fields"]},
        "policy": {o["slug"] for o in vocab["policy"]["objectives"]},
    }


# --- vocabularies -------------------------------------------------------------------------------


def test_each_vocabulary_names_its_source():
    for axis, vocab in load("vocabularies.yaml").items():
        source = vocab["source"]
        assert source["title"] and source["url"].startswith("https://"), axis
        assert source["retrieved"], axis


def test_policy_vocabulary_is_exactly_the_shared_slug_list():
    assert vocabulary_codes()["policy"] == POLICY_SLUGS


def test_nace_has_all_21_sections_and_every_division_sits_under_one():
    economic = load("vocabularies.yaml")["economic"]
    sections = [s["code"] for s in economic["sections"]]
    assert sections == list("ABCDEFGHIJKLMNOPQRSTU")
    for division in economic["divisions"]:
        assert re.fullmatch(r"[A-U]\d{2}", division["code"]), division["code"]
        assert division["code"][0] in sections
        assert division["label_sv"] and division["label_en"]


def test_nace_divisions_use_the_official_number_ranges_of_their_section():
    # e.g. manufacturing is 10-33, so "C35" would be a typo for "D35"
    ranges = {"A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
              "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
              "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
              "S": (94, 96), "T": (97, 98), "U": (99, 99)}
    for division in load("vocabularies.yaml")["economic"]["divisions"]:
        low, high = ranges[division["code"][0]]
        assert low <= int(division["code"][1:]) <= high, division["code"]


def test_ford_fields_follow_the_frascati_numbering():
    fields = {f["code"]: f for f in load("vocabularies.yaml")["scientific"]["fields"]}
    assert fields["2.3"]["label_en"] == "Mechanical engineering"
    assert fields["3.1"]["label_en"] == "Basic medicine"
    assert fields["1.2"]["label_en"] == "Computer and information sciences"
    # six major fields, each field code under an existing major field
    assert {c for c in fields if "." not in c} == {"1", "2", "3", "4", "5", "6"}
    for code in fields:
        assert code.split(".")[0] in fields


# --- regions ------------------------------------------------------------------------------------


def test_there_are_21_regions_with_unique_ascii_slugs():
    slugs = [r["slug"] for r in regions()]
    assert len(slugs) == 21
    assert len(set(slugs)) == 21
    assert all(SLUG.match(s) for s in slugs)
    assert set(slugs) == set(OFFICIAL)


@pytest.mark.parametrize("slug", sorted(OFFICIAL))
def test_region_codes_match_the_official_list(slug):
    region = next(r for r in regions() if r["slug"] == slug)
    county_code, letter, nuts2, nuts3 = OFFICIAL[slug]
    assert region["county_code"] == county_code
    assert region["county_letter"] == letter
    assert region["nuts2"] == nuts2
    assert region["nuts3"] == nuts3


def test_worked_example_ostergotland():
    region = next(r for r in regions() if r["slug"] == "ostergotland")
    assert region["name"] == "Region Östergötland"
    assert region["county"] == "Östergötlands län"
    titles = {p["title"] for p in region["priorities"]}
    assert "Avancerade material" in titles
    assert "Effektiv logistik" in titles
    assert len(titles) == 5


def test_county_codes_are_unique_two_digit_strings():
    codes = [r["county_code"] for r in regions()]
    assert all(isinstance(c, str) and re.fullmatch(r"\d{2}", c) for c in codes)
    assert len(set(codes)) == 21


def test_every_region_has_a_name_website_and_source():
    for region in regions():
        assert region["name"].startswith("Region ") or region["name"] == "Västra Götalandsregionen"
        assert region["website"].startswith("https://")
        assert region["source"]["url"].startswith("https://")
        assert region["source"]["retrieved"]


def test_regions_without_verified_priorities_say_why():
    for region in regions():
        if region["priorities_verified"] is False:
            assert region.get("note"), region["slug"]
        else:
            assert region["priorities"], region["slug"]


def test_organisation_numbers_have_the_swedish_format():
    for region in regions():
        if "org_number" in region:
            assert re.fullmatch(r"\d{6}-\d{4}", region["org_number"]), region["slug"]


# --- priorities ---------------------------------------------------------------------------------


def test_priority_slugs_are_unique_and_start_with_their_region():
    slugs = [p["slug"] for _, p in priorities()]
    assert len(slugs) == len(set(slugs))
    for region, priority in priorities():
        assert priority["slug"].startswith(region["slug"] + "-"), priority["slug"]
        assert SLUG.match(priority["slug"])


def test_every_priority_has_title_source_and_at_least_one_code():
    for _, priority in priorities():
        assert priority["title"] and priority["title_en"] and priority["description"], priority["slug"]
        assert priority["source"]["url"].startswith("https://"), priority["slug"]
        assert priority["source"]["retrieved"], priority["slug"]
        assert 3 <= len(priority["keywords"]) <= 8, priority["slug"]
        assert any(priority["codes"].get(axis) for axis in ("economic", "scientific", "policy"))
        assert priority["codes_origin"] in {"assigned", "source"}


def test_every_code_used_exists_in_the_vocabularies():
    known = vocabulary_codes()
    for _, priority in priorities():
        assert set(priority["codes"]) <= set(known), priority["slug"]
        for axis, codes in priority["codes"].items():
            unknown = set(codes) - known[axis]
            assert not unknown, f"{priority['slug']}: unknown {axis} codes {sorted(unknown)}"


# --- clusters -----------------------------------------------------------------------------------


def clusters() -> list[dict]:
    return load("clusters.yaml")["clusters"]


def test_there_are_39_clusters_with_unique_slugs():
    slugs = [c["slug"] for c in clusters()]
    assert len(slugs) == 39
    assert len(set(slugs)) == 39
    assert all(SLUG.match(s) for s in slugs)


def test_every_cluster_has_at_least_one_valid_region():
    valid = set(OFFICIAL)
    for cluster in clusters():
        assert cluster["regions"], cluster["slug"]
        assert set(cluster["regions"]) <= valid, cluster["slug"]
        assert cluster["source"]["table"] == "Tabell 3"


def test_sweco_sample_has_the_15_initiatives_the_report_counts():
    in_sample = {c["name"] for c in clusters() if c["in_sweco_sample"]}
    assert len(in_sample) == 15
    assert {"Robotdalen", "Fiber Optic Valley", "The Paper Province"} <= in_sample
    assert "Medicon Valley" not in in_sample


def test_worked_example_printed_electronics_arena_spans_two_regions():
    arena = next(c for c in clusters() if c["slug"] == "printed-electronics-arena")
    assert arena["location"] == "Norrköping, Katrineholm"
    assert arena["regions"] == ["ostergotland", "sormland"]


def test_cluster_funding_figures_are_integers_in_sek():
    figures = load("clusters.yaml")["source"]["figures"]
    assert figures["sample_total_public_funding_sek_per_year"] == 232_394_893
    for key, value in figures.items():
        if key.endswith("_sek_per_year"):
            assert isinstance(value, int), key
