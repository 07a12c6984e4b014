"""Forms that are safe to submit twice: one submission token per rendered create form.

A double click, a reload that re-posts, or a browser retry sends the same form again. Each create
form carries a random token (``submission_field()`` in its template); the view, decorated with
``@submitted_once``, claims the token by inserting it into ``form_submissions`` before it creates
anything. The claim is committed by the same transaction as the create, so of two posts of one
form exactly one creates: the other finds the token taken (on PostgreSQL its insert waits for the
first transaction and then fails on the unique token) and is sent where the first one went, told
that the form was already saved. A create that is refused (bad input) rolls its claim back with
everything else, so the corrected form can be sent with the same token.

A post without a token (a script, an old page) is handled as before, without this protection.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, flash, g, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .db_types import UTCDateTime, utcnow
from .errors import FieldError, InputError
from .extensions import db

FIELD = "submission_token"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# How long a replay waits for the first request to note where it sent the user.
REPLAY_WAIT_SECONDS = 3.0
ONCE_ATTR = "_synergy_submitted_once"


class FormSubmission(db.Model):
    """A create form's token, claimed by the request that saved it."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    endpoint: Mapped[str] = mapped_column(String(120))
    # The account that sent it (no foreign key: the row outlives nothing it would protect).
    user_id: Mapped[int | None] = mapped_column(Integer)
    # Where the saving request sent the user; "" when it answered with a page of its own.
    target: Mapped[str | None] = mapped_column(String(1000))
    created_at = mapped_column(UTCDateTime, default=utcnow, index=True)


def submission_field() -> Markup:
    """The hidden token of a create form. A form shown again after refused input keeps its token."""
    token = request.form.get(FIELD) if request.method == "POST" and not g.get("submission_consumed") else None
    if not token or not TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(24)
    # A kept page (page_cache) gets a fresh token in place of this one each time it is shown again.
    g.setdefault("submission_tokens", []).append(token)
    return Markup(f'<input type="hidden" name="{FIELD}" value="{token}">')  # noqa: S704 - token is [A-Za-z0-9_-]


def submitted_once(view: Callable) -> Callable:
    """Make a create view idempotent per rendered form (see the module's docstring)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = request.form.get(FIELD) if request.method == "POST" else None
        if not token:
            return view(*args, **kwargs)
        if not TOKEN.fullmatch(token):
            raise InputError(FieldError(FIELD, "Formulärets engångsnyckel är ogiltig. Ladda om sidan.",
                                        "The form's one-time key is invalid. Reload the page."))
        db.session.add(FormSubmission(token=token, endpoint=request.endpoint or "", user_id=_user_id()))
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return _replay(token)
        response = make_response(view(*args, **kwargs))
        # Whatever the view left uncommitted is not kept; the claim stands only if the view's own
        # transaction committed it.
        db.session.rollback()
        claim = db.session.scalar(select(FormSubmission).where(FormSubmission.token == token))
        if claim is not None:
            g.submission_consumed = True
            claim.target = response.location if response.status_code in (301, 302, 303, 307) else ""
            db.session.commit()
        return response

    setattr(wrapper, ONCE_ATTR, True)
    return wrapper


def tokens_as_placeholders(body: bytes, placeholder: bytes) -> tuple[bytes, bool]:
    """A page about to be kept (page_cache), with this request's tokens replaced by ``placeholder``; and
    whether it had any. The tokens are random, so each occurs only where its form put it."""
    tokens = g.get("submission_tokens") or []
    for token in tokens:
        body = body.replace(token.encode(), placeholder)
    return body, bool(tokens)


def fresh_tokens(body: bytes, placeholder: bytes) -> bytes:
    """A kept page's body with a new token in place of each placeholder."""
    return re.sub(re.escape(placeholder), lambda _m: secrets.token_urlsafe(24).encode(), body)


def is_submitted_once(view: Callable) -> bool:
    return bool(getattr(view, ONCE_ATTR, False))


def _user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def _replay(token: str):
    """The answer to a form sent again: where the first one went, or a page saying it was saved."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        claim = db.session.execute(select(FormSubmission.target, FormSubmission.user_id)
                                   .where(FormSubmission.token == token)).first()
        db.session.rollback()  # end the read, so the next look sees the first request's note
        if claim is None or claim.target is not None or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    message = _("Formuläret hade redan skickats och sparades en gång; det sparades inte igen.")
    if claim is not None and claim.target and claim.user_id == _user_id():
        flash(message, "info")
        return redirect(claim.target, 303)
    return make_response(render_template("errors/error.html", status=409, title=_("Redan sparat"),
                                         message=message), 409)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["submission_field"] = submission_field
