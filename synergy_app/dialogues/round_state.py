"""What a round page leads with, from the round's state: before the meeting, what is still missing
(answers, bookings, warnings); after it, the follow-up (återkoppling and actions). Pure logic over
loaded rows; the template words it in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

HELD = ("held", "followed_up")


@dataclass(frozen=True)
class FollowUpCounts:
    feedback: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    done_actions: int = 0


@dataclass(frozen=True)
class RoundState:
    """`phase` is "planning" or "followup"; the lists hold region names, sorted."""

    phase: str
    status: str
    invited: int = 0
    no_answer: list[str] = field(default_factory=list)
    not_booked: list[str] = field(default_factory=list)
    presenting: int = 0
    booked: int = 0
    free_slots: int = 0
    pending_warnings: int = 0
    followup: FollowUpCounts = FollowUpCounts()

    @property
    def ready(self) -> bool:
        """Nothing missing before the meeting."""
        return (self.invited > 0 and not self.no_answer and not self.not_booked and not self.pending_warnings
                and self.status != "draft")


def round_state(status: str, invitations: Iterable, booked_region_ids: Iterable[int], free_slots: int,
                pending_warnings: int, followup: FollowUpCounts | None = None) -> RoundState:
    """`invitations`: objects with `answer`, `region_id` and `region.name`."""
    invitations = list(invitations)
    booked = set(booked_region_ids)
    if status in HELD:
        return RoundState("followup", status, invited=len(invitations), booked=len(booked),
                          followup=followup or FollowUpCounts())
    no_answer = sorted(i.region.name for i in invitations if i.answer == "pending")
    presenting = [i for i in invitations if i.answer == "yes"]
    not_booked = sorted(i.region.name for i in presenting if i.region_id not in booked)
    return RoundState("planning", status, invited=len(invitations), no_answer=no_answer, not_booked=not_booked,
                      presenting=len(presenting), booked=len(booked), free_slots=free_slots,
                      pending_warnings=pending_warnings)
