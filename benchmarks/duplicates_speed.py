"""Wall time and peak memory of ``find_duplicates`` on generated tables, each size in a child process.

Usage::

    .venv/bin/python benchmarks/duplicates_speed.py                       # 100 000 records
    .venv/bin/python benchmarks/duplicates_speed.py --sizes 100000,1000000

Tables come from ``gen_customers.load_or_generate`` (cached parquet, generated on first use and not
timed). The child reports the time of ``find_duplicates`` alone and its ``ru_maxrss`` (peak RSS of
the whole child, so it includes the table itself). Writes ``benchmarks/out/duplicates_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
TARGETS = {100_000: 10.0, 1_000_000: 90.0}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
from gen_customers import load_or_generate
from duplicates_quality import ROLES
from econn.duplicates import find_duplicates
df = load_or_generate({n}, {seed})
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
res = find_duplicates(df, ROLES, id_column="id")
secs = time.perf_counter() - t0
u1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (u1.ru_utime + u1.ru_stime) - (u0.ru_utime + u0.ru_stime)
print(json.dumps({{"n": len(df), "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
                  "candidates": res.stats["candidates"],
                  "pairs": res.stats["pairs"], "clusters": res.stats["clusters"],
                  "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "rss_after_load_mb": round(rss0 / 1024)}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    results = []
    for n in (int(x) for x in a.sizes.split(",")):
        # Generate (or load) outside the timed child so the cache exists before timing.
        subprocess.run([sys.executable, str(HERE / "gen_customers.py"), "--n", str(n), "--seed", str(a.seed)],
                       check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([sys.executable, "-c", CHILD.format(here=str(HERE), n=n, seed=a.seed)],
                              check=False, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            print(proc.stderr[-3000:])
            raise SystemExit(2)
        # The JSON is the last line; anything before it on that line (a progress bar) is ignored.
        last = proc.stdout.strip().splitlines()[-1]
        r = json.loads(last[last.index("{"):])
        # The whole child (loading the table included), user + sys of all its threads.
        r["child_cpu_seconds"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
        r["target_seconds"] = TARGETS.get(n)
        r["ok"] = r["target_seconds"] is None or (r["seconds"] <= r["target_seconds"] and r["maxrss_mb"] <= 3072)
        results.append(r)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "duplicates_speed.json").write_text(json.dumps(results, indent=2))
    # CPU time (user + sys, all threads) of find_duplicates: the wall time depends on the machine's load.
    print("| records | seconds | CPU seconds | target | peak RSS (MB) | candidates | pairs | clusters |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['n']} | {r['seconds']} | {r['cpu_seconds']} | {r['target_seconds']} | {r['maxrss_mb']} | "
              f"{r['candidates']} | {r['pairs']} | {r['clusters']} |")


if __name__ == "__main__":
    main()
