"""Diagnostic « configuration TVA »: codes, labels, documents by destination, VAT numbers, territories."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_diag_helpers import base, pairs, sql, subjects

from econn import store
from econn.diagnostics import vat
from econn.findings import Level

TCOLS = "(code, type, societe, nom, pays, code_postal, tva_intra)"


@pytest.fixture
def ws(workspace: Path) -> Path:
    base(workspace)
    sql(workspace, "INSERT INTO articles (code, code_tva, prix_ht) VALUES ('A', 'V3', 100)")
    return workspace


_doc = iter(range(1, 1000))


def doc(ws: Path, tiers_row: str, rates: list[tuple[str, float]], *, ht: float | None = None,
        ttc: float | None = None, port: float = 0, date: str = "2026-10-01") -> str:
    """A tiers, one integrated document with 100 € HT lines at the given (code, rate); totals computed."""
    n = next(_doc)
    code = tiers_row.split("'")[1]
    goods = 100 * len(rates)
    top = max(r for _, r in rates)
    ht = goods + port if ht is None else ht
    ttc = ht + sum(100 * r / 100 for _, r in rates) + port * top / 100 if ttc is None else ttc
    stmts: list[str | tuple] = [] if _exists(ws, code) else [f"INSERT INTO tiers {TCOLS} VALUES {tiers_row}"]
    doc_sql = ("INSERT INTO documents (id, connector, ext_number, gc_number, doc_type, doc_date, tiers_code, "
               "total_ht, total_ttc) VALUES (?, 'SHOP', ?, ?, 'commande', ?, ?, ?, ?)")
    line_sql = ("INSERT INTO document_lines (document_id, line_no, article, qte, pu_ht, remise_pct, code_tva, "
                "taux_tva) VALUES (?, ?, 'A', 1, 100, 0, ?, ?)")
    stmts += [(doc_sql, [n, f"D{n}", f"G{n}", date, code, ht, ttc])]
    stmts += [(line_sql, [n, i, c, r]) for i, (c, r) in enumerate(rates, start=1)]
    sql(ws, *stmts)
    return f"D{n}"


def _exists(ws: Path, code: str) -> bool:
    with store.connect(ws, read_only=True) as con:
        return store.first(con.execute("SELECT 1 FROM tiers WHERE code = ?", [code])) is not None


FR = "('P1', 'client', NULL, 'Dupont', 'FR', '59000', NULL)"


def run(ws: Path, **kw: object) -> vat.DiagnosticResult:
    return vat.run(ws, pending=False, **kw)


def test_clean_documents_produce_nothing(ws: Path) -> None:
    doc(ws, FR, [("V3", 20), ("V1", 5.5)], port=10)
    doc(ws, "('B1', 'client', 'Brouwerij', NULL, 'BE', '1000', 'BE0450119590')", [("VEXO", 0)])
    doc(ws, "('C1', 'client', 'Fromagerie', NULL, 'CH', '1200', NULL)", [("VEXP", 0)])
    doc(ws, "('K1', 'client', NULL, 'Santoni', 'FR', '20000', NULL)", [("V3", 20)])
    sql(ws, "INSERT INTO correspondences (connector, domain, external_value, gc_value, state) VALUES "
            "('SHOP', 'tva', 'V2 - 20 %', 'V3', 'valide')")
    assert run(ws).findings == []


def test_taux_line_vs_code_and_label_vs_code(ws: Path) -> None:
    d = doc(ws, FR, [("V3", 19.6)])
    sql(ws, "INSERT INTO correspondences (connector, domain, external_value, gc_value, state) VALUES "
            "('SHOP', 'tva', 'TVA 5,5%', 'V3', 'valide')")
    r = run(ws)
    assert {d, "V3"} <= subjects(r, "TVA-TAUX")
    assert subjects(r, "TVA-INCONNU") == {d}  # 19.6 % is no rate in France in 2026


def test_taux_from_totals(ws: Path) -> None:
    d = doc(ws, FR, [("V3", 20)], ht=100, ttc=110)
    assert pairs(run(ws)) == {("TVA-TAUX", d)}


def test_port(ws: Path) -> None:
    d = doc(ws, FR, [("V3", 20)], ht=110, ttc=120 + 0.55)  # shipping 10 € taxed 5.5 %
    assert pairs(run(ws)) == {("TVA-PORT", d)}


def test_conflit(ws: Path) -> None:
    sql(ws, "INSERT INTO connectors (code) VALUES ('OTHER')",
        "INSERT INTO correspondences (connector, domain, external_value, gc_value, state) VALUES "
        "('SHOP', 'tva', 'Taux normal', 'V3', 'valide'), ('OTHER', 'tva', 'taux normal', 'V1', 'valide')")
    assert subjects(run(ws), "TVA-CONFLIT") == {"Taux normal"}


def test_inconnu_code(ws: Path) -> None:
    sql(ws, "INSERT INTO tva_codes VALUES ('V9', 19.6, 'Ancien', 'normal', 'FR', true)")
    assert pairs(run(ws)) == {("TVA-INCONNU", "V9")}


def test_b2c_eu_depends_on_oss(ws: Path) -> None:
    d = doc(ws, "('N1', 'client', NULL, 'de Vries', 'NL', '1017 BX', NULL)", [("V3", 20)])
    assert pairs(run(ws)) == {("TVA-B2C-UE", d)}          # OSS status unknown: confirm it
    assert pairs(run(ws, oss="non")) == set()              # below the threshold, French VAT is right
    assert pairs(run(ws, oss="oui")) == {("TVA-B2C-UE", d)}  # OSS: Dutch VAT expected


def test_b2b_eu(ws: Path) -> None:
    d1 = doc(ws, "('D1', 'client', 'Cave GmbH', NULL, 'DE', '10115', 'DE258790956')", [("V3", 20)])
    d2 = doc(ws, "('D2', 'client', 'Keller GmbH', NULL, 'DE', '10115', NULL)", [("VEXO", 0)])
    r = run(ws)
    assert {(f.subject, f.level) for f in r.findings if f.code == "TVA-B2B-UE"} == {
        (d1, Level.ALERTE), (d2, Level.ERREUR)}


def test_export(ws: Path) -> None:
    d1 = doc(ws, "('G1', 'client', 'Ltd', NULL, 'GB', 'SW1A 1AA', NULL)", [("V3", 20)])
    d2 = doc(ws, "('S1', 'client', 'AG', NULL, 'CH', '8000', NULL)", [("V0", 0)])
    assert subjects(run(ws), "TVA-EXPORT") == {d1, d2}


@pytest.mark.parametrize(("number", "country"), [
    ("FR00123456789", "FR"), ("BE0450119590", "DE"), ("GR094259216", "GR")])
def test_num(ws: Path, number: str, country: str) -> None:
    sql(ws, f"INSERT INTO tiers {TCOLS} VALUES ('T1', 'client', 'X', NULL, '{country}', '1000', '{number}')")
    assert pairs(run(ws)) == {("TVA-NUM", "T1")}


def test_greek_number_with_el_prefix_is_valid(ws: Path) -> None:
    sql(ws, f"INSERT INTO tiers {TCOLS} VALUES ('T1', 'client', 'X', NULL, 'GR', '10431', 'EL094259216')")
    assert pairs(run(ws)) == set()


def test_terr_dom_and_corse(ws: Path) -> None:
    d1 = doc(ws, "('R1', 'client', NULL, 'Adam', 'FR', '97200', NULL)", [("V3", 20)])
    d2 = doc(ws, "('K2', 'client', NULL, 'Orsini', 'FR', '20000', NULL)", [("V1", 5.5)])
    assert subjects(run(ws), "TVA-TERR") == {d1, d2}


def test_pending_file_b2c(ws: Path) -> None:
    folder = ws / "connecteurs" / "SHOP" / "import"
    folder.mkdir(parents=True)
    (folder / "c.csv").write_text("N° commande;Date commande;Code client;Société;Pays;Référence article;Quantité;"
                                  "PU HT;TVA\nCW1;01/11/2026;X;;Hollande;A;1;10,00;V2 - 20 %\n", encoding="utf-8")
    r = vat.run(ws)
    assert pairs(r) == {("TVA-B2C-UE", "CW1")}
    assert r.findings[0].source == "c.csv"


def test_document_integrated_and_still_pending_is_counted_once(ws: Path) -> None:
    """After a partial reception the file stays pending: its integrated orders are judged once, as integrated."""
    d = doc(ws, "('N1', 'client', NULL, 'de Vries', 'NL', '1017 BX', NULL)", [("V3", 20)])
    folder = ws / "connecteurs" / "SHOP" / "import"
    folder.mkdir(parents=True)
    (folder / "c.csv").write_text("N° commande;Date commande;Code client;Société;Pays;Référence article;Quantité;"
                                  f"PU HT;TVA\n{d};01/10/2026;N1;;Hollande;A;1;100,00;V2 - 20 %\n"
                                  "CW2;01/11/2026;X;;Hollande;A;1;10,00;V2 - 20 %\n", encoding="utf-8")
    r = vat.run(ws)
    assert sorted((f.code, f.subject, f.source) for f in r.findings) == [
        ("TVA-B2C-UE", "CW2", "c.csv"), ("TVA-B2C-UE", d, "SHOP")]
