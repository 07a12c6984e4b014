"""The shipped funder profiles load, and a profile file with an unknown key or an unsourced value is
refused naming the file and the key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from synergy_app.funding_profiles.profiles import (
    COST_TYPES,
    ProfileError,
    default_profiles,
    load_profiles,
    parse_profile,
)

SHIPPED = ("vinnova", "eruf-tillvaxtverket", "region-1-1", "energimyndigheten", "horizon-europe")


def _text(funder: str) -> str:
    from synergy_app.funding_profiles.profiles import PROFILE_DIR

    return (PROFILE_DIR / f"{funder}.yaml").read_text(encoding="utf-8")


def test_the_five_funders_are_shipped_and_every_cost_type_has_a_place():
    library = load_profiles()
    assert library.funders() == sorted(SHIPPED)
    for profile in library.profiles:
        for cost_type in COST_TYPES:
            assert profile.category_for(cost_type) or cost_type in profile.refusals, (profile.id, cost_type)


def test_sourced_figures_read_at_the_source_carry_their_sentence():
    eruf = default_profiles().get("eruf-tillvaxtverket")
    hours = eruf.personnel.annual_hours
    assert hours.value == 1720 and hours.verified
    assert "1 720 timmar" in hours.quote["text"]
    assert hours.source["url"].startswith("https://eu.tillvaxtverket.se/")
    assert eruf.indirect.rate.decimal == Decimal("0.15") and not eruf.indirect.rate.verified
    he = default_profiles().get("horizon-europe")
    assert he.indirect.rate.decimal == Decimal("0.25") and he.indirect.base == "direct_excluding_subcontracting"
    assert "indirect.rate" in he.unverified()


def test_unknown_key_is_refused_with_file_and_key():
    text = _text("vinnova").replace("checked_on:", "colour: red\nchecked_on:", 1)
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "vinnova.yaml")
    assert err.value.file == "vinnova.yaml"
    assert "unknown key(s) colour" in err.value.problem


def test_value_without_a_source_is_refused_with_its_key():
    text = _text("eruf-tillvaxtverket").replace(
        "    value: 1720\n    source: tvv_costs\n", "    value: 1720\n", 1)
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "eruf-tillvaxtverket.yaml")
    assert err.value.path == "personnel.annual_hours"
    assert "'source' is required" in err.value.problem


def test_source_key_that_names_no_source_is_refused():
    text = _text("vinnova").replace("source: faq2016\n  verified: false", "source: nowhere\n  verified: false", 1)
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "vinnova.yaml")
    assert err.value.path == "indirect.source" and "'nowhere'" in err.value.problem


def test_verified_without_quote_is_refused():
    line = '  - {key: staff, name: {sv: "Personal", en: "Staff"}, from: [personnel], source: region_guide, verified: '
    text = _text("region-1-1").replace(line + "false}", line + "true}")
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "region-1-1.yaml")
    assert err.value.path == "cost_categories[0]" and "quote" in err.value.problem


def test_a_cost_type_without_a_place_is_refused():
    text = _text("horizon-europe").replace("from: [equipment, other_direct]", "from: [equipment]")
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "horizon-europe.yaml")
    assert "other_direct" in err.value.problem


def test_funding_sources_find_their_profile():
    library = default_profiles()
    assert library.for_source("eruf-ovre-norrland", "erdf").funder == "eruf-tillvaxtverket"
    assert library.for_source("region-norrbotten", "regional").funder == "region-1-1"
    assert library.for_source("vinnova", "state").funder == "vinnova"
    assert library.for_source("norrstal", "private") is None
