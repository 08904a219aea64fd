"""Peak memory (child process, ``resource.getrusage``) of preview / sniff / read_csv on hostile sizes (issue #8),
and of the .xlsx guard on shared-string bombs (issue #17: refused in under 5 s with under 300 MB extra).

Files (kept under benchmarks/out/, git-ignored): a 1 GB generated CSV, a single 50 MB line, and two .xlsx whose
cells all reference one big shared string (500 × 1 MB, 8.5 KB on disk; 2,000 × 8 MB, 32 KB on disk).
Usage: python benchmarks/memory_bounds.py [--gb 1.0] [--line-mb 50] [--only csv|xlsx]
Writes benchmarks/out/memory_bounds.json and prints a table (``extra MB``: peak RSS over the same child's
RSS after its imports, before the file).
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
import econn.reading.reference, econn.mappings.excel, econn.reading.xlsx_guard, pandas, openpyxl
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
    elif what == "xlsx_guard":
        from econn.reading.xlsx_guard import check_xlsx
        check_xlsx(path)
    elif what == "xlsx_reference":
        import tempfile
        from econn import store
        from econn.reading.reference import import_reference
        ws = tempfile.mkdtemp(prefix="econn-bench-")
        store.init_store(ws)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        import_reference(ws, "articles", path)
except EconnError as exc:
    status = "refused: " + exc.message_fr[:80]
except SystemExit as exc:
    status = f"exit {exc.code}"
print(status)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - t, base)
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
    rss_kb, secs, base_kb = lines[-1].split()
    return {"op": what, "file": path.name, "size_mb": round(path.stat().st_size / 1024 ** 2, 3),
            "status": lines[0], "peak_rss_mb": round(int(rss_kb) / 1024, 1),
            "extra_mb": round((int(rss_kb) - int(base_kb)) / 1024, 1), "seconds": round(float(secs), 2)}


def gen_xlsx_bombs() -> list[Path]:
    """The two shared-string bombs of issue #17 (same generator as tests/test_hostile_input.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.test_hostile_input import write_sst_bomb

    small, big = OUT / "sst_500x1mb.xlsx", OUT / "sst_2000x8mb.xlsx"
    if not small.exists():
        write_sst_bomb(small, refs=500, string_mb=1)
    if not big.exists():
        write_sst_bomb(big, refs=2000, string_mb=8)
    return [small, big]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gb", type=float, default=1.0)
    ap.add_argument("--line-mb", type=int, default=50)
    ap.add_argument("--only", choices=["csv", "xlsx"], default=None)
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    if a.only != "xlsx":
        big, line = OUT / "big_1gb.csv", OUT / "one_line_50mb.csv"
        t = time.perf_counter()
        gen_big(big, a.gb)
        gen_line(line, a.line_mb)
        print(f"files ready in {time.perf_counter() - t:.0f} s")
        (OUT / "tiny.csv").write_text("a;b\n1;2\n")
        rows += [measure("sniff", OUT / "tiny.csv"), measure("preview", big), measure("sniff", big),
                 measure("preview", line), measure("sniff", line), measure("read_csv", line)]
    if a.only != "csv":
        for bomb in gen_xlsx_bombs():
            rows += [measure("xlsx_guard", bomb), measure("xlsx_reference", bomb)]
    print(f"{'op':<15} {'file':<20} {'MB':>8} {'peak RSS MB':>12} {'extra MB':>9} {'s':>7}  status")
    for r in rows:
        print(f"{r['op']:<15} {r['file']:<20} {r.get('size_mb', ''):>8} {r.get('peak_rss_mb', ''):>12} "
              f"{r.get('extra_mb', ''):>9} {r.get('seconds', ''):>7}  {r['status']}")
    (OUT / "memory_bounds.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
