"""The typed step: French-formatted text columns → typed columns, bad values → findings.

The loader keeps every value as the text written in the file; this step is separate and
explicit. Each column is converted by one SQL query using the macros of
:mod:`econn.reading.sqlfuncs` (no Python loop over rows), and every non-empty value that does not
parse becomes a ``FIC-VALEUR`` finding at its physical line, never a silent NULL.
The pure helpers :func:`parse_decimal` and :func:`parse_date` read single values the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import duckdb

from .. import findings
from .sqlfuncs import install_macros
from ..store import quote_ident

Kind = Literal["decimal", "integer", "date", "datetime", "code", "bool", "text"]

# kind → (SQL macro, SQL type of the typed column, French name of the expected format)
KINDS: dict[str, tuple[str, str, str]] = {
    "decimal": ("fr_decimal", "DECIMAL(18, 4)", "nombre décimal (1 234,56)"),
    "integer": ("fr_int", "BIGINT", "nombre entier"),
    "date": ("fr_date", "DATE", "date (jj/mm/aaaa)"),
    "datetime": ("fr_timestamp", "TIMESTAMP", "date et heure (jj/mm/aaaa hh:mm)"),
    "code": ("fr_code", "VARCHAR", "code (texte, zéros initiaux conservés)"),
    "bool": ("fr_bool", "BOOLEAN", "oui/non"),
    "text": ("", "VARCHAR", "texte"),
}
MAX_FINDINGS_PER_COLUMN = 1000

_SPACES = re.compile("[ \u00a0\u202f']")
_DOT_GROUPS = re.compile(r"[-+]?\d{1,3}(\.\d{3}){2,}")
_TIME = r"([ T](\d{1,2}):(\d{2})(:(\d{2})(\.\d+)?)?)?( ?(Z|[+-]\d{2}:?\d{2}))?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_FR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})" + _TIME)


def parse_decimal(text: str | None) -> Decimal | None:
    """Read a French number: decimal comma, thousands as spaces (also no-break) or dots.

    ``"1 234,56"`` → ``Decimal("1234.56")``; ``"1.234.567"`` → 1234567; ``"12.5"`` → 12.5
    (a lone dot is a decimal point); anything else → None. Same rules as SQL ``fr_decimal``.
    """
    if text is None or not text.strip():
        return None
    v = _SPACES.sub("", text.strip())
    if "," in v and re.search(r",[^.]*\.", v):   # 1,234.56: English style, the dot is decimal
        v = v.replace(",", "")
    elif "," in v:
        v = v.replace(".", "").replace(",", ".")
    elif _DOT_GROUPS.fullmatch(v):
        v = v.replace(".", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", v):
        return None
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """Read a date: ``dd/mm/yyyy``, ``dd/mm/yy`` (also ``-`` or ``.``), ISO, each with an optional time.

    Two-digit years 00–69 are 20xx, 70–99 are 19xx. Same rules as SQL ``fr_date``.
    """
    if text is None or not text.strip():
        return None
    v = text.strip()
    m = _ISO.fullmatch(v)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _FR.fullmatch(v)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            y += 2000 if y < 70 else 1900
    if m.group(5) is not None and not (int(m.group(5)) < 24 and int(m.group(6)) < 60
                                       and int(m.group(8) or 0) < 60):
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def type_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    spec: dict[str, str],
    source: str | None = None,
    typed_table: str | None = None,
    *,
    macros: bool = True,
) -> tuple[str, list[findings.Finding]]:
    """Create a typed copy of ``table`` and report the values that do not parse.

    Args:
        con: the connection holding ``table`` (as loaded by :func:`econn.reading.loaders.read_csv`).
        table: table of text columns with a ``_line`` column.
        spec: column → kind (decimal, integer, date, datetime, code, bool, text); columns not
            listed are copied as text.
        source: file name put on the findings.
        typed_table: name of the new table (default ``<table>_typed``), replaced if it exists.
        macros: install the :mod:`econn.reading.sqlfuncs` macros first; a caller typing several tables on one
            connection installs them once (:func:`econn.reading.sqlfuncs.install_macros`) and passes False
            (~30 ms per install on a loaded 2-core machine).

    Returns:
        (name of the typed table, FIC-VALEUR findings with line, column and value). At most
        ``MAX_FINDINGS_PER_COLUMN`` findings per column; the last one says how many were left out.

    Raises:
        ValueError: unknown kind or column (a programming error, not bad data).
    """
    if macros:
        install_macros(con)
    cols = [r[0] for r in con.execute(f"DESCRIBE {quote_ident(table)}").fetchall()]
    for col, kind in spec.items():
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} for column {col!r}; expected one of {sorted(KINDS)}")
        if col not in cols:
            raise ValueError(f"no column {col!r} in table {table}")
    out: list[findings.Finding] = []
    select = []
    for col in cols:
        macro, sqltype, _ = KINDS[spec.get(col, "text")]
        q = quote_ident(col)
        select.append(f"CAST({macro}({q}) AS {sqltype}) AS {q}" if macro else q)
        if macro:
            out += _bad_values(con, table, col, spec[col], source)
    name = typed_table or f"{table}_typed"
    con.execute(f"CREATE OR REPLACE TABLE {quote_ident(name)} AS SELECT {', '.join(select)} "
                f"FROM {quote_ident(table)} ORDER BY _line")
    return name, out


def _bad_values(con: duckdb.DuckDBPyConnection, table: str, col: str, kind: str,
                source: str | None) -> list[findings.Finding]:
    macro, _, expected = KINDS[kind]
    q = quote_ident(col)
    bad = f"{q} IS NOT NULL AND trim({q}) <> '' AND {macro}({q}) IS NULL"
    rows = con.execute(
        f"SELECT _line, {q}, count(*) OVER () FROM {quote_ident(table)} WHERE {bad} ORDER BY _line LIMIT ?",
        [MAX_FINDINGS_PER_COLUMN]).fetchall()
    out = [findings.make("FIC-VALEUR", source=source, line=int(line), column=col, value=value,
                         expected=expected) for line, value, _ in rows]
    if rows and rows[0][2] > len(rows):
        out.append(findings.make("FIC-VALEUR", source=source, column=col, value="…",
                                 hint=f"{rows[0][2] - len(rows)} autre(s) valeur(s) illisible(s) dans la colonne "
                                      f"{col} ; attendu : {expected}.", omitted=rows[0][2] - len(rows)))
    return out
