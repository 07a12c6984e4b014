"""Pages of the taskforce's ruling log: register with search, ruling with history and diff, forms, output."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_USER, allow
from ..auth.models import User
from ..directory.models import Organisation
from ..errors import Conflict, InputError
from ..extensions import db
from ..i18n import locale, pick
from ..int_params import page_arg
from ..reports import tabular as tables
from ..reports.pdf import response as pdf_response
from ..submissions import submitted_once
from . import rulings_output, rulings_service
from .access import can_see_drafts, can_write_rulings
from .forms import LinkPrecedentForm, RulingForm, SupersedeForm
from .models import RULING_STATUSES, STATUS_LABELS, TOPICS, Ruling
from .precedents import precedents_for
from .rulings_diff import diff_revisions
from .rulings_search import filters_from_args, search

bp = Blueprint("stateaid", __name__, url_prefix="/stateaid")

PAGE_SIZE = 20
WRITERS = ("taskforce",)


def _ruling_or_404(ruling_id: int) -> Ruling:
    ruling = db.session.get(Ruling, ruling_id)
    # A draft is the taskforce's own: to everyone else it does not exist.
    if ruling is None or (ruling.status == "draft" and not can_see_drafts(current_user)):
        abort(404)
    return ruling


def _agencies() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.kind == "national_agency")
                                   .order_by(Organisation.name)))


def _form(formdata=None, data=None) -> RulingForm:
    form = RulingForm(formdata=formdata, data=data)
    form.set_choices([(k, pick(sv, en)) for k, (sv, en) in TOPICS.items()],
                     [(o.slug, o.name) for o in _agencies()],
                     [(c, c) for c in rulings_service.FLAG_CODES])
    return form


def _show_errors(form, exc: InputError | Conflict) -> None:
    errors = exc.errors if isinstance(exc, InputError) else [exc.error]
    lang = locale()
    for error in errors:
        field = getattr(form, error.field, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), error.message(lang)]
        else:
            flash(error.message(lang), "error")


@bp.get("/")
@allow(ANY_USER)
def index():
    drafts = can_see_drafts(current_user)
    errors = []
    try:
        filters = filters_from_args(request.args)
    except InputError as exc:
        errors = [e.message(locale()) for e in exc.errors]
        filters = None
    page = page_arg()
    result = search(filters, include_drafts=drafts, page=page, page_size=PAGE_SIZE) if filters else None
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("stateaid/index.html", result=result, page=page, page_size=PAGE_SIZE, args=args,
                           errors=errors, topics=TOPICS, statuses=RULING_STATUSES, status_labels=STATUS_LABELS,
                           agencies=_agencies(), flag_codes=rulings_service.FLAG_CODES,
                           can_write=can_write_rulings(current_user), show_drafts=drafts), (400 if errors else 200)


@bp.route("/rulings/new", methods=["GET", "POST"])
@allow(*WRITERS)
@submitted_once
def new():
    form = _form(request.form if request.method == "POST" else None)
    if request.method == "POST":
        try:
            ruling = rulings_service.create_ruling(form.data_for_service(), current_user, reason=form.reason.data)
        except InputError as exc:
            _show_errors(form, exc)
        else:
            flash(_("Avgörandet %(n)s är sparat som utkast.", n=ruling.number), "success")
            return redirect(url_for("stateaid.show", id=ruling.id))
    status = 400 if request.method == "POST" else 200
    return render_template("stateaid/form.html", form=form, ruling=None, topics=TOPICS), status


@bp.get("/rulings/<int:id>")
@allow(ANY_USER)
def show(id: int):  # noqa: A002 - the route parameter's name
    ruling = _ruling_or_404(id)
    revisions = ruling.revisions
    by_number = {r.number: r for r in revisions}
    shown = by_number.get(request.args.get("revision", type=int) or ruling.current_number, ruling.current_revision)
    diff = None
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a and b and a in by_number and b in by_number:
        diff = diff_revisions(by_number[a].snapshot(), by_number[b].snapshot())
    related = {}
    if shown.related:
        related = {r.number: r for r in db.session.scalars(select(Ruling).where(Ruling.number.in_(shown.related)))}
    suggestions = []
    if ruling.status == "draft":
        suggestions = precedents_for(flag_codes=shown.flag_codes, topics=shown.topics,
                                     legal_bases=[b["citation"] for b in shown.legal_basis or []],
                                     exclude_ruling_id=ruling.id)
        suggestions = [s for s in suggestions if s["number"] not in (shown.related or [])]
    agency_names = dict(db.session.execute(select(Organisation.slug, Organisation.name)
                                           .where(Organisation.slug.in_(shown.agencies or []))).all())
    predecessors = list(db.session.scalars(select(Ruling).where(Ruling.successor_id == ruling.id)))
    # A version names its author as people know them; the stored label (the e-mail) where no name is known.
    author_ids = {r.author_id for r in revisions if r.author_id}
    author_names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(author_ids))).all())
    return render_template("stateaid/show.html", ruling=ruling, revision=shown, revisions=revisions, diff=diff,
                           a=a, b=b, related=related, agency_names=agency_names, suggestions=suggestions,
                           predecessors=predecessors, author_names=author_names,
                           topics=TOPICS, can_write=can_write_rulings(current_user),
                           supersede_form=SupersedeForm(), link_form=LinkPrecedentForm())


@bp.route("/rulings/<int:id>/revise", methods=["GET", "POST"])
@allow(*WRITERS)
@submitted_once
def revise(id: int):  # noqa: A002
    ruling = _ruling_or_404(id)
    if request.method == "POST":
        form = _form(request.form)
        try:
            revision = rulings_service.revise_ruling(ruling, form.data_for_service(), form.reason.data, current_user)
        except (InputError, Conflict) as exc:
            _show_errors(form, exc)
        else:
            flash(_("Version %(v)s av %(n)s är sparad.", v=revision.number, n=ruling.number), "success")
            return redirect(url_for("stateaid.show", id=ruling.id))
        return render_template("stateaid/form.html", form=form, ruling=ruling, topics=TOPICS), 400
    content = rulings_service.ruling_content(ruling)
    content["legal_basis"] = "\n".join(content["legal_basis"])
    content["project_keys"] = ", ".join(content["project_keys"])
    content["related"] = ", ".join(content["related"])
    form = _form(data=content)
    return render_template("stateaid/form.html", form=form, ruling=ruling, topics=TOPICS)


@bp.post("/rulings/<int:id>/agree")
@allow(*WRITERS)
def agree(id: int):  # noqa: A002
    ruling = _ruling_or_404(id)
    try:
        rulings_service.agree_ruling(ruling, current_user)
        flash(_("%(n)s är överenskommet och synligt för alla inloggade.", n=ruling.number), "success")
    except (InputError, Conflict) as exc:
        error = exc.first if isinstance(exc, InputError) else exc.error
        flash(error.message(locale()), "error")
    return redirect(url_for("stateaid.show", id=ruling.id))


@bp.post("/rulings/<int:id>/supersede")
@allow(*WRITERS)
def supersede(id: int):  # noqa: A002
    ruling = _ruling_or_404(id)
    form = SupersedeForm(request.form)
    number = (form.successor.data or "").strip().upper()
    successor = db.session.scalar(select(Ruling).where(Ruling.number == number)) if number else None
    try:
        if successor is None:
            flash(_("Okänt avgörande: %(n)s.", n=number or "–"), "error")
        else:
            rulings_service.supersede_ruling(ruling, successor, form.reason.data, current_user)
            flash(_("%(n)s är ersatt av %(s)s.", n=ruling.number, s=successor.number), "success")
    except (InputError, Conflict) as exc:
        error = exc.first if isinstance(exc, InputError) else exc.error
        flash(error.message(locale()), "error")
    return redirect(url_for("stateaid.show", id=ruling.id))


@bp.post("/rulings/<int:id>/precedents")
@allow(*WRITERS)
def link_precedent(id: int):  # noqa: A002
    ruling = _ruling_or_404(id)
    form = LinkPrecedentForm(request.form)
    number = (form.precedent.data or "").strip().upper()
    precedent = db.session.scalar(select(Ruling).where(Ruling.number == number)) if number else None
    try:
        if precedent is None:
            flash(_("Okänt avgörande: %(n)s.", n=number or "–"), "error")
        else:
            rulings_service.link_related(ruling, precedent, current_user)
            flash(_("%(p)s är länkat som prejudikat.", p=precedent.number), "success")
    except (InputError, Conflict) as exc:
        error = exc.first if isinstance(exc, InputError) else exc.error
        flash(error.message(locale()), "error")
    return redirect(url_for("stateaid.show", id=ruling.id))


@bp.get("/rulings/<int:id>/pdf")
@allow(ANY_USER)
def ruling_pdf(id: int):  # noqa: A002
    ruling = _ruling_or_404(id)
    pdf = rulings_output.ruling_pdf(ruling, ruling.current_revision, ruling.revisions)
    return pdf_response(pdf, f"{ruling.number}.pdf")


@bp.get("/register.pdf")
@allow(ANY_USER)
def register_pdf():
    pdf = rulings_output.register_pdf(rulings_output.agreed_register())
    return pdf_response(pdf, "avgoranden.pdf", inline=False)


@bp.get("/register.xlsx")
@allow(ANY_USER)
def register_xlsx():
    table = rulings_output.register_table(rulings_output.agreed_register())
    return tables.response(table, "avgoranden.xlsx")


