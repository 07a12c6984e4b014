"""What snabbdialog services announce to capabilities above them (mail, say), without knowing them.

Blinker signals sent inside the service's transaction, so whatever a receiver writes (an outbox row)
commits or rolls back with the change. Receivers do nothing else: a change may still be rolled back.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the DialogueRound, when its invitations went out or an invited round changed.
round_invited = _signals.signal("dialogues.round-invited")
# sender: the DialogueRound; keyword argument bookings: the bookings made, moved or cancelled.
bookings_changed = _signals.signal("dialogues.bookings-changed")
# sender: the cancelled DialogueRound; keyword arguments bookings: the bookings cancelled with it,
# previous_status: the round's status before (a draft was never sent to anyone).
round_cancelled = _signals.signal("dialogues.round-cancelled")


def announce_bookings(*bookings) -> None:
    if bookings:
        bookings_changed.send(bookings[0].round, bookings=list(bookings))
