"""State-aid check speed: one 20-partner project, and 1,000 project files parsed, checked and reported.

The 1,000 files go through ``check_files``, the function behind ``check-project`` with several files:
once with the default number of worker processes (the target) and once in one process, so the cost per
file stays visible beside the parallel figure; then through the command itself, as a user runs it (the
app's start, the shipped data and the output included)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml

from benchmarks.common import Figure, median_ms
from synergy_app.stateaid.batch_check import available_cpus, check_files
from synergy_app.stateaid.check import check_project
from synergy_app.stateaid.exchange_rates import ExchangeRateTable
from synergy_app.stateaid.project_document import document_from_mapping
from synergy_app.stateaid.rulesets import load_rulesets

CATEGORIES = ("industrial_research", "experimental_development", "feasibility_study", "de_minimis")
SIZES = ("micro", "small", "medium", "large")


def project_mapping(partners: int, seed: int = 0) -> dict:
    """A plausible joint project: undertakings with two cost lines each, research organisations,
    state, regional, ERDF and private money, earlier de minimis aid."""
    people, costs, funding = [], [], []
    for i in range(partners):
        pid = f"p{i}"
        if i % 5 == 4:
            people.append({"id": pid, "name": f"Universitet {i}", "kind": "research_organisation"})
            costs.append({"partner": pid, "category": "non_economic", "amount_sek": 1_000_000 + seed})
            funding.append({"source": "vinnova", "kind": "state", "partner": pid, "category": "non_economic",
                            "amount_sek": 1_000_000 + seed})
            continue
        people.append({"id": pid, "name": f"Företag {i} AB", "kind": "undertaking", "size": SIZES[i % 4],
                       "de_minimis_received": [{"date": "2025-02-01", "amount_eur": 50_000}]})
        for j, category in enumerate(CATEGORIES[i % 3: i % 3 + 2]):
            amount = 2_000_000 + 10_000 * i + j + seed
            costs.append({"partner": pid, "category": category, "amount_sek": amount})
            funding.append({"source": "vinnova", "kind": "state", "partner": pid, "category": category,
                            "amount_sek": amount // 5})
            funding.append({"source": "eruf-ovre-norrland", "kind": "erdf", "partner": pid, "category": category,
                            "amount_sek": amount // 10})
            funding.append({"source": "region", "kind": "regional", "partner": pid, "category": category,
                            "amount_sek": amount // 20})
            funding.append({"source": pid, "kind": "private", "partner": pid, "amount_sek": amount - amount * 7 // 20})
    return {"title": f"Benchmarkprojekt {seed}", "grant_date": "2026-03-01", "application_date": "2026-01-15",
            "work_start": "2026-04-01", "exchange_rate_eur_sek": "11.2",
            "collaboration": {"effective": True, "research_organisations_may_publish": True},
            "partners": people, "costs": costs, "funding": funding}


def _command(folder: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "synergy_app", "check-project", folder],
                   stdout=subprocess.DEVNULL, env=os.environ | {"FLASK_DEBUG": "0"}, check=False)


def _cpu_seconds() -> float:
    """User and system time of this process and of its ended worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run() -> list[Figure]:
    rulesets = load_rulesets()
    rates = ExchangeRateTable()
    programme_rates = {"eruf-ovre-norrland": Decimal("0.40")}
    doc = document_from_mapping(project_mapping(20))
    single = median_ms(lambda: check_project(doc, rulesets, exchange_rates=rates, programme_rates=programme_rates),
                       repeat=15)

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(1000):
            path = Path(tmp) / f"project-{n}.yaml"
            path.write_text(yaml.safe_dump(project_mapping(5 + n % 16, seed=n), allow_unicode=True), encoding="utf-8")
            paths.append(path)
        jobs = available_cpus()
        cpu_seconds: list[float] = []

        def check_all() -> None:
            before = _cpu_seconds()
            check_files(paths)
            cpu_seconds.append(_cpu_seconds() - before)

        batch = median_ms(check_all, repeat=3, warmup=0) / 1000
        one_process = median_ms(lambda: check_files(paths, jobs=1), repeat=3, warmup=0) / 1000
        command = median_ms(lambda: _command(tmp), repeat=3, warmup=0) / 1000

    processes = f"{jobs} process{'es' if jobs != 1 else ''}"
    return [
        Figure("stateaid: check a 20-partner project (median)", single, "ms", 20),
        Figure(f"stateaid: parse and check 1,000 project files (5-20 partners), median of 3 ({processes})",
               batch, "s", 3),
        Figure("stateaid: parse and check 1,000 project files, 1 process (median of 3)", one_process, "s"),
        # What a user waits for: the app's start (every capability imported) and the output included.
        Figure("stateaid: `flask check-project` on the 1,000 files, whole command (median of 3)", command, "s"),
        # CPU time of the parent and its workers: what the run costs when other work holds the cores too
        # (on an otherwise idle machine the wall time is about this divided by the processes).
        Figure(f"stateaid: 1,000 project files, CPU time of all {processes} (median of 3)",
               statistics.median(cpu_seconds), "s"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
