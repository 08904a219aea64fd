"""Reception: analysis of the demo's planted problems, integration, partial runs, reimport, CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from econn.mappings import correspondences
from econn import store
from econn.cli import main as cli_main
from econn.reception import ReceptionError, analyze, integrate, reimport
from econn.reception import integration as integration_mod

IMPORT = Path("connecteurs") / "CSV" / "import"
HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
          "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
          "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")


def _main_file(ws: Path) -> Path:
    return sorted((ws / IMPORT).glob("commandes_*.csv"))[0]


def _q(ws: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.connect(ws, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _fix_demo(ws: Path) -> None:
    for domain, ext, gc in [("tva", "TVA 5,5%", "V1"), ("unite", "Bouteille", "BTL"), ("pays", "Hollande", "NL"),
                            ("article", "ARRO", "ARRO")]:
        correspondences.set_mapping(ws, "CSV", domain, ext, gc)


def test_dry_run_reports_exactly_the_planted_problems(demo_workspace: Path) -> None:
    before = _q(demo_workspace, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM tiers), "
                                "(SELECT count(*) FROM history)")
    res = analyze(demo_workspace, "CSV", _main_file(demo_workspace))
    f = res.files[0]
    status = {d.number: d.status for d in f.documents}
    assert status == {
        "CW_0000121_02": "existing", "CW_0000121_03": "new", "CW_0000122_01": "new", "CW_0000123_01": "blocked",
        "CW_0000124_01": "blocked", "CW_0000125_01": "blocked", "CW_0000126_01": "blocked",
        "CW_0000127_01": "waiting", "CW_0000128_01": "new", "CW_0000129_01": "new", "CW_0000130_01": "blocked",
        "CW_0000131_01": "new"}
    got = {(x.code, x.line, x.document, x.value) for x in f.findings}
    assert got == {
        ("FIC-DUPDOC", 2, "CW_0000121_02", "CW_0000121_02"),
        ("COR-ART", 7, "CW_0000123_01", "ARRO"),
        ("COR-TVA", 8, "CW_0000124_01", "TVA 5,5%"),
        ("COR-UNI", 10, "CW_0000125_01", "Bouteille"),
        ("COR-PAYS", 12, "CW_0000126_01", "Hollande"),
        ("COR-CLI-HOMO", 14, "CW_0000127_01", "C0009462"),
        ("COR-CLI-NEW", 16, "CW_0000128_01", "C0009470"),
        ("COR-CLI-NEW", 18, "CW_0000129_01", "C0009473"),
        ("COR-ART", 21, "CW_0000130_01", "VIN-MEURSAULT-2020"),
        ("ART-ABS-GC", 21, "CW_0000130_01", "VIN-MEURSAULT-2020"),
    }
    by = {(x.code, x.document): x for x in f.findings}
    assert "V1" in by["COR-TVA", "CW_0000124_01"].hint and by["COR-TVA", "CW_0000124_01"].column == "TVA"
    assert "BTL" in by["COR-UNI", "CW_0000125_01"].hint
    assert "NL" in by["COR-PAYS", "CW_0000126_01"].hint
    assert "Suggestion : ARRO" in by["COR-ART", "CW_0000123_01"].hint
    tiers = {t.external_code: (t.status, t.gc_code) for t in f.tiers}
    assert tiers["DERYCKE.MICHEL@FR"] == ("match", "RYCMI")          # stored external code
    assert tiers["C0009458"] == ("match", "VASTH")                   # e-mail
    assert tiers["C0009461"] == ("match", "CARNA")                   # phone E.164
    assert tiers["C0009462"] == ("homonym", "FONEM")
    assert tiers["C0009470"][0] == tiers["C0009473"][0] == "create"
    kinds = {t.external_code: t.kind for t in f.tiers}
    assert kinds["C0009470"] == "societe" and kinds["C0009473"] == "particulier"
    clean = [d for d in f.documents if d.number in ("CW_0000121_03", "CW_0000122_01", "CW_0000131_01")]
    assert all(d.codes == [] for d in clean)
    assert res.exit_code() == 1
    assert not f.integrable and "FIC-OK" not in {x.code for x in f.findings}
    # Nothing written by the analysis.
    assert _q(demo_workspace, "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM tiers), "
                              "(SELECT count(*) FROM history)") == before
    res.close()


def test_clean_files_are_fic_ok(demo_workspace: Path) -> None:
    res = analyze(demo_workspace, "CSV")
    second = res.files[1]
    assert [x.code for x in second.findings] == ["FIC-OK"] and second.integrable
    facil = analyze(demo_workspace, "FACIL")
    assert [x.code for x in facil.files[0].findings] == ["FIC-OK"]
    assert {t.gc_code for t in facil.files[0].tiers} == {"RYCMI", "OENOT"}
    res.close()
    facil.close()


def test_integration_after_fixes_renames_and_is_idempotent(demo_workspace: Path) -> None:
    ws = demo_workspace
    before = _q(ws, "SELECT count(*) FROM documents")[0][0]
    first = integrate(ws, "CSV")
    main, second = first.files
    assert second.renamed_to is not None and second.renamed_to.suffix == ".bak"
    assert main.renamed_to is None and main.file.exists()          # partial: blocked documents stay
    done = {d.number for d in main.documents if d.status == "integrated"}
    assert done == {"CW_0000121_03", "CW_0000122_01", "CW_0000128_01", "CW_0000129_01", "CW_0000131_01"}
    errors = _q(ws, "SELECT reference, code FROM history WHERE kind = 'erreur' AND closed_at IS NULL "
                    "AND reference LIKE 'CW_00001%'")
    assert ("CW_0000123_01", "COR-ART") in errors and ("CW_0000130_01", "ART-ABS-GC") in errors
    _fix_demo(ws)
    again = integrate(ws, "CSV", decisions={"C0009462": "create"})
    f = again.files[0]
    status = {d.number: d.status for d in f.documents}
    assert status["CW_0000130_01"] == "blocked"                     # VIN-MEURSAULT-2020 is still unknown
    assert {n for n, s in status.items() if s == "integrated"} == {
        "CW_0000123_01", "CW_0000124_01", "CW_0000125_01", "CW_0000126_01", "CW_0000127_01"}
    assert f.renamed_to is None
    # Map the last article: the rerun integrates only the rest, and the file becomes .bak.
    correspondences.set_mapping(ws, "CSV", "article", "VIN-MEURSAULT-2020", "CHAB22")
    last = integrate(ws, "CSV")
    f = last.files[0]
    assert [d.number for d in f.documents if d.status == "integrated"] == ["CW_0000130_01"]
    assert f.renamed_to is not None and f.renamed_to.name.endswith(".bak") and not f.file.exists()
    assert last.exit_code() == 0
    # 13 new documents in all, each once, with all their lines; one history row per document.
    assert _q(ws, "SELECT count(*) FROM documents")[0][0] == before + 14
    dup = _q(ws, "SELECT ext_number FROM documents GROUP BY connector, ext_number HAVING count(*) > 1")
    assert dup == []
    hist = _q(ws, "SELECT origin_number, count(*) FROM history WHERE kind = 'reception' AND data_type = 'document' "
                  "AND origin_number BETWEEN 'CW_0000121_03' AND 'CW_0000134_01' GROUP BY 1")
    assert len(hist) == 14 and all(n == 1 for _, n in hist)
    lines = dict(_q(ws, "SELECT d.ext_number, count(l.line_no) FROM documents d JOIN document_lines l "
                        "ON l.document_id = d.id WHERE d.ext_number LIKE 'CW_00001%' GROUP BY 1"))
    assert lines["CW_0000122_01"] == 2 and lines["CW_0000130_01"] == 2
    # New tiers: created once, famille PARTF, external code stored; auto-payment on CSV.
    created = _q(ws, "SELECT t.code, t.famille, t.societe FROM correspondences c JOIN tiers t ON t.code = c.gc_value "
                     "WHERE c.connector = 'CSV' AND c.domain = 'tiers' AND c.external_value = 'C0009470'")
    assert len(created) == 1 and created[0][1] == "PARTF" and created[0][2] == "SAS Domaine des Trois Chênes"
    assert _q(ws, "SELECT count(*) FROM history WHERE data_type = 'client' AND origin_tiers = 'C0009470'") == [(1,)]
    pays = _q(ws, "SELECT p.mode, p.amount FROM payments p JOIN documents d ON d.id = p.document_id "
                  "WHERE d.ext_number = 'CW_0000121_03'")
    assert pays == [("CB", 180)]
    # The e-mail match is remembered as an external code.
    assert _q(ws, "SELECT gc_value FROM correspondences WHERE connector = 'CSV' AND domain = 'tiers' "
                  "AND external_value = 'C0009458'") == [("VASTH",)]
    # The errors of the documents integrated later are closed; a new run finds nothing to do.
    assert _q(ws, "SELECT count(*) FROM history WHERE kind = 'erreur' AND closed_at IS NULL "
                  "AND reference = 'CW_0000123_01'") == [(0,)]
    assert integrate(ws, "CSV").files == []


def test_homonym_assign_and_reimport(demo_workspace: Path) -> None:
    ws = demo_workspace
    _fix_demo(ws)
    res = integrate(ws, "CSV", _main_file(ws), homonyms="assign")
    doc = next(d for d in res.files[0].documents if d.number == "CW_0000127_01")
    assert doc.status == "integrated"
    assert _q(ws, "SELECT tiers_code FROM documents WHERE ext_number = 'CW_0000127_01'") == [("FONEM",)]
    # Réimporter une commande from a received file: same GC number, lines rewritten, an action in history.
    (gc, doc_id), = _q(ws, "SELECT gc_number, id FROM documents WHERE ext_number = 'CW_0000122_01'")
    with store.transaction(ws) as con:
        con.execute("DELETE FROM document_lines WHERE document_id = ? AND line_no = 2", [doc_id])
    out = reimport(ws, "CSV", _main_file(ws), "CW_0000122_01", user="agodin")
    assert out.files[0].documents[0].gc_number == gc
    assert _q(ws, "SELECT count(*) FROM document_lines WHERE document_id = ?", [doc_id]) == [(2,)]
    assert _q(ws, "SELECT count(*) FROM documents WHERE ext_number = 'CW_0000122_01'") == [(1,)]
    act = _q(ws, "SELECT gc_number, message FROM history WHERE kind = 'action' AND origin_number = 'CW_0000122_01'")
    assert act[0][0] == gc and "agodin" in act[0][1]
    with pytest.raises(ReceptionError):
        reimport(ws, "CSV", _main_file(ws), "CW_0000130_01")        # still blocked: reasons listed


def _write(tmp: Path, rows: list[str], name: str = "t.csv") -> Path:
    p = tmp / name
    p.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252"))
    return p


ROW = "{n};20/11/2026;C0000318;;M.;Hubert;Olivier;;;;1 rue A;;59000;Lille;FR;CB;MIEL-250;;Pot de miel;{q};UNI;6,50;0;" \
      "V1 - 5,5 %;0,00;{ht};{ttc}"


def test_totals_quantities_and_inverted_columns(demo_workspace: Path, tmp_path: Path) -> None:
    p = _write(tmp_path, [ROW.format(n="T1", q="2", ht="13,00", ttc="13,72"),
                          ROW.format(n="T2", q="2", ht="15,00", ttc="15,83"),   # DOC-TOT (alerte)
                          ROW.format(n="T3", q="0", ht="0,00", ttc="0,00"),     # DOC-QTE
                          ROW.format(n="T4", q="2", ht="13,00", ttc="16,00")])  # TTC/HT = 1.23
    f = analyze(demo_workspace, "CSV", p).files[0]
    codes = {d.number: (d.status, d.codes) for d in f.documents}
    assert codes["T1"] == ("new", [])
    assert codes["T2"] == ("new", ["DOC-TOT"])
    assert codes["T3"][0] == "blocked" and "DOC-QTE" in codes["T3"][1]
    assert codes["T4"] == ("blocked", ["DOC-HTTTC"])
    inv = _write(tmp_path, [ROW.format(n="I1", q="2", ht="13,72", ttc="13,00"),
                            ROW.format(n="I2", q="4", ht="27,43", ttc="26,00")], "inv.csv")
    f = analyze(demo_workspace, "CSV", inv).files[0]
    hints = [x.hint for x in f.findings if x.code == "DOC-HTTTC"]
    assert len(hints) == 2 and all("inversées" in h for h in hints)


def test_rejected_line_blocks_only_the_document_it_names(demo_workspace: Path, tmp_path: Path) -> None:
    """Five one-line orders, an unclosed quote on A3's line: A3 alone is blocked, every order is listed."""
    rows = [ROW.format(n=f"A{i}", q="2", ht="13,00", ttc="13,72") for i in range(1, 6)]
    rows[2] = rows[2].replace("Pot de miel", '"Pot de miel')
    f = analyze(demo_workspace, "CSV", _write(tmp_path, rows)).files[0]
    assert [(d.number, d.status, d.codes) for d in f.documents] == [
        ("A1", "new", []), ("A2", "new", []), ("A3", "blocked", ["FIC-REJET"]), ("A4", "new", []),
        ("A5", "new", [])]
    assert [(x.code, x.line, x.document) for x in f.findings if x.code == "FIC-REJET"] == [("FIC-REJET", 4, "A3")]


