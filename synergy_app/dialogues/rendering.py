"""Render snabbdialog templates: the presentation as a 16:9 PDF (WeasyPrint) or PPTX (python-pptx),
and a round's agenda and running order as an A4 PDF.

No Flask and no database: templates from `presentation.load_templates`, content and context as
plain dicts, bytes out. Every failure of a template (a missing variable, bad markup, a stylesheet
WeasyPrint rejects) becomes a TemplateRenderError naming the template and the problem.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from synergy_app.clock import STOCKHOLM
from synergy_app.dialogues.presentation import (
    FieldSpec,
    TemplateSpec,
    count_words,
    estimate_speaking_time,
    format_duration,
    get_template,
    load_templates,
)
from synergy_app.reports.pdf import PdfError, StylesheetError, html_to_pdf

# dialogue_templates/ sits at the top of the repository, beside synergy_app/.
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "dialogue_templates"
AGENDA_TEMPLATE_ID = "agenda"
SLOT_KINDS = ("presentation", "questions", "buffer", "break", "intro", "closing")

# Type sizes a slide can step down through so its text stays on one 16:9 page: (CSS class in
# slides.css, point size, line height). The first one whose estimated height fits is used.
DENSITY_STEPS = (("", 22, 1.35), ("dense", 18, 1.35), ("very-dense", 15, 1.3), ("tight", 13, 1.25))
_MM_PER_PT = 25.4 / 72
# DejaVu Sans averages about half an em per character in Swedish running text (measured on
# rendered slides); a little more here keeps the estimate on the safe side.
_CHAR_WIDTH_EM = 0.53
_BODY_WIDTH_MM = 338.67 - 40 - 9  # page width minus side margins and list indent
_BODY_HEIGHT_MM = 190.5 - 34 - 8  # page height minus top/bottom margins and footer room
_HEADING_PT = 32
_GAP_MM = 5

_MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}
_WEEKDAYS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# PowerPoint's widescreen slide, 13.333 in x 7.5 in: the same 16:9 size as the PDF pages.
_SLIDE_WIDTH = Emu(12192000)
_SLIDE_HEIGHT = Emu(6858000)
_DARK_BLUE = RGBColor(0x0B, 0x25, 0x45)
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
_INK = RGBColor(0x11, 0x11, 0x11)


class TemplateRenderError(Exception):
    """A template (or the data given to it) that cannot be rendered; the message says why."""


@dataclass(frozen=True)
class Section:
    """One slide's worth of content, as the HTML template sees it."""

    field: FieldSpec
    title: str
    value: Any
    paragraphs: tuple[str, ...]
    words: int
    is_empty: bool
    # "", "dense" or "very-dense": a CSS class for the slide.
    density: str
    pptx_pt: int


# --- shared helpers --------------------------------------------------------------------------


def local_dt(value: datetime, lang: str = "sv") -> str:
    """An aware datetime as Stockholm local date and time, e.g. 'tisdag 14 april 2026 kl. 09:00'."""
    local = _aware(value, "datetime").astimezone(STOCKHOLM)
    lang = "en" if lang == "en" else "sv"
    weekday = _WEEKDAYS[lang][local.weekday()]
    month = _MONTHS[lang][local.month - 1]
    if lang == "en":
        return f"{weekday} {local.day} {month} {local.year}, {local:%H:%M}"
    return f"{weekday} {local.day} {month} {local.year} kl. {local:%H:%M}"


def local_date(value: datetime, lang: str = "sv") -> str:
    """An aware datetime's Stockholm date, e.g. 'tisdag 14 april 2026'."""
    local = _aware(value, "date").astimezone(STOCKHOLM)
    lang = "en" if lang == "en" else "sv"
    return f"{_WEEKDAYS[lang][local.weekday()]} {local.day} {_MONTHS[lang][local.month - 1]} {local.year}"


def local_time(value: datetime) -> str:
    return f"{_aware(value, 'time').astimezone(STOCKHOLM):%H:%M}"


