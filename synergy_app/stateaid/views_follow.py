"""Following a question of the ruling log (its topics): buttons on the ruling pages and the profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import ANY_USER, allow
from ..errors import InputError
from ..i18n import locale, pick
from ..redirects import local_path
from . import follow_service
from .models import TOPICS

bp = Blueprint("stateaid_follow", __name__, url_prefix="/stateaid/questions")


@bp.app_template_global("followed_questions")
def _followed_questions(user) -> list[tuple[str, str]]:
    """(key, name) of the questions the user follows, for the profile and the ruling pages."""
    return [(key, pick(*TOPICS[key])) for key in follow_service.followed(user)]


@bp.app_template_global("question_name")
def _question_name(key: str) -> str:
    return pick(*TOPICS[key]) if key in TOPICS else key


@bp.app_template_global("question_choices")
def _question_choices() -> list[tuple[str, str]]:
    return [(key, pick(sv, en)) for key, (sv, en) in TOPICS.items()]


def _back() -> str:
    return local_path(request.form.get("next"), url_for("auth.profile"))


def _change(act, done) -> object:
    """Follow or unfollow the posted question, say so (or why not), and go back where the form was."""
    topic = request.form.get("topic", "")
    try:
        act(current_user, topic)
    except InputError as exc:
        flash(exc.first.message(locale()), "error")
    else:
        flash(done(pick(*TOPICS[topic])), "success")
    return redirect(_back(), 303)


@bp.post("/follow")
@allow(ANY_USER)
def follow():
    return _change(follow_service.follow, lambda q: _(
        "Du följer nu frågan %(q)s och får e-post när ett avgörande om den publiceras eller revideras.", q=q))


@bp.post("/unfollow")
@allow(ANY_USER)
def unfollow():
    return _change(follow_service.unfollow, lambda q: _("Du följer inte längre frågan %(q)s.", q=q))
