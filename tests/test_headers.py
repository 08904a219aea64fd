"""Header mapping: demo order header, Shopify and WooCommerce exports, fuzzy and remembered choices."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_remembered_mapping_wins_next_time(demo_workspace: Path) -> None:
    workspace = demo_workspace
    remember_mapping(workspace, "FACIL", "documents", "Désignation", "declinaison")
    remember_mapping(workspace, "FACIL", "documents", "Nom", None)
    got = fields(map_headers(["Désignation", "Nom", "Prénom"], "documents", "FACIL", workspace))
    assert got == {"Désignation": "declinaison", "Nom": None, "Prénom": "prenom"}
    other = fields(map_headers(["Désignation"], "documents", "CSV", workspace))
    assert other == {"Désignation": "libelle"}


# ------------------------------------------------------------------------------------------ order of precedence

def test_explicit_choice_wins_over_memory_format_and_synonyms(demo_workspace: Path) -> None:
    from econn.reading.formats import get_format

    remember_mapping(demo_workspace, "CSV", "documents", "Désignation", "declinaison")
    fmt = get_format("shopify-orders")
    got = map_headers(["Désignation", "Shipping", "Lineitem sku", "Référence"], "documents", "CSV", demo_workspace,
                      source_format=fmt, overrides={"désignation": "libelle", "Shipping": None, "Référence": "sku"})
    assert [(m.field, m.origin) for m in got] == [("libelle", "option"), (None, "option"), (None, "aucun"),
                                                  ("sku", "option")]
    got = map_headers(["Désignation", "Shipping"], "documents", "CSV", demo_workspace, source_format=fmt)
    assert [(m.field, m.origin) for m in got] == [("declinaison", "memorise"), ("port_ttc", "format")]


def test_parse_map_accepts_ignore_and_refuses_unknown_fields() -> None:
    from econn.errors import HeaderMapError
    from econn.reading.headers import parse_map

    assert parse_map(["Réf. interne=code_gc", "Prix=HT=prix_ht", "Notes="], "articles") == {
        "Réf. interne": "code_gc", "Prix=HT": "prix_ht", "Notes": None}
    with pytest.raises(HeaderMapError) as exc:
        parse_map(["Ref=codegc"], "articles")
    assert str(exc.value).startswith("unknown field 'codegc' for flow articles")
    assert exc.value.message_fr.startswith("Champ inconnu « codegc » pour le flux articles. Champs possibles : "
                                           "code_gc, code_ext, declinaison, libelle")
    for bad in (["Ref"], ["=code_gc"], ["A=sku", "B=sku"], ["A=sku", "a=libelle"]):
        with pytest.raises(HeaderMapError):
            parse_map(bad, "documents")
    with pytest.raises(HeaderMapError) as exc:
        parse_map(["A=sku"], "commandes")
    assert "Flux inconnu « commandes »" in exc.value.message_fr


def test_gc_export_names_are_synonyms_without_the_format() -> None:
    """Too few Gestimum or Sage columns to recognise the export: their names still mean their fields; an inverted
    flag is « sommeil »; a value that needs the format's rules (Sage's TTC flag, a country name) is left out."""
    arts = fields(map_headers(["ART_CODE", "ART_LIB", "ART_DORT", "AR_Ref", "AR_PrixVen", "AR_Sommeil"], "articles"))
    assert arts == {"ART_CODE": "code_gc", "ART_LIB": "libelle", "ART_DORT": "sommeil", "AR_Ref": None,
                    "AR_PrixVen": None, "AR_Sommeil": None}   # one field per header: AR_Ref, AR_Sommeil lose
    assert fields(map_headers(["AR_Ref", "AR_Design", "AR_PrixVen", "AR_Sommeil"], "articles")) == {
        "AR_Ref": "code_gc", "AR_Design": "libelle", "AR_PrixVen": None, "AR_Sommeil": "sommeil"}
    tiers = fields(map_headers(["CT_Num", "CT_Intitule", "CT_Pays", "PCF_NII", "CT_Sommeil"], "tiers"))
    assert tiers == {"CT_Num": "code_gc", "CT_Intitule": "societe", "CT_Pays": None, "PCF_NII": "tva_intra",
                     "CT_Sommeil": "sommeil"}
    # the format, when recognised, gives its inverted « actif » as « sommeil » too
    from econn.reading.formats import get_format

    got = map_headers(["AR_Ref", "AR_Sommeil", "AR_PrixVen"], "articles", source_format=get_format("sage100-articles"))
    assert [(m.field, m.origin) for m in got] == [("code_gc", "format"), ("sommeil", "format"), ("prix_ht", "format")]


def test_ebp_database_names() -> None:
    """EBP Gestion Commerciale's column names (tables Item and Customer, tests/fixtures/formats/SOURCES.md),
    with no format given: what an extraction with too few of them to be recognised gets."""
    arts = fields(map_headers(["Id", "Caption", "SalePriceVatExcluded", "SalePriceVatIncluded", "PurchasePrice",
                               "BarCode", "FamilyId", "UnitId", "VatId", "ActiveState", "AllowPublishOnWeb"],
                              "articles"))
    assert arts == {"Id": "code_ext", "Caption": "libelle", "SalePriceVatExcluded": "prix_ht",
                    "SalePriceVatIncluded": "prix_ttc", "PurchasePrice": "prix_achat", "BarCode": "ean",
                    "FamilyId": "famille", "UnitId": "unite", "VatId": None, "ActiveState": None,
                    "AllowPublishOnWeb": "export"}
    tiers = fields(map_headers(["Id", "Name", "Civility", "MainInvoicingAddress_CountryIsoCode",
                                "MainDeliveryAddress_City", "IntracommunityVATNumber", "PriceListCategoryId",
                                "SettlementModeId", "Siren"], "tiers"))
    assert tiers == {"Id": "code_ext", "Name": "societe", "Civility": "civilite",
                     "MainInvoicingAddress_CountryIsoCode": "pays", "MainDeliveryAddress_City": None,
                     "IntracommunityVATNumber": "tva_intra", "PriceListCategoryId": "categorie_tarifaire",
                     "SettlementModeId": "reglement", "Siren": None}


def test_fields_the_caller_can_use() -> None:
    """econn import loads no external id: « ID » is then the GC code, « SKU » no column it loads."""
    usable = ["code_gc", "libelle", "prix_ht"]
    got = fields(map_headers(["ID", "SKU", "Libellé", "Prix HT", "Code externe"], "articles", fields=usable))
    assert got == {"ID": "code_gc", "SKU": None, "Libellé": "libelle", "Prix HT": "prix_ht", "Code externe": None}
    assert fields(map_headers(["ID", "Code"], "articles", fields=usable)) == {"ID": None, "Code": "code_gc"}


def test_reference_flows() -> None:
    assert fields(map_headers(["Code TVA", "Taux de TVA", "Intitulé", "Sommeil"], "tva")) == {
        "Code TVA": "code", "Taux de TVA": "taux", "Intitulé": "libelle", "Sommeil": "sommeil"}
    assert fields(map_headers(["Code article", "Catégorie", "Qté min", "Remise %", "Date début"], "grilles")) == {
        "Code article": "article", "Catégorie": "categorie_tarifaire", "Qté min": "qte_min",
        "Remise %": "remise_pct", "Date début": "date_debut"}
