"""Precision@k and recall@k of the region ranking against labelled region–area links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    region: str
    area: str


@dataclass(frozen=True)
class Evaluation:
    k: int
    precision: float  # mean over areas of (labelled regions in the top k) / k
    recall: float  # labelled links found in the top k of their area / all labelled links
    areas: int
    links: int
    missed: tuple[Link, ...]


def evaluate(links: Iterable[Link], ranked_regions: Callable[[str], Sequence[str]], k: int) -> Evaluation:
    """`ranked_regions(area)` gives the engine's regions for an area, best first.

    Precision is macro-averaged over the labelled areas and divides by k even when fewer than
    k regions are ranked, so a short list is not rewarded for being short.
    """
    by_area: dict[str, set[str]] = defaultdict(set)
    for link in links:
        by_area[link.area].add(link.region)
    if not by_area:
        raise ValueError("no labelled links to evaluate")
    precisions, found, total, missed = [], 0, 0, []
    for area, regions in sorted(by_area.items()):
        top = list(ranked_regions(area))[:k]
        hits = regions & set(top)
        precisions.append(len(hits) / k)
        found += len(hits)
        total += len(regions)
        missed += [Link(r, area) for r in sorted(regions - hits)]
    return Evaluation(k, sum(precisions) / len(precisions), found / total, len(by_area), total, tuple(missed))
