"""Who may do what in a snabbdialog round: plan it, answer and book for a region, cancel or move a booking,
write a region's presentation, follow the round up.

A round belongs to its lead agency and to the agencies taking part (`lead_organisation`, `agencies`):
their planners manage it. A region's answer, booking and presentation belong to the region: its
strategist acts for it. Admins act for everyone. A planner without an agency manages no round.
The pages, the API and the service all ask these functions, so they cannot disagree.
"""

from __future__ import annotations

from ..auth.access import acting_planner, agency_id, can_edit_region, is_signed_in


def round_agency_ids(round_) -> set[int]:
    return {round_.lead_organisation_id, *(a.id for a in round_.agencies)}


def can_plan_rounds(user) -> bool:
    """Start a round (for one's own agency): a planner with an agency, or an admin."""
    return acting_planner(user)


def can_lead_round(user, lead, agencies) -> bool:
    """A planner's own agency must lead the round or take part in it, so she keeps the right to manage it."""
    if not is_signed_in(user):
        return False
    if user.role == "admin":
        return True
    own = agency_id(user)
    return own is not None and (getattr(lead, "id", None) == own or any(a.id == own for a in agencies or ()))


def can_manage_round(user, round_) -> bool:
    """Edit, invite, schedule, send, change status, move bookings: the round's agencies' planners and admins."""
    if not is_signed_in(user):
        return False
    if user.role == "admin":
        return True
    own = agency_id(user)
    return own is not None and own in round_agency_ids(round_)


def can_chair_round(user, round_) -> bool:
    """The chair's running order (notes, timer) is the round's planners' work."""
    return can_manage_round(user, round_)


def region_to_act_for(user, named=None):
    """The region a person answers and books for: the one she names, else a strategist's own region.
    Naming another region than one's own is asking to act for it, which `can_act_for_region` then decides;
    None when there is no region (an admin who named none)."""
    if named is not None:
        return named
    return getattr(user, "region", None) if is_signed_in(user) and user.role == "strategist" else None


def can_act_for_region(user, region) -> bool:
    """Answer an invitation and book a slot for a region: its strategist, or an admin."""
    return can_edit_region(user, region)


def can_cancel_booking(user, booking) -> bool:
    """The booking region's strategist, a planner of the round's agencies, or an admin."""
    return can_act_for_region(user, booking.region) or can_manage_round(user, booking.round)


def can_move_booking(user, booking) -> bool:
    """Moving a booking rearranges the round's schedule: the round's planners only."""
    return can_manage_round(user, booking.round)


def can_see_presentation(user, region) -> bool:
    """A region's presentation is prepared for the planners: they (and admins) see every region's, a strategist
    her own region's only."""
    if not is_signed_in(user) or region is None:
        return False
    if user.role in ("admin", "planner"):
        return True
    return user.role == "strategist" and user.region_id == region.id


def can_edit_presentation(user, region) -> bool:
    """Only the region's own strategist (and admins) write the region's presentation."""
    return can_edit_region(user, region)


def can_follow_up(user, round_, region) -> bool:
    """Actions and återkoppling of a round: its planners, the strategist of the region concerned, admins."""
    return can_manage_round(user, round_) or (region is not None and can_edit_region(user, region))


def can_report_for(user, organisation) -> bool:
    """Återkoppling is given in an organisation's name: a strategist gives it for her own region only."""
    if not is_signed_in(user):
        return False
    if user.role == "strategist" and user.region is not None:
        return organisation is not None and organisation.id == user.region.organisation_id
    return True


def can_update_action(user, action) -> bool:
    """Besides who may follow the round up, a strategist whose region owns the action may close it."""
    if can_follow_up(user, action.round, action.region):
        return True
    region = getattr(user, "region", None) if is_signed_in(user) and user.role == "strategist" else None
    return region is not None and region.organisation_id == action.owner_organisation_id


def can_add_horizon_note(user, round_) -> bool:
    """Spaningsgruppen gathers signals from every agency and region: any planner with an agency, any
    strategist, admins (each note is signed with the writer's organisation)."""
    return acting_planner(user) or (is_signed_in(user) and user.role == "strategist")
