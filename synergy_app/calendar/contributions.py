"""What the calendar adds to capabilities below it: open calls on a region's matching page, revoking a
closed account's feed link, and its demo calls (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import ACCOUNT_ACCESS_ENDED, DEMO_CONTENT, OPEN_CALLS_FOR_AREAS, Registry
from . import demo, public, service


def register(registry: Registry) -> None:
    registry.add(OPEN_CALLS_FOR_AREAS, public.open_calls_for_areas)
    registry.add(ACCOUNT_ACCESS_ENDED, service.revoke_feed_token)
    registry.add(DEMO_CONTENT, demo.seed_demo)
