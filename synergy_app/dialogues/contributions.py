"""What snabbdialogs add to capabilities below them: forgetting a removed person, and the demo round and
its follow-up (see synergy_app/contributions.py). The personal feed link is the calendar's."""

from __future__ import annotations

from ..contributions import ACCOUNT_REMOVED, DEMO_CONTENT, Registry
from . import demo, demo_followup, service


def register(registry: Registry) -> None:
    registry.add(ACCOUNT_REMOVED, service.forget_person)
    registry.add(DEMO_CONTENT, demo.seed_demo)
    registry.add(DEMO_CONTENT, demo_followup.seed_demo_followup)
