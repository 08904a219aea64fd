"""Headers and values made of SQL and quote characters go through the whole flow as plain data.

Issue #8: values are bound parameters, identifiers from files are quoted by one helper. A file whose
headers and cells are SQL fragments is previewed, read, mapped, analysed for reception, diagnosed and
searched in the history; afterwards every table still exists with its row count, and the hostile strings
come back verbatim where the output shows them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from econn import store
from econn.cli import main
from econn.diagnostics import registry
from econn.reading.headers import map_headers
from econn.reading.loaders import read_csv

HOSTILE = [
    '"; DROP TABLE documents; --',
    "' OR '1'='1",
    'a"b',
    "Robert'); DROP TABLE tiers;--",
    "`nom`; DELETE FROM history; --",
    "$1",
    "?",
    "'' \"\" `` ;",
]
# « $1 » alone reads as an amount in dollars, which rightly makes a first row data, not a header.
HEADERS = ["Quantité", *("$1, $2" if h == "$1" else h for h in HOSTILE)]
HOSTILE_HEADER = 'Remarque"; DROP TABLE history; --'
LAYOUT = ["N° commande", "Date commande", "Code client", "Société", "Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Mobile", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays", "Mode de règlement", "Référence article", "Déclinaison", "Désignation", "Quantité", "Unité", "PU HT", "Remise %", "TVA", "Frais de port HT", "Total HT", "Total TTC"]


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _counts(ws: Path) -> dict[str, int]:
    with store.connect(ws, read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        return {n: con.execute(f"SELECT count(*) FROM {store.quote_ident(n)}").fetchall()[0][0] for n in names}


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    """Every header and cell is a SQL / quote fragment (rotated by row), after one numeric column.

    The numeric column lets the sniffer tell the header from the data: a file whose every row looks like
    its header is read without a header, which is right but not what this test is about.
    """
    headers = HEADERS
    rows = [[str(i + 1)] + [HOSTILE[(i + j) % len(HOSTILE)] for j in range(len(HOSTILE))] for i in range(len(HOSTILE))]
    p = tmp_path / "hostile.csv"
    p.write_text(_csv_text([headers, *rows]), encoding="utf-8")
    return p


def test_preview_json_round_trips_headers_and_values(hostile_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(hostile_file), "--json", "--full"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["columns"] == HEADERS
    assert out["rows_ok"] == len(HOSTILE) and out["rows_rejected"] == 0
    for i, row in enumerate(out["sample"]):
        assert [row[h] for h in HEADERS[1:]] == [HOSTILE[(i + j) % len(HOSTILE)] for j in range(len(HOSTILE))]
    assert [m["header"] for m in out["header_mapping"]] == HEADERS


def test_read_csv_and_map_headers(hostile_file: Path) -> None:
    res = read_csv(hostile_file)
    assert res.columns == HEADERS
    cols = ", ".join(store.quote_ident(c) for c in HEADERS[1:])
    rows = res.con.execute(f"SELECT {cols} FROM {store.quote_ident(res.table)} ORDER BY _line").fetchall()
    assert [list(r) for r in rows] == [[HOSTILE[(i + j) % len(HOSTILE)] for j in range(len(HOSTILE))]
                                       for i in range(len(HOSTILE))]
    # bound parameters find the hostile values as values
    q = f"SELECT count(*) FROM {store.quote_ident(res.table)} WHERE {store.quote_ident(HOSTILE[0])} = ?"
    assert res.con.execute(q, [HOSTILE[1]]).fetchall()[0][0] == 1
    for flow in ("documents", "tiers", "articles"):
        assert [m.header for m in map_headers(res.columns, flow)] == HEADERS


def _hostile_orders() -> list[list[str]]:
    """Two orders in the demo's layout, hostile in the name / address / label cells, plus a hostile column."""
    base = {
        "Date commande": "21/11/2026", "Civilité": "M.", "Prénom": "Jean", "E-mail": "hostile@example.org",
        "Téléphone": "", "Mobile": "", "Adresse 2": "", "Code postal": "75001", "Ville": "Paris", "Pays": "FR",
        "Mode de règlement": "CB", "Référence article": "AOPVEMA15B", "Déclinaison": "", "Quantité": "1",
        "Unité": "UNI", "PU HT": "10,00", "Remise %": "0", "TVA": "V2 - 20 %", "Frais de port HT": "0,00",
        "Total HT": "10,00", "Total TTC": "12,00",
    }
    rows = [LAYOUT + [HOSTILE_HEADER]]
    for i, bad in enumerate(HOSTILE[:4]):
        row = dict(base, **{
            "N° commande": f"CW_HOSTILE_{i:02d}", "Code client": f"C_HOST_{i}", "Société": HOSTILE[(i + 4) % 8],
            "Nom": bad, "Adresse 1": HOSTILE[(i + 1) % 8], "Désignation": HOSTILE[(i + 2) % 8],
        })
        rows.append([row[c] for c in LAYOUT] + [HOSTILE[(i + 3) % 8]])
    return rows


