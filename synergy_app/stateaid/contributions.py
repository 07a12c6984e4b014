"""What state aid adds to capabilities below it: naming a removed author by the placeholder, and its
example rulings (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import ACCOUNT_REMOVED, DEMO_CONTENT, Registry
from . import demo, rulings_service


def register(registry: Registry) -> None:
    registry.add(ACCOUNT_REMOVED, rulings_service.forget_author)
    registry.add(DEMO_CONTENT, demo.seed_demo)
