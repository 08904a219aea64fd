"""Diagnostic « produits absents »: pending SKUs, exportable articles, references, sommeil, stale mappings."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_diag_helpers import base, pairs, sql

from econn.diagnostics import articles

HEADER = "N° commande;Date commande;Code client;Société;Pays;Référence article;Déclinaison;Quantité;PU HT;TVA\n"


@pytest.fixture
def ws(workspace: Path) -> Path:
    base(workspace)
    sql(workspace,
        "INSERT INTO articles (code, libelle, code_tva, prix_ht, actif, export) VALUES "
        "('VIN12', 'Vin', 'V3', 10, true, true), ('ARRO', 'Arrosage', 'V3', 25, true, false), "
        "('SEC', 'Sécateur', 'V3', 20, true, true), ('OLD', 'Ancien', 'V3', 9, false, false)",
        "INSERT INTO correspondences (connector, domain, external_value, external_variant, gc_value, state) VALUES "
        "('SHOP', 'article', 'VIN-12', '', 'VIN12', 'valide'), ('SHOP', 'article', 'SEC', 'Rouge', 'SEC', 'valide')")
    return workspace


def pending(ws: Path, *lines: str) -> Path:
    folder = ws / "connecteurs" / "SHOP" / "import"
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "commandes.csv"
    p.write_text(HEADER + "".join(ln + "\n" for ln in lines), encoding="utf-8")
    return p


def test_clean_workspace_produces_nothing(ws: Path) -> None:
    pending(ws, "CW1;01/11/2026;C1;;FR;VIN-12;;2;10,00;V2 - 20 %", "CW1;01/11/2026;C1;;FR;SEC;Rouge;1;20,00;V2 - 20 %")
    assert articles.run(ws).findings == []


def test_art_abs_gc_and_near(ws: Path) -> None:
    pending(ws, "CW2;01/11/2026;C1;;FR;VIN-MEURSAULT-2020;;1;30,00;V2 - 20 %", "CW3;01/11/2026;C1;;FR;vin 012;;1;9;x")
    r = articles.run(ws)
    assert pairs(r, "ART-ABS-GC") == {("ART-ABS-GC", "VIN-MEURSAULT-2020"), ("ART-ABS-GC", "vin 012")}
    [near] = [f for f in r.findings if f.code == "ART-NEAR"]
    assert (near.subject, near.value, near.line, near.document) == ("VIN12", "vin 012", 3, "CW3")


def test_gc_code_without_correspondence_blocks(ws: Path) -> None:
    pending(ws, "CW4;01/11/2026;C1;;FR;ARRO;;1;25;V2 - 20 %")
    [f] = articles.run(ws).findings
    assert (f.code, f.subject, f.line, f.document) == ("COR-ART", "ARRO", 2, "CW4")


def test_unmapped_variant_is_absent(ws: Path) -> None:
    pending(ws, "CW5;01/11/2026;C1;;FR;SEC;Bleu;1;20;V2 - 20 %")
    assert pairs(articles.run(ws)) == {("COR-ART", "SEC")}


def test_empty_reference(ws: Path) -> None:
    pending(ws, "CW6;01/11/2026;C1;;FR;;;1;20;V2 - 20 %")
    assert pairs(articles.run(ws)) == {("ART-REF-VIDE", "CW6")}


def test_abs_site_export_flag_and_filter(ws: Path) -> None:
    sql(ws, "UPDATE articles SET export = true WHERE code = 'ARRO'",
        "INSERT INTO connectors (code, articles_send, articles_filter) VALUES ('PUBS', 'filtre', 'PUB')",
        "INSERT INTO articles (code, famille, actif, export) VALUES ('PUB1', 'PUB', true, false)")
    assert pairs(articles.run(ws), "ART-ABS-SITE") == {("ART-ABS-SITE", "ARRO"), ("ART-ABS-SITE", "PUB1")}


def test_ref_dup_inactive_and_stale(ws: Path) -> None:
    sql(ws, "INSERT INTO correspondences (connector, domain, external_value, gc_value, state) VALUES "
            "('SHOP', 'article', 'vin-12 ', 'SEC', 'valide'), ('SHOP', 'article', 'OLD-1', 'OLD', 'valide')")
    r = articles.run(ws)
    assert pairs(r, "ART-REF-DUP") == {("ART-REF-DUP", "VIN12"), ("ART-REF-DUP", "SEC")}
    assert pairs(r, "ART-INACTIF") == {("ART-INACTIF", "OLD")}
    assert pairs(r, "COR-STALE") == {("COR-STALE", "OLD")}


def test_deleted_article_on_integrated_line(ws: Path) -> None:
    sql(ws, "INSERT INTO documents (id, connector, ext_number, gc_number, doc_type) VALUES "
            "(1, 'SHOP', 'CW9', 'G1', 'commande')",
        "INSERT INTO document_lines (document_id, line_no, article) VALUES (1, 1, 'GONE')")
    [f] = articles.run(ws).findings
    assert (f.code, f.subject, f.document) == ("ART-ABS-GC", "GONE", "CW9")
