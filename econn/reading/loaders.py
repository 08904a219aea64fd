"""Read a CSV file into DuckDB as text, accounting for every physical line of the file.

``read_csv`` transcodes the file to UTF-8 when DuckDB cannot read it (DuckDB 2.0 knows
only utf-8, utf-16 and latin-1), loads every column as VARCHAR with the dialect given,
and returns the accepted rows (with their physical line ``_line``), the rejected records
(with their physical line and a French reason) and the skipped lines (preamble, blank,
footer). Invariant: every line of the file is header, accepted, rejected or skipped.

How ``_line`` is computed (measured on a 1,000,000-line, 200 MB file): DuckDB gives no
byte position for accepted records, and a Python CSV state machine costs seconds. So a
newline index of the UTF-8 file is built while transcoding (numpy, ~0.3 s), DuckDB says
which rows hold line breaks in their values (``contains``, ~0.5 s), and records are laid
out in file order (CREATE TABLE AS keeps insertion order, hence ``rowid``) around the
obstacles: rejected records (located by ``line_byte_position``) and blank lines.
``_line`` is then added with ALTER + UPDATE joined on ``rowid`` (~0.5 s; a copy through
POSITIONAL JOIN took ~1.8 s).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from .. import findings
from .dialect import Dialect, Reject, SkippedLine
from ..errors import LoaderError
from ..store import quote_ident

log = logging.getLogger(__name__)

CHUNK = 1 << 23
# A record spanning more lines than this is taken for an unterminated quote that ate the file.
MAX_RECORD_LINES = 50
MAX_RESYNC = 200          # re-reads after unterminated quotes before giving up resynchronising
_NATIVE = {"utf-8", "utf-8-sig", "ascii"}


@dataclass
class LoadResult:
    """What :func:`read_csv` loaded: the accepted rows in ``con.table`` and the rest, located."""

    con: duckdb.DuckDBPyConnection
    table: str
    columns: list[str]
    rows_ok: int
    rows_rejected: int
    rejects: list[Reject]
    skipped: list[SkippedLine]
    dialect: Dialect
    findings: list[findings.Finding] = field(default_factory=list)
    source: str = ""
    header_line: int | None = None
    partial: bool = False          # only the first ``bytes_read`` bytes were read (preview)
    bytes_read: int = 0
    file_size: int = 0


@dataclass
class _Utf8File:
    path: Path
    newlines: np.ndarray      # byte offsets of the line terminator byte (\n, or \r for CR files)
    size: int
    term: int                 # 10 or 13
    bytes_read: int
    partial: bool
    bad_chars: int


def dedupe_columns(names: list[str]) -> list[str]:
    """Make header names unique and non-empty (``colonne_3``, ``Nom_2``), keeping the file's spelling."""
    out: list[str] = []
    seen = {"_line"}
    for i, raw in enumerate(names, 1):
        base = raw.strip() or f"colonne_{i}"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        out.append(name)
    return out


def _check_file(path: Path) -> int:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except IsADirectoryError as exc:
        raise LoaderError(f"{path} is a directory", f"{path} est un dossier, pas un fichier CSV.") from exc
    except FileNotFoundError as exc:
        raise LoaderError(f"{path} not found", f"Fichier introuvable : {path}") from exc
    except OSError as exc:
        raise LoaderError(f"cannot read {path}: {exc}", f"Fichier illisible : {path} ({exc.strerror}).") from exc
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n") if not head.startswith((b"\xff\xfe", b"\xfe\xff")) \
        else head[2:].replace(b"\x00", b"").strip()
    if size == 0 or not stripped:
        raise LoaderError(f"{path} is empty", f"Le fichier {path.name} est vide.")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in head or _binary_ratio(head) > 0.1):
        raise LoaderError(f"{path} looks binary", f"Le fichier {path.name} n'est pas un fichier texte (fichier binaire).")
    return size


def _binary_ratio(head: bytes) -> float:
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return ctrl / max(len(head), 1)


