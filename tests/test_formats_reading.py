"""Reading the registered export formats' quirks (econn.reading.formats): rows shorter than the header
where the platform writes them so, prefixes, full names, multi-line addresses.

The fixtures are in tests/fixtures/formats/ (sources in SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from econn.reading.formats.apply import split_full_name, split_name_sql
from econn.reading.loaders import read_csv

FIX = Path(__file__).parent / "fixtures" / "formats"


def _rows(path: Path, sql: str) -> tuple[list[str], list[tuple], list]:
    res = read_csv(path)
    try:
        return list(res.columns), res.con.execute(sql.format(t=res.table)).fetchall(), res.rejects
    finally:
        res.con.close()


def test_prestashop_products_rows_without_position_are_read() -> None:
    """PrestaShop's product exporter (ProductCsvExporter + CsvResponse) writes 10 titles but, unless the list
    is filtered by a category, 9 values per row: a row has no « position » key and CsvResponse skips it."""
    sql = 'SELECT _line, "Référence", "Prix (HT)", "État", "Position" FROM {t} ORDER BY _line'
    cols, rows, rejects = _rows(FIX / "prestashop-products.csv", sql)
    assert rejects == []
    assert cols[-1] == "Position"
    assert rows == [(2, "TAS-GRES-01", "15.000000", "0", None), (3, "THE-FONTE-08", "45.000000", "0", None),
                    (4, "SAV-LAV-100", "5.000000", "0", None), (5, "BOU-CIRE", "20.000000", "1", None),
                    (6, "PLAID-LIN-SAB", "80.000000", "0", None)]


def test_prestashop_products_filtered_by_category_keep_their_position(tmp_path: Path) -> None:
    text = (FIX / "prestashop-products.csv").read_text(encoding="utf-8").splitlines()
    f = tmp_path / "product_filtered.csv"
    f.write_text("\n".join([text[0]] + [f"{line};{i}" for i, line in enumerate(text[1:], 1)]) + "\n",
                 encoding="utf-8")
    _cols, rows, rejects = _rows(f, 'SELECT "Référence", "Position" FROM {t} ORDER BY _line')
    assert rejects == [] and rows[0] == ("TAS-GRES-01", "1") and rows[-1] == ("PLAID-LIN-SAB", "5")


def test_a_short_row_of_another_file_is_still_rejected(tmp_path: Path) -> None:
    """Only a format whose rows may leave out trailing columns is read so: elsewhere a short row is rejected."""
    f = tmp_path / "short.csv"
    f.write_text("Référence;Nom;Prix;Position\nA1;Tasse;15;1\nA2;Théière;45\n", encoding="utf-8")
    _cols, rows, rejects = _rows(f, "SELECT * EXCLUDE (_line) FROM {t}")
    assert rows == [("A1", "Tasse", "15", "1")] and [r.line for r in rejects] == [3]



NAMES = [
    ("Élodie Lefèvre", ("Élodie", "Lefèvre")),
    ("Jean-Pierre de La Fontaine", ("Jean-Pierre", "de La Fontaine")),
    ("Marie Le Gall", ("Marie", "Le Gall")),
    ("Anne-Sophie Dupont-Martin", ("Anne-Sophie", "Dupont-Martin")),
    ("Anne Marie du Pont", ("Anne Marie", "du Pont")),
    ("Sophie des Rosiers", ("Sophie", "des Rosiers")),
    ("Yann LA ROCHE", ("Yann", "LA ROCHE")),
    ("Vincent van Gogh", ("Vincent", "van Gogh")),
    ("Ursula von der Leyen", ("Ursula", "von der Leyen")),
    ("Charles d'Artagnan", ("Charles", "d'Artagnan")),
    ("Louise d’Orléans", ("Louise", "d’Orléans")),
    ("Jean Pierre Martin", ("Jean Pierre", "Martin")),
    ("Lucie Delahaye", ("Lucie", "Delahaye")),          # « De… » inside a word is no particle
    ("Léa Lebrun", ("Léa", "Lebrun")),
    ("É. Lefèvre", ("É.", "Lefèvre")),                  # PrestaShop's « Client »
    ("  Chloé   Bérard ", ("Chloé", "Bérard")),
    ("Bérard", (None, "Bérard")),
    ("", (None, None)),
]


@pytest.mark.parametrize(("full", "expected"), NAMES)
def test_full_name_split(full: str, expected: tuple[str | None, str | None]) -> None:
    assert split_full_name(full) == expected


def test_full_name_split_in_sql_agrees() -> None:
    prenom, nom = split_name_sql("n")
    con = duckdb.connect()
    try:
        got = con.execute(f"SELECT n, {prenom}, {nom} FROM unnest(?::VARCHAR[]) t(n)",
                          [[n for n, _ in NAMES]]).fetchall()
    finally:
        con.close()
    assert [(p, n) for _, p, n in got] == [e for _, e in NAMES]
