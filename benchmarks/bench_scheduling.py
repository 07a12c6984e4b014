"""Snabbdialog scheduling: three parallel rounds, shared presenters, five agencies attending.

Targets (issue "Snabbdialog"): 21 regions into three parallel rounds with five agencies under 200 ms
(median); 300 regions under 3 s. The synthetic rounds are built so every constraint is exercised:
a third of the regions present in two parallel rounds with the same person, a quarter have stated
unavailability, and the agencies' people attend one round each.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.common import Figure, median_ms, peak_mib
from synergy_app.dialogues.scheduling import Meeting, Presenter, RoundSpec, SlotPattern, make_slots, schedule

STHLM = ZoneInfo("Europe/Stockholm")
AGENCIES = ("Vinnova", "Tillväxtverket", "Energimyndigheten", "Formas", "Business Sweden")


def synthetic_rounds(regions: int, rounds: int = 3, seed: int = 11) -> list[RoundSpec]:
    rng = random.Random(seed)
    # Enough meeting days for every presenter plus a fifth spare: 15 slots a day (09:00-11:30).
    per_round = -(-regions * 4 // 3 // rounds)  # regions in one round plus shared ones
    days = max(1, -(-per_round * 6 // 5 // 15))
    specs = []
    region_names = [f"Region {i:03d}" for i in range(regions)]
    assigned: dict[int, list[str]] = {r: [] for r in range(rounds)}
    for index, name in enumerate(region_names):
        assigned[index % rounds].append(name)
        if (index // rounds) % 3 == 0:  # also presents in the next parallel round, with the same person
            assigned[(index + 1) % rounds].append(name)
    for r in range(rounds):
        round_id = f"round-{r}"
        meetings = [
            Meeting(
                round_id,
                datetime(2026, 3, 23, 9, 0, tzinfo=STHLM) + timedelta(days=d),
                datetime(2026, 3, 23, 11, 30, tzinfo=STHLM) + timedelta(days=d),
            )
            for d in range(days)
        ]
        slots = tuple(make_slots(meetings, SlotPattern(10)))
        presenters = []
        for name in assigned[r]:
            unavailable = ()
            if rng.random() < 0.25:
                start = slots[rng.randrange(len(slots))].start
                unavailable = ((start, start + timedelta(minutes=rng.choice((10, 30, 60)))),)
            presenters.append(Presenter(name, (f"{name}/strateg",), unavailable))
        attendees = tuple(
            f"{agency}/person-{k}" for a, agency in enumerate(AGENCIES) for k in range(2) if a % rounds == r
        )
        specs.append(RoundSpec(round_id, slots, tuple(presenters), attendees=attendees, meetings=tuple(meetings)))
    return specs


def run() -> list[Figure]:
    small = synthetic_rounds(21)
    large = synthetic_rounds(300)
    for specs in (small, large):
        result = schedule(specs)
        assert result.ok, result.conflicts
    return [
        Figure(
            "scheduling: 21 regions, 3 parallel rounds, 5 agencies (median)",
            median_ms(lambda: schedule(small)),
            "ms",
            200,
        ),
        Figure(
            "scheduling: 300 regions, 3 parallel rounds (median)",
            median_ms(lambda: schedule(large), repeat=3) / 1000,
            "s",
            3,
        ),
        # Measured on the small case: tracemalloc slows the large one several-fold.
        Figure("scheduling: 21 regions, peak memory", peak_mib(lambda: schedule(small)), "MiB"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
