"""What priority matching adds to other capabilities: its demo decisions (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import DEMO_CONTENT, Registry
from . import demo


def register(registry: Registry) -> None:
    registry.add(DEMO_CONTENT, demo.seed_demo)
