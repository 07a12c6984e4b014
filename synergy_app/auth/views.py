"""Login, logout and the profile page with personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..auth.access import ANY_USER, PUBLIC, allow
from ..errors import InputError
from ..extensions import db
from ..i18n import locale
from ..redirects import local_path
from ..submissions import submitted_once
from . import service
from .forms import LoginForm, PasswordForm, TokenForm
from .models import ApiToken
from .sessions import SESSION_KEY

bp = Blueprint("auth", __name__)


def _fresh_cookie_session() -> None:
    """Empty the cookie session, keeping only the chosen language: a new CSRF token, nothing carried over."""
    lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's per-request copy of the old token
    if lang:
        session["lang"] = lang


def _safe_next(target: str | None) -> str:
    return local_path(target, url_for("core.home"))


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            # remote_addr is the client's own address: ProxyFix sets it from X-Forwarded-For only when
            # TRUSTED_PROXIES says how many proxies to believe.
            user = service.authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
        except service.LoginThrottled:
            flash(_("För många misslyckade inloggningar. Vänta en stund och försök igen."), "error")
            return render_template("auth/login.html", form=form), 429
        except service.AccountInactive:
            flash(_("Kontot är avstängt. Kontakta en administratör om du behöver komma åt arbetsytan igen."),
                  "error")
            return render_template("auth/login.html", form=form), 403
        if user is not None:
            _fresh_cookie_session()
            session[SESSION_KEY] = service.start_session(user)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Fel e-postadress eller lösenord."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@allow(ANY_USER)
def logout():
    # Revoked in the database, so a copy of this cookie no longer works on any instance.
    service.end_session(session.get(SESSION_KEY))
    logout_user()
    _fresh_cookie_session()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/profile")
@allow(ANY_USER)
@login_required
def profile():
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("auth/profile.html", tokens=tokens, token_form=TokenForm(),
                           password_form=PasswordForm(), new_token=None)


@bp.post("/profile/tokens")
@allow(ANY_USER)
@submitted_once
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Nyckeln kunde inte skapas: namnet får ha högst 100 tecken."), "error")
        return redirect(url_for("auth.profile"))
    token = service.create_token(current_user, form.name.data)
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    # The token is shown exactly once; only its hash is stored.
    return render_template("auth/profile.html", tokens=tokens, token_form=TokenForm(),
                           password_form=PasswordForm(), new_token=token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@allow(ANY_USER)
def revoke_token(token_id: int):
    TokenForm().validate_on_submit()  # CSRF is checked globally; the form has no other fields
    service.revoke_token(current_user, token_id)
    flash(_("Nyckeln är återkallad."), "info")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/password")
@allow(ANY_USER)
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.new_password.data,
                                    keep_session=session.get(SESSION_KEY))
        except InputError as exc:
            for err in exc.errors:
                flash(f"{getattr(form, err.field).label.text}: {err.message(locale())}", "error")
            return redirect(url_for("auth.profile"))
        login_user(current_user._get_current_object())  # keep this session; all others end with the old session version
        flash(_("Lösenordet är bytt."), "info")
    else:
        for field, messages in form.errors.items():
            flash(f"{getattr(form, field).label.text}: {messages[0]}", "error")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/language")
@allow(ANY_USER)
def set_language():
    TokenForm().validate_on_submit()
    code = request.form.get("locale", "")
    try:
        service.set_locale(current_user, code)
    except InputError as exc:
        flash(exc.first.message(locale()), "error")
    return redirect(url_for("auth.profile", lang=code if code in ("sv", "en") else None))