def _to_utf8(path: Path, dialect: Dialect, tmpdir: Path, max_bytes: int | None) -> _Utf8File:
    """Stream the file to UTF-8 if needed (bounded memory), indexing line terminators on the way."""
    enc = codecs.lookup(dialect.encoding).name
    term = 13 if dialect.line_terminator == "\r" else 10
    size = path.stat().st_size
    partial = max_bytes is not None and size > max_bytes
    native = enc in _NATIVE
    target = path if native and not partial else tmpdir / "utf8.csv"
    decoder = None if native else codecs.getincrementaldecoder(enc)(errors="replace")
    parts: list[np.ndarray] = []
    written = read = bad = 0
    out = None if target == path else target.open("wb")
    try:
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(CHUNK if not partial else min(CHUNK, max_bytes or CHUNK))
                final = not chunk
                read += len(chunk)
                if decoder is not None:
                    text = decoder.decode(chunk, final)
                    bad += text.count("\ufffd")
                    data = text.encode("utf-8")
                else:
                    data = chunk
                if partial and (final or read >= (max_bytes or 0)):
                    cut = data.rfind(bytes([term]))
                    data = data[: cut + 1] if cut >= 0 else data
                    final = True
                if data:
                    arr = np.frombuffer(data, dtype=np.uint8)
                    parts.append(np.flatnonzero(arr == term) + written)
                    if out is not None:
                        out.write(data)
                    written += len(data)
                if final:
                    break
    except OSError as exc:
        raise LoaderError(f"cannot read {path}: {exc}", f"Fichier illisible : {path} ({exc.strerror}).") from exc
    finally:
        if out is not None:
            out.close()
    newlines = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return _Utf8File(target, newlines.astype(np.int64), written, term, read if partial else size, partial, bad)


def _csv_module_dialect(d: Dialect) -> dict[str, Any]:
    if d.quotechar:
        return {"delimiter": d.delimiter, "quotechar": d.quotechar, "escapechar": d.escapechar,
                "doublequote": d.escapechar is None, "strict": False}
    return {"delimiter": d.delimiter, "quoting": csv.QUOTE_NONE, "escapechar": d.escapechar}


def _read_header(f: _Utf8File, d: Dialect) -> tuple[list[str], int, list[int], list[str] | None]:
    """First record after the preamble: (fields, last physical line of the header, blank lines before it,
    fields of the record after it or None)."""
    with f.path.open("rb") as fh:
        text = fh.read(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = io.StringIO(text, newline="").readlines()
    blanks: list[int] = []
    pos = d.skip_rows
    while pos < len(lines) and not lines[pos].strip("\r\n"):
        pos += 1
        blanks.append(pos)
    reader = csv.reader(iter(lines[pos:]), **_csv_module_dialect(d))
    try:
        first = next(reader)
    except (StopIteration, csv.Error):
        return [], pos, blanks, None
    end = pos + reader.line_num
    try:
        second: list[str] | None = next(reader)
    except (StopIteration, csv.Error):
        second = None
    return first, end, blanks, second



class _LineIndex:
    """Physical lines of the UTF-8 file: start/end offsets, blank lines, text of a line."""

    def __init__(self, f: _Utf8File) -> None:
        self.f = f
        nl = f.newlines
        self.total = len(nl) + (1 if f.size and (not len(nl) or nl[-1] != f.size - 1) else 0)
        self.starts = np.concatenate([[0], nl + 1])[: self.total]
        self.ends = np.concatenate([nl, [f.size]])[: self.total]
        self.mm = np.memmap(f.path, dtype=np.uint8, mode="r") if f.size else np.zeros(0, np.uint8)
        lens = self.ends - self.starts
        blank = lens == 0
        if f.term == 10:   # CRLF: a blank line is a lone \r before \n
            one = np.flatnonzero(lens == 1)
            blank[one] = self.mm[self.starts[one]] == 13
        if self.total:
            blank[0] = blank[0] or bytes(self.mm[: self.ends[0]]).strip(b"\xef\xbb\xbf\r") == b""
        self.blank_lines = np.flatnonzero(blank) + 1

    def line_of(self, pos: int) -> int:
        # A terminator byte belongs to the next line: DuckDB's line_byte_position is sometimes one off.
        return int(np.searchsorted(self.f.newlines, pos, side="right")) + 1

    def text(self, line: int, span: int = 1) -> str:
        a, b = self.starts[line - 1], self.ends[min(line + span - 1, self.total) - 1]
        raw = bytes(self.mm[a:b]).decode("utf-8", errors="replace")
        return raw.replace("\r\n", "\n").rstrip("\r")


_REASONS = {
    "MISSING COLUMNS": "Colonnes manquantes : {found} valeur(s) au lieu de {expected}",
    "TOO MANY COLUMNS": "Colonnes en trop : {found} valeur(s) au lieu de {expected}",
    "UNQUOTED VALUE": "Guillemet mal placé : une valeur entre guillemets est suivie d'autres caractères",
    "INVALID ENCODING": "Caractères invalides pour l'encodage du fichier",
    "LINE SIZE OVER MAXIMUM": "Ligne trop longue",
}
UNTERMINATED = "Guillemet non fermé : la valeur ouverte sur cette ligne n'est jamais refermée"


def _reason(error_type: str, message: str) -> str:
    m = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message or "")
    tpl = _REASONS.get(error_type, "Ligne illisible ({error})")
    return tpl.format(expected=m.group(1) if m else "?", found=m.group(2) if m else "?", error=error_type)


