"""Forms for presentations, the chair's notes, follow-up and Spaningsgruppen notes.

The presentation form is built from the template's fields (template.yaml), so its parsing lives
here as plain functions: a text field is a textarea, a list one line per item, contacts a row
of inputs per person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .models_followup import HORIZON_MAX_YEARS, HORIZON_MIN_YEARS
from .presentation import CONTACT_KEYS, TemplateSpec


def contact_rows(spec) -> int:
    return spec.max_items or 4


def content_from_form(template: TemplateSpec, form: Mapping[str, str]) -> dict[str, Any]:
    """The content dict the template's fields describe, read from posted form values."""
    content: dict[str, Any] = {}
    for spec in template.fields:
        if spec.type == "text":
            content[spec.name] = (form.get(spec.name) or "").replace("\r\n", "\n").strip()
        elif spec.type == "list":
            lines = (form.get(spec.name) or "").replace("\r\n", "\n").split("\n")
            content[spec.name] = [line.strip() for line in lines if line.strip()]
        else:
            people = []
            for index in range(contact_rows(spec)):
                person = {key: (form.get(f"{spec.name}-{index}-{key}") or "").strip() for key in CONTACT_KEYS}
                if any(person.values()):
                    people.append(person)
            content[spec.name] = people
    return content


def form_values(template: TemplateSpec, content: Mapping[str, Any]) -> dict[str, Any]:
    """What each input shows: text as is, lists one item per line, contacts padded to full rows."""
    values: dict[str, Any] = {}
    for spec in template.fields:
        value = content.get(spec.name)
        if spec.type == "text":
            values[spec.name] = value or ""
        elif spec.type == "list":
            values[spec.name] = "\n".join(str(v) for v in (value or []))
        else:
            people = [dict(p) for p in (value or []) if isinstance(p, Mapping)]
            people += [{} for _ in range(max(0, contact_rows(spec) - len(people)))]
            values[spec.name] = [{key: str(p.get(key) or "") for key in CONTACT_KEYS} for p in people]
    return values


class SlotNoteForm(FlaskForm):
    text = TextAreaField(_l("Anteckning"), validators=[Length(max=5000)])


class ActionForm(FlaskForm):
    region = SelectField(_l("Dialog med region"), choices=[], validate_choice=False)
    owner_kind = SelectField(_l("Ägare är"), choices=[("agency", _l("Nationell aktör")), ("region", _l("Region"))])
    owner = SelectField(_l("Ägare"), choices=[], validate_choice=False)
    description = TextAreaField(_l("Åtgärd"), validators=[DataRequired(_l("Beskriv åtgärden.")), Length(max=4000)])
    due_date = DateField(_l("Förfallodatum"), validators=[DataRequired(_l("Ange ett datum som ÅÅÅÅ-MM-DD."))])


class FeedbackForm(FlaskForm):
    region = SelectField(_l("Dialog med region"), choices=[], validate_choice=False)
    organisation = SelectField(_l("Återkoppling från"), choices=[], validate_choice=False)
    led_to = TextAreaField(_l("Vad dialogen ledde till"),
                           validators=[DataRequired(_l("Beskriv vad dialogen ledde till.")), Length(max=4000)])
    reported_on = DateField(_l("Datum"), validators=[DataRequired(_l("Ange ett datum som ÅÅÅÅ-MM-DD."))])


class HorizonNoteForm(FlaskForm):
    signal = StringField(_l("Spaning"), validators=[DataRequired(_l("Beskriv spaningen.")), Length(max=500)])
    horizon_years = IntegerField(
        _l("Tidshorisont (år)"),
        validators=[DataRequired(_l("Ange tidshorisonten i år.")),
                    NumberRange(HORIZON_MIN_YEARS, HORIZON_MAX_YEARS,
                                _l("Ange %(a)s–%(b)s år.", a=HORIZON_MIN_YEARS, b=HORIZON_MAX_YEARS))])
    eu_source = StringField(_l("EU-källa (policy, forum, dokument)"), validators=[Optional(), Length(max=500)])
    relevance = TextAreaField(_l("Relevans för Sverige och svenska aktörer"),
                              validators=[DataRequired(_l("Beskriv relevansen för Sverige.")), Length(max=4000)])