def test_rejected_line_whose_number_cannot_be_read_blocks_its_neighbours(demo_workspace: Path,
                                                                         tmp_path: Path) -> None:
    rows = [ROW.format(n=f"A{i}", q="2", ht="13,00", ttc="13,72") for i in range(1, 6)]
    rows[2] = '"' + rows[2]          # the quote opens on the number itself: A3 cannot be read
    f = analyze(demo_workspace, "CSV", _write(tmp_path, rows)).files[0]
    status = {d.number: d.status for d in f.documents}
    assert status == {"A1": "new", "A2": "blocked", "A4": "blocked", "A5": "new"}


def test_shopify_layout_repeats_and_missing_columns(demo_workspace: Path, tmp_path: Path) -> None:
    first = ROW.format(n="S1", q="1", ht="13,00", ttc="13,72")
    cells = ROW.format(n="S1", q="1", ht="", ttc="").split(";")
    cells[1:16] = [""] * 15                                           # header fields on the first row only
    p = _write(tmp_path, [first, ";".join(cells), ROW.format(n="S2", q="1", ht="6,50", ttc="6,86"),
                          ROW.format(n="S2", q="1", ht="6,50", ttc="6,86"),
                          ROW.format(n="S3", q="1", ht="6,50", ttc="6,86"),
                          ROW.format(n="S2", q="1", ht="6,50", ttc="6,86")])  # S2 repeated, different rows
    f = analyze(demo_workspace, "CSV", p).files[0]
    st = [(d.number, d.status, d.lines) for d in f.documents]
    assert st[0] == ("S1", "new", [2, 3])
    assert [s for n, s, _ in st if n == "S2"] == ["blocked", "blocked"] and ("S3", "new", [6]) in st
    bad = tmp_path / "nocol.csv"
    bad.write_text("N° commande;Désignation\r\nA;x\r\n", encoding="utf-8")
    f = analyze(demo_workspace, "CSV", bad).files[0]
    assert {x.column for x in f.findings if x.code == "FIC-COL"} == {"référence article", "quantité",
                                                                     "prix unitaire (PU HT ou PU TTC)"}
    assert f.documents == [] and not f.integrable


