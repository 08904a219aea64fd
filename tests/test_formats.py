"""Export formats (econn.reading.formats): each fixture recognised and mapped; orders received with the
format's semantics (totals HT/TTC, shipping, names, postcodes); GC exports imported without renaming.

The fixtures (tests/fixtures/formats/, sources in SOURCES.md) are the research's files, in the real column
order. Expected amounts are computed by hand from them (20 % VAT everywhere).
"""

from __future__ import annotations

import json
import shutil
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from econn.reading.formats import FORMATS, MIN_SIGNATURE, UnknownFormatError, detect_format, get_format
from econn.reading.headers import SYNONYMS, map_headers, normalize
from econn.reading.loaders import read_csv
from econn.reading.reference import import_reference
from econn.reception import analyze

FIX = Path(__file__).parent / "fixtures" / "formats"

# fixture → format id (two files for the French and English headers of WooCommerce)
FIXTURES = {f.stem: f.stem.removesuffix("-fr") for f in FIX.glob("*.csv")}


def _columns(name: str) -> list[str]:
    res = read_csv(FIX / f"{name}.csv")
    try:
        return list(res.columns)
    finally:
        res.con.close()


def _fields(name: str) -> dict[str, str | None]:
    fmt = get_format(FIXTURES[name])
    return {m.header: m.field for m in map_headers(_columns(name), fmt.flow, source_format=fmt)}


def test_every_format_has_a_fixture_and_maps_to_canonical_fields() -> None:
    assert sorted(set(FIXTURES.values())) == sorted(f.id for f in FORMATS)
    assert len(FORMATS) == 16
    for fmt in FORMATS:
        assert fmt.label and fmt.source and fmt.signature
        bad = {h: f for h, f in fmt.mapping.items() if f is not None and f not in SYNONYMS[fmt.flow]}
        assert not bad, fmt.id


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_is_recognised(name: str) -> None:
    found = detect_format(_columns(name))
    assert found is not None
    fmt, score = found
    assert fmt.id == FIXTURES[name]
    assert score >= 0.99


def test_generic_and_demo_headers_are_not_a_format(demo_template: Path) -> None:
    assert detect_format(["N° commande", "Date", "Référence article", "Quantité", "PU HT", "Total TTC"]) is None
    for path in sorted(demo_template.glob("connecteurs/*/import/*.csv")):
        res = read_csv(path)
        try:
            assert detect_format(list(res.columns)) is None, path.name
        finally:
            res.con.close()


def test_detection_tolerates_hidden_columns_and_flow_filter() -> None:
    # Magento's order grid shows 8 of its 18 columns by default; a user may hide one more.
    found = detect_format(["ID", "Purchase Point", "Purchase Date", "Bill-to Name", "Ship-to Name",
                           "Grand Total (Base)", "Grand Total (Purchased)", "Status"])
    assert found is not None and found[0].id == "magento-orders" and found[1] == 1.0
    found = detect_format(["ID", "Purchase Date", "Bill-to Name", "Ship-to Name", "Grand Total (Base)",
                           "Grand Total (Purchased)", "Status", "Colonne à moi"])
    assert found is not None and found[0].id == "magento-orders" and found[1] == pytest.approx(0.842, abs=1e-3)
    assert detect_format(["ID", "Purchase Date", "Bill-to Name", "Status"]) is None
    assert detect_format(_columns("shopify-orders"), flow="tiers") is None


def test_shopify_orders_mapping_fixes_wrong_synonyms() -> None:
    f = _fields("shopify-orders")
    assert f["Shipping"] == "port_ttc" and f["Lineitem price"] == "pu_ttc" and f["Total"] == "total_ttc"
    assert f["Billing Name"] == "nom_complet" and f["Discount Amount"] == "remise_ttc"
    assert f["Shipping Method"] == "transporteur" and f["Tax 1 Name"] == "tva_label"
    assert f["Subtotal"] == "sous_total" and f["Phone"] is None and f["Billing Street"] is None
    assert map_headers(["Shipping", "Name"], "documents")[0].field == "port_ht"   # without the format: old synonym


def test_woocommerce_orders_mapping_en_and_fr() -> None:
    for name in ("woocommerce-orders", "woocommerce-orders-fr"):
        f = _fields(name)
        got = {v: k for k, v in f.items() if v}
        assert got["doc_ext_id"] in ("Order Number", "Numéro de commande")
        assert {"prenom", "nom", "code_postal", "pu_ht", "qte", "sku", "port_ht", "total_ttc",
                "total_tva"} <= set(got)
        assert "total_ht" not in got   # « Order Subtotal Amount » is before discounts and without shipping
    assert _fields("woocommerce-orders")["Order Subtotal Amount"] is None
    assert _fields("woocommerce-orders-fr")["Sous-total de la commande"] is None


