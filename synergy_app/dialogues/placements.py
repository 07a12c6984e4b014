"""One slot at a time on the schedule page: lock a region to a slot, unlock it, or accept the proposal's
placement for a single slot (a booking made or moved), instead of applying the whole proposal.

A lock is the slot's pin (`Slot.pinned` with `pinned_region_id`); the scheduler keeps a locked region in
its slot and places the others around it. Every function validates, changes, audits and commits in one
transaction; refusals name what to do instead.
"""

from __future__ import annotations

from sqlalchemy import select

from ..audit.service import record, transaction
from ..auth.access import permit
from ..auth.models import User
from ..clock import local_text
from ..directory.models import Region
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from . import access, service, signals
from .models import Booking, DialogueRound, Slot

CLOSED = ("held", "followed_up")


def presenting_regions(round_: DialogueRound) -> list[Region]:
    """Regions that can be placed: those that answered yes or hold a slot, by name."""
    ids = {i.region_id for i in round_.invitations if i.answer == "yes"}
    ids |= {b.region_id for b in service._active_bookings(round_)}
    if not ids:
        return []
    return list(db.session.scalars(select(Region).where(Region.id.in_(ids)).order_by(Region.name)))


def _check(round_: DialogueRound, slot: Slot, actor: User | None) -> None:
    permit(actor, lambda user: access.can_manage_round(user, round_))
    if slot.round_id != round_.id:
        raise InputError(FieldError("slot", "Passet hör till en annan omgång.", "The slot belongs to another round."))
    if round_.status in CLOSED:
        raise Conflict("round", "Omgången är redan genomförd; schemat går inte att ändra.",
                       "The round has already been held; the schedule cannot be changed.", code="round_held")


def _booking_in(slot: Slot) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.slot_id == slot.id, Booking.cancelled_at.is_(None)))


def lock_slot(round_: DialogueRound, slot: Slot, region: Region | None, actor: User | None) -> Slot:
    """Lock `region` to `slot`: the proposal keeps it there. A region holds at most one locked slot."""
    _check(round_, slot, actor)
    if region is None or region.id not in {r.id for r in presenting_regions(round_)}:
        raise InputError(FieldError("region", "Välj en av regionerna som presenterar i omgången.",
                                    "Choose one of the regions presenting in the round."))
    booked = _booking_in(slot)
    if booked is not None and booked.region_id != region.id:
        raise Conflict("slot", f"Passet är bokat av {booked.region.name}. Flytta den bokningen först.",
                       f"The slot is booked by {booked.region.name}. Move that booking first.", code="slot_booked")
    with transaction():
        for other in round_.slots:
            if other.id != slot.id and other.pinned_region_id == region.id:
                other.pinned, other.pinned_region_id = False, None
        before = slot.pinned_region.name if slot.pinned and slot.pinned_region else None
        slot.pinned, slot.pinned_region_id = True, region.id
        record("dialogues.slot_locked", slot, summary=f"{region.name} låst till {local_text(slot.starts_at)}",
               changes={"pinned_region": {"from": before, "to": region.name}}, actor=actor)
    return slot


def unlock_slot(round_: DialogueRound, slot: Slot, actor: User | None) -> Slot:
    """Let the proposal move whoever is in `slot` again."""
    _check(round_, slot, actor)
    if not slot.pinned:
        raise InputError(FieldError("slot", "Passet är inte låst.", "The slot is not locked."))
    with transaction():
        before = slot.pinned_region.name if slot.pinned_region else None
        slot.pinned, slot.pinned_region_id = False, None
        record("dialogues.slot_unlocked", slot, summary=f"Pass {local_text(slot.starts_at)} upplåst",
               changes={"pinned_region": {"from": before, "to": None}}, actor=actor)
    return slot


def accept_placement(round_: DialogueRound, slot: Slot, region: Region | None, actor: User | None) -> Booking:
    """Book the region the proposal puts in `slot` (moving its booking if it had another slot) and lock it.

    `region` is the region the planner saw proposed; when the proposal has changed since, nothing is
    booked and the planner is asked to look again. A conflict or an unacknowledged warning about this
    placement blocks it, as it blocks the whole schedule."""
    _check(round_, slot, actor)
    result = service.compute_schedule(round_)
    conflicts = service.round_conflicts(round_, result)
    if conflicts:
        raise service._conflict_from(conflicts)
    proposed = next((a for a in result.assignments if a.round_id == round_.id and a.slot_id == str(slot.id)), None)
    if proposed is None or region is None or proposed.region != region.slug:
        raise Conflict("slot", "Förslaget för passet har ändrats. Läs det nya förslaget och godkänn igen.",
                       "The proposal for the slot has changed. Read the new proposal and accept again.",
                       code="proposal_changed")
    done = service.acknowledged_keys(round_)
    if any(w.key not in done and w.region == region.slug for w in service.round_warnings(round_, result)):
        raise Conflict("warnings", "Kvittera varningarna om regionen innan placeringen godkänns.",
                       "Acknowledge the warnings about the region before the placement is accepted.",
                       code="warnings_unacknowledged")
    booked = _booking_in(slot)
    if booked is not None and booked.region_id != region.id:
        raise Conflict("slot", f"Passet är bokat av {booked.region.name}. Lägg hela schemat eller flytta den "
                               "bokningen först.",
                       f"The slot is booked by {booked.region.name}. Apply the whole schedule or move that "
                       "booking first.", code="slot_booked")
    own = next((b for b in service._active_bookings(round_) if b.region_id == region.id), None)
    if own is not None and own.slot_id == slot.id and slot.pinned and slot.pinned_region_id == region.id:
        raise InputError(FieldError("slot", "Placeringen är redan godkänd.", "The placement is already accepted."))
    invitation = next((i for i in round_.invitations if i.region_id == region.id), None)
    with transaction():
        for other in round_.slots:
            if other.id != slot.id and other.pinned_region_id == region.id:
                other.pinned, other.pinned_region_id = False, None
        slot.pinned, slot.pinned_region_id = True, region.id
        source = own.slot_id if own is not None else None
        if own is None:
            own = Booking(round_id=round_.id, region_id=region.id, slot_id=slot.id, invitation=invitation,
                          booked_by=actor)
            db.session.add(own)
        elif own.slot_id != slot.id:
            own.slot_id = slot.id
            own.sequence += 1
        db.session.flush()
        record("dialogues.placement_accepted", own,
               summary=f"{region.name} placerad i {local_text(slot.starts_at)}",
               changes={"slot_id": {"from": source, "to": slot.id}}, actor=actor)
        if source != slot.id:
            signals.announce_bookings(own)
    return own
