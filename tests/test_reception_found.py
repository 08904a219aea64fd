"""Files the reception property test (test_reception_property.py) found mishandled, each as a minimal file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econn.cli import main as cli_main
from econn.demo.orders import HEADER as DEMO_HEADER
from econn.reading.loaders import read_csv
from econn.reception import analyze

IMPORT = Path("connecteurs") / "CSV" / "import"
HEADER = ";".join(DEMO_HEADER)
LINE = ("ZZ_1;06/12/2026;PROSPEC;;M.;Prospect;Paul;;;;;;;;FR;CB;AOPVEMA15B;;AOP VIN EFFERVESCENT 2015 75 cl;"
        "1;UNI;15,00;0;V2 - 20 %;0,00;15,00;18,00")


def _write(ws: Path, text: str, name: str = "trouve.csv") -> Path:
    imports = ws / IMPORT
    for old in imports.glob("*.csv"):
        old.unlink()
    path = imports / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_last_line_taken_for_a_footer_is_listed(demo_workspace: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A one-value last line (« ZZ_2 » alone) is a footer to the reader: the reception lists it, with its
    line, instead of dropping it from the report."""
    path = _write(demo_workspace, f"{HEADER}\r\n{LINE}\r\nZZ_2\r\n")
    report = analyze(demo_workspace, "CSV", path).files[0].to_dict()
    assert [d["lines"] for d in report["documents"]] == [[2]]
    assert report["skipped_lines"] == [{"line": 3, "kind": "pied", "raw": "ZZ_2"}]
    assert cli_main(["receive", "--workspace", str(demo_workspace), "--file", str(path), "--dry-run",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["skipped_lines"][0]["line"] == 3


def test_a_bare_line_feed_inside_a_crlf_file_stays_in_its_value(demo_workspace: Path) -> None:
    """An unquoted LF inside a cell of a CRLF file (« Bât. B⏎Entrée 2 ») stopped DuckDB's parser: the whole
    file was refused (« Lecture impossible… state machine reached an invalid state », exit 2). It is no line
    end of this file: the record is read whole, the LF kept in its value, every line accounted for."""
    broken = LINE.replace("PROSPEC;;", "PROSPEC;Bât. B\nEntrée 2;")
    path = _write(demo_workspace, f"{HEADER}\r\n{broken}\r\n{LINE.replace('ZZ_1', 'ZZ_2')}\r\n")
    res = analyze(demo_workspace, "CSV", path)
    report = res.files[0]
    assert report.error is None and report.rejects == []
    assert [(d.number, d.lines) for d in report.documents] == [("ZZ_1", [2]), ("ZZ_2", [4])]
    assert res.exit_code() in (0, 1)
    res.close()
    rows = read_csv(path)
    assert rows.con.execute(f"SELECT \"Société\" FROM {rows.table} ORDER BY _line").fetchall()[0] == (
        "Bât. B\nEntrée 2",)


def test_a_reject_placed_at_the_end_of_the_file_is_its_last_line(demo_workspace: Path) -> None:
    """A last line ``""x`` ended by CRLF in an LF file: DuckDB placed a reject at the end of the file, one
    line past the last, and the reader stopped with « IndexError » (receive: « erreur inattendue »)."""
    path = _write(demo_workspace, f"{HEADER}\n{LINE}\n\"\"x\r\n")
    res = analyze(demo_workspace, "CSV", path)
    report = res.files[0]
    assert report.error is None
    assert {2, 3} <= {r["line"] for r in report.rejects}
    assert all(d.status == "blocked" for d in report.documents)
    assert res.exit_code() == 1