@dataclass
class _Rej:
    line: int
    span: int
    reason: str
    error_type: str
    unterminated: bool = False


def _segment_rejects(con: duckdb.DuckDBPyConnection, rej_table: str, idx: _LineIndex, base: int) -> list[_Rej]:
    rows = con.execute(
        f"SELECT line_byte_position, error_type, csv_line, error_message FROM {quote_ident(rej_table)} "
        "ORDER BY line_byte_position, byte_position").fetchall()
    term = "\r" if idx.f.term == 13 else "\n"
    out: dict[int, _Rej] = {}
    for pos, etype, csv_line, msg in rows:
        body = (csv_line or "").lstrip("\r\n").replace("\r\n", "\n").rstrip("\r\n")
        # DuckDB places some rejects at the end of the file (empty csv_line): that is the last line.
        line = min(idx.line_of(int(pos) + base), idx.total)
        first = body.split(term, 1)[0].rstrip("\r")
        for cand in (line, line - 1, line + 1):   # confirm on the text when DuckDB's offset is off
            if 1 <= cand <= idx.total and idx.text(cand) == first:
                line = cand
                break
        span = body.count(term) + 1
        unterminated = (etype in ("UNQUOTED VALUE", "LINE SIZE OVER MAXIMUM") and span > 1)
        if line in out:
            out[line].unterminated |= unterminated
            continue
        out[line] = _Rej(line, span, _reason(etype, msg), etype, unterminated)
    return sorted(out.values(), key=lambda r: r.line)


def _layout(first: int, spans: np.ndarray, obstacles: list[tuple[int, int, bool]]) -> tuple[np.ndarray, list[int]]:
    """Start line of each accepted record, laid out from ``first`` around obstacles.

    ``obstacles`` are (line, span, is_blank) in line order; a blank line that falls inside a
    multi-line record belongs to a quoted value and is not an obstacle. Returns the starts and
    the blank lines that were skipped. Loops over obstacles only, not over rows.
    """
    n = len(spans)
    base = first + np.concatenate([[0], np.cumsum(spans)[:-1]]) if n else np.zeros(0, np.int64)
    diff = np.zeros(n + 1, dtype=np.int64)
    shift = below = kcur = 0
    used: list[int] = []
    for line, span, is_blank in obstacles:
        k = kcur + int(np.searchsorted(base[kcur:], line - shift, side="left"))
        if k > kcur:
            below = shift
        if k > 0 and base[k - 1] + below + spans[k - 1] > line:
            continue  # inside the previous record (blank line of a quoted value)
        diff[k] += span
        shift += span
        kcur = k
        if is_blank:
            used.append(line)
    return base + np.cumsum(diff)[:n], used


