"""Error answers: an HTML page for people, a JSON body under /api/."""

from __future__ import annotations

import re

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from .auth.access import ANY_USER, AccessDenied, access_of, current_actor
from .auth.contacts import admin_contacts
from .auth.forms import ROLE_LABELS
from .directory import queries as directory
from .errors import Conflict, FieldError, InputError, NotFound
from .extensions import db
from .i18n import locale, pick
from .request_limits import view_limit_message

TITLES = {
    400: _l("Felaktig begäran"),
    401: _l("Inloggning krävs"),
    403: _l("Åtkomst nekad"),
    404: _l("Sidan finns inte"),
    405: _l("Metoden stöds inte"),
    409: _l("Konflikt"),
    413: _l("Filen är för stor"),
    429: _l("För många försök"),
    500: _l("Något gick fel"),
}


# What a NotFound names, in words (its `what` is a key meant for the API).
NOT_FOUND_WHAT = {
    "area": _l("Området"), "booking": _l("Bokningen"), "call": _l("Utlysningen"),
    "coordination set": _l("Den samordnade uppsättningen"), "feed": _l("Kalenderflödet"), "funder": _l("Finansiären"),
    "import": _l("Importen"), "invitation": _l("Inbjudan"), "organisation": _l("Organisationen"),
    "region": _l("Regionen"), "round": _l("Rundan"), "ruling": _l("Avgörandet"), "slot": _l("Passet"),
}


def error_help(status: int) -> dict | None:
    """Why a page was refused or not found and what the person can do, for the error page."""
    if status == 403:
        return forbidden_help()
    if status == 404:
        return {"kind": "not_found"}
    return None


def forbidden_help() -> dict:
    """Who the page is for, who the person is signed in as, and who can change that."""
    view = app_view()
    audience = access_of(view) if view else None
    roles = [str(ROLE_LABELS[r]) for r in ROLE_LABELS if audience and r in audience and r != "admin"]
    user = current_actor()
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    bound_to = None
    if signed_in and user.role == "strategist" and user.region is not None:
        bound_to = user.region.name
    elif signed_in and user.role == "planner" and user.organisation is not None:
        bound_to = user.organisation.name
    # The role may use the page, so what was refused belongs to another region or agency than the account's.
    role_allowed = bool(signed_in and audience and (ANY_USER in audience or user.role in audience))
    return {
        "kind": "forbidden", "roles": [] if not audience or ANY_USER in audience else roles,
        "signed_in": signed_in, "role": str(ROLE_LABELS.get(user.role, "")) if signed_in else None,
        "bound_to": bound_to, "admins": admin_contacts(), "role_allowed": role_allowed,
        "owner": _owner_named_in_address() if role_allowed else None,
    }


def _owner_named_in_address() -> str | None:
    """The region the refused address names (…/regions/<region>/…), in words, when it names one."""
    key = (request.view_args or {}).get("region")
    if not isinstance(key, str):
        return None
    try:
        return directory.region_by_key(key).name
    except NotFound:
        return None


def app_view():
    """The view the refused request was meant for, if the route exists."""
    endpoint = request.endpoint
    return current_app.view_functions.get(endpoint) if endpoint else None


def json_error(status: int, code: str, message: str, field: str | None = None, **extra):
    body = {"error": {"code": code, "message": message, "field": field, **extra}}
    return jsonify(body), status


