"""Pages: the admins' outbox (with resend), one-click unsubscribe, and e-mail settings on the profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.access import ANY_USER, PUBLIC, allow
from ..errors import InputError
from ..extensions import db
from ..i18n import locale
from ..int_params import page_arg
from . import service, unsubscribe
from .kinds import BY_KEY, KINDS
from .models import STATUSES, OutboxMessage

bp = Blueprint("notify", __name__)

PAGE_SIZE = 50


@bp.app_template_global("notification_settings")
def _notification_settings(user) -> list[tuple]:
    """(key, label, enabled) for each kind, for the profile page."""
    chosen = service.preferences(user.email)
    return [(k.key, k.label_en if locale() == "en" else k.label_sv, chosen[k.key]) for k in KINDS]


@bp.post("/profile/notifications")
@allow(ANY_USER)
def save_settings():
    try:
        service.set_preferences(current_user, request.form.getlist("kinds"))
    except InputError as exc:
        flash(exc.first.message(locale()), "error")
    else:
        flash(_("E-postinställningarna är sparade."), "info")
    return redirect(url_for("auth.profile"))


@bp.route("/notifications/unsubscribe/<key>", methods=["GET", "POST"])
@allow(PUBLIC)
def unsubscribe_page(key: str):
    """The page a person opens from the link in a message (the form is CSRF-protected like any other;
    mail clients' one-click POST goes to the API's address, see api.py)."""
    found = unsubscribe.read(current_app.config["SECRET_KEY"], key)
    if found is None or found[1] not in BY_KEY:
        return render_template("notify/unsubscribe.html", invalid=True, done=False), 400
    email, kind = found
    label = BY_KEY[kind].label_en if locale() == "en" else BY_KEY[kind].label_sv
    if request.method == "POST":
        service.unsubscribe(email, kind)
        return render_template("notify/unsubscribe.html", invalid=False, done=True, email=email, label=label)
    return render_template("notify/unsubscribe.html", invalid=False, done=False, email=email, label=label, key=key)


@bp.get("/admin/outbox")
@allow("admin")
def outbox_page():
    page = page_arg()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    stmt = select(OutboxMessage)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
                              .offset((page - 1) * PAGE_SIZE)).all()
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return render_template("notify/outbox.html", rows=rows, page=page, total=total, page_size=PAGE_SIZE,
                           status=status, statuses=STATUSES, counts=counts, kinds=BY_KEY,
                           mail_url_set=bool(current_app.config.get("MAIL_URL")),
                           outbox_dir=current_app.config["MAIL_OUTBOX_DIR"])


@bp.post("/admin/outbox/<int:id>/resend")
@allow("admin")
def resend(id: int):
    row = service.resend(id, actor=current_user)
    if row is None:
        abort(404)
    flash(_("Meddelandet skickas igen."), "info")
    return redirect(url_for("notify.outbox_page"))
