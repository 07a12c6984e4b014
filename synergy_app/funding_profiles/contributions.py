"""What funder requirement profiles add to joint projects: the requirement matrix and drafts panel on
the project page, and the demo description (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import DEMO_CONTENT, PROJECT_PANELS, Registry
from . import demo, views


def register(registry: Registry) -> None:
    registry.add(PROJECT_PANELS, views.project_panel)
    registry.add(DEMO_CONTENT, demo.seed_demo)