def _segment_source(idx: _LineIndex, d: Dialect, start: int, tail: Path) -> tuple[Path, int, int]:
    """Where DuckDB reads the records from line ``start``: (file, skip, byte offset of that file).

    DuckDB's ``skip`` is quote-aware (it counts records, not lines), so it is used only when
    every line before ``start`` has balanced quotes; otherwise the tail is copied from its byte offset.
    """
    if start <= 1:
        return idx.f.path, 0, 0
    q = (d.quotechar or "").encode()
    head = bytes(idx.mm[: idx.starts[start - 1]]) if start - 1 < idx.total else b""
    if not q or (start <= 200 and all(line.count(q) % 2 == 0 for line in head.split(bytes([idx.f.term])))):
        return idx.f.path, start - 1, 0
    offset = int(idx.starts[start - 1]) if start - 1 < idx.total else idx.f.size
    with idx.f.path.open("rb") as src, tail.open("wb") as dst:
        src.seek(offset)
        shutil.copyfileobj(src, dst, CHUNK)
    return tail, 0, offset


def _read_segment(con: duckdb.DuckDBPyConnection, path: Path, d: Dialect, ncols: int, skip: int,
                  seg: str, rej: str) -> None:
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    quote = d.quotechar or ""
    escape = d.escapechar if d.escapechar is not None else quote
    # new_line is given only for CR-only files: DuckDB 2.0 reads LF and CRLF by itself, and a forced
    # '\n' on a CRLF file whose quoted cells hold LFs silently returned no rows and no rejects.
    new_line = ", new_line = '\\r'" if d.line_terminator == "\r" else ""
    sql = (f"CREATE OR REPLACE TABLE {quote_ident(seg)} AS SELECT * FROM read_csv(?, auto_detect = false, "
           f"header = false, skip = ?, delim = ?, quote = ?, escape = ?{new_line}, columns = {cols}, "
           "nullstr = ?, store_rejects = true, rejects_table = ?, rejects_scan = ?)")
    try:
        con.execute(sql, [str(path), skip, d.delimiter, quote, escape, "\0", rej, rej + "_scan"])
        return
    except duckdb.InvalidInputException as exc:
        if "state machine reached an invalid state" not in str(exc):
            raise
        failure = exc
    # A line end of another kind (a bare LF in a CRLF or CR file, a bare CR in an LF file) stops DuckDB's
    # parser for the whole file, even inside a value. It is no line end for econn's line index either:
    # read a copy where each such byte is a free control character (same length: byte offsets and lines
    # unchanged), then put the original character back in the values.
    with tempfile.TemporaryDirectory(prefix="econn-mask-") as tmp:
        masked = Path(tmp) / "masked.csv"
        marks = _mask_stray_line_ends(path, masked, d.line_terminator)
        if marks is None:
            raise failure
        for t in (rej, rej + "_scan"):
            con.execute(f"DROP TABLE IF EXISTS {quote_ident(t)}")
        con.execute(sql, [str(masked), skip, d.delimiter, quote, escape, "\0", rej, rej + "_scan"])
    sets = []
    for i in range(ncols):
        c = quote_ident(f"c{i}")
        for mark, orig in marks.items():
            c = f"replace({c}, chr({mark}), chr({orig}))"
        sets.append(f"{quote_ident(f'c{i}')} = {c}")
    con.execute(f"UPDATE {quote_ident(seg)} SET {', '.join(sets)}")


_MARKS = (0x1E, 0x1F, 0x1C, 0x1D)