# "Key (number)=(...) already exists" (PostgreSQL), "UNIQUE constraint failed: rulings.number" (SQLite)
_PG_KEY = re.compile(r"Key \(([^)]*)\)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def integrity_conflict(exc: IntegrityError) -> FieldError:
    """What a constraint the database enforced says to the user, naming the field where it can."""
    text = str(exc.orig)
    pg, lite = _PG_KEY.search(text), _SQLITE_UNIQUE.search(text)
    if pg:
        field = pg.group(1)
    elif lite:
        field = ", ".join(part.rsplit(".", 1)[-1] for part in lite.group(1).split(", "))
    else:
        field = getattr(getattr(exc.orig, "diag", None), "constraint_name", None) or "-"
    if "unique" in text.lower() or "duplicate" in text.lower():
        return FieldError(field, "Det finns redan en post med samma värde, troligen sparad av någon annan i samma "
                                 "stund. Ingenting sparades; ladda om sidan och se efter.",
                          "A record with the same value already exists, probably saved by someone else at the "
                          "same moment. Nothing was saved; reload the page and check.")
    return FieldError(field, "Ändringen krockade med en annan ändring som sparades i samma stund. Ingenting "
                             "sparades; ladda om sidan och försök igen.",
                      "The change clashed with another change saved at the same moment. Nothing was saved; "
                      "reload the page and try again.")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _input_error(exc: InputError):
    err = exc.first
    if _wants_json():
        return json_error(exc.status, exc.code, err.message(locale()), err.field,
                          details=[{"field": e.field, "message": e.message(locale())} for e in exc.errors])
    return render_template("errors/error.html", status=exc.status, title=TITLES.get(exc.status, _("Fel")),
                           errors=exc.errors), exc.status


def _conflict(exc: Conflict):
    if _wants_json():
        return json_error(409, exc.code, exc.error.message(locale()), exc.error.field)
    return render_template("errors/error.html", status=409, title=TITLES[409], errors=[exc.error]), 409


def _integrity(exc: IntegrityError):
    # A constraint caught what no check before it could (two requests at once): a conflict, not a failure.
    db.session.rollback()
    current_app.logger.warning("Constraint conflict: %s", exc.orig)
    error = integrity_conflict(exc)
    if _wants_json():
        return json_error(409, "conflict", error.message(locale()), error.field)
    return render_template("errors/error.html", status=409, title=TITLES[409], errors=[error]), 409


def _not_found(exc: NotFound):
    if _wants_json():
        message = (f"{exc.what} '{exc.key}' not found" if locale() == "en"
                   else f"{exc.what} '{exc.key}' finns inte")
        return json_error(404, "not_found", message, None, suggestions=exc.suggestions)
    label = NOT_FOUND_WHAT.get(exc.what)
    message = (_("%(what)s ”%(key)s” finns inte.", what=label, key=exc.key) if label
               else _("”%(key)s” finns inte.", key=exc.key))
    return render_template("errors/error.html", status=404, title=TITLES[404], message=message,
                           suggestions=exc.suggestions, help=error_help(404)), 404


def _csrf(exc: CSRFError):
    message = _("Formuläret har gått ut eller saknar säkerhetsnyckel. Ladda om sidan och försök igen.")
    return render_template("errors/error.html", status=400, title=TITLES[400], message=message), 400


def _too_large(exc: HTTPException):
    # The request's own limit: a view may set a smaller one than MAX_CONTENT_LENGTH.
    mb = (request.max_content_length or 0) // (1024 * 1024)
    own = view_limit_message()
    message = pick(*own) if own else _(
        "Den uppladdade filen är större än %(mb)s MB, det största som tas emot. Ingenting sparades.", mb=mb)
    if _wants_json():
        return json_error(413, "request_entity_too_large", message, "file")
    return render_template("errors/error.html", status=413, title=TITLES[413], message=message), 413


def _http(exc: HTTPException):
    status = exc.code or 500
    if _wants_json():
        return json_error(status, (exc.name or "error").lower().replace(" ", "_"), exc.description or exc.name)
    message = exc.description if isinstance(exc, AccessDenied) else None
    if status == 404:
        message = _("Adressen leder inte till någon sida här.")
    return render_template("errors/error.html", status=status, title=TITLES.get(status, exc.name),
                           message=message, help=error_help(status)), status


def _unexpected(exc: Exception):
    current_app.logger.exception("Unhandled error")
    if current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise exc
    if _wants_json():
        return json_error(500, "internal_error", "Internal error")
    return render_template("errors/error.html", status=500, title=TITLES[500]), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(InputError, _input_error)
    app.register_error_handler(Conflict, _conflict)
    app.register_error_handler(IntegrityError, _integrity)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
