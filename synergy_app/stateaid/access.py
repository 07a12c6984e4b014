"""Who may see and write the state-aid rulings log: the taskforce (and admins). Rulings are not bound to an
agency; the taskforce is Vinnova's and Tillväxtverket's together. Who may write the de minimis register:
planners with an agency and the taskforce. The pages, the API and the services ask these functions."""

from __future__ import annotations

from ..auth.access import acting_planner, is_signed_in


def can_see_drafts(user) -> bool:
    return is_signed_in(user) and user.role in ("taskforce", "admin")


def can_write_rulings(user) -> bool:
    return is_signed_in(user) and user.role in ("taskforce", "admin")


def can_edit_ledger(user) -> bool:
    return acting_planner(user) or (is_signed_in(user) and user.role == "taskforce")
