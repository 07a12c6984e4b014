"""Consistency of the national and EU areas and of the funders' programmes.

Pure tests: they read agencies.yaml, eu.yaml and funders.yaml directly (PyYAML), without the Flask app
or a database. The matching engine, the co-financing plan and the state-aid checks all key on these
slugs, codes and rates, so a typo here would mislead silently.
"""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "synergy_app" / "reference" / "data"

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RATE = re.compile(r"^(0|1)\.\d{2}$")
ORG_NUMBER = re.compile(r"^\d{6}-\d{4}$")

AREA_KINDS = {"strategic_area", "programme", "ecosystem", "mission", "partnership"}
ORG_KINDS = {"national_agency", "eu_body", "funder"}
SOURCE_KINDS = {"state", "erdf", "eu_direct", "regional"}

# The eight regional ERUF programme areas 2021-2027 and the counties each covers
# (Tillväxtverket, "Vilket programområde tillhör vi?").
ERUF_REGIONAL = {
    "eruf-ovre-norrland": {"norrbotten", "vasterbotten"},
    "eruf-mellersta-norrland": {"jamtland-harjedalen", "vasternorrland"},
    "eruf-norra-mellansverige": {"gavleborg", "dalarna", "varmland"},
    "eruf-ostra-mellansverige": {"uppsala", "vastmanland", "sormland", "ostergotland", "orebro"},
    "eruf-stockholm": {"stockholm"},
    "eruf-smaland-och-oarna": {"jonkoping", "kronoberg", "kalmar", "gotland"},
    "eruf-skane-blekinge": {"skane", "blekinge"},
    "eruf-vastsverige": {"vastra-gotaland", "halland"},
}
ERUF_NATIONAL = "eruf-nationellt"


@cache
def load(name: str) -> dict:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def organisations() -> list[dict]:
    return load("agencies.yaml")["organisations"] + load("eu.yaml")["organisations"]


def areas() -> list[dict]:
    return [area for org in organisations() for area in org["areas"]]


def funders() -> list[dict]:
    return load("funders.yaml")["funders"]


def programmes() -> list[dict]:
    return [programme for funder in funders() for programme in funder["programmes"]]


def programme(slug: str) -> dict:
    (found,) = [p for p in programmes() if p["slug"] == slug]
    return found


def region_slugs() -> set[str]:
    return {region["slug"] for region in load("regions.yaml")["regions"]}


def vocabulary_codes() -> dict[str, set[str]]:
    vocab = load("vocabularies.yaml")
    economic = vocab["economic"]
    return {
        "economic": {e["code"] for e in economic["sections"] + economic["divisions"]},
        "scientific": {f["code"] for f in vocab["scientific"]["fields"]},
        "policy": {o["slug"] for o in vocab["policy"]["objectives"]},
    }


def has_source(source: object) -> bool:
    return isinstance(source, dict) and bool(source.get("title")) and bool(source.get("url") or source.get("document"))


def as_rate(value: object) -> Decimal:
    """A co-financing rate must be a decimal string: YAML floats (0.4) would lose exactness downstream."""
    assert isinstance(value, str), f"rate {value!r} must be a quoted decimal string"
    assert RATE.match(value), f"rate {value!r} must look like '0.40'"
    try:
        return Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - the regex already rules this out
        raise AssertionError(f"rate {value!r} is not a decimal") from error


# --- slugs ----------------------------------------------------------------------------------------


def test_organisation_slugs_are_unique_and_well_formed():
    slugs = [org["slug"] for org in organisations()]
    assert [s for s, n in Counter(slugs).items() if n > 1] == []
    assert all(SLUG.match(s) for s in slugs), [s for s in slugs if not SLUG.match(s)]


def test_area_and_programme_slugs_are_unique_across_all_reference_files():
    # Regions, their S3 priorities and the clusters share the slug space with areas and programmes,
    # because the matching graph uses slugs as node ids.
    other = [r["slug"] for r in load("regions.yaml")["regions"]]
    other += [p["slug"] for r in load("regions.yaml")["regions"] for p in r.get("priorities") or []]
    other += [c["slug"] for c in load("clusters.yaml")["clusters"]]
    other += [org["slug"] for org in organisations()] + [f["slug"] for f in funders()]
    ours = [a["slug"] for a in areas()] + [p["slug"] for p in programmes()]
    assert [s for s, n in Counter(ours).items() if n > 1] == []
    assert sorted(set(ours) & set(other)) == []
    assert all(SLUG.match(s) for s in ours), [s for s in ours if not SLUG.match(s)]


def test_a_funder_with_an_organisation_slug_is_that_same_organisation():
    by_slug = {org["slug"]: org for org in organisations()}
    for funder in funders():
        org = by_slug.get(funder["slug"])
        if org is not None:
            assert (funder["name"], funder.get("org_number")) == (org["name"], org.get("org_number")), funder["slug"]


# --- areas ----------------------------------------------------------------------------------------


def test_there_are_about_45_national_areas_and_10_to_15_eu_areas():
    national = sum(len(org["areas"]) for org in load("agencies.yaml")["organisations"])
    eu = sum(len(org["areas"]) for org in load("eu.yaml")["organisations"])
    assert national >= 40
    assert 10 <= eu <= 15


@pytest.mark.parametrize("area", areas(), ids=lambda a: a["slug"])
def test_every_area_has_title_kind_source_keywords_and_codes(area):
    assert area.get("title") and area.get("title_en")
    assert area["kind"] in AREA_KINDS
    assert has_source(area.get("source"))
    assert 3 <= len(area.get("keywords") or []) <= 8
    assert area.get("codes_origin") in {"assigned", "source"}
    codes = area.get("codes") or {}
    assert set(codes) <= {"economic", "scientific", "policy"}
    assert sum(len(values or []) for values in codes.values()) >= 1