def _mask_stray_line_ends(src: Path, dst: Path, line_terminator: str) -> dict[int, int] | None:
    """Copy ``src`` to ``dst`` with each line-end byte foreign to ``line_terminator`` replaced by a control
    character absent from the file; returns {mark: original byte}, or None when there is nothing to mask or
    no free mark."""
    data = np.fromfile(src, dtype=np.uint8)
    if line_terminator == "\r":
        stray = {10: data == 10}
    else:
        nxt = np.concatenate([data[1:], np.zeros(1, np.uint8)])
        prev = np.concatenate([np.zeros(1, np.uint8), data[:-1]])
        stray = {13: (data == 13) & (nxt != 10)}
        if line_terminator == "\r\n":
            stray[10] = (data == 10) & (prev != 13)
    stray = {b: m for b, m in stray.items() if m.any()}
    free = [m for m in _MARKS if not (data == m).any()]
    if not stray or len(free) < len(stray):
        return None
    marks = dict(zip(free, stray, strict=False))
    for mark, orig in marks.items():
        data[stray[orig]] = mark
    data.tofile(dst)
    return marks


def _row_spans(con: duckdb.DuckDBPyConnection, seg: str, ncols: int, term: int, n: int) -> np.ndarray:
    spans = np.ones(n, dtype=np.int64)
    ch = f"chr({term})"
    cols = [quote_ident(f"c{i}") for i in range(ncols)]
    cond = " OR ".join(f"contains({c}, {ch})" for c in cols)
    count = " + ".join(f"coalesce(strlen({c}) - strlen(replace({c}, {ch}, '')), 0)" for c in cols)
    res = con.execute(f"SELECT rowid, {count} FROM {quote_ident(seg)} WHERE {cond}").fetchnumpy()
    if len(res["rowid"]):
        spans[res["rowid"].astype(np.int64)] += list(res.values())[1].astype(np.int64)
    return spans


