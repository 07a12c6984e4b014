"""Shared helpers for the benchmark modules: timing by median and a uniform figure line."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

# A password the workspace's password rules accept (long, not common, not the e-mail), for benchmark users.
BENCH_PASSWORD = "kalender-och-projekt-mätning-2026"  # noqa: S105


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

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        # "max" figures pass at or below the target, "min" figures at or above it.
        return f"{'<=' if self.direction == 'max' else '>='} {self.target:g} {self.unit}"

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "info"}[self.ok]

    def line(self) -> str:
        target = f"target {self.target_text}" if self.target_text else ""
        verdict = {True: "OK", False: "MISSED", None: ""}[self.ok]
        return f"{self.name:<62} {self.value:>10.3f} {self.unit:<5} {target:<24} {verdict}"


def number(value: float) -> str:
    """Three significant figures at most, no exponent: 0.00712, 41.5, 2580."""
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 0.001 else f"{value:.2e}"


def table(figures: list[Figure], markdown: bool = False) -> str:
    """One table of every figure: name, median, unit, target and whether it was met."""
    rows = [(f.name, number(f.value), f.unit, f.target_text or "—", f.verdict) for f in figures]
    header = ("figure", "median", "unit", "target", "result")
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|--:|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    aligns = ("<", ">", "<", "<", "<")

    def fmt(row):
        return "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, aligns, widths, strict=True)).rstrip()

    return "\n".join([fmt(header), fmt(tuple("-" * w for w in widths)), *(fmt(r) for r in rows)])


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
