"""External values used by a connector's pending files: what each correspondence would unblock.

Every pending ``*.csv`` of the connector is loaded into one in-memory DuckDB connection
(:func:`econn.loaders.read_csv`), its headers are mapped to the ``documents`` flow
(:func:`econn.headers.map_headers`), and the values of the correspondence domains are gathered
in one long table ``(domain, external_value, external_variant, document, file, line)``; counts
are then SQL aggregates over that table.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from . import store
from .errors import EconnError, LoaderError
from .headers import map_headers
from .loaders import read_csv
from .mappings import check_domain
from .overview import pending_files
from .store import quote_ident

__all__ = ["PENDING_DOMAINS", "documents_using", "pending_values", "unblocked_by"]

# Correspondence domain → canonical field of the documents flow holding its external value.
PENDING_DOMAINS: dict[str, str] = {
    "tva": "tva_label", "unite": "unite", "pays": "pays", "reglement": "reglement", "article": "sku",
}
_COLUMNS = ["domain", "external_value", "external_variant", "documents", "lines", "files"]


class PendingValuesError(EconnError):
    """The pending files of a connector cannot be examined (unknown connector)."""


def _import_dir(workspace: Path, connector: str) -> str | None:
    with store.connect(workspace, read_only=True) as con:
        row = store.first(con.execute("SELECT import_dir FROM connectors WHERE code = ?", [connector]))
    if row is None:
        raise PendingValuesError(f"unknown connector {connector!r}", f"Connecteur inconnu « {connector} ».")
    return row[0]


def _select_file(table: str, fields: dict[str, str]) -> str:
    """One SELECT per domain found in the file: long rows (domain, value, variant, document, file, line)."""
    # Without a document number, each line is its own document. The file name is bound as $file.
    line_doc = "$file || ' ligne ' || CAST(_line AS VARCHAR)"
    doc = f"coalesce({quote_ident(fields['doc_ext_id'])}, {line_doc})" if "doc_ext_id" in fields else line_doc
    parts = []
    for domain, field in PENDING_DOMAINS.items():
        if field not in fields:
            continue
        value = quote_ident(fields[field])
        variant = (f"coalesce({quote_ident(fields['declinaison'])}, '')"
                   if domain == "article" and "declinaison" in fields else "''")
        parts.append(f"SELECT '{domain}' AS domain, {value} AS external_value, {variant} AS external_variant, "
                     f"{doc} AS document, $file AS file, "
                     f"_line AS line FROM {quote_ident(table)} "
                     f"WHERE {value} IS NOT NULL AND trim({value}) <> ''")
    return " UNION ALL ".join(parts)


@contextmanager
def _pending_rows(workspace: str | os.PathLike[str], connector: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection holding table ``pending`` (long format); closed on exit.

    Files that cannot be read are left out; their French reasons are in table ``unreadable``.
    """
    ws = Path(workspace)
    files = pending_files(ws, _import_dir(ws, connector), connector)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE pending (domain VARCHAR, external_value VARCHAR, external_variant VARCHAR, "
                    "document VARCHAR, file VARCHAR, line BIGINT)")
        con.execute("CREATE TABLE unreadable (file VARCHAR, reason VARCHAR)")
        for i, path in enumerate(files):
            table = f"file_{i}"
            try:
                res = read_csv(path, con=con, table=table)
            except LoaderError as exc:
                con.execute("INSERT INTO unreadable VALUES (?, ?)", [path.name, exc.message_fr])
                continue
            matches = map_headers(list(res.columns), "documents", connector, ws)
            fields = {m.field: m.header for m in matches if m.field is not None}
            select = _select_file(table, fields)
            if select:
                con.execute(f"INSERT INTO pending {select}", {"file": path.name})
            con.execute(f"DROP TABLE {quote_ident(table)}")
        yield con
    finally:
        con.close()


def pending_values(workspace: str | os.PathLike[str], connector: str) -> pd.DataFrame:
    """One row per (domain, external value, variant) used by the connector's pending files.

    Args:
        workspace: the workspace folder.
        connector: connector code.

    Returns:
        Columns ``domain`` (tva, unite, pays, reglement, article), ``external_value``,
        ``external_variant`` ('' except the articles' déclinaison), ``documents`` (distinct document
        numbers using it), ``lines``, ``files`` (file names, comma-separated); most used first.
        ``df.attrs["unreadable"]`` lists ``(file name, French reason)`` of files that could not be read.

    Raises:
        PendingValuesError: unknown connector.
    """
    with _pending_rows(workspace, connector) as con:
        df = con.execute("""
            SELECT domain, external_value, external_variant,
                   count(DISTINCT document) AS documents, count(*) AS lines,
                   string_agg(DISTINCT file, ', ' ORDER BY file) AS files
            FROM pending GROUP BY ALL
            ORDER BY domain, documents DESC, external_value, external_variant""").df()
        unreadable = [tuple(r) for r in con.execute("SELECT file, reason FROM unreadable").fetchall()]
    df = df[_COLUMNS] if len(df) else pd.DataFrame(columns=_COLUMNS)
    df["documents"] = df["documents"].astype("int64")
    df["lines"] = df["lines"].astype("int64")
    df.attrs["unreadable"] = unreadable
    return df


def documents_using(workspace: str | os.PathLike[str], connector: str, domain: str,
                    external_values: Iterable[str | tuple[str, str]]) -> int:
    """How many distinct pending documents use any of the values (``(value, variant)`` for one variant).

    A plain value counts every variant of it (an article's correspondence without variant applies
    to all its déclinaisons).
    """
    check_domain(domain)
    keys = [(v, None) if isinstance(v, str) else (str(v[0]), str(v[1] or "")) for v in external_values]
    if not keys or domain not in PENDING_DOMAINS:
        return 0
    with _pending_rows(workspace, connector) as con:
        con.execute("CREATE TABLE wanted (external_value VARCHAR, external_variant VARCHAR)")
        con.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
        row = store.first(con.execute("""
            SELECT count(DISTINCT p.document) FROM pending p
            WHERE p.domain = ? AND EXISTS (
                SELECT 1 FROM wanted w WHERE w.external_value = p.external_value
                  AND (w.external_variant IS NULL OR w.external_variant = p.external_variant))""", [domain]))
    return int(row[0]) if row else 0


def unblocked_by(workspace: str | os.PathLike[str], connector: str, domain: str, external_value: str) -> int:
    """How many pending documents use ``external_value`` (any variant): what mapping it unblocks."""
    return documents_using(workspace, connector, domain, [external_value])
