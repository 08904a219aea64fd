"""The canonical fields of each flow and the header names known to mean them (data of the mapping engine).

A flow is what a file carries: ``documents`` (orders), ``tiers``, ``articles`` (shop exports and GC exports
alike), and the other GC reference exports ``econn import`` loads (``tva``, ``unites``, ``pays``,
``reglements``, ``grilles``, ``entreprises``, ``sites``, ``transporteurs``). For each flow, :data:`SYNONYMS`
lists its fields in order and, for each field, the header names (French and English) that mean it;
:func:`econn.reading.headers.map_headers` compares them after :func:`econn.reading.headers.normalize`. The names of the registered export formats
(:mod:`econn.reading.formats`) are added to the tiers and articles synonyms by the engine itself.

A name belongs to one field: a name that means different things in different exports is either left
to the formats (recognised files) or listed in :data:`NOT_FIELDS`.
"""

from __future__ import annotations

__all__ = ["ALL_FLOWS", "FLOWS", "GC_CODE_FALLBACK", "INVERSE", "NOT_FIELDS", "REFERENCE_FLOWS", "SYNONYMS"]

FLOWS = ("documents", "tiers", "articles")
REFERENCE_FLOWS = ("tva", "unites", "pays", "reglements", "grilles", "entreprises", "sites", "transporteurs")
ALL_FLOWS = FLOWS + REFERENCE_FLOWS

# A boolean field and the field meaning its opposite: « Sommeil » = 1 is an inactive record.
INVERSE = {"actif": "sommeil"}

_ADDRESS = {
    "societe": ["Société", "Raison sociale", "Entreprise", "Company", "Billing Company"],
    "civilite": ["Civilité", "Titre", "Title", "Salutation", "Gender"],
    "nom": ["Nom", "Nom de famille", "Last name", "Lastname", "Surname", "Billing Last Name"],
    "prenom": ["Prénom", "First name", "Firstname", "Billing First Name"],
    "email": ["E-mail", "Email", "Courriel", "Mail", "Adresse e-mail", "Billing Email", "Customer Email"],
    "telephone": ["Téléphone", "Tél", "Tel", "Téléphone fixe", "Phone", "Billing Phone", "Telephone"],
    "mobile": ["Mobile", "Portable", "Tél portable", "Téléphone mobile", "Cell", "Mobile phone"],
    "adresse1": ["Adresse 1", "Adresse", "Adresse ligne 1", "Rue", "Address 1", "Address", "Billing Address1",
                 "Billing Address 1", "Street"],
    "adresse2": ["Adresse 2", "Complément d'adresse", "Adresse ligne 2", "Address 2", "Billing Address2",
                 "Billing Address 2"],
    "code_postal": ["Code postal", "CP", "Zip", "Zip code", "Postcode", "Postal code", "Billing Zip",
                    "Billing Postcode"],
    "ville": ["Ville", "Commune", "City", "Town", "Billing City"],
    "pays": ["Pays", "Code pays", "Country", "Country code", "Billing Country"],
}
_SHIPPING = {
    "liv_societe": ["Société livraison", "Shipping Company"],
    "liv_nom": ["Nom livraison", "Shipping Name", "Shipping Last Name"],
    "liv_prenom": ["Prénom livraison", "Shipping First Name"],
    "liv_adresse1": ["Adresse livraison", "Adresse 1 livraison", "Shipping Address1", "Shipping Address 1"],
    "liv_adresse2": ["Adresse 2 livraison", "Shipping Address2", "Shipping Address 2"],
    "liv_code_postal": ["Code postal livraison", "CP livraison", "Shipping Zip", "Shipping Postcode"],
    "liv_ville": ["Ville livraison", "Shipping City"],
    "liv_pays": ["Pays livraison", "Shipping Country"],
    "liv_telephone": ["Téléphone livraison", "Shipping Phone"],
    # A full name (« Sophie GALLAS ») in one column: split into prénom / nom by the reception.
    "liv_nom_complet": ["Nom complet livraison"],
}

