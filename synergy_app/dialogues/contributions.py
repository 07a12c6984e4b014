"""What snabbdialogs add to capabilities below them: revoking a closed account's feed link, forgetting
a removed person, and the demo round and its follow-up (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import ACCOUNT_ACCESS_ENDED, ACCOUNT_REMOVED, DEMO_CONTENT, Registry
from . import demo, demo_followup, service


def register(registry: Registry) -> None:
    registry.add(ACCOUNT_ACCESS_ENDED, service.revoke_feed_token)
    registry.add(ACCOUNT_REMOVED, service.forget_person)
    registry.add(DEMO_CONTENT, demo.seed_demo)
    registry.add(DEMO_CONTENT, demo_followup.seed_demo_followup)
