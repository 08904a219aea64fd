"""Reception of the registered orders formats (econn.reading.formats) on a copy of the demo workspace.

Every format with document lines is analysed and integrated from its fixture (tests/fixtures/formats/, real
column order): named documents get the right HT and TTC totals and shipping, their customers the right
prénom, nom and postcode. The orders exports without lines are recognised and blocked whole. Shopify's
prefixes never reach a document key, and an order split across two pending files is never integrated with
part of its lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from econn import store
from econn.mappings import correspondences
from econn.reading.formats import FORMATS
from econn.reception import analyze, integrate
from econn.reception.pending import clear_cache, pending_lines

FIX = Path(__file__).parent / "fixtures" / "formats"


def _imports(ws: Path) -> Path:
    return ws / "connecteurs" / "CSV" / "import"


def _shopify_lines() -> list[str]:
    return (FIX / "shopify-orders.csv").read_text(encoding="utf-8").split("\n")


# ---------------------------------------------------------------------------------------------------------
# Shopify's « # » before the order name, « ' » before zips

def test_shopify_rejected_line_blocks_its_own_order_only(demo_workspace: Path, tmp_path: Path) -> None:
    """A rejected row of #1043 is attributed to 1043 from its own « Name », not to its neighbours."""
    lines = _shopify_lines()
    assert lines[6].startswith("#1043,")
    lines[6] += ",EXTRA"   # one value too many: the loader rejects the row
    f = tmp_path / "shopify-rejet.csv"
    f.write_text("\n".join(lines), encoding="utf-8")
    res = analyze(demo_workspace, "CSV", f)
    try:
        fa = res.files[0]
        rejected = [(x.line, x.document) for x in fa.findings if x.code == "FIC-REJET"]
        codes = {d.number: d.codes for d in fa.documents}
    finally:
        res.close()
    assert rejected == [(7, "1043")]
    assert "FIC-REJET" in codes["1043"] and "FIC-REJET" not in codes["1044"]


def test_shopify_pending_rows_lose_their_prefixes(demo_workspace: Path) -> None:
    """The pending files feed the correspondences page and the diagnostics: their document keys and
    postcodes are read as the reception reads them (no « # », no « ' »)."""
    from econn.diagnostics import articles

    shutil.copy(FIX / "shopify-orders.csv", _imports(demo_workspace) / "shopify.csv")
    clear_cache()
    rows = pending_lines(demo_workspace, "CSV")
    rows = rows[rows["source"] == "shopify.csv"]
    assert list(rows["doc_ext_id"]) == ["1041", "1041", "1042", "1043", "1043", "1043", "1044"]
    assert [z for z in rows["code_postal"] if z] == ["69002", "31000", "06000", "44000"]
    found = articles.run(demo_workspace, connector="CSV").findings
    assert {x.document for x in found if x.source == "shopify.csv"} == {"1041", "1042", "1043", "1044"}


def test_shopify_compound_surnames_are_split_at_their_particle(demo_workspace: Path, tmp_path: Path) -> None:
    """« Billing Name » is a full name: the nom starts at its particle, a hyphenated name stays whole."""
    text = (FIX / "shopify-orders.csv").read_text(encoding="utf-8")
    for old, new in [("Élodie Lefèvre", "Jean-Pierre de La Fontaine"), ("François Garnier", "Marie Le Gall"),
                     ("Anaïs Perrin", "Anne-Sophie Dupont-Martin"), ("Chloé Bérard", "Ursula von der Leyen")]:
        text = text.replace(old, new)
    f = tmp_path / "shopify-noms.csv"
    f.write_text(text, encoding="utf-8")
    res = analyze(demo_workspace, "CSV", f)
    try:
        names = {t.documents[0]: (t.record["prenom"], t.record["nom"], t.name) for t in res.files[0].tiers}
    finally:
        res.close()
    assert names == {"1041": ("Jean-Pierre", "de La Fontaine", "Jean-Pierre DE LA FONTAINE"),
                     "1042": ("Marie", "Le Gall", "Atelier Garnier SARL"),
                     "1043": ("Anne-Sophie", "Dupont-Martin", "Anne-Sophie DUPONT-MARTIN"),
                     "1044": ("Ursula", "von der Leyen", "Ursula VON DER LEYEN")}


