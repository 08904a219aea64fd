"""Back up and restore the workspace store (``econn.duckdb``).

A backup is one ``.zip`` file holding ``econn.duckdb`` and ``manifest.json`` (format, econn version,
schema version, date, size and sha256 of the database). It holds the store only: the connector folders
(pending CSV files, exports) are ordinary files that the user copies with the folder; they are not
state that econn can make inconsistent.

Consistency: every econn connection is bracketed by the workspace ``flock`` (see :mod:`econn.store.connection`),
so while :func:`econn.store.connection.exclusive` is held no econn process has the database open and the file (plus
a ``.wal`` left by a crashed process, if any) is a committed state. The copy is then opened once, outside
the lock, by :func:`econn.store.connection.init_store`, which checks it is an econn store and folds the WAL into it:
a backup that would not restore is never written.

Restore refuses anything that is not such a zip, whose sha256 does not match, or whose database
``init_store`` refuses (foreign or damaged file), with a French message and the workspace untouched. A
matching sha256 proves nothing against whoever wrote the manifest, so the candidate is then verified as a
database (:func:`verify_store`): after a checkpoint every table is read in full (DuckDB checks each block's
checksum as it reads it, so a flipped byte in a data block is found), and its catalogue must be exactly
the one econn's migrations create — the same tables with the same columns (type, default, nullability),
constraints, indexes and sequences, and no view, macro, user type or schema of its own. A store whose
``tiers`` is a view over ``read_text('/etc/…')`` would otherwise feed that file to the next ``econn send``. The
current store is kept as ``econn.duckdb.avant-restauration``; then the checked copy replaces the store
with ``os.replace`` under the exclusive lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import connection as store
from ..errors import EconnError

MANIFEST = "manifest.json"
FORMAT = "econn-sauvegarde"
FORMAT_VERSION = 1
KEPT_SUFFIX = ".avant-restauration"
# A workspace store is a few MB; this only stops a hostile archive from filling the disk.
MAX_DB_BYTES = 4 * 1024**3


class BackupError(EconnError):
    """A backup cannot be written, or a file given to restore is not a usable econn backup."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did."""

    restored_from: Path
    kept_as: Path | None
    schema_version: int
    created: str


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _schema_version(workspace: Path) -> int:
    with store.connect(workspace, read_only=True) as con:
        row = store.first(con.execute("SELECT value FROM meta WHERE key = 'schema_version'"))
    return int(row[0]) if row else 0


def _check_store(folder: Path, origin: str) -> int:
    """Open the database in ``folder`` with econn's own checks; return its schema version."""
    try:
        store.init_store(folder, create=False)
        return _schema_version(folder)
    except EconnError as exc:
        raise BackupError(f"{origin}: {exc}",
                          f"{origin} ne contient pas un espace de travail econn utilisable : {exc.message_fr}") from exc
    except Exception as exc:  # DuckDB's own errors on a damaged file
        raise BackupError(f"{origin}: {exc}",
                          f"{origin} ne contient pas un espace de travail econn utilisable "
                          "(base endommagée).") from exc


# What the catalogue of a store holds, compared between the candidate and a store built by the migrations.
_CATALOGUE_QUERIES = {
    "tables": "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()",
    "columns": "SELECT table_name, column_name, column_index, data_type, column_default, is_nullable "
               "FROM duckdb_columns() WHERE database_name = current_database()",
    "constraints": "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
                   "WHERE database_name = current_database()",
    "indexes": "SELECT table_name, index_name, sql FROM duckdb_indexes() WHERE database_name = current_database()",
    "sequences": "SELECT sequence_name FROM duckdb_sequences() WHERE database_name = current_database()",
    "views": "SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() AND NOT internal",
    "macros": "SELECT function_name, function_type FROM duckdb_functions() "
              "WHERE database_name = current_database() AND NOT internal",
    "types": "SELECT type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal",
    "schemas": "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal",
}


