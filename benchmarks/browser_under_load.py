"""Run the browser tests while CPU-bound processes compete for the cores (``make test-under-load``).

A browser test that waits for time instead of an end state passes on a quiet machine and fails on a busy
one (a CI runner, a laptop compiling something). This runs ``pytest tests/browser`` ``--rounds`` times in a
row with ``--burners`` processes spinning beside it, prints each round's result (the whole output of round N
goes to benchmarks/out/browser_under_load_roundN.txt), and exits 1 if any round failed. Not part of ``make test``: one round takes as long as the browser tests themselves, or longer.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def _spin() -> None:
    while True:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burners", type=int, default=2)
    parser.add_argument("pytest_args", nargs="*", default=["tests/browser"],
                        help="what pytest runs (default: tests/browser)")
    args = parser.parse_args(argv)
    burners = [mp.Process(target=_spin, daemon=True) for _ in range(args.burners)]
    for b in burners:
        b.start()
    results = []
    try:
        for n in range(1, args.rounds + 1):
            start = time.monotonic()
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  *args.pytest_args], cwd=ROOT, capture_output=True, text=True)
            tail = [line for line in run.stdout.splitlines() if line.strip()][-1:]
            failed = [line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
            results.append(run.returncode)
            # The whole output of each round (tracebacks of a failure included), for the next look.
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"browser_under_load_round{n}.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
            print(f"round {n}/{args.rounds} with {args.burners} CPU-bound processes: exit {run.returncode}, "
                  f"{time.monotonic() - start:.0f} s — {tail[0] if tail else ''}", flush=True)
            for line in failed:
                print("  " + line, flush=True)
    finally:
        for b in burners:
            b.terminate()
    return 0 if all(rc == 0 for rc in results) else 1


if __name__ == "__main__":
    sys.exit(main())
