"""What snabbdialogs add to other capabilities: the demo round and its follow-up (see
synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import DEMO_CONTENT, Registry
from . import demo, demo_followup


def register(registry: Registry) -> None:
    registry.add(DEMO_CONTENT, demo.seed_demo)
    registry.add(DEMO_CONTENT, demo_followup.seed_demo_followup)
