"""Reception under SIGKILL and concurrency: never half a document, never twice, a rerun completes."""

from __future__ import annotations

import csv
import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from econn import store

ROOT = Path(__file__).resolve().parent.parent
IMPORT = Path("connecteurs") / "CSV" / "import"


def _gen() -> object:
    spec = importlib.util.spec_from_file_location("gen_orders", ROOT / "benchmarks" / "gen_orders.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _file_lines(path: Path) -> Counter:
    with path.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return Counter(r[0] for r in rows[1:])


def _stored(ws: Path, prefix: str) -> dict[str, int]:
    with store.connect(ws, read_only=True) as con:
        return dict(con.execute("SELECT d.ext_number, count(l.line_no) FROM documents d LEFT JOIN document_lines l "
                                "ON l.document_id = d.id WHERE d.ext_number LIKE ? GROUP BY 1", [prefix + "%"])
                    .fetchall())


def _check_consistent(ws: Path, expected: Counter, prefix: str) -> int:
    stored = _stored(ws, prefix)
    assert all(stored[n] == expected[n] for n in stored), "a document lacks lines"
    with store.connect(ws, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM document_lines WHERE document_id NOT IN "
                           "(SELECT id FROM documents)").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM (SELECT 1 FROM documents GROUP BY connector, ext_number "
                           "HAVING count(*) > 1)").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM (SELECT 1 FROM payments GROUP BY document_id HAVING count(*) > 1)"
                           ).fetchall() == [(0,)]
        hist = con.execute("SELECT origin_number, count(*) FROM history WHERE kind = 'reception' AND "
                           "data_type = 'document' AND origin_number LIKE ? GROUP BY 1", [prefix + "%"]).fetchall()
        assert {n for n, _ in hist} == set(stored) and all(c == 1 for _, c in hist)
    return len(stored)


def _receive(ws: Path, src: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "econn.cli", "receive", "--workspace", str(ws), "--file",
                             str(src)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkill_mid_integration_then_rerun_completes(demo_workspace: Path) -> None:
    ws = demo_workspace
    src = ws / IMPORT / "bulk.csv"
    _gen().generate(ws, src, lines=20_000, seed=3, prefix="KL")
    expected = _file_lines(src)
    # groups of 100 documents with a 0.2 s pause after each: the kill lands mid-run, whatever the machine's speed
    env = {**os.environ, "ECONN_RECEPTION_BATCH": "100", "ECONN_TEST_GROUP_PAUSE": "0.2"}
    rng = random.Random(5)
    partial_counts = []
    for _ in range(3):
        before = len(_stored(ws, "KL"))
        proc = _receive(ws, src, env)
        # Kill after this run committed a group, at a random moment: mid-integration, not during startup.
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and len(_stored(ws, "KL")) == before:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        partial_counts.append(_check_consistent(ws, expected, "KL"))
    assert any(0 < n < len(expected) for n in partial_counts), partial_counts
    assert src.exists()                          # never renamed while documents were missing
    env.pop("ECONN_TEST_GROUP_PAUSE")
    rc = subprocess.run([sys.executable, "-m", "econn.cli", "receive", "--workspace", str(ws), "--file", str(src)],
                        env=env, capture_output=True, timeout=600).returncode
    assert rc == 0
    assert _check_consistent(ws, expected, "KL") == len(expected)
    assert not src.exists() and (ws / IMPORT / "bulk.bak").exists()


def test_two_processes_receive_the_same_file_once(demo_workspace: Path) -> None:
    ws = demo_workspace
    src = ws / IMPORT / "twice.csv"
    _gen().generate(ws, src, lines=3_000, seed=4, prefix="TW")
    expected = _file_lines(src)
    env = {**os.environ, "ECONN_RECEPTION_BATCH": "100"}
    procs = [_receive(ws, src, env), _receive(ws, src, env)]
    codes = [p.wait(timeout=600) for p in procs]
    assert codes == [0, 0], [p.stderr.read() for p in procs if p.stderr]
    assert _check_consistent(ws, expected, "TW") == len(expected)
    assert not src.exists() and len(list((ws / IMPORT).glob("twice*.bak"))) == 1