# EBP Gestion Commerciale's database column names (tables Item and Customer), as an SQL extraction of its
# base writes them; sources in tests/fixtures/formats/SOURCES.md. An extraction with enough of them is
# recognised as the ebp-articles or ebp-tiers format (econn/reading/formats/gc.py).
_EBP_TIERS = {
    "code_gc": [],   # « Id »: see GC_CODE_FALLBACK (a shop's « ID » is its own id)
    "societe": ["Name"],
    "civilite": ["Civility", "MainInvoicingContact_Civility"],
    "nom": ["MainInvoicingContact_Name"],
    "prenom": ["MainInvoicingContact_FirstName"],
    "email": ["MainInvoicingContact_Email"],
    "telephone": ["MainInvoicingContact_Phone"],
    "mobile": ["MainInvoicingContact_CellPhone"],
    "adresse1": ["MainInvoicingAddress_Address1"],
    "adresse2": ["MainInvoicingAddress_Address2"],
    "code_postal": ["MainInvoicingAddress_ZipCode"],
    "ville": ["MainInvoicingAddress_City"],
    "pays": ["MainInvoicingAddress_CountryIsoCode"],
    "tva_intra": ["IntracommunityVATNumber"],
    "famille": ["FamilyId"],
    "categorie_tarifaire": ["PriceListCategoryId"],
    "reglement": ["SettlementModeId"],
}
_EBP_ARTICLES = {
    "libelle": ["Caption"],
    "ean": ["BarCode"],
    "famille": ["FamilyId"],
    "unite": ["UnitId"],
    "prix_ht": ["SalePriceVatExcluded"],
    "prix_ttc": ["SalePriceVatIncluded"],
    "prix_achat": ["PurchasePrice"],
    "export": ["AllowPublishOnWeb"],
}


def _with(base: dict[str, list[str]], *extra: dict[str, list[str]]) -> dict[str, list[str]]:
    """``base`` with the names of ``extra`` appended to its fields (fields of ``extra`` must exist)."""
    out = {f: list(names) for f, names in base.items()}
    for more in extra:
        for f, names in more.items():
            out[f] += names
    return out


