"""Two gunicorn instances on one database (SQLite file, or PostgreSQL when DATABASE_URL says so):
50 clients booking one slot, the same budget saved from both instances, the same ICS file imported twice."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure

CLIENTS = 50


def run() -> list[Figure]:
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)  # the live-server helpers live beside the tests
    from tests.concurrency.two_instances import book_one_slot, edit_budget_twice, import_ics_twice, two_instances

    with tempfile.TemporaryDirectory() as tmp, two_instances(Path(tmp)) as setup:
        booking = book_one_slot(setup, clients=CLIENTS)
        budget = edit_budget_twice(setup)
        imported = import_ics_twice(setup)

    refused = sorted(budget.web.statuses) == [200, 409] and sorted(budget.api.statuses) == [200, 409]
    return [
        Figure(f"two instances: {CLIENTS} concurrent bookings -> one 201", booking.counts[201], "201s", 1,
               direction="min"),
        Figure(f"two instances: {CLIENTS} concurrent bookings -> 409 for the rest", booking.counts[409], "409s",
               CLIENTS - 1, direction="min"),
        Figure("two instances: bookings stored for the slot", booking.stored, "rows", 1),
        Figure("two instances: median latency of a booking request", booking.median_ms, "ms", 300),
        Figure("two instances: same budget saved twice -> second refused (web+API)", 1 if refused else 0, "ok", 1,
               direction="min"),
        Figure("two instances: ICS imported twice at once -> calls missing or doubled",
               abs(imported.stored - setup.new_calls_in_file), "calls", 0),
        Figure("two instances: ICS imported twice at once -> server errors", imported.statuses.count(500), "500s", 0),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