def test_failed_group_is_redone_one_by_one(demo_workspace: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    p = _write(tmp_path, [ROW.format(n=f"F{i}", q="2", ht="13,00", ttc="13,72") for i in range(4)])
    real = integration_mod._history

    def flaky(con, conn, st, *a, **k):   # noqa: ANN001, ANN002, ANN003 - test double
        if "F2" in set(st.ext_number):
            raise RuntimeError("panne simulée")
        return real(con, conn, st, *a, **k)

    monkeypatch.setattr(integration_mod, "_history", flaky)
    f = integrate(demo_workspace, "CSV", p).files[0]
    assert {d.number: d.status for d in f.documents} == {"F0": "integrated", "F1": "integrated", "F2": "blocked",
                                                          "F3": "integrated"}
    assert any(x.code == "REC-ECHEC" and x.document == "F2" for x in f.findings)
    assert _q(demo_workspace, "SELECT count(*) FROM documents WHERE ext_number = 'F2'") == [(0,)]
    assert f.renamed_to is None
    monkeypatch.setattr(integration_mod, "_history", real)
    f = integrate(demo_workspace, "CSV", p).files[0]
    assert [d.number for d in f.documents if d.status == "integrated"] == ["F2"] and f.renamed_to


def test_cli_exit_codes_and_json(demo_workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(demo_workspace)
    assert cli_main(["receive", "--workspace", ws, "--dry-run", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    f = out["files"][0]
    assert set(f) >= {"file", "renamed_to", "documents", "tiers", "findings"}
    assert set(f["documents"][0]) >= {"number", "status", "gc_number", "codes"}
    assert set(f["tiers"][0]) >= {"external_code", "name", "status", "gc_code"}
    assert set(f["findings"][0]) >= {"code", "level", "message", "hint", "line", "document", "column", "value"}
    second = sorted((demo_workspace / IMPORT).glob("*.csv"))[1]
    assert cli_main(["receive", "--workspace", ws, "--file", str(second), "--dry-run"]) == 0
    assert "FIC-OK" in capsys.readouterr().out
    assert cli_main(["receive", "--workspace", ws, "--connector", "FACIL"]) == 0
    assert ".bak" in capsys.readouterr().out
    assert cli_main(["receive", "--workspace", ws, "--connector", "NOPE"]) == 2
    assert "Connecteur inconnu" in capsys.readouterr().err
    _fix_demo(demo_workspace)
    assert cli_main(["receive", "--workspace", ws, "--assign", "C0009462=FONEM", "--json"]) == 1  # MEURSAULT
    out = json.loads(capsys.readouterr().out)
    assert {d["number"]: d["status"] for d in out["files"][0]["documents"]}["CW_0000127_01"] == "integrated"
    assert cli_main(["reimport", "--workspace", ws, "--file", str(_main_file(demo_workspace)),
                     "--document", "CW_0000127_01"]) == 0


def test_progress_callback(demo_workspace: Path) -> None:
    calls: list[tuple[int, int]] = []
    cb: Callable[[int, int], None] = lambda done, total: calls.append((done, total))  # noqa: E731
    integrate(demo_workspace, "FACIL", progress=cb)
    assert calls and calls[-1] == (2, 2)