def _catalogue(con: duckdb.DuckDBPyConnection) -> dict[str, set[tuple[object, ...]]]:
    return {k: {tuple(r) for r in con.execute(q).fetchall()} for k, q in _CATALOGUE_QUERIES.items()}


def _reference_catalogue() -> dict[str, set[tuple[object, ...]]]:
    """The catalogue econn's migrations create, built in memory."""
    from .schema import MIGRATIONS

    con = duckdb.connect(":memory:")
    try:
        for _, sql in MIGRATIONS:
            con.execute(sql)
        return _catalogue(con)
    finally:
        con.close()


def verify_store(db: Path, origin: str) -> None:
    """Refuse a store that is damaged or holds objects econn's migrations do not create.

    ``db`` must already be migrated to the current schema (:func:`_check_store`) and not be open elsewhere.

    Raises:
        BackupError: a block fails its checksum, or the catalogue differs from econn's (the difference is
            named in the log message; the French message says the store is refused).
    """
    damaged = BackupError(f"{origin}: damaged database",
                          f"{origin} est endommagée (bloc de données illisible). Rien n'a été modifié.")
    try:
        con = duckdb.connect(str(db), config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise damaged from exc
    try:
        try:
            con.execute("CHECKPOINT")
            have = _catalogue(con)
        except duckdb.Error as exc:
            raise damaged from exc
        want = _reference_catalogue()
        diff = {k: sorted(map(str, have[k] ^ want[k]))[:5] for k in want if have[k] != want[k]}
        if diff:
            raise BackupError(f"{origin}: objects econn does not create: {diff}",
                              f"{origin} contient des objets qu'econn ne crée pas (vues, macros, tables ou "
                              "colonnes inconnues) : elle est refusée. Rien n'a été modifié.")
        for (table,) in sorted((t,) for _, t in have["tables"]):
            try:  # every column of every row: DuckDB verifies each block's checksum as it reads it
                con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM {store.quote_ident(table)}").fetchall()
            except duckdb.Error as exc:
                raise damaged from exc
    finally:
        con.close()


def backup(workspace: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """Write a consistent backup of the workspace store to ``dest`` (a ``.zip``).

    Args:
        workspace: the workspace folder.
        dest: the backup file; ``.zip`` is added when missing. Written atomically (temp file + rename).

    Returns:
        The path of the backup written.

    Raises:
        WorkspaceError: no econn workspace there.
        StoreBusyError: another process kept the workspace busy past the lock timeout.
        BackupError: the copy could not be checked or written.
    """
    from .. import __version__

    ws = Path(workspace)
    store.init_store(ws, create=False)  # refuses a missing, foreign or damaged store with its own message
    out = Path(dest).expanduser()
    if out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} is a folder", f"{out} est un dossier : donnez un nom de fichier .zip.")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".econn-sauvegarde-", dir=out.parent) as tmp:
        copy = Path(tmp) / "ws"
        copy.mkdir()
        with store.exclusive(ws) as db:
            shutil.copy2(db, copy / store.DB_NAME)
            wal = db.with_name(db.name + ".wal")
            if wal.exists():
                shutil.copy2(wal, copy / wal.name)
        created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        version = _check_store(copy, "La copie de l'espace de travail")
        db_copy = copy / store.DB_NAME
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "econn_version": __version__,
            "schema_version": version, "created": created, "workspace": str(ws.resolve()),
            "file": store.DB_NAME, "size": db_copy.stat().st_size, "sha256": _sha256(db_copy),
        }
        part = Path(tmp) / "backup.zip"
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            zf.write(db_copy, store.DB_NAME)
        os.replace(part, out)
    return out