def test_prestashop_and_magento_orders_mapping() -> None:
    p = _fields("prestashop-orders")
    assert p["ID"] == "doc_ext_id" and p["Référence"] is None and p["Client"] == "nom_complet"
    assert p["Livraison"] == "liv_pays" and p["Total"] == "total_ttc"
    m = _fields("magento-orders")
    assert m["Customer Name"] is None and m["Billing Address"] is None and m["Bill-to Name"] == "nom_complet"
    assert m["Grand Total (Purchased)"] == "total_ttc" and m["Shipping and Handling"] == "port_ht"
    assert m["Subtotal"] is None


def test_tiers_and_articles_mappings() -> None:
    assert _fields("shopify-products")["Variant SKU"] == "code_ext"
    assert _fields("shopify-products")["Variant Price"] == "prix_ttc"
    for name in ("woocommerce-products", "woocommerce-products-fr"):
        f = _fields(name)
        assert f["Type"] is None and f["ID"] is None
        assert f.get("SKU", f.get("UGS")) == "code_ext"
        assert f.get("Categories", f.get("Catégories")) == "famille"
        assert f.get("Regular price", f.get("Tarif régulier")) == "prix_ttc"
    assert _fields("shopify-customers")["Default Address Zip"] == "code_postal"
    assert _fields("prestashop-customers")["Adresse e-mail"] == "email"
    assert _fields("prestashop-products")["Référence"] == "code_gc"
    assert _fields("magento-customer-addresses")["vat_id"] == "tva_intra"
    assert _fields("sage100-tiers")["CT_Identifiant"] == "tva_intra"
    assert _fields("gestimum-articles")["FAR_CODE"] == "famille"
    assert _fields("ebp-articles")["VatId"] == "code_tva" and _fields("ebp-articles")["DesCom"] is None
    assert _fields("ebp-tiers")["MainInvoicingAddress_ZipCode"] == "code_postal"
    assert _fields("ebp-tiers")["MainDeliveryAddress_ZipCode"] is None   # not the tiers' own address
    ebp = get_format("ebp-tiers")
    got = map_headers(["Id", "MainInvoicingContact_Civility"], "tiers", source_format=ebp)
    assert [m.field for m in got] == ["code_gc", "civilite"]


# ---------------------------------------------------------------------------------------------------------
# Reception of the orders formats on a copy of the demo workspace

def _docs(ws: Path, name: str | Path, **kw: object) -> tuple[dict, dict]:
    """Analyse a fixture (name) or a file: per document (HT, port HT, TTC, prénom, nom, code postal, codes)."""
    res = analyze(ws, "CSV", name if isinstance(name, Path) else FIX / f"{name}.csv", **kw)   # type: ignore[arg-type]
    try:
        fa = res.files[0]
        assert fa.error is None
        docs = {}
        for d in fa.documents:
            t = next(t for t in fa.tiers if d.number in t.documents)
            docs[d.number] = (d.total_ht, d.port_ht, d.total_ttc, t.record["prenom"], t.record["nom"],
                              t.record["code_postal"], d.codes)
        return fa.to_dict(), docs
    finally:
        res.close()


def test_shopify_orders_reception(demo_workspace: Path) -> None:
    out, docs = _docs(demo_workspace, "shopify-orders")
    assert out["format"] == {"id": "shopify-orders", "label": "Export des commandes Shopify", "score": 1.0}
    # #1041: 2 × 18 + 54 = 90 TTC = 75 HT; shipping 5.90 TTC = 4.92 HT; total 95.90 − taxes 15.98 = 79.92 HT.
    # #1042: 96 TTC − code BIENVENUE10 9.60 → 72 HT, free shipping. #1043: 72 TTC − 6.00 → 55 HT + 4.80 TTC
    # shipping (4.00 HT) = 59 HT. #1044: 3 × 6 = 15 HT + 4.92 = 19.92 HT.
    assert {k: v[:6] for k, v in docs.items()} == {
        "1041": (79.92, 4.92, 95.90, "Élodie", "Lefèvre", "69002"),
        "1042": (72.00, 0.00, 86.40, "François", "Garnier", "31000"),
        "1043": (59.00, 4.00, 70.80, "Anaïs", "Perrin", "06000"),
        "1044": (19.92, 4.92, 23.90, "Chloé", "Bérard", "44000"),
    }
    # Totals check out: no DOC-TOT nor DOC-HTTTC (the lines made HT, the discount spread, the shipping HT).
    assert not {c for v in docs.values() for c in v[6]} & {"DOC-TOT", "DOC-HTTTC", "FIC-VALEUR"}


