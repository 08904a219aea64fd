"""The store: schema and migrations, foreign or damaged files, the lock policy across processes."""

from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import threading
import time
from pathlib import Path

import duckdb
import pytest

from econn.store import connection as store
from econn.errors import StoreBusyError, StoreError, WorkspaceError
from econn.store.schema import LATEST_VERSION


def test_new_workspace_is_migrated(workspace: Path) -> None:
    with store.connect(workspace, read_only=True) as con:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert int(version) == LATEST_VERSION
    for t in ("connectors", "articles", "tiers", "tva_codes", "units", "countries", "payment_methods",
              "price_grids", "correspondences", "received_files", "documents", "document_lines", "history",
              "findings"):
        assert t in tables


def test_missing_workspace_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as err:
        with store.connect(tmp_path / "nowhere"):
            pass
    assert "Aucun espace de travail" in err.value.message_fr
    assert not (tmp_path / "nowhere" / store.DB_NAME).exists()


def test_foreign_duckdb_file_gets_a_clear_message(tmp_path: Path) -> None:
    ws = tmp_path / "foreign"
    ws.mkdir()
    con = duckdb.connect(str(ws / store.DB_NAME))
    con.execute("CREATE TABLE clients (id INTEGER)")
    con.close()
    with pytest.raises(WorkspaceError) as err:
        store.init_store(ws)
    assert "n'est pas un espace de travail econn" in err.value.message_fr
    # nothing was added to the foreign file
    con = duckdb.connect(str(ws / store.DB_NAME))
    assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == ["clients"]
    con.close()


def test_damaged_file_gets_a_clear_message_and_is_kept(tmp_path: Path) -> None:
    ws = tmp_path / "damaged"
    ws.mkdir()
    garbage = b"this is not a database" * 500
    (ws / store.DB_NAME).write_bytes(garbage)
    with pytest.raises(StoreError) as err:
        store.init_store(ws)
    assert "endommagé" in err.value.message_fr
    assert (ws / store.DB_NAME).read_bytes() == garbage


def test_transaction_rolls_back_on_error(workspace: Path) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction(workspace) as con:
            con.execute("INSERT INTO units VALUES ('UNI', 'Unité', 'C62', true)")
            raise RuntimeError("boom")
    assert store.query_df(workspace, "SELECT * FROM units").empty


def test_counter_increments(workspace: Path) -> None:
    with store.transaction(workspace) as con:
        values = [store.next_counter(con, "document", start=100) for _ in range(3)]
    assert values == [100, 101, 102]


def _hold_lock(path: str, seconds: float, ready: "mp.synchronize.Event") -> None:
    con = duckdb.connect(path)
    ready.set()
    time.sleep(seconds)
    con.close()


def test_busy_store_waits_then_succeeds(workspace: Path) -> None:
    ready = mp.get_context("spawn").Event()
    p = mp.get_context("spawn").Process(target=_hold_lock, args=(str(store.db_path(workspace)), 1.0, ready))
    p.start()
    ready.wait(30)
    waits: list[float] = []
    t0 = time.monotonic()
    with store.connect(workspace, timeout=20, on_wait=lambda s, holder: waits.append(s)) as con:
        con.execute("SELECT 1")
    p.join()
    assert time.monotonic() - t0 >= 0.5
    assert waits, "the page must be told that it is waiting"


def test_busy_store_fails_with_clear_message_after_timeout(workspace: Path) -> None:
    ready = mp.get_context("spawn").Event()
    p = mp.get_context("spawn").Process(target=_hold_lock, args=(str(store.db_path(workspace)), 3.0, ready))
    p.start()
    ready.wait(30)
    with pytest.raises(StoreBusyError) as err:
        with store.connect(workspace, timeout=0.5):
            pass
    p.join()
    assert "occupé" in err.value.message_fr and "PID" in err.value.message_fr


def _writer(ws: str, worker: int, n: int) -> None:
    for i in range(n):
        with store.transaction(ws) as con:
            con.execute(
                "INSERT INTO history (connector, kind, level, reference, message) VALUES (?, 'reception', 'succès', ?, ?)",
                [f"W{worker}", f"{worker}-{i}", "écriture concurrente"],
            )
            store.next_counter(con, "shared")


@pytest.mark.parametrize("workers,per_worker", [(6, 25)])
def test_concurrent_writer_processes_lose_nothing(
    workspace: Path, workers: int, per_worker: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This test is about losing nothing; on a loaded 2-core machine a writer may wait long for its turn.
    monkeypatch.setenv("ECONN_LOCK_TIMEOUT", "300")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(workspace), k, per_worker)) for k in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with store.connect(workspace, read_only=True) as con:
        refs = {r[0] for r in con.execute("SELECT reference FROM history").fetchall()}
        counter = con.execute("SELECT value FROM counters WHERE name = 'shared'").fetchone()[0]
    assert refs == {f"{k}-{i}" for k in range(workers) for i in range(per_worker)}
    assert counter == workers * per_worker


