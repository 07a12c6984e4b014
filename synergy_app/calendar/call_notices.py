"""The one place a moved date of a call is announced to the people who follow it.

`call_dates_changed` is a blinker signal sent inside the transaction that records the date history,
so a receiver that writes (an outbox row, say) commits or rolls back together with the change.
Receivers should do nothing else: a save that is rolled back (an import refused on a later row, a
lost race checked again) may have sent the signal before.
Sent once per saved revision that moved at least one date, whatever path saved it (form, import,
API, a funder's subscribed feed).
"""

from __future__ import annotations

from collections.abc import Sequence

from blinker import Namespace

signals = Namespace()

# sender: the Call; keyword arguments: changes (the CallDateChange rows of this revision) and
# followers (the users who follow the call).
call_dates_changed = signals.signal("call-dates-changed")


def notify_call_dates_changed(call, changes: Sequence) -> None:
    """Tell the call's followers which of its dates moved (old -> new)."""
    if not changes:
        return
    call_dates_changed.send(call, changes=list(changes), followers=list(call.followers))
