"""A funder's subscribed calendar feed: set or remove its URL, see how the last fetches went, fetch now.

The section is shown on the funder's directory page (``funder_feed`` below gives it its data) and
on a page of its own, which is also where a refused URL is shown again with its error.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from ..auth.access import ANY_USER, allow
from ..errors import InputError
from ..i18n import locale, pick
from . import feed_sync, queries
from .access import can_edit_calls
from .forms import SimpleForm

bp = Blueprint("calendar_feeds", __name__, url_prefix="/calendar/funders")

STATUS_LABELS = {
    "new": _l("Inte hämtat ännu"),
    "changed": _l("Ändringar importerade"),
    "unchanged": _l("Oförändrat"),
    "error": _l("Fel"),
    "busy": _l("Hämtas redan"),
}


class FeedForm(FlaskForm):
    url = StringField(_l("Adress till finansiärens kalenderflöde (ICS)"))


@bp.app_template_global("funder_feed")
def funder_feed(organisation) -> dict | None:
    """What the funder page shows about the funder's feed; None for an organisation that is no funder."""
    if organisation is None or not organisation.is_funder:
        return None
    sub = feed_sync.subscription_for(organisation)
    form = FeedForm(formdata=None, url=sub.url if sub else "")
    return {"subscription": sub, "form": form, "action_form": SimpleForm(formdata=None),
            "can_edit": can_edit_calls(current_user), "status_labels": STATUS_LABELS}


@bp.get("/<slug>/feed")
@allow(ANY_USER)
def show(slug: str):
    funder = queries.funder_by_slug(slug)
    return render_template("calendar/funder_feed.html", organisation=funder, feed=funder_feed(funder))


@bp.post("/<slug>/feed")
@allow("planner")
def subscribe(slug: str):
    funder = queries.funder_by_slug(slug)
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feed_sync.subscribe(funder, form.url.data or "", actor=current_user)
        except InputError as exc:
            form.url.errors = [e.message(locale()) for e in exc.errors]
            feed = funder_feed(funder) | {"form": form}
            return render_template("calendar/funder_feed.html", organisation=funder, feed=feed), 422
        flash(_("Kalenderflödet är sparat. Det hämtas vid nästa uppdatering, eller nu med Hämta nu."), "success")
    return redirect(url_for("dossiers.organisation", slug=slug, _anchor="feed"))


@bp.post("/<slug>/feed/delete")
@allow("planner")
def unsubscribe(slug: str):
    funder = queries.funder_by_slug(slug)
    if SimpleForm().validate_on_submit():
        feed_sync.unsubscribe(funder, actor=current_user)
        flash(_("Kalenderflödet är borttaget. Redan importerade utlysningar finns kvar."), "success")
    return redirect(url_for("dossiers.organisation", slug=slug, _anchor="feed"))


@bp.post("/<slug>/feed/fetch")
@allow("planner")
def fetch_now(slug: str):
    funder = queries.funder_by_slug(slug)
    sub = feed_sync.subscription_for(funder)
    if sub is not None and SimpleForm().validate_on_submit():
        outcome = feed_sync.refresh_subscription(sub.id, actor=current_user)
        if outcome.status == "error":
            flash(_("Flödet kunde inte hämtas: %(error)s", error=pick(outcome.error_sv, outcome.error_en)), "error")
        else:
            flash(_("Flödet är hämtat: %(status)s.", status=STATUS_LABELS[outcome.status]), "success")
    return redirect(url_for("dossiers.organisation", slug=slug, _anchor="feed"))