def test_quote_ident_neutralises_quotes() -> None:
    con = duckdb.connect()
    name = 'a"; DROP TABLE x; --'
    con.execute(f"CREATE TABLE t ({store.quote_ident(name)} INTEGER)")
    assert con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 't'").fetchone()[0] == name


def test_new_workspace_has_dated_vat_rates(workspace: Path) -> None:
    df = store.query_df(workspace, "SELECT country, rate, valid_from FROM vat_rates WHERE country = 'EE' ORDER BY valid_from")
    assert {float(r) for r in df["rate"]} >= {22.0, 24.0}
    fr = store.query_df(workspace, "SELECT rate FROM vat_rates WHERE country = 'FR' AND territory = ''")
    assert {float(r) for r in fr["rate"]} >= {20.0, 10.0, 5.5, 2.1}


def _try_connect(ws: str, q: "mp.Queue") -> None:
    from econn.errors import StoreBusyError as Busy

    try:
        with store.connect(ws, timeout=0.3):
            q.put("opened")
    except Busy:
        q.put("busy")


def test_exclusive_keeps_other_processes_out(workspace: Path) -> None:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    with store.exclusive(workspace) as path:
        assert path == store.db_path(workspace)
        p = ctx.Process(target=_try_connect, args=(str(workspace), q))
        p.start()
        p.join(60)
    assert q.get(timeout=5) == "busy"


def _tight_writer(ws: str, seconds: float, ready: "mp.synchronize.Event") -> None:
    end = time.monotonic() + seconds
    ready.set()
    while time.monotonic() < end:  # no pause between transactions: the worst case for the others
        with store.transaction(ws) as con:
            con.execute("INSERT INTO settings VALUES ('busy', '1') ON CONFLICT (key) DO UPDATE SET value = '2'")


def test_a_writer_in_a_tight_loop_does_not_starve_the_others(workspace: Path) -> None:
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    p = ctx.Process(target=_tight_writer, args=(str(workspace), 8.0, ready))
    p.start()
    ready.wait(60)
    time.sleep(0.5)
    waits = []
    try:
        for _ in range(5):
            t0 = time.monotonic()
            with store.connect(workspace, read_only=True, timeout=10) as con:
                con.execute("SELECT count(*) FROM settings").fetchall()
            waits.append(time.monotonic() - t0)
    finally:
        p.join(60)
    assert p.exitcode == 0
    assert max(waits) < 5, waits  # the kernel queues waiters: no reader waits behind the whole loop


def test_busy_holder_probes_without_taking_or_waiting(workspace: Path, tmp_path: Path) -> None:
    assert store.busy_holder(workspace) is None                       # free
    fd = os.open(workspace / store.LOCK_NAME, os.O_RDWR)               # another holder, as a process would
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        threads = threading.active_count()
        t0 = time.monotonic()
        holder = store.busy_holder(workspace)
        assert holder is not None and f"PID {os.getpid()}" in holder
        assert time.monotonic() - t0 < 0.5 and threading.active_count() == threads   # no wait, no queued thread
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    with store.connect(workspace, read_only=True):
        assert store.busy_holder(workspace) is None                   # this process holds it: not « busy »
    not_a_workspace = tmp_path / "ailleurs"
    not_a_workspace.mkdir()
    assert store.busy_holder(not_a_workspace) is None
    assert not (not_a_workspace / store.LOCK_NAME).exists()            # the probe creates nothing


def test_reading_block_opens_the_file_once_and_lets_writes_through(workspace: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opens: list[bool] = []
    real_open = store._open_raw

    def counting_open(path, read_only, timeout, on_wait):  # type: ignore[no-untyped-def]
        opens.append(read_only)
        return real_open(path, read_only, timeout, on_wait)

    monkeypatch.setattr(store, "_open_raw", counting_open)
    plock = store._process_lock(store.db_path(workspace))
    with store.reading(workspace):
        for _ in range(3):
            assert store.query_df(workspace, "SELECT count(*) AS n FROM connectors")["n"][0] >= 0
        assert opens == [True] and plock.depth == 1          # three reads, one open
        with store.transaction(workspace) as con:            # a write: the shared connection closes first
            store.set_setting(con, "reading-test", "42")
        with store.connect(workspace, read_only=True) as con:
            assert store.get_setting(con, "reading-test") == "42"
        assert opens == [True, False, True]
        seen: list[int] = []
        other = threading.Thread(target=lambda: seen.append(len(store.query_df(workspace, "SELECT 1"))))
        other.start()
        other.join(0.5)
        assert other.is_alive() and seen == []               # another thread's operation waits for the block
    other.join(10)
    assert seen == [1] and opens == [True, False, True, True]  # ... then opens its own connection
    assert plock.depth == 0                                  # closed with the block
    with store.connect(workspace, read_only=True):
        pass
    assert len(opens) == 5                                   # outside a block: one open per operation