def test_shopify_multiline_addresses_reach_two_fields(demo_workspace: Path, tmp_path: Path) -> None:
    """A line break typed in an address (quoted in the CSV) never reaches the GC: the first line is the
    adresse 1, the next lines go before the adresse 2."""
    text = (FIX / "shopify-orders.csv").read_text(encoding="utf-8")
    text = text.replace(",12 rue de la République,Bâtiment B,,Lyon,'69002,",
                        ',"12 rue de la République\r\nBâtiment B",,,Lyon,\'69002,', 1)
    text = text.replace(",3 promenade des Anglais,Appt 14,,Nice,'06000,",
                        ',"3 promenade des Anglais\n\nRésidence Les Pins ",Appt 14,,"Nice\n",\'06000,', 1)
    f = tmp_path / "shopify-adresses.csv"
    f.write_text(text, encoding="utf-8")
    res = analyze(demo_workspace, "CSV", f)
    try:
        fa = res.files[0]
        assert not fa.rejects
        got = {t.documents[0]: tuple(t.record[k] for k in ("adresse1", "adresse2", "ville", "code_postal"))
               for t in fa.tiers}
    finally:
        res.close()
    assert got["1041"] == ("12 rue de la République", "Bâtiment B", "Lyon", "69002")
    assert got["1043"] == ("3 promenade des Anglais", "Résidence Les Pins, Appt 14", "Nice", "06000")
    assert got["1044"] == ("7 allée des Châtaigniers", None, "Nantes", "44000")


# ---------------------------------------------------------------------------------------------------------
# Orders exports without lines (PrestaShop and Magento order grids)

def _gc_documents(ws: Path) -> int:
    with store.connect(ws, read_only=True) as con:
        return int(con.execute("SELECT count(*) FROM documents").fetchall()[0][0])


@pytest.mark.parametrize("name", ["prestashop-orders", "magento-orders"])
def test_orders_export_without_lines_is_blocked_whole(demo_workspace: Path, name: str) -> None:
    """An order grid export (one row per order, totals only) is recognised and refused with one finding that
    says why and what to export instead; nothing is integrated and the file stays pending."""
    before = _gc_documents(demo_workspace)
    path = _imports(demo_workspace) / f"{name}.csv"
    shutil.copy(FIX / f"{name}.csv", path)
    res = integrate(demo_workspace, "CSV", path, homonyms="create")
    fa = res.files[0]
    assert fa.format is not None and fa.format["id"] == name and fa.error is None
    assert [(f.code, f.level.value, f.source) for f in fa.findings] == [("FIC-SANSLIGNE", "erreur", path.name)]
    label = fa.format["label"]
    assert fa.findings[0].message == (f"{label} : une ligne par commande, sans les lignes d'articles ; "
                                      "ce fichier ne peut pas être intégré")
    assert "avec leurs lignes d'articles" in fa.findings[0].hint and "API" in fa.findings[0].hint
    assert fa.documents == [] and fa.rows == {"prestashop-orders": 6, "magento-orders": 4}[name]
    assert fa.renamed_to is None and path.exists() and res.exit_code() == 1
    assert _gc_documents(demo_workspace) == before


def test_orders_export_without_lines_cli(demo_workspace: Path) -> None:
    """Preview shows the export; a dry-run reception exits 1 with the finding, no traceback."""
    path = FIX / "magento-orders.csv"
    r = _cli("preview", str(path), "--json", "--rows", "0")
    assert r.returncode == 0 and json.loads(r.stdout)["format"]["id"] == "magento-orders"
    r = _cli("receive", "--workspace", str(demo_workspace), "--file", str(path), "--dry-run", "--json")
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)["files"][0]
    assert [f["code"] for f in out["findings"]] == ["FIC-SANSLIGNE"] and out["documents"] == []
    r = _cli("receive", "--workspace", str(demo_workspace), "--file", str(path), "--dry-run")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Export de la grille des commandes Magento : une ligne par commande" in r.stdout


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "econn.cli", *args], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------------------------------------------------
# Every format with document lines: its fixture analysed and integrated

