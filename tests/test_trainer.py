"""Trainer mode: ``reset_demo`` / ``econn demo --reset`` bring the demo back to its initial state."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from econn import store
from econn.cli import main
from econn.demo.build import build_demo
from econn.errors import WorkspaceError
from econn.demo.trainer import demo_settings, is_demo, reset_demo

TABLES = {
    "correspondences": "connector, domain, external_value, external_variant",
    "documents": "connector, ext_number",
    "history": "id",
    "tiers": "code",
    "counters": "name",
    "settings": "key",
}


def _dump(ws: Path) -> dict[str, list[tuple[object, ...]]]:
    with store.connect(ws, read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall() for t, order in TABLES.items()}


def _files(ws: Path) -> dict[str, bytes]:
    root = ws / "connecteurs"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_reset_brings_back_tables_and_pending_files(demo_workspace: Path, tmp_path: Path) -> None:
    seed, today = demo_settings(demo_workspace)  # type: ignore[misc]
    assert today is not None
    reference = tmp_path / "reference"
    build_demo(reference, today=today, seed=seed)
    initial_files = _files(reference)

    pending = max((demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv"))  # J-1, clean
    assert main(["receive", "--workspace", str(demo_workspace), "--connector", "CSV", "--file", str(pending)]) == 0
    assert pending.with_suffix(".bak").exists() or not pending.exists()
    with store.transaction(demo_workspace) as con:
        con.execute("UPDATE correspondences SET gc_value = 'V1' WHERE domain = 'tva' AND external_value = 'V2 - 20 %'")
        con.execute("DELETE FROM correspondences WHERE domain = 'tiers' AND gc_value = 'RYCMI'")
    assert _dump(demo_workspace) != _dump(reference)
    assert _files(demo_workspace) != initial_files

    text = reset_demo(demo_workspace)
    assert "réinitialisée" in text
    assert _dump(demo_workspace) == _dump(reference)
    assert _files(demo_workspace) == initial_files
    assert not [p for p in demo_workspace.parent.iterdir() if ".reset-" in p.name]  # temp folder removed
    assert is_demo(demo_workspace)


def test_reset_waits_for_the_workspace_lock(demo_workspace: Path) -> None:
    import threading
    import time

    release = threading.Event()

    def hold() -> None:
        with store.exclusive(demo_workspace):
            release.wait(5)

    # Same process: the lock is re-entrant, so check instead that the swap happens under the lock
    # by holding it in another thread (the per-process lock serialises threads).
    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    threading.Timer(1.0, release.set).start()
    reset_demo(demo_workspace, timeout=20)
    assert time.monotonic() - t0 >= 0.9
    t.join()


def test_cli_reset_and_refusal_on_a_non_demo_workspace(workspace: Path, demo_workspace: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--reset", "--out", str(demo_workspace)]) == 0
    assert "Démonstration réinitialisée" in capsys.readouterr().out
    assert not is_demo(workspace)
    with pytest.raises(WorkspaceError) as exc:
        reset_demo(workspace)
    assert "n'est pas un espace de démonstration" in exc.value.message_fr
    assert main(["demo", "--reset", "--out", str(workspace)]) == 2
    assert "n'est pas un espace de démonstration" in capsys.readouterr().err
    assert (workspace / store.DB_NAME).exists()  # left untouched


def test_reset_without_a_stored_day_uses_today(tmp_path: Path) -> None:
    ws = tmp_path / "demo"
    build_demo(ws, today=dt.date(2026, 1, 15), seed=7)
    with store.transaction(ws) as con:
        con.execute("DELETE FROM settings WHERE key = 'demo.today'")
    reset_demo(ws)
    assert demo_settings(ws) == (7, dt.date.today())
    shutil.rmtree(ws)
