"""Ruleset files: loading, picking by date, and every refused case named by file and key path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from synergy_app.stateaid.rulesets import (
    RULESET_DIR,
    Parameter,
    RulesetError,
    load_rulesets,
    parse_ruleset,
    ruleset_for,
)

DE_MINIMIS_TEXT = (RULESET_DIR / "de-minimis-2023-2831.yaml").read_text(encoding="utf-8")


def _parameters(node, path=""):
    for key, value in node.items():
        if isinstance(value, Parameter):
            yield f"{path}{key}", value
        else:
            yield from _parameters(value, f"{path}{key}.")


def test_shipped_rulesets_load_and_every_value_cites_an_article(rulesets):
    assert {r.id for r in rulesets.rulesets} == {
        "gber-651-2014-as-amended-2023-1315", "de-minimis-2023-2831", "de-minimis-1407-2013"}
    for ruleset in rulesets.rulesets:
        assert ruleset.last_checked_against_legal_text == date(2026, 11, 23)
        params = list(_parameters(ruleset.values))
        assert params
        for _, param in params:
            assert param.reference.regulation and param.reference.article


@pytest.mark.parametrize(("family", "on", "expected"), [
    ("gber", date(2023, 6, 30), None),
    ("gber", date(2023, 7, 1), "gber-651-2014-as-amended-2023-1315"),
    ("gber", date(2026, 12, 31), "gber-651-2014-as-amended-2023-1315"),
    ("gber", date(2027, 1, 1), None),
    ("de_minimis", date(2013, 12, 31), None),
    ("de_minimis", date(2014, 1, 1), "de-minimis-1407-2013"),
    ("de_minimis", date(2023, 12, 31), "de-minimis-1407-2013"),
    ("de_minimis", date(2024, 1, 1), "de-minimis-2023-2831"),
])
def test_ruleset_for_picks_the_one_in_force_on_the_date(rulesets, family, on, expected):
    found = ruleset_for(family, on, rulesets)
    assert (found.id if found else None) == expected


def test_gber_figures_are_read_as_decimals(rulesets):
    gber = rulesets.ruleset_for("gber", date(2026, 3, 1))
    assert gber.param("r_and_d_projects.base_intensity.experimental_development").decimal == Decimal("0.25")
    assert gber.param("r_and_d_projects.maximum_intensity").decimal == Decimal("0.80")
    assert gber.param("notification_thresholds_eur.experimental_development").value == 25_000_000
    assert gber.param("r_and_d_projects.collaboration_bonus").reference.cite() == (
        "Art. 25(6)(b) (EU) No 651/2014, as amended by (EU) 2023/1315")


def test_value_without_legal_reference_is_refused():
    text = DE_MINIMIS_TEXT.replace(
        '    reference: {regulation: "(EU) 2023/2831", article: "3", paragraph: "2"}\n    verified: false\n'
        '    note: "Per single', '    verified: false\n    note: "Per single')
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "de-minimis.yaml")
    assert err.value.file == "de-minimis.yaml"
    assert err.value.path == "values.ceiling_eur"
    assert "reference" in err.value.problem


def test_reference_without_article_is_refused():
    text = DE_MINIMIS_TEXT.replace('article: "3", paragraph: "2"}', 'paragraph: "2"}', 1)
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "x.yaml")
    assert err.value.path == "values.ceiling_eur.reference"


@pytest.mark.parametrize(("replace", "by", "path", "key"), [
    ("values:\n", "values:\n  ceiling_typo: {value: 1, reference: {regulation: x, article: '1'}}\n", "values",
     "ceiling_typo"),
    ('article: "3", paragraph: "2"}', 'article: "3", paragrph: "2"}', "values.ceiling_eur.reference", "paragrph"),
    ("title:", "titel: misspelt\ntitle:", "", "titel"),
    ("    verified: false\n    note: \"Per single", "    verifed: false\n    note: \"Per single",
     "values.ceiling_eur", "verifed"),
])
def test_unknown_keys_are_refused_with_their_path(replace, by, path, key):
    text = DE_MINIMIS_TEXT.replace(replace, by, 1)
    assert text != DE_MINIMIS_TEXT
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "x.yaml")
    assert err.value.path == path
    assert key in err.value.problem


def test_intensity_written_as_a_float_is_refused():
    text = (RULESET_DIR / "gber-651-2014-as-amended-2023-1315.yaml").read_text(encoding="utf-8")
    text = text.replace('value: "0.25"', "value: 0.25", 1)
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "gber.yaml")
    assert err.value.path == "values.r_and_d_projects.base_intensity.experimental_development.value"


def test_period_ending_before_it_starts_is_refused():
    text = DE_MINIMIS_TEXT.replace('valid_to: "2030-12-31"', 'valid_to: "2023-12-31"')
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "x.yaml")
    assert err.value.path == "valid_to"


def _copy_shipped(tmp_path: Path) -> None:
    for path in RULESET_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")


def test_overlapping_validity_in_a_family_is_refused(tmp_path):
    _copy_shipped(tmp_path)
    overlapping = DE_MINIMIS_TEXT.replace("id: de-minimis-2023-2831", "id: de-minimis-draft").replace(
        'valid_from: "2024-01-01"', 'valid_from: "2023-12-31"')
    (tmp_path / "de-minimis-draft.yaml").write_text(overlapping, encoding="utf-8")
    with pytest.raises(RulesetError) as err:
        load_rulesets(tmp_path)
    assert "overlaps" in err.value.problem
    assert err.value.path == "valid_from"


def test_adjacent_periods_are_accepted_and_a_successor_is_just_a_new_file(tmp_path):
    _copy_shipped(tmp_path)
    successor = (RULESET_DIR / "gber-651-2014-as-amended-2023-1315.yaml").read_text(encoding="utf-8")
    successor = successor.replace("id: gber-651-2014-as-amended-2023-1315", "id: gber-successor").replace(
        'valid_from: "2023-07-01"', 'valid_from: "2027-01-01"').replace(
        'valid_to: "2026-12-31"', 'valid_to: "2033-12-31"')
    (tmp_path / "gber-successor.yaml").write_text(successor, encoding="utf-8")
    library = load_rulesets(tmp_path)
    assert library.ruleset_for("gber", date(2027, 1, 1)).id == "gber-successor"
    assert library.ruleset_for("gber", date(2026, 12, 31)).id == "gber-651-2014-as-amended-2023-1315"


def test_duplicate_ids_are_refused(tmp_path):
    _copy_shipped(tmp_path)
    clash = DE_MINIMIS_TEXT.replace('valid_from: "2024-01-01"', 'valid_from: "2040-01-01"').replace(
        'valid_to: "2030-12-31"', 'valid_to: "2041-12-31"')
    (tmp_path / "zz-copy.yaml").write_text(clash, encoding="utf-8")
    with pytest.raises(RulesetError) as err:
        load_rulesets(tmp_path)
    assert "duplicate" in err.value.problem
