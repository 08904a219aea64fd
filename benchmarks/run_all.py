"""Run every benchmark in turn (``make bench``); each prints its own table and writes benchmarks/out/*.json.

Usage: python benchmarks/run_all.py [--quick]
``--quick`` skips the largest inputs (1,000,000 customers, the 10,000,000-row history, the 1 GB file).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    quick = ap.parse_args().quick
    steps: list[list[str]] = [
        ["dialect_accuracy.py"],
        ["gen_big_csv.py"], ["read_speed.py", "--repeat", "3"],
        ["reception_speed.py"],
        ["diagnostics_speed.py", "--repeat", "3"],
        ["duplicates_quality.py", "--n", "20000", "--seed", "7"],
        ["duplicates_speed.py", "--sizes", "100000" if quick else "100000,1000000"],
        ["history_speed.py", "--rows", "1000000" if quick else "10000000", "--repeat", "25"],
        # Every page at rest, preheated then cold (a fresh demo, its own Voilà and Chromium).
        ["page_speed.py", "--repeat", "2" if quick else "5", "--pause", "1", "--quiet-wait", "5"],
        ["page_speed.py", "--repeat", "2" if quick else "5", "--pause", "1", "--quiet-wait", "5", "--cold"],
    ]
    if not quick:
        steps.append(["memory_bounds.py"])
    failed = []
    for step in steps:
        t0 = time.monotonic()
        print(f"\n## {' '.join(step)}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / step[0]), *step[1:]])
        print(f"({time.monotonic() - t0:.0f} s, exit {rc})", flush=True)
        if rc:
            failed.append(step[0])
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
