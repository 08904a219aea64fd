"""Guess the dialect of a CSV file (encoding, delimiter, quoting, header, preamble, formats).

Every candidate dialect is tried on a bounded sample with the ``csv`` module and scored the way
CleverCSV does (row-pattern consistency x share of cells that look like a known type), which is
what tells ``;`` from ``,`` when both occur; the rest (header, preamble, decimal mark, date
format) is read off the winning parse. Only the first ``sample_bytes`` of the file are read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from econn.reading.dialect import Dialect
from econn.reading.encoding import DEFAULT_SAMPLE_BYTES, decode_sample, detect_encoding, read_sample

DELIMITERS = (",", ";", "\t", "|", ":", "#", " ")
# Weak delimiters also occur inside values (times, free text, '#' comments): they need to win clearly.
_PRIOR = {",": 1.0, ";": 1.0, "\t": 1.0, "|": 0.95, ":": 0.7, "#": 0.7, " ": 0.7}
_MAX_RECORDS = 600      # enough rows to see the pattern; keeps 20-odd trial parses fast
_TYPED_ROWS = 200
_TYPED_CELLS = 3000

_NUMBER = re.compile(r"[-+]?[$€£]?\s?(\d+|\d{1,3}([ ,.\u00a0\u202f']\d{3})+)([.,]\d+)?([eE][-+]?\d+)?\s?[%€$£]?"
                     r"|[-+]?[.,]\d+([eE][-+]?\d+)?%?")
_DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?(\s?[AaPp][Mm])?")
_OTHER = re.compile(r"(https?://|www\.|mailto:)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(true|false|TRUE|FALSE|True|False|"
                    r"NULL|null|NaN|nan|N/A|n/a|NA|-|\.|\?)|[\w\\/.~-]*[/\\][\w\\/.~ -]*")
# Free text: anything without a character that a wrong split would leave behind.
_TEXT = re.compile(r"[^,;\t|\"]*")
_DECIMAL_COMMA = re.compile(r"[-+]?(\d{1,3}([ .\u00a0\u202f]\d{3})+|\d+),\d+")
_DECIMAL_DOT = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)\.\d+")

DATE_FORMATS = ("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d/%m/%y", "%m/%d/%y", "%d-%m-%Y", "%d.%m.%Y",
                "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%y", "%d.%m.%y")

Records = list[tuple[int, list[str]]]   # (first physical line, 0-based; fields)


def sniff(path: str | Path, *, sample_bytes: int = DEFAULT_SAMPLE_BYTES) -> Dialect:
    """Guess how a CSV file is written, reading only its first ``sample_bytes``.

    Args:
        path: the CSV file.
        sample_bytes: how many bytes to read from the start of the file (a bounded sample keeps
            a 1 GB file fast and a 50 MB single line harmless).

    Returns:
        The :class:`~econn.reading.dialect.Dialect`, with ``confidence``, ``encoding_confidence`` and
        English ``notes`` saying what was guessed.

    Raises:
        LoaderError: the file cannot be read, is empty or is binary (French ``message_fr``).
    """
    raw, truncated = read_sample(path, sample_bytes)
    guess = detect_encoding(raw, truncated, path)
    text = decode_sample(raw, guess, truncated)
    notes = list(guess.notes)
    if truncated:
        notes.append(f"dialect guessed from the first {len(raw)} bytes")
    dialect = Dialect(encoding=guess.codec, bom=guess.bom, encoding_confidence=round(guess.confidence, 3),
                      line_terminator=_line_terminator(text), notes=notes)
    _guess_structure(text, dialect)
    return dialect


def _line_terminator(text: str) -> str:
    # The end of the first line decides: counting every newline would let quoted line breaks
    # (LF inside the cells of a CRLF file, as Excel writes them) outvote the record separator.
    m = re.search(r"\r\n|\r|\n", text)
    return m.group(0) if m else "\n"


def _parse(text: str, delimiter: str, quote: str | None, escape: str | None) -> Records:
    """Parse the first records of ``text``; blank records are dropped but keep their line count."""
    options: dict = {"delimiter": delimiter, "strict": False, "skipinitialspace": True}
    if quote is None:
        options.update(quoting=csv.QUOTE_NONE, escapechar=escape)
    else:
        options.update(quotechar=quote, escapechar=escape, doublequote=escape is None)
    reader = csv.reader(io.StringIO(text, newline=""), **options)
    records: Records = []
    start = 0
    try:
        for row in reader:
            if any(row):
                records.append((start, row))
                if len(records) >= _MAX_RECORDS:
                    break
            start = reader.line_num
    except csv.Error:
        pass   # a field over the csv module's size limit: an unbalanced quote, a poor candidate anyway
    return records


def _cell_typed(cell: str) -> bool:
    # Short cells come back under every candidate dialect: cache them; long ones are rare.
    return _short_cell_typed(cell) if len(cell) <= 200 else _typed(cell)


@lru_cache(maxsize=1 << 14)
def _short_cell_typed(cell: str) -> bool:
    return _typed(cell)


def _typed(cell: str) -> bool:
    if "\t" in cell:
        return False   # a tab left inside a cell: the file is tab-separated, or the cell is not a clean value
    cell = cell.strip()
    if not cell:
        return True
    if cell[0] in "\"'" and cell[-1] == cell[0] and len(cell) > 1:
        return False   # quotes left in place: the quote character was wrong
    return bool(_TEXT.fullmatch(cell) or _NUMBER.fullmatch(cell) or _DATE.fullmatch(cell)
                or _TIME.fullmatch(cell) or _OTHER.fullmatch(cell))


def _data_rows(records: Records, delimiter: str) -> list[list[str]]:
    """Rows that count for scoring: '#' comment lines are left out (unless nothing else is left)."""
    rows = [r for _, r in records]
    if delimiter == "#":
        kept = [r for r in rows if r[0] or len(r) == 1]
    else:
        kept = [r for r in rows if not r[0].lstrip().startswith("#")]
    return kept or rows


def _spurious_split(text: str, rows: list[list[str]], width: int, share: float) -> bool:
    """Whether a weak delimiter (space, ':', '#') only splits by accident.

    It needs a few rows of the same width, and must not be cutting lines that read as one value
    (a time such as 15:02:37 split on ':').
    """
    count = round(share * len(rows))
    if count < 2 or (count < 3 and share <= 0.5):
        return True
    lines = [ln.strip() for ln in text.splitlines()[:_TYPED_ROWS] if ln.strip()]
    single = sum(1 for ln in lines if _is_value(ln) or _OTHER.fullmatch(ln))
    return single * 2 >= len(lines)


def _score(rows: list[list[str]]) -> tuple[float, int, float]:
    """CleverCSV-style score: pattern consistency x type score; plus modal width and its share."""
    if not rows:
        return 0.0, 0, 0.0
    widths = Counter(len(r) for r in rows)
    pattern = sum(n * (w - 1) / w for w, n in widths.items()) / len(widths) / len(rows)
    cells = [c for r in rows[:_TYPED_ROWS] for c in r][:_TYPED_CELLS]
    typed = sum(map(_cell_typed, cells)) / len(cells)
    width, count = max(widths.items(), key=lambda kv: (kv[1] * (kv[0] > 1), kv[0]))
    return pattern * max(typed, 0.01), width, count / len(rows)


def _candidates(text: str) -> Iterable[tuple[str, str | None, str | None]]:
    quotes = [q for q in ('"', "'") if q in text] + [None]
    escapes: list[str | None] = [None] + (["\\"] if '\\"' in text or "\\'" in text else [])
    for delimiter in DELIMITERS:
        if delimiter in text:
            for quote in quotes:
                for escape in escapes:
                    if quote is not None or escape is None:
                        yield delimiter, quote, escape


def _quote_evidence(records: Records) -> str:
    """'"' unless more cells of the unquoted parse are wrapped in single quotes than in double."""
    wrapped = Counter(c[0] for _, r in records for c in (x.strip() for x in r)
                      if len(c) > 2 and c[0] in "\"'" and c[-1] == c[0])
    return "'" if wrapped["'"] > wrapped['"'] else '"'


def _guess_structure(text: str, dialect: Dialect) -> None:
    """Fill the dialect's delimiter, quoting, header, preamble and formats from ``text``."""
    best_by_delimiter: dict[str, tuple] = {}
    raw_parse: dict[str, Records] = {}
    for rank, (delimiter, quote, escape) in enumerate(_candidates(text)):
        records = _parse(text, delimiter, quote, escape)
        if quote is None:
            raw_parse[delimiter] = records
        rows = _data_rows(records, delimiter)
        score, width, share = _score(rows)
        if width < 2 or (_PRIOR[delimiter] < 0.9 and _spurious_split(text, rows, width, share)):
            continue
        # A first row that does not split like the rest argues against the delimiter (W3C test305).
        if len(rows[0]) != width:
            score *= 0.7
        # Quote characters or line ends left inside the cells: the quotes do not sit at this delimiter's
        # field bounds ('"",";;"' read with ';' is one record of four cells over two lines). A value with a
        # doubled quote or a line break keeps it too, but under every delimiter alike.
        if quote is not None:
            cells = [c for r in rows[:_TYPED_ROWS] for c in r][:_TYPED_CELLS]
            score *= 1 - 0.5 * sum(quote in c or "\n" in c or "\r" in c for c in cells) / len(cells)
        # Earlier candidates (',' before ';', '"' before none) win ties: a tiny tie-breaker.
        score *= _PRIOR[delimiter] * (1 - 1e-4 * rank)
        entry = (score, delimiter, quote, escape, records, width, share)
        if delimiter not in best_by_delimiter or score > best_by_delimiter[delimiter][0]:
            best_by_delimiter[delimiter] = entry
    scored = sorted(best_by_delimiter.values(), key=lambda s: -s[0])
    if not scored or scored[0][0] <= 0.0:
        dialect.delimiter, dialect.quotechar, dialect.escapechar = ",", '"', None
        dialect.confidence = 0.5
        dialect.notes.append("single column: no delimiter splits the rows consistently; ',' assumed")
        records = _parse(text, ",", '"', None)
        _guess_formats(_guess_header(records, 1, dialect), dialect)
        return
    best, delimiter, quote, escape, records, width, share = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    quote = _quote_evidence(raw_parse.get(delimiter, []))
    if quote not in text:
        dialect.notes.append("no quoted field seen; '\"' assumed")
    dialect.delimiter, dialect.quotechar, dialect.escapechar = delimiter, quote, escape
    margin = 1.0 - runner_up / best if best else 0.0
    dialect.confidence = round(min(1.0, share * (0.6 + 0.4 * margin)), 3)
    dialect.notes.append(f"delimiter {delimiter!r} gives {width} fields on {share:.0%} of rows "
                         f"(score {best:.3f}, next delimiter {runner_up:.3f})")
    parsed_quote = scored[0][2]
    if parsed_quote is not None and parsed_quote != quote:
        records = _parse(text, delimiter, quote, escape)   # header and formats from the right quoting
    body = _guess_header(records, width, dialect)
    _guess_formats(body, dialect)


