"""What mail adds below it: it listens to the services' signals (see receivers.py)."""

from __future__ import annotations

from ..contributions import Registry
from . import receivers


def register(registry: Registry) -> None:
    receivers.connect()
