"""What the reception page reads, as data: connectors, pending files, a loaded file's summary.

The page draws these records; nothing here imports ipywidgets, so tests can target it directly.
A :class:`LoadSummary` holds everything the page shows about a file, so the DuckDB connection
of the underlying :class:`~econn.reading.loaders.LoadResult` is closed as soon as it is built.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..reading.dialect import Dialect, Reject, SkippedLine
from ..reading.loaders import LoadResult, read_csv
from ..history.overview import pending_files
from ..store import quote_ident

SAMPLE_ROWS = 20


@dataclass(frozen=True)
class ConnectorInfo:
    """A visible connector and where its incoming files wait."""

    code: str
    partner: str
    import_dir: str | None
    import_folder: Path
    file_encoding: str
    file_delimiter: str


@dataclass
class LoadSummary:
    """What the page shows about a loaded file (the DuckDB connection is already closed)."""

    path: Path
    dialect: Dialect
    columns: list[str]
    rows_ok: int
    rows_rejected: int
    rejects: list[Reject]
    skipped: list[SkippedLine]
    sample: list[dict[str, Any]]          # first accepted rows, with ``_line``
    notes: list[str] = field(default_factory=list)   # French messages of findings other than rejects
    partial: bool = False
    bytes_read: int = 0
    file_size: int = 0
    header_line: int | None = None


def connector_files(workspace: str | os.PathLike[str], connector: ConnectorInfo) -> list[Path]:
    """The ``*.csv`` files waiting in the connector's import folder."""
    return pending_files(Path(workspace), connector.import_dir, connector.code)


def summarize(res: LoadResult, sample_rows: int = SAMPLE_ROWS) -> LoadSummary:
    """Copy out of a :class:`LoadResult` what the page shows (the caller closes ``res.con``)."""
    cols = ", ".join(quote_ident(c) for c in ["_line", *res.columns])
    rows = res.con.execute(f"SELECT {cols} FROM {quote_ident(res.table)} ORDER BY _line LIMIT ?",
                           [sample_rows]).fetchall()
    sample = [dict(zip(["_line", *res.columns], r)) for r in rows]
    notes = [f.message for f in res.findings if f.code != "FIC-REJET"]
    return LoadSummary(Path(res.source), res.dialect, list(res.columns), res.rows_ok, res.rows_rejected,
                       list(res.rejects), list(res.skipped), sample, notes, res.partial, res.bytes_read,
                       res.file_size, res.header_line)


def load_summary(path: str | os.PathLike[str], dialect: Dialect, *, max_bytes: int | None = None,
                 sample_rows: int = SAMPLE_ROWS) -> LoadSummary:
    """Read a file with ``dialect`` and summarise it; the DuckDB connection is closed on return.

    Raises:
        LoaderError: the file is missing, unreadable, empty or binary (French ``message_fr``).
    """
    res = read_csv(path, dialect=dialect, max_bytes=max_bytes)
    try:
        return summarize(res, sample_rows)
    finally:
        res.con.close()


def override(dialect: Dialect, encoding: str, delimiter: str) -> Dialect:
    """A copy of ``dialect`` with the user's encoding and delimiter."""
    return dataclasses.replace(dialect, encoding=encoding, delimiter=delimiter, notes=list(dialect.notes))
