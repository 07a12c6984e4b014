"""What the ruling log announces to capabilities above it (mail, say), without knowing them.

A blinker signal sent inside the service's transaction, so whatever a receiver writes (an outbox row)
commits or rolls back with the change.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Ruling, when it was agreed or an agreed ruling was revised (and when it is still a draft:
# receivers decide what concerns them).
ruling_published = _signals.signal("stateaid.ruling-published")
