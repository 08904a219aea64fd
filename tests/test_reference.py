"""econn import: GC reference exports loaded all-or-nothing, with French header variants."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from econn import store
from econn.errors import ImportFileError
from econn.reading.reference import import_reference

ARTICLES_CP1252 = (
    "Référence;Désignation;Unité de vente;Code TVA;PV HT;Prix achat;Famille;Code barre;Sommeil;Disponible export\r\n"
    "MIEL;Pot de miel 500 g;UNI;V1;6,50;3,10;EPICERIE;3760123450012;non;oui\r\n"
    "CAFE;Café moulu « Œillet »;UNI;V1;1 234,50;900;EPICERIE;;oui;non\r\n"
    "\r\n"
    "TH-01;Thé vert;UNI;V1;4.2;;EPICERIE;;0;1\r\n"
)


def _articles(ws: Path) -> dict[str, tuple]:
    with store.connect(ws, read_only=True) as con:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT code, libelle, prix_ht, prix_achat, actif, export, ean FROM articles").fetchall()}


def test_articles_cp1252_with_french_headers(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "articles.csv"
    f.write_bytes(ARTICLES_CP1252.encode("cp1252"))
    rep = import_reference(workspace, "articles", f)
    assert (rep.rows, rep.inserted, rep.updated) == (3, 3, 0)
    arts = _articles(workspace)
    assert arts["MIEL"] == ("Pot de miel 500 g", Decimal("6.5"), Decimal("3.1"), True, True, "3760123450012")
    assert arts["CAFE"][0] == "Café moulu « Œillet »" and arts["CAFE"][1] == Decimal("1234.5")
    assert arts["CAFE"][3] is False  # « Sommeil : oui » means inactive
    assert arts["TH-01"][1] == Decimal("4.2") and arts["TH-01"][2] is None


def test_reimport_updates_by_code(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("code;libelle;prix_ht\nMIEL;Miel;6,50\n", encoding="utf-8")
    import_reference(workspace, "articles", f)
    f.write_text("code;libelle;prix_ht\nMIEL;Miel de lavande;7,00\nBECH;Bêchage;12\n", encoding="utf-8")
    rep = import_reference(workspace, "articles", f)
    assert (rep.inserted, rep.updated) == (1, 1)
    assert _articles(workspace)["MIEL"][:2] == ("Miel de lavande", Decimal("7"))


def test_xlsx_tiers(workspace: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Code client", "Raison sociale", "Nom", "Prénom", "E-mail", "CP", "Ville", "Pays"])
    ws.append(["ANDPA", None, "ANDRE", "Patrick", "p.andre@example.fr", "59950", "Auby", "FR"])
    ws.append(["GUEPI", None, "Guenand", "PIERRE", None, "06200", "Nice", "FR"])
    f = tmp_path / "tiers.xlsx"
    wb.save(f)
    rep = import_reference(workspace, "tiers", f)
    assert rep.rows == 2
    with store.connect(workspace, read_only=True) as con:
        rows = con.execute("SELECT code, email, code_postal FROM tiers ORDER BY code").fetchall()
    assert rows == [("ANDPA", "p.andre@example.fr", "59950"), ("GUEPI", None, "06200")]  # leading zero kept


def test_grilles_replace_and_dates(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "grilles.csv"
    f.write_text("article;categorie_tarifaire;client;qte_min;prix_ht;remise_pct;date_debut;date_fin\n"
                 "MIEL;REV;;10;5,90;;01/01/2026;31/12/2026\n", encoding="utf-8")
    import_reference(workspace, "grilles", f)
    import_reference(workspace, "grilles", f, replace=True)
    df = store.query_df(workspace, "SELECT article, date_debut, date_fin, qte_min FROM price_grids")
    assert len(df) == 1 and str(df.loc[0, "date_fin"])[:10] == "2026-12-31"


def test_grilles_are_replaced_only_when_asked_and_backed_up(workspace: Path, tmp_path: Path) -> None:
    """Price rules have no key: a file never silently replaces them; --replace backs them up first."""
    def count() -> int:
        return int(store.query_df(workspace, "SELECT count(*) AS n FROM price_grids").loc[0, "n"])

    old = tmp_path / "anciennes.csv"
    old.write_text("ref;article;categorie_tarifaire;prix_ht\nTF1;MIEL;REV;5,90\nTF2;BECH;REV;25,00\n"
                   "TF3;COUSS;REV;15,90\n", encoding="utf-8")
    new = tmp_path / "nouvelles.csv"
    new.write_text("ref;article;categorie_tarifaire;prix_ht\nTF9;MIEL;REV;6,10\n", encoding="utf-8")
    import_reference(workspace, "grilles", old)                   # an empty workspace: nothing is replaced
    with pytest.raises(ImportFileError) as exc:
        import_reference(workspace, "grilles", new)
    assert "3 règle(s)" in exc.value.message_fr and "--replace" in exc.value.message_fr and count() == 3
    rep = import_reference(workspace, "grilles", new, replace=False)     # --append
    assert (rep.inserted, rep.replaced, rep.backup, count()) == (1, 0, None, 4)
    rep = import_reference(workspace, "grilles", new, replace=True, backup_dir=tmp_path / "bk")
    assert (rep.inserted, rep.replaced, count()) == (1, 4, 1)
    assert rep.backup is not None and Path(rep.backup).parent == tmp_path / "bk"
    with open(rep.backup, encoding="utf-8-sig", newline="") as fh:
        backed = list(csv.DictReader(fh, delimiter=";"))
    assert sorted(r["ref"] for r in backed) == ["TF1", "TF2", "TF3", "TF9"]
    assert all(r["motif"] == "remplacée par l'import de nouvelles.csv" for r in backed)
    hist = store.query_df(workspace, "SELECT message, reference FROM history WHERE kind = 'action'")
    assert len(hist) == 1 and hist.loc[0, "reference"] == rep.backup
    assert "4 règle(s) remplacée(s) par 1" in hist.loc[0, "message"]


def test_cli_import_grilles_announces_the_replacement(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text("ref;article;prix_ht\nTF1;MIEL;5,90\nTF2;BECH;25,00\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "econn.cli", "import", "grilles", str(f), "--workspace", str(workspace)]
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=120).returncode == 0
    refused = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    done = subprocess.run([*cmd, "--replace", "--backup-dir", str(tmp_path / "bk")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0
    assert "2 règle(s) tarifaire(s) remplacée(s) par les 2 du fichier" in done.stdout
    assert f"sauvegarde : {tmp_path / 'bk'}" in done.stdout


@pytest.mark.parametrize("content,expected", [
    ("code;libelle;prix_ht\nMIEL;Miel;6,50\nBECH;Bêchage;douze\n", "ligne 3, prix_ht : « douze » illisible"),
    ("code;libelle\nMIEL;Miel\nMIEL;Miel bis\n", "code « MIEL » en double, lignes 2, 3"),
    ("code;libelle\nMIEL;Miel\n;Sans code\n", "ligne 3 : code vide"),
    ("libelle;prix_ht\nMiel;6,50\n", "colonne(s) obligatoire(s) absente(s)"),
    ("code;libelle\nMIEL;Miel;en trop\n", "ligne 2 : 3 champs au lieu de 2"),
    ("", "fichier vide"),
])
def test_broken_files_are_refused_and_nothing_is_loaded(workspace: Path, tmp_path: Path, content: str,
                                                        expected: str) -> None:
    with store.transaction(workspace) as con:
        con.execute("INSERT INTO articles (code, libelle) VALUES ('KEEP', 'déjà là')")
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        import_reference(workspace, "articles", f)
    assert expected in err.value.message_fr
    assert set(_articles(workspace)) == {"KEEP"}


def test_binary_file_is_refused(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "photo.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ImportFileError):
        import_reference(workspace, "articles", f)


def test_cli_refuses_a_broken_file_with_one_french_line(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("code;taux\nV3;vingt\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "econn.cli", "import", "tva", str(f), "--workspace", str(workspace)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "refusé, rien n'a été importé" in r.stderr and "Traceback" not in r.stderr
    ok = tmp_path / "tva.csv"
    ok.write_text("code;taux;libelle\nV3;20;TVA 20 %\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "econn.cli", "import", "tva", str(ok), "--workspace", str(workspace)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "1 ajoutée" in r.stdout


# ------------------------------------------------------------------------------ GC exports, as they come

FORMATS = Path(__file__).parent / "fixtures" / "formats"


def _rows(ws: Path, sql: str) -> list[tuple]:
    with store.connect(ws, read_only=True) as con:
        return con.execute(sql).fetchall()


def _columns_of(src: Path, dst: Path, keep: list[str]) -> Path:
    """``src`` with only the columns ``keep`` (in the file's order): an export with hidden columns."""
    lines = src.read_bytes().decode("cp1252").splitlines()
    header = lines[0].split(";")
    idx = [header.index(c) for c in header if c in keep]
    dst.write_bytes("\r\n".join(";".join(line.split(";")[i] for i in idx) for line in lines).encode("cp1252"))
    return dst


def test_gc_exports_with_hidden_columns(workspace: Path, tmp_path: Path) -> None:
    """Too few columns to recognise the export: read by its field names all the same, sommeil flags inverted; a
    Sage price (TTC flag) or country name is not read without the format; EBP's « Id » is the GC code."""
    from econn.reading.formats import detect_format

    cases = [
        ("articles", "sage100-articles", ["AR_Ref", "AR_Design", "AR_PrixAch", "AR_PrixVen", "AR_Sommeil"]),
        ("tiers", "sage100-tiers", ["CT_Num", "CT_Intitule", "CT_CodePostal", "CT_Ville", "CT_Pays", "CT_Sommeil"]),
        ("tiers", "gestimum-tiers", ["PCF_CODE", "PCF_RS", "PCF_DORT", "PCF_CP", "PCF_VILLE", "PCF_NII"]),
        ("articles", "ebp-articles", ["Id", "Caption", "SalePriceVatExcluded"]),
        ("tiers", "ebp-tiers", ["Name", "Id", "MainInvoicingAddress_ZipCode", "MainInvoicingAddress_City"]),
    ]
    for kind, name, keep in cases:
        f = _columns_of(FORMATS / f"{name}.csv", tmp_path / f"{name}.csv", keep)
        assert detect_format(keep, kind) is None, name
        rep = import_reference(workspace, kind, f)
        assert rep.format is None and rep.ignored_columns == [c for c in keep if c in ("AR_PrixVen", "CT_Pays")]
    assert _rows(workspace, "SELECT code, libelle, prix_ht, prix_achat, actif FROM articles "
                            "WHERE code = 'PLAID-LIN-SAB'") == [
        ("PLAID-LIN-SAB", "Plaid lin lavé 130x170 sable", None, Decimal("38"), False)]
    assert _rows(workspace, "SELECT code, societe, code_postal, pays, actif FROM tiers "
                            "WHERE code IN ('CJARDINSEMILE', 'C00002') ORDER BY code") == [
        ("C00002", "Atelier Garnier SARL", "31000", None, True),
        ("CJARDINSEMILE", "LES JARDINS D'ÉMILE", "1050", None, False)]
    assert _rows(workspace, "SELECT code, libelle, prix_ht FROM articles WHERE code = 'THE-FONTE-08'") == [
        ("THE-FONTE-08", "Théière en fonte 0,8 L", Decimal("45"))]
    assert _rows(workspace, "SELECT code, societe, code_postal, ville FROM tiers WHERE code = 'CL00004'") == [
        ("CL00004", "LES JARDINS D'ÉMILE", "1050", "Bruxelles")]


def test_map_option_and_remembered_choices(demo_workspace: Path, tmp_path: Path) -> None:
    from econn.errors import HeaderMapError
    from econn.reading.header_choices import set_choices

    f = tmp_path / "catalogue.csv"
    f.write_text("Réf. interne;Libellé court;Tarif public;Commentaire\nZZ-1;Bol;12,5;à revoir\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as exc:
        import_reference(demo_workspace, "articles", f)
    assert 'indiquez laquelle avec --map "Colonne=code_gc"' in exc.value.message_fr
    rep = import_reference(demo_workspace, "articles", f, header_map={
        "Réf. interne": "code_gc", "Libellé court": "libelle", "Tarif public": "prix_ht", "Commentaire": None})
    assert rep.ignored_columns == ["Commentaire"]
    assert _rows(demo_workspace, "SELECT code, libelle, prix_ht FROM articles WHERE code = 'ZZ-1'") == [
        ("ZZ-1", "Bol", Decimal("12.5"))]
    with pytest.raises(HeaderMapError) as exc:
        import_reference(demo_workspace, "articles", f, header_map={"Prix promo": "prix_ht"})
    assert "colonne(s) absente(s) de catalogue.csv : Prix promo" in exc.value.message_fr
    set_choices(demo_workspace, "CSV", "articles", {"Réf. interne": "code_gc", "Tarif public": "prix_ht",
                                                  "Libellé court": "libelle"})
    rep = import_reference(demo_workspace, "articles", f, connector="CSV")
    assert rep.updated == 1 and rep.ignored_columns == ["Commentaire"]
    with pytest.raises(HeaderMapError):
        import_reference(demo_workspace, "articles", f, connector="NOPE")


def test_cli_map_errors_are_french(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "catalogue.csv"
    f.write_text("Réf. interne;Libellé court\nZZ-1;Bol\n", encoding="utf-8")
    base = [sys.executable, "-m", "econn.cli", "import", "articles", str(f), "--workspace", str(workspace)]
    r = subprocess.run([*base, "--map", "Réf. interne=codegc"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("econn : Champ inconnu « codegc » pour le flux articles. "
                                                     "Champs possibles : code_gc,")
    r = subprocess.run([*base, "--map", "Réf. interne=code_gc"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "1 ligne(s) lue(s) : 1 ajoutée(s)" in r.stdout
