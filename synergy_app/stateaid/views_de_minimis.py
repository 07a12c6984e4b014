"""Pages of the de minimis register: single undertakings with their headroom on a date, recording a
grant, linking an enterprise, superseding a grant, and the export for the central register.

The register is state aid's; its pages keep the addresses they have always had under /projects/de-minimis.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import allow
from ..errors import FieldError, InputError
from ..extensions import db
from ..i18n import locale
from ..int_params import id_arg
from ..submissions import submitted_once
from . import ledger, ledger_service
from .models_de_minimis import DeMinimisGrant
from .vocabulary import DE_MINIMIS_REGULATIONS

bp = Blueprint("de_minimis", __name__, url_prefix="/projects/de-minimis")


def _by_field(errors: list[FieldError]) -> dict[str, str]:
    return {e.field: e.message(locale()) for e in errors}


def _on_date() -> date:
    text = request.args.get("on", "")
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError as exc:
        raise InputError(FieldError("on", "Ange datum som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.")) from exc


@bp.route("", methods=["GET", "POST"])
@allow("planner", "taskforce")
@submitted_once
def index():
    errors: list[FieldError] = []
    data: dict = {}
    if request.method == "POST":
        data = request.form.to_dict()
        try:
            grant = ledger_service.add_grant(data, current_user)
        except InputError as exc:
            errors = exc.errors
        else:
            flash(_("Stödet är registrerat."), "success")
            return redirect(url_for("de_minimis.undertaking", id=grant.undertaking_id))
    on = _on_date()
    query = request.args.get("q", "").strip()
    rows = ledger.undertakings(query, on)
    return render_template("stateaid/ledger.html", rows=rows, on=on, q=query, data=data, errors=_by_field(errors),
                           regulations=DE_MINIMIS_REGULATIONS), 400 if errors else 200


@bp.route("/<int:id>", methods=["GET", "POST"])
@allow("planner", "taskforce")
def undertaking(id: int):  # noqa: A002 - the URL parameter name shared by every route
    found = ledger.undertaking(id) or abort(404)
    errors: list[FieldError] = []
    if request.method == "POST":
        if request.form.get("action") == "supersede":
            grant = db.session.get(DeMinimisGrant, id_arg("grant") or 0)
            if grant is None or grant.undertaking_id != found.id:
                abort(404)
            ledger_service.supersede_grant(grant, current_user)
            return redirect(url_for("de_minimis.undertaking", id=id))
        try:
            ledger_service.link_enterprise(found, request.form.to_dict(), current_user)
        except InputError as exc:
            errors = exc.errors
        else:
            flash(_("Företaget är kopplat till samma enda företag."), "success")
            return redirect(url_for("de_minimis.undertaking", id=id))
    on = _on_date()
    return render_template("stateaid/undertaking.html", undertaking=found, on=on,
                           position=ledger.position(found, on), errors=_by_field(errors)), \
        400 if errors else 200


def _export(fmt: str) -> Response:
    content, mimetype = ledger.export(fmt)
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="de-minimis-register.{fmt}"'})


@bp.get("/export.csv")
@allow("planner", "taskforce")
def export_csv():
    return _export("csv")


@bp.get("/export.xlsx")
@allow("planner", "taskforce")
def export_xlsx():
    return _export("xlsx")
