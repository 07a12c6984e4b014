"""What services call when something happens that people should hear about.

Each function adds outbox rows in the caller's open transaction (committed or rolled back with the
change) and returns nothing useful; the message itself is rendered when it is sent."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select

from ..auth.models import User
from ..calendar.models import CallDateChange, call_followers
from ..dialogues import public as dialogues
from ..extensions import db
from ..stateaid import follow_service
from ..stateaid.models import RulingRevision
from . import outbox
from .outbox import Recipient


def recipients_for(people: Iterable[tuple[str, str]]) -> list[Recipient]:
    """(name, e-mail) pairs as recipients: an address with an account gets that account's language,
    an address whose account is inactive gets nothing."""
    people = list(people)
    emails = [email.lower() for _name, email in people]
    users = {u.email.lower(): u for u in db.session.scalars(
        select(User).where(func.lower(User.email).in_(emails)))} if emails else {}
    result = []
    for name, email in people:
        user = users.get(email.lower())
        if user is None:
            result.append(Recipient(email, name))
        elif user.active and not user.is_removed:
            result.append(Recipient.of_user(user))
    return result


def booking_changed(*bookings) -> None:
    """A booking was made, moved or cancelled: its people get the invitation (or cancellation)."""
    for booking in bookings:
        db.session.flush()
        if booking.cancelled_at is not None:
            kind = "booking_cancelled"
        elif booking.sequence == 0:
            kind = "booking_confirmed"
        else:
            kind = "booking_moved"
        outbox.add(kind, f"{kind}:{booking.id}:{booking.sequence}",
                   recipients_for(dialogues.booking_people(booking.id)),
                   {"booking_id": booking.id, "sequence": booking.sequence})


def round_invited(round_) -> None:
    """The round's invitations went out or the round changed: everyone gets the newest invitation."""
    if round_.status == "draft":
        return
    db.session.flush()
    outbox.add("round_invitation", f"round_invitation:{round_.id}:{round_.sequence}",
               recipients_for(dialogues.round_people(round_.id)),
               {"round_id": round_.id, "sequence": round_.sequence})


def round_cancelled(round_, bookings, previous_status: str) -> None:
    """A round was cancelled: everyone invited gets the meetings' CANCEL, everyone booked their slot's CANCEL.

    A draft was never sent to anyone, so its cancellation is not either."""
    if previous_status == "draft":
        return
    db.session.flush()
    outbox.add("booking_cancelled", f"round_cancelled:{round_.id}:{round_.sequence}",
               recipients_for(dialogues.round_people(round_.id)),
               {"round_id": round_.id, "sequence": round_.sequence, "method": "CANCEL"})
    booking_changed(*bookings)


def call_dates_changed(call) -> None:
    """The call's dates moved (recorded in its date history at this revision): its followers hear old → new."""
    db.session.flush()
    changes = list(db.session.scalars(select(CallDateChange).where(
        CallDateChange.call_id == call.id, CallDateChange.revision == call.revision).order_by(CallDateChange.id)))
    if not changes:
        return
    followers = list(db.session.scalars(select(User).join(call_followers, call_followers.c.user_id == User.id)
                                        .where(call_followers.c.call_id == call.id)))
    outbox.add("call_dates_changed", f"call_dates_changed:{call.id}:{call.revision}",
               recipients_for((u.name, u.email) for u in followers),
               {"call_id": call.id, "title": call.title, "url": call_url(call.id),
                "changes": [{"label": c.label or c.field, "old": c.old_value, "new": c.new_value} for c in changes]})


def call_url(call_id: int) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return f"{base}/calendar/calls/{call_id}"


def ruling_published(ruling) -> None:
    """A ruling was agreed, or an agreed ruling revised: the people following any of its questions hear of it."""
    if ruling.status != "agreed":
        return
    db.session.flush()
    revision = db.session.scalar(select(RulingRevision).where(
        RulingRevision.ruling_id == ruling.id, RulingRevision.number == ruling.current_number))
    members = follow_service.followers(list(revision.topics or []))
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    outbox.add("ruling_published", f"ruling_published:{ruling.id}:{ruling.current_number}",
               recipients_for((u.name, u.email) for u in members),
               {"ruling_id": ruling.id, "number": ruling.number, "revision": ruling.current_number,
                "title": revision.title, "topics": list(revision.topics or []),
                "url": f"{base}/stateaid/rulings/{ruling.id}"})
