"""Files econn writes for someone else: neutralised against formula injection, replaced atomically.

Formula injection (« CSV injection »): a spreadsheet opening a CSV executes a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, in some versions, a tab or a carriage return before them).
A tiers name such as ``=HYPERLINK("http://x";"clic")`` coming from a web shop must therefore come out
inert. Rules of :func:`neutralise`:

* a text starting with one of ``= + - @ \\t \\r`` gets a leading apostrophe (OWASP's advice): Excel and
  LibreOffice show it as text, and a program reading the file sees the apostrophe and can strip it;
* except a plain number — French (``-12,5``, ``-1 234,56``) or ISO (``-12.5``, ``+3``, ``-1e3``) — which
  stays a number: a negative price must remain numeric for whoever imports the file;
* and an international phone number (``+33 6 12 34 56 78``, ``+44 (0)20 7946 0958``) is kept as well: made of
  digits and separators only, it can hold no function, cell reference or DDE call (the worst Excel does is
  show ``#NULL!``), while prefixing it would corrupt every phone number a shop receives.

The decision is taken on the text actually written, after it was made representable in the file's encoding
(:func:`encodable`): converting to cp1252 or latin-1 turns a fullwidth ``＝ ＋ ＠`` into ``= + @``, a minus
sign ``−`` (U+2212) into ``-`` and drops zero-width characters and BOMs, so a check made before the
conversion would let ``−cmd|' /C calc'!A0`` out as a live formula. The check also folds look-alikes
(:func:`fold`: NFKC, dashes, format characters such as U+200B and U+FEFF) so that a UTF-8 file, which keeps
them, is judged as a spreadsheet that folds them would read it.

In an .xlsx workbook the same risk is handled natively by :func:`put_cell`: text is stored as a string cell
(never a formula) with Excel's « quote prefix » style when it looks like a formula, so the text itself is
unchanged.

Atomic writes: :func:`atomic_write` writes a temporary file in the target folder (same file system, so
``os.replace`` is atomic), flushes and fsyncs it, then replaces the target; a reader (the shop's import
job, another econn page) sees the old file or the new one, never half a file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number: optional sign, digits with optional thousands groups (space, no-break spaces or dots in
# French style, commas in English style), optional decimal part, optional exponent.
_PLAIN_NUMBER = re.compile(
    r"[-+]?(\d+|\d{1,3}([ \u00a0\u202f]\d{3})+|\d{1,3}(\.\d{3})+)(,\d+)?([eE][-+]?\d+)?"
    r"|[-+]?\d+(\.\d+)?([eE][-+]?\d+)?",
    re.ASCII,
)
# Common characters outside cp1252/latin-9 and an ASCII stand-in (before the generic fallback).
_STAND_INS = {
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "-", "\u2032": "'", "\u2033": '"',
    "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u200b": "", "\ufeff": "", "\u2044": "/", "\u2026": "...",
    "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D", "\u00f8": "o", "\u00d8": "O", "\u2122": "TM",
}
_PHONE = re.compile(r"\+\d[\d .()/-]{5,}", re.ASCII)
REPLACEMENT = "?"
# Signs that NFKC leaves alone but an encoding conversion or a spreadsheet may read as ``-``.
_DASH_FOLD = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2796\ufe58\ufe63\uff0d"})


def is_plain_number(text: str) -> bool:
    """True for ``12``, ``-12,5``, ``-1 234,56``, ``-1.234,5``, ``+3.5``, ``-1e3`` (ASCII digits only)."""
    return bool(_PLAIN_NUMBER.fullmatch(text))


def _harmless(text: str) -> bool:
    return is_plain_number(text) or bool(_PHONE.fullmatch(text))


def fold(text: str) -> str:
    """``text`` as a look-alike-folding reader would see it: NFKC (fullwidth ``＝`` → ``=``), dashes and the
    minus sign → ``-``, format characters (zero-width spaces and joiners, BOM, soft hyphen) removed."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASH_FOLD)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could evaluate ``text`` (or its folded form) as a formula.

    A text starting with ``= + - @``, tab or CR — before or after :func:`fold` — unless it is a plain number
    or an international phone number (made of ASCII digits and separators only, it holds no function).
    """
    for t in (text, fold(text)):
        if t.startswith(FORMULA_START) and not _harmless(t):
            return True
    return False


def starts_like_formula(text: str) -> bool:
    """True when ``text`` or its folded form starts with ``= + - @``, tab or CR, numbers included.

    For workbooks, where the quote prefix leaves the text unchanged: ``-5`` stays the text ``-5`` when a
    user edits the cell, instead of becoming a number.
    """
    return text.startswith(FORMULA_START) or fold(text).startswith(FORMULA_START)


def render_cell(value: Any, encoding: str | None = None) -> tuple[str, list[str], bool]:
    """The text to write for ``value`` in a file of ``encoding``, made inert for a spreadsheet.

    The text is first made representable in ``encoding`` (:func:`encodable`), then checked as written: the
    conversion may itself create a formula sign (``＝`` → ``=``, ``−`` → ``-``, a dropped U+200B).

    Returns:
        (text to write, characters the encoding could not hold, whether a ``'`` was prefixed).
    """
    if value is None:
        return "", [], False
    text = value if isinstance(value, str) else str(value)
    bad: list[str] = []
    if encoding is not None:
        text, bad = encodable(text, encoding)
    if looks_like_formula(text):
        return "'" + text, bad, True
    return text, bad, False


def neutralise(value: Any, encoding: str | None = None) -> str:
    """The text to write for ``value``, made inert for a spreadsheet.

    Args:
        value: any cell value; None becomes ``""``, other values ``str(value)``.
        encoding: the file's encoding, when the text is converted before it is written: the check is then
            made on the converted text (see :func:`render_cell`).

    Returns:
        The text (converted to ``encoding`` if given), prefixed with ``'`` when it starts like a formula
        (``= + - @``, tab, CR, also once look-alikes are folded) and is neither a plain French or ISO number
        (``-12,5`` stays ``-12,5``) nor an international phone number.
    """
    return render_cell(value, encoding)[0]


def is_neutralised(text: str) -> bool:
    """True when a written cell cannot be executed by a spreadsheet (used by tests and checks)."""
    return not looks_like_formula(text)


def _fallback(ch: str) -> str:
    if ch in _STAND_INS:
        return _STAND_INS[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base and base != ch and base.isascii() else REPLACEMENT


def encodable(text: str, encoding: str) -> tuple[str, list[str]]:
    """``text`` made representable in ``encoding``, and the characters that had to be replaced.

    A character the encoding lacks is replaced by an ASCII stand-in (``ł`` → ``l``, ``−`` → ``-``, a letter
    stripped of its accent when the encoding lacks the accented form) or else by ``?``.
    """
    try:
        text.encode(encoding)
        return text, []
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    bad: list[str] = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except UnicodeEncodeError:
            bad.append(ch)
            out.append(_fallback(ch))
    return "".join(out), bad


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems (and Windows) cannot open a folder: the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike[str], writer: Callable[[IO[bytes]], None]) -> Path:
    """Write a file through ``writer(binary_file)`` into a temporary file, then replace ``path`` at once.

    Args:
        path: the target file; its folder must exist.
        writer: called with a binary file object open on the temporary file.

    Returns:
        The target path.

    Raises:
        OSError: the folder is missing or not writable; the target is left untouched and the temporary
            file removed.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        try:  # mkstemp creates 0600; a shared export folder expects the usual permissions
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda f: f.write(data))