# document → (total HT, total TTC, shipping HT, prénom, nom, code postal), computed by hand (20 % VAT).
_SHOPIFY = {"1041": (79.92, 95.90, 4.92, "Élodie", "Lefèvre", "69002"),   # 90 TTC + 5,90 TTC port; taxes 15,98
            "1042": (72.00, 86.40, 0.00, "François", "Garnier", "31000"),  # 96 TTC − 9,60 code promo
            "1043": (59.00, 70.80, 4.00, "Anaïs", "Perrin", "06000"),      # 66 − 6 + 4,80 TTC port
            "1044": (19.92, 23.90, 4.92, "Chloé", "Bérard", "44000")}      # 3 × 6 TTC + 5,90 TTC port
_WOO = {"1052": (80.00, 96.00, 5.00, "Élodie", "Lefèvre", "69002"),     # 2 × 15 + 45 HT + 5 HT port
        "1053": (72.00, 86.40, 0.00, "François", "Garnier", "31000"),   # Item Cost 72 HT after the discount
        "1054": (65.00, 78.00, 5.00, "Anaïs", "Perrin", "06000"),       # 5 + 2 × 20 + 15 HT + 5 HT port
        "1055": (20.00, 24.00, 5.00, "Chloé", "Bérard", "44000")}       # 3 × 5 HT + 5 HT port
# One document's GC lines per fixture: (article, qte, PU HT, remise %).
_LINES = {"shopify-orders": ("1043", [("ARRO", 1.0, 5.0, 8.3333), ("BECH", 2.0, 20.0, 8.3333),
                                      ("BECH", 1.0, 15.0, 8.3333)]),
          "woocommerce-orders": ("1054", [("ARRO", 1.0, 5.0, 0.0), ("BECH", 2.0, 20.0, 0.0),
                                          ("BECH", 1.0, 15.0, 0.0)])}
EXPECTED = {"shopify-orders": _SHOPIFY, "woocommerce-orders": _WOO, "woocommerce-orders-fr": _WOO}


def _with_lines() -> list[str]:
    """The fixtures of every registered orders format that carries document lines."""
    ids = {f.id for f in FORMATS if f.flow == "documents" and f.semantics.lines}
    return sorted(p.stem for p in FIX.glob("*.csv") if p.stem.removesuffix("-fr") in ids)


def test_every_format_with_lines_has_expected_values() -> None:
    assert _with_lines() == sorted(EXPECTED)