def test_shopify_lines_take_the_first_line_vat_and_the_discount(demo_workspace: Path) -> None:
    res = analyze(demo_workspace, "CSV", FIX / "shopify-orders.csv")
    try:
        con = res.files[0]._con
        rows = con.execute("SELECT doc, sku, tva_label, taux, remise_eff, ht FROM lv2 ORDER BY _line").fetchall()
    finally:
        res.close()
    assert rows == [
        ("1041", "TAS-GRES-01", "FR TVA 20%", 20.0, 0.0, 30.0),
        ("1041", "THE-FONTE-08", "FR TVA 20%", 20.0, 0.0, 45.0),   # continuation row: no Tax 1 Name in the file
        ("1042", "PLAID-LIN-SAB", "FR TVA 20%", 20.0, 10.0, 72.0),
        ("1043", "SAV-LAV-100", "FR TVA 20%", 20.0, 8.333333, 4.58),
        ("1043", "BOU-CIRE-FIG", "FR TVA 20%", 20.0, 8.333333, 36.67),
        ("1043", "TAS-GRES-01", "FR TVA 20%", 20.0, 8.333333, 13.75),
        ("1044", "SAV-LAV-100", "FR TVA 20%", 20.0, 0.0, 15.0),
    ]


def test_shopify_wrong_total_is_reported(demo_workspace: Path, tmp_path: Path) -> None:
    text = (FIX / "shopify-orders.csv").read_text(encoding="utf-8")
    bad = tmp_path / "shopify-bad.csv"
    bad.write_text(text.replace("EUR,90.00,5.90,15.98,95.90,", "EUR,90.00,5.90,15.98,99.90,"), encoding="utf-8")
    res = analyze(demo_workspace, "CSV", bad)
    try:
        fa = res.files[0]
        codes = {d.number: d.codes for d in fa.documents}
    finally:
        res.close()
    assert "DOC-TOT" in codes["1041"] and "DOC-TOT" not in codes["1042"]


def test_ttc_only_file_has_its_totals_checked(demo_workspace: Path, tmp_path: Path) -> None:
    """No total HT and no total VAT: the TTC total is checked against the lines and shipping made TTC."""
    f = tmp_path / "ttc.csv"
    f.write_text("N° commande;Référence article;Quantité;PU TTC;TVA;Frais de port TTC;Total TTC\n"
                 "A1;ARRO;2;12,00;20 %;6,00;30,00\n"
                 "A2;ARRO;2;12,00;20 %;6,00;31,00\n", encoding="utf-8")
    res = analyze(demo_workspace, "CSV", f)
    try:
        fa = res.files[0]
        codes = {d.number: d.codes for d in fa.documents}
        port = {d.number: d.port_ht for d in fa.documents}
        tot = [x for x in fa.findings if x.code == "DOC-TOT"]
    finally:
        res.close()
    assert "DOC-TOT" not in codes["A1"] and "DOC-TOT" in codes["A2"]
    assert port == {"A1": 5.0, "A2": 5.0}
    assert [(x.document, x.value) for x in tot] == [("A2", "TTC 31,00 / 30,00")]


@pytest.mark.parametrize("name", ["woocommerce-orders", "woocommerce-orders-fr"])
def test_woocommerce_orders_reception(demo_workspace: Path, name: str) -> None:
    out, docs = _docs(demo_workspace, name)
    assert out["format"]["id"] == "woocommerce-orders"
    # HT = total TTC − total taxes; Item Cost is HT after discount (1053: 80 − 8 = 72), shipping HT.
    assert {k: v[:6] for k, v in docs.items()} == {
        "1052": (80.00, 5.00, 96.00, "Élodie", "Lefèvre", "69002"),
        "1053": (72.00, 0.00, 86.40, "François", "Garnier", "31000"),
        "1054": (65.00, 5.00, 78.00, "Anaïs", "Perrin", "06000"),
        "1055": (20.00, 5.00, 24.00, "Chloé", "Bérard", "44000"),
    }
    assert not {c for v in docs.values() for c in v[6]} & {"DOC-TOT", "DOC-HTTTC", "FIC-VALEUR"}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


