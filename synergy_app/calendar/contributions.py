"""What the calendar adds to capabilities below it: open calls on a region's matching page, and its
demo calls (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import DEMO_CONTENT, OPEN_CALLS_FOR_AREAS, Registry
from . import demo, public


def register(registry: Registry) -> None:
    registry.add(OPEN_CALLS_FOR_AREAS, public.open_calls_for_areas)
    registry.add(DEMO_CONTENT, demo.seed_demo)
