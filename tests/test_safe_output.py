"""Formula neutralisation (CSV and Excel), encoding replacements, atomic writes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econn import safe_output as so

HOSTILE = ['=HYPERLINK("http://x";"clic")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "=1+1", "-", "+SUM(1)"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_prefixed(value: str) -> None:
    assert so.neutralise(value) == "'" + value
    assert so.is_neutralised(so.neutralise(value))


@pytest.mark.parametrize("value", ["-12,5", "-1 234,56", "-1\u202f234,56", "-1.234,50", "-12.5", "+3", "-1e3", "12",
                                   "+33 6 12 34 56 78", "+44 (0)20 7946 0958", "Pot de miel", "", "a=b", " =x"])
def test_numbers_phones_and_plain_text_are_kept(value: str) -> None:
    assert so.neutralise(value) == value


def test_none_and_non_text_values() -> None:
    assert so.neutralise(None) == ""
    assert so.neutralise(Decimal("-4.50")) == "-4.50"
    assert so.neutralise(-3) == "-3"


def _read(path: Path, encoding: str = "cp1252", delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline=""), delimiter=delimiter))


def test_write_csv_neutralises_every_cell(tmp_path: Path) -> None:
    rows = [{"Nom": v, "Prix": "-12,50", "Tel": "+33 6 12 34 56 78"} for v in HOSTILE]
    rows.append({"Nom": "Dupont; fils", "Prix": None, "Tel": 'dit "le grand"'})
    rep = so.write_csv(tmp_path / "x.csv", rows, ["Nom", "Prix", "Tel"])
    back = _read(tmp_path / "x.csv")
    assert back[0] == ["Nom", "Prix", "Tel"] and len(back) == len(rows) + 1
    for cell in (c for r in back for c in r):
        assert so.is_neutralised(cell), cell
    assert [r[0] for r in back[1:-1]] == ["'" + v for v in HOSTILE]
    assert back[1][1] == "-12,50" and back[1][2] == "+33 6 12 34 56 78"
    assert back[-1] == ["Dupont; fils", "", 'dit "le grand"']
    assert rep.rows == len(rows) and rep.neutralised == len(HOSTILE) and not rep.replacements
    assert (tmp_path / "x.csv").read_bytes().count(b"\r\n") == len(rows) + 1  # CRLF line ends


def test_unencodable_characters_are_replaced_and_reported(tmp_path: Path) -> None:
    rep = so.write_csv(tmp_path / "x.csv", [["Łódź", "5 − 3", "Cœur €"], ["漢字", "ok", "ok"]], ["a", "b", "c"],
                       encoding="cp1252")
    back = _read(tmp_path / "x.csv")
    assert back[1] == ["Lódz", "5 - 3", "Cœur €"] and back[2] == ["??", "ok", "ok"]
    assert [(r.row, r.column, r.characters) for r in rep.replacements] == [(0, "a", "Łź"), (0, "b", "−"), (1, "a", "漢字")]


def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "articles.csv"
    target.write_text("ancien")

    def boom(f: object) -> None:
        f.write(b"moiti")  # type: ignore[attr-defined]
        raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        so.atomic_write(target, boom)
    assert target.read_text() == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.csv"]  # no temporary file left behind
    so.atomic_write_bytes(target, b"nouveau")
    assert target.read_bytes() == b"nouveau" and len(list(tmp_path.iterdir())) == 1


def test_excel_cells_are_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    rows = [[v, -12.5, Decimal("3.20")] for v in HOSTILE] + [["ok", 1, None]]
    so.write_xlsx(path, rows, ["Nom", "Prix", "Remise"])
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows(min_row=2, max_row=len(HOSTILE) + 1):
        assert row[0].data_type != "f" and row[0].data_type == "s"
        assert row[0].quotePrefix
        assert row[1].data_type == "n" and row[1].value == -12.5
    # The text is kept as it is (XML stores a lone CR as LF).
    assert [ws.cell(row=i, column=1).value for i in range(2, len(HOSTILE) + 2)] == [
        v.replace("\r", "\n") for v in HOSTILE]


def test_openpyxl_would_take_a_raw_value_for_a_formula(tmp_path: Path) -> None:
    """The control case: without put_cell, openpyxl stores '=…' as a formula."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = '=HYPERLINK("x")'
    wb.save(tmp_path / "raw.xlsx")
    assert openpyxl.load_workbook(tmp_path / "raw.xlsx").active["A1"].data_type == "f"