def test_every_code_used_exists_in_the_vocabularies():
    known = vocabulary_codes()
    unknown = [
        (area["slug"], axis, code)
        for area in areas()
        for axis, values in area["codes"].items()
        for code in values
        if code not in known[axis]
    ]
    assert unknown == []


def test_the_five_eu_missions_are_there():
    missions = {a["slug"] for a in areas() if a["kind"] == "mission"}
    assert missions == {
        "eu-mission-climate-adaptation",
        "eu-mission-cancer",
        "eu-mission-ocean-and-waters",
        "eu-mission-climate-neutral-cities",
        "eu-mission-soil-deal",
    }


def test_worked_example_the_smart_energy_ecosystem_of_the_thematic_pilot():
    (area,) = [a for a in areas() if a["slug"] == "business-sweden-smart-energy"]
    assert area["kind"] == "ecosystem"
    assert "energy_production_and_distribution" in area["codes"]["policy"]
    assert "D35" in area["codes"]["economic"]


# --- organisations and funders --------------------------------------------------------------------


def test_organisations_and_funders_have_known_kinds_and_swedish_org_numbers():
    for record in organisations() + funders():
        assert record["kind"] in ORG_KINDS, record["slug"]
        assert has_source(record.get("source")), record["slug"]
        if "org_number" in record:
            assert ORG_NUMBER.match(record["org_number"]), record["slug"]


def test_vinnova_org_number_is_the_one_on_its_decision_letters():
    (vinnova,) = [o for o in organisations() if o["slug"] == "vinnova"]
    assert vinnova["org_number"] == "202100-5216"


def test_every_unverified_record_says_why():
    def walk(node):
        if isinstance(node, dict):
            if node.get("verified") is False:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for name in ("agencies.yaml", "eu.yaml", "funders.yaml"):
        for record in walk(load(name)):
            assert record.get("note"), (name, record.get("slug") or record.get("category"))


@pytest.mark.parametrize("prog", programmes(), ids=lambda p: p["slug"])
def test_every_programme_has_name_source_kind_and_source(prog):
    assert prog.get("name")
    assert prog["source_kind"] in SOURCE_KINDS
    assert has_source(prog.get("source"))
    assert prog.get("description")


def test_programmes_point_at_areas_that_exist():
    known = {a["slug"] for a in areas()}
    referenced = [(p["slug"], s) for p in programmes() for s in ([p["area"]] if "area" in p else p.get("areas", []))]
    assert [(p, s) for p, s in referenced if s not in known] == []


def test_programme_regions_are_real_region_slugs():
    known = region_slugs()
    assert [(p["slug"], r) for p in programmes() for r in p.get("regions", []) if r not in known] == []


# --- ERUF 2021-2027 -------------------------------------------------------------------------------


def test_the_nine_eruf_programmes_exist_and_are_managed_by_tillvaxtverket():
    eruf = {p["slug"]: p for p in programmes() if p["slug"].startswith("eruf-")}
    assert set(eruf) == set(ERUF_REGIONAL) | {ERUF_NATIONAL}
    for prog in eruf.values():
        assert prog["source_kind"] == "erdf"
        assert prog["managing_authority"] == "tillvaxtverket"


@pytest.mark.parametrize("slug", sorted(ERUF_REGIONAL))
def test_each_regional_eruf_programme_covers_its_counties(slug):
    assert set(programme(slug)["regions"]) == ERUF_REGIONAL[slug]


def test_the_regional_eruf_programmes_partition_the_21_regions():
    covered = [r for slug in ERUF_REGIONAL for r in programme(slug)["regions"]]
    assert len(covered) == 21
    assert set(covered) == region_slugs()


def test_the_national_eruf_programme_covers_all_21_regions():
    assert set(programme(ERUF_NATIONAL)["regions"]) == region_slugs()


def test_every_cofinancing_rate_is_a_decimal_string_between_0_and_1():
    rates = [p["cofinancing_rate"] for p in programmes() if "cofinancing_rate" in p]
    rates += [c["max_rate"] for c in load("funders.yaml")["erdf_cofinancing_by_region_category"]["categories"]]
    assert len(rates) >= 9
    for value in rates:
        assert Decimal("0") < as_rate(value) <= Decimal("1")


def test_eruf_programmes_state_whether_their_rate_is_verified():
    for slug in [*ERUF_REGIONAL, ERUF_NATIONAL]:
        prog = programme(slug)
        assert isinstance(prog["cofinancing_rate_verified"], bool), slug
        assert has_source(prog["cofinancing_rate_source"]), slug
        if not prog["cofinancing_rate_verified"]:
            assert prog.get("cofinancing_rate_note"), slug


def test_worked_example_stockholm_eruf_pays_at_most_40_percent():
    # A project with SEK 1 000 000 eligible cost in Stockholm gets at most SEK 400 000 from ERUF,
    # so SEK 600 000 must come from other funders or the beneficiaries.
    prog = programme("eruf-stockholm")
    assert prog["regions"] == ["stockholm"]
    eligible_ore = 1_000_000 * 100
    assert as_rate(prog["cofinancing_rate"]) * eligible_ore == 400_000 * 100


def test_more_developed_regions_rate_matches_the_programme_rates():
    categories = {c["category"]: c for c in load("funders.yaml")["erdf_cofinancing_by_region_category"]["categories"]}
    more_developed = as_rate(categories["more_developed"]["max_rate"])
    for slug in ERUF_REGIONAL:
        prog = programme(slug)
        if prog["region_category"] == "more_developed":
            assert as_rate(prog["cofinancing_rate"]) <= more_developed, slug
