"""The rows of the connectors' pending files, read once and kept while the files do not change.

Several features look at what waits in the import folders: the correspondences page (which value
each mapping would unblock, :mod:`econn.reception.pending_values`), the « produits absents » and « configuration
TVA » diagnostics. They all read the files through :func:`pending_lines`: each file is loaded with
:func:`econn.reading.loaders.read_csv`, its headers mapped to the ``documents`` flow (the user's remembered
choices win, as in :func:`econn.reading.headers.map_headers`), and its rows kept as text under canonical
field names. A parsed file is cached by (path, size, modification time, header choices): a page that
recounts after every click does not re-read the folder.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from .. import store
from ..errors import EconnError, LoaderError
from ..reading.formats import detect_format
from ..reading.headers import map_headers, normalize
from ..reading.loaders import read_csv
from .. import findings
from ..history.overview import pending_files, refused_files
from ..store.workspace import display_name

__all__ = ["PENDING_COLUMNS", "PENDING_FIELDS", "clear_cache", "empty_pending", "pending_lines"]

log = logging.getLogger(__name__)

# Canonical fields kept from a pending file (documents flow of econn.reading.headers).
PENDING_FIELDS = ("doc_ext_id", "date", "client_ext_id", "societe", "nom", "prenom", "code_postal", "pays",
                  "sku", "declinaison", "libelle", "qte", "unite", "pu_ht", "remise_pct", "tva_label", "tva_taux",
                  "reglement", "port_ht", "total_ht", "total_ttc")
PENDING_COLUMNS = ("connector", "source", "line", *PENDING_FIELDS)

# A few files of a few megabytes each in practice; bounded so that a kernel left open does not grow.
_CACHE_SIZE = 32
_Choices = tuple[tuple[str, str | None], ...]
_Key = tuple[str, int, int, str, _Choices, _Choices]
_cache: OrderedDict[_Key, pd.DataFrame] = OrderedDict()


class UnreadablePendingFile(EconnError):
    """A pending file that cannot be read (the reception analysis reports it as a finding)."""


def clear_cache() -> None:
    """Forget every parsed file (tests; a user never needs it: changes are seen by size and date)."""
    _cache.clear()


def empty_pending() -> pd.DataFrame:
    """A frame with the columns of :func:`pending_lines` and no row."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in PENDING_COLUMNS})


def _field_of_headers(headers: list[str], remembered: dict[str, str | None],
                      header_map: dict[str, str | None] | None) -> dict[str, str]:
    """Canonical field → header of the file, as the reception maps it (the shop export's format, the
    remembered and explicit choices: :func:`econn.reading.headers.map_headers`)."""
    found = detect_format(headers, "documents")
    matches = map_headers(headers, "documents", remembered=remembered, source_format=found[0] if found else None,
                          overrides=header_map)
    return {m.field: m.header for m in matches if m.field in PENDING_FIELDS}


def _read_file(connector: str, path: Path, remembered: dict[str, str | None],
               header_map: dict[str, str | None] | None = None) -> pd.DataFrame:
    st = path.stat()
    # The path itself, not its resolved target: a link inside the folder is its own pending file (own name).
    key: _Key = (str(path.absolute()), st.st_size, st.st_mtime_ns, connector,
                 tuple(sorted(remembered.items(), key=str)), tuple(sorted((header_map or {}).items(), key=str)))
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    try:
        res = read_csv(path)
    except LoaderError as exc:
        raise UnreadablePendingFile(str(exc), exc.message_fr) from exc
    try:
        picked = _field_of_headers(list(res.columns), remembered, header_map)
        cols = ", ".join(
            f"{store.quote_ident(picked[f])} AS {f}" if f in picked else f"NULL::VARCHAR AS {f}"
            for f in PENDING_FIELDS)
        df = res.con.execute(f"SELECT ? AS connector, ? AS source, _line AS line, {cols} "
                             f"FROM {store.quote_ident(res.table)} ORDER BY _line",
                             [connector, path.name]).df()
    finally:
        res.con.close()
    _cache[key] = df
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return df


def pending_lines(workspace: str | os.PathLike[str], connector: str | None = None, *,
                  exclude: Path | None = None, header_map: dict[str, str | None] | None = None) -> pd.DataFrame:
    """Every row of the connectors' pending files, with canonical column names (all text).

    Args:
        workspace: the workspace folder.
        connector: one connector code, or None for all of them.
        exclude: a file to leave out (the one a reception is analysing: its rows are already loaded).
        header_map: explicit header → field choices of the reception that reads them (``--map``).

    Returns:
        A DataFrame with ``connector, source`` (file name), ``line`` (physical line) and the
        :data:`PENDING_FIELDS` (NULL when the file has no such column). Files that cannot be read are
        left out and listed in ``df.attrs["unreadable"]`` as ``(file name, French reason)``.
    """
    ws = Path(workspace)
    with store.connect(ws, read_only=True) as con:
        conns = con.execute("SELECT code, import_dir FROM connectors WHERE (? IS NULL OR code = ?) ORDER BY code",
                            [connector, connector]).fetchall()
        memo = con.execute("SELECT connector, header, field FROM header_mappings WHERE flow = 'documents' "
                           "ORDER BY updated_at, header").fetchall()
    frames, unreadable = [], []
    skip = exclude.resolve() if exclude is not None else None
    for code, import_dir in conns:
        remembered = {normalize(h): f for c, h, f in memo if c == code}   # as remembered_choices() reads them
        for path, problem in refused_files(ws, import_dir, code):   # a name DuckDB cannot hold, a link outside
            shown = display_name(path.name)
            unreadable.append((shown, findings.make(problem, source=shown, value=shown).message))
        for path in pending_files(ws, import_dir, code):
            if skip is not None and path.resolve() == skip:
                continue
            try:
                frames.append(_read_file(code, path, remembered, header_map))
            except UnreadablePendingFile as exc:
                log.info("pending file %s unreadable: %s", path, exc)
                unreadable.append((path.name, exc.message_fr))
            except OSError as exc:   # removed or renamed by a reception between the listing and the read
                log.info("pending file %s gone: %s", path, exc)
    df = pd.concat(frames, ignore_index=True) if frames else empty_pending()
    df.attrs["unreadable"] = unreadable
    return df
