"""Forms of the call calendar. The call form speaks the import template's formats (IMPORT_TEMPLATE.md)
so one parser checks a typed call and an imported row alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..int_params import DB_INT_MAX
from .call_data import FieldError
from .export_tabular import call_row
from .import_preview import RowResult
from .import_tabular import _parse_row
from .tabular_columns import COLUMNS

TEXT_FIELDS = ("reference", "title", "programme", "url", "opens_on", "decision_on", "earliest_start", "latest_start",
               "budget_sek", "max_grant_sek", "funding_rate", "series")


class CallForm(FlaskForm):
    funder = SelectField(_l("Finansiär"), choices=[], validate_choice=False)
    reference = StringField(_l("Referens (diarienummer)"), validators=[Length(max=200)])
    title = StringField(_l("Titel"), validators=[Length(max=500)])
    programme = StringField(_l("Program"), validators=[Length(max=300)])
    url = StringField(_l("Länk till utlysningen"), validators=[Length(max=1000)])
    opens_on = StringField(_l("Öppnar"))
    deadlines = TextAreaField(_l("Sista ansökningsdag (en per rad)"))
    decision_on = StringField(_l("Beslut"))
    earliest_start = StringField(_l("Tidigaste projektstart"))
    latest_start = StringField(_l("Senaste projektstart"))
    budget_sek = StringField(_l("Budget (kr)"))
    max_grant_sek = StringField(_l("Högsta bidrag per projekt (kr)"))
    funding_rate = StringField(_l("Stödnivå (%)"))
    eligible_applicants = TextAreaField(_l("Vem kan söka (en per rad)"))
    themes = SelectMultipleField(_l("Teman"), choices=[], validate_choice=False)
    regions = SelectMultipleField(_l("Regioner som utlysningen riktar sig till"), choices=[], validate_choice=False)
    series = StringField(_l("Serie (nyckel för återkommande utlysning)"), validators=[Length(max=300)])
    description = TextAreaField(_l("Beskrivning"))

    def cells(self) -> dict[str, object]:
        cells: dict[str, object] = {key: (getattr(self, key).data or "").strip() for key in TEXT_FIELDS}
        cells["funder"] = self.funder.data or ""
        cells["deadlines"] = ";".join(line.strip() for line in (self.deadlines.data or "").splitlines() if line.strip())
        cells["eligible_applicants"] = ";".join(
            x.strip() for x in (self.eligible_applicants.data or "").splitlines() if x.strip())
        cells["themes"] = ";".join(self.themes.data or [])
        cells["regions"] = ";".join(self.regions.data or [])
        return cells

    def parse(self, known_funders) -> RowResult:
        """The call typed in the form, checked by the same rules as an imported row."""
        return _parse_row(0, self.cells(), known_funders, None)

    def apply_errors(self, errors: list[FieldError], lang: str) -> list[FieldError]:
        """Put each error on its field; return those that belong to no field."""
        rest = []
        for err in errors:
            target = getattr(self, "deadlines" if err.field == "deadline" else err.field, None)
            message = err.message_en if lang == "en" else err.message_sv
            if target is not None and hasattr(target, "errors"):
                target.errors = [*list(target.errors or []), message]
            else:
                rest.append(err)
        return rest

    def fill(self, data) -> None:
        """Prefill from a CallData in the template's text formats."""
        values = dict(zip([c.key for c in COLUMNS], call_row(data), strict=True))
        for key in TEXT_FIELDS:
            getattr(self, key).data = values[key]
        self.funder.data = data.funder_slug
        self.deadlines.data = "\n".join(x.strip() for x in values["deadlines"].split(";") if x.strip())
        self.eligible_applicants.data = "\n".join(data.eligible_applicants)
        self.themes.data = list(data.themes)
        self.regions.data = list(data.regions)
        self.description.data = data.description or ""


class ImportForm(FlaskForm):
    file = FileField(_l("Fil (ICS, CSV eller XLSX)"))
    funder = SelectField(_l("Finansiär"), choices=[], validate_choice=False)
    kind = SelectField(_l("Filtyp"), choices=[("", _l("Efter filändelsen")), ("ics", "ICS"), ("csv", "CSV"),
                                              ("xlsx", "XLSX")], validate_choice=False)


class ConfirmImportForm(FlaskForm):
    draft = HiddenField(validators=[DataRequired()])


class CoordinateForm(FlaskForm):
    other = SelectField(_l("Utlysning att samordna med"), choices=[], validate_choice=False)
    name = StringField(_l("Namn på samordningen"), validators=[Optional(), Length(max=300)])
    set_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)])


class SimpleForm(FlaskForm):
    """A form with only the CSRF token (follow, unfollow, new feed link)."""
