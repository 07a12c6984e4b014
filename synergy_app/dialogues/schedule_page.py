"""The schedule page's rows: every slot of the round grouped by local day, each with the region the proposal
puts there, the booking it has now, and whether it is locked. Pure logic over loaded rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..clock import to_local


@dataclass(frozen=True)
class SlotRow:
    slot: object  # models.Slot
    position: int  # 1-based place in the round's running order
    proposed: object | None  # the Region the proposal puts here
    booking: object | None  # the active Booking in the slot now
    locked_region: object | None  # the Region locked to the slot

    @property
    def changes(self) -> bool:
        """Accepting the proposal here would book or move someone."""
        if self.proposed is None:
            return False
        return self.booking is None or self.booking.region_id != self.proposed.id


@dataclass(frozen=True)
class Day:
    day: date
    rows: tuple[SlotRow, ...]


def slot_days(slots: Sequence[tuple[object, object | None]], proposed_slugs: Mapping[str, str],
              regions: Mapping[str, object], region_by_id: Mapping[int, object]) -> list[Day]:
    """`slots`: (slot, booking) in time order; `proposed_slugs`: slot id (text) -> region slug."""
    days: dict[date, list[SlotRow]] = {}
    for position, (slot, booking) in enumerate(slots, start=1):
        slug = proposed_slugs.get(str(slot.id))
        locked = region_by_id.get(slot.pinned_region_id) if slot.pinned and slot.pinned_region_id else None
        row = SlotRow(slot, position, regions.get(slug) if slug else None, booking, locked)
        days.setdefault(to_local(slot.starts_at).date(), []).append(row)
    return [Day(day, tuple(rows)) for day, rows in days.items()]


def by_day(slots: Sequence[tuple[object, object | None]]) -> list[tuple[date, list[tuple[int, object, object]]]]:
    """(slot, booking) pairs in time order as (local day, [(place in the running order, slot, booking)])."""
    days: dict[date, list[tuple[int, object, object]]] = {}
    for position, (slot, booking) in enumerate(slots, start=1):
        days.setdefault(to_local(slot.starts_at).date(), []).append((position, slot, booking))
    return list(days.items())


def region_names(items: Iterable[str], regions: Mapping[str, object]) -> list[str]:
    """Region slugs as the names people know."""
    return [getattr(regions.get(slug), "name", slug) for slug in items]
