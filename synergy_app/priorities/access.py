"""Who may change the matching data: a region's S3 priorities, an agency's areas, match decisions.

Used by the pages, the API and the service alike, so the three cannot disagree.
"""

from __future__ import annotations

from ..auth.access import can_edit_organisation, can_edit_region


def can_edit_priorities(user, region) -> bool:
    """A region's S3 priorities: its own strategist, or an admin."""
    return can_edit_region(user, region)


def can_edit_area(user, area) -> bool:
    """A national or EU area: a planner of the agency that owns it, or an admin (nobody for an unbound planner)."""
    return area is not None and can_edit_organisation(user, area.organisation)


def can_decide_match(user, area) -> bool:
    """Confirming, rejecting or adding a region for an area is the area owner's call, like editing it."""
    return can_edit_area(user, area)
