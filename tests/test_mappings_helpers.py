"""Small GC reference data for the correspondence tests (built by SQL inserts, not the demo)."""

from __future__ import annotations

from pathlib import Path

from econn import store

CONNECTOR = "FACIL"


def fill_gc(ws: Path) -> Path:
    """Insert a connector and a handful of GC values of every domain into an empty workspace."""
    with store.transaction(ws) as con:
        con.execute("INSERT INTO connectors (code, partner) VALUES (?, 'PrestaShop'), ('SHOP', 'Shopify')",
                    [CONNECTOR])
        con.executemany("INSERT INTO tva_codes (code, taux, libelle, type, pays, actif) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [
            ("V3", 20, "TVA normale 20 %", "normal", "FR", True),
            ("V1", 5.5, "TVA réduite 5,5 %", "reduit", "FR", True),
            ("V2", 10, "TVA intermédiaire", "reduit", "FR", True),
            ("E0", 0, "Exonéré intracommunautaire", "exonere_intracom", "FR", True),
            ("X0", 0, "Export hors UE", "export", "FR", True),
            ("N0", 0, "Non soumis", "non_soumis", "FR", True),
            ("ES21", 21, "IVA general", "normal", "ES", True),
            ("BE21", 21, "TVA Belgique 21", "normal", "BE", True),
            ("V9", 19.6, "Ancien taux", "normal", "FR", False),
        ])
        con.executemany("INSERT INTO units (code, libelle, unece, actif) VALUES (?, ?, ?, ?)", [
            ("UNI", "Unité", "C62", True), ("KG", "Kilogramme", "KGM", True), ("L", "Litre", "LTR", True),
            ("BOU", "Bouteille", None, True), ("M2", "Mètre carré", "MTK", True),
            ("DZ", "Douzaine", "DZN", True),
            ("CT", "Carton", "CT", False),
        ])
        con.executemany("INSERT INTO countries (code, libelle, ue) VALUES (?, ?, ?)", [
            ("FR", "France", True), ("DE", "Allemagne", True), ("NL", "Pays-Bas", True),
            ("GR", "Grèce", True),
            ("GB", "Royaume-Uni", False), ("BE", "Belgique", True), ("RE", "Réunion", False),
        ])
        con.executemany("INSERT INTO payment_methods (code, libelle, condition, actif) VALUES (?, ?, ?, ?)", [
            ("CB", "Carte bancaire", "COMPTANT", True), ("PP", "PayPal", "COMPTANT", True),
            ("VIR", "Virement", "30J", True), ("CHQ", "Chèque", "COMPTANT", True),
            ("TRT", "Traite", "60J", False),
        ])
        con.executemany("INSERT INTO articles (code, libelle, ean, actif) VALUES (?, ?, ?, ?)", [
            ("12AB", "Pot de miel toutes fleurs 500 g", "3760001234565", True),
            ("MIEL", "Miel de lavande 250 g", None, True),
            ("AOPVEMA15B", "AOP VIN EFFERVESCENT 2015 75 cl", None, True),
            ("COUSS", "Coussin", None, True),
            ("OLD1", "Ancien article", None, False),
        ])
        con.executemany("""INSERT INTO tiers (code, societe, nom, prenom, email, telephone, mobile,
                           code_postal, ville, siret, tva_intra, actif)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", [
            ("GUEPI", None, "Guenand", "Pierre", "pierre.guenand@example.fr", None, "06 41 21 58 74", "62000",
             "Lens", None, None, True),
            ("RYCMI", None, "De Rycke", "Michel", "derycke.michel@example.fr", "03 21 00 00 01", None,
             "62880", "Pont à Vendin", None, None, True),
            ("ANDPA", None, "André", "Patrick", "p.andre@example.fr", None, None, "59950", "Auby", None, None,
             True),
            ("ACME", "ACME SARL", None, None, "contact@acme.example", "01 40 00 00 00", None, "75011",
             "Paris", "732 829 320 00074", "FR40732829320", True),
            ("HELL", "Hellas Trading", None, None, None, None, None, "10431", "Athènes", None,
             "EL094259216", True),
            # Two tiers of one family sharing a mailbox and a landline (CLI-SHARED).
            ("MART1", None, "Martin", "Paul", "famille.martin@example.fr", "04 72 00 00 00", None,
             "69003", "Lyon", None, None, True),
            ("MART2", None, "Martin", "Julie", "famille.martin@example.fr", "04 72 00 00 00", None,
             "69003", "Lyon", None, None, True),
            ("DUPJ", None, "Dupont", "Jean", "jean.dupont@example.fr", None, None, "33000", "Bordeaux", None,
             None, True),
            ("SOMM", None, "Sommeil", "Sam", "sam@example.fr", None, None, "75001", "Paris", None, None,
             False),
        ])
    return ws


def test_fill_gc_gives_every_domain_values(workspace: Path) -> None:
    fill_gc(workspace)
    with store.connect(workspace, read_only=True) as con:
        for table in ("tva_codes", "units", "countries", "payment_methods", "articles", "tiers"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 4, table
