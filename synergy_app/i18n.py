"""Language choice: Swedish by default, English available."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, request, session
from flask_babel import get_locale as babel_locale
from flask_babel import get_translations
from flask_login import current_user

_MEMO = "_synergy_language"
_NO_TRANSLATIONS = NullTranslations()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") if request else None
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _language() -> tuple[str, NullTranslations]:
    """The request's language code and translations, looked up once per locale of the request.

    A long page asks for them thousands of times (every label and every `pick`), and Flask-Babel finds
    both afresh through the request globals each time. The memo is kept with Flask-Babel's own locale
    object and used only while that object is the current one, so `force_locale` and `refresh` are
    honoured; should Flask-Babel keep its locale elsewhere one day, every call simply asks it."""
    if not has_app_context():
        return "sv", _NO_TRANSLATIONS
    here = g._get_current_object()  # noqa: SLF001 - one lookup of the request's globals instead of several
    memo = here.__dict__.get(_MEMO)
    current = getattr(here.__dict__.get("_flask_babel"), "babel_locale", None)
    if memo is not None and current is not None and memo[0] is current:
        return memo[1], memo[2]
    code, translations = str(babel_locale() or "sv"), get_translations()
    here.__dict__[_MEMO] = (getattr(here.__dict__.get("_flask_babel"), "babel_locale", None), code, translations)
    return code, translations


def locale() -> str:
    return _language()[0]


def pick(message_sv: str, message_en: str) -> str:
    """The message in the reader's language, for core results that carry both."""
    return message_en if _language()[0] == "en" else message_sv


def install_template_gettext(app: Flask) -> None:
    """Templates translate through the request's memo (see `_language`) instead of Flask-Babel's lookups."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _language()[1].ugettext(s),
        ngettext=lambda s, p, n: _language()[1].ungettext(s, p, n),
        pgettext=lambda c, s: _language()[1].upgettext(c, s),
        npgettext=lambda c, s, p, n: _language()[1].unpgettext(c, s, p, n),
        newstyle=True,
    )