def read_csv(path: str | os.PathLike[str], con: duckdb.DuckDBPyConnection | None = None,
             dialect: Dialect | None = None, table: str = "rows", *, max_bytes: int | None = None) -> LoadResult:
    """Load a CSV file as text into DuckDB, locating every rejected and skipped line.

    Args:
        path: the CSV file.
        con: DuckDB connection to load into (a new in-memory one if None).
        dialect: encoding and dialect; sniffed with :func:`econn.reading.sniffer.sniff` when None.
        table: name of the table of accepted rows (replaced if it exists); all columns VARCHAR,
            named after the file's header, plus ``_line`` (physical 1-based line of the record).
        max_bytes: read only the beginning of the file (preview); the result says ``partial``.

    Returns:
        A :class:`LoadResult`; ``findings`` holds one FIC-REJET per rejected record.

    Raises:
        LoaderError: the path is missing or unreadable, the file is empty or binary.
    """
    p = Path(path)
    file_size = _check_file(p)
    if dialect is None:
        from .sniffer import sniff  # lazy: the sniffer is heavier and optional for callers with a dialect

        dialect = sniff(p)
        sniffed = True
    else:
        sniffed = False
    if con is None:
        con = duckdb.connect()
        # DuckDB draws a progress bar on stdout after 2 s, which would corrupt `econn preview --json`.
        con.execute("SET enable_progress_bar = false")
    tmpdir = Path(tempfile.mkdtemp(prefix="econn-load-"))
    try:
        res = _load(p, con, dialect, table, max_bytes, tmpdir, file_size)
        if sniffed and dialect.confidence < GUESS_CONFIDENCE:
            # The user must confirm a format the sniffer was unsure of (domain brief: FIC-SEP).
            res.findings.append(findings.make(
                "FIC-SEP", source=str(p), separator=_DELIM_NAMES.get(dialect.delimiter, dialect.delimiter),
                hint=f"Format deviné avec une confiance de {dialect.confidence:.0%} : confirmez le séparateur "
                     "et la décimale dans l'aperçu."))
        return res
    except duckdb.Error as exc:
        raise LoaderError(f"DuckDB could not read {p}: {exc}",
                          f"Lecture impossible de {p.name} avec ce format (séparateur, guillemets) : {exc}") from exc
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _load(p: Path, con: duckdb.DuckDBPyConnection, d: Dialect, table: str, max_bytes: int | None,
          tmpdir: Path, file_size: int) -> LoadResult:
    try:
        f = _to_utf8(p, d, tmpdir, max_bytes)
    except LookupError as exc:
        raise LoaderError(f"unknown encoding {d.encoding}", f"Encodage inconnu : {d.encoding}") from exc
    idx = _LineIndex(f)
    skipped = [SkippedLine(i, "preambule", idx.text(i)) for i in range(1, min(d.skip_rows, idx.total) + 1)]
    header, header_end, pre_blanks, second = _read_header(f, d)
    skipped += [SkippedLine(b, "vide", "") for b in pre_blanks]
    if not header:
        raise LoaderError(f"{p} has no record", f"Le fichier {p.name} ne contient aucune ligne lisible.")
    columns = dedupe_columns(header) if d.has_header else [f"colonne_{i}" for i in range(1, len(header) + 1)]
    ncols = len(header)
    if d.has_header and second is not None and len(second) < ncols:
        from .formats.detection import absent_trailing   # lazy: files with full rows never need the registry

        # Columns read from the rows: all but the trailing ones a known export leaves out (then NULL).
        ncols -= absent_trailing(header, second)
    first = header_end + 1 if d.has_header else d.skip_rows + len(pre_blanks) + 1
    rejects: list[_Rej] = []
    kept: list[tuple[str, int, np.ndarray]] = []
    blanks_used: list[int] = []
    accepted_spans: list[tuple[np.ndarray, np.ndarray]] = []
    start, k = first, 0
    while start <= idx.total and k <= MAX_RESYNC:
        seg, rej = f"_econn_seg_{k}", f"_econn_rej_{k}"
        src, skip, base = _segment_source(idx, d, start, tmpdir / f"tail_{k}.csv")
        _read_segment(con, src, d, ncols, skip, seg, rej)
        n = con.execute(f"SELECT count(*) FROM {quote_ident(seg)}").fetchall()[0][0]
        seg_rejects = _segment_rejects(con, rej, idx, base)
        con.execute(f"DROP TABLE IF EXISTS {quote_ident(rej)}; DROP TABLE IF EXISTS {quote_ident(rej + '_scan')}")
        spans = _row_spans(con, seg, ncols, f.term, n) if n else np.zeros(0, np.int64)
        blanks = [] if ncols == 1 else [int(b) for b in idx.blank_lines if b >= start]
        obstacles = sorted([(r.line, r.span, False) for r in seg_rejects] + [(b, 1, True) for b in blanks])
        starts, used = _layout(start, spans, obstacles)
        cut = _first_unterminated(seg_rejects, starts, spans)
        if cut is None:
            rejects += seg_rejects
            blanks_used += used
            kept.append((seg, n, starts))
            accepted_spans.append((starts, spans))
            break
        keep = int(np.searchsorted(starts, cut))
        rejects += [r for r in seg_rejects if r.line < cut]
        blanks_used += [b for b in used if b < cut]
        kept.append((seg, keep, starts[:keep]))
        accepted_spans.append((starts[:keep], spans[:keep]))
        # In a preview the head may end inside a quoted value: that record is cut, not broken.
        if not (f.partial and _reaches_end(seg_rejects, cut, idx.total)):
            rejects.append(_Rej(cut, 1, UNTERMINATED, "UNTERMINATED", True))
            log.info("%s: unterminated quote at line %d, re-reading from line %d", p, cut, cut + 1)
        start, k = cut + 1, k + 1
    skipped += [SkippedLine(b, "vide", "") for b in blanks_used]
    _assemble(con, table, kept, columns, ncols)
    if ncols == 1:   # DuckDB yields a row for a blank line of a one-column file: make it a skipped line
        blank_rows = con.execute(
            f"DELETE FROM {quote_ident(table)} WHERE {quote_ident(columns[0])} = '' AND _line IN "
            f"(SELECT unnest(?::BIGINT[])) RETURNING _line", [idx.blank_lines.tolist()]).fetchall()
        skipped += [SkippedLine(int(r[0]), "vide", "") for r in blank_rows]
    rows_ok = con.execute(f"SELECT count(*) FROM {quote_ident(table)}").fetchall()[0][0]
    last_ok = con.execute(f"SELECT max(_line) FROM {quote_ident(table)}").fetchall()[0][0] or 0
    rejects, footer = _split_footer(rejects, last_ok, idx, d)
    skipped += footer
    out = [Reject(r.line, r.reason, idx.text(r.line, r.span)) for r in rejects]
    out += _unaccounted(idx, header_end if d.has_header else d.skip_rows + len(pre_blanks), accepted_spans,
                        rejects, skipped, con, table)
    out.sort(key=lambda r: r.line)
    fnd = [findings.make("FIC-REJET", source=str(p), line=r.line, reason=r.reason) for r in out]
    if f.bad_chars:
        fnd.append(findings.make("FIC-ENC", source=str(p), level="alerte",
                                 detail=f"{f.bad_chars} caractère(s) impossible(s) à décoder en {d.encoding}"))
    skipped.sort(key=lambda s: s.line)
    return LoadResult(con, table, columns, int(rows_ok), len(out), out, skipped, d, fnd, str(p),
                      header_end if d.has_header else None, f.partial, f.bytes_read, file_size)


