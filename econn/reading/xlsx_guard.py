"""Size guard for .xlsx files, run before openpyxl loads them (issue #8: « .xlsx bomb »).

An .xlsx is a zip of XML files; a few kilobytes on disk can declare or expand to millions of cells, and
openpyxl builds a Python object per cell (about 0.5–1 KB each), so such a file would exhaust the memory.
:func:`check_xlsx` refuses it first, in bounded memory, without trusting the file:

* the sum of the uncompressed sizes declared by the zip directory must stay under ``ECONN_XLSX_MAX_BYTES``
  (default 300 MB);
* each worksheet's ``<dimension ref="A1:Z2000000">`` must describe at most ``ECONN_XLSX_MAX_CELLS`` cells
  (default 3 000 000);
* every member is then streamed (64 KB chunks) with the same byte limit on what is actually decompressed — a
  file that lies in its zip directory is stopped as soon as it crosses the limit;
* the shared strings part (found through ``[Content_Types].xml``, as openpyxl finds it, whatever its name) is
  read first, keeping only each string's length (at most ``ECONN_XLSX_MAX_CELLS`` strings);
* every other XML member may be a worksheet (openpyxl follows the workbook's relationships, not a folder
  name): its ``<c`` cell elements are counted against the cell limit, and the **expanded** size — the
  decompressed bytes plus, for every cell of type ``s``, the length of the shared string it references —
  must stay under the byte limit. An 8.5 KB workbook whose 500 cells all reference one 1 MB string expands
  to 500 MB in openpyxl: it is refused here, after reading about 1 MB.

Memory: one 64 KB chunk and an array of 4-byte string lengths; time: one pass over the decompressed bytes.

The error is the caller's French-message exception (``ImportFileError`` by default): nothing was imported.
"""

from __future__ import annotations

import os
import re
import zipfile
from array import array
from pathlib import Path

from ..errors import EconnError, ImportFileError

DEFAULT_MAX_CELLS = 3_000_000
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
_CHUNK = 64 * 1024
_DIM = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
# A cell of type « s » and the index of the shared string it references (attributes in any order).
_SST_REF = re.compile(rb"<(?:\w+:)?c\s[^>]{0,200}?\bt=[\"']s[\"'][^>]{0,200}?>\s{0,20}<(?:\w+:)?v>\s{0,20}(\d{1,10})\s{0,20}<")
_SI = re.compile(rb"<(?:\w+:)?si(?=[\s>/])(?:[^>]{0,200}?/>)?|</(?:\w+:)?si>")
_OVERLAP = 512             # longer than any match of _SST_REF or _SI: a match split between chunks is seen whole
_SST_TYPE = b"spreadsheetml.sharedStrings+xml"
_PART = re.compile(rb"<(?:\w+:)?Override\b[^>]{0,2000}>")
_PART_NAME = re.compile(rb"PartName=[\"']/?([^\"']+)[\"']")


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


class _TooBig(Exception):
    def __init__(self, what: str, why: str) -> None:
        super().__init__(why)
        self.what, self.why = what, why


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], bytes_max: int):  # type: ignore[no-untyped-def]
    """The decompressed bytes of one member, ``_OVERLAP`` bytes of the previous chunk in front of each new one;
    yields (buffer, length of that overlap). Raises _TooBig once ``budget`` (all members) passes ``bytes_max``."""
    with zf.open(info) as fh:
        tail = b""
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return
            budget[0] += len(chunk)
            if budget[0] > bytes_max:
                raise _TooBig(f"plus de {_fr(bytes_max // (1024 * 1024))} Mo une fois décompressé",
                              f"more than {bytes_max} bytes actually decompressed")
            buf = tail + chunk
            yield buf, len(tail)
            tail = buf[-_OVERLAP:]


def _shared_string_part(zf: zipfile.ZipFile) -> str | None:
    """The shared strings part named by ``[Content_Types].xml`` (openpyxl's way), else the usual name."""
    try:
        info = zf.getinfo("[Content_Types].xml")
    except KeyError:
        info = None
    if info is not None and info.file_size <= 1024 * 1024:
        try:
            with zf.open(info) as fh:
                ct = fh.read(1024 * 1024 + 1)
        except Exception:  # noqa: BLE001 - a broken member: the reader will report it
            ct = b""
        for m in _PART.finditer(ct):
            if _SST_TYPE in m.group(0):
                name = _PART_NAME.search(m.group(0))
                if name:
                    return name.group(1).decode("utf-8", "replace")
    return "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in zf.namelist() else None


