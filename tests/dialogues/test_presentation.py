"""Snabbdialog presentation templates: loading, pre-filling, validation and speaking time (pure core)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synergy_app.dialogues.presentation import (
    TemplateSpecError,
    count_words,
    estimate_speaking_time,
    get_template,
    load_templates,
    prefill,
    validate_content,
)

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "dialogue_templates"

REGION = {
    "name": "Region Östergötland",
    "contacts": [
        {"name": "Åsa Öberg", "role": "Strateg", "organisation": "Region Östergötland",
         "email": "a@example.se"},
        {"name": "", "role": "ingen"},
    ],
}
PRIORITIES = [
    {"name": "Life science", "description": "Medicinteknik och vårdnära innovation.",
     "national_areas": ["Hållbar precisionshälsa"]},
    {"name": "Avancerade material", "description": "Lätta material för industrin.",
     "national_areas": ["Hållbar industri"], "international": ["Vanguard Initiative"]},
    {"name": "Cirkulär tillverkning", "keywords": ["hållbar industri"],
     "international": ["Vanguard Initiative", "S3-partnerskap för cirkulär ekonomi"]},
]


@pytest.fixture(scope="module")
def region_template():
    return get_template(load_templates(TEMPLATE_DIR), "snabbdialog-region")


def filled(**overrides):
    content = {
        "region_s3": "Östergötland satsar på avancerade material, visualisering och cirkulär tillverkning.",
        "focus_areas": ["Avancerade material", "Cirkulär tillverkning"],
        "international": ["Vanguard Initiative"],
        "continue_dialogue": ["Fullskalig systemdemonstrator för återvunnen aluminium"],
        "contacts": [{"name": "Åsa Öberg", "email": "a@example.se"}],
    }
    content.update(overrides)
    return content


def test_shipped_templates_are_found_by_scanning_the_folder(region_template):
    templates = load_templates(TEMPLATE_DIR)
    kinds = {t.id: t.kind for t in templates}
    assert kinds["snabbdialog-region"] == "presentation"
    assert kinds["agenda"] == "agenda"
    assert [f.name for f in region_template.fields] == [
        "region_s3", "focus_areas", "international", "continue_dialogue", "contacts",
    ]
    assert region_template.speaking.limit_seconds == 600
    assert region_template.notice_en == "This presentation is not a request for national funding."


def test_a_new_folder_is_a_new_template(tmp_path):
    shutil.copytree(TEMPLATE_DIR / "snabbdialog-region", tmp_path / "kopia")
    yaml_file = tmp_path / "kopia" / "template.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        "id: snabbdialog-region", "id: kommundialog"), encoding="utf-8")
    (tmp_path / "notes").mkdir()  # a folder without template.yaml is not a template
    assert [t.id for t in load_templates(tmp_path)] == ["kommundialog"]


def test_broken_template_yaml_names_the_file_and_key(tmp_path):
    folder = tmp_path / "trasig"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "id: trasig\nname_sv: T\nname_en: T\nkind: presentation\n"
        "fields:\n  - name: a\n    type: table\n    label_sv: A\n    label_en: A\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateSpecError, match=r"template.yaml: fields\[0\]\.type"):
        load_templates(tmp_path)


def test_two_templates_with_the_same_id_are_refused(tmp_path):
    for name in ("a", "b"):
        shutil.copytree(TEMPLATE_DIR / "agenda", tmp_path / name)
    with pytest.raises(TemplateSpecError, match="id 'agenda' is already used"):
        load_templates(tmp_path)


def test_prefill_puts_the_priorities_on_the_rounds_theme_first(region_template):
    draft = prefill(region_template, REGION, PRIORITIES, "Hållbar industri")
    # Life science is not on the theme and two on-theme priorities already meet min_items=2.
    assert draft["focus_areas"] == [
        "Avancerade material: Lätta material för industrin.",
        "Cirkulär tillverkning",
    ]
    assert "prioriterar Avancerade material, Cirkulär tillverkning och Life science" in draft["region_s3"]
    assert draft["region_s3"].startswith("Region Östergötlands strategi")
    assert draft["international"] == ["Vanguard Initiative", "S3-partnerskap för cirkulär ekonomi"]
    # Contacts without a name are dropped; the strategist decides where to continue.
    assert [c["name"] for c in draft["contacts"]] == ["Åsa Öberg"]
    assert draft["continue_dialogue"] == []


def test_prefill_tops_up_to_the_minimum_with_other_priorities(region_template):
    draft = prefill(region_template, REGION, PRIORITIES, "Hållbar precisionshälsa")
    assert draft["focus_areas"][0].startswith("Life science")
    assert len(draft["focus_areas"]) == 2


def test_prefill_uses_the_regions_own_summary_when_it_has_one(region_template):
    region = dict(REGION, s3_summary="Vår S3-strategi i korthet.")
    assert prefill(region_template, region, PRIORITIES, "x")["region_s3"] == "Vår S3-strategi i korthet."


def test_complete_content_has_no_errors(region_template):
    assert validate_content(region_template, filled()) == []


def test_validation_names_each_field_and_problem(region_template):
    content = filled(
        region_s3="",
        focus_areas=["Ett", "Två", "Tre", "Fyra"],
        contacts=[{"email": "x@example.se", "fax": "1"}],
        slogan="extra",
    )
    errors = {(e.field, e.message_en) for e in validate_content(region_template, content)}
    assert ("slogan", "Unknown field for this template.") in errors
    assert ("region_s3", "The region and its smart specialisation strategy is required.") in errors
    assert ("focus_areas", "Strategic focus areas: at most 3 fit, 4 given.") in errors
    assert ("contacts", "Contact 1 has no name.") in errors
    assert ("contacts", "Contact 1 has unknown keys: fax.") in errors
    sv = {e.message_sv for e in validate_content(region_template, content)}
    assert "Strategiska fokusområden: högst 3 får plats, 4 angivna." in sv


def test_too_many_words_and_wrong_types_are_errors(region_template):
    content = filled(region_s3="ord " * 121, international="Vanguard")
    errors = {(e.field, e.message_en) for e in validate_content(region_template, content)}
    assert (
        "region_s3",
        "The region and its smart specialisation strategy: 121 words, at most 120 fit.",
    ) in errors
    assert ("international", "Must be a list.") in errors


def test_words_are_counted_across_lists_and_contacts():
    assert count_words("Hållbar industri, år 2026") == 4
    assert count_words(["e-post och S3-partnerskap", {"name": "Åsa Öberg"}]) == 5


def test_speaking_time_is_words_at_the_templates_pace_plus_slide_time(region_template):
    # 130 words at 130 words a minute is one minute of speech, plus 15 s for the slide.
    content = filled(
        region_s3="ord " * 130, focus_areas=[], international=[], continue_dialogue=[], contacts=[]
    )
    estimate = estimate_speaking_time(region_template, content)
    assert estimate.per_section["region_s3"] == 75
    assert estimate.per_section["_title"] == 20
    # Empty slides still take their slide time: 20 + 75 + 4 * 15.
    assert estimate.seconds == 155
    assert estimate.fits and estimate.warning_sv is None


def test_contacts_are_shown_not_spoken(region_template):
    many = [{"name": f"Person {i}", "role": "ord " * 15} for i in range(4)]
    assert estimate_speaking_time(region_template, filled(contacts=many)).per_section["contacts"] == 15


def test_content_over_ten_minutes_gets_a_warning_naming_the_longest_section(region_template):
    # 3 x 400 words = 1200 words: 554 s of speech on one slide, far over the limit with the rest.
    content = filled(focus_areas=["ord " * 400] * 3)
    estimate = estimate_speaking_time(region_template, content)
    assert not estimate.fits
    assert estimate.seconds > 600
    assert estimate.limit_seconds == 600
    assert "Strategiska fokusområden" in estimate.warning_sv
    assert "mer än 10:00" in estimate.warning_sv
    assert estimate.warning_en.startswith("The presentation is estimated at")


def test_exactly_at_the_limit_still_fits(tmp_path):
    folder = tmp_path / "kort"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "id: kort\nname_sv: K\nname_en: K\nkind: presentation\n"
        "speaking_time: {limit_seconds: 60, words_per_minute: 60,"
        " seconds_per_slide: 0, title_slide_seconds: 0}\n"
        "fields:\n  - {name: a, type: text, label_sv: A, label_en: A}\n",
        encoding="utf-8",
    )
    template = load_templates(tmp_path)[0]
    assert estimate_speaking_time(template, {"a": "ord " * 60}).fits
    assert not estimate_speaking_time(template, {"a": "ord " * 61}).fits
