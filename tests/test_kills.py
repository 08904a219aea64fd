"""Issue #8 — SIGKILL at random moments during send, purge, nettoyage-grilles and the Excel import, in a loop.

After every kill: the store opens (``init_store`` + a query), the output folders hold only complete files
(every CSV parses with its header; hidden ``.*.tmp`` temp files are tolerated and counted), the operation is
all-or-nothing, and a rerun completes the work. ``kill_loop`` is reused by ``benchmarks/soak.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from econn.store import connection as store

CLI = [sys.executable, "-m", "econn.cli"]


@dataclass
class KillStats:
    runs: int = 0
    killed_alive: int = 0          # SIGKILL landed while the process was still running
    finished_first: int = 0        # the process had already exited when the kill came
    temp_files: list[str] = field(default_factory=list)


def _env() -> dict[str, str]:
    return {**os.environ, "ECONN_LOCK_TIMEOUT": "300"}


def _kill_at_random(args: list[str], delay: float, stats: KillStats) -> None:
    proc = subprocess.Popen(CLI + args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    stats.runs += 1
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        stats.killed_alive += 1
    else:
        stats.finished_first += 1
    proc.wait()


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, check=False, env=_env(), capture_output=True, text=True, timeout=300)


def store_opens(ws: Path) -> None:
    """The store opens after the kill (a fresh process-level init + a query)."""
    store._ready.discard(str(store.db_path(ws).resolve()))  # force the migration check again
    store.init_store(ws)
    with store.connect(ws, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM history").fetchall()[0][0] >= 0


def complete_csvs(folder: Path, header_first: str, stats: KillStats, encoding: str = "utf-8-sig",
                  delimiter: str = ";") -> list[Path]:
    """Every visible CSV parses and starts with the expected header; hidden temp files are listed, not read."""
    if not folder.exists():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            assert p.name.endswith(".tmp"), p   # econn's temp files: hidden and .tmp, ignored by readers
            stats.temp_files.append(p.name)
            continue
        assert p.suffix == ".csv", f"unexpected file {p}"
        with p.open(encoding=encoding, newline="") as fh:
            rows = list(csv.reader(fh, delimiter=delimiter))
        assert rows and rows[0][0] == header_first, (p, rows[:1])
        width = len(rows[0])
        assert all(len(r) == width for r in rows), f"half a file: {p}"
        out.append(p)
    return out


# ------------------------------------------------------------------------------------------ scenarios


def kill_send(ws: Path, rng: random.Random, iterations: int, stats: KillStats) -> None:
    export = ws / "connecteurs" / "CSV" / "export"
    with store.connect(ws, read_only=True) as con:
        sends_before = con.execute("SELECT count(*) FROM history WHERE kind = 'envoi'").fetchall()[0][0]
    for _ in range(iterations):
        _kill_at_random(["send", "--connector", "CSV", "--workspace", str(ws)], rng.uniform(0.2, 1.6), stats)
        store_opens(ws)
        complete_csvs(export, "Code article", stats, encoding="cp1252")
    r = _run(["send", "--connector", "CSV", "--workspace", str(ws), "--json"])
    assert r.returncode == 0, r.stderr
    files = complete_csvs(export, "Code article", stats, encoding="cp1252")
    today = [p for p in files if p.name == f"articles_{dt.date.today():%Y%m%d}.csv"]
    assert today and sum(1 for _ in today[0].open(encoding="cp1252")) >= 2
    with store.connect(ws, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM history WHERE kind = 'envoi'").fetchall()[0][0] > sends_before


def kill_purge(ws: Path, rng: random.Random, iterations: int, stats: KillStats) -> None:
    now = dt.datetime.now()
    from econn import history

    limit = history.cutoff(history.retention_months(ws), now)
    q_old = "SELECT count(*) FROM history WHERE occurred_at < ? AND NOT (level = 'erreur' AND closed_at IS NULL)"
    q_open = "SELECT id FROM history WHERE level = 'erreur' AND closed_at IS NULL ORDER BY id"
    for k in range(iterations):
        # Fresh old rows each round so every run has work to do.
        with store.transaction(ws) as con:
            for i in range(300):
                history.add(con, "CSV", "reception", "succès", occurred_at=limit - dt.timedelta(days=3 + i % 40),
                            message=f"vieille ligne {k}-{i}")
        with store.connect(ws, read_only=True) as con:
            before = con.execute(q_old, [limit]).fetchall()[0][0]
            open_before = con.execute(q_open).fetchall()
        _kill_at_random(["history", "purge", "--workspace", str(ws)], rng.uniform(0.2, 1.2), stats)
        store_opens(ws)
        with store.connect(ws, read_only=True) as con:
            after = con.execute(q_old, [limit]).fetchall()[0][0]
            assert after in (0, before), (before, after)              # all or nothing
            assert con.execute(q_open).fetchall() == open_before      # open errors never purged
    r = _run(["history", "purge", "--workspace", str(ws), "--json"])
    assert r.returncode == 0, r.stderr
    with store.connect(ws, read_only=True) as con:
        assert con.execute(q_old, [limit]).fetchall()[0][0] == 0


def kill_cleanup(ws: Path, rng: random.Random, iterations: int, stats: KillStats) -> None:
    from econn.diagnostics import grid_cleanup

    backups = ws.parent / f"{ws.name}-sauvegardes"
    planned = {e["ref"] for e in grid_cleanup.plan(ws).extra["plan"]}
    assert planned
    args = ["diagnose", "nettoyage-grilles", "--workspace", str(ws), "--apply", "--backup-dir", str(backups),
            "--justification", "test SIGKILL"]
    for _ in range(iterations):
        _kill_at_random(args, rng.uniform(0.2, 1.2), stats)
        store_opens(ws)
        complete_csvs(backups, "id", stats)
        left = {e["ref"] for e in grid_cleanup.plan(ws).extra["plan"]}
        assert left in (set(), planned), left                          # all or nothing
    r = _run(args)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    assert not grid_cleanup.plan(ws).extra["plan"]
    saved = set()
    for p in complete_csvs(backups, "id", stats):
        with p.open(encoding="utf-8-sig", newline="") as fh:
            saved |= {row["ref"] for row in csv.DictReader(fh, delimiter=";")}
    assert planned <= saved                                            # every removed rule has its backup
    with store.connect(ws, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM price_grids WHERE ref IN (SELECT unnest(?))",
                           [sorted(planned)]).fetchall() == [(0,)]


def edited_workbook(ws: Path, out: Path, n: int) -> list[tuple[str, str, str]]:
    """Export the correspondences, then mark ``n`` tiers rows « a_creer » (GC value cleared)."""
    import openpyxl

    from econn.mappings.excel import export_xlsx

    export_xlsx(ws, out)
    wb = openpyxl.load_workbook(out)
    sheet = wb["Tiers"]
    keys = []
    for row in sheet.iter_rows(min_row=2):
        if len(keys) == n:
            break
        if row[0].value and row[1].value and (row[4].value or "") != "a_creer":
            row[3].value = None
            row[4].value = "a_creer"
            keys.append((str(row[0].value), str(row[1].value), str(row[2].value or "")))
    wb.save(out)
    return keys


def kill_mapping_import(ws: Path, rng: random.Random, iterations: int, stats: KillStats) -> None:
    book = ws.parent / f"{ws.name}-correspondances.xlsx"
    keys = edited_workbook(ws, book, 40)
    assert len(keys) == 40

    def marked() -> int:
        with store.connect(ws, read_only=True) as con:
            return sum(con.execute("SELECT count(*) FROM correspondences WHERE connector = ? AND domain = 'tiers' "
                                   "AND external_value = ? AND external_variant = ? AND state = 'a_creer'",
                                   [c, e, v]).fetchall()[0][0] for c, e, v in keys)

    args = ["mappings", "import", "--workspace", str(ws), "--xlsx", str(book)]
    for _ in range(iterations):
        if marked():      # an earlier kill came too late: start again from the unedited state
            with store.transaction(ws) as con:
                for c, e, v in keys:
                    con.execute("UPDATE correspondences SET state = 'non_verifie' WHERE connector = ? AND "
                                "domain = 'tiers' AND external_value = ? AND external_variant = ?", [c, e, v])
        _kill_at_random(args, rng.uniform(0.3, 2.5), stats)
        store_opens(ws)
        assert marked() in (0, len(keys))                              # one transaction: all or nothing
    r = _run(args)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    assert marked() == len(keys)


SCENARIOS: dict[str, Callable[[Path, random.Random, int, KillStats], None]] = {
    "send": kill_send, "purge": kill_purge, "nettoyage": kill_cleanup, "import_excel": kill_mapping_import,
}


def kill_loop(name: str, ws: Path, iterations: int, seed: int = 1) -> KillStats:
    stats = KillStats()
    SCENARIOS[name](ws, random.Random(seed), iterations, stats)
    return stats


@pytest.mark.timeout(150)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_sigkill_loop_then_rerun_completes(name: str, demo_workspace: Path) -> None:
    stats = kill_loop(name, demo_workspace, 3, seed=list(SCENARIOS).index(name) + 1)
    print(f"{name}: {stats}")
    assert stats.runs == 3
