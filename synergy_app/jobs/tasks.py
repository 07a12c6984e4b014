"""The functions RQ workers run. Each runs in the worker's application context (see worker.py)."""

from __future__ import annotations

from ..notify import delivery
from . import periodic


def deliver(ids: list[int]) -> dict:
    outcome = delivery.deliver(ids)
    return vars(outcome)


def drain() -> dict:
    return vars(delivery.drain())


def periodic_pass() -> int:
    rows = periodic.run_pass()
    delivery.drain()
    return len(rows)
