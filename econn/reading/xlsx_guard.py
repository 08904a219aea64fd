"""Size guard for .xlsx files, run before openpyxl loads them (issue #8: « .xlsx bomb »).

An .xlsx is a zip of XML files; a few kilobytes on disk can declare or expand to millions of cells, and
openpyxl builds a Python object per cell (about 0.5–1 KB each), so such a file would exhaust the memory.
:func:`check_xlsx` refuses it first, in bounded memory, without trusting the file:

* the sum of the uncompressed sizes declared by the zip directory must stay under ``ECONN_XLSX_MAX_BYTES``
  (default 300 MB);
* each worksheet's ``<dimension ref="A1:Z2000000">`` must describe at most ``ECONN_XLSX_MAX_CELLS`` cells
  (default 3 000 000);
* the worksheet XML is then streamed (64 KB chunks) and its ``<c`` cell elements counted, with the same
  cell limit and the same byte limit on what is actually decompressed — a sheet that lies in its
  dimension or in the zip directory is stopped as soon as it crosses the limit.

The error is the caller's French-message exception (``ImportFileError`` by default): nothing was imported.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..errors import EconnError, ImportFileError

DEFAULT_MAX_CELLS = 3_000_000
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
_CHUNK = 64 * 1024
_DIM = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_cells() -> int:
    """Most cells one workbook may hold (``ECONN_XLSX_MAX_CELLS``)."""
    return _env_int("ECONN_XLSX_MAX_CELLS", DEFAULT_MAX_CELLS)


def max_bytes() -> int:
    """Most uncompressed bytes one workbook may expand to (``ECONN_XLSX_MAX_BYTES``)."""
    return _env_int("ECONN_XLSX_MAX_BYTES", DEFAULT_MAX_BYTES)


def _col(letters: bytes | None) -> int:
    n = 0
    for ch in letters or b"A":
        n = n * 26 + (ch - 64)
    return n


def _fr(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def check_xlsx(path: str | os.PathLike[str], error: type[EconnError] = ImportFileError) -> None:
    """Refuse a workbook that would expand beyond the configured size; return None when it is acceptable.

    Raises:
        ``error`` (default :class:`ImportFileError`) with a French message when the workbook is too large.
        A file that is not a zip is left to the caller's reader (which reports it as unreadable).
    """
    p = Path(path)
    cells_max, bytes_max = max_cells(), max_bytes()

    def too_big(what: str, why: str) -> EconnError:
        return error(f"{p}: workbook too large ({why})",
                     f"{p.name} : classeur trop volumineux ({what}). La limite est de {_fr(cells_max)} cellules "
                     f"et {_fr(bytes_max // (1024 * 1024))} Mo décompressés (réglable par ECONN_XLSX_MAX_CELLS et "
                     "ECONN_XLSX_MAX_BYTES). Réduisez le fichier ou exportez-le en CSV ; rien n'a été importé.")

    try:
        zf = zipfile.ZipFile(p)
    except (OSError, zipfile.BadZipFile, ValueError):
        return
    with zf:
        infos = zf.infolist()
        declared = sum(max(0, i.file_size) for i in infos)
        if declared > bytes_max:
            raise too_big(f"{_fr(declared // (1024 * 1024))} Mo une fois décompressé",
                          f"{declared} declared uncompressed bytes")
        sheets = [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        total_cells = 0
        total_read = 0
        for info in sheets:
            try:
                fh = zf.open(info)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError):
                return                       # encrypted/odd member: the reader will report it
            with fh:
                tail = b""
                seen_dim = False
                sheet_cells = 0
                while True:
                    try:
                        chunk = fh.read(_CHUNK)
                    except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, EOFError…
                        return               # corrupt stream: the reader will report it
                    if not chunk:
                        break
                    total_read += len(chunk)
                    if total_read > bytes_max:
                        raise too_big(f"plus de {_fr(bytes_max // (1024 * 1024))} Mo une fois décompressé",
                                      f"more than {bytes_max} bytes actually decompressed")
                    buf = tail + chunk
                    if not seen_dim:
                        m = _DIM.search(buf)
                        if m:
                            seen_dim = True
                            c1, r1, c2, r2 = m.groups()
                            if r2 is not None:
                                n = (abs(_col(c2) - _col(c1)) + 1) * (abs(int(r2) - int(r1 or b"1")) + 1)
                                if total_cells + n > cells_max:
                                    raise too_big(f"{_fr(n)} cellules déclarées dans la feuille",
                                                  f"dimension {m.group(0)!r} declares {n} cells")
                        elif b"<sheetData" in buf:
                            seen_dim = True
                    # Count cells in the new bytes; the 8-byte overlap catches a tag split between chunks.
                    sheet_cells += len(_CELL.findall(buf)) - len(_CELL.findall(tail))
                    if total_cells + sheet_cells > cells_max:
                        raise too_big(f"plus de {_fr(cells_max)} cellules", f"more than {cells_max} cells")
                    tail = buf[-8:]
                total_cells += sheet_cells
