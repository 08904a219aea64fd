"""CSV backup of price rules before they are removed (nettoyage des grilles, ``econn import grilles --replace``).

One file per removal, ``grilles_supprimees_AAAAMMJJ_HHMMSS.csv`` (UTF-8 with BOM, ``;``, CRLF), written to
a temporary file then renamed; a rule's ref or client comes from a shop's file, so every cell is neutralised
like any CSV econn writes (:func:`econn.safe_output.write_csv`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from ..errors import EconnError
from ..safe_output import write_csv

BACKUP_COLUMNS = ("id", "ref", "source", "article", "categorie_tarifaire", "client", "qte_min", "prix_ht",
                  "remise_pct", "date_debut", "date_fin", "created_at", "motif")
DEFAULT_FOLDER = "sauvegardes"   # under the workspace, as the diagnostics page does


class BackupError(EconnError):
    """The backup of the rules cannot be written: nothing was removed."""


def backup_rules(con: duckdb.DuckDBPyConnection, backup_dir: str | Path, *, now: dt.datetime,
                 motifs: dict[int, str] | None = None, motif: str = "",
                 ids: list[int] | None = None) -> tuple[Path, list[tuple]]:
    """Write the rules ``ids`` (default: all of them) to a new backup CSV, before the caller deletes them.

    Args:
        con: the caller's open transaction.
        backup_dir: folder of the backup (created if needed).
        now: the instant in the file name.
        motifs: rule id → why it is removed; ``motif`` for the rules it does not list.
        motif: the reason of every rule not in ``motifs``.
        ids: the rules to back up (None: the whole table).

    Returns:
        The file written and its rows (``BACKUP_COLUMNS``, in ref order).

    Raises:
        BackupError: the folder or the file cannot be written.
    """
    rows = con.execute("""
        SELECT id, ref, source, article, categorie_tarifaire, client, qte_min, prix_ht, remise_pct,
               date_debut, date_fin, created_at
        FROM price_grids WHERE ? IS NULL OR list_contains(?, id) ORDER BY ref, id""",
                       [ids, ids]).fetchall()
    rows = [(*r, (motifs or {}).get(r[0], motif)) for r in rows]
    folder = Path(backup_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"grilles_supprimees_{now:%Y%m%d_%H%M%S}.csv"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"grilles_supprimees_{now:%Y%m%d_%H%M%S}_{n}.csv"
        write_csv(target, rows, BACKUP_COLUMNS, encoding="utf-8-sig", line_terminator="\r\n")
    except OSError as exc:
        raise BackupError(f"cannot write backup in {folder}: {exc}",
                          f"Sauvegarde impossible dans {folder} ({exc.strerror or exc}) : rien n'a été "
                          "supprimé.") from exc
    return target, rows
