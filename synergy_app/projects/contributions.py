"""What joint projects add to the calendar below them: milestones on the timeline, the projects on a
call's page, and the demo project (see synergy_app/contributions.py)."""

from __future__ import annotations

from ..contributions import CALL_PROJECTS, DEMO_CONTENT, TIMELINE_ENTRIES, Registry
from . import demo, public


def register(registry: Registry) -> None:
    registry.add(TIMELINE_ENTRIES, public.milestones_between)
    registry.add(CALL_PROJECTS, public.projects_for_call)
    registry.add(DEMO_CONTENT, demo.seed_demo)
