"""Forms for priorities, areas and match decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField

from ..reference.vocabularies import labels


class CodedForm(FlaskForm):
    """Title, text and codes of a regional priority or a national/EU area."""

    title = StringField(_l("Titel"))
    title_en = StringField(_l("Titel på engelska"))
    description = TextAreaField(_l("Beskrivning"), render_kw={"rows": 5})
    keywords = StringField(_l("Nyckelord"))
    codes_economic = StringField(_l("Näringsgrenar (NACE)"))
    codes_scientific = StringField(_l("Forskningsområden (FORD)"))
    codes_policy = SelectMultipleField(_l("Policymål"), validate_choice=False, render_kw={"size": 10})

    def fill_choices(self, lang: str) -> None:
        idx = 1 if lang == "en" else 0
        self.codes_policy.choices = [(slug, pair[idx]) for slug, pair in labels()["policy"].items()]

    def load(self, obj) -> None:
        self.title.data = obj.title
        self.title_en.data = obj.title_en
        self.description.data = obj.description
        self.keywords.data = ", ".join(obj.keywords or [])
        codes = obj.codes or {}
        self.codes_economic.data = ", ".join(codes.get("economic", []))
        self.codes_scientific.data = ", ".join(codes.get("scientific", []))
        self.codes_policy.data = list(codes.get("policy", []))

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "title_en": self.title_en.data,
            "description": self.description.data,
            "keywords": self.keywords.data,
            "codes": {
                "economic": self.codes_economic.data,
                "scientific": self.codes_scientific.data,
                "policy": self.codes_policy.data or [],
            },
        }

    def show_errors(self, errors) -> None:
        """Put the service's field errors (InputError.errors) beside the fields."""
        from ..i18n import locale

        for error in errors:
            target = getattr(self, error.field, None) or self.title
            target.errors = [*list(target.errors or []), error.message(locale())]


class DecisionForm(FlaskForm):
    priority = SelectField(_l("Prioritering"), validate_choice=False)
    verdict = StringField(_l("Beslut"))
    note = StringField(_l("Kommentar (valfri)"))