def _map_demo(ws: Path) -> None:
    """The correspondences a consultant sets for the fixtures' shop (five articles, one VAT label, payments)."""
    for domain, ext, gc in [("tva", "FR TVA 20%", "V3"), ("reglement", "Shopify Payments", "CB"),
                            ("reglement", "Carte bancaire", "CB"), ("reglement", "Virement bancaire", "VIR"),
                            ("article", "TAS-GRES-01", "BECH"), ("article", "THE-FONTE-08", "COUSS"),
                            ("article", "PLAID-LIN-SAB", "COUSS"), ("article", "SAV-LAV-100", "ARRO"),
                            ("article", "BOU-CIRE-FIG", "BECH")]:
        correspondences.set_mapping(ws, "CSV", domain, ext, gc)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_format_with_lines_is_received_with_its_totals_and_customers(demo_workspace: Path, name: str) -> None:
    expected = EXPECTED[name]
    _map_demo(demo_workspace)
    path = _imports(demo_workspace) / f"{name}.csv"
    shutil.copy(FIX / f"{name}.csv", path)
    # Every customer is new to the GC (the demo shares Élodie's phone: a homonym that would wait).
    emails = ("elodie.lefevre@example.fr", "f.garnier@atelier-garnier.example", "anais.perrin@example.fr",
              "chloe.berard@example.fr")
    res = integrate(demo_workspace, "CSV", path, homonyms="create", decisions=dict.fromkeys(emails, "create"))
    fa = res.files[0]
    assert fa.format is not None and fa.format["id"] == name.removesuffix("-fr")
    assert {d.number: d.status for d in fa.documents} == dict.fromkeys(expected, "integrated")
    assert not {c for d in fa.documents for c in d.codes} & {"DOC-TOT", "DOC-HTTTC", "FIC-VALEUR", "FIC-REJET"}
    assert {d.number: (d.total_ht, d.total_ttc, d.port_ht) for d in fa.documents} == {
        k: v[:3] for k, v in expected.items()}
    assert fa.renamed_to is not None and fa.renamed_to.suffix == ".bak"
    with store.connect(demo_workspace, read_only=True) as con:
        got = con.execute("""SELECT d.ext_number, d.total_ht, d.total_ttc, t.prenom, t.nom, t.code_postal
                             FROM documents d JOIN tiers t ON t.code = d.tiers_code
                             WHERE d.connector = 'CSV' AND list_contains(?, d.ext_number)""",
                          [list(expected)]).fetchall()
        number, lines = _LINES[name.removesuffix("-fr")]
        gc_lines = con.execute("""SELECT l.article, l.qte, l.pu_ht, l.remise_pct FROM document_lines l
                                  JOIN documents d ON d.id = l.document_id
                                  WHERE d.connector = 'CSV' AND d.ext_number = ? ORDER BY l.line_no""",
                               [number]).fetchall()
    assert {n: (float(ht), float(ttc), p, nom, cp) for n, ht, ttc, p, nom, cp in got} == {
        k: (v[0], v[1], *v[3:]) for k, v in expected.items()}
    assert [(a, float(q), float(pu), round(float(r), 4)) for a, q, pu, r in gc_lines] == lines


@pytest.mark.parametrize("name", ["shopify-orders", "woocommerce-orders"])
def test_order_split_across_two_pending_files_is_never_half_integrated(demo_workspace: Path, name: str) -> None:
    """The third order's rows cut between two pending files: it is blocked in both (FIC-SPLIT), the other orders
    are integrated; once its rows are together again it is integrated with all three lines."""
    _map_demo(demo_workspace)
    rows = (FIX / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    numbers = [r.split(",")[0].lstrip("#") for r in rows[1:8]]   # 2 rows, 1 row, 3 rows, 1 row
    number = numbers[3]
    assert numbers[3:6] == [number] * 3 and number not in numbers[:3] + numbers[6:]
    a, b = _imports(demo_workspace) / "a.csv", _imports(demo_workspace) / "b.csv"
    a.write_text("\n".join([rows[0], *rows[1:6]]) + "\n", encoding="utf-8")
    b.write_text("\n".join([rows[0], *rows[6:8]]) + "\n", encoding="utf-8")
    decisions = {"elodie.lefevre@example.fr": "create"}
    for path in (a, b):
        res = integrate(demo_workspace, "CSV", path, homonyms="create", decisions=decisions)
        docs = {d.number: (d.status, d.codes) for d in res.files[0].documents}
        assert docs[number][0] == "blocked" and "FIC-SPLIT" in docs[number][1]
        assert all(s == "integrated" for n, (s, _c) in docs.items() if n != number)
        assert path.exists()
    assert _gc_lines(demo_workspace, number) == 0
    a.write_text("\n".join([rows[0], *rows[1:8]]) + "\n", encoding="utf-8")
    b.unlink()
    res = integrate(demo_workspace, "CSV", a, homonyms="create", decisions=decisions)
    assert {d.number: d.status for d in res.files[0].documents}[number] == "integrated"
    assert _gc_lines(demo_workspace, number) == 3


def _gc_lines(ws: Path, number: str) -> int:
    with store.connect(ws, read_only=True) as con:
        return int(con.execute("""SELECT count(l.line_no) FROM documents d
                                  JOIN document_lines l ON l.document_id = d.id
                                  WHERE d.connector = 'CSV' AND d.ext_number = ?""", [number]).fetchall()[0][0])
