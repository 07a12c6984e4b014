"""What other capabilities may use from dialogues: calendar entries as plain dicts."""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from . import queries
from .models import Booking, DialogueRound


def _as_dict(entry) -> dict:
    return {
        "uid": entry.uid,
        "summary": entry.summary,
        "start": entry.start,
        "end": entry.end,
        "url": entry.url,
        "sequence": entry.sequence,
        "location": entry.location,
        "cancelled": entry.cancelled,
    }


def calendar_entries_for_user(user) -> list[dict]:
    """The user's snabbdialog meetings and own slots (rounds past the draft stage), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_for_user(user)), key=lambda d: (d["start"], d["uid"]))


def calendar_entries_between(start: datetime, end: datetime) -> list[dict]:
    """Every snabbdialog meeting (past the draft stage) overlapping [start, end), sorted by start."""
    return sorted((_as_dict(e) for e in queries.entries_between(start, end)), key=lambda d: (d["start"], d["uid"]))


def region_engagements(region_id: int):
    """A region's invitations and live bookings (ORM objects), each by round id."""
    return queries.region_engagements(region_id)


# ---------------------------------------------------------------------------------------------
# what the mail of a round or a booking needs (for notifications)


def booking_for_mail(booking_id: int) -> dict | None:
    """A booking's invitation (ICS bytes, METHOD from its state) with what a message about it says."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or (booking.slot or booking.cancelled_slot) is None:
        return None
    info = queries.booking_info(booking)
    sender = queries.organizer(booking.round)
    return {"ics": queries.booking_ics(booking), "theme": info.theme, "region": info.region, "start": info.start,
            "end": info.end, "url": info.page_url, "link": info.meeting_link, "sequence": booking.sequence,
            "cancelled": booking.cancelled_at is not None, "organizer": (sender.name, sender.email),
            "round_id": booking.round_id}


def booking_people(booking_id: int) -> list[tuple[str, str]]:
    """(name, e-mail) of everyone the booking's invitation goes to."""
    booking = db.session.get(Booking, booking_id)
    return [] if booking is None else [(p.name, p.email) for p in queries.booking_attendees(booking)]


def round_for_mail(round_id: int, method: str = "REQUEST") -> dict | None:
    round_ = db.session.get(DialogueRound, round_id)
    if round_ is None or not round_.meetings:
        return None
    info = queries.round_info(round_)
    sender = queries.organizer(round_)
    return {"ics": queries.round_ics(round_, method), "theme": round_.theme, "lead": info.lead,
            "meetings": [(m.start, m.end) for m in info.meetings], "url": info.page_url,
            "link": info.meeting_link, "sequence": round_.sequence, "organizer": (sender.name, sender.email)}


def round_people(round_id: int) -> list[tuple[str, str]]:
    round_ = db.session.get(DialogueRound, round_id)
    return [] if round_ is None else [(p.name, p.email) for p in queries.round_attendees(round_)]
