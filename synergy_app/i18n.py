"""Language choice: Swedish by default, English available."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import get_locale as babel_locale
from flask_login import current_user


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


def locale() -> str:
    return str(babel_locale() or "sv")


def pick(message_sv: str, message_en: str) -> str:
    """The message in the reader's language, for core results that carry both."""
    return message_en if locale() == "en" else message_sv
