"""Header mapping: demo order header, Shopify and WooCommerce exports, fuzzy and remembered choices."""

from __future__ import annotations

from pathlib import Path

from econn.reading.headers import map_headers, normalize, remember_mapping

DEMO = ("N° commande;Date commande;Code client;Société;Civilité;Nom;Prénom;E-mail;Téléphone;Mobile;Adresse 1;"
        "Adresse 2;Code postal;Ville;Pays;Mode de règlement;Référence article;Déclinaison;Désignation;Quantité;"
        "Unité;PU HT;Remise %;TVA;Frais de port HT;Total HT;Total TTC").split(";")
SHOPIFY = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,"
           "Discount Code,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,"
           "Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
           "Billing Country,Billing Phone,Shipping Name,Payment Method,Tax 1 Name,Tax 1 Value").split(",")
WOO = ("Order ID,Order Date,Customer ID,Billing First Name,Billing Last Name,Billing Email,Billing Postcode,"
       "Billing City,Billing Country,Payment Method Title,SKU,Item Name,Qty,Item Cost,Order Total Amount").split(",")


def fields(matches: list) -> dict[str, str | None]:
    return {m.header: m.field for m in matches}


def test_demo_order_header_maps_every_column() -> None:
    got = map_headers(DEMO, "documents")
    assert [m.field for m in got] == [
        "doc_ext_id", "date", "client_ext_id", "societe", "civilite", "nom", "prenom", "email", "telephone",
        "mobile", "adresse1", "adresse2", "code_postal", "ville", "pays", "reglement", "sku", "declinaison",
        "libelle", "qte", "unite", "pu_ht", "remise_pct", "tva_label", "port_ht", "total_ht", "total_ttc"]
    assert {m.origin for m in got} <= {"exact", "synonyme"}


def test_shopify_export() -> None:
    f = fields(map_headers(SHOPIFY, "documents"))
    assert f["Name"] == "doc_ext_id" and f["Created at"] == "date" and f["Lineitem sku"] == "sku"
    assert f["Lineitem quantity"] == "qte" and f["Billing Zip"] == "code_postal" and f["Tax 1 Name"] == "tva_label"
    assert f["Billing Address1"] == "adresse1" and f["Billing Street"] is None
    assert f["Paid at"] is None and f["Tax 1 Value"] is None


def test_woocommerce_english_export() -> None:
    f = fields(map_headers(WOO, "documents"))
    assert f == {"Order ID": "doc_ext_id", "Order Date": "date", "Customer ID": "client_ext_id",
                 "Billing First Name": "prenom", "Billing Last Name": "nom", "Billing Email": "email",
                 "Billing Postcode": "code_postal", "Billing City": "ville", "Billing Country": "pays",
                 "Payment Method Title": "reglement", "SKU": "sku", "Item Name": "libelle", "Qty": "qte",
                 "Item Cost": "pu_ht", "Order Total Amount": "total_ttc"}


def test_normalisation_and_fuzzy_match() -> None:
    assert normalize("N° Commande") == normalize("No commande") == normalize("num. commande") == "num commande"
    assert normalize("Adresse 1") == normalize("ADRESSE1")
    got = map_headers(["Prix unit. HT", "Qté.", "Code-postal", "Colonne inconnue"], "documents")
    assert [(m.field, m.origin) for m in got] == [("pu_ht", "approchant"), ("qte", "exact"),
                                                  ("code_postal", "exact"), (None, "aucun")]
    assert 85 <= got[0].score < 100


def test_one_field_per_header_best_score_wins() -> None:
    got = map_headers(["Quantite totale", "Quantité"], "documents")
    assert [m.field for m in got] == [None, "qte"]


def test_remembered_mapping_wins_next_time(workspace: Path) -> None:
    remember_mapping(workspace, "FACIL", "documents", "Désignation", "declinaison")
    remember_mapping(workspace, "FACIL", "documents", "Nom", None)
    got = fields(map_headers(["Désignation", "Nom", "Prénom"], "documents", "FACIL", workspace))
    assert got == {"Désignation": "declinaison", "Nom": None, "Prénom": "prenom"}
    other = fields(map_headers(["Désignation"], "documents", "AUTRE", workspace))
    assert other == {"Désignation": "libelle"}
