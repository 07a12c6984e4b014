"""The web side of ruleset validity: what today is, and the warnings a page shows.

Today comes from the ``STATEAID_TODAY`` setting when it is set (an ISO date, for tests and for
rehearsing a date), otherwise from the Stockholm calendar.
"""

from __future__ import annotations

from datetime import date

from flask import current_app

from ..clock import today_local
from .rulesets import default_rulesets
from .validity import ExpiryWarning, expiry_warnings


def today() -> date:
    configured = current_app.config.get("STATEAID_TODAY")
    if configured:
        return configured if isinstance(configured, date) else date.fromisoformat(str(configured))
    return today_local()


def current_warnings() -> list[ExpiryWarning]:
    """Rulesets in force today that end within 60 days with no successor loaded."""
    return expiry_warnings(default_rulesets(), today())
