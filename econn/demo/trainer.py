"""Trainer mode: bring the demo workspace back to its initial state in seconds.

:func:`reset_demo` rebuilds the demo with the seed and the day stored in the workspace
settings (``demo.seed``, ``demo.today``) into a temporary folder next to the workspace,
then, holding the workspace's lock exclusively (no page writes meanwhile), moves the old
``econn.duckdb`` and ``connecteurs/`` aside, moves the new ones in, and deletes the old ones.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from .. import store
from ..errors import WorkspaceError

__all__ = ["demo_settings", "is_demo", "reset_demo"]

_MOVED = (store.DB_NAME, "connecteurs")


def demo_settings(workspace: str | os.PathLike[str]) -> tuple[int, dt.date | None] | None:
    """``(seed, today)`` of a demo workspace, or ``None`` when the workspace is not a demo."""
    if not store.db_path(workspace).exists():
        return None
    with store.connect(workspace, read_only=True) as con:
        seed = store.get_setting(con, "demo.seed")
        today = store.get_setting(con, "demo.today")
    if seed is None:
        return None
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        day = None
    return int(seed), day


def is_demo(workspace: str | os.PathLike[str]) -> bool:
    """True when the workspace was built by ``econn demo`` (it stores ``demo.seed``)."""
    try:
        return demo_settings(workspace) is not None
    except (WorkspaceError, duckdb.Error, ValueError):
        return False


def reset_demo(workspace: str | os.PathLike[str], *, timeout: float | None = None) -> str:
    """Rebuild the demo workspace in place, as ``econn demo`` first built it.

    Args:
        workspace: the demo workspace folder.
        timeout: seconds to wait for the other processes' lock (default ``ECONN_LOCK_TIMEOUT``).

    Returns:
        A French sentence: what was rebuilt and how long it took.

    Raises:
        WorkspaceError: the folder is not a demo workspace (no ``demo.seed`` setting).
    """
    from .build import build_demo

    ws = Path(workspace).resolve()
    settings = demo_settings(ws) if store.db_path(ws).exists() else None
    if settings is None:
        raise WorkspaceError(
            f"{ws} is not a demo workspace (no demo.seed setting); refusing to reset it",
            f"L'espace de travail {ws} n'est pas un espace de démonstration : il ne peut pas être réinitialisé "
            "(seul un espace créé par « econn demo » peut l'être).",
        )
    seed, today = settings
    today = today or dt.date.today()
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix=f".{ws.name}.reset-", dir=ws.parent))
    try:
        fresh = tmp / "new"
        report = build_demo(fresh, today=today, seed=seed)
        old = tmp / "old"
        old.mkdir()
        with store.exclusive(ws, timeout=timeout):
            wal = store.db_path(ws).with_name(store.DB_NAME + ".wal")
            if wal.exists():
                wal.rename(old / wal.name)
            try:
                for name in _MOVED:
                    if (ws / name).exists():
                        (ws / name).rename(old / name)
                for name in _MOVED:
                    (fresh / name).rename(ws / name)
            except OSError:
                for name in _MOVED:  # put the old workspace back as it was
                    if (old / name).exists():
                        if (ws / name).exists():
                            (ws / name).rename(fresh / f"{name}.partial")
                        (old / name).rename(ws / name)
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    seconds = time.monotonic() - t0
    return (f"Démonstration réinitialisée en {seconds:.1f} s (graine {seed}, jour {today:%d/%m/%Y}) : "
            f"{report}.")