def read_manifest(src: str | os.PathLike[str]) -> dict[str, object]:
    """The manifest of a backup file.

    Raises:
        BackupError: not a zip, or no econn manifest in it.
    """
    path = Path(src)
    refused = BackupError(f"{path} is not an econn backup",
                          f"Le fichier {path} n'est pas une sauvegarde econn (créée par « econn backup »). "
                          "Rien n'a été modifié.")
    if not path.is_file():
        raise BackupError(f"{path} does not exist", f"Le fichier {path} n'existe pas. Rien n'a été modifié.")
    try:
        with zipfile.ZipFile(path) as zf:
            if MANIFEST not in zf.namelist() or store.DB_NAME not in zf.namelist():
                raise refused
            if zf.getinfo(MANIFEST).file_size > 64 * 1024:
                raise refused
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        raise refused from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refused
    fmt = manifest.get("format_version", 0)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise refused
    if fmt > FORMAT_VERSION:
        raise BackupError(f"{path}: backup format {manifest.get('format_version')} is newer than this econn",
                          "Cette sauvegarde a été créée par une version plus récente d'econn : mettez econn à jour. "
                          "Rien n'a été modifié.")
    return manifest


def restore(workspace: str | os.PathLike[str], src: str | os.PathLike[str], *, force: bool = False) -> RestoreReport:
    """Replace the workspace store with the one in a backup.

    Args:
        workspace: the workspace folder (created if missing).
        src: a backup written by :func:`backup`.
        force: overwrite an ``econn.duckdb.avant-restauration`` left by an earlier restore.

    Raises:
        BackupError: not an econn backup, damaged, or a kept store would be overwritten without ``force``;
            the workspace is unchanged.
        StoreBusyError: another process kept the workspace busy past the lock timeout.
    """
    ws = Path(workspace).expanduser().resolve()
    source = Path(src).expanduser().resolve()
    manifest = read_manifest(source)
    kept = ws / (store.DB_NAME + KEPT_SUFFIX)
    if kept.exists() and not force:
        raise BackupError(f"{kept} exists", f"Une copie {kept.name} existe déjà (restauration précédente). "
                                            "Déplacez-la ou relancez avec --force pour la remplacer. "
                                            "Rien n'a été modifié.")
    ws.mkdir(parents=True, exist_ok=True)
    # The checked copy is prepared in the workspace folder so that os.replace is a rename on one file system.
    with tempfile.TemporaryDirectory(prefix=".econn-restauration-", dir=ws) as tmp:
        folder = Path(tmp)
        candidate = folder / store.DB_NAME
        try:
            with zipfile.ZipFile(source) as zf:
                info = zf.getinfo(store.DB_NAME)
                if info.file_size > MAX_DB_BYTES:
                    raise BackupError(f"{source}: database of {info.file_size} bytes",
                                      f"La sauvegarde {source} est anormalement grande. Rien n'a été modifié.")
                with zf.open(info) as fh, candidate.open("wb") as out:
                    shutil.copyfileobj(fh, out, 1 << 20)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BackupError(f"{source}: {exc}",
                              f"La sauvegarde {source} est endommagée. Rien n'a été modifié.") from exc
        if _sha256(candidate) != manifest.get("sha256"):
            raise BackupError(f"{source}: sha256 mismatch",
                              f"La sauvegarde {source} est endommagée (empreinte sha256 différente). "
                              "Rien n'a été modifié.")
        version = _check_store(folder, f"La sauvegarde {source}")
        verify_store(candidate, f"La sauvegarde {source}")
        for extra in folder.iterdir():   # the lock, a WAL of the checks: only the verified file goes in
            if extra != candidate and extra.is_file():
                extra.unlink()
        with store.exclusive(ws) as db:
            kept_as: Path | None = None
            if db.exists():
                part = folder / "kept.part"
                shutil.copy2(db, part)
                wal = db.with_name(db.name + ".wal")
                kept.with_name(kept.name + ".wal").unlink(missing_ok=True)
                if wal.exists():
                    shutil.copy2(wal, kept.with_name(kept.name + ".wal"))
                os.replace(part, kept)
                kept_as = kept
                wal.unlink(missing_ok=True)  # a WAL of the old store must never be replayed on the new one
            os.replace(candidate, db)
    return RestoreReport(source, kept_as, version, str(manifest.get("created", "")))


__all__ = ["BackupError", "RestoreReport", "backup", "read_manifest", "restore", "verify_store"]