@dataclass(frozen=True)
class Replacement:
    """A cell whose text the target encoding could not hold."""

    row: int            # 0-based index in the rows given (the header is not counted)
    column: str
    value: str          # the original text
    written: str        # what was written instead
    characters: str     # the characters replaced


@dataclass
class CsvReport:
    """What :func:`write_csv` wrote."""

    path: Path
    rows: int
    columns: list[str]
    encoding: str
    delimiter: str
    neutralised: int = 0
    replacements: list[Replacement] = field(default_factory=list)


def render_rows(rows: Iterable[Mapping[str, Any] | Sequence[Any]], columns: Sequence[str], encoding: str
                ) -> tuple[list[list[str]], int, list[Replacement]]:
    """The cells as written: made representable in ``encoding``, then neutralised (:func:`render_cell`).

    Returns:
        (rows of text, number of neutralised cells, replacements).
    """
    out: list[list[str]] = []
    neutralised = 0
    repl: list[Replacement] = []
    for i, row in enumerate(rows):
        values = [row.get(c) for c in columns] if isinstance(row, Mapping) else list(row)
        cells = []
        for col, v in zip(columns, values):
            safe, bad, prefixed = render_cell(v, encoding)
            neutralised += prefixed
            if bad:
                repl.append(Replacement(i, col, "" if v is None else str(v), safe, "".join(dict.fromkeys(bad))))
            cells.append(safe)
        out.append(cells)
    return out, neutralised, repl


def write_csv(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]],
              columns: Sequence[str], *, encoding: str = "cp1252", delimiter: str = ";",
              line_terminator: str = "\r\n") -> CsvReport:
    """Write a CSV file atomically, every cell neutralised and representable in ``encoding``.

    Values are written as given (format numbers and dates before calling); None is an empty cell. Quoting is
    minimal (a value holding the delimiter, a quote or a line break is quoted), lines end with CRLF as the
    GC's own files do.

    Args:
        path: target file (replaced atomically).
        rows: dicts keyed by column, or sequences in column order.
        columns: the header row, also the order of the cells.
        encoding: a Python codec name (``cp1252``, ``utf-8``, ``utf-8-sig``…).
        delimiter: one character.
        line_terminator: ``\\r\\n`` by default.

    Returns:
        A :class:`CsvReport` listing the cells whose characters were replaced (never an exception for them).
    """
    codecs.lookup(encoding)
    header, _, header_repl = render_rows([list(columns)], columns, encoding)
    body, neutralised, repl = render_rows(rows, columns, encoding)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator=line_terminator)
    w.writerow(header[0])
    w.writerows(body)
    data = buf.getvalue().encode(encoding)
    target = atomic_write_bytes(path, data)
    return CsvReport(target, len(body), list(columns), encoding, delimiter, neutralised,
                     [Replacement(-1, r.column, r.value, r.written, r.characters) for r in header_repl] + repl)


def put_cell(ws: Any, row: int, col: int, value: Any) -> None:
    """Write one openpyxl cell safely: numbers as numbers, any text as a string cell, never a formula.

    Text that starts like a formula also gets Excel's quote prefix, so that it stays text when a user edits
    the cell; the text itself is kept as it is (the workbook is not a CSV: no apostrophe is added).
    """
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, (bool, int, float, Decimal, dt.date)):
        cell.value = value
        return
    text = str(value)
    cell.value = text
    cell.data_type = "s"
    if starts_like_formula(text):
        cell.quotePrefix = True


def write_xlsx(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]],
               columns: Sequence[str], *, sheet: str = "Données") -> Path:
    """Write a one-sheet workbook atomically with :func:`put_cell` (header row in bold)."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for j, c in enumerate(columns, start=1):
        put_cell(ws, 1, j, c)
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        values = [row.get(c) for c in columns] if isinstance(row, Mapping) else list(row)
        for j, v in enumerate(values, start=1):
            put_cell(ws, i, j, v)
    return atomic_write(path, wb.save)
