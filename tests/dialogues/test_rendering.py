"""Rendering snabbdialog templates: 16:9 presentation PDF and PPTX, A4 agenda with the running order."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from synergy_app.dialogues.presentation import get_template, load_templates, validate_content
from synergy_app.dialogues.rendering import (
    TemplateRenderError,
    render_agenda_pdf,
    render_presentation_html,
    render_presentation_pdf,
    render_presentation_pptx,
)

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "dialogue_templates"
MM_PER_PT = 25.4 / 72

CONTENT = {
    "region_s3": "Östergötland satsar på avancerade material & cirkulär tillverkning <i>nu</i>.",
    "focus_areas": ["Avancerade material för lätta fordon", "Cirkulär tillverkning i stålindustrin"],
    "international": ["Vanguard Initiative", "S3-partnerskap för cirkulär ekonomi"],
    "continue_dialogue": ["Fullskalig systemdemonstrator för återvunnet stål"],
    "contacts": [{"name": "Åsa Öberg", "role": "Strateg", "email": "asa.oberg@example.se"}],
}
CONTEXT = {
    "region": {"name": "Region Östergötland"},
    "round": {
        "theme": "Hållbar industri",
        "lead_agency": "Vinnova",
        "lead_area": "Hållbar industri",
        # 07:00 UTC on the Monday after the switch to summer time is 09:00 in Stockholm.
        "starts_at": datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    },
    "presenters": ["Åsa Öberg"],
}


@pytest.fixture(scope="module")
def templates():
    return load_templates(TEMPLATE_DIR)


@pytest.fixture(scope="module")
def region_template(templates):
    return get_template(templates, "snabbdialog-region")


@pytest.fixture(scope="module")
def deck_pdf(region_template):
    return PdfReader(io.BytesIO(render_presentation_pdf(region_template, CONTENT, CONTEXT)))


def page_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_presentation_pdf_has_16_9_pages_title_plus_one_per_section(deck_pdf):
    assert len(deck_pdf.pages) == 6
    for page in deck_pdf.pages:
        width_mm = float(page.mediabox.width) * MM_PER_PT
        height_mm = float(page.mediabox.height) * MM_PER_PT
        assert width_mm == pytest.approx(338.67, abs=0.5)
        assert height_mm == pytest.approx(190.5, abs=0.5)


def test_presentation_pdf_shows_region_theme_time_and_the_funding_statement(deck_pdf):
    text = page_text(deck_pdf)
    assert "Region Östergötland" in text
    assert "Hållbar industri" in text
    assert "måndag 30 mars 2026 kl. 09:00" in text
    first_page = deck_pdf.pages[0].extract_text()
    assert "Presentationen är inte ett äskande om nationell finansiering." in first_page
    assert "Fullskalig systemdemonstrator för återvunnet stål" in text
    assert "asa.oberg@example.se" in text


def test_content_is_escaped_not_interpreted_as_html(region_template):
    html = render_presentation_html(region_template, CONTENT, CONTEXT)
    assert "avancerade material &amp; cirkulär tillverkning &lt;i&gt;nu&lt;/i&gt;" in html


def test_english_labels_and_statement(region_template):
    pdf = render_presentation_pdf(region_template, CONTENT, dict(CONTEXT, lang="en"))
    reader = PdfReader(io.BytesIO(pdf))
    text = page_text(reader)
    assert "This presentation is not a request for national funding." in text
    assert "Strategic focus areas" in text
    assert "Monday 30 March 2026, 09:00" in text


def test_pptx_is_16_9_with_a_slide_per_section(region_template):
    deck = Presentation(io.BytesIO(render_presentation_pptx(region_template, CONTENT, CONTEXT)))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    slides = list(deck.slides)
    assert len(slides) == 6
    texts = [[shape.text_frame.text for shape in slide.shapes] for slide in slides]
    assert "Region Östergötland" in texts[0][0]
    assert "Presentationen är inte ett äskande om nationell finansiering." in texts[0][0]
    assert texts[2][0] == "Strategiska fokusområden"
    assert texts[2][1].splitlines() == CONTENT["focus_areas"]
    assert texts[5][0] == "Kontaktpersoner"
    assert "Åsa Öberg, Strateg, asa.oberg@example.se" in texts[5][1]
    # Speaker notes carry the time budget of each slide.
    assert slides[1].notes_slide.notes_text_frame.text.startswith("Beräknad tid: 0:")


def test_empty_sections_still_render_and_say_so(region_template):
    text = page_text(PdfReader(io.BytesIO(render_presentation_pdf(region_template, {}, CONTEXT))))
    assert text.count("(ej ifyllt)") == 5


def test_wrong_value_type_is_a_render_error_naming_the_field(region_template):
    with pytest.raises(TemplateRenderError, match="focus_areas: expected a list"):
        render_presentation_pdf(region_template, dict(CONTENT, focus_areas="en text"), CONTEXT)


def test_missing_context_variable_is_a_render_error(region_template):
    context = {"region": {"name": "Region Östergötland"}, "round": {}}
    with pytest.raises(TemplateRenderError, match="missing value.*theme"):
        render_presentation_pdf(region_template, CONTENT, context)
    with pytest.raises(TemplateRenderError, match="region.name and round.theme"):
        render_presentation_pptx(region_template, CONTENT, context)


def copy_template(tmp_path: Path, name: str = "snabbdialog-region"):
    shutil.copytree(TEMPLATE_DIR / name, tmp_path / name)
    return tmp_path / name


def test_misspelt_variable_in_a_template_is_a_render_error(tmp_path):
    folder = copy_template(tmp_path)
    html = (folder / "slides.html").read_text(encoding="utf-8")
    (folder / "slides.html").write_text(html.replace("{{ notice }}", "{{ notise }}"), encoding="utf-8")
    template = load_templates(tmp_path)[0]
    with pytest.raises(TemplateRenderError, match="'notise' is undefined"):
        render_presentation_pdf(template, CONTENT, CONTEXT)


def test_template_syntax_error_names_the_line(tmp_path):
    folder = copy_template(tmp_path)
    (folder / "slides.html").write_text("<p>ok</p>\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateRenderError, match="syntax error on line 2"):
        render_presentation_pdf(load_templates(tmp_path)[0], CONTENT, CONTEXT)


def test_bad_or_missing_stylesheet_is_a_render_error(tmp_path):
    folder = copy_template(tmp_path)
    bad_css = "@page { size: 338.67mm 190.5mm }\nh1 { colr: red; }\n"
    (folder / "slides.css").write_text(bad_css, encoding="utf-8")
    template = load_templates(tmp_path)[0]
    with pytest.raises(TemplateRenderError, match="slides.css has errors.*colr"):
        render_presentation_pdf(template, CONTENT, CONTEXT)
    (folder / "slides.css").unlink()
    with pytest.raises(TemplateRenderError, match="stylesheet slides.css not found"):
        render_presentation_pdf(template, CONTENT, CONTEXT)


def running_order():
    start = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Monday after the return to winter time: 09:00
    slots = []
    for index, region in enumerate(["Region Östergötland", "Region Västerbotten", "Region Skåne"]):
        begin = start + timedelta(minutes=15 * index)
        slots.append({"starts_at": begin, "ends_at": begin + timedelta(minutes=10), "region": region,
                      "presenters": [f"Föredragande {index + 1}"]})
        slots.append({"starts_at": begin + timedelta(minutes=10), "ends_at": begin + timedelta(minutes=15),
                      "region": region, "kind": "questions"})
    return {
        "theme": "Hållbar industri",
        "lead": {"agency": "Vinnova", "area": "Hållbar industri"},
        "agencies": ["Vinnova", "Tillväxtverket", "Energimyndigheten"],
        "meeting_link": "https://meet.example.se/hallbar-industri",
        "recorded": True,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=45),
        "slots": slots,
    }


def test_agenda_is_a4_and_lists_the_running_order_in_stockholm_time():
    reader = PdfReader(io.BytesIO(render_agenda_pdf(running_order())))
    page = reader.pages[0]
    assert float(page.mediabox.width) * MM_PER_PT == pytest.approx(210, abs=0.5)
    assert float(page.mediabox.height) * MM_PER_PT == pytest.approx(297, abs=0.5)
    text = page_text(reader)
    positions = [text.index(f"{t} Region") for t in ("09:00–09:10", "09:15–09:25", "09:30–09:40")]
    assert positions == sorted(positions)
    assert text.index("Region Östergötland") < text.index("Region Västerbotten") < text.index("Region Skåne")
    assert "09:10–09:15" in text and "(Frågor)" in text
    assert "Mötet spelas in." in text
    assert "Vinnova, Tillväxtverket, Energimyndigheten" in text
    assert "måndag 26 oktober 2026 kl. 09:00–09:45" in text


def test_agenda_refuses_times_without_a_time_zone():
    context = running_order()
    context["slots"][1]["starts_at"] = datetime(2026, 10, 26, 9, 10)
    with pytest.raises(TemplateRenderError, match=r"slots\[1\]\.starts_at: .* has no time zone"):
        render_agenda_pdf(context)


def test_agenda_refuses_a_slot_that_ends_before_it_starts():
    context = running_order()
    slot = context["slots"][0]
    slot["ends_at"] = slot["starts_at"] - timedelta(minutes=1)
    with pytest.raises(TemplateRenderError, match=r"slots\[0\]: ends_at must be after starts_at"):
        render_agenda_pdf(context)


def test_presentation_template_cannot_render_an_agenda(region_template):
    with pytest.raises(TemplateRenderError, match="not an agenda"):
        render_agenda_pdf(running_order(), template=region_template)


def test_content_at_every_word_limit_still_fits_one_slide_per_section(region_template):
    sentence = "Regionala innovationsmiljöer utvecklar samarbeten mellan företag, universitet och offentliga aktörer."
    words = sentence.split()  # 11 words

    def text(n: int) -> str:
        return " ".join((words * (n // len(words) + 1))[:n])

    content = {
        "region_s3": text(120),
        "focus_areas": [text(80)] * 3,
        "international": [text(20)] * 5,
        "continue_dialogue": [text(25)] * 4,
        "contacts": [{"name": f"Kontakt {i}", "role": "Strateg", "organisation": "Region Östergötland",
                      "email": f"kontakt{i}@example.se"} for i in range(4)],
    }
    assert validate_content(region_template, content) == []
    reader = PdfReader(io.BytesIO(render_presentation_pdf(region_template, content, CONTEXT)))
    assert len(reader.pages) == 6