def _is_value(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and bool(_NUMBER.fullmatch(cell) or _DATE.fullmatch(cell) or _TIME.fullmatch(cell))


def _guess_header(records: Records, width: int, dialect: Dialect) -> list[list[str]]:
    """Set skip_rows (preamble lines) and has_header; return the body rows."""
    start = 0
    # Preamble: leading short rows ("Export du 21/11/2026") before the first row of full width.
    while (start < min(len(records), 30) and len(records[start][1]) < width
           and sum(1 for c in records[start][1] if c.strip()) <= max(1, width // 2)):
        start += 1
    if start == len(records) or start >= 30:
        start = 0
    if start:
        dialect.notes.append(f"{start} preamble record(s) before the header")
    dialect.skip_rows = records[start][0] if records else 0
    rows = [r for _, r in records[start:]]
    if not rows:
        dialect.has_header = False
        return []
    first, body = rows[0], rows[1:]
    if any(_is_value(c) for c in first):
        dialect.has_header = False
        dialect.notes.append("first row holds numbers or dates: no header")
        return rows
    if not body:
        dialect.has_header = all(c.strip() for c in first)
        dialect.notes.append("header only, no data rows" if dialect.has_header else "single row")
        return body if dialect.has_header else rows
    typed_cols = 0
    for i, _ in enumerate(first):
        column = [r[i].strip() for r in body[:_TYPED_ROWS] if i < len(r) and r[i].strip()]
        if column and sum(map(_is_value, column)) >= 0.8 * len(column):
            typed_cols += 1
    if typed_cols:
        dialect.has_header = True
    else:
        # All-text table: a header is the norm for a GC export; duplicate names argue against it.
        dialect.has_header = len(set(first)) == len(first) and all(c.strip() for c in first)
        dialect.notes.append("all-text columns: header guessed from distinct, non-empty first-row names")
    return body if dialect.has_header else rows


def _guess_formats(rows: list[list[str]], dialect: Dialect) -> None:
    """Decimal mark and dominant date format, read from the cells of the body rows."""
    commas = dots = 0
    dates: list[str] = []
    for row in rows[:_TYPED_ROWS * 2]:
        for cell in row:
            cell = cell.strip()
            if _DECIMAL_COMMA.fullmatch(cell):
                commas += 1
            elif _DECIMAL_DOT.fullmatch(cell):
                dots += 1
            elif _DATE.fullmatch(cell) and len(dates) < 300:
                dates.append(cell)
    if commas or dots:
        dialect.decimal = "," if commas >= dots else "."
        dialect.notes.append(f"decimal {dialect.decimal!r} ({commas} comma vs {dots} dot numbers)")
    else:
        dialect.decimal = "." if dialect.delimiter == "," else ","
        dialect.notes.append(f"no decimal number seen; {dialect.decimal!r} assumed")
    dialect.date_format = _date_format(dates, dialect.notes)


def _date_format(cells: list[str], notes: list[str]) -> str | None:
    """The format that parses the most date-like cells; dd/mm wins over mm/dd unless a day > 12 says."""
    if not cells:
        return None
    cells = list(dict.fromkeys(cells))[:60]   # distinct values: strptime is slow
    best, best_hits = None, 0
    for fmt in DATE_FORMATS:   # French orders first: they win ties (all days <= 12)
        hits = 0
        for cell in cells:
            try:
                datetime.strptime(cell, fmt)
                hits += 1
            except ValueError:
                pass
        if hits > best_hits:
            best, best_hits = fmt, hits
    if best:
        notes.append(f"dates look like {best} ({best_hits}/{len(cells)} cells)")
    return best
