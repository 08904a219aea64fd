"""Reception codes not planted in the demo files: an unknown payment label, an orphan line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from econn.reception import analyze

IMPORT = Path("connecteurs") / "CSV" / "import"


def _clean_rows(ws: Path) -> tuple[list[str], list[list[str]]]:
    main = sorted((ws / IMPORT).glob("commandes_*.csv"))[0]
    rows = list(csv.reader(io.StringIO(main.read_text(encoding="cp1252"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    return header, [r for r in body if r[0] == "CW_0000122_01"]


def _write(ws: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    p = ws / IMPORT / name
    p.write_bytes(buf.getvalue().encode("cp1252"))
    return p


def test_unknown_payment_label_blocks_with_cor_regl(demo_workspace: Path) -> None:
    header, rows = _clean_rows(demo_workspace)
    pay = header.index("Mode de règlement")
    for r in rows:
        r[0], r[pay] = "T_REGL_1", "Bitcoin"
    p = _write(demo_workspace, "zz_regl.csv", header, rows)
    res = analyze(demo_workspace, "CSV", p)
    try:
        f = res.files[0]
        assert {d.number: d.status for d in f.documents} == {"T_REGL_1": "blocked"}
        regl = [x for x in f.findings if x.code == "COR-REGL"]
        assert [(x.document, x.value, x.line) for x in regl] == [("T_REGL_1", "Bitcoin", 2)]
    finally:
        res.close()


def test_line_without_document_number_is_an_orphan(demo_workspace: Path) -> None:
    header, rows = _clean_rows(demo_workspace)
    orphan = list(rows[0])
    orphan[0] = ""
    p = _write(demo_workspace, "zz_orph.csv", header, [*rows, orphan])
    res = analyze(demo_workspace, "CSV", p)
    try:
        orph = [x for x in res.files[0].findings if x.code == "FIC-ORPH"]
        assert [x.line for x in orph] == [len(rows) + 2]
    finally:
        res.close()
