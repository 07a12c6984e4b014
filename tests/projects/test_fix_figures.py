"""'What would fix it' takes the figures of a rule from the ruleset the check used, not from prose."""

from __future__ import annotations

from datetime import date

from synergy_app.stateaid.fixes import suggestion_for
from synergy_app.stateaid.flags import make_flag
from synergy_app.stateaid.rulesets import RULESET_DIR, load_rulesets, parse_ruleset

GBER_FILE = RULESET_DIR / "gber-651-2014-as-amended-2023-1315.yaml"


def _flag():
    return make_flag("COLLABORATION_BONUS_NOT_MET", "warning", reason_sv="x", reason_en="x")


def test_collaboration_advice_quotes_the_shares_of_the_ruleset():
    gber = load_rulesets().ruleset_for("gber", date(2026, 3, 1))
    fix = suggestion_for(_flag(), gber)
    # Each language writes the figures its own way (Babel): "70%" in English, "70\xa0%" in Swedish.
    assert "no single undertaking above 70%, research organisations at least 10%" in fix.text_en
    assert "inget enskilt företag över 70\xa0%, forskningsorganisationer minst 10\xa0%" in fix.text_sv


def test_a_different_ruleset_figure_changes_the_advice():
    text = GBER_FILE.read_text(encoding="utf-8").replace('value: "0.70"', 'value: "0.65"', 1)
    fix = suggestion_for(_flag(), parse_ruleset(text, "gber.yaml"))
    assert "above 65%" in fix.text_en and "70%" not in fix.text_en


def test_without_a_ruleset_the_advice_gives_no_figures():
    fix = suggestion_for(_flag())
    assert "%" not in fix.text_en and fix.text_en.startswith("Plan without the collaboration bonus")