GUESS_CONFIDENCE = 0.8
_DELIM_NAMES = {"\t": "tabulation", " ": "espace"}

UNACCOUNTED = "Ligne non reconnue par le lecteur CSV (vérifiez guillemets et fins de ligne)"


def _unaccounted(idx: "_LineIndex", header_end: int, accepted: list[tuple[np.ndarray, np.ndarray]],
                 rejects: list["_Rej"], skipped: list[SkippedLine], con: duckdb.DuckDBPyConnection,
                 table: str) -> list[Reject]:
    """Every physical line must be header, accepted, rejected or skipped: list any other as a reject.

    A safety net for the engine's blind spots (DuckDB once returned no rows and no rejects for a
    CRLF file with quoted LFs read with ``new_line='\\n'``): nothing may vanish silently.
    """
    total = idx.total
    covered = np.zeros(total + 2, dtype=bool)
    covered[1:header_end + 1] = True
    for starts, spans in accepted:
        if len(starts):
            # mark [start, start + span) of every record at once, through a difference array
            diff = np.zeros(total + 3, dtype=np.int64)
            np.add.at(diff, np.clip(starts, 0, total + 1), 1)
            np.add.at(diff, np.clip(starts + spans, 0, total + 2), -1)
            covered |= np.cumsum(diff)[: total + 2] > 0
    for r in rejects:
        covered[r.line:min(r.line + r.span, total + 1)] = True
    for sk in skipped:
        if sk.line <= total:
            covered[sk.line] = True
    missing = np.flatnonzero(~covered[1:total + 1]) + 1
    if len(missing):
        log.warning("%d line(s) neither accepted nor rejected by DuckDB; listed as rejects", len(missing))
    return [Reject(int(m), UNACCOUNTED, idx.text(int(m))) for m in missing]


def _first_unterminated(rejs: list[_Rej], starts: np.ndarray, spans: np.ndarray) -> int | None:
    """First line where a quote opens and never closes (a reject, or an absurdly long accepted record)."""
    cands = [r.line for r in rejs if r.unterminated]
    long_rows = np.flatnonzero(spans > MAX_RECORD_LINES)
    if len(long_rows):
        cands.append(int(starts[long_rows[0]]))
    return min(cands) if cands else None


def _reaches_end(rejs: list[_Rej], cut: int, total: int) -> bool:
    return any(r.line == cut and r.line + r.span - 1 >= total for r in rejs)


