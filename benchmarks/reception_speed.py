"""Reception speed: load alone, analysis, analysis + integration of a 100,000-line orders file.

    .venv/bin/python benchmarks/reception_speed.py [--lines 100000] [--seed 7]

Builds a fresh demo workspace in a temporary folder, generates the file (cp1252, the demo's layout,
articles and customers that exist in the workspace: everything integrates), then measures each step
``--repeat`` times (load and analysis: median; analysis + integration: once, it renames the file) and
writes ``benchmarks/out/reception_speed.json`` with wall time and process CPU time (user + sys, all
threads: the machine is shared, wall time alone misleads). Targets (2-core machine): analysis +
integration < 20 s; analysis alone ≤ 3 × the load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_orders import generate  # noqa: E402

from econn.demo.build import build_demo  # noqa: E402
from econn.reading.loaders import read_csv  # noqa: E402
from econn.reception import analyze, integrate  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "reception_speed.json"


def _cpu() -> float:
    """Process CPU time (user + sys, seconds): the machine is shared, wall time alone misleads."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _median(timers: list[_Timer]) -> _Timer:
    """Median wall and median CPU (each on its own) of repeated measures."""
    out = _Timer()
    out.wall, out.cpu = statistics.median(t.wall for t in timers), statistics.median(t.cpu for t in timers)
    out.samples = [(round(t.wall, 3), round(t.cpu, 3)) for t in timers]
    return out


class _Timer:
    samples: list[tuple[float, float]]

    def __enter__(self) -> Self:
        self.w0, self.c0 = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.w0, _cpu() - self.c0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Reception speed benchmark")
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeat", type=int, default=3, help="runs of load and analysis (median reported)")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="econn-bench-") as tmp:
        ws = Path(tmp) / "demo"
        build_demo(ws)
        src = Path(tmp) / "orders.csv"
        gen = generate(ws, src, lines=a.lines, seed=a.seed)
        size = src.stat().st_size
        loads, analyses = [], []
        for _ in range(a.repeat):   # the machine is shared: median of a few runs (analysis writes nothing)
            with _Timer() as t:
                res = read_csv(src)
            res.con.close()
            loads.append(t)
            with _Timer() as t:
                an = analyze(ws, "CSV", src)
            counts = an.files[0].counts()
            an.close()
            analyses.append(t)
        t_load, t_an = _median(loads), _median(analyses)
        with _Timer() as t_tot:
            done = integrate(ws, "CSV", src)
        f = done.files[0]
        integrated = f.counts()["integrated"]
    t_total = t_tot.wall
    report = {
        "lines": gen["lines"], "documents": gen["documents"], "file_bytes": size,
        "load_s": round(t_load.wall, 3), "analysis_s": round(t_an.wall, 3),
        "analysis_plus_integration_s": round(t_total, 3),
        "analysis_over_load": round(t_an.wall / t_load.wall, 2),
        "load_cpu_s": round(t_load.cpu, 3), "analysis_cpu_s": round(t_an.cpu, 3),
        "analysis_plus_integration_cpu_s": round(t_tot.cpu, 3),
        "analysis_over_load_cpu": round(t_an.cpu / t_load.cpu, 2),
        "repeat": a.repeat, "load_samples_wall_cpu": t_load.samples, "analysis_samples_wall_cpu": t_an.samples,
        "lines_per_s": round(gen["lines"] / t_total), "documents_per_s": round(gen["documents"] / t_total),
        "analysis_counts": counts, "integrated": integrated, "renamed_to_bak": f.renamed_to is not None,
        "load_average": list(os.getloadavg()), "python": platform.python_version(), "machine": platform.machine(),
        "targets": {"analysis_plus_integration_s": 20, "analysis_over_load": 3},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"{gen['lines']} lignes, {gen['documents']} documents")
    print(f"                       mur (wall)    CPU (user+sys)   [médianes de {a.repeat} mesures ; intégration : 1]")
    print(f"chargement seul      : {t_load.wall:6.2f} s     {t_load.cpu:6.2f} s")
    print(f"analyse              : {t_an.wall:6.2f} s     {t_an.cpu:6.2f} s   "
          f"({t_an.wall / t_load.wall:.1f} × le chargement en mur, {t_an.cpu / t_load.cpu:.1f} × en CPU)")
    print(f"analyse + intégration: {t_total:6.2f} s     {t_tot.cpu:6.2f} s   "
          f"({gen['lines'] / t_total:,.0f} lignes/s, "
          f"{gen['documents'] / t_total:,.0f} documents/s) ; {integrated} intégrés")
    print(f"→ {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