def test_neutralised_csv_opened_as_a_workbook_holds_no_formula(tmp_path: Path) -> None:
    """What a user gets after Excel imports the CSV cell by cell (values typed as Excel would)."""
    so.write_csv(tmp_path / "x.csv", [[v] for v in HOSTILE], ["Nom"])
    wb = openpyxl.Workbook()
    for i, (cell,) in enumerate(_read(tmp_path / "x.csv")[1:], start=1):
        wb.active.cell(row=i, column=1).value = cell  # raw assignment: '=…' would become a formula
    wb.save(tmp_path / "y.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "y.xlsx").active
    assert all(c.data_type != "f" for (c,) in ws.iter_rows())


# Issue #17: look-alikes that an encoding conversion (or a folding spreadsheet) turns into a formula sign.
LOOK_ALIKES = ["\u2212cmd|' /C calc'!A0", '\uff1dHYPERLINK("http://x";"clic")', "\u200b=1+1", "\ufeff@SUM(1)",
               "\uff0bcmd|' /C calc'!A0", "\uff20SUM(1)", "\u200b\u200b\u2212cmd|' /C calc'!A0", "=\u0338x"]
ENCODINGS = ["cp1252", "utf-8", "utf-8-sig", "iso8859-15", "latin-1"]
# A cell made of these characters only holds a number or a phone number: no function, reference or DDE call.
_INERT = set("0123456789 .,()/+-eE\u00a0\u202f")


def live_formula(cell: str) -> bool:
    """Independent oracle: would Excel or LibreOffice (which may fold look-alikes) evaluate this cell?"""
    import unicodedata

    t = unicodedata.normalize("NFKC", cell).replace("\u2212", "-")
    t = "".join(c for c in t if unicodedata.category(c) != "Cf")
    for s in (cell, t):
        if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not set(s) <= _INERT:
            return True
    return False


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_look_alikes_are_neutralised_after_the_encoding(tmp_path: Path, encoding: str) -> None:
    rep = so.write_csv(tmp_path / "x.csv", [[v] for v in LOOK_ALIKES], ["Nom"], encoding=encoding)
    cells = [r[0] for r in _read(tmp_path / "x.csv", encoding)[1:]]
    assert len(cells) == len(LOOK_ALIKES)
    assert [c for c in cells if live_formula(c)] == []
    assert all(c.startswith("'") for c in cells) and rep.neutralised == len(LOOK_ALIKES)


def test_minus_sign_number_stays_a_number_in_cp1252() -> None:
    assert so.neutralise("\u221212,5", "cp1252") == "-12,5"


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_excel_look_alikes_get_the_quote_prefix(tmp_path: Path, value: str) -> None:
    path = tmp_path / "x.xlsx"
    so.write_xlsx(path, [[value]], ["Nom"])
    cell = openpyxl.load_workbook(path).active.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == value


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=12) | st.from_regex(r"[\u200b\ufeff\u00ad ]{0,2}[=+\-@\uff1d\uff0b\uff20\u2212\uff0d]"
                                                 r"[\w|'!()\u200b]{0,8}", fullmatch=True),
       encoding=st.sampled_from(ENCODINGS))
def test_property_no_written_cell_starts_a_formula(tmp_path: Path, text: str, encoding: str) -> None:
    """Any string, any supported encoding: the cell read back from the file never starts a formula."""
    path = tmp_path / "x.csv"  # overwritten by each example (write_csv replaces the file atomically)
    so.write_csv(path, [[text, "x"]], ["Nom", "Autre"], encoding=encoding)
    rows = _read(path, encoding)
    cell = rows[1][0] if len(rows) > 1 else ""
    assert not live_formula(cell), (text, cell)
