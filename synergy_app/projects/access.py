"""Who may change joint projects.

A joint project has several funders and partners, so it is not bound to one agency: planners (case
officers) with an agency edit every project; a strategist the projects of her region. A planner without
an agency edits none. The pages, the API and the service ask these functions.
"""

from __future__ import annotations

from ..auth.access import acting_planner, is_signed_in


def can_create_project(user) -> bool:
    return acting_planner(user) or (is_signed_in(user) and user.role == "strategist")


def can_edit_project(user, project) -> bool:
    """Admins and planners with an agency edit every project; a strategist the projects of her region."""
    if acting_planner(user):
        return True
    return bool(is_signed_in(user) and user.role == "strategist" and user.region_id is not None
                and any(r.id == user.region_id for r in project.regions))


def can_link_ruling(user, project) -> bool:
    """Linking a ruling to a project's flag: whoever edits the project, and the taskforce, whose rulings they are."""
    return can_edit_project(user, project) or (is_signed_in(user) and user.role == "taskforce")
