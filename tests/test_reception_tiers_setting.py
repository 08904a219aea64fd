"""« Réception des tiers : Non concerné »: no tiers is created; an unknown customer's orders go to the
connector's default customer (COR-CLI-DEF) or are blocked (COR-CLI-ABS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from econn import store
from econn.config import connectors
from econn.findings import Level
from econn.reception.analysis import analyze
from econn.reception.integration import integrate

HEADER = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
          "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
          "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC")


def _orders(ws: Path) -> Path:
    """Two orders (lines 2 and 3) of a customer the GC has never seen."""
    imports = ws / "connecteurs" / "CSV" / "import"
    for old in imports.glob("*.csv"):
        old.unlink()
    path = imports / "inconnu.csv"
    lines = [f"{n};06/12/2026;NEWCUST1;;Mme;Zyxwvut;Qqqq;qqqq.zyxwvut@example.org;;;1 rue Nulle;;99999;Nullepart;"
             "FR;CB;AOPVEMA15B;;AOP VIN EFFERVESCENT 2015 75 cl;1;UNI;10,00;0;V2 - 20 %;0,00;10,00;12,00"
             for n in ("ZZ_1", "ZZ_2")]
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def _count(ws: Path, sql: str, params: list[object]) -> int:
    with store.connect(ws, read_only=True) as con:
        row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def test_without_default_customer_each_order_is_blocked(demo_workspace: Path) -> None:
    connectors.update(demo_workspace, "CSV", tiers_reception="aucun")
    path = _orders(demo_workspace)
    tiers_before = _count(demo_workspace, "SELECT count(*) FROM tiers", [])
    res = analyze(demo_workspace, "CSV", path)
    try:
        fa = res.files[0]
        assert [(t.external_code, t.status) for t in fa.tiers] == [("NEWCUST1", "absent")]
        assert {d.number: d.status for d in fa.documents} == {"ZZ_1": "blocked", "ZZ_2": "blocked"}
        found = [(f.code, f.document, f.line, f.value, f.level) for f in fa.findings if f.code.startswith("COR-CLI")]
        assert found == [("COR-CLI-ABS", "ZZ_1", 2, "NEWCUST1", Level.ERREUR),
                         ("COR-CLI-ABS", "ZZ_2", 3, "NEWCUST1", Level.ERREUR)]
        abs_ = next(f for f in fa.findings if f.code == "COR-CLI-ABS")
        assert "« Non concerné »" in abs_.message and "client par défaut" in (abs_.hint or "")
    finally:
        res.close()
    integrate(demo_workspace, "CSV", path)
    assert _count(demo_workspace, "SELECT count(*) FROM tiers", []) == tiers_before      # nobody created
    assert _count(demo_workspace, "SELECT count(*) FROM documents WHERE ext_number LIKE 'ZZ_%'", []) == 0
    assert path.exists()                                                                 # stays pending


def test_with_a_default_customer_orders_go_to_it(demo_workspace: Path) -> None:
    connectors.update(demo_workspace, "CSV", tiers_reception="aucun", default_client="PROSPEC")
    path = _orders(demo_workspace)
    tiers_before = _count(demo_workspace, "SELECT count(*) FROM tiers", [])
    res = analyze(demo_workspace, "CSV", path)
    try:
        fa = res.files[0]
        [t] = fa.tiers
        assert (t.status, t.gc_code, t.by_default) == ("match", "PROSPEC", True)
        assert {d.number: d.status for d in fa.documents} == {"ZZ_1": "new", "ZZ_2": "new"}
        found = [(f.code, f.document, f.line, f.subject) for f in fa.findings if f.code.startswith("COR-CLI")]
        assert found == [("COR-CLI-DEF", "ZZ_1", 2, "PROSPEC"), ("COR-CLI-DEF", "ZZ_2", 3, "PROSPEC")]
    finally:
        res.close()
    integrate(demo_workspace, "CSV", path)
    assert _count(demo_workspace, "SELECT count(*) FROM tiers", []) == tiers_before
    assert _count(demo_workspace, "SELECT count(*) FROM documents WHERE ext_number IN ('ZZ_1', 'ZZ_2') "
                                  "AND tiers_code = 'PROSPEC' AND tiers_ext = 'NEWCUST1'", []) == 2
    # Where its orders went is not who the customer is: no correspondence NEWCUST1 → PROSPEC is stored.
    assert _count(demo_workspace, "SELECT count(*) FROM correspondences WHERE domain = 'tiers' "
                                  "AND external_value = 'NEWCUST1'", []) == 0
    assert path.with_suffix(".bak").exists()


def test_with_tiers_received_the_customer_is_created(demo_workspace: Path) -> None:
    assert connectors.get(demo_workspace, "CSV").tiers_reception == "avec_commande"
    path = _orders(demo_workspace)
    tiers_before = _count(demo_workspace, "SELECT count(*) FROM tiers", [])
    integrate(demo_workspace, "CSV", path)
    assert _count(demo_workspace, "SELECT count(*) FROM tiers", []) == tiers_before + 1


def test_default_customer_must_be_an_active_gc_customer(demo_workspace: Path) -> None:
    with pytest.raises(connectors.ConnectorValidationError) as ei:
        connectors.update(demo_workspace, "CSV", tiers_reception="aucun", default_client="BERTH")  # a supplier
    assert ei.value.errors["default_client"].startswith("Client « BERTH » absent de la GC, en sommeil ou fournisseur")
