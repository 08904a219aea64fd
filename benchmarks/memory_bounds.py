"""Peak memory (child process, ``resource.getrusage``) of preview / sniff / read_csv on hostile sizes (issue #8).

Files (kept under benchmarks/out/, git-ignored): a 1 GB generated CSV and a single 50 MB line.
Usage: python benchmarks/memory_bounds.py [--gb 1.0] [--line-mb 50]
Writes benchmarks/out/memory_bounds.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

CHILD = r"""
import resource, sys, time
from econn.errors import EconnError
what, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
status = "ok"
try:
    if what == "preview":
        from econn.cli import main
        sys.argv = ["econn", "preview", "--rows", "5", "--json", path]
        import io, contextlib
        with contextlib.redirect_stdout(io.StringIO()):
            main()
    elif what == "sniff":
        from econn.reading.sniffer import sniff
        sniff(path)
    elif what == "read_csv":
        from econn.reading.loaders import read_csv
        read_csv(path)
except EconnError as exc:
    status = "refused: " + exc.message_fr[:80]
except SystemExit as exc:
    status = f"exit {exc.code}"
print(status)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - t)
"""


def gen_big(path: Path, gb: float) -> None:
    target = int(gb * 1024 ** 3)
    if path.exists() and path.stat().st_size >= target:
        return
    row = "CMD{0:09d};15/03/2026;CLI{1:05d};Client n° {1};ART{2:04d};3;12,50;20\n"
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("N° commande;Date;Code client;Nom;Article;Quantité;Prix HT;TVA\n")
        n, size = 0, 0
        while size < target:
            block = "".join(row.format(n + i, (n + i) % 50000, (n + i) % 997) for i in range(20000))
            fh.write(block)
            size += len(block)
            n += 20000


def gen_line(path: Path, mb: int) -> None:
    if path.exists() and path.stat().st_size >= mb * 1024 ** 2:
        return
    with path.open("w", encoding="utf-8") as fh:
        fh.write("code;libelle\n")
        fh.write("A;" + "x" * (mb * 1024 ** 2) + "\n")


def measure(what: str, path: Path) -> dict[str, object]:
    r = subprocess.run(check=False, args=[sys.executable, "-c", CHILD, what, str(path)], capture_output=True, text=True, timeout=3600)
    lines = r.stdout.strip().splitlines()
    if r.returncode != 0 or len(lines) < 2:
        return {"op": what, "file": path.name, "status": f"CRASH rc={r.returncode} {r.stderr[-300:]}"}
    rss_kb, secs = lines[-1].split()
    return {"op": what, "file": path.name, "size_mb": round(path.stat().st_size / 1024 ** 2, 1),
            "status": lines[0], "peak_rss_mb": round(int(rss_kb) / 1024, 1), "seconds": round(float(secs), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gb", type=float, default=1.0)
    ap.add_argument("--line-mb", type=int, default=50)
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    big, line = OUT / "big_1gb.csv", OUT / "one_line_50mb.csv"
    t = time.perf_counter()
    gen_big(big, a.gb)
    gen_line(line, a.line_mb)
    print(f"files ready in {time.perf_counter() - t:.0f} s")
    base = measure("sniff", OUT / "tiny.csv") if (OUT / "tiny.csv").write_text("a;b\n1;2\n") or True else None
    rows = [base, measure("preview", big), measure("sniff", big), measure("preview", line), measure("sniff", line),
            measure("read_csv", line)]
    print(f"{'op':<9} {'file':<20} {'MB':>8} {'peak RSS MB':>12} {'s':>7}  status")
    for r in rows:
        print(f"{r['op']:<9} {r['file']:<20} {r.get('size_mb', ''):>8} {r.get('peak_rss_mb', ''):>12} "
              f"{r.get('seconds', ''):>7}  {r['status']}")
    (OUT / "memory_bounds.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