def test_receive_cli_dry_run_json_and_forced_format(demo_workspace: Path, tmp_path: Path) -> None:
    # A renamed column defeats detection; --format imposes the format (and its mapping of the other columns).
    text = (FIX / "woocommerce-orders.csv").read_text(encoding="utf-8")
    f = tmp_path / "woo.csv"
    f.write_text(text.replace('"Order Number"', '"Commande"', 1).replace('"Order Status"', '"Etat"', 1)
                 .replace('"Order Date"', '"Date"', 1).replace('"Postcode (Billing)"', '"CP"', 1)
                 .replace('"Order Subtotal Amount"', '"Subtotal"', 1)
                 .replace('"Order Shipping Amount"', '"Frais de port"', 1), encoding="utf-8")
    assert detect_format(_read_cols(f)) is None
    r = _cli("receive", "--workspace", str(demo_workspace), "--file", str(f), "--dry-run", "--json",
             "--format", "woocommerce-orders")
    out = json.loads(r.stdout)["files"][0]
    assert out["format"] == {"id": "woocommerce-orders",
                             "label": "Export des commandes WooCommerce (Advanced Order Export)", "score": None}
    d = {x["number"]: (x["total_ht"], x["port_ht"], x["total_ttc"]) for x in out["documents"]}
    assert d["1052"] == (80.0, 5.0, 96.0) and d["1054"] == (65.0, 5.0, 78.0)
    r = _cli("receive", "--workspace", str(demo_workspace), "--file", str(f), "--dry-run",
             "--format", "woocommerce-orders")
    assert "  Format reconnu : Export des commandes WooCommerce (Advanced Order Export)\n" in r.stdout
    r = _cli("receive", "--workspace", str(demo_workspace), "--file", str(f), "--dry-run", "--format",
             "shopify-products")
    assert r.returncode == 2 and "autre flux" in r.stderr


def _read_cols(path: Path) -> list[str]:
    res = read_csv(path)
    try:
        return list(res.columns)
    finally:
        res.con.close()


def test_preview_cli_format(tmp_path: Path) -> None:
    r = _cli("preview", str(FIX / "shopify-orders.csv"), "--json", "--rows", "0")
    out = json.loads(r.stdout)
    assert out["format"] == {"id": "shopify-orders", "label": "Export des commandes Shopify", "score": 1.0}
    m = {x["header"]: (x["field"], x["origin"]) for x in out["header_mapping"]}
    assert m["Shipping"] == ("port_ttc", "format") and m["Billing Street"] == (None, "format")
    r = _cli("preview", str(FIX / "shopify-orders.csv"), "--rows", "0")
    assert "Format reconnu : Export des commandes Shopify" in r.stdout
    r = _cli("preview", str(FIX / "gestimum-tiers.csv"), "--json", "--rows", "0")
    out = json.loads(r.stdout)
    assert out["format"]["id"] == "gestimum-tiers" and out["flow"] == "tiers"
    plain = tmp_path / "plain.csv"
    plain.write_text("N° commande;Quantité\nA1;2\n", encoding="utf-8")
    assert json.loads(_cli("preview", str(plain), "--json")["stdout"] if False else
                      _cli("preview", str(plain), "--json").stdout)["format"] is None
    r = _cli("preview", str(plain), "--format", "bidule")
    assert r.returncode == 2 and "Format « bidule » inconnu" in r.stderr


def test_unknown_format_error() -> None:
    with pytest.raises(UnknownFormatError):
        get_format("ciel-articles")
    with pytest.raises(UnknownFormatError):
        get_format("ebp-articles", "tiers")


# ---------------------------------------------------------------------------------------------------------
# GC exports through `econn import`

