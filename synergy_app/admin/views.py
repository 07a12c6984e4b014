"""Administration: the audit log and accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.models import AuditEntry
from ..auth import service as auth_service
from ..auth.access import allow
from ..auth.forms import UserCreateForm
from ..auth.models import User
from ..directory.queries import all_regions
from ..errors import InputError
from ..extensions import db
from ..i18n import locale
from ..int_params import page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


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


def _user_form() -> UserCreateForm:
    form = UserCreateForm()
    form.region.choices = [("", "–")] + [(r.slug, r.name) for r in all_regions()]
    return form


@bp.get("/rulesets")
@allow("taskforce")
def rulesets():
    """Every loaded State-aid ruleset: when it applies, when it ends and how much of it was read."""
    from ..stateaid.notices import current_warnings, today  # noqa: PLC0415 - the capability may be absent
    from ..stateaid.rulesets import default_rulesets  # noqa: PLC0415

    on = today()
    rows = [(r, r.summary(), (r.valid_to - on).days) for r in default_rulesets().rulesets]
    return render_template("admin/rulesets.html", rows=rows, today=on, warnings=current_warnings())


@bp.get("/users")
@allow("admin")
def users():
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("admin/users.html", users=users, form=_user_form())


@bp.post("/users")
@allow("admin")
def create_user():
    form = _user_form()
    users = db.session.scalars(select(User).order_by(User.email)).all()
    if not form.validate_on_submit():
        return render_template("admin/users.html", users=users, form=form), 400
    try:
        auth_service.create_user(form.email.data, form.role.data, form.password.data,
                                 region_code=form.region.data or None, name=form.name.data)
    except InputError as exc:
        for err in exc.errors:
            field = getattr(form, err.field, None)
            if field is not None:
                field.errors = [*field.errors, err.message(locale())]
        return render_template("admin/users.html", users=users, form=form), 400
    flash(_("Kontot är skapat."), "info")
    return redirect(url_for("admin.users"))
