"""Dialect-detection accuracy of econn.sniff on the CSVsniffer / csv-nose corpora.

Runs the shared scorer (``csv_dialect_score.py``) on pollock, w3c-csvw and csv-wrangling, prints a
markdown table (corpus, files, accuracy, max time per file) and writes
``benchmarks/out/dialect_accuracy.json``. The corpus folder comes from ``$ECONN_BENCH_CSV``,
else ``../shared/benchmarks/csv-dialects`` next to the repository; the scorer from
``$ECONN_DIALECT_SCORER``, else ``tools/csv_dialect_score.py`` beside that ``benchmarks`` folder.

Usage: ``.venv/bin/python benchmarks/dialect_accuracy.py [--failures]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = ("pollock", "w3c-csvw", "csv-wrangling")
# Best peer per corpus (delimiter + quote accuracy): stdlib csv.Sniffer, duckdb sniff_csv, clevercsv.
TARGETS = {"pollock": 0.952, "w3c-csvw": 0.995, "csv-wrangling": 0.837}
DETECTOR = "econn.reading.sniffer:sniff"


def main(argv: list[str] | None = None) -> int:
    """Run the scorer, print the table, write the JSON; exit 1 when a target or the 1 s limit is missed."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--failures", action="store_true", help="list the files detected wrongly")
    args = ap.parse_args(argv)
    data = Path(os.environ.get("ECONN_BENCH_CSV", REPO.parent / "shared" / "benchmarks" / "csv-dialects"))
    scorer = Path(os.environ.get("ECONN_DIALECT_SCORER", data.parent.parent / "tools" / "csv_dialect_score.py"))
    if not data.is_dir() or not scorer.is_file():
        print(f"corpus {data} or scorer {scorer} not found (set ECONN_BENCH_CSV)", file=sys.stderr)
        return 2
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    raw_json = out / "dialect_accuracy_raw.json"
    cmd = [sys.executable, str(scorer), DETECTOR, "--data-dir", str(data), "--datasets", ",".join(CORPORA),
           "--json", str(raw_json), "--timeout", "10"]
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    report = json.loads(raw_json.read_text())
    rows, ok = [], True
    print("| corpus | files | accuracy (delimiter + quote) | target | failures | max time per file |")
    print("|---|---|---|---|---|---|")
    for s in report["summary"]:
        passed = s["acc"] > TARGETS[s["dataset"]] and s["fail"] == 0 and s["max_ms"] < 1000
        ok &= passed
        rows.append({"corpus": s["dataset"], "files": s["present"], "missing": s["missing"], "ok": s["ok"],
                     "accuracy": round(s["acc"], 4), "target": TARGETS[s["dataset"]], "failures": s["fail"],
                     "max_ms": round(s["max_ms"], 1), "slowest": s["slowest"], "passed": passed})
        print(f"| {s['dataset']} | {s['present']} | {100 * s['acc']:.1f} % ({s['ok']}) | "
              f"> {100 * TARGETS[s['dataset']]:.1f} % | {s['fail']} | {s['max_ms']:.0f} ms |")
    wrong = [{"corpus": f["dataset"], "file": f["file"], "detected": f["detected"], "error": f["error"],
              "expected": f["expected"]} for f in report["files"] if not f["ok"]]
    (out / "dialect_accuracy.json").write_text(json.dumps(
        {"detector": DETECTOR, "command": " ".join(cmd), "results": rows, "wrong": wrong}, indent=1, default=str))
    raw_json.unlink()
    if args.failures:
        for w in wrong:
            got = w["error"] or f"{w['detected']['delimiter']!r} {w['detected'].get('quotechar')!r}"
            print(f"- {w['corpus']}/{w['file']}: {got}, expected "
                  f"{w['expected']['delimiter']!r} {w['expected']['quotechar']!r}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
