"""The typed step: French values in SQL and in Python, bad values as FIC-VALEUR findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from econn.reading.dialect import Dialect
from econn.reading.loaders import read_csv
from econn.reading.sqlfuncs import install_macros
from econn.reading.values import parse_date, parse_decimal, type_columns

DECIMALS = [("1 234,56", Decimal("1234.56")), ("1\u00a0234,5", Decimal("1234.5")), ("1\u202f234,5", Decimal("1234.5")),
            ("1.234,56", Decimal("1234.56")), ("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")),
            ("1.234.567", Decimal("1234567")), ("-3", Decimal("-3")), ("abc", None), ("", None), ("1,2,3", None)]
DATES = [("22/11/2026", dt.date(2026, 11, 22)), ("1/2/26", dt.date(2026, 2, 1)), ("01/02/99", dt.date(1999, 2, 1)),
         ("22.11.2026", dt.date(2026, 11, 22)), ("2026-11-22", dt.date(2026, 11, 22)),
         ("2026-11-22 14:05:01", dt.date(2026, 11, 22)), ("2026-11-22 14:05:01 +0200", dt.date(2026, 11, 22)),
         ("22/11/2026 14:05", dt.date(2026, 11, 22)), ("31/02/2026", None), ("2026-13-01", None),
         ("22/11/2026x", None), ("2026-11-22 25:00", None), ("", None)]


@pytest.mark.parametrize(("text", "expected"), DECIMALS)
def test_decimal_python_and_sql_agree(text: str, expected: Decimal | None) -> None:
    con = duckdb.connect()
    install_macros(con)
    assert parse_decimal(text) == expected
    assert con.execute("SELECT fr_decimal(?)", [text]).fetchall()[0][0] == expected


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_date_python_and_sql_agree(text: str, expected: dt.date | None) -> None:
    con = duckdb.connect()
    install_macros(con)
    assert parse_date(text) == expected
    assert con.execute("SELECT fr_date(?)", [text]).fetchall()[0][0] == expected


def test_type_columns_reports_bad_values_with_line_and_column(write_csv) -> None:
    p = write_csv("prix;date;cp;actif;qte;libelle\n"
                  "1 234,5;12/01/2025;01000;oui;7;Café\n"
                  "\n"
                  "abc;31/02/2025;1,23E+12;peut-être;7,5;Thé\n"
                  ";;;;;vide\n")
    res = read_csv(p, dialect=Dialect())
    typed, found = type_columns(res.con, res.table, {"prix": "decimal", "date": "date", "cp": "code",
                                                     "actif": "bool", "qte": "integer"}, source="f.csv")
    assert res.con.execute(f'SELECT * FROM "{typed}" ORDER BY _line').fetchall() == [
        (Decimal("1234.5"), dt.date(2025, 1, 12), "01000", True, 7, "Café", 2),
        (None, None, None, None, None, "Thé", 4),
        (None, None, "", None, None, "vide", 5),
    ]
    assert [(f.code, f.line, f.column, f.value) for f in found] == [
        ("FIC-VALEUR", 4, "prix", "abc"), ("FIC-VALEUR", 4, "date", "31/02/2025"), ("FIC-VALEUR", 4, "cp", "1,23E+12"),
        ("FIC-VALEUR", 4, "actif", "peut-être"), ("FIC-VALEUR", 4, "qte", "7,5")]


def test_unknown_kind_is_a_programming_error(write_csv) -> None:
    res = read_csv(write_csv("a\n1\n"), dialect=Dialect())
    with pytest.raises(ValueError):
        type_columns(res.con, res.table, {"a": "money"})
