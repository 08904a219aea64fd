"""Tests for econn.reading.sniffer.sniff on small real files (tests/fixtures/sniff) and random tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from econn.errors import LoaderError
from econn.reading.sniffer import sniff

FIXTURES = Path(__file__).parent / "fixtures" / "sniff"


def fx(name: str) -> Path:
    return FIXTURES / name


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize(("name", "codec", "terminator"), [
    ("semicolon_cp1252.csv", "cp1252", "\r\n"),        # € œ ’ « » : bytes 0x80-0x9F
    ("semicolon_latin9.csv", "iso8859-15", "\r\n"),    # € at 0xA4, œ at 0xBD: ¤ and ½ inside words
    ("semicolon_cp850.csv", "cp850", "\r\n"),          # é = 0x82, cp1252's '‚'
    ("semicolon_macroman.csv", "mac_roman", "\r"),     # é = 0x8E, cp1252's 'Ž'
])
def test_eight_bit_code_pages_told_apart(name: str, codec: str, terminator: str) -> None:
    d = sniff(fx(name))
    assert d.encoding == codec
    assert not d.bom
    assert d.delimiter == ";"
    assert d.line_terminator == terminator
    assert 0.0 < d.encoding_confidence <= 1.0
    assert fx(name).read_bytes().decode(codec).startswith("Code;Libellé")


def test_utf8_with_bom() -> None:
    d = sniff(fx("utf8_bom.csv"))
    assert (d.encoding, d.bom, d.delimiter) == ("utf-8-sig", True, ";")


def test_utf16_excel_unicode_text() -> None:
    d = sniff(fx("utf16le_excel_tab.txt"))
    assert (d.encoding, d.bom, d.delimiter, d.line_terminator) == ("utf-16", True, "\t", "\r\n")
    assert d.has_header and d.decimal == ","


def test_utf16_without_bom(tmp_path: Path) -> None:
    p = tmp_path / "nobom.txt"
    p.write_bytes("a\tb\r\n1\t2\r\n3\t4\r\n".encode("utf-16-le"))
    d = sniff(p)
    assert (d.encoding, d.delimiter) == ("utf-16-le", "\t")


@pytest.mark.parametrize("name", ["empty.csv", "binary.csv"])
def test_empty_or_binary_file_is_refused_in_french(name: str) -> None:
    with pytest.raises(LoaderError) as err:
        sniff(fx(name))
    assert "fichier" in err.value.message_fr.lower()


def test_xlsx_named_csv_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "commandes.csv"
    p.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(LoaderError, match="binary") as err:
        sniff(p)
    assert "Excel" in err.value.message_fr


def test_missing_file_is_a_loader_error(tmp_path: Path) -> None:
    with pytest.raises(LoaderError):
        sniff(tmp_path / "absent.csv")


# ------------------------------------------------------------------ delimiters and quoting
@pytest.mark.parametrize(("name", "delimiter"), [
    ("tab.tsv", "\t"), ("pipe.csv", "|"), ("comma_decimal_dot.csv", ","),
    ("semicolon_cp1252.csv", ";"), ("cr_only.csv", ";"),
])
def test_delimiter(name: str, delimiter: str) -> None:
    d = sniff(fx(name))
    assert d.delimiter == delimiter
    assert d.quotechar == '"'
    assert d.confidence > 0.5


def test_quoted_newlines() -> None:
    d = sniff(fx("quoted_newlines.csv"))
    assert (d.delimiter, d.quotechar, d.escapechar, d.has_header) == (";", '"', None, True)


def test_doubled_quotes() -> None:
    d = sniff(fx("doubled_quotes.csv"))
    assert (d.delimiter, d.quotechar, d.escapechar) == (",", '"', None)


def test_backslash_escape(write_csv) -> None:
    p = write_csv('a,b\n1,"dit \\"bonjour\\", puis"\n2,"rien"\n3,"x \\"y\\""\n')
    d = sniff(p)
    assert (d.delimiter, d.quotechar, d.escapechar) == (",", '"', "\\")


def test_single_quote(write_csv) -> None:
    p = write_csv("'id';'nom'\n'1';'Dupont, Jean'\n'2';'Martin, Paul'\n")
    assert sniff(p).quotechar == "'"


def test_preamble_lines_are_skipped() -> None:
    d = sniff(fx("preamble.csv"))
    assert (d.delimiter, d.skip_rows, d.has_header) == (";", 3, True)
    lines = fx("preamble.csv").read_text(encoding="utf-8").splitlines()
    assert lines[d.skip_rows].startswith("Code;")


def test_footer_does_not_change_the_dialect() -> None:
    d = sniff(fx("footer.csv"))
    assert (d.delimiter, d.skip_rows, d.has_header, d.decimal) == (";", 0, True, ",")


def test_ragged_rows() -> None:
    d = sniff(fx("ragged.csv"))
    assert (d.delimiter, d.has_header) == (";", True)


def test_header_only() -> None:
    d = sniff(fx("header_only.csv"))
    assert (d.delimiter, d.has_header) == (";", True)


def test_single_column_defaults_to_comma() -> None:
    d = sniff(fx("single_column.csv"))
    assert d.delimiter == ","
    assert d.has_header
    assert any("single column" in n for n in d.notes)


def test_no_header_when_first_row_is_data(write_csv) -> None:
    d = sniff(write_csv("1;Vis;12,30\n2;Écrou;8,10\n3;Rondelle;1,05\n"))
    assert (d.delimiter, d.has_header) == (";", False)


# ------------------------------------------------------------------ decimal mark and dates
def test_decimal_comma_and_french_dates() -> None:
    d = sniff(fx("semicolon_cp1252.csv"))
    assert (d.decimal, d.date_format) == (",", "%d/%m/%Y")


def test_decimal_dot_and_iso_dates() -> None:
    d = sniff(fx("comma_decimal_dot.csv"))
    assert (d.decimal, d.date_format) == (".", "%Y-%m-%d")


def test_us_dates_when_a_day_exceeds_12() -> None:
    assert sniff(fx("dates_us.csv")).date_format == "%m/%d/%Y"


def test_iso_datetime() -> None:
    assert sniff(fx("dates_iso_datetime.csv")).date_format == "%Y-%m-%d %H:%M:%S"


def test_ambiguous_dates_default_to_french_order(write_csv) -> None:
    d = sniff(write_csv("id;date\n1;01/02/2026\n2;03/04/2026\n"))
    assert d.date_format == "%d/%m/%Y"


# ------------------------------------------------------------------ bounded reading
def test_huge_single_line_reads_only_the_sample(tmp_path: Path) -> None:
    p = tmp_path / "one_line.csv"
    with open(p, "wb") as fh:
        fh.write(b"a;b;c\n")
        fh.write(b"x" * (8 * 1024 * 1024))
    d = sniff(p, sample_bytes=64 * 1024)
    assert d.encoding == "utf-8"
    assert any("first 65536 bytes" in n for n in d.notes)


def test_cut_multibyte_character_at_sample_end(tmp_path: Path) -> None:
    p = tmp_path / "cut.csv"
    p.write_bytes(("nom;ville\n" + "Zoé;Besançon\n" * 5000).encode("utf-8"))
    for size in (1000, 1001, 1002, 1003):
        assert sniff(p, sample_bytes=size).encoding == "utf-8"


def test_to_dict_is_json_ready() -> None:
    import json

    json.dumps(sniff(fx("pipe.csv")).to_dict())


# ------------------------------------------------------------------ property: random tables
_WORDS = st.text(alphabet="abcdeéèàçôœ€’ ABCÉ-'.,;:|", min_size=0, max_size=12)
_DECIMALS = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False).map(
    lambda x: str(x).replace(".", ","))
_DATES = st.dates().map(lambda x: x.strftime("%d/%m/%Y"))
_CELL = st.one_of(_WORDS, _DECIMALS, _DATES, st.integers(-999, 99999).map(str))


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    ncols = draw(st.integers(2, 6))
    nrows = draw(st.integers(2, 12))
    return [[draw(_CELL) for _ in range(ncols)] for _ in range(nrows)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(table=[["", "0,00"], ["", ","]], delimiter="\t", quoting=csv.QUOTE_MINIMAL, encoding="utf-8")  # CI, 12-07
@example(table=[["", "0,00"], ["", ";"]], delimiter=",", quoting=csv.QUOTE_ALL, encoding="utf-8")  # lowest versions
@given(table=tables(), delimiter=st.sampled_from([";", ",", "\t", "|"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
       encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_random_tables_delimiter_is_found(tmp_path: Path, table: list[list[str]], delimiter: str,
                                          quoting: int, encoding: str) -> None:
    # Trivially ambiguous tables say nothing about the delimiter: leave them out.
    assume(sum(1 for row in table for c in row if c.strip()) >= len(table[0]))
    assume(all(any(c.strip() for c in row) for row in table))
    # Cells made of delimiters only (',;;' on every line) read as well one way as the other.
    assume(any(c.strip(";,\t| ") for row in table for c in row))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(table)
    p = tmp_path / "random.csv"
    p.write_bytes(buf.getvalue().encode(encoding))
    d = sniff(p)
    assert d.delimiter == delimiter, buf.getvalue()
