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
        assert ruleset.checked_on == date(2026, 12, 6)
        # 1407/2013's Art. 3 could not be read in any legal text; the other two were read.
        assert ruleset.last_checked_against_legal_text is (ruleset.id != "de-minimis-1407-2013")
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
        '    reference: {regulation: "(EU) 2023/2831", article: "3", paragraph: "2"}\n    verified: true\n'
        '    note: "Per single', '    verified: true\n    note: "Per single')
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
    ("    verified: true\n    note: \"Per single", "    verifed: true\n    note: \"Per single",
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


# --- quotes: a value is verified only when the sentence it is read in is quoted -------------------

def _spellings(value) -> set[str]:
    """How a ruleset value is written in an English legal text."""
    if isinstance(value, str):
        return {"rolling_three_years": {"over any period of 3 years"},
                "three_fiscal_years": {"three fiscal years"}}[value]
    if isinstance(value, Decimal):
        percent = (value * 100).normalize()
        # Increases are written in percentage points ("by 20 percentage point[s]").
        return ({f"{percent:f} %", f"{percent:f} percentage point"}
                | ({"half"} if value == Decimal("0.50") else set()))
    words = {2: "two", 3: "three", 6: "six", 10: "10"}
    out = {str(value), f"{value:,}".replace(",", " ")} | ({words[value]} if value in words else set())
    if value >= 1_000_000:
        out.add(f"EUR {(Decimal(value) / 1_000_000).normalize():f} million")
    return out


def test_every_verified_shipped_value_has_a_quote_that_states_it(rulesets):
    for ruleset in rulesets.rulesets:
        references = [(f"legal_references.{k}", r) for k, r in ruleset.legal_references.items()]
        for key, param in ruleset.parameters():
            assert param.verified == param.reference.verified, key
            references.append((key, param.reference))
            if param.verified:
                assert any(s in param.quote.text for s in _spellings(param.value)), (ruleset.id, key)
        for key, reference in references:
            if reference.verified:
                quote = reference.quote
                assert quote and quote.text and quote.language and quote.source, (ruleset.id, key)
            else:
                assert reference.note, f"{ruleset.id}: {key} is unverified and must say why"


def test_verified_without_a_quote_is_refused_by_the_loader():
    start = DE_MINIMIS_TEXT.index("  ceiling_eur:")
    end = DE_MINIMIS_TEXT.index("  period:\n    value:")
    block = DE_MINIMIS_TEXT[start:end]
    without_quote = block[:block.index("    quote:")]
    text = DE_MINIMIS_TEXT.replace(block, without_quote)
    with pytest.raises(RulesetError) as err:
        parse_ruleset(text, "x.yaml")
    assert err.value.path == "values.ceiling_eur"
    assert "verified: true needs a quote" in err.value.problem
    # The same value marked unverified loads.
    parse_ruleset(text.replace(without_quote, without_quote.replace("verified: true", "verified: false")), "x.yaml")


def test_corrected_thresholds_and_letters_read_in_article_4(rulesets):
    gber = rulesets.ruleset_for("gber", date(2026, 3, 1))
    process = gber.param("notification_thresholds_eur.process_innovation")
    assert process.value == 12_500_000
    assert process.reference.cite() == "Art. 4(1)(m) (EU) No 651/2014, as amended by (EU) 2023/1315"
    assert gber.param("notification_thresholds_eur.feasibility_study").reference.cite().startswith("Art. 4(1)(i)(vi)")
    assert gber.param("notification_thresholds_eur.innovation_cluster").reference.cite().startswith("Art. 4(1)(k)")
    assert gber.param("notification_thresholds_eur.sme_innovation").reference.cite().startswith("Art. 4(1)(l)")
    years = gber.param("innovation_clusters.operating_max_years")
    assert years.value == 10 and years.reference.cite() == "Art. 27(7) (EU) No 651/2014"
    assert years.quote.language == "en" and "shall not exceed 10 years" in years.quote.text


def test_unverified_values_are_named_in_the_summary(rulesets):
    old = rulesets.ruleset_for("de_minimis", date(2020, 5, 1)).summary()
    assert old["values_verified"] == 0 and old["values_total"] == 2
    assert [v["key"] for v in old["unverified_values"]] == ["ceiling_eur", "period"]
    assert old["unverified_values"][0]["citation"] == "Art. 3(2) (EU) No 1407/2013"
    new = rulesets.ruleset_for("de_minimis", date(2024, 5, 1)).summary()
    assert new["unverified_values"] == [] and new["values_verified"] == 2