SYNONYMS: dict[str, dict[str, list[str]]] = {
    "documents": {
        "doc_ext_id": ["N° commande", "Numéro de commande", "Num commande", "No commande", "Commande",
                       "Référence commande", "N° document", "N° pièce", "Order ID", "Order Number", "Order No",
                       "Order", "Name", "Order #"],
        "date": ["Date", "Date commande", "Date de commande", "Date document", "Date pièce", "Order Date",
                 "Created at", "Date created"],
        "client_ext_id": ["Code client", "N° client", "Client", "Identifiant client", "Customer ID", "Customer",
                          "Customer User", "Customer Number"],
        **_ADDRESS,
        "nom_complet": ["Nom complet", "Full name", "Billing Name", "Bill-to Name"],
        **_SHIPPING,
        "reglement": ["Mode de règlement", "Règlement", "Mode de paiement", "Paiement", "Moyen de paiement",
                      "Payment", "Payment Method", "Payment Method Title", "Gateway"],
        "sku": ["Référence article", "Référence", "Réf article", "Réf", "Code article", "SKU", "Lineitem sku",
                "Product SKU", "Item SKU", "ART_CODE"],
        "declinaison": ["Déclinaison", "Variante", "Gamme", "Variant", "Lineitem variant", "Variation",
                        "ART_GAMME"],
        "libelle": ["Désignation", "Libellé", "Libellé article", "Description", "Produit", "Lineitem name",
                    "Item Name", "Product Name", "Product"],
        "qte": ["Quantité", "Qté", "Qte", "Qty", "Quantity", "Lineitem quantity", "Item Quantity", "LIG_QTE"],
        "unite": ["Unité", "Unité de vente", "Unit", "UOM"],
        "pu_ht": ["PU HT", "Prix unitaire HT", "Prix HT", "P.U. HT", "Unit price excl tax", "Item Cost",
                  "LIG_P_BRUT"],
        "pu_ttc": ["PU TTC", "Prix unitaire TTC", "Prix TTC", "Unit price incl tax", "Lineitem price"],
        "remise_pct": ["Remise %", "Remise", "% remise", "Taux de remise", "Discount %", "Discount percent",
                       "LIG_REMISE"],
        "tva_label": ["TVA", "Libellé TVA", "Code TVA", "Taxe", "Tax", "Tax Name", "Tax 1 Name", "Tax Label",
                      "Tax Class", "NAT_TVATX"],
        "tva_taux": ["Taux TVA", "Taux de TVA", "Tax Rate", "VAT rate"],
        "port_ht": ["Frais de port HT", "Port HT", "Frais de port", "Port", "Shipping", "Shipping cost",
                    "Order Shipping Amount", "Shipping Amount"],
        "port_ttc": ["Frais de port TTC", "Port TTC", "Shipping incl tax"],
        # Lines after an order discount, before shipping (Shopify's « Subtotal », TTC or HT as the shop).
        "sous_total": [],
        "remise_ttc": ["Remise TTC", "Montant remise TTC", "Discount incl tax"],
        "remise_ht": ["Remise HT", "Montant remise HT", "Discount excl tax"],
        "transporteur": ["Transporteur", "Mode de livraison", "Mode d'expédition", "Shipping Method", "Carrier"],
        # Not « Order Subtotal Amount » (WooCommerce): lines before discount, without shipping.
        "total_ht": ["Total HT", "Montant HT", "Sous-total HT", "Total excl tax"],
        "total_tva": ["Total TVA", "Montant TVA", "Taxes", "Order Total Tax Amount", "Tax Amount"],
        "total_ttc": ["Total TTC", "Montant TTC", "Total", "Order Total Amount", "Order Total", "Total incl tax",
                      "Grand Total"],
        "devise": ["Devise", "Currency"],
        "statut": ["Statut", "État", "Status", "Financial Status", "Order Status"],
    },
    "tiers": _with({
        "code_gc": ["Code", "Code client", "Code tiers", "N° client", "Numéro client", "Compte", "Référence"],
        "code_ext": ["Code externe", "Identifiant externe", "ID site", "Customer ID", "ID"],
        # société (a company name is given) or particulier: the GC's tiers type.
        "type": ["Type de tiers", "Type client", "Type"],
        **_ADDRESS,
        "siret": ["SIRET", "N° SIRET"],   # not « SIREN »: 9 digits, the company, not the site
        "tva_intra": ["N° TVA", "TVA intracommunautaire", "N° TVA intracom", "TVA intracom", "VAT number",
                      "VAT"],
        "famille": ["Famille", "Famille client", "Groupe", "Group", "Customer group"],
        "categorie_tarifaire": ["Catégorie tarifaire", "Cat. tarifaire", "Tarif", "Price list"],
        "reglement": ["Mode de règlement", "Règlement", "Condition de règlement", "Payment terms"],
        "actif": ["Actif", "Active", "Enabled"],
        "sommeil": ["Sommeil", "En sommeil", "Mis en sommeil"],
    }, _EBP_TIERS),
    "articles": _with({
        "code_gc": ["Code", "Code article", "Référence", "Réf", "Référence article", "Réf article", "Article",
                    "ART_CODE"],
        "code_ext": ["Code externe", "Référence site", "SKU", "Variant SKU", "Product ID", "ID"],
        "declinaison": ["Déclinaison", "Code déclinaison", "Gamme", "Variant"],
        "libelle": ["Désignation", "Libellé", "Libellé article", "Intitulé", "Description", "Nom", "Name",
                    "Title", "Product Name"],
        "ean": ["EAN", "EAN13", "Code barre", "Code-barres", "Gencod", "GTIN", "Barcode", "Variant Barcode"],
        "famille": ["Famille", "Famille article", "Catégorie", "Category", "Product Type", "Type"],
        "unite": ["Unité", "Unité de vente", "Unité vente", "Unit", "UOM"],
        "code_tva": ["Code TVA", "TVA", "Code taxe", "Taxe", "Tax class", "Tax"],
        "prix_ht": ["Prix HT", "PU HT", "Prix de vente HT", "Prix vente HT", "PV HT", "Prix unitaire HT", "Price",
                    "Regular price", "Variant Price"],
        "prix_ttc": ["Prix TTC", "Prix de vente TTC", "PV TTC", "Price incl tax"],
        "prix_achat": ["Prix d'achat", "Prix achat", "PA", "PA HT", "Prix de revient", "PR", "Cost",
                       "Cost per item"],
        "actif": ["Actif", "Active", "Published", "Status"],
        "sommeil": ["Sommeil", "En sommeil", "Mis en sommeil"],
        "export": ["Export", "Disponible à l'export", "Disponible export", "Publié", "Visible"],
    }, _EBP_ARTICLES),
    "tva": {
        "code": ["Code", "Code TVA", "Référence"],
        "taux": ["Taux", "Taux TVA", "Taux de TVA", "Rate", "VAT rate"],
        "libelle": ["Libellé", "Désignation", "Intitulé"],
        "type": ["Type", "Type TVA", "Type de TVA"],
        "pays": ["Pays", "Code pays"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    "unites": {
        "code": ["Code", "Code unité", "Référence"],
        "libelle": ["Libellé", "Désignation", "Intitulé"],
        "unece": ["Code UNECE", "Rec20", "Rec 20"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    "pays": {
        "code": ["Code", "Code pays", "Code ISO", "ISO", "Référence"],
        "libelle": ["Libellé", "Nom", "Nom pays", "Désignation", "Intitulé"],
        "ue": ["UE", "Union européenne"],
    },
    "reglements": {
        "code": ["Code", "Code règlement", "Référence"],
        "libelle": ["Libellé", "Désignation", "Intitulé"],
        "condition": ["Condition", "Condition de règlement"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    # What a connector's « Entreprise / Site / Transporteur affecté » is checked against.
    "entreprises": {
        "code": ["Code", "Code entreprise", "Référence"],
        "libelle": ["Libellé", "Raison sociale", "Désignation", "Intitulé"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    "sites": {
        "code": ["Code", "Code site", "Référence"],
        "libelle": ["Libellé", "Désignation", "Intitulé"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    "transporteurs": {
        "code": ["Code", "Code transporteur", "Référence"],
        "libelle": ["Libellé", "Nom", "Désignation", "Intitulé"],
        "actif": ["Actif"],
        "sommeil": ["Sommeil", "En sommeil"],
    },
    "grilles": {
        "ref": ["Réf grille", "Référence grille"],
        "source": ["Source", "Type de règle"],
        "article": ["Article", "Code article", "Référence article", "Réf article"],
        "categorie_tarifaire": ["Catégorie tarifaire", "Cat. tarifaire", "Catégorie"],
        "client": ["Client", "Code client"],
        "qte_min": ["Quantité minimum", "Quantité min", "Qté min", "Qte min"],
        "prix_ht": ["Prix HT", "Prix net HT", "PU HT", "Prix de vente HT"],
        "remise_pct": ["Remise", "Remise %", "% remise"],
        "date_debut": ["Début", "Date début", "Date de début"],
        "date_fin": ["Fin", "Date fin", "Date de fin"],
    },
}

# Headers known to be none of a flow's fields, though a close spelling of one: never matched fuzzily.
# WooCommerce's « Order Subtotal Amount » (lines before discount, without shipping) is not « Order Total
# Amount » nor a total HT. EBP's delivery address and contact are not the tiers' main address; its
# « ActiveState » codes are not documented (public programs read 0 and 1 as « actif » both).
_EBP_NOT_TIERS = ["MainInvoicingAddress_Address3", "MainInvoicingAddress_Address4", "MainInvoicingAddress_State",
                  *(f"MainDelivery{part}" for part in (
                      "Address_Address1", "Address_Address2", "Address_Address3", "Address_Address4",
                      "Address_ZipCode", "Address_City", "Address_State", "Address_CountryIsoCode",
                      "Contact_Civility", "Contact_Name", "Contact_FirstName", "Contact_Phone",
                      "Contact_CellPhone", "Contact_Email")),
                  "ActiveState", "UniqueId", "NotesClear"]
NOT_FIELDS: dict[str, list[str]] = {
    "documents": ["Order Subtotal Amount", "Sous-total de la commande", "Subtotal"],
    "tiers": _EBP_NOT_TIERS,
    "articles": ["ActiveState", "UniqueId", "DesCom", "DesComClear", "VatId", "CostPrice", "VatAmount",
                 "RealStock", "SupplierId", "ManageStock"],
}

# « ID » / « Id »: a shop's own id (code_ext) in its exports, but the GC code in a GC export (EBP's Item.Id,
# Customer.Id). A caller that cannot use code_ext (``econn import``) gets code_gc for these names.
GC_CODE_FALLBACK: dict[str, list[str]] = {"tiers": ["ID"], "articles": ["ID"]}
