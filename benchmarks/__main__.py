"""Run the benchmark modules and print every figure beside its target in one table.

    python -m benchmarks                 # every benchmarks/bench_*.py
    python -m benchmarks matching load   # only bench_matching and bench_load
    python -m benchmarks --list          # the modules there are
    python -m benchmarks --markdown      # the table as Markdown (for the README)

Benchmarks never decide a build: the exit code is 0 whether targets are met or missed, and 1 only
when a module crashed (the others still run and are shown).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from benchmarks.common import Figure, table


def module_names() -> list[str]:
    """Every bench_* module beside this file, found afresh each run (new modules join by themselves)."""
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                  if m.name.startswith("bench_"))


def run_module(name: str, printed: io.StringIO) -> list[Figure]:
    """Run one module's run(); what it prints or logs (migrations, servers) goes to `printed`."""
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        module = importlib.import_module(f"benchmarks.bench_{name}")
        return list(module.run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module names without bench_ (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmark modules and exit")
    parser.add_argument("--markdown", action="store_true", help="print the final table as Markdown")
    args = parser.parse_args(argv)
    names = module_names()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = [m for m in args.modules if m.removeprefix("bench_") not in names]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}; there are: {', '.join(names)}")
    wanted = [n for n in names if not args.modules or n in {m.removeprefix("bench_") for m in args.modules}]

    figures: list[Figure] = []
    crashed: list[str] = []
    for i, name in enumerate(wanted, start=1):
        print(f"[{i}/{len(wanted)}] {name} ...", end=" ", flush=True)
        started = time.perf_counter()
        printed = io.StringIO()
        try:
            found = run_module(name, printed)
        except Exception:  # noqa: BLE001 - one broken module must not hide the others' figures
            print(f"CRASHED after {time.perf_counter() - started:.0f} s")
            tail = printed.getvalue().strip().splitlines()[-10:]
            if tail:
                print("\n".join(tail))
            traceback.print_exc(limit=-3, file=sys.stdout)
            crashed.append(name)
            continue
        figures += found
        missed = sum(f.ok is False for f in found)
        print(f"{len(found)} figures, {missed} missed, {time.perf_counter() - started:.0f} s")

    print()
    print(table(figures, markdown=args.markdown))
    met = sum(f.ok is True for f in figures)
    missed = sum(f.ok is False for f in figures)
    print(f"\n{met} target(s) met, {missed} missed, {sum(f.ok is None for f in figures)} informational"
          + (f"; crashed: {', '.join(crashed)}" if crashed else "") + ".")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
