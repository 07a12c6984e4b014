"""Administration: the audit log and accounts (create, change role and scope, deactivate, reactivate, remove)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..audit.models import AuditEntry
from ..auth import lifecycle
from ..auth import service as auth_service
from ..auth.access import allow
from ..auth.forms import ROLE_LABELS, UserActionForm, UserCreateForm, UserRemoveForm, UserUpdateForm
from ..auth.models import ApiToken, User
from ..directory.queries import all_regions, organisations
from ..errors import Conflict, InputError
from ..extensions import db
from ..i18n import locale
from ..int_params import page_arg
from ..stateaid.notices import current_warnings, today
from ..stateaid.rulesets import default_rulesets

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


@bp.app_template_filter("role_label")
def _role_label(value: str) -> str:
    return str(ROLE_LABELS.get(value, value))


@bp.get("/audit")
@allow("admin")
def audit():
    page = page_arg()
    object_type = request.args.get("object_type") or None
    actor = request.args.get("actor") or None
    stmt = select(AuditEntry)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if actor:
        stmt = stmt.where(AuditEntry.actor_label.ilike(f"%{actor}%"))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    entries = db.session.scalars(
        stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    types = db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)).all()
    return render_template("admin/audit.html", entries=entries, page=page, total=total, page_size=PAGE_SIZE,
                           object_type=object_type, actor=actor, types=types)


def _scope_choices(form) -> None:
    form.region.choices = [("", "–")] + [(r.slug, r.name) for r in all_regions()]
    form.organisation.choices = [("", "–")] + [(o.slug, o.name) for o in organisations("national_agency")]


def _user_form() -> UserCreateForm:
    form = UserCreateForm()
    _scope_choices(form)
    return form


@bp.get("/rulesets")
@allow("taskforce")
def rulesets():
    """Every loaded State-aid ruleset: when it applies, when it ends and how much of it was read."""
    on = today()
    rows = [(r, r.summary(), (r.valid_to - on).days) for r in default_rulesets().rulesets]
    return render_template("admin/rulesets.html", rows=rows, today=on, warnings=current_warnings())


def _put_errors(form, exc: InputError | Conflict) -> None:
    errors = [exc.error] if isinstance(exc, Conflict) else exc.errors
    form.summary = [e.message(locale()) for e in errors]
    for err in errors:
        field = getattr(form, err.field, None)
        if field is not None:
            field.errors = [*field.errors, err.message(locale())]


def _all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.removed_at.is_not(None), User.email)))


@bp.get("/users")
@allow("admin")
def users():
    return render_template("admin/users.html", users=_all_users(), form=_user_form())


@bp.post("/users")
@allow("admin")
def create_user():
    form = _user_form()
    if not form.validate_on_submit():
        return render_template("admin/users.html", users=_all_users(), form=form), 400
    try:
        auth_service.create_user(form.email.data, form.role.data, form.password.data,
                                 region_code=form.region.data or None, organisation=form.organisation.data or None,
                                 name=form.name.data)
    except InputError as exc:
        _put_errors(form, exc)
        return render_template("admin/users.html", users=_all_users(), form=form), 400
    flash(_("Kontot är skapat."), "info")
    return redirect(url_for("admin.users"))


def _user_or_404(id: int) -> User:
    user = db.session.get(User, id)
    if user is None:
        abort(404)
    return user


def _user_page(user: User, form: UserUpdateForm | None = None, status: int = 200):
    if form is None:
        form = UserUpdateForm(formdata=None, role=user.role, region=user.region.slug if user.region else "",
                              organisation=user.organisation.slug if user.organisation else "")
    _scope_choices(form)
    tokens = db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id,
                                                                      ApiToken.revoked_at.is_(None)))
    history = db.session.scalars(
        select(AuditEntry).where(or_(AuditEntry.actor_id == user.id,
                                     (AuditEntry.object_type == "users") & (AuditEntry.object_id == str(user.id))))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(20)).all()
    return render_template("admin/user.html", user=user, form=form, action_form=UserActionForm(),
                           active_tokens=tokens or 0, history=history,
                           is_self=user.id == current_user.id), status


@bp.get("/users/<int:id>")
@allow("admin")
def user_page(id: int):
    return _user_page(_user_or_404(id))


@bp.post("/users/<int:id>")
@allow("admin")
def update_user(id: int):
    user = _user_or_404(id)
    form = UserUpdateForm()
    _scope_choices(form)
    if form.validate_on_submit():
        try:
            lifecycle.update_user(user, role=form.role.data, region=form.region.data or None,
                                  organisation=form.organisation.data or None, actor=current_user)
        except (InputError, Conflict) as exc:
            _put_errors(form, exc)
        else:
            flash(_("Kontot är ändrat."), "info")
            return redirect(url_for("admin.user_page", id=user.id), 303)
    return _user_page(user, form, 400)


def _lifecycle_action(id: int, action, done: str):
    user = _user_or_404(id)
    UserActionForm().validate_on_submit()  # CSRF is checked globally; the form has no other fields
    try:
        action(user, actor=current_user)
    except Conflict as exc:
        flash(exc.error.message(locale()), "error")
        return _user_page(user, status=409)
    flash(done, "info")
    return redirect(url_for("admin.user_page", id=user.id), 303)


@bp.post("/users/<int:id>/deactivate")
@allow("admin")
def deactivate_user(id: int):
    return _lifecycle_action(id, lifecycle.deactivate_user,
                             _("Kontot är avstängt. Dess sessioner och API-nycklar fungerar inte längre."))


@bp.post("/users/<int:id>/reactivate")
@allow("admin")
def reactivate_user(id: int):
    return _lifecycle_action(id, lifecycle.reactivate_user,
                             _("Kontot är aktivt igen. Tidigare API-nycklar förblir återkallade."))


@bp.route("/users/<int:id>/remove", methods=["GET", "POST"])
@allow("admin")
def remove_user(id: int):
    user = _user_or_404(id)
    if user.is_removed:
        abort(404)
    form = UserRemoveForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                lifecycle.remove_user(user, actor=current_user)
            except Conflict as exc:
                form.summary = [exc.error.message(locale())]
                status = 409
            else:
                flash(_("Kontot är borttaget. Historiken finns kvar under %(name)s.", name=user.name), "info")
                return redirect(url_for("admin.user_page", id=user.id), 303)
        else:
            status = 400
    return render_template("admin/user_remove.html", user=user, form=form, is_self=user.id == current_user.id), status
