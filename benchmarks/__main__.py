"""Run every benchmark module and print each figure beside its target.

    python -m benchmarks            # all
    python -m benchmarks matching   # only bench_matching
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = set(argv)
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    missed = 0
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n## {name.removeprefix('bench_')}")
        for figure in module.run():
            print(figure.line())
            missed += figure.ok is False
    print(f"\n{missed} figure(s) missed their target." if missed else "\nEvery figure met its target.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
