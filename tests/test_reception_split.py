"""A document whose lines span several pending files is never half integrated (issue #18).

An order cut in two files used to integrate its first half as « intégrable » (the second half was then
refused as « déjà intégré »): one line never reached the GC. Now a document met in another pending file of
the connector is blocked in every file (FIC-SPLIT, naming the other file and its lines); a document already
integrated from an earlier file, whose other half arrives, is FIC-PARTIEL (lines not in the GC), not a plain
duplicate.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from econn import store
from econn.reception.analysis import analyze
from econn.reception.integration import integrate

_HEAD = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
         "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
         "Unité;PU HT;Remise %;TVA")
_TOTALS = {"ht": ";Frais de port HT;Total HT;Total TTC", "ttc": ";Total TTC", "none": ""}
# The order SPLIT_1: 1 × 10,00 + 2 × 10,00 HT = 30,00 HT, 36,00 TTC, cut in two files.
_TOTAL_VALUES = {"ht": ";0,00;{ht};{ttc}", "ttc": ";{ttc}", "none": ""}


def _row(number: str, customer: str, qte: int, totals: str, ht: str, ttc: str) -> str:
    return (f"{number};06/12/2026;{customer};;Mme;Nom{customer};Prénom;{customer.lower()}@example.org;;;1 rue Nulle;;"
            f"99999;Nullepart;FR;CB;AOPVEMA15B;;AOP VIN EFFERVESCENT 2015 75 cl;{qte};UNI;10,00;0;V2 - 20 %"
            + _TOTAL_VALUES[totals].format(ht=ht, ttc=ttc))


def _file(ws: Path, name: str, rows: list[str], totals: str) -> Path:
    imports = ws / "connecteurs" / "CSV" / "import"
    path = imports / name
    path.write_text("\r\n".join([_HEAD + _TOTALS[totals], *rows]) + "\r\n", encoding="utf-8-sig")
    return path


def _split_files(ws: Path, totals: str) -> tuple[Path, Path]:
    for old in (ws / "connecteurs" / "CSV" / "import").glob("*.csv"):
        old.unlink()
    a = _file(ws, "a.csv", [_row("SPLIT_1", "SPLITCUST", 1, totals, "30,00", "36,00"),
                            _row("ALONE_A", "ACUST", 1, totals, "10,00", "12,00")], totals)
    b = _file(ws, "b.csv", [_row("ALONE_B", "BCUST", 3, totals, "30,00", "36,00"),
                            _row("SPLIT_1", "SPLITCUST", 2, totals, "30,00", "36,00")], totals)
    return a, b


def _integrated(ws: Path) -> dict[str, int]:
    with store.connect(ws, read_only=True) as con:
        return dict(con.execute("""SELECT d.ext_number, count(l.line_no) FROM documents d
                                   LEFT JOIN document_lines l ON l.document_id = d.id
                                   WHERE d.ext_number IN ('SPLIT_1', 'ALONE_A', 'ALONE_B') GROUP BY ALL""").fetchall())


@pytest.mark.parametrize("totals", ["ttc", "ht", "none"])
def test_an_order_split_across_two_pending_files_is_not_integrated(demo_workspace: Path, totals: str) -> None:
    a, b = _split_files(demo_workspace, totals)
    res = analyze(demo_workspace, "CSV")
    try:
        by_file = {f.file.name: f for f in res.files}
        for name, other, line in (("a.csv", "b.csv", 3), ("b.csv", "a.csv", 2)):
            fa = by_file[name]
            status = {d.number: d.status for d in fa.documents}
            assert status["SPLIT_1"] == "blocked"
            split = [f for f in fa.findings if f.code == "FIC-SPLIT"]
            assert len(split) == 1 and split[0].document == "SPLIT_1" and split[0].level.value == "erreur"
            assert f"{other} (ligne {line})" in split[0].message
            assert "Regroupez les lignes du document" in split[0].hint
            assert not fa.integrable
    finally:
        res.close()
    out = integrate(demo_workspace, "CSV")
    assert _integrated(demo_workspace) == {"ALONE_A": 1, "ALONE_B": 1}       # the other orders integrate
    assert a.exists() and b.exists()                                        # both files stay pending
    assert all(f.renamed_to is None and not f.complete for f in out.files)
    with store.connect(demo_workspace, read_only=True) as con:
        errors = con.execute("SELECT reference, message FROM history WHERE kind = 'erreur' AND code = 'FIC-SPLIT' "
                             "AND closed_at IS NULL").fetchall()
    assert {r[0] for r in errors} == {"SPLIT_1"} and len(errors) == 2


def test_a_file_given_alone_is_still_blocked_by_the_other_pending_file(demo_workspace: Path) -> None:
    a, b = _split_files(demo_workspace, "ttc")
    out = integrate(demo_workspace, "CSV", a)
    assert [f.file.name for f in out.files] == ["a.csv"]
    finding = next(f for f in out.files[0].findings if f.code == "FIC-SPLIT")
    assert "b.csv (ligne 3)" in finding.message
    assert _integrated(demo_workspace) == {"ALONE_A": 1}
    assert a.exists() and b.exists()
    out = integrate(demo_workspace, "CSV", b)
    assert _integrated(demo_workspace) == {"ALONE_A": 1, "ALONE_B": 1}
    assert b.exists()


def test_the_same_order_repeated_in_two_files_is_a_duplicate_not_a_split(demo_workspace: Path) -> None:
    for old in (demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv"):
        old.unlink()
    row = _row("TWICE_1", "TWICECUST", 1, "ttc", "10,00", "12,00")
    a = _file(demo_workspace, "commande.csv", [row], "ttc")
    b = _file(demo_workspace, "commande (1).csv", [row], "ttc")   # downloaded twice
    out = integrate(demo_workspace, "CSV")
    assert [f.code for f in out.files[0].findings if f.code == "FIC-SPLIT"] == []
    assert [d.status for f in out.files for d in f.documents] == ["integrated", "existing"]
    assert not a.exists() and not b.exists()                     # both .bak


def test_the_other_half_of_an_order_already_integrated_is_not_a_plain_duplicate(demo_workspace: Path) -> None:
    for old in (demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv"):
        old.unlink()
    # No total in the file: nothing tells that the first file holds half of the order.
    a = _file(demo_workspace, "a.csv", [_row("SPLIT_1", "SPLITCUST", 1, "none", "", "")], "none")
    integrate(demo_workspace, "CSV")
    assert not a.exists() and _integrated(demo_workspace) == {"SPLIT_1": 1}
    b = _file(demo_workspace, "b.csv", [_row("ALONE_B", "BCUST", 3, "none", "", ""),
                                        _row("SPLIT_1", "SPLITCUST", 2, "none", "", "")], "none")
    out = integrate(demo_workspace, "CSV")
    fb = out.files[0]
    status = {d.number: d.status for d in fb.documents}
    assert status == {"ALONE_B": "integrated", "SPLIT_1": "blocked"}
    part = next(f for f in fb.findings if f.document == "SPLIT_1")
    assert part.code == "FIC-PARTIEL" and part.level.value == "erreur"
    assert "1 ligne" in part.message and "a.bak" in part.message and "pas dans la GC" in part.message
    assert b.exists()                                            # the missing line is not lost in a .bak
    assert _integrated(demo_workspace) == {"SPLIT_1": 1, "ALONE_B": 1}
