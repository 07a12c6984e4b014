"""Small hand-made items for the matching tests: no Flask app and no database needed."""

from __future__ import annotations

import pytest

from synergy_app.priorities.matching import Codes, Item


def priority(ident, region, title, description="", keywords=(), **codes):
    return Item(ident, "priority", region, title, description, tuple(keywords), Codes.from_mapping(codes))


def area(ident, owner, title, description="", keywords=(), **codes):
    return Item(ident, "area", owner, title, description, tuple(keywords), Codes.from_mapping(codes))


@pytest.fixture
def hallbar_industri():
    return area(
        "vinnova-hallbar-industri",
        "vinnova",
        "Hållbar industri",
        "Hållbar och konkurrenskraftig tillverkningsindustri: produktion, material och cirkulära flöden.",
        ("tillverkning", "produktion", "material"),
        economic=["C", "C28"],
        scientific=["2.3", "2.5"],
        policy=["advanced_manufacturing", "materials"],
    )


@pytest.fixture
def ocean_mission():
    return area(
        "eu-mission-ocean",
        "european-commission",
        "Hav och vatten",
        "Friska hav, vatten och blå ekonomi.",
        ("hav", "vatten", "blå ekonomi"),
        economic=["A03", "H50"],
        scientific=["1.5"],
        policy=["blue_growth"],
    )


@pytest.fixture
def manufacturing():
    return priority(
        "vm-tillverkning",
        "vastmanland",
        "Avancerad tillverkning",
        "Regionens tillverkningsindustri med automation och nya material.",
        ("automation", "material"),
        economic=["C27", "C28"],
        scientific=["2.3"],
        policy=["advanced_manufacturing"],
    )


@pytest.fixture
def tourism():
    return priority(
        "gotland-besoksnaring",
        "gotland",
        "Besöksnäring",
        "Turism, kulturarv och upplevelser året runt.",
        ("turism", "upplevelser"),
        economic=["I55", "N79"],
        policy=["tourism"],
    )


@pytest.fixture
def marine():
    return priority(
        "blekinge-marin",
        "blekinge",
        "Marin teknik och havsbaserad vindkraft",
        "Marin teknik, sjöfart och havsbaserad vindkraft i ett friskt hav.",
        ("hav", "sjöfart"),
        economic=["H50", "D35"],
        policy=["blue_growth", "energy_production_and_distribution"],
    )
