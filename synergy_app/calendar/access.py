"""Who may change the call calendar.

The calendar lines up every funder's calls (agencies', regions', the EU's) in one place and is kept by
the agencies' planners together, so a call is not bound to one agency: any planner with an agency may
add, edit, import and coordinate calls; a planner without an agency may not. The pages and the service
both ask this function.
"""

from __future__ import annotations

from ..auth.access import acting_planner


def can_edit_calls(user) -> bool:
    return acting_planner(user)
