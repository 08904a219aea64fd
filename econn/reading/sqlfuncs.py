"""SQL macros that read French-formatted text values inside DuckDB (bulk, no Python loop).

``fr_decimal('1 234,56')`` → 1234.56; ``fr_date('22/11/2026')`` → DATE; ``fr_bool('oui')`` → true.
A value that does not parse gives NULL, so callers find bad values with
``v IS NOT NULL AND trim(v) <> '' AND fr_decimal(v) IS NULL`` and report them as findings.
"""

from __future__ import annotations

import duckdb

# Spaces a French export uses as thousands separators: space, no-break space, narrow no-break space.
_SPACES = "[ \u00a0\u202f'']"  # '' is a quote inside a SQL literal (Swiss 1'234)

# Optional time of day and UTC offset after a date (the offset is dropped: local times are kept).
_TIME = "([ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?( ?(Z|[+-]\\d{2}:?\\d{2}))?"

_HELPERS = [
    # Two-digit years: 00-69 → 20xx, 70-99 → 19xx.
    """
    CREATE OR REPLACE TEMP MACRO fr_year(y) AS (
        CASE WHEN length(y) = 2 THEN CASE WHEN CAST(y AS INTEGER) < 70 THEN 2000 ELSE 1900 END + CAST(y AS INTEGER)
             ELSE TRY_CAST(y AS INTEGER) END)
    """,
    # The time part as an interval (zero when absent); an impossible time gives NULL.
    """
    CREATE OR REPLACE TEMP MACRO fr_time_part(v) AS (
        CASE WHEN NOT regexp_matches(trim(v), '[ T]\\d{1,2}:\\d{2}') THEN INTERVAL 0 SECOND
             WHEN TRY_CAST(regexp_extract(trim(v), '[ T](\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)', 1) AS TIME) IS NULL
                THEN NULL
             ELSE TRY_CAST(regexp_extract(trim(v), '[ T](\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)', 1) AS INTERVAL)
        END)
    """,
]

MACROS = _HELPERS + [
    # Decimal comma: drop thousands separators (spaces, dots before a comma), then comma → dot.
    # Without a comma, a dot is the decimal point unless it groups exactly three digits
    # more than once (1.234.567).
    f"""
    CREATE OR REPLACE TEMP MACRO fr_decimal(v) AS (
        CASE
            WHEN v IS NULL OR trim(v) = '' THEN NULL
            -- 1,234.56: both marks, the dot last, so the dot is the decimal point.
            WHEN contains(v, ',') AND regexp_matches(v, ',[^.]*\\.') THEN TRY_CAST(
                replace(regexp_replace(trim(v), '{_SPACES}', '', 'g'), ',', '') AS DECIMAL(18, 4))
            WHEN contains(v, ',') THEN TRY_CAST(
                replace(replace(regexp_replace(trim(v), '{_SPACES}', '', 'g'), '.', ''), ',', '.') AS DECIMAL(18, 4))
            WHEN regexp_full_match(regexp_replace(trim(v), '{_SPACES}', '', 'g'), '-?\\d{{1,3}}(\\.\\d{{3}}){{2,}}')
                THEN TRY_CAST(replace(regexp_replace(trim(v), '{_SPACES}', '', 'g'), '.', '') AS DECIMAL(18, 4))
            ELSE TRY_CAST(regexp_replace(trim(v), '{_SPACES}', '', 'g') AS DECIMAL(18, 4))
        END)
    """,
    # Dates: dd/mm/yyyy or dd/mm/yy (also with - or .), ISO yyyy-mm-dd, each with an optional
    # time (hh:mm[:ss[.fff]]) and UTC offset (Shopify's +0200). Anything else gives NULL.
    # Two-digit years: 00-69 → 2000s, 70-99 → 1900s (the strptime convention).
    f"""
    CREATE OR REPLACE TEMP MACRO fr_timestamp(v) AS (
        CASE
            WHEN v IS NULL OR trim(v) = '' THEN NULL
            WHEN regexp_full_match(trim(v), '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}{_TIME}') THEN
                TRY_STRPTIME(regexp_extract(trim(v), '^\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}'), '%Y-%m-%d') + fr_time_part(v)
            WHEN regexp_full_match(trim(v), '\\d{{1,2}}[/.-]\\d{{1,2}}[/.-](\\d{{2}}|\\d{{4}}){_TIME}') THEN
                TRY_STRPTIME(
                    regexp_extract(trim(v), '^(\\d{{1,2}})[/.-](\\d{{1,2}})[/.-](\\d{{2,4}})', 1) || '/' ||
                    regexp_extract(trim(v), '^(\\d{{1,2}})[/.-](\\d{{1,2}})[/.-](\\d{{2,4}})', 2) || '/' ||
                    CAST(fr_year(regexp_extract(trim(v), '^(\\d{{1,2}})[/.-](\\d{{1,2}})[/.-](\\d{{2,4}})', 3))
                         AS VARCHAR), '%d/%m/%Y') + fr_time_part(v)
            ELSE NULL
        END)
    """,
    """
    CREATE OR REPLACE TEMP MACRO fr_date(v) AS (CAST(fr_timestamp(v) AS DATE))
    """,
    # Integers: a decimal value with no fractional part; "1.234" is read as 1234 (French thousands).
    f"""
    CREATE OR REPLACE TEMP MACRO fr_int(v) AS (
        CASE
            WHEN v IS NULL OR trim(v) = '' THEN NULL
            WHEN regexp_full_match(regexp_replace(trim(v), '{_SPACES}', '', 'g'), '[-+]?\\d{{1,3}}(\\.\\d{{3}})+')
                THEN TRY_CAST(replace(regexp_replace(trim(v), '{_SPACES}', '', 'g'), '.', '') AS BIGINT)
            WHEN fr_decimal(v) = trunc(fr_decimal(v)) THEN TRY_CAST(fr_decimal(v) AS BIGINT)
            ELSE NULL
        END)
    """,
    # Codes keep leading zeros; Excel's scientific notation (1,23457E+12) means the code was destroyed.
    """
    CREATE OR REPLACE TEMP MACRO fr_code(v) AS (
        CASE
            WHEN v IS NULL THEN NULL
            WHEN regexp_full_match(trim(v), '\\d+([.,]\\d+)?[eE][+]\\d+') THEN NULL
            ELSE trim(v)
        END)
    """,
    """
    CREATE OR REPLACE TEMP MACRO fr_bool(v) AS (
        CASE
            WHEN v IS NULL OR trim(v) = '' THEN NULL
            WHEN lower(trim(v)) IN ('1', 'oui', 'o', 'vrai', 'true', 'yes', 'y', 'x', 'actif') THEN true
            WHEN lower(trim(v)) IN ('0', 'non', 'n', 'faux', 'false', 'no', 'inactif', 'sommeil') THEN false
            ELSE NULL
        END)
    """,
]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the French value macros on this connection (temporary, per connection)."""
    con.execute(";\n".join(MACROS))   # one call: the statements run in order
