"""What a reception needs from the workspace, copied in one short read into the analysis connection.

The analysis runs in an in-memory DuckDB connection holding the file's rows; the GC tables it
joins against (articles, VAT codes, the connector's article correspondences, its integrated
document numbers) are copied there through one read-only store connection, so the workspace
lock is held for a few milliseconds and never while the file is read or analysed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from .. import store
from ..reading.headers import remembered_choices
from ..history.overview import pending_files, refused_files
from .model import ReceptionError

# Connector defaults used at integration (connectors table → documents row).
_CONNECTOR_COLS = ("code", "import_dir", "doc_type", "entreprise", "site", "transporteur", "auto_payment",
                   "client_family", "price_category", "unit", "tiers_reception", "default_client")

_COPIES = {
    "gc_articles": ("SELECT code, libelle, unite, code_tva, actif FROM articles", []),
    "gc_tva": ("SELECT code, CAST(taux AS DOUBLE) AS taux FROM tva_codes", []),
    # A validated article correspondence applies only while its GC article exists (as in correspondences.resolve).
    "cor_article": ("SELECT c.external_value AS ext, c.external_variant AS var, c.gc_value AS gc "
                    "FROM correspondences c JOIN articles a ON a.code = c.gc_value "
                    "WHERE c.connector = ? AND c.domain = 'article' AND c.state = 'valide'", ["connector"]),
    "gc_documents": ("SELECT ext_number, gc_number FROM documents WHERE connector = ?", ["connector"]),
    # For tiers matching (see reception.tiers): the active GC tiers and the connector's tiers codes.
    "gc_tiers": ("SELECT * FROM tiers WHERE actif", []),
    "correspondences": ("SELECT * FROM correspondences WHERE connector = ? AND domain = 'tiers'", ["connector"]),
}


@dataclass
class Connector:
    """The connector settings a reception uses."""

    code: str
    import_dir: str | None
    doc_type: str
    entreprise: str | None
    site: str | None
    transporteur: str | None
    auto_payment: bool
    client_family: str | None
    price_category: str | None
    unit: str | None
    tiers_reception: str = "avec_commande"   # « Réception des tiers »: avec_commande | aucun (Non concerné)
    default_client: str | None = None        # where an unknown customer's orders go when tiers are not received

    @property
    def document_type(self) -> str:
        """The GC document type written in ``documents.doc_type`` (commande | livraison)."""
        return {"commandes": "commande", "livraisons": "livraison"}.get(self.doc_type, self.doc_type)


def load_connector(con: duckdb.DuckDBPyConnection, code: str) -> Connector:
    """The connector row, or :class:`ReceptionError` when it does not exist."""
    row = store.first(con.execute(f"SELECT {', '.join(_CONNECTOR_COLS)} FROM connectors WHERE code = ?", [code]))
    if row is None:
        known = [r[0] for r in con.execute("SELECT code FROM connectors ORDER BY code").fetchall()]
        raise ReceptionError(f"unknown connector {code!r}",
                             f"Connecteur inconnu « {code} » (connecteurs : {', '.join(known) or 'aucun'}).")
    return Connector(**dict(zip(_CONNECTOR_COLS, row, strict=True)))


@dataclass
class Snapshot:
    """What one short read of the store gives a reception: connector, GC tables, remembered headers."""

    connector: Connector
    frames: dict[str, Any]
    remembered: dict[str, str | None]


def fetch_context(workspace: Path, connector: str) -> Snapshot:
    """Read what a reception joins against (one read-only store connection, a few milliseconds)."""
    with store.connect(workspace, read_only=True) as src:
        conn = load_connector(src, connector)
        frames = {name: src.execute(sql, [connector for _ in params]).df() for name, (sql, params) in _COPIES.items()}
        remembered = remembered_choices(src, connector, "documents")
    return Snapshot(conn, frames, remembered)


def install_context(snapshot: Snapshot, mem: duckdb.DuckDBPyConnection) -> None:
    """Create the snapshot's GC tables in the analysis connection ``mem``."""
    for name, df in snapshot.frames.items():
        mem.register(f"_{name}_df", df)
        mem.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}_df")
        mem.unregister(f"_{name}_df")


def copy_context(workspace: Path, connector: str, mem: duckdb.DuckDBPyConnection) -> Connector:
    """Copy the GC tables a reception joins against into ``mem``; returns the connector settings."""
    snapshot = fetch_context(workspace, connector)
    install_context(snapshot, mem)
    return snapshot.connector


def connector_files(workspace: Path, connector: str,
                    file: str | os.PathLike[str] | None) -> tuple[Connector, list[Path]]:
    """The connector and the files to receive: ``file`` (a path, or a name in the import folder), else every
    pending ``*.csv`` of the import folder."""
    with store.connect(workspace, read_only=True) as con:
        conn = load_connector(con, connector)
    if file is None:  # the refused ones too: analyze_file turns each into one finding
        return conn, sorted([*pending_files(workspace, conn.import_dir, connector),
                             *(p for p, _ in refused_files(workspace, conn.import_dir, connector))])
    p = Path(file)
    if not p.exists() and not p.is_absolute():
        from ..store.workspace import connector_dir

        cand = connector_dir(workspace, conn.import_dir, connector, "import") / p
        p = cand if cand.exists() else p
    if not p.is_file():
        raise ReceptionError(f"file {file} not found", f"Fichier introuvable : {file}")
    return conn, [Path(os.path.abspath(p))]    # a link keeps its own name and place (not resolved)


def into_import_folder(workspace: Path, conn: Connector, path: Path) -> Path:
    """``path`` itself when it lies in the connector's import folder, else a copy made there.

    The e-connecteur reads only its import folder, and a complete file is renamed ``.bak`` where it lies: a
    file given from elsewhere (``econn receive --file ~/Téléchargements/x.csv``) is copied in first, so that
    the user's own file is never renamed nor changed. A name already taken there (pending or ``.bak``) gets
    a numbered suffix.
    """
    from ..store.workspace import connector_dir

    folder = connector_dir(workspace, conn.import_dir, conn.code, "import").resolve()
    # The folder the name stands in, not where a link points: a link in the import folder stays there, to
    # be refused as such (FIC-LIEN) when it leaves the folder, never copied in as a plain file.
    if Path(os.path.abspath(path)).parent.resolve() == folder:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / path.name, 1
    while target.exists() or target.with_suffix(".bak").exists():
        target, n = folder / f"{path.stem}-{n}{path.suffix}", n + 1
    shutil.copy2(path, target)
    return target
