"""Snabbdialog presentation templates: loading, pre-filling, validating and timing their content.

Pure logic: template folders and plain dicts in, dataclasses out; no Flask, no database.
A template is a folder under `dialogue_templates/` with a `template.yaml`; the fields and the
speaking-time constants live there so a new template is a new folder, not new code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..shipped_data import read_yaml

KINDS = ("presentation", "agenda")
FIELD_TYPES = ("text", "list", "contacts")
CONTACT_KEYS = ("name", "role", "organisation", "email", "phone")
DEFAULT_LIMIT_SECONDS = 600

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TemplateSpecError(ValueError):
    """A template.yaml that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label_sv: str
    label_en: str
    help_sv: str = ""
    help_en: str = ""
    required: bool = True
    max_words: int | None = None
    # Share of the field's words that are spoken aloud (0 for contacts shown on screen only).
    weight: float = 1.0
    min_items: int | None = None
    max_items: int | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_sv

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_sv


@dataclass(frozen=True)
class SpeakingRules:
    limit_seconds: int = DEFAULT_LIMIT_SECONDS
    words_per_minute: int = 130
    seconds_per_slide: int = 15
    title_slide_seconds: int = 20


@dataclass(frozen=True)
class TemplateSpec:
    id: str
    name_sv: str
    name_en: str
    kind: str
    path: Path
    fields: tuple[FieldSpec, ...] = ()
    speaking: SpeakingRules = field(default_factory=SpeakingRules)
    notice_sv: str = ""
    notice_en: str = ""
    html_file: str = "slides.html"
    css_file: str = "slides.css"

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_sv

    def notice(self, lang: str) -> str:
        return self.notice_en if lang == "en" else self.notice_sv

    def field_named(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


@dataclass(frozen=True)
class ContentError:
    field: str
    message_sv: str
    message_en: str


@dataclass(frozen=True)
class SpeakingEstimate:
    seconds: int
    # Seconds per field name, plus "_title" for the title slide.
    per_section: dict[str, int]
    fits: bool
    limit_seconds: int = DEFAULT_LIMIT_SECONDS
    warning_sv: str | None = None
    warning_en: str | None = None


# --- loading ---------------------------------------------------------------------------------


def load_templates(path: str | Path) -> list[TemplateSpec]:
    """Every template folder under `path`, sorted by id.

    A folder without template.yaml is skipped; a broken template.yaml raises TemplateSpecError
    rather than silently leaving a template out.
    """
    root = Path(path)
    if not root.is_dir():
        raise TemplateSpecError(f"{root}: template folder does not exist")
    folders = [folder for folder in sorted(root.iterdir()) if (folder / "template.yaml").is_file()]
    specs = [load_template(folder) for folder in folders]
    seen: dict[str, Path] = {}
    for spec in specs:
        if spec.id in seen:
            raise TemplateSpecError(f"{spec.path}: id '{spec.id}' is already used by {seen[spec.id]}")
        seen[spec.id] = spec.path
    return sorted(specs, key=lambda s: s.id)


def load_template(folder: str | Path) -> TemplateSpec:
    folder = Path(folder)
    source = folder / "template.yaml"
    try:
        data = read_yaml(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateSpecError(f"{source}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise TemplateSpecError(f"{source}: expected a mapping at the top level")

    def need_str(mapping: Mapping[str, Any], key: str, where: str) -> str:
        return _need_str(mapping, key, where, source)

    kind = need_str(data, "kind", "")
    if kind not in KINDS:
        raise TemplateSpecError(f"{source}: 'kind' must be one of {', '.join(KINDS)}, not '{kind}'")
    fields = _read_fields(data, source)
    if kind == "presentation" and not fields:
        raise TemplateSpecError(f"{source}: a presentation template needs at least one field")
    speaking = _read_speaking(data, source)
    return TemplateSpec(
        id=need_str(data, "id", ""),
        name_sv=need_str(data, "name_sv", ""),
        name_en=need_str(data, "name_en", ""),
        kind=kind,
        path=folder.resolve(),
        fields=tuple(fields),
        speaking=speaking,
        notice_sv=str(data.get("notice_sv", "")).strip(),
        notice_en=str(data.get("notice_en", "")).strip(),
        html_file=str(data.get("html_file", "slides.html")),
        css_file=str(data.get("css_file", "slides.css")),
    )


def _need_str(mapping: Mapping[str, Any], key: str, where: str, source: Path) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TemplateSpecError(f"{source}: {where}'{key}' must be a non-empty string")
    return value.strip()


def _read_fields(data: Mapping[str, Any], source: Path) -> list[FieldSpec]:
    raw_fields = data.get("fields") or []
    if not isinstance(raw_fields, list):
        raise TemplateSpecError(f"{source}: 'fields' must be a list")
    fields: list[FieldSpec] = []
    for index, raw in enumerate(raw_fields):
        spec = _read_field(raw, index, source)
        if any(f.name == spec.name for f in fields):
            raise TemplateSpecError(f"{source}: fields[{index}].name '{spec.name}' appears twice")
        fields.append(spec)
    return fields


def _read_field(raw: Any, index: int, source: Path) -> FieldSpec:
    where = f"fields[{index}]."
    if not isinstance(raw, dict):
        raise TemplateSpecError(f"{source}: fields[{index}] must be a mapping")
    ftype = _need_str(raw, "type", where, source)
    if ftype not in FIELD_TYPES:
        raise TemplateSpecError(f"{source}: {where}type must be one of {', '.join(FIELD_TYPES)}")
    return FieldSpec(
        name=_need_str(raw, "name", where, source),
        type=ftype,
        label_sv=_need_str(raw, "label_sv", where, source),
        label_en=_need_str(raw, "label_en", where, source),
        help_sv=str(raw.get("help_sv", "")).strip(),
        help_en=str(raw.get("help_en", "")).strip(),
        required=bool(raw.get("required", True)),
        max_words=_opt_int(raw, "max_words", source, where),
        weight=_weight(raw, source, where),
        min_items=_opt_int(raw, "min_items", source, where),
        max_items=_opt_int(raw, "max_items", source, where),
    )


def _read_speaking(data: Mapping[str, Any], source: Path) -> SpeakingRules:
    speaking_raw = data.get("speaking_time") or {}
    if not isinstance(speaking_raw, dict):
        raise TemplateSpecError(f"{source}: 'speaking_time' must be a mapping")
    defaults = SpeakingRules()
    values = {}
    for key in ("limit_seconds", "words_per_minute", "seconds_per_slide", "title_slide_seconds"):
        given = _opt_int(speaking_raw, key, source, "speaking_time.")
        values[key] = getattr(defaults, key) if given is None else given
    if values["words_per_minute"] == 0 or values["limit_seconds"] == 0:
        raise TemplateSpecError(f"{source}: speaking_time.words_per_minute and limit_seconds must be > 0")
    return SpeakingRules(**values)


def _opt_int(raw: Mapping[str, Any], key: str, source: Path, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TemplateSpecError(f"{source}: {where}{key} must be a whole number >= 0")
    return value


def _weight(raw: Mapping[str, Any], source: Path, where: str) -> float:
    value = raw.get("weight", 1.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise TemplateSpecError(f"{source}: {where}weight must be a number >= 0")
    return float(value)


def get_template(templates: Iterable[TemplateSpec], template_id: str) -> TemplateSpec:
    for spec in templates:
        if spec.id == template_id:
            return spec
    raise KeyError(f"no template with id '{template_id}'")


# --- pre-filling -----------------------------------------------------------------------------


def prefill(
    template: TemplateSpec,
    region: Mapping[str, Any],
    priorities: Sequence[Mapping[str, Any]],
    round_theme: str,
) -> dict[str, Any]:
    """A first draft of the content from the region's S3 priorities and the round's theme.

    region: {"name", optional "s3_strategy" (title), "s3_summary", "contacts" [{name, role, ...}]}.
    priorities: [{"name" or "name_sv", optional "description", "national_areas" [names],
    "keywords" [..], "score" (from matching), "international" [..]}]. Priorities that match the
    theme come first; only fields the template has are filled, the rest start empty.
    """
    ranked = _rank_priorities(priorities, round_theme)
    region_name = str(region.get("name", "")).strip()
    names = [_priority_name(p) for p in ranked if _priority_name(p)]

    draft: dict[str, Any] = {}
    for spec in template.fields:
        if spec.name == "region_s3":
            draft[spec.name] = _region_s3_text(region, region_name, names)
        elif spec.name == "focus_areas":
            draft[spec.name] = [_focus_line(p) for p in _focus_choice(ranked, round_theme, spec)]
        elif spec.name == "international":
            links = (str(item).strip() for p in ranked for item in (p.get("international") or []))
            draft[spec.name] = _unique(link for link in links if link)[: spec.max_items or None]
        elif spec.type == "contacts":
            draft[spec.name] = [
                {key: str(c.get(key, "")).strip() for key in CONTACT_KEYS}
                for c in (region.get("contacts") or [])
                if str(c.get("name", "")).strip()
            ][: spec.max_items or None]
        else:
            draft[spec.name] = [] if spec.type == "list" else ""
    return draft


def _priority_name(priority: Mapping[str, Any]) -> str:
    return str(priority.get("name_sv") or priority.get("name") or "").strip()


def _matches_theme(priority: Mapping[str, Any], theme: str) -> bool:
    theme_key = theme.casefold().strip()
    if not theme_key:
        return False
    areas = [str(a).casefold().strip() for a in (priority.get("national_areas") or [])]
    words = [str(k).casefold().strip() for k in (priority.get("keywords") or [])]
    text = f"{_priority_name(priority)} {priority.get('description', '')}".casefold()
    return theme_key in areas or theme_key in words or theme_key in text


def _rank_priorities(priorities: Sequence[Mapping[str, Any]], theme: str) -> list[Mapping[str, Any]]:
    def theme_hit(p: Mapping[str, Any]) -> int:
        return 1 if _matches_theme(p, theme) else 0

    def score(p: Mapping[str, Any]) -> float:
        value = p.get("score", 0)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0

    # sorted() is stable: the region's own order breaks ties.
    return sorted(priorities, key=lambda p: (-theme_hit(p), -score(p)))


def _focus_choice(
    ranked: list[Mapping[str, Any]], theme: str, spec: FieldSpec
) -> list[Mapping[str, Any]]:
    # Priorities on the round's theme first; others only to reach the minimum the template asks.
    named = [p for p in ranked if _priority_name(p)]
    on_theme = [p for p in named if _matches_theme(p, theme)]
    chosen = on_theme[: spec.max_items or None]
    wanted = spec.min_items or 0
    for priority in named:
        if len(chosen) >= wanted:
            break
        if priority not in chosen:
            chosen.append(priority)
    return chosen


def _focus_line(priority: Mapping[str, Any]) -> str:
    name = _priority_name(priority)
    description = str(priority.get("description") or "").strip()
    return f"{name}: {description}" if description else name


def _region_s3_text(region: Mapping[str, Any], region_name: str, names: list[str]) -> str:
    summary = str(region.get("s3_summary") or "").strip()
    if summary:
        return summary
    strategy = str(region.get("s3_strategy") or "").strip()
    parts = []
    if strategy:
        parts.append(f"{_genitive_sv(region_name)} strategi för smart specialisering: {strategy}.")
    if names:
        subject = "Den" if strategy else f"{_genitive_sv(region_name)} strategi för smart specialisering"
        parts.append(f"{subject} prioriterar {_join_sv(names)}.")
    return " ".join(parts)


def _genitive_sv(name: str) -> str:
    # Swedish genitive: no extra s after s, x or z ("Region Skånes", "Region Jönköpings läns").
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _join_sv(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# --- validation ------------------------------------------------------------------------------


def count_words(value: Any) -> int:
    """Words in a field value of any type (text, list of strings, list of contact dicts)."""
    if value is None:
        return 0
    if isinstance(value, str):
        return len(_WORD.findall(value))
    if isinstance(value, Mapping):
        return sum(count_words(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(count_words(v) for v in value)
    return 0


def validate_content(template: TemplateSpec, content: Mapping[str, Any], *, complete: bool = True
                     ) -> list[ContentError]:
    """Every problem with the content, in field order; an empty list means it can be saved.

    `complete=False` checks a draft: required fields may still be empty, everything given must be valid."""
    errors: list[ContentError] = []
    known = {spec.name for spec in template.fields}
    for name in content:
        if name not in known:
            errors.append(ContentError(name, "Okänt fält i mallen.", "Unknown field for this template."))
    for spec in template.fields:
        errors.extend(_field_errors(spec, content.get(spec.name), complete))
    return errors


def _list_item_errors(name: str, items: list[Any]) -> list[ContentError]:
    return [ContentError(name, f"Punkt {index} är tom eller inte en text.", f"Item {index} is empty or not text.")
            for index, item in enumerate(items, start=1) if not isinstance(item, str) or not item.strip()]


def _contact_errors(name: str, items: list[Any]) -> list[ContentError]:
    problems: list[ContentError] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            problems.append(ContentError(name, f"Kontakt {index} har fel form.", f"Contact {index} is malformed."))
            continue
        if not str(item.get("name") or "").strip():
            problems.append(ContentError(name, f"Kontakt {index} saknar namn.", f"Contact {index} has no name."))
        email = str(item.get("email") or "").strip()
        if email and not _EMAIL.match(email):
            problems.append(ContentError(name, f"Kontakt {index}: {email!r} är ingen giltig e-postadress.",
                                         f"Contact {index}: {email!r} is not a valid e-mail address."))
        unknown = sorted(set(item) - set(CONTACT_KEYS))
        if unknown:
            problems.append(ContentError(name, f"Kontakt {index} har okända uppgifter: {', '.join(unknown)}.",
                                         f"Contact {index} has unknown keys: {', '.join(unknown)}."))
    return problems


def _count_errors(spec: FieldSpec, count: int) -> list[ContentError]:
    problems: list[ContentError] = []
    if spec.min_items is not None and count < spec.min_items:
        problems.append(ContentError(spec.name, f"{spec.label_sv}: minst {spec.min_items} behövs, {count} angivna.",
                                     f"{spec.label_en}: at least {spec.min_items} needed, {count} given."))
    if spec.max_items is not None and count > spec.max_items:
        problems.append(ContentError(spec.name, f"{spec.label_sv}: högst {spec.max_items} får plats, {count} angivna.",
                                     f"{spec.label_en}: at most {spec.max_items} fit, {count} given."))
    return problems


def _field_errors(spec: FieldSpec, value: Any, complete: bool = True) -> list[ContentError]:
    name = spec.name

    def err(sv: str, en: str) -> ContentError:
        return ContentError(name, sv, en)

    if value is None or value == "" or value == []:
        if spec.required and complete:
            return [err(f"{spec.label_sv} måste fyllas i.", f"{spec.label_en} is required.")]
        return []

    if spec.type == "text":
        if not isinstance(value, str):
            return [err("Ska vara en text.", "Must be text.")]
        items: list[Any] = [value]
    else:
        if not isinstance(value, list):
            return [err("Ska vara en lista.", "Must be a list.")]
        items = value

    problems: list[ContentError] = []
    if spec.type == "list":
        problems += _list_item_errors(name, items)
    if spec.type == "contacts":
        problems += _contact_errors(name, items)
    if spec.type != "text":
        problems += _count_errors(spec, len(items))
    words = count_words(value)
    if spec.max_words is not None and words > spec.max_words:
        problems.append(
            err(
                f"{spec.label_sv}: {words} ord, högst {spec.max_words} ryms.",
                f"{spec.label_en}: {words} words, at most {spec.max_words} fit.",
            )
        )
    return problems


# --- speaking time ---------------------------------------------------------------------------


def estimate_speaking_time(template: TemplateSpec, content: Mapping[str, Any]) -> SpeakingEstimate:
    """Seconds needed to present the content: spoken words at the template's pace plus slide time.

    One slide per field plus the title slide; a field's words count times its weight.
    """
    rules = template.speaking
    per_section: dict[str, int] = {"_title": rules.title_slide_seconds}
    for spec in template.fields:
        spoken_words = count_words(content.get(spec.name)) * spec.weight
        speech = math.ceil(spoken_words * 60 / rules.words_per_minute)
        per_section[spec.name] = speech + rules.seconds_per_slide
    total = sum(per_section.values())
    fits = total <= rules.limit_seconds
    warning_sv = warning_en = None
    if not fits:
        over = total - rules.limit_seconds
        longest = max(template.fields, key=lambda s: per_section[s.name])
        warning_sv = (
            f"Presentationen beräknas ta {format_duration(total)}, {format_duration(over)} mer än "
            f"{format_duration(rules.limit_seconds)}. Korta främst \"{longest.label_sv}\"."
        )
        warning_en = (
            f"The presentation is estimated at {format_duration(total)}, {format_duration(over)} over "
            f"{format_duration(rules.limit_seconds)}. Shorten \"{longest.label_en}\" first."
        )
    return SpeakingEstimate(total, per_section, fits, rules.limit_seconds, warning_sv, warning_en)


def format_duration(seconds: int) -> str:
    """Minutes and seconds as m:ss, e.g. 620 -> '10:20'."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"
