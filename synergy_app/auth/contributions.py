"""What accounts add to other capabilities: the demo users (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import DEMO_CONTENT, Registry
from . import demo


def register(registry: Registry) -> None:
    registry.add(DEMO_CONTENT, demo.seed_demo)
