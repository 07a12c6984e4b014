"""Who may use which route.

Every view declares its audience with ``@allow(...)``; a route without a declaration is
refused (fail closed), and the role/route test walks the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, g, has_request_context, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from .models import ROLES

PUBLIC = "public"  # anyone, logged in or not
ANY_USER = "any_user"  # any logged-in user

ACCESS_ATTR = "_synergy_access"


def allow(*audience: str) -> Callable:
    """Declare and enforce who may call a view: PUBLIC, ANY_USER or role names.

    Admins are allowed wherever a logged-in role is.
    """
    for who in audience:
        if who not in (PUBLIC, ANY_USER, *ROLES):
            raise ValueError(f"unknown audience {who!r}")
    allowed = frozenset(audience)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if PUBLIC not in allowed:
                user = current_actor()
                if not user or not user.is_authenticated:
                    if request.path.startswith("/api/"):
                        abort(401)
                    return current_app.login_manager.unauthorized()
                if ANY_USER not in allowed and user.role != "admin" and user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, allowed)
        return wrapper

    return decorator


def access_of(view: Callable) -> frozenset[str] | None:
    return getattr(view, ACCESS_ATTR, None)


def role_allowed(audience: frozenset[str], role: str | None) -> bool:
    """Whether a user with `role` (None: not logged in) passes `audience`."""
    if PUBLIC in audience:
        return True
    if role is None:
        return False
    return ANY_USER in audience or role == "admin" or role in audience


class AccessDenied(Forbidden):
    """A refusal that says why (shown on the error page and in the API's message)."""


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def agency_id(user) -> int | None:
    """The agency a planner works for; None for every other role and for an unbound planner."""
    if not is_signed_in(user) or user.role != "planner":
        return None
    return user.organisation_id


def is_unbound_planner(user) -> bool:
    """A planner account created before planners had to name their agency: it may write nothing agency-bound."""
    return is_signed_in(user) and user.role == "planner" and user.organisation_id is None


def acting_planner(user) -> bool:
    """A planner bound to an agency, or an admin: who may plan rounds and keep the call calendar."""
    return is_signed_in(user) and (user.role == "admin" or agency_id(user) is not None)


def can_edit_region(user, region) -> bool:
    """Admins act for any region; a strategist only for her own region."""
    if not is_signed_in(user) or region is None:
        return False
    if user.role == "admin":
        return True
    return user.role == "strategist" and user.region_id == region.id


def can_edit_organisation(user, organisation) -> bool:
    """Admins act for any organisation; a planner only for her own agency (an unbound planner for none)."""
    if not is_signed_in(user) or organisation is None:
        return False
    if user.role == "admin":
        return True
    return agency_id(user) is not None and agency_id(user) == organisation.id


def require(allowed: bool, user=None) -> None:
    """Refuse with 403, saying why when the account itself is the reason (a planner without an agency)."""
    if allowed:
        return
    # Translated in a request; the command line and other callers outside one get the Swedish text.
    say = _ if has_request_context() else str
    if is_unbound_planner(user):
        raise AccessDenied(say("Ditt planerarkonto är inte knutet till någon myndighet och får därför inte ändra "
                               "något som hör till en myndighet. Be en administratör att ange din myndighet."))
    raise AccessDenied(say("Du får inte ändra det här."))


def permit(actor, allowed: Callable[[object], bool]) -> None:
    """Check a person against an access rule in a service; None or a label such as "cli" is the system itself
    (seeding, the command line), which the caller has already trusted."""
    if actor is None or isinstance(actor, str):
        return
    require(allowed(actor), actor)


def current_actor():
    """The API token's user under /api/, else the session's user.

    The API never accepts the session cookie alone: it is exempt from CSRF checks, so a
    cookie-authenticated request there could be forged by any other site.
    """
    if request.path.startswith("/api/"):
        return getattr(g, "api_user", None)
    return current_user
