"""Who may see and write the state-aid rulings log: the taskforce (and admins). Rulings are not bound to an
agency; the taskforce is Vinnova's and Tillväxtverket's together. The pages, the API and the service ask
these functions."""

from __future__ import annotations

from ..auth.access import is_signed_in


def can_see_drafts(user) -> bool:
    return is_signed_in(user) and user.role in ("taskforce", "admin")


def can_write_rulings(user) -> bool:
    return is_signed_in(user) and user.role in ("taskforce", "admin")