def _rows(ws: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(ws / "econn.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_import_sage100_articles(workspace: Path) -> None:
    rep = import_reference(workspace, "articles", FIX / "sage100-articles.csv")
    assert rep.format == "sage100-articles" and rep.rows == 5 and rep.inserted == 5
    assert "AR_UniteVen" in rep.ignored_columns   # an index into P_UNITE, not a unit
    assert rep.notes == ["prix de vente TTC (« AR_PrixTTC » = 1) non repris comme prix HT, ligne(s) 5"]
    got = _rows(workspace, "SELECT code, libelle, famille, prix_ht, prix_achat, ean, actif FROM articles "
                           "WHERE code IN ('TAS-GRES-01', 'BOU-CIRE-FIG') ORDER BY code")
    assert [(c, lib, fam, None if p is None else float(p), float(pa), ean, a) for c, lib, fam, p, pa, ean, a in got] == [
        ("BOU-CIRE-FIG", "Bougie parfumée Figuier", "MAISON", None, 7.4, "3760123450042", True),
        ("TAS-GRES-01", "Tasse en grès émaillé", "ARTTABLE", 15.0, 6.2, "3760123450011", True)]


def test_import_sage100_tiers(workspace: Path) -> None:
    rep = import_reference(workspace, "tiers", FIX / "sage100-tiers.csv")
    assert rep.format == "sage100-tiers" and rep.inserted == 4
    got = _rows(workspace, "SELECT code, societe, adresse2, code_postal, pays, tva_intra, actif FROM tiers "
                           "WHERE code IN ('CLEFEVRE', 'CJARDINSEMILE') ORDER BY code")
    assert got == [("CJARDINSEMILE", "LES JARDINS D'ÉMILE", None, "1050", "BE", "BE0123456749", False),
                   ("CLEFEVRE", "LEFÈVRE Élodie", "Bâtiment B", "69002", "FR", None, True)]


def test_import_sage100_tiers_unknown_country_refuses_the_file(workspace: Path, tmp_path: Path) -> None:
    from econn.errors import ImportFileError

    f = tmp_path / "sage.csv"
    f.write_bytes((FIX / "sage100-tiers.csv").read_bytes().replace(b";Belgique;", b";Atlantide;"))
    with pytest.raises(ImportFileError) as exc:
        import_reference(workspace, "tiers", f)
    assert "ligne 5, pays : « Atlantide » pays inconnu" in exc.value.message_fr


def test_import_gestimum_articles_and_tiers(workspace: Path) -> None:
    rep = import_reference(workspace, "articles", FIX / "gestimum-articles.csv")
    assert rep.format == "gestimum-articles" and rep.inserted == 6
    got = _rows(workspace, "SELECT code, famille, prix_ht, prix_achat, ean, unite, actif FROM articles "
                           "WHERE code IN ('THE-FONTE-08', 'PLAID-LIN-SAB') ORDER BY code")
    assert [(c, f, float(p), float(pa), e, u, a) for c, f, p, pa, e, u, a in got] == [
        ("PLAID-LIN-SAB", "MAISON", 80.0, 38.0, "3760123450066", "U", False),   # ART_DORT = 1: en sommeil
        ("THE-FONTE-08", "TABLE", 45.0, 22.5, "3760123450028", "U", True)]
    rep = import_reference(workspace, "tiers", FIX / "gestimum-tiers.csv")
    assert rep.format == "gestimum-tiers" and rep.inserted == 5
    got = _rows(workspace, "SELECT code, societe, civilite, adresse1, code_postal, pays, tva_intra, famille, "
                           "categorie_tarifaire FROM tiers WHERE code = 'C00002'")
    assert got == [("C00002", "Atelier Garnier SARL", None, "4 place Saint-Étienne", "31000", "FR",
                    "FR11123456782", "PRO", "PRO")]


GC_FIXTURES = ["sage100-articles", "sage100-tiers", "gestimum-articles", "gestimum-tiers", "ebp-articles",
               "ebp-tiers"]


@pytest.mark.parametrize("name", GC_FIXTURES)
def test_gc_exports_are_not_confused(name: str) -> None:
    """Each GC export is recognised as itself, with or without the flow, and reaches no other format's
    signature (EBP's database names share none with Sage's or Gestimum's)."""
    cols = _columns(name)
    own = get_format(name)
    for flow in (None, own.flow):
        found = detect_format(cols, flow)
        assert found is not None and found[0].id == name and found[1] == 1.0
    seen = {normalize(c) for c in cols}
    for fmt in FORMATS:
        if fmt.id != name:
            share = sum(normalize(h) in seen for h in fmt.signature) / len(fmt.signature)
            assert share < MIN_SIGNATURE, (name, fmt.id, share)
    other = "articles" if own.flow == "tiers" else "tiers"
    assert detect_format(cols, other) is None


def test_ebp_extracts_of_other_public_programs_are_recognised() -> None:
    """The columns a public connector reads from EBP's Item table (ConnecteurEBP QueryHelper: « Id,
    Caption, SalePriceVatIncluded, VatAmount, PurchasePrice ») are enough to recognise the format; three
    columns are not (read by the synonyms then, tests/test_reference.py)."""
    found = detect_format(["Id", "Caption", "SalePriceVatIncluded", "VatAmount", "PurchasePrice"])
    assert found is not None and found[0].id == "ebp-articles"
    assert detect_format(["Id", "Caption", "SalePriceVatExcluded"]) is None


@pytest.mark.parametrize(("name", "flow", "label"), [
    ("ebp-articles", "articles", "Extraction des articles EBP (table Item)"),
    ("ebp-tiers", "tiers", "Extraction des clients EBP (table Customer)")])
def test_preview_recognises_ebp(name: str, flow: str, label: str) -> None:
    r = _cli("preview", str(FIX / f"{name}.csv"), "--json", "--rows", "0")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["format"] == {"id": name, "label": label, "score": 1.0} and out["flow"] == flow
    assert out["encoding"] == "cp1252" and out["rows_rejected"] == 0
    m = {x["header"]: (x["field"], x["origin"]) for x in out["header_mapping"]}
    assert m["Id"] == ("code_gc", "format")
    assert {origin for _, origin in m.values()} == {"format"}   # every column known to the format


def test_import_ebp_articles_cli(demo_workspace: Path) -> None:
    """`econn import articles` takes EBP's Item extraction as it is, on a copy of the demo: every row, no
    header renamed nor mapped by hand."""
    r = _cli("import", "articles", str(FIX / "ebp-articles.csv"), "--workspace", str(demo_workspace))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Format reconnu : Extraction des articles EBP (table Item)\n")
    assert "5 ligne(s) lue(s) : 5 ajoutée(s), 0 mise(s) à jour" in r.stdout
    assert ("colonnes ignorées : UniqueId, DesCom, RealStock, SupplierId, ManageStock, Weight, Volume, "
            "SalePriceVatIncluded") in r.stdout
    got = _rows(demo_workspace, "SELECT code, libelle, prix_ht, prix_achat, code_tva, actif FROM articles "
                                "WHERE code IN ('TAS-GRES-01', 'THE-FONTE-08', 'PORT') ORDER BY code")
    vat = "c7a1e2b4-5d6f-4a8b-9c0d-1e2f3a4b5c6d"   # Item.VatId: the uuid of the rate in EBP's Vat table
    assert [(c, lib, float(ht), float(pa), tva, a) for c, lib, ht, pa, tva, a in got] == [
        ("PORT", "Frais de port", 5.0, 0.0, vat, True),
        ("TAS-GRES-01", "Tasse en grès émaillé", 15.0, 6.2, vat, True),   # not SalePriceVatIncluded (18)
        ("THE-FONTE-08", "Théière en fonte 0,8 L", 45.0, 22.5, vat, True)]
    five = "('TAS-GRES-01', 'THE-FONTE-08', 'SAV-LAV-100', 'BOU-CIRE-FIG', 'PORT')"
    assert _rows(demo_workspace, f"SELECT count(*) FROM articles WHERE code IN {five}") == [(5,)]


def test_import_ebp_tiers_cli(demo_workspace: Path) -> None:
    """`econn import tiers` takes EBP's Customer extraction as it is: the main invoicing contact and address,
    not the delivery ones."""
    r = _cli("import", "tiers", str(FIX / "ebp-tiers.csv"), "--workspace", str(demo_workspace))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Format reconnu : Extraction des clients EBP (table Customer)\n")
    assert "4 ligne(s) lue(s) : 4 ajoutée(s), 0 mise(s) à jour" in r.stdout
    got = _rows(demo_workspace, "SELECT code, societe, nom, prenom, telephone, mobile, email, adresse1, "
                                "adresse2, code_postal, ville, pays, actif FROM tiers "
                                "WHERE code LIKE 'CL0000%' ORDER BY code")
    assert got == [
        ("CL00001", "LEFÈVRE Élodie", "Lefèvre", "Élodie", None, "06 12 34 56 78",
         "elodie.lefevre@example.fr", "12 rue de la République", "Bâtiment B", "69002", "Lyon", None, True),
        ("CL00002", "ATELIER GARNIER SARL", "Garnier", "François", "05 61 23 45 67", None,
         "f.garnier@atelier-garnier.example", "4 place Saint-Étienne", None, "31000", "Toulouse", None, True),
        ("CL00003", "PERRIN Anaïs", "Perrin", "Anaïs", "04 93 12 34 56", None, "anais.perrin@example.fr",
         "3 promenade des Anglais", "Appt 14", "06000", "Nice", None, True),
        ("CL00004", "LES JARDINS D'ÉMILE", "Vandamme", "Émile", "+32 2 512 34 56", None,
         "compta@jardins-emile.example", "Avenue Louise 231", None, "1050", "Bruxelles", None, True)]


def test_import_ebp_tiers_country_and_vat_number(workspace: Path, tmp_path: Path) -> None:
    """Columns of the Customer table beyond the fixture's, in the table's own order (a MySQL export of an EBP
    base, SOURCES.md): ISO country code and intra-EU VAT number."""
    f = tmp_path / "clients.csv"
    f.write_bytes(("Id;Civility;Name;MainInvoicingAddress_Address1;MainInvoicingAddress_ZipCode;"
                   "MainInvoicingAddress_City;MainInvoicingAddress_CountryIsoCode;MainInvoicingContact_Name;"
                   "MainInvoicingContact_FirstName;MainInvoicingContact_Email;IntracommunityVATNumber;"
                   "ActiveState\r\n"
                   "CL00004;;LES JARDINS D'ÉMILE;Avenue Louise 231;1050;Bruxelles;BE;Vandamme;Émile;"
                   "compta@jardins-emile.example;BE0123456749;0\r\n").encode("cp1252"))
    rep = import_reference(workspace, "tiers", f)
    assert rep.format == "ebp-tiers" and rep.ignored_columns == ["ActiveState"]
    assert _rows(workspace, "SELECT code, societe, code_postal, pays, tva_intra, actif FROM tiers") == [
        ("CL00004", "LES JARDINS D'ÉMILE", "1050", "BE", "BE0123456749", True)]


def test_import_cli_says_the_format(workspace: Path) -> None:
    r = _cli("import", "tiers", str(FIX / "gestimum-tiers.csv"), "--workspace", str(workspace))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Format reconnu : Export des clients Gestimum\n")


def test_fixtures_are_the_research_files() -> None:
    """The fixtures keep their bytes: encodings and separators of the real exports."""
    assert (FIX / "woocommerce-products.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (FIX / "sage100-tiers.csv").read_bytes()
    assert "Lefèvre".encode("cp1252") in (FIX / "gestimum-tiers.csv").read_bytes()
    shutil.copy  # noqa: B018 - keep the import used by helpers above


def test_reception_page_mapping_editor_uses_the_format(workspace: Path) -> None:
    """The reception page proposes what the reception applies (« Mémoriser » would otherwise store
    Shopify's « Shipping » as port HT, and a remembered choice wins over the format)."""
    from econn.ui.common import MessagePanel
    from econn.ui.reception_mapping import MappingEditor

    editor = MappingEditor(workspace, MessagePanel())
    editor.propose(_columns("shopify-orders"), "CSV")
    assert editor.fields["Shipping"].value == "port_ttc" and editor.fields["Billing Street"].value == ""
    assert "Format reconnu : <b>Export des commandes Shopify</b>" in editor.format_note.value
    editor.propose(["N° commande", "Frais de port"], "CSV")
    assert editor.fields["Frais de port"].value == "port_ht" and editor.format_note.value == ""


def test_import_forced_format(workspace: Path, tmp_path: Path) -> None:
    """Only three Gestimum columns: too few to recognise the export, read by the format's names all the same
    (econn.reading.headers); --format imposes the format."""
    f = tmp_path / "art.csv"
    f.write_text("ART_CODE;ART_DORT;ART_P_VTE\nX1;1;12,50\n", encoding="cp1252")

    assert detect_format(["ART_CODE", "ART_DORT", "ART_P_VTE"]) is None
    rep = import_reference(workspace, "articles", f)
    assert rep.format is None and rep.ignored_columns == []
    assert _rows(workspace, "SELECT code, prix_ht, actif FROM articles WHERE code = 'X1'") == [
        ("X1", pytest.approx(12.5), False)]
    rep = import_reference(workspace, "articles", f, source_format="gestimum-articles")
    assert rep.format == "gestimum-articles"
    assert _rows(workspace, "SELECT code, prix_ht, actif FROM articles WHERE code = 'X1'") == [
        ("X1", pytest.approx(12.5), False)]
    r = _cli("import", "articles", str(f), "--workspace", str(workspace), "--format", "sage100-tiers")
    assert r.returncode == 2 and "d'un autre flux" in r.stderr


def test_shopify_orders_integrate_with_their_totals(demo_workspace: Path) -> None:
    """End to end: the GC documents get the file's HT and TTC, their lines the spread discount."""
    from econn import store
    from econn.mappings import correspondences
    from econn.reception import integrate

    for domain, ext, gc in [("tva", "FR TVA 20%", "V3"), ("reglement", "Shopify Payments", "CB"),
                            ("reglement", "Virement bancaire", "VIR"), ("article", "TAS-GRES-01", "BECH"),
                            ("article", "THE-FONTE-08", "COUSS"), ("article", "PLAID-LIN-SAB", "COUSS"),
                            ("article", "SAV-LAV-100", "ARRO"), ("article", "BOU-CIRE-FIG", "BECH")]:
        correspondences.set_mapping(demo_workspace, "CSV", domain, ext, gc)
    # Élodie's phone is shared by demo tiers (a homonym that waits): she is created.
    res = integrate(demo_workspace, "CSV", FIX / "shopify-orders.csv", homonyms="create",
                    decisions={"elodie.lefevre@example.fr": "create"})
    fa = res.files[0]
    assert {d.number: d.status for d in fa.documents} == dict.fromkeys(("1041", "1042", "1043", "1044"),
                                                                         "integrated")
    with store.connect(demo_workspace, read_only=True) as con:
        docs = con.execute("SELECT ext_number, total_ht, total_ttc FROM documents WHERE connector = 'CSV' "
                           "AND ext_number IN ('1041', '1042', '1043', '1044') ORDER BY ext_number").fetchall()
        lines = con.execute("""SELECT d.ext_number, l.article, l.qte, l.pu_ht, l.remise_pct FROM document_lines l
                               JOIN documents d ON d.id = l.document_id WHERE d.ext_number = '1043'
                               ORDER BY l.line_no""").fetchall()
        created = con.execute("SELECT prenom, nom, code_postal, telephone FROM tiers "
                              "WHERE email = 'elodie.lefevre@example.fr'").fetchall()
    assert created == [("Élodie", "Lefèvre", "69002", "+33612345678")]
    assert [(n, float(ht), float(ttc)) for n, ht, ttc in docs] == [
        ("1041", 79.92, 95.90), ("1042", 72.00, 86.40), ("1043", 59.00, 70.80), ("1044", 19.92, 23.90)]
    assert [(n, a, float(q), float(pu), round(float(r), 4)) for n, a, q, pu, r in lines] == [
        ("1043", "ARRO", 1.0, 5.0, 8.3333), ("1043", "BECH", 2.0, 20.0, 8.3333), ("1043", "BECH", 1.0, 15.0, 8.3333)]


def test_generic_synonyms_no_longer_wrong() -> None:
    """Without a format: headers whose generic mapping was wrong for every shop that writes them."""
    docs = {m.header: m.field for m in map_headers(
        ["Order Subtotal Amount", "Billing Name", "Frais de port TTC", "Shipping Method"], "documents")}
    assert docs == {"Order Subtotal Amount": None, "Billing Name": "nom_complet", "Frais de port TTC": "port_ttc",
                    "Shipping Method": "transporteur"}
    arts = {m.header: m.field for m in map_headers(["Variant SKU", "Prix TTC"], "articles")}
    assert arts == {"Variant SKU": "code_ext", "Prix TTC": "prix_ttc"}


def test_pending_lines_use_the_format(demo_workspace: Path) -> None:
    """The correspondences page reads pending files as the reception does: Shopify's TTC « Shipping » is not
    a port HT, its « Billing Name » not a nom."""
    from econn.reception.pending import clear_cache, pending_lines

    shutil.copy(FIX / "shopify-orders.csv", demo_workspace / "connecteurs" / "CSV" / "import" / "shopify.csv")
    clear_cache()
    df = pending_lines(demo_workspace, "CSV")
    rows = df[df["source"] == "shopify.csv"]
    assert len(rows) == 7
    assert rows["port_ht"].isna().all() and rows["nom"].isna().all()
    assert list(rows["tva_label"])[:2] == ["FR TVA 20%", ""]   # pending rows are raw text


def test_shopify_order_from_a_shop_in_ht_prices(demo_workspace: Path, tmp_path: Path) -> None:
    """Shopify writes no price mode: an order whose Total = Subtotal + Shipping + Taxes has HT prices and
    shipping (a shop not in TTC prices); the other orders of the file stay TTC."""
    text = (FIX / "shopify-orders.csv").read_text(encoding="utf-8")
    ht = (text.replace("EUR,90.00,5.90,15.98,95.90,", "EUR,75.00,4.92,15.98,95.90,")
          .replace("2,Tasse en grès émaillé,18.00,", "2,Tasse en grès émaillé,15.00,")
          .replace('"Théière en fonte 0,8 L",54.00,', '"Théière en fonte 0,8 L",45.00,'))
    assert ht.count("15.00,,TAS-GRES-01") == 1 and ht.count(",45.00,,THE-FONTE-08") == 1
    f = tmp_path / "shopify-ht.csv"
    f.write_text(ht, encoding="utf-8")
    _, docs = _docs(demo_workspace, f)
    assert docs["1041"][:3] == (79.92, 4.92, 95.90) and docs["1042"][:3] == (72.00, 0.00, 86.40)
    assert not {c for v in docs.values() for c in v[6]} & {"DOC-TOT", "DOC-HTTTC"}
