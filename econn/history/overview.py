"""What the home page (« Synchro e-connecteur ») shows, as data."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from .. import store
from ..store.workspace import connector_dir, name_problem


def _candidates(workspace: Path, import_dir: str | None, code: str) -> list[tuple[Path, str | None]]:
    """Every ``*.csv`` entry of the import folder (files and links), with :func:`name_problem`'s verdict."""
    folder = connector_dir(workspace, import_dir, code, "import")
    if not folder.is_dir():
        return []
    return [(p, name_problem(p, folder)) for p in sorted(folder.iterdir())
            if p.suffix.lower() == ".csv" and (p.is_symlink() or p.is_file())]


def pending_files(workspace: Path, import_dir: str | None, code: str) -> list[Path]:
    """The ``*.csv`` files waiting in a connector's import folder (``.bak`` ones are done).

    Files econn refuses to read (:func:`refused_files`: a name that is not UTF-8, a link leaving the folder)
    are left out: a reception reports them as findings.
    """
    return [p for p, problem in _candidates(workspace, import_dir, code) if problem is None]


def refused_files(workspace: Path, import_dir: str | None, code: str) -> list[tuple[Path, str]]:
    """The ``*.csv`` entries of the import folder that econn will not read, with the finding code why."""
    return [(p, problem) for p, problem in _candidates(workspace, import_dir, code) if problem is not None]


def connector_overview(workspace: str | os.PathLike[str], now: dt.datetime | None = None, *,
                       at_opening: bool = False) -> list[dict[str, Any]]:
    """One row per visible connector: pending files, last reception and send, open errors, 48 h counts.

    « Mise à jour des réceptions » (connector setting ``refresh``) decides what the home page knows when it
    opens, as in the e-connecteur: « A l'ouverture de l'application » analyses the import folder and warns
    that data waits; « Manuellement » shows no warning, and its folder is analysed only when the user asks
    (« Actualiser les réceptions »).

    Args:
        workspace: the workspace folder.
        now: current time (the 48 h counts).
        at_opening: the page is opening: the import folders of connectors in manual mode are not analysed
            (their ``pending_files`` is None). False (« Actualiser les réceptions ») analyses every folder.

    Returns:
        Dicts with ``code, partner, mode, doc_type, refresh, last_reception, last_send, open_errors,
        succes_48h, alertes_48h, erreurs_48h, pending_files, pending_names`` and ``pending_warning``: True
        when data waits in the folder of a connector whose receptions update at opening.
    """
    ws = Path(workspace)
    now = now or dt.datetime.now()
    since = now - dt.timedelta(hours=48)
    with store.connect(ws, read_only=True) as con:
        rows = con.execute(
            """
            SELECT c.code, c.partner, c.mode, c.import_dir, c.doc_type, c.refresh,
                   max(h.occurred_at) FILTER (WHERE h.kind = 'reception') AS last_reception,
                   max(h.occurred_at) FILTER (WHERE h.kind = 'envoi') AS last_send,
                   count(h.id) FILTER (WHERE h.level = 'erreur' AND h.closed_at IS NULL) AS open_errors,
                   count(h.id) FILTER (WHERE h.occurred_at >= ? AND h.level = 'succès') AS succes_48h,
                   count(h.id) FILTER (WHERE h.occurred_at >= ? AND h.level = 'alerte') AS alertes_48h,
                   count(h.id) FILTER (WHERE h.occurred_at >= ? AND h.level = 'erreur') AS erreurs_48h
            FROM connectors c LEFT JOIN history h ON h.connector = c.code
            WHERE NOT c.hidden
            GROUP BY ALL ORDER BY c.code
            """,
            [since, since, since],
        ).fetchall()
        cols = [d[0] for d in con.description]
    out = []
    for r in rows:
        d = dict(zip(cols, r))
        import_dir = d.pop("import_dir")
        if at_opening and d["refresh"] != "ouverture":
            d["pending_files"], d["pending_names"] = None, []
        else:
            files = pending_files(ws, import_dir, d["code"])
            d["pending_files"] = len(files)
            d["pending_names"] = [p.name for p in files]
        d["pending_warning"] = d["refresh"] == "ouverture" and bool(d["pending_files"])
        out.append(d)
    return out


def pending_warning(rows: list[dict[str, Any]]) -> str | None:
    """The e-connecteur's « données en attente de réception » warning, for the connectors whose receptions
    update at opening (None when no such connector has data waiting)."""
    waiting = [r for r in rows if r.get("pending_warning")]
    if not waiting:
        return None
    parts = [f"{r['code']} ({r['pending_files']} fichier{'s' if r['pending_files'] > 1 else ''})" for r in waiting]
    return "Des données sont en attente de réception : " + ", ".join(parts) + "."


def level_counts(workspace: str | os.PathLike[str], hours: int = 48, now: dt.datetime | None = None) -> dict[str, int]:
    """Counts of succès / alerte / erreur in history over the last ``hours``."""
    now = now or dt.datetime.now()
    with store.connect(workspace, read_only=True) as con:
        rows = con.execute(
            "SELECT level, count(*) FROM history WHERE occurred_at >= ? GROUP BY level",
            [now - dt.timedelta(hours=hours)],
        ).fetchall()
    counts = {"succès": 0, "alerte": 0, "erreur": 0}
    counts.update({lv: n for lv, n in rows})
    return counts
