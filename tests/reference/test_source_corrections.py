"""Reference data corrected at its source: each correction is in the loaded data with the source it rests on,
and what no source names is stated as not yet sourced instead of being guessed.

Pure tests: the loader reads the shipped files; no Flask, no database.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from synergy_app.reference.coverage import Coverage, coverage
from synergy_app.reference.loader import DATA_DIR, ReferenceDataError, load


@cache
def data():
    return load()


def priorities_of(region: str) -> dict:
    return {p.slug: p for p in data().priorities if p.owner == region}


def region(slug: str):
    return next(r for r in data().regions if r.slug == slug)


def areas_of(org: str) -> dict:
    return {a.slug: a for a in data().areas if a.owner == org}


def organisation(slug: str):
    return next(o for o in data().organisations if o.slug == slug)


def programme(slug: str):
    return next(p for p in data().programmes if p.slug == slug)


def raw(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


# --- regions ------------------------------------------------------------------------------------


def test_uppsala_has_the_four_areas_of_its_2022_2027_strategy_with_the_press_release_as_source():
    found = priorities_of("uppsala")
    assert {p.title for p in found.values()} == {
        "Innovativa material", "Life science", "Hållbara energilösningar i integrerade energisystem",
        "Cirkulär biobaserad ekonomi"}
    for p in found.values():
        assert p.source.url == ("https://regionuppsala.se/politik-och-paverkan/pressrum/2022/mars/"
                                "uppsnabbat-fran-regionstyrelsen-den-1-mars/")
        assert p.source.retrieved
    assert region("uppsala").priorities_coverage == {"complete": True, "stated_count": 4, "note": None}
    # The joint East Middle Sweden areas are not listed as Uppsala's own.
    assert not any("Smart industri" in p.title for p in found.values())


def test_dalarna_has_the_five_knowledge_areas_adopted_2022_09_20_and_the_2014_four_are_retired():
    found = priorities_of("dalarna")
    assert {p.title for p in found.values()} == {
        "Smarta energisystem", "Grön och cirkulär industri och tillverkning", "Hållbara och kreativa upplevelser",
        "Hållbart och hälsofrämjande byggande och boende", "Innovativ och hållbar bioekonomi"}
    url = ("https://www.regiondalarna.se/press/nyheter-och-pressmeddelanden/"
           "kortfattat-regionala-utvecklingsnamnden-2022-09-20-/")
    assert all(p.source.url == url for p in found.values())
    retired = {r.slug: r for r in data().retired_priorities if r.owner == "dalarna"}
    assert set(retired) == {"dalarna-avancerad-industri", "dalarna-energieffektivt-samhallsbyggande",
                            "dalarna-halsa-valfard", "dalarna-upplevelseproduktion"}
    assert all("2022-09-20" in r.reason and r.source.url == url for r in retired.values())


def test_jonkoping_has_five_areas_and_service_design_is_a_shared_factor_not_a_sixth():
    found = priorities_of("jonkoping")
    assert len(found) == 5
    assert "jonkoping-tjanstedesign" not in found
    retired = {r.slug: r for r in data().retired_priorities}
    assert "not a sixth area" in retired["jonkoping-tjanstedesign"].reason
    assert retired["jonkoping-tjanstedesign"].source.url == (
        "https://utveckling.rjl.se/strategier--handlingsplaner/Smart-specialiseringsstrategi/")
    assert "tjänstedesign" in region("jonkoping").note
    jonkoping = next(r for r in raw("regions.yaml")["regions"] if r["slug"] == "jonkoping")
    assert "gemensam faktor" in jonkoping["source"]["quote"]


def test_norrbotten_adds_smart_communities_from_its_newer_page():
    smart = priorities_of("norrbotten")["norrbotten-smarta-samhallen"]
    assert smart.title_en == "Smart communities"
    assert smart.source.url == ("https://en.utvecklanorrbotten.se/utvecklingsomraden/forskning-innovationer-och-"
                                "entreprenorskap/smart-specialisering-ny/vad-ar-smart-specialisering/")
    assert "smart_cities" in smart.codes["policy"]


def test_vasternorrland_adds_autonomous_mobility_and_renewable_energy_and_says_the_list_may_be_longer():
    found = priorities_of("vasternorrland")
    assert found["vasternorrland-autonom-mobilitet"].source.url.endswith(
        "/smart-specialisering/utvecklingsomraden/autonom-mobilitet/")
    assert found["vasternorrland-fornybar-energi"].source.url == (
        "https://s3platform.jrc.ec.europa.eu/region-page-test/-/regions/SE321")
    assert "vasternorrland-skoglig-bioekonomi" in found
    statement = region("vasternorrland").priorities_coverage
    assert statement["complete"] is False and statement["note"]


def test_regions_whose_areas_no_source_names_say_so_with_the_stated_number():
    assert priorities_of("vasterbotten") == {}
    assert region("vasterbotten").priorities_coverage["stated_count"] == 9
    assert region("vasterbotten").priorities_coverage["complete"] is False
    assert len(priorities_of("gotland")) == 2
    assert region("gotland").priorities_coverage["stated_count"] == 3
    assert "not found" in region("gotland").priorities_coverage["note"]


# --- agencies and programmes ----------------------------------------------------------------------


def test_vinnova_cites_a_page_about_vinnova_not_the_testbed_assignment():
    vinnova = organisation("vinnova")
    assert vinnova.source.url == "https://vinnova.se/en/about-us/our-mission/20-years-of-swedish-innovation"
    assert "Testbadd" not in vinnova.source.url


def test_vinnova_digital_omstallning_rests_on_the_final_report_and_the_ten_areas_are_stated():
    area = areas_of("vinnova")["vinnova-digital-omstallning"]
    assert area.kind == "strategic_area"
    assert area.source.title.startswith("Vinnova (2023), slutrapport")
    entry = next(a for o in raw("agencies.yaml")["organisations"] if o["slug"] == "vinnova" for a in o["areas"]
                 if a["slug"] == "vinnova-digital-omstallning")
    assert entry["verified"] is True
    assert "strategiska område Digital omställning" in entry["source"]["quote"]
    statement = organisation("vinnova").details["areas_coverage"]
    assert statement["stated_count"] == 10 and statement["complete"] is False
    assert statement["kind"] == "strategic_area"


def test_impact_innovation_has_its_five_programmes_each_with_a_source():
    names = {a.slug: a for a in data().areas if a.slug.startswith("impact-")}
    assert set(names) == {"impact-net-zero-industry", "impact-metals-minerals", "impact-water-wise-societies",
                          "impact-sustaingov", "impact-shift2access"}
    for area in names.values():
        assert area.source.url.startswith("https://") and area.source.retrieved, area.slug


def test_business_sweden_says_its_list_of_ecosystems_is_not_complete():
    statement = organisation("business-sweden").details["areas_coverage"]
    assert statement["complete"] is False
    assert "not yet sourced" in statement["note"]


def test_mellersta_norrland_rate_of_40_percent_is_verified_on_the_programme_page():
    prog = programme("eruf-mellersta-norrland")
    assert prog.cofinancing_rate == Decimal("0.40")
    assert prog.cofinancing_rate_verified is True
    assert prog.details["cofinancing_rate_source"]["url"] == (
        "https://eufonder.se/eu-fonder/regionala-utvecklingsfonden/mellersta-norrland.html")
    assert "40 procent" in prog.details["cofinancing_rate_source"]["quote"]


def test_ovre_norrland_rate_stays_unverified_and_says_it_is_not_yet_sourced():
    prog = programme("eruf-ovre-norrland")
    assert prog.cofinancing_rate_verified is False
    assert "not yet sourced" in prog.details["cofinancing_rate_note"]


# --- the loader refuses contradictory statements ----------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit_regions(folder: Path, change) -> None:
    content = yaml.safe_load((folder / "regions.yaml").read_text(encoding="utf-8"))
    change({r["slug"]: r for r in content["regions"]})
    (folder / "regions.yaml").write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def test_a_list_marked_complete_must_have_as_many_areas_as_stated(data_copy):
    _edit_regions(data_copy, lambda r: r["uppsala"].update(priorities_coverage={"complete": True, "stated_count": 5}))
    with pytest.raises(ReferenceDataError, match="priorities_coverage: marked complete with 5 areas stated but 4"):
        load(data_copy)


def test_an_incomplete_list_must_say_what_was_searched(data_copy):
    _edit_regions(data_copy, lambda r: r["gotland"].update(priorities_coverage={"complete": False,
                                                                                 "stated_count": 3}))
    with pytest.raises(ReferenceDataError, match=r"regions\[7\]\.priorities_coverage\.note: an incomplete list"):
        load(data_copy)


def test_a_retired_area_cannot_also_be_current(data_copy):
    def revive(regions):
        regions["dalarna"]["priorities"].append({**regions["dalarna"]["priorities"][0],
                                                 "slug": "dalarna-halsa-valfard"})
        regions["dalarna"]["priorities_coverage"] = {"complete": True, "stated_count": 6}
    _edit_regions(data_copy, revive)
    with pytest.raises(ReferenceDataError, match="'dalarna-halsa-valfard': listed both as current and as retired"):
        load(data_copy)


# --- what a page says about a list --------------------------------------------------------------


def test_coverage_of_an_empty_list_is_nothing_sourced_even_without_a_statement():
    assert coverage(None, 0) == Coverage(complete=False, listed=0)
    assert coverage(None, 0).nothing_sourced


def test_coverage_counts_the_missing_areas_when_the_source_states_a_number():
    gotland = coverage({"complete": False, "stated_count": 3, "note": "x"}, 2)
    assert not gotland.complete and gotland.missing == 1 and not gotland.nothing_sourced
    assert coverage({"complete": False, "stated_count": None, "note": "x"}, 3).missing is None
    assert coverage({"complete": True, "stated_count": 4}, 4).complete
