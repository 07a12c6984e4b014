"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .audit.labels import action_label, object_label
from .directory.queries import areas_coverage, priorities_coverage
from .formatting import format_datetime, legal_citation, unbroken_dates
from .i18n import install_template_gettext, locale, pick
from .money import format_eur, format_percent, format_sek, format_value
from .reference.vocabularies import label as vocabulary_label

# Main navigation, in order; an entry shows only once its capability's page exists.
NAV = (
    ("core.home", _l("Start"), None),
    ("dialogues.index", _l("Snabbdialoger"), None),
    ("priorities.index", _l("Matchning"), None),
    ("calendar.index", _l("Utlysningar"), None),
    ("projects.index", _l("Projekt"), None),
    ("stateaid.index", _l("Statsstöd"), None),
    ("dossiers.regions", _l("Regioner"), None),
    ("dossiers.agencies", _l("Myndigheter"), None),
    ("directory.funders", _l("Finansiärer"), None),
    ("directory.clusters", _l("Kluster"), None),
    ("admin.audit", _l("Administration"), "admin"),
)
# Pages that belong under a nav entry of a blueprint with several entries.
NAV_PARENT = {
    "dossiers.region": "dossiers.regions",
    "dossiers.organisation": "dossiers.agencies",
    "notify.outbox_page": "admin.audit",  # the outbox is one of the administration pages
}


def nav_items() -> list[tuple[str, str, bool]]:
    """(endpoint, label, current) for each entry the user may see; one entry at most is current."""
    items = []
    for endpoint, label, role in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if role and not (current_user.is_authenticated and current_user.role == role):
            continue
        items.append((endpoint, str(label)))
    return [(endpoint, label, endpoint == _current_entry(items)) for endpoint, label in items]


def _current_entry(items: list[tuple[str, str]]) -> str | None:
    here = request.endpoint or ""
    here = NAV_PARENT.get(here, here)
    endpoints = [endpoint for endpoint, _ in items]
    if here in endpoints:
        return here
    same_blueprint = [e for e in endpoints if e.split(".")[0] == here.split(".")[0]]
    return same_blueprint[0] if len(same_blueprint) == 1 else None


def init_app(app: Flask) -> None:
    install_template_gettext(app)
    app.jinja_env.filters["sek"] = lambda ore: format_sek(ore, locale())
    app.jinja_env.filters["eur"] = lambda amount: format_eur(amount, locale())
    app.jinja_env.filters["dt"] = format_datetime
    app.jinja_env.filters["number"] = lambda value: format_value(value, locale())  # "3 000", "3,000"
    app.jinja_env.filters["audit_action"] = action_label
    app.jinja_env.filters["audit_object"] = object_label
    app.jinja_env.filters["date"] = lambda v: format_datetime(v, with_time=False)
    app.jinja_env.filters["percent"] = lambda fraction: format_percent(fraction, locale())
    # A percent already written as a number ("70.000010" in a flag's values), every digit kept.
    app.jinja_env.filters["percent_figure"] = lambda text: format_percent(Decimal(text) / 100, locale(), digits=6)
    app.jinja_env.filters["unbroken_dates"] = unbroken_dates
    app.jinja_env.filters["citation"] = lambda text: legal_citation(text, locale())
    app.jinja_env.globals.update(current_locale=locale, nav_items=nav_items, pick=pick)
    app.jinja_env.globals.update(priorities_coverage=priorities_coverage, areas_coverage=areas_coverage)
    app.jinja_env.globals["code_label"] = lambda axis, code: vocabulary_label(axis, code, locale())
    app.jinja_env.globals["ruleset_expiry_warnings"] = _ruleset_expiry_warnings


def _ruleset_expiry_warnings() -> list:
    from .stateaid.notices import current_warnings  # noqa: PLC0415 - only when a page shows the banner

    return current_warnings()
