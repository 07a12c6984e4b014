"""Who may use which route.

Every view declares its audience with ``@allow(...)``; a route without a declaration is
refused (fail closed), and the role/route test walks the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, g, request
from flask_login import current_user

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


def can_edit_region(user, region) -> bool:
    """Admins and planners edit any region's data; a strategist only her own region's."""
    if not user or not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    return user.role == "strategist" and user.region_id == region.id


def can_edit_organisation(user, organisation) -> bool:
    """Admins edit any agency's areas; a planner her own agency's (or any, when unbound)."""
    if not user or not user.is_authenticated:
        return False
    if user.role == "admin":
        return True
    return user.role == "planner" and (user.organisation_id in (None, organisation.id))


def current_actor():
    """The API token's user under /api/, else the session's user.

    The API never accepts the session cookie alone: it is exempt from CSRF checks, so a
    cookie-authenticated request there could be forged by any other site.
    """
    if request.path.startswith("/api/"):
        return getattr(g, "api_user", None)
    return current_user