def _string_lengths(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], bytes_max: int,
                    cells_max: int) -> array:
    """The byte length of each ``<si>`` of the shared strings part, in order."""
    lengths = array("I")
    start: int | None = None
    base = 0                                  # offset of buf[0] in the decompressed member
    for buf, seen in _chunks(zf, info, budget, bytes_max):
        for m in _SI.finditer(buf):
            if m.end() <= seen:
                continue                      # wholly in the overlap: handled with the previous chunk
            tag = m.group(0)
            if tag.startswith(b"</"):
                if start is not None:
                    lengths.append(min(base + m.end() - start, 0xFFFFFFFF))
                    start = None
            elif tag.endswith(b"/>"):
                lengths.append(0)
            else:
                start = base + m.start()
            if len(lengths) > cells_max:
                raise _TooBig(f"plus de {_fr(cells_max)} chaînes partagées", f"more than {cells_max} shared strings")
        base += len(buf) - min(len(buf), _OVERLAP)
    return lengths


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
                     f"et {_fr(bytes_max // (1024 * 1024))} Mo décompressés, chaînes partagées comptées à chaque "
                     "cellule qui les utilise (réglable par ECONN_XLSX_MAX_CELLS et ECONN_XLSX_MAX_BYTES). "
                     "Réduisez le fichier ou exportez-le en CSV ; rien n'a été importé.")

    try:
        zf = zipfile.ZipFile(p)
    except (OSError, zipfile.BadZipFile, ValueError):
        return
    try:
        with zf:
            _check_members(zf, cells_max, bytes_max)
    except _TooBig as exc:
        raise too_big(exc.what, exc.why) from None
    except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, EOFError, encrypted member…
        return         # a corrupt or odd member: the reader will report the file as unreadable


def _check_members(zf: zipfile.ZipFile, cells_max: int, bytes_max: int) -> None:
    infos = zf.infolist()
    declared = sum(max(0, i.file_size) for i in infos)
    if declared > bytes_max:
        raise _TooBig(f"{_fr(declared // (1024 * 1024))} Mo une fois décompressé",
                      f"{declared} declared uncompressed bytes")
    budget = [0]                              # bytes actually decompressed, all members
    sst_name = _shared_string_part(zf)
    lengths = array("I")
    sst_info = next((i for i in infos if i.filename == sst_name), None)
    if sst_info is not None:
        lengths = _string_lengths(zf, sst_info, budget, bytes_max, cells_max)
    expanded = 0                              # what the cells' text becomes once shared strings are expanded
    total_cells = 0
    for info in infos:
        if info is sst_info or info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue                          # images and other binaries: counted by their declared size
        seen_dim = False
        sheet_cells = 0
        for buf, seen in _chunks(zf, info, budget, bytes_max):
            expanded += len(buf) - seen
            if not seen_dim:
                m = _DIM.search(buf)
                if m:
                    seen_dim = True
                    c1, r1, c2, r2 = m.groups()
                    if r2 is not None:
                        n = (abs(_col(c2) - _col(c1)) + 1) * (abs(int(r2) - int(r1 or b"1")) + 1)
                        if total_cells + n > cells_max:
                            raise _TooBig(f"{_fr(n)} cellules déclarées dans la feuille",
                                          f"dimension {m.group(0)!r} declares {n} cells")
                elif b"<sheetData" in buf:
                    seen_dim = True
            sheet_cells += len(_CELL.findall(buf)) - len(_CELL.findall(buf[:seen]))
            if total_cells + sheet_cells > cells_max:
                raise _TooBig(f"plus de {_fr(cells_max)} cellules", f"more than {cells_max} cells")
            if lengths:
                for m in _SST_REF.finditer(buf):
                    if m.end() <= seen:
                        continue
                    i = int(m.group(1))
                    if i < len(lengths):
                        expanded += lengths[i]
                if expanded > bytes_max:
                    raise _TooBig(f"plus de {_fr(bytes_max // (1024 * 1024))} Mo de texte une fois les chaînes "
                                  "partagées développées", f"more than {bytes_max} bytes once shared strings expand")
        total_cells += sheet_cells
