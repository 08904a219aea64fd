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
