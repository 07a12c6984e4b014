"""Forms of the ruling log. The service validates; the forms collect and show its messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField, widgets

from .models import TOPICS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RulingForm(FlaskForm):
    title = StringField(_l("Rubrik"))
    question = TextAreaField(_l("Fråga"), render_kw={"rows": 3})
    facts = TextAreaField(_l("Omständigheter"), render_kw={"rows": 5})
    assessment = TextAreaField(_l("Bedömning"), render_kw={"rows": 8})
    conclusion = TextAreaField(_l("Slutsats"), render_kw={"rows": 3})
    legal_basis = TextAreaField(_l("Rättslig grund (en per rad)"), render_kw={"rows": 3})
    topics = MultiCheckboxField(_l("Ämnen"), choices=[], validate_choice=False)
    agencies = MultiCheckboxField(_l("Myndigheter som står bakom"), choices=[], validate_choice=False)
    flag_codes = MultiCheckboxField(_l("Flaggkoder som avgörandet gäller"), choices=[], validate_choice=False)
    project_keys = StringField(_l("Projekt (nycklar, kommaseparerade)"))
    related = StringField(_l("Relaterade avgöranden (nummer, kommaseparerade)"))
    decided_on = StringField(_l("Beslutsdag (ÅÅÅÅ-MM-DD)"))
    in_force_from = StringField(_l("Gäller från (ÅÅÅÅ-MM-DD)"))
    reason = TextAreaField(_l("Skäl till ändringen"), render_kw={"rows": 2})

    def set_choices(self, topics_labels, agencies, flag_codes) -> None:
        self.topics.choices = topics_labels
        self.agencies.choices = agencies
        self.flag_codes.choices = flag_codes

    def data_for_service(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "title", "question", "facts", "assessment", "conclusion", "legal_basis", "topics", "agencies",
            "flag_codes", "project_keys", "related", "decided_on", "in_force_from")}


class SupersedeForm(FlaskForm):
    successor = StringField(_l("Ersätts av (avgörandets nummer)"))
    reason = TextAreaField(_l("Skäl"), render_kw={"rows": 2})


class LinkPrecedentForm(FlaskForm):
    precedent = StringField(_l("Prejudikat (avgörandets nummer)"))


TOPIC_KEYS = tuple(TOPICS)
