"""Soft conflict: an agency behind a presenting region's best-matched areas does not take part in the round.

Pure logic over plain data (the ranked areas of the priorities capability as dicts); the service
looks the data up and adds these warnings to the scheduler's, so the planner acknowledges both the
same way before invitations go out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# A region's "theme" for this purpose: its best-ranked areas (at most TOP_AREAS) that score at least
# MIN_SCORE, plus every area a person has confirmed (a decided match).
TOP_AREAS = 5
MIN_SCORE = 0.4


@dataclass(frozen=True)
class AgencyGapWarning:
    """A presenting region's matched areas point to an agency that is not in the round.

    `key` is stable (round, region, agency) so an acknowledgement survives rescheduling."""

    code: str
    round_id: int | str
    region: str
    agency: str
    areas: tuple[str, ...]
    message_sv: str
    message_en: str

    @property
    def key(self) -> str:
        return f"{self.code}:{self.round_id}:{self.region}:{self.agency}"


def theme_areas(ranks: Sequence[Mapping], top: int = TOP_AREAS, min_score: float = MIN_SCORE) -> list[Mapping]:
    """The areas that make up a region's theme: decided matches and the best few above the threshold."""
    chosen = []
    for index, rank in enumerate(ranks):
        score = rank.get("score") or 0.0
        if rank.get("decided") or (index < top and score >= min_score):
            chosen.append(rank)
    return chosen


def agency_gap_warnings(
    round_id: int | str,
    participating: Iterable[str],
    region_ranks: Mapping[str, Sequence[Mapping]],
    region_names: Mapping[str, str] | None = None,
    agencies: Iterable[str] | None = None,
) -> list[AgencyGapWarning]:
    """One warning per (presenting region, missing agency).

    `participating`: organisation slugs in the round (lead and agencies).
    `region_ranks`: region slug -> ranked area dicts (`area_title`, `organisation_slug`,
    `organisation_name`, `score`, `decided`), best first.
    `agencies`: the organisation slugs that count as agencies (that could be invited to a round);
    None counts every organisation.
    """
    present = set(participating)
    allowed = set(agencies) if agencies is not None else None
    names = region_names or {}
    warnings = []
    for region in sorted(region_ranks):
        missing: dict[str, tuple[str, list[str]]] = {}
        for rank in theme_areas(region_ranks[region]):
            org = rank.get("organisation_slug")
            if not org or org in present or (allowed is not None and org not in allowed):
                continue
            entry = missing.setdefault(org, (rank.get("organisation_name") or org, []))
            entry[1].append(rank.get("area_title") or rank.get("area_slug") or "")
        region_name = names.get(region, region)
        for org in sorted(missing):
            org_name, areas = missing[org]
            listed = ", ".join(areas)
            warnings.append(AgencyGapWarning(
                "agency_missing", round_id, region, org, tuple(areas),
                f"{region_name} matchar {org_name} ({listed}), men {org_name} deltar inte i omgången.",
                f"{region_name} matches {org_name} ({listed}), but {org_name} does not take part in the round.",
            ))
    return warnings
