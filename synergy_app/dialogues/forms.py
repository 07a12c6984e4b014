"""Forms for dialogue rounds, invitations, answers and bookings."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .models import ANSWERS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(Form):
    """One meeting date; times are Swedish local time."""

    day = DateField(_l("Datum"), validators=[Optional()])
    start = TimeField(_l("Starttid"), validators=[Optional()])
    end = TimeField(_l("Sluttid"), validators=[Optional()])


class RoundForm(FlaskForm):
    theme = StringField(_l("Tema"), validators=[DataRequired(_l("Ange ett tema.")), Length(max=300)])
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=5000)])
    kind = SelectField(_l("Typ av omgång"), choices=[("snabbdialog", _l("Snabbdialog")),
                                                     ("spaning", _l("Spaningsgruppen (omvärldsbevakning)"))])
    lead_organisation = SelectField(_l("Nationell huvudman"), choices=[], validate_choice=False)
    lead_area = SelectField(_l("Huvudmannens område"), choices=[], validate_choice=False)
    agencies = MultiCheckboxField(_l("Deltagande myndigheter"), choices=[], validate_choice=False)
    people = MultiCheckboxField(_l("Deltagare från myndigheterna"), choices=[], validate_choice=False, coerce=int)
    meeting_link = StringField(_l("Länk till det digitala mötet"),
                               validators=[Optional(), URL(message=_l("Ange en webbadress som börjar med https://.")),
                                           # URL() alone lets javascript:// through; the link is shown as a link.
                                           Regexp(r"^https?://", re.IGNORECASE,
                                                  _l("Ange en webbadress som börjar med https://.")),
                                           Length(max=1000)])
    recorded = BooleanField(_l("Mötet spelas in"))
    presentation_minutes = IntegerField(_l("Presentation (minuter)"), default=10,
                                        validators=[InputRequired(_l("Ange presentationstiden.")),
                                                    NumberRange(1, 60, _l("Mellan 1 och 60 minuter."))])
    questions_minutes = IntegerField(_l("Frågor (minuter)"), default=0,
                                     validators=[InputRequired(_l("Ange 0 eller fler minuter.")),
                                                 NumberRange(0, 60, _l("Mellan 0 och 60 minuter."))])
    buffer_minutes = IntegerField(_l("Paus mellan passen (minuter)"), default=0,
                                  validators=[InputRequired(_l("Ange 0 eller fler minuter.")),
                                              NumberRange(0, 60, _l("Mellan 0 och 60 minuter."))])
    recurrence = SelectField(_l("Återkommer"), choices=[("none", _l("Nej, en gång")),
                                                       ("quarterly", _l("Varje kvartal")),
                                                       ("half_yearly", _l("Två gånger om året"))])
    meetings = FieldList(FormField(MeetingForm), min_entries=3, max_entries=8)


class InviteForm(FlaskForm):
    regions = MultiCheckboxField(_l("Regioner att bjuda in"), choices=[], validate_choice=False, coerce=int)


ANSWER_CHOICES = ANSWERS


class MoveForm(FlaskForm):
    """The slot chosen among the round's time chips (a radio button each, see dialogues/move.html)."""

    slot = RadioField(_l("Nytt pass"), choices=[], validate_choice=False, coerce=int,
                      validators=[InputRequired(_l("Välj ett pass att flytta till."))])


class AcknowledgeForm(FlaskForm):
    keys = MultiCheckboxField(_l("Varningar"), choices=[], validate_choice=False)
