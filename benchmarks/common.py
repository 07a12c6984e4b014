"""Shared helpers for the benchmark modules: timing by median and a uniform figure line."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure printed beside its target."""

    name: str
    value: float
    unit: str
    target: float | None = None
    # "max": the value must stay below the target; "min": at or above it (e.g. precision@k).
    direction: str = "max"

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.direction == "max" else self.value >= self.target

    def line(self) -> str:
        sign = "<" if self.direction == "max" else ">="
        target = "" if self.target is None else f"target {sign} {self.target:g} {self.unit}"
        verdict = {True: "OK", False: "MISSED", None: ""}[self.ok]
        return f"{self.name:<62} {self.value:>10.3f} {self.unit:<5} {target:<24} {verdict}"


def median_ms(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds; medians because the machines here are noisy."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak Python heap allocated while running `fn`, in MiB."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)
