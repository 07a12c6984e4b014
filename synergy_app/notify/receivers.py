"""Mail listens to what the services announce (their blinker signals) and queues the messages.

Connected once when the app is built. Each receiver runs inside the service's transaction and only
adds outbox rows, so a change that is rolled back sends nothing.
"""

from __future__ import annotations

from ..calendar.call_notices import call_dates_changed
from ..dialogues import signals as dialogues
from ..stateaid import signals as stateaid
from . import events


def _round_invited(round_, **_) -> None:
    events.round_invited(round_)


def _bookings_changed(_round, bookings, **_) -> None:
    events.booking_changed(*bookings)


def _round_cancelled(round_, bookings, previous_status, **_) -> None:
    events.round_cancelled(round_, bookings, previous_status)


def _call_dates_changed(call, **_) -> None:
    events.call_dates_changed(call)


def _ruling_published(ruling, **_) -> None:
    events.ruling_published(ruling)


def connect() -> None:
    """Listen to every signal (blinker keeps one connection per receiver, so calling it again is harmless)."""
    dialogues.round_invited.connect(_round_invited, weak=False)
    dialogues.bookings_changed.connect(_bookings_changed, weak=False)
    dialogues.round_cancelled.connect(_round_cancelled, weak=False)
    call_dates_changed.connect(_call_dates_changed, weak=False)
    stateaid.ruling_published.connect(_ruling_published, weak=False)
