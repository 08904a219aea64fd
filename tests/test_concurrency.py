"""Issue #8 — 7 processes at once on one workspace: nothing lost, nothing twice, no lock error reaches anyone.

Two receptions of the SAME pending file, one reception of another connector's file, two processes editing
correspondences, one closing errors by hand and one purging the history, all started together (spawn) on one
copy of the demo workspace. ``run_round`` is reused by ``benchmarks/soak.py`` for longer runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import multiprocessing as mp
import os
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from econn import store

ROOT = Path(__file__).resolve().parent.parent
CSV_IMPORT = Path("connecteurs") / "CSV" / "import"
FACIL_IMPORT = Path("connecteurs") / "FACIL" / "import"
# The demo is built for the real today: its history spans the last months, its files are named by date.
PURGE_NOW = dt.datetime.combine(dt.date.today(), dt.time(12, 0))
PURGE_CUTOFF = (pd.Timestamp(PURGE_NOW) - pd.DateOffset(months=2)).to_pydatetime()   # 2-month retention


def _gen() -> Any:
    spec = importlib.util.spec_from_file_location("gen_orders", ROOT / "benchmarks" / "gen_orders.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


# ----------------------------------------------------------------------------------------------- workers


def _w_integrate(ws: str, connector: str, file: str) -> None:
    from econn.reception import ReceptionError, integrate

    try:
        res = integrate(ws, connector, file)
    except ReceptionError:
        # Only legitimate refusal: the twin process received the file first and renamed it to .bak.
        if Path(file).exists():
            raise
        return
    for fa in res.files:
        assert fa.error is None, fa.error


def _w_mappings(ws: str, connector: str, n: int) -> None:
    from econn.mappings.correspondences import set_mapping

    for i in range(n):
        set_mapping(ws, connector, "tiers", f"CONC-{connector}-{i}", None, state="aucune",
                    reason=f"edit {i}", user="concurrence")


def _w_close(ws: str, ids: list[int]) -> None:
    from econn import history

    for i in ids:
        history.resolve(ws, i, "ressaisi en GC (test de concurrence)", "concurrence")


def _w_purge(ws: str, times: int) -> None:
    from econn import history

    for _ in range(times):
        history.purge(ws, months=2, now=PURGE_NOW)


# ----------------------------------------------------------------------------------------------- checks


def _file_lines(path: Path) -> Counter:
    with path.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return Counter(r[0] for r in rows[1:])


def prepare(ws: Path, *, lines: int, seed: int, n_errors: int) -> dict[str, Any]:
    """Pending files and open errors for one round; returns what the checks need."""
    src = ws / CSV_IMPORT / f"conc_{seed}.csv"
    _gen().generate(ws, src, lines=lines, seed=seed, prefix=f"C{seed}X")
    from econn import history

    recent = PURGE_NOW - dt.timedelta(days=3, hours=2)
    old = PURGE_NOW - dt.timedelta(days=270)    # older than the purge cut-off: must survive while open
    to_close = [history.add(ws, "CSV", "erreur", "erreur", occurred_at=recent, code="TEST-CONC",
                            message=f"erreur à fermer {k}") for k in range(n_errors)]
    old_open = [history.add(ws, "FACIL", "erreur", "erreur", occurred_at=old, code="TEST-CONC",
                            message=f"erreur ancienne ouverte {k}") for k in range(3)]
    with store.connect(ws, read_only=True) as con:
        open_before = {r[0] for r in con.execute(
            "SELECT id FROM history WHERE level = 'erreur' AND closed_at IS NULL").fetchall()}
        facil_before = con.execute("SELECT count(*) FROM documents WHERE connector = 'FACIL'").fetchall()[0][0]
    facil = sorted((ws / FACIL_IMPORT).glob("livraisons_*.csv"))
    assert len(facil) == 1, f"the demo should have one FACIL delivery file: {facil}"
    return {"facil": facil[0], "src": src, "prefix": f"C{seed}X", "expected": _file_lines(src), "to_close": to_close,
            "old_open": old_open, "open_before": open_before, "facil_before": facil_before}


def run_round(ws: Path, *, lines: int = 1500, seed: int = 11, n_mappings: int = 25, n_errors: int = 12,
              purges: int = 4, join_timeout: float = 600) -> dict[str, int]:
    """One concurrency round on ``ws`` (a demo workspace copy); asserts; returns counts for the reliability table."""
    p = prepare(ws, lines=lines, seed=seed, n_errors=n_errors)
    os.environ["ECONN_LOCK_TIMEOUT"] = "300"     # inherited by the spawned children
    ctx = mp.get_context("spawn")
    facil = p["facil"]
    jobs: list[tuple[Any, tuple[Any, ...]]] = [
        (_w_integrate, (str(ws), "CSV", str(p["src"]))),
        (_w_integrate, (str(ws), "CSV", str(p["src"]))),
        (_w_integrate, (str(ws), "FACIL", str(facil))),
        (_w_mappings, (str(ws), "CSV", n_mappings)),
        (_w_mappings, (str(ws), "FACIL", n_mappings)),
        (_w_close, (str(ws), p["to_close"])),
        (_w_purge, (str(ws), purges)),
    ]
    procs = [ctx.Process(target=f, args=a) for f, a in jobs]
    for pr in procs:
        pr.start()
    deadline = time.monotonic() + join_timeout
    for pr in procs:
        pr.join(max(1.0, deadline - time.monotonic()))
    codes = [pr.exitcode for pr in procs]
    for pr in procs:
        if pr.is_alive():
            pr.kill()
    assert codes == [0] * len(procs), codes
    check(ws, p, n_mappings)
    ops = 3 + 2 * n_mappings + len(p["to_close"]) + purges
    return {"processes": len(procs), "operations": ops, "documents": len(p["expected"])}


def check(ws: Path, p: dict[str, Any], n_mappings: int) -> None:
    prefix, expected = p["prefix"], p["expected"]
    with store.connect(ws, read_only=True) as con:
        stored = dict(con.execute(
            "SELECT d.ext_number, count(l.line_no) FROM documents d LEFT JOIN document_lines l "
            "ON l.document_id = d.id WHERE d.connector = 'CSV' AND d.ext_number LIKE ? GROUP BY 1",
            [prefix + "%"]).fetchall())
        # Each document integrated once, with all its lines.
        assert stored == dict(expected), "missing document or lines"
        assert con.execute("SELECT count(*) FROM (SELECT 1 FROM documents GROUP BY connector, ext_number "
                           "HAVING count(*) > 1)").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM document_lines WHERE document_id NOT IN "
                           "(SELECT id FROM documents)").fetchall() == [(0,)]
        hist = con.execute("SELECT origin_number, count(*) FROM history WHERE kind = 'reception' AND "
                           "data_type = 'document' AND origin_number LIKE ? GROUP BY 1", [prefix + "%"]).fetchall()
        assert {n for n, _ in hist} == set(expected) and all(c == 1 for _, c in hist)
        facil_after = con.execute("SELECT count(*) FROM documents WHERE connector = 'FACIL'").fetchall()[0][0]
        # Every correspondence edit is there.
        for conn in ("CSV", "FACIL"):
            got = {r[0] for r in con.execute(
                "SELECT external_value FROM correspondences WHERE connector = ? AND domain = 'tiers' "
                "AND external_value LIKE ? AND state = 'aucune'", [conn, f"CONC-{conn}-%"]).fetchall()}
            assert got == {f"CONC-{conn}-{i}" for i in range(n_mappings)}
        # Every closed error is closed, no open error was purged.
        closed = con.execute("SELECT id, closed_at IS NOT NULL FROM history WHERE id IN (SELECT unnest(?))",
                             [p["to_close"]]).fetchall()
        assert sorted(closed) == sorted((i, True) for i in p["to_close"])
        still_open = {r[0] for r in con.execute(
            "SELECT id FROM history WHERE level = 'erreur' AND closed_at IS NULL").fetchall()}
        assert p["open_before"] - set(p["to_close"]) <= still_open
        assert set(p["old_open"]) <= still_open
        assert con.execute("SELECT count(*) FROM history WHERE occurred_at < ? AND NOT (level = 'erreur' "
                           "AND closed_at IS NULL)", [PURGE_CUTOFF]).fetchall() == [(0,)]
    assert facil_after == p["facil_before"] + 2                   # its two new deliveries, once
    assert not p["src"].exists() and len(list(p["src"].parent.glob(p["src"].stem + "*.bak"))) == 1
    assert not p["facil"].exists()


@pytest.mark.timeout(170)
def test_seven_processes_one_workspace_lose_nothing(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECONN_LOCK_TIMEOUT", "300")
    counts = run_round(demo_workspace, lines=1500, seed=11)
    assert counts["processes"] >= 6


def fresh_copy(template: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(template, dst)
    return dst
