"""Loader speed: floor vs ``econn.reading.loaders.read_csv`` vs ``econn preview``, interleaved, medians.

(A) floor: Python streaming transcode cp1252 → UTF-8 + DuckDB ``read_csv`` with the dialect given
    (all VARCHAR, into a table); (B) ``econn.reading.loaders.read_csv`` with the same dialect (adds the
    line index, rejects, ``_line``); (C) ``econn preview --rows 20`` as a whole process.
Each run is a child process that reports its own wall time and peak RSS (``ru_maxrss``);
A and B alternate so that machine load affects both alike. Targets: B ≤ 1.5 × A, C < 2 s.

Usage: ``python benchmarks/read_speed.py [--repeat 3] [--file benchmarks/out/big_orders_cp1252.csv]``
Writes ``benchmarks/out/read_speed.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
ROOT = Path(__file__).resolve().parent.parent

_FLOOR = r"""
import codecs, duckdb, resource, sys, tempfile, time, os
src = sys.argv[1]
t = time.perf_counter()
tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
dec = codecs.getincrementaldecoder("cp1252")()
with open(src, "rb") as f, tmp:
    while chunk := f.read(1 << 23):
        tmp.write(dec.decode(chunk).encode("utf-8"))
with open(src, "rb") as f:
    ncols = f.readline().count(b";") + 1
cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv(?, auto_detect=false, header=false, skip=1, delim=';', "
            f"quote='\"', escape='\"', columns={cols}, store_rejects=true)", [tmp.name])
n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
os.unlink(tmp.name)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""

_LOADER = r"""
import resource, sys, time
t = time.perf_counter()
from econn.reading.dialect import Dialect
from econn.reading.loaders import read_csv
r = read_csv(sys.argv[1], dialect=Dialect(encoding="cp1252", delimiter=";", line_terminator="\r\n"))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, r.rows_ok)
"""


def _child(code: str, path: Path) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip().splitlines()[-1].split()
    return float(out[0]), int(out[1]), int(out[2])


def _preview(path: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "econn.cli", "preview", str(path), "--rows", "20", "--json"],
                   capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--file", type=Path, default=OUT / "big_orders_cp1252.csv")
    args = ap.parse_args()
    if not args.file.exists():
        subprocess.run([sys.executable, str(Path(__file__).parent / "gen_big_csv.py"), "--out", str(args.file)],
                       check=True)
    runs: dict[str, list[tuple[float, int, int]]] = {"A": [], "B": [], "C": []}
    for i in range(args.repeat):
        order = ("A", "B") if i % 2 == 0 else ("B", "A")
        for k in order:
            runs[k].append(_child(_FLOOR if k == "A" else _LOADER, args.file))
        runs["C"].append((_preview(args.file), 0, 0))
    med = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    mem = {k: max(r[1] for r in v) / 1024 for k, v in runs.items() if k != "C"}
    size = args.file.stat().st_size
    result = {
        "file": str(args.file), "size_mb": round(size / 1e6, 1), "rows": runs["B"][0][2], "repeat": args.repeat,
        "cpu_count": os.cpu_count(), "load_avg": os.getloadavg(),
        "median_s": {k: round(v, 3) for k, v in med.items()},
        "all_s": {k: [round(r[0], 3) for r in v] for k, v in runs.items()},
        "peak_rss_mb": {k: round(v, 1) for k, v in mem.items()},
        "ratio_B_over_A": round(med["B"] / med["A"], 3),
        "targets": {"B_le_1.5A": med["B"] <= 1.5 * med["A"], "C_lt_2s": med["C"] < 2.0},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "read_speed.json").write_text(json.dumps(result, indent=2))
    print(f"File: {args.file} ({result['size_mb']} MB, {result['rows']} records), {args.repeat} interleaved runs\n")
    print("| run | median (s) | all runs (s) | peak RSS (MB) |")
    print("|---|---|---|---|")
    names = {"A": "A floor: transcode + DuckDB read_csv", "B": "B econn.reading.loaders.read_csv",
             "C": "C econn preview --rows 20 (process)"}
    for k in "ABC":
        print(f"| {names[k]} | {med[k]:.2f} | {', '.join(f'{x:.2f}' for x in result['all_s'][k])} | "
              f"{mem.get(k, float('nan')):.0f} |")
    print(f"\nB / A = {result['ratio_B_over_A']:.2f} (target ≤ 1.5); C median {med['C']:.2f} s (target < 2 s); "
          f"load average {result['load_avg'][0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
