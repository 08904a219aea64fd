"""Time every diagnostic on a fresh demo workspace (issue #6: each under 2 s, doublons-complet aside).

Usage: python benchmarks/diagnostics_speed.py [--repeat 3]
Each diagnostic runs in this process after one warm-up call (imports paid once, as in a dashboard
kernel); wall and CPU time are reported, medians over the repeats. Writes benchmarks/out/diagnostics_speed.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from econn.demo.build import build_demo
from econn.diagnostics import registry

NAMES = ["produits-absents", "tva", "doublons-simple", "doublons-complet", "grilles-prix", "nettoyage-grilles"]
OUT = Path(__file__).resolve().parent / "out" / "diagnostics_speed.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ws = Path(tempfile.mkdtemp(prefix="econn-diag-bench-")) / "demo"
    build_demo(ws)
    rows = []
    for name in NAMES:
        t0 = time.perf_counter()
        registry.run(name, ws)  # first call: imports and caches paid here, as in a dashboard kernel
        cold = time.perf_counter() - t0
        walls, cpus, counts = [], [], 0
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            res = registry.run(name, ws)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            counts = len(res.findings)
        rows.append({"diagnostic": name, "first_call_s": round(cold, 3), "wall_s": round(statistics.median(walls), 3),
                     "cpu_s": round(statistics.median(cpus), 3), "findings": counts})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, indent=1))
    print("| diagnostic | first call | median wall | median CPU | findings |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['diagnostic']} | {r['first_call_s']:.2f} s | {r['wall_s']:.2f} s | {r['cpu_s']:.2f} s "
              f"| {r['findings']} |")


if __name__ == "__main__":
    main()
