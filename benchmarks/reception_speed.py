"""Reception speed: load alone, analysis, analysis + integration of a 100,000-line orders file.

    .venv/bin/python benchmarks/reception_speed.py [--lines 100000] [--seed 7]

Builds a fresh demo workspace in a temporary folder, generates the file (cp1252, the demo's layout,
articles and customers that exist in the workspace: everything integrates), then measures each step
once and writes ``benchmarks/out/reception_speed.json``. Targets (2-core machine): analysis +
integration < 20 s; analysis alone ≤ 3 × the load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_orders import generate  # noqa: E402

from econn.demo import build_demo  # noqa: E402
from econn.loaders import read_csv  # noqa: E402
from econn.reception import analyze, integrate  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "reception_speed.json"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Reception speed benchmark")
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="econn-bench-") as tmp:
        ws = Path(tmp) / "demo"
        build_demo(ws)
        src = Path(tmp) / "orders.csv"
        gen = generate(ws, src, lines=a.lines, seed=a.seed)
        size = src.stat().st_size
        t0 = time.perf_counter()
        res = read_csv(src)
        t_load = time.perf_counter() - t0
        res.con.close()
        t0 = time.perf_counter()
        an = analyze(ws, "CSV", src)
        t_analysis = time.perf_counter() - t0
        counts = an.files[0].counts()
        an.close()
        t0 = time.perf_counter()
        done = integrate(ws, "CSV", src)
        t_total = time.perf_counter() - t0
        f = done.files[0]
        integrated = f.counts()["integrated"]
    report = {
        "lines": gen["lines"], "documents": gen["documents"], "file_bytes": size,
        "load_s": round(t_load, 3), "analysis_s": round(t_analysis, 3),
        "analysis_plus_integration_s": round(t_total, 3),
        "analysis_over_load": round(t_analysis / t_load, 2),
        "lines_per_s": round(gen["lines"] / t_total), "documents_per_s": round(gen["documents"] / t_total),
        "analysis_counts": counts, "integrated": integrated, "renamed_to_bak": f.renamed_to is not None,
        "load_average": list(os.getloadavg()), "python": platform.python_version(), "machine": platform.machine(),
        "targets": {"analysis_plus_integration_s": 20, "analysis_over_load": 3},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"{gen['lines']} lignes, {gen['documents']} documents")
    print(f"chargement seul      : {t_load:6.2f} s")
    print(f"analyse              : {t_analysis:6.2f} s  ({t_analysis / t_load:.1f} × le chargement)")
    print(f"analyse + intégration: {t_total:6.2f} s  ({gen['lines'] / t_total:,.0f} lignes/s, "
          f"{gen['documents'] / t_total:,.0f} documents/s) ; {integrated} intégrés")
    print(f"→ {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