def test_whole_flow_on_the_demo_leaves_the_store_intact(demo_workspace: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    ws = demo_workspace
    folder = ws / "connecteurs" / "CSV" / "import"
    for p in folder.glob("*.csv"):
        p.unlink()  # only the hostile file is pending: the analysis below is about it
    f = folder / "commandes_hostile.csv"
    f.write_bytes(_csv_text(_hostile_orders()).encode("cp1252"))
    before = _counts(ws)
    assert {"documents", "tiers", "history"} <= set(before)

    # reception analysis (dry run): nothing written, hostile cells are data
    code = main(["receive", "--workspace", str(ws), "--connector", "CSV", "--dry-run", "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    report = json.loads(out)
    text = json.dumps(report, ensure_ascii=False)
    assert "CW_HOSTILE_00" in text
    assert _counts(ws) == before

    # the file still previews with its hostile column and values, verbatim
    assert main(["preview", str(f), "--json"]) == 0
    prev = json.loads(capsys.readouterr().out)
    assert prev["columns"][-1] == HOSTILE_HEADER
    assert [r["Nom"] for r in prev["sample"]] == HOSTILE[:4]
    assert [r[HOSTILE_HEADER] for r in prev["sample"]] == [HOSTILE[(i + 3) % 8] for i in range(4)]

    # a tiers and a history row with hostile values, so that diagnostics and searches meet them
    with store.transaction(ws) as con:
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'tiers' ORDER BY ordinal_position"
        ).fetchall()]
        row = store.first(con.execute("SELECT * FROM tiers LIMIT 1"))
        assert row is not None
        for i, bad in enumerate(HOSTILE[:2]):
            values = dict(zip(cols, row))
            values.update({c: v for c, v in (("code", f"HOST{i}"), ("nom", bad)) if c in values})
            con.execute(f"INSERT INTO tiers ({', '.join(store.quote_ident(c) for c in cols)}) "
                        f"VALUES ({', '.join('?' for _ in cols)})", [values[c] for c in cols])
    before = _counts(ws)

    for name in registry.DIAGNOSTICS:
        try:
            registry.run(name, ws)
        except registry.UnknownDiagnosticError:
            continue  # a diagnostic not delivered yet
    after = _counts(ws)
    assert set(after) >= set(before), "a table disappeared"
    for table in ("documents", "document_lines", "tiers", "articles", "history", "correspondences"):
        if table in before:
            assert after[table] == before[table], table

    for needle in HOSTILE[:4]:
        assert main(["history", "--workspace", str(ws), "--search", needle, "--json"]) == 0
        found = json.loads(capsys.readouterr().out)
        assert isinstance(found, (list, dict))
    assert _counts(ws) == after
    with store.connect(ws, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT nom FROM tiers WHERE code LIKE 'HOST%' ORDER BY code").fetchall()]
    assert names == HOSTILE[:2]
