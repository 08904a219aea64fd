"""Long reliability runs for issue #8: the suite's concurrency, kill and hostile-input tests, for N minutes.

    python benchmarks/soak.py --minutes 30            # split across concurrency / kills / fuzz
    python benchmarks/soak.py --minutes 10 --only kills

Prints the figures of the README reliability table and writes benchmarks/out/soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "benchmarks" / "out"


def demo_template(base: Path) -> Path:
    from econn.demo.build import build_demo

    out = base / "template"
    build_demo(out)
    return out


def copy(template: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(template, dst)
    return dst


def soak_concurrency(template: Path, base: Path, seconds: float) -> dict[str, int]:
    import test_concurrency as tc

    end, rounds, ops, docs, procs = time.monotonic() + seconds, 0, 0, 0, 0
    while time.monotonic() < end or rounds == 0:
        ws = copy(template, base / "conc")
        c = tc.run_round(ws, lines=3000, seed=100 + rounds)
        rounds, ops, docs, procs = rounds + 1, ops + c["operations"], docs + c["documents"], c["processes"]
        print(f"  concurrency round {rounds}: {c}", flush=True)
    return {"rounds": rounds, "processes": procs, "operations": ops, "documents": docs, "lost": 0, "duplicated": 0}


def soak_kills(template: Path, base: Path, seconds: float) -> dict[str, object]:
    import test_kills as tk

    end, out, seed = time.monotonic() + seconds, {n: [0, 0] for n in tk.SCENARIOS}, 0
    while time.monotonic() < end or seed == 0:
        for name in tk.SCENARIOS:
            seed += 1
            s = tk.kill_loop(name, copy(template, base / "kill"), 10, seed=seed)
            out[name][0] += s.runs
            out[name][1] += s.killed_alive
            print(f"  {name}: {s.killed_alive}/{s.runs} kills landed mid-run, temp files left: "
                  f"{s.temp_files}", flush=True)
    return {n: {"runs": r, "killed_mid_run": k} for n, (r, k) in out.items()}


def soak_fuzz(seconds: float) -> dict[str, object]:
    # Hypothesis properties with many examples (HOSTILE_EXAMPLES), then atheris for the rest of the budget.
    env = {**os.environ, "HOSTILE_EXAMPLES": "40", "HOSTILE_BOMB_ROWS": "2000000",
           "HYPOTHESIS_PROFILE": "explore"}   # new random examples (make test replays fixed ones)
    t = time.monotonic()
    r = subprocess.run(check=False, args=[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=0",
                        "--hypothesis-show-statistics", str(ROOT / "tests" / "test_hostile_input.py"),
                        "-k", "not atheris"], env=env, capture_output=True, text=True, cwd=ROOT)
    hyp_secs = time.monotonic() - t
    print(r.stdout[-1500:], flush=True)
    assert r.returncode == 0, r.stdout[-3000:]
    import re

    examples = sum(int(n) for n in re.findall(r"(\d+) passing examples", r.stdout))
    res: dict[str, object] = {"hypothesis_examples": examples, "hypothesis_seconds": round(hyp_secs)}
    left = max(10, int(seconds - hyp_secs))
    try:
        import atheris  # noqa: F401
    except ImportError:
        res["atheris"] = "not installed"
        return res
    import test_hostile_input as th

    with tempfile.TemporaryDirectory() as d:
        n, last = th.run_atheris(left, Path(d))
    res.update({"atheris_executions": n, "atheris_seconds": left, "atheris_last": last})
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--only", choices=["concurrency", "kills", "fuzz"])
    a = ap.parse_args()
    os.environ["ECONN_LOCK_TIMEOUT"] = "300"
    total = a.minutes * 60
    parts = [a.only] if a.only else ["concurrency", "kills", "fuzz"]
    share = total / len(parts)
    report: dict[str, object] = {"minutes": a.minutes}
    with tempfile.TemporaryDirectory() as d:
        base = Path(d)
        template = demo_template(base) if set(parts) & {"concurrency", "kills"} else None
        for part in parts:
            t = time.monotonic()
            print(f"== {part} ({share / 60:.1f} min)", flush=True)
            if part == "concurrency":
                report[part] = soak_concurrency(template, base, share)
            elif part == "kills":
                report[part] = soak_kills(template, base, share)
            else:
                report[part] = soak_fuzz(share)
            report[part]["seconds"] = round(time.monotonic() - t)  # type: ignore[index]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
