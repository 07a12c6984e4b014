"""Contributions: how a capability shows what a capability above it adds, without importing it.

Capabilities import each other in one direction only: projects use the calendar, the calendar uses
priority matching. The way back goes through the named points below. A capability registers a
function at a point in its own `contributions.py` (a function `register(registry)`); the app factory
calls every capability's `register` when it builds the app, so each app holds its own wiring; the
capability that owns the point asks for what was registered:

    for milestones_between in contributions(TIMELINE_ENTRIES):
        entries += milestones_between(start, end)

A point nobody contributed to gives nothing (`contributions` an empty tuple, `contribution` None),
and the asking page leaves that part out, as each point says. A missing module is not a reason for
an empty list: every registration is a plain import, so a broken one fails when the app is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION = "synergy_contributions"


@dataclass(frozen=True)
class Point:
    """A place where capabilities contribute functions; `single` points take at most one."""

    name: str
    contract: str
    single: bool = False


# Joint-project milestones and the like on the calendar's timeline and month view. Called with
# (start, end) dates, both included; returns dicts with date, summary or label_sv/label_en and
# project_title, and url. Nothing registered: the timeline has no such lane's entries.
TIMELINE_ENTRIES = Point("calendar.timeline_entries", "fn(start: date, end: date) -> list[dict]")

# Joint projects that use a call, listed on the call's page. Called with the call id; returns dicts
# with id, title and url. Nothing registered: the call page lists no projects.
CALL_PROJECTS = Point("calendar.call_projects", "fn(call_id: int) -> list[dict]")

# Open calls in national/EU areas, on a region's matching page. Called with area ids; returns
# CallData. Nothing registered: the page says the calendar offers no calls (it gets None).
OPEN_CALLS_FOR_AREAS = Point("priorities.open_calls_for_areas", "fn(area_ids: list[int]) -> list", single=True)

# An account's access has ended (deactivated or removed): each capability revokes what it keeps that lets
# the account in without a session, such as a feed link. Called with the user inside the caller's
# transaction. Nothing registered: only the sessions and API tokens end.
ACCOUNT_ACCESS_ENDED = Point("auth.access_ended", "fn(user) -> None")

# An account is removed: each capability replaces the person where it names them (or forgets them) by
# the placeholder. Called with (user, placeholder) inside the caller's transaction. Nothing
# registered: only the account and the audit log are rewritten.
ACCOUNT_REMOVED = Point("auth.account_removed", "fn(user, placeholder: str) -> None")

# Panels on a joint project's page from capabilities built on projects (the requirement matrix per
# funder, say). Called with the project inside the request; returns rendered, escaped HTML (Markup).
# Nothing registered: the project page shows its own sections only.
PROJECT_PANELS = Point("projects.panels", "fn(project) -> Markup")

# Demo content for `flask seed --demo`. Called without arguments in the order the app factory wires
# the capabilities (each capability after the ones it builds on); returns a one-line summary.
DEMO_CONTENT = Point("core.demo_content", "fn() -> str")


class Registry:
    """The contributions of one app, point by point, in the order they were registered."""

    def __init__(self) -> None:
        self._by_point: dict[Point, list[Callable]] = {}

    def add(self, point: Point, fn: Callable) -> None:
        registered = self._by_point.setdefault(point, [])
        if point.single and registered:
            raise ValueError(f"{point.name} takes one contribution; {registered[0].__qualname__} is registered already")
        registered.append(fn)

    def functions(self, point: Point) -> tuple[Callable, ...]:
        return tuple(self._by_point.get(point, ()))


def registry() -> Registry:
    """The current app's registry (the app factory puts it in `app.extensions`)."""
    return current_app.extensions[EXTENSION]


def contributions(point: Point) -> tuple[Callable, ...]:
    """Every function registered at the point, in registration order (empty when there is none)."""
    return registry().functions(point)


def contribution(point: Point) -> Callable | None:
    """The one function registered at a single point, or None when no capability contributes one."""
    found = registry().functions(point)
    return found[0] if found else None