def _assemble(con: duckdb.DuckDBPyConnection, table: str, kept: list[tuple[str, int, np.ndarray]],
              columns: list[str], ncols: int) -> None:
    """Final table: the kept part of each segment, renamed columns (the ``columns`` beyond the ``ncols`` read
    are NULL), plus ``_line``."""
    absent = columns[ncols:]
    sel = ", ".join([f"{quote_ident(f'c{i}')} AS {quote_ident(columns[i])}" for i in range(ncols)]
                    + [f"CAST(NULL AS VARCHAR) AS {quote_ident(c)}" for c in absent])
    t = quote_ident(table)
    if not kept:   # header only: an empty table with the file's columns
        defs = ", ".join(f"{quote_ident(c)} VARCHAR" for c in columns)
        con.execute(f"CREATE OR REPLACE TABLE {t} ({defs}, _line BIGINT)")
        return
    lines = np.concatenate([s for _, _, s in kept])
    con.register("_econn_lines_df", _lines_frame(lines))
    con.execute("CREATE OR REPLACE TEMP TABLE _econn_lines AS SELECT * FROM _econn_lines_df")
    con.unregister("_econn_lines_df")
    if len(kept) == 1 and kept[0][1] == len(kept[0][2]):
        # Common case: rename in place (no copy), then attach _line by rowid.
        seg = kept[0][0]
        con.execute(f"DROP TABLE IF EXISTS {t}")
        for i in range(ncols):
            con.execute(f"ALTER TABLE {quote_ident(seg)} RENAME COLUMN {quote_ident(f'c{i}')} TO {quote_ident(columns[i])}")
        for c in absent:
            con.execute(f"ALTER TABLE {quote_ident(seg)} ADD COLUMN {quote_ident(c)} VARCHAR")
        con.execute(f"ALTER TABLE {quote_ident(seg)} RENAME TO {t}")
        con.execute(f"ALTER TABLE {t} ADD COLUMN _line BIGINT")
        con.execute(f"UPDATE {t} SET _line = l._line FROM _econn_lines l WHERE {t}.rowid = l.i")
    else:
        parts, offset = [], 0
        for seg, keep, _ in kept:
            parts.append(f"SELECT {sel}, (rowid + {offset}) AS _i FROM {quote_ident(seg)} WHERE rowid < {keep}")
            offset += keep
        con.execute(f"CREATE OR REPLACE TABLE {t} AS SELECT u.* EXCLUDE (_i), l._line FROM ({' UNION ALL '.join(parts)}) u "
                    "JOIN _econn_lines l ON u._i = l.i ORDER BY l._line")
        for seg, _, _ in kept:
            con.execute(f"DROP TABLE IF EXISTS {quote_ident(seg)}")
    con.execute("DROP TABLE IF EXISTS _econn_lines")


def _lines_frame(lines: np.ndarray) -> dict[str, np.ndarray]:
    # DuckDB scans a dict of numpy arrays directly: no pandas import (it costs ~0.5 s to a preview).
    return {"i": np.arange(len(lines), dtype=np.int64), "_line": lines.astype(np.int64)}


_FOOTER_WORDS = re.compile(r"(?i)\b(total|sous-total|fin|nombre|nb|lignes?|enregistrements?|records?|rows?|"
                           r"export|g[ée]n[ée]r[ée]|page|count|somme)\b")


def _split_footer(rejs: list[_Rej], last_ok: int, idx: _LineIndex, d: Dialect) -> tuple[list[_Rej], list[SkippedLine]]:
    """Trailing short lines after the last accepted record (« Total : 3 commandes ») are a footer."""
    tail = [r for r in rejs if r.line > last_ok]
    if not last_ok or not tail or len(tail) > 3:
        return rejs, []
    for r in tail:
        text = idx.text(r.line)
        values = [v for v in text.split(d.delimiter) if v.strip()]
        if r.span != 1 or r.error_type != "MISSING COLUMNS" or len(values) > 2:
            return rejs, []
        # A short data row (« H2;Dupont ») is a reject, not a footer: a footer says what it is.
        if len(values) == 2 and not _FOOTER_WORDS.search(text):
            return rejs, []
    return [r for r in rejs if r.line <= last_ok], [SkippedLine(r.line, "pied", idx.text(r.line)) for r in tail]
