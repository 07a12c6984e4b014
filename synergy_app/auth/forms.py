from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from .models import ROLES
from .passwords import MIN_PASSWORD_LENGTH

# Shown instead of the role keys.
ROLE_LABELS = {
    "admin": _l("Administratör"),
    "planner": _l("Planerare (nationell myndighet)"),
    "strategist": _l("Regional strateg"),
    "taskforce": _l("Statsstödstaskforce"),
    "reader": _l("Läsare"),
}
ROLE_CHOICES = [(r, ROLE_LABELS[r]) for r in ROLES]

# Addresses are checked by shape only: test and demo accounts use reserved domains such as .invalid.
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress.")),
                                                       Regexp(EMAIL_RE, message=_l("Ange en giltig e-postadress."))])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord."))])


class TokenForm(FlaskForm):
    name = StringField(_l("Namn på nyckeln"), validators=[Length(max=100)])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Nuvarande lösenord"),
                                     validators=[DataRequired(_l("Ange nuvarande lösenord."))])
    new_password = PasswordField(
        _l("Nytt lösenord"),
        validators=[DataRequired(_l("Ange ett nytt lösenord.")),
                    Length(min=MIN_PASSWORD_LENGTH, message=_l("Minst %(n)s tecken.", n=MIN_PASSWORD_LENGTH))],
    )


class UserCreateForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange en e-postadress.")),
                                                       Regexp(EMAIL_RE, message=_l("Ange en giltig e-postadress."))])
    name = StringField(_l("Namn"), validators=[Length(max=200)])
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES)
    region = SelectField(_l("Region (för regional strateg)"), choices=[], validate_choice=False)
    organisation = SelectField(_l("Myndighet (för planerare)"), choices=[], validate_choice=False)
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ett lösenord.")),
                                                         Length(min=MIN_PASSWORD_LENGTH)])


class UserUpdateForm(FlaskForm):
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES)
    region = SelectField(_l("Region (för regional strateg)"), choices=[], validate_choice=False)
    organisation = SelectField(_l("Myndighet (för planerare)"), choices=[], validate_choice=False)


class UserActionForm(FlaskForm):
    """Deactivate or reactivate: nothing but the CSRF token."""


class UserRemoveForm(FlaskForm):
    confirm = BooleanField(_l("Ja, ta bort kontot. Namn och e-postadress ersätts för gott."),
                           validators=[DataRequired(_l("Kryssa i rutan för att bekräfta borttagningen."))])
