"""External values used by a connector's pending files: what each correspondence would unblock.

The rows of the connector's pending files come from :func:`econn.reception.pending.pending_lines` (read once,
cached while the files do not change); the values of the correspondence domains are gathered in one
long in-memory DuckDB table ``(domain, external_value, external_variant, document, file, line)`` and
counted with SQL aggregates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from .. import store
from ..errors import EconnError
from ..mappings import check_domain
from .pending import pending_lines

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


def _long_select() -> str:
    """One SELECT per correspondence domain over the pending rows (view ``lines_df``), in long format."""
    # Without a document number, each line is its own document.
    doc = "coalesce(doc_ext_id, source || ' ligne ' || CAST(line AS VARCHAR))"
    parts = []
    for domain, fld in PENDING_DOMAINS.items():
        variant = "coalesce(declinaison, '')" if domain == "article" else "''"
        parts.append(f"SELECT '{domain}' AS domain, {fld} AS external_value, {variant} AS external_variant, "
                     f"{doc} AS document, source AS file, line FROM lines_df "
                     f"WHERE {fld} IS NOT NULL AND trim({fld}) <> ''")
    return " UNION ALL ".join(parts)


@contextmanager
def _pending_rows(workspace: str | os.PathLike[str], connector: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection holding table ``pending`` (long format); closed on exit.

    Files that cannot be read are left out; their French reasons are in table ``unreadable``.
    """
    ws = Path(workspace)
    _import_dir(ws, connector)   # unknown connector → PendingValuesError
    lines = pending_lines(ws, connector)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE pending (domain VARCHAR, external_value VARCHAR, external_variant VARCHAR, "
                    "document VARCHAR, file VARCHAR, line BIGINT)")
        if len(lines):
            con.register("lines_df", lines)
            con.execute(f"INSERT INTO pending {_long_select()}")
            con.unregister("lines_df")
        con.execute("CREATE TABLE unreadable (file VARCHAR, reason VARCHAR)")
        if lines.attrs.get("unreadable"):
            con.executemany("INSERT INTO unreadable VALUES (?, ?)", lines.attrs["unreadable"])
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