def _aware(value: Any, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise TemplateRenderError(f"{what}: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise TemplateRenderError(f"{what}: the time {value.isoformat()} has no time zone")
    return value


def _environment(template: TemplateSpec) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template.path)),
        autoescape=True,
        # A misspelt variable must fail loudly instead of leaving a blank on a slide.
        undefined=jinja2.StrictUndefined,
    )
    env.filters["local_dt"] = local_dt
    env.filters["local_time"] = local_time
    env.filters["local_date"] = local_date
    return env


def _render_html(template: TemplateSpec, variables: Mapping[str, Any]) -> str:
    where = f"template '{template.id}' ({template.html_file})"
    try:
        return _environment(template).get_template(template.html_file).render(**variables)
    except jinja2.TemplateNotFound as exc:
        raise TemplateRenderError(f"{where}: file not found: {exc.name}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRenderError(f"{where}: syntax error on line {exc.lineno}: {exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateRenderError(f"{where}: missing value: {exc.message}") from exc
    except TemplateRenderError as exc:
        raise TemplateRenderError(f"{where}: {exc}") from exc
    except Exception as exc:  # a template can fail in many ways; all of them mean "cannot render"
        raise TemplateRenderError(f"{where}: {type(exc).__name__}: {exc}") from exc


def _write_pdf(template: TemplateSpec, html: str) -> bytes:
    # A template's stylesheet that WeasyPrint only partly reads would silently drop the page size or
    # fonts, so the PDF helper refuses it and the template is reported as broken.
    try:
        return html_to_pdf(html, base_url=template.path, stylesheets=[template.path / template.css_file])
    except StylesheetError as exc:
        name = template.css_file
        message = {"missing": f"stylesheet {name} not found", "invalid": f"{name} has errors: {exc.detail}"}
        problem = message.get(exc.kind, f"cannot read {name}: {exc.detail}")
        raise TemplateRenderError(f"template '{template.id}': {problem}") from exc
    except PdfError as exc:
        raise TemplateRenderError(f"template '{template.id}': PDF could not be made: {exc}") from exc


def _lang(context: Mapping[str, Any]) -> str:
    return "en" if context.get("lang") == "en" else "sv"


# --- presentation ----------------------------------------------------------------------------


def build_sections(template: TemplateSpec, content: Mapping[str, Any], lang: str = "sv") -> list[Section]:
    """One Section per template field, with the value checked for the shape its type needs."""
    sections = []
    for spec in template.fields:
        value = content.get(spec.name)
        if spec.type == "text":
            value = "" if value is None else value
            if not isinstance(value, str):
                raise TemplateRenderError(f"{spec.name}: expected text, got {type(value).__name__}")
            paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", value) if p.strip())
        else:
            value = [] if value is None else value
            if not isinstance(value, list | tuple):
                raise TemplateRenderError(f"{spec.name}: expected a list, got {type(value).__name__}")
            if spec.type == "list":
                value = [str(item).strip() for item in value if str(item).strip()]
            else:
                if not all(isinstance(item, Mapping) for item in value):
                    raise TemplateRenderError(f"{spec.name}: every contact must be a mapping with a name")
                value = [dict(item) for item in value if str(item.get("name") or "").strip()]
            paragraphs = ()
        words = count_words(value)
        density, pptx_pt = _density(spec.label(lang), _lines_of(spec, value, paragraphs))
        sections.append(
            Section(
                field=spec,
                title=spec.label(lang),
                value=value,
                paragraphs=paragraphs,
                words=words,
                is_empty=not value,
                density=density,
                pptx_pt=pptx_pt,
            )
        )
    return sections


def _lines_of(spec: FieldSpec, value: Any, paragraphs: tuple[str, ...]) -> list[str]:
    if spec.type == "text":
        return list(paragraphs)
    if spec.type == "list":
        return list(value)
    # A contact is up to four short lines; two columns.
    return [" ".join(str(v) for v in person.values() if v) for person in value]


def _density(title: str, blocks: list[str]) -> tuple[str, int]:
    """The largest type size at which the slide's blocks are estimated to fit on one page."""
    heading_chars = _BODY_WIDTH_MM / (_CHAR_WIDTH_EM * _HEADING_PT * _MM_PER_PT)
    heading_mm = math.ceil(len(title) / heading_chars) * _HEADING_PT * 1.35 * _MM_PER_PT + 15
    available = _BODY_HEIGHT_MM - heading_mm
    for name, size, leading in DENSITY_STEPS:
        chars_per_line = _BODY_WIDTH_MM / (_CHAR_WIDTH_EM * size * _MM_PER_PT)
        lines = sum(max(1, math.ceil(len(block) / chars_per_line)) for block in blocks)
        height = lines * size * leading * _MM_PER_PT + len(blocks) * _GAP_MM
        if height <= available:
            return name, size
    return DENSITY_STEPS[-1][0], DENSITY_STEPS[-1][1]


def render_presentation_html(
    template: TemplateSpec, content: Mapping[str, Any], context: Mapping[str, Any]
) -> str:
    """The slides as HTML (the PDF's source); context needs region.name and round.theme."""
    _require_presentation(template)
    lang = _lang(context)
    return _render_html(
        template,
        {
            "template": template,
            "lang": lang,
            "sections": build_sections(template, content, lang),
            "content": content,
            "ctx": context,
            "notice": template.notice(lang),
            "estimate": estimate_speaking_time(template, content),
        },
    )


def render_presentation_pdf(
    template: TemplateSpec, content: Mapping[str, Any], context: Mapping[str, Any]
) -> bytes:
    """The presentation as a PDF of 16:9 pages.

    context: {"region": {"name"}, "round": {"theme", optional "lead_agency", "lead_area",
    "starts_at" (aware datetime)}, optional "presenters" [names], "lang" ("sv"/"en")}.
    """
    return _write_pdf(template, render_presentation_html(template, content, context))


def render_presentation_pptx(
    template: TemplateSpec, content: Mapping[str, Any], context: Mapping[str, Any]
) -> bytes:
    """The presentation as an editable 16:9 PPTX: a title slide, then one slide per field."""
    _require_presentation(template)
    lang = _lang(context)
    try:
        region_name = str(context["region"]["name"])
        round_info = context["round"]
        theme = str(round_info["theme"])
    except (KeyError, TypeError) as exc:
        message = f"context: missing value {exc}; region.name and round.theme are needed"
        raise TemplateRenderError(message) from exc
    sections = build_sections(template, content, lang)
    estimate = estimate_speaking_time(template, content)
    notice = template.notice(lang)

    deck = Presentation()
    deck.slide_width, deck.slide_height = _SLIDE_WIDTH, _SLIDE_HEIGHT
    blank = deck.slide_layouts[6]

    title_slide = deck.slides.add_slide(blank)
    title_slide.background.fill.solid()
    title_slide.background.fill.fore_color.rgb = _DARK_BLUE
    kicker = "Strategisk snabbdialog" if lang == "sv" else "Strategic snabbdialog"
    lines = [(f"{kicker} · {theme}", 20, False), (region_name, 54, True)]
    lead = round_info.get("lead_agency")
    if lead:
        area = round_info.get("lead_area")
        label = "Ledning" if lang == "sv" else "Lead"
        lines.append((f"{label}: {lead}{', ' + area if area else ''}", 20, False))
    if round_info.get("starts_at"):
        lines.append((local_dt(round_info["starts_at"], lang), 20, False))
    if context.get("presenters"):
        label = "Presenteras av" if lang == "sv" else "Presented by"
        lines.append((f"{label}: {', '.join(context['presenters'])}", 20, False))
    lines.append((notice, 18, True))
    box = title_slide.shapes.add_textbox(Inches(0.8), Inches(1.0), Inches(11.7), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    for index, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(12)
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _WHITE
    title_slide.notes_slide.notes_text_frame.text = _notes(lang, estimate.per_section["_title"], "")

    for position, section in enumerate(sections):
        slide = deck.slides.add_slide(blank)
        heading = slide.shapes.add_textbox(Inches(0.6), Inches(0.4), Inches(12.1), Inches(1.0))
        heading.text_frame.word_wrap = True
        run = heading.text_frame.paragraphs[0].add_run()
        run.text = section.title
        run.font.size, run.font.bold, run.font.color.rgb = Pt(32), True, _DARK_BLUE
        body = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), Inches(12.1), Inches(5.3))
        frame = body.text_frame
        frame.word_wrap = True
        # PowerPoint and LibreOffice shrink the text on open if it still overflows.
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        size = Pt(section.pptx_pt)
        items, bulleted = _pptx_items(section, lang)
        lines = [(text, bulleted, False) for text in items]
        if position == len(sections) - 1:
            lines.append((notice, False, True))
        for index, (text, with_bullet, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(10)
            if with_bullet:
                _bullet(paragraph)
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.color.rgb, run.font.bold = size, _INK, bold
        help_text = section.field.help(lang)
        seconds = estimate.per_section[section.field.name]
        slide.notes_slide.notes_text_frame.text = _notes(lang, seconds, help_text)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _require_presentation(template: TemplateSpec) -> None:
    if template.kind != "presentation":
        kind = template.kind
        raise TemplateRenderError(f"template '{template.id}' is a {kind} template, not a presentation")


def _pptx_items(section: Section, lang: str) -> tuple[list[str], bool]:
    if section.is_empty:
        return ["(ej ifyllt)" if lang == "sv" else "(not filled in)"], False
    if section.field.type == "text":
        return list(section.paragraphs), False
    if section.field.type == "list":
        return list(section.value), True
    contacts = []
    for person in section.value:
        parts = [person.get(key) for key in ("name", "role", "organisation", "email", "phone")]
        contacts.append(", ".join(str(p).strip() for p in parts if p and str(p).strip()))
    return contacts, True


def _bullet(paragraph: Any) -> None:
    # Text boxes carry no bullets by default; a real bullet (not a typed "•") stays editable.
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(Inches(0.35)))
    properties.set("indent", str(-Inches(0.35)))
    bullet = OxmlElement("a:buChar")
    bullet.set("char", "•")
    properties.append(bullet)


def _notes(lang: str, seconds: int, help_text: str) -> str:
    label = "Beräknad tid" if lang == "sv" else "Estimated time"
    return f"{label}: {format_duration(seconds)}" + (f"\n{help_text}" if help_text else "")


# --- agenda ----------------------------------------------------------------------------------


def render_agenda_pdf(
    round_context: Mapping[str, Any],
    template: TemplateSpec | None = None,
    template_dir: str | Path | None = None,
) -> bytes:
    """The round's agenda and running order as an A4 PDF.

    round_context: {"theme", "slots": [{"starts_at", "ends_at" (aware datetimes), optional
    "region", "title", "presenters" [names], "kind" (presentation, questions, buffer, break,
    intro, closing)}], optional "lead": {"agency", "area"}, "chair", "agencies" [names],
    "meeting_link", "recorded" (bool), "starts_at", "ends_at", "meetings" [{"starts_at", "ends_at"}],
    "lang"}. Slots print in the order given: that is the running order; a round over several
    days gets a date row wherever the day changes.
    """
    if template is None:
        template = get_template(load_templates(template_dir or DEFAULT_TEMPLATE_DIR), AGENDA_TEMPLATE_ID)
    if template.kind != "agenda":
        raise TemplateRenderError(f"template '{template.id}' is a {template.kind} template, not an agenda")
    _check_slots(round_context.get("slots"))
    lang = _lang(round_context)
    html = _render_html(
        template,
        {"template": template, "lang": lang, "round": round_context, "notice": template.notice(lang)},
    )
    return _write_pdf(template, html)


def _check_slots(slots: Sequence[Mapping[str, Any]] | None) -> None:
    if not isinstance(slots, list | tuple):
        raise TemplateRenderError("slots: the running order must be a list of slots")
    for index, slot in enumerate(slots):
        where = f"slots[{index}]"
        if not isinstance(slot, Mapping):
            raise TemplateRenderError(f"{where}: must be a mapping")
        start = _aware(slot.get("starts_at"), f"{where}.starts_at")
        end = _aware(slot.get("ends_at"), f"{where}.ends_at")
        if end <= start:
            raise TemplateRenderError(f"{where}: ends_at must be after starts_at")
        kind = slot.get("kind", "presentation")
        if kind not in SLOT_KINDS:
            raise TemplateRenderError(f"{where}.kind: '{kind}' is not one of {', '.join(SLOT_KINDS)}")
