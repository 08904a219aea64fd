"""Known export formats of web shops and GC software, as data: headers, mapping, semantics, sources.

A :class:`SourceFormat` says, for one named export (« Export des commandes Shopify »…), which headers it
writes (one tuple per language), which canonical field of :mod:`econn.reading.headers` each header is
(``None``: a column econn knows and does not import), and how its values must be read
(:class:`Semantics`: prices HT or TTC, shipping HT or TTC, order-level fields given on the first line
only, prefixes to strip, full names to split…). :func:`detect_format` recognises a file's format from its
headers; :func:`econn.reading.headers.map_headers` then takes the format's mapping before any synonym or
fuzzy match. The research behind each entry (sources, what is unverified) is in ``docs/formats.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import EconnError
from .headers import normalize

__all__ = ["FORMATS", "MIN_SIGNATURE", "Semantics", "SourceFormat", "UnknownFormatError", "detect_format",
           "get_format", "resolve_format"]

# Share of a format's signature headers a file must hold to be recognised (users may hide a few columns).
MIN_SIGNATURE = 0.6


@dataclass(frozen=True)
class Semantics:
    """How a format's values must be read.

    Attributes:
        prices: ``HT`` or ``TTC`` (unit prices of lines, or of articles); ``None`` when it has none.
        shipping: ``HT`` or ``TTC`` for the shipping amount; ``None`` when it has none.
        discount: how an order-level discount is given: ``TTC`` (an amount with tax, not in the line prices),
            ``HT``, ``dans les lignes`` (already in the line prices), or ``None``.
        first_line_only: canonical fields given on an order's first line only (forward-filled to its lines).
        decimal: decimal separator of the amounts.
        dates: how dates are written.
        strip_prefix: canonical field → characters to strip at the start of its values (Shopify's ``'``).
        split_names: canonical field holding a full name → (prénom field, nom field) it is split into
            when the file has no separate fields.
        inverted: canonical boolean fields whose values mean the opposite (« en sommeil » → actif).
        lines: the export holds order lines (False: one row per order, totals only).
        price_ttc_flag: header of a per-row flag saying the price is TTC (Sage's ``AR_PrixTTC`` = 1).
        country_names: canonical fields holding a country *name* (« France »), to turn into an ISO code.
        detect_ht_orders: ``prices`` and ``shipping`` say TTC, but an order whose total is subtotal + shipping +
            taxes (``sous_total``) comes from a shop in HT prices and is read HT (Shopify writes no mode).
        notes: what else a reader must know (French, shown in the docs).
    """

    prices: str | None = None
    shipping: str | None = None
    discount: str | None = None
    first_line_only: tuple[str, ...] = ()
    decimal: str = "."
    dates: str = ""
    strip_prefix: dict[str, str] = field(default_factory=dict)
    split_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    inverted: tuple[str, ...] = ()
    lines: bool = True
    price_ttc_flag: str | None = None
    country_names: tuple[str, ...] = ()
    detect_ht_orders: bool = False
    notes: str = ""


@dataclass(frozen=True)
class SourceFormat:
    """One named export format.

    Attributes:
        id: stable identifier (``shopify-orders``).
        label: French label (« Export des commandes Shopify »).
        flow: ``documents``, ``tiers`` or ``articles`` (the flows of :mod:`econn.reading.headers`).
        headers: the header row, per language (``{"en": (...), "fr": (...)}``), in the export's order.
        mapping: header → canonical field (``None``: known, not imported); headers of every language.
        signature: the distinctive headers that recognise the format (every language pooled).
        semantics: how values are read.
        source: where the headers and semantics come from.
        unverified: what the sources did not confirm.
    """

    id: str
    label: str
    flow: str
    headers: dict[str, tuple[str, ...]]
    mapping: dict[str, str | None]
    signature: tuple[str, ...]
    semantics: Semantics
    source: str
    unverified: str = ""

    @cached_property
    def normalized_mapping(self) -> dict[str, str | None]:
        """Normalised header (:func:`econn.reading.headers.normalize`) → canonical field or None; every
        header of every language is present (``None`` when not imported)."""
        out: dict[str, str | None] = {}
        for names in self.headers.values():
            for h in names:
                out.setdefault(normalize(h), None)
        out.update({normalize(h): f for h, f in self.mapping.items()})
        return out

    def field_of(self, header: str) -> tuple[bool, str | None]:
        """(the format knows this header, its canonical field or None)."""
        n = normalize(header)
        return (n in self.normalized_mapping, self.normalized_mapping.get(n))

    def to_dict(self, score: float | None = None) -> dict[str, object]:
        """``{"id", "label", "score"}`` (the shape of ``econn preview --json``)."""
        return {"id": self.id, "label": self.label, "score": score}


def _f(id: str, label: str, flow: str, headers: dict[str, str], mapping: dict[str, str | None],
       signature: str, semantics: Semantics, source: str, unverified: str = "") -> SourceFormat:
    """Build a format from ``|``-joined header strings (``|``, not ``,``: some headers hold commas)."""
    hdrs = {lang: tuple(text.split("|")) for lang, text in headers.items()}
    known = {normalize(n) for names in hdrs.values() for n in names}
    unknown = [h for h in list(mapping) + signature.split("|") if normalize(h) not in known]
    assert not unknown, f"{id}: headers not in the header list: {unknown}"
    return SourceFormat(id, label, flow, hdrs, mapping, tuple(signature.split("|")), semantics, source, unverified)


_ADDR_EN = ("Address1", "Address2", "Company", "City", "Zip", "Country", "Phone")
_ADDR_FIELDS = ("adresse1", "adresse2", "societe", "ville", "code_postal", "pays", "telephone")

FORMATS: tuple[SourceFormat, ...] = (
    _f("shopify-orders", "Export des commandes Shopify", "documents", {"en": (
        "Name|Email|Financial Status|Paid at|Fulfillment Status|Fulfilled at|Accepts Marketing|Currency|Subtotal|"
        "Shipping|Taxes|Total|Discount Code|Discount Amount|Shipping Method|Created at|Lineitem quantity|"
        "Lineitem name|Lineitem price|Lineitem compare at price|Lineitem sku|Lineitem requires shipping|"
        "Lineitem taxable|Lineitem fulfillment status|Billing Name|Billing Street|Billing Address1|Billing Address2|"
        "Billing Company|Billing City|Billing Zip|Billing Province|Billing Country|Billing Phone|Shipping Name|"
        "Shipping Street|Shipping Address1|Shipping Address2|Shipping Company|Shipping City|Shipping Zip|"
        "Shipping Province|Shipping Country|Shipping Phone|Notes|Note Attributes|Cancelled at|Payment Method|"
        "Payment Reference|Refunded Amount|Vendor|Outstanding Balance|Employee|Location|Device ID|Id|Tags|"
        "Risk Level|Source|Lineitem discount|Tax 1 Name|Tax 1 Value|Tax 2 Name|Tax 2 Value|Tax 3 Name|Tax 3 Value|"
        "Tax 4 Name|Tax 4 Value|Tax 5 Name|Tax 5 Value|Phone|Receipt Number|Duties|Billing Province Name|"
        "Shipping Province Name|Payment ID|Payment Terms Name|Next Payment Due At|Payment References")},
       {"Name": "doc_ext_id", "Email": "email", "Financial Status": "statut", "Currency": "devise",
        "Subtotal": "sous_total", "Shipping": "port_ttc", "Taxes": "total_tva", "Total": "total_ttc", "Discount Amount": "remise_ttc",
        "Shipping Method": "transporteur", "Created at": "date", "Lineitem quantity": "qte",
        "Lineitem name": "libelle", "Lineitem price": "pu_ttc", "Lineitem sku": "sku",
        "Billing Name": "nom_complet", "Shipping Name": "liv_nom_complet", "Payment Method": "reglement",
        "Tax 1 Name": "tva_label",
        **{f"Billing {a}": f for a, f in zip(_ADDR_EN, _ADDR_FIELDS)},
        **{f"Shipping {a}": f"liv_{f}" for a, f in zip(_ADDR_EN, _ADDR_FIELDS)}},
       "Financial Status|Fulfillment Status|Lineitem quantity|Lineitem name|Lineitem price|Lineitem sku|"
       "Billing Name|Billing Zip|Shipping Name|Created at|Subtotal|Taxes",
       Semantics(prices="TTC", shipping="TTC", discount="TTC", detect_ht_orders=True,
                 first_line_only=("tva_label", "statut", "devise", "port_ttc", "total_tva", "total_ttc",
                                  "remise_ttc", "transporteur", "nom_complet", "societe", "adresse1", "adresse2",
                                  "code_postal", "ville", "pays", "telephone", "reglement"),
                 decimal=".", dates="AAAA-MM-JJ HH:MM:SS +ZZZZ (fuseau de la boutique)",
                 strip_prefix={"doc_ext_id": "#", "code_postal": "'", "liv_code_postal": "'", "telephone": "'",
                               "liv_telephone": "'"},
                 split_names={"nom_complet": ("prenom", "nom"), "liv_nom_complet": ("liv_prenom", "liv_nom")},
                 notes="Une ligne par article ; les champs de la commande (totaux, adresses, taxes, paiement) ne "
                       "sont que sur sa première ligne. « Lineitem price » est un prix unitaire TTC dans une "
                       "boutique en prix TTC (UE) ; « Shipping » est TTC ; « Discount Amount » est une remise de "
                       "commande TTC qui n'est pas dans les prix des lignes. « Name » porte un « # ». Une commande dont le total vaut sous-total + port + taxes vient d'une "
                       "boutique en prix HT : ses prix et son port sont lus HT.",
                 ),
       "ospos-org/migrator src/parser/format/shopify.rs (bd99b935); exports réels "
       "Diptargha/maison_maria_shopify_api orders_export_1.csv (2ebeb5b2), looker101/scaricaArticoli "
       "orders_export.csv (fb3662b3), docs.xbp.app (commande #128520) ; "
       "https://help.shopify.com/en/manual/taxes/include-exclude-taxes (port TTC quand les prix sont TTC)",
       "Port TTC non nul jamais vu dans un fichier réel en prix TTC (vérifié par la documentation seulement) ; "
       "le mode prix TTC / HT n'est pas écrit dans le fichier (econn le déduit des totaux de chaque commande)."),

    _f("shopify-customers", "Export des clients Shopify", "tiers", {"en": (
        "Customer ID|First Name|Last Name|Email|Accepts Email Marketing|Default Address Company|"
        "Default Address Address1|Default Address Address2|Default Address City|Default Address Province Code|"
        "Default Address Country Code|Default Address Zip|Default Address Phone|Phone|Accepts SMS Marketing|"
        "Total Spent|Total Orders|Note|Tax Exempt|Tags")},
       {"Customer ID": "code_ext", "First Name": "prenom", "Last Name": "nom", "Email": "email",
        "Default Address Company": "societe", "Default Address Address1": "adresse1",
        "Default Address Address2": "adresse2", "Default Address City": "ville",
        "Default Address Country Code": "pays", "Default Address Zip": "code_postal", "Phone": "telephone"},
       "Customer ID|Accepts Email Marketing|Default Address Company|Default Address Address1|"
       "Default Address City|Default Address Country Code|Default Address Zip|Total Spent|Total Orders|Tax Exempt",
       Semantics(strip_prefix={"code_ext": "'", "code_postal": "'", "telephone": "'"},
                 notes="Seule l'adresse par défaut est exportée ; pays en code ISO ; « Customer ID » peut porter "
                       "un « ' » en tête ; yes/no pour les acceptations."),
       "copies indépendantes de l'entête (find_string « Default Address Company,Default Address Address1 ») ; "
       "ancienne entête dans ospos-org/migrator src/parser/format/shopify.rs",
       "Pas de page officielle Shopify ; le « ' » devant Customer ID et devant le code postal n'est pas une "
       "règle vérifiée."),

    _f("shopify-products", "Export des produits Shopify", "articles", {"en": (
        "Handle|Title|Body (HTML)|Vendor|Product Category|Type|Tags|Published|Option1 Name|Option1 Value|"
        "Option2 Name|Option2 Value|Option3 Name|Option3 Value|Variant SKU|Variant Grams|Variant Inventory Tracker|"
        "Variant Inventory Policy|Variant Fulfillment Service|Variant Price|Variant Compare At Price|"
        "Variant Requires Shipping|Variant Taxable|Variant Barcode|Image Src|Image Position|Image Alt Text|"
        "Gift Card|SEO Title|SEO Description|Google Shopping / Google Product Category|Google Shopping / Gender|"
        "Google Shopping / Age Group|Google Shopping / MPN|Google Shopping / AdWords Grouping|"
        "Google Shopping / AdWords Labels|Google Shopping / Condition|Google Shopping / Custom Product|"
        "Google Shopping / Custom Label 0|Google Shopping / Custom Label 1|Google Shopping / Custom Label 2|"
        "Google Shopping / Custom Label 3|Google Shopping / Custom Label 4|Variant Image|Variant Weight Unit|"
        "Variant Tax Code|Cost per item|Included / International|Price / International|"
        "Compare At Price / International|Status")},
       {"Variant SKU": "code_ext", "Title": "libelle", "Option1 Value": "declinaison", "Variant Barcode": "ean",
        "Type": "famille", "Variant Price": "prix_ttc", "Cost per item": "prix_achat", "Status": "actif",
        "Published": "export"},
       "Handle|Body (HTML)|Option1 Name|Option1 Value|Variant SKU|Variant Grams|Variant Price|"
       "Variant Compare At Price|Variant Barcode|Image Src|Gift Card|Cost per item",
       Semantics(prices="TTC", notes="Une ligne par déclinaison ; les champs du produit ne sont que sur la "
                                     "première ligne d'un « Handle » ; les lignes d'image seules n'ont pas de "
                                     "« Variant SKU ». « Variant Price » est TTC dans une boutique en prix TTC ; "
                                     "« Cost per item » est un coût d'achat ; « Included / <marché> » porte le "
                                     "nom du marché principal (colonne non reconnue, sans effet)."),
       "export réel ospos-org/migrator examples/input_files/products_export.csv (0517d9d4)",
       "Prix TTC ou HT selon le réglage de la boutique (non écrit dans le fichier)."),

    _f("woocommerce-products", "Export des produits WooCommerce", "articles", {
        "en": ("ID|Type|SKU|GTIN, UPC, EAN, or ISBN|Name|Published|Is featured?|Visibility in catalog|"
               "Short description|Description|Date sale price starts|Date sale price ends|Tax status|Tax class|"
               "In stock?|Stock|Low stock amount|Backorders allowed?|Sold individually?|Weight (kg)|Length (cm)|"
               "Width (cm)|Height (cm)|Allow customer reviews?|Purchase note|Sale price|Regular price|Categories|"
               "Tags|Shipping class|Images|Download limit|Download expiry days|Parent|Grouped products|Upsells|"
               "Cross-sells|External URL|Button text|Position|Attribute 1 name|Attribute 1 value(s)|"
               "Attribute 1 visible|Attribute 1 global|Attribute 1 default"),
        "fr": ("ID|Type|UGS|GTIN, UPC, EAN ou ISBN|Nom|Publié|Mis en avant\u00a0?|Visibilité dans le catalogue|"
               "Description courte|Description|Date de début de promo|Date de fin de promo|État de la TVA|"
               "Classe de TVA|En stock\u00a0?|Stock|Montant de stock faible|"
               "Autoriser les commandes de produits en rupture\u00a0?|Vendre individuellement\u00a0?|Poids (kg)|"
               "Longueur (cm)|Largeur (cm)|Hauteur (cm)|Autoriser les avis clients\u00a0?|Note de commande|"
               "Tarif promo|Tarif régulier|Catégories|Étiquettes|Classe d\u2019expédition|Images|"
               "Limite de téléchargement|Jours d\u2019expiration du téléchargement|Parent|Groupes de produits|"
               "Produits suggérés|Ventes croisées|URL externe|Libellé du bouton|Position|Nom de l\u2019attribut 1|"
               "Valeur(s) de l\u2019attribut 1 |Attribut 1 visible|Attribut 1 global|Attribut 1 par défaut")},
       {"SKU": "code_ext", "UGS": "code_ext", "GTIN, UPC, EAN, or ISBN": "ean", "GTIN, UPC, EAN ou ISBN": "ean",
        "Name": "libelle", "Nom": "libelle", "Published": "actif", "Publié": "actif", "Tax class": "code_tva",
        "Classe de TVA": "code_tva", "Regular price": "prix_ttc", "Tarif régulier": "prix_ttc",
        "Categories": "famille", "Catégories": "famille"},
       "SKU|UGS|GTIN, UPC, EAN, or ISBN|GTIN, UPC, EAN ou ISBN|Is featured?|Mis en avant\u00a0?|"
       "Visibility in catalog|Visibilité dans le catalogue|Tax status|État de la TVA|Regular price|Tarif régulier|"
       "Sale price|Tarif promo|Backorders allowed?|Autoriser les commandes de produits en rupture\u00a0?",
       Semantics(prices="TTC", decimal="séparateur décimal de la boutique (« 18,00 » en France)",
                 dates="AAAA-MM-JJ H:MM:SS (heure sans zéro initial)",
                 notes="UTF-8 avec BOM. « Regular price » est HT ou TTC selon le réglage « Saisie des prix avec "
                       "taxes » (non écrit dans le fichier ; econn suppose TTC, le choix B2C courant en France). "
                       "« Type » est le type de produit (simple, variable…), pas une famille ; « ID » est "
                       "l'identifiant technique, la référence est « SKU » / « UGS »."),
       "woocommerce/woocommerce includes/export/class-wc-product-csv-exporter.php (00fd3577), "
       "abstract-wc-csv-exporter.php (0a45979c) ; traductions woocommerce-fr_FR.po "
       "(Laurent-Pannetier/chassesautresor-local, 242b2c84)",
       "Prix HT ou TTC selon la boutique ; libellés français des anciennes versions non vérifiés."),

    _f("woocommerce-orders", "Export des commandes WooCommerce (Advanced Order Export)", "documents", {
        "en": ("Order Number|Order Status|Order Date|Customer Note|First Name (Billing)|Last Name (Billing)|"
               "Company (Billing)|Address 1&2 (Billing)|City (Billing)|State Code (Billing)|Postcode (Billing)|"
               "Country Code (Billing)|Email (Billing)|Phone (Billing)|First Name (Shipping)|Last Name (Shipping)|"
               "Address 1&2 (Shipping)|City (Shipping)|State Code (Shipping)|Postcode (Shipping)|"
               "Country Code (Shipping)|Payment Method Title|Cart Discount Amount|Cart Discount Amount(inc. tax)|"
               "Order Subtotal Amount|Shipping Method Title|Order Shipping Amount|Order Refund Amount|"
               "Order Total Amount|Order Total Tax Amount|SKU|Item #|Item Name|Quantity (- Refund)|Item Cost|"
               "Coupon Code|Discount Amount|Discount Amount Tax"),
        "fr": ("Numéro de commande|État de la commande|Date de commande|Note du client|Prénom (Facturation)|"
               "Nom de famille (Facturation)|Société (Facturation)|Adresse 1 & 2 (Facturation)|Ville (Facturation)|"
               "Code de l\u2019état (Facturation)|Code postal (Facturation)|Code du pays (Facturation)|"
               "E-mail (Facturation)|Téléphone (Facturation)|Prénom (Livraison)|Nom de famille (Livraison)|"
               "Adresse 1 & 2 (Livraison)|Ville (Livraison)|Code de l\u2019état (Livraison)|"
               "Code postal (Livraison)|Code du pays (Livraison)|Titre de la méthode de paiement|"
               "Montant de la remise panier|Cart Discount Amount(inc. tax)|Sous-total de la commande|"
               "Titre de la méthode de livraison|Montant de la livraison|Montant du remboursement de la commande|"
               "Montant total de la commande|Montant total de la taxe|UGS|Article #|Nom de l\u2019élément|"
               "Quantité (- Remboursement)|Prix du produit|Code de coupon|Réduction|Taxe de la réduction")},
       {"Order Number": "doc_ext_id", "Numéro de commande": "doc_ext_id",
        "Order Status": "statut", "État de la commande": "statut",
        "Order Date": "date", "Date de commande": "date",
        "First Name (Billing)": "prenom", "Prénom (Facturation)": "prenom",
        "Last Name (Billing)": "nom", "Nom de famille (Facturation)": "nom",
        "Company (Billing)": "societe", "Société (Facturation)": "societe",
        "Address 1&2 (Billing)": "adresse1", "Adresse 1 & 2 (Facturation)": "adresse1",
        "City (Billing)": "ville", "Ville (Facturation)": "ville",
        "Postcode (Billing)": "code_postal", "Code postal (Facturation)": "code_postal",
        "Country Code (Billing)": "pays", "Code du pays (Facturation)": "pays",
        "Email (Billing)": "email", "E-mail (Facturation)": "email",
        "Phone (Billing)": "telephone", "Téléphone (Facturation)": "telephone",
        "First Name (Shipping)": "liv_prenom", "Prénom (Livraison)": "liv_prenom",
        "Last Name (Shipping)": "liv_nom", "Nom de famille (Livraison)": "liv_nom",
        "Address 1&2 (Shipping)": "liv_adresse1", "Adresse 1 & 2 (Livraison)": "liv_adresse1",
        "City (Shipping)": "liv_ville", "Ville (Livraison)": "liv_ville",
        "Postcode (Shipping)": "liv_code_postal", "Code postal (Livraison)": "liv_code_postal",
        "Country Code (Shipping)": "liv_pays", "Code du pays (Livraison)": "liv_pays",
        "Payment Method Title": "reglement", "Titre de la méthode de paiement": "reglement",
        "Shipping Method Title": "transporteur", "Titre de la méthode de livraison": "transporteur",
        "Order Shipping Amount": "port_ht", "Montant de la livraison": "port_ht",
        "Order Total Amount": "total_ttc", "Montant total de la commande": "total_ttc",
        "Order Total Tax Amount": "total_tva", "Montant total de la taxe": "total_tva",
        "SKU": "sku", "UGS": "sku", "Item Name": "libelle", "Nom de l\u2019élément": "libelle",
        "Quantity (- Refund)": "qte", "Quantité (- Remboursement)": "qte",
        "Item Cost": "pu_ht", "Prix du produit": "pu_ht"},
       "Order Number|Numéro de commande|Order Status|État de la commande|First Name (Billing)|Prénom (Facturation)|"
       "Postcode (Billing)|Code postal (Facturation)|Order Subtotal Amount|Sous-total de la commande|"
       "Order Shipping Amount|Montant de la livraison|Order Total Amount|Montant total de la commande|"
       "Order Total Tax Amount|Montant total de la taxe|Item Cost|Prix du produit|"
       "Quantity (- Refund)|Quantité (- Remboursement)",
       Semantics(prices="HT", shipping="HT", discount="dans les lignes", decimal=".",
                 dates="AAAA-MM-JJ HH:MM (heure du site)",
                 notes="Une ligne par article, les champs de la commande répétés sur chaque ligne. « Item Cost » "
                       "est un prix unitaire HT après remise (la remise panier est déjà dans les prix des lignes) ; "
                       "« Order Shipping Amount » est HT ; « Order Subtotal Amount » est la somme des lignes HT "
                       "avant remise et sans port : ce n'est pas un total HT (total HT = total TTC − taxes). "
                       "Les téléphones commençant par « + » reçoivent une espace en tête (anti-injection CSV)."),
       "WordPressBugBounty/plugins-woo-order-export-lite 4.0.7 (0a3bdeb4) : trait-woe-core-extractor-ui.php, "
       "class-wc-order-export-manage.php, class-wc-order-export-order-fields.php ; traductions "
       "woo-order-export-lite-fr_FR.po (coworking-metz/Portail-Coworking-Metz, 980d8395)",
       "Colonnes par défaut seulement (l'utilisateur peut les renommer et les réordonner) ; traduction "
       "française de 2022, « Cart Discount Amount(inc. tax) » non traduit."),

    _f("prestashop-orders", "Export des commandes PrestaShop", "documents", {"fr": (
        "ID|Référence|Nouveau client|Livraison|Client|Total|Paiement|État|Date|Société")},
       {"ID": "doc_ext_id", "Livraison": "liv_pays", "Client": "nom_complet", "Total": "total_ttc",
        "Paiement": "reglement", "État": "statut", "Date": "date", "Société": "societe"},
       "ID|Référence|Nouveau client|Livraison|Client|Total|Paiement|État|Date",
       Semantics(lines=False, decimal=",", dates="AAAA-MM-JJ HH:MM:SS",
                 notes="Une ligne par commande, sans lignes d'articles, sans port ni TVA : ce fichier ne peut "
                       "pas être intégré seul. « Référence » est la référence de la commande (pas un article), "
                       "« Client » un nom affiché « É. Lefèvre » (initiale du prénom), « Livraison » le nom du "
                       "pays de livraison, « Total » un TTC formaté « 95,90 € »."),
       "PrestaShop OrderController::exportAction, OrderGridDataFactory (0692635f), CsvResponse.php (03c14713) ; "
       "libellés : PrestaShop/TranslationFiles 1.6/fr admin.php (0d7f330f), issue PrestaShop #33475",
       "Libellés 1.7/8 supposés égaux à ceux de 1.6 ; espace avant « € » (U+00A0 ou U+202F) non vérifiée."),

    _f("prestashop-customers", "Export des clients PrestaShop", "tiers", {"fr": (
        "ID|Titre|Prénom|Nom|Adresse e-mail|Groupe|Société|Ventes|Activé|Lettre d'informations|"
        "Offres partenaires|Inscription|Dernière visite")},
       {"ID": "code_ext", "Titre": "civilite", "Prénom": "prenom", "Nom": "nom", "Adresse e-mail": "email",
        "Groupe": "famille", "Société": "societe", "Activé": "actif"},
       "ID|Titre|Prénom|Nom|Adresse e-mail|Ventes|Activé|Lettre d'informations|Inscription|Dernière visite",
       Semantics(decimal=",", dates="AAAA-MM-JJ HH:MM:SS",
                 notes="Ni adresse ni téléphone ; « Ventes » est formaté « 95,90 € » ; booléens 1/0."),
       "PrestaShop CustomerController::exportAction, CustomerGridDataFactoryDecorator (9a330327)",
       "« Groupe » et « Offres partenaires » (libellés 8.x) non vérifiés."),

    _f("prestashop-products", "Export des produits PrestaShop", "articles", {"fr": (
        "Product ID|Image|Nom|Référence|Catégorie|Prix (HT)|Prix (TTC)|Quantité|État|Position")},
       {"Product ID": "code_ext", "Nom": "libelle", "Référence": "code_gc", "Catégorie": "famille",
        "Prix (HT)": "prix_ht", "Prix (TTC)": "prix_ttc"},
       "Product ID|Image|Nom|Référence|Catégorie|Prix (HT)|Prix (TTC)|Quantité|État",
       Semantics(prices="HT", decimal=".",
                 notes="« État » vaut 1 quand le produit est en rupture (ce n'est pas actif/inactif) ; les lignes "
                       "ont 9 valeurs pour 10 titres hors filtre par catégorie (fichier irrégulier)."),
       "PrestaShop src/Core/Product/ProductCsvExporter.php (1332ed82), AdminProductDataProvider",
       "Libellés « Prix (HT) », « Prix (TTC) », « État » non vérifiés."),

    _f("magento-orders", "Export de la grille des commandes Magento", "documents", {"en": (
        "ID|Purchase Point|Purchase Date|Bill-to Name|Ship-to Name|Grand Total (Base)|Grand Total (Purchased)|"
        "Status|Billing Address|Shipping Address|Shipping Information|Customer Email|Customer Group|Subtotal|"
        "Shipping and Handling|Customer Name|Payment Method|Total Refunded")},
       {"ID": "doc_ext_id", "Purchase Date": "date", "Bill-to Name": "nom_complet",
        "Ship-to Name": "liv_nom_complet", "Grand Total (Purchased)": "total_ttc", "Status": "statut",
        "Shipping Information": "transporteur", "Customer Email": "email", "Shipping and Handling": "port_ht",
        "Payment Method": "reglement"},
       "Purchase Point|Purchase Date|Bill-to Name|Ship-to Name|Grand Total (Base)|Grand Total (Purchased)",
       Semantics(shipping="HT", lines=False, decimal=".", dates="« Mar 3, 2025 10:14:22 AM » (fuseau de l'admin)",
                 split_names={"nom_complet": ("prenom", "nom"), "liv_nom_complet": ("liv_prenom", "liv_nom")},
                 notes="Une ligne par commande, sans lignes d'articles : ce fichier ne peut pas être intégré seul. "
                       "« Subtotal » et « Shipping and Handling » sont HT ; « Billing Address » est une adresse "
                       "entière en un texte (non découpable) ; « Customer Name » est un nom, pas un code client ; "
                       "« ID » garde ses zéros (000000012)."),
       "magento/magento2 sales_order_grid.xml (0150eaec), Ui/Model/Export/MetadataProvider.php (06691e10), "
       "Sales/etc/di.xml (0031efdd)",
       "Libellés français non vérifiés ; « Purchase Point » reconstitué, non vu dans un fichier réel."),

    _f("magento-customer-addresses", "Export des adresses clients Magento", "tiers", {"en": (
        "_website|_email|_entity_id|city|company|country_id|fax|firstname|lastname|middlename|postcode|prefix|"
        "region|region_id|street|suffix|telephone|vat_id|vat_is_valid|vat_request_date|vat_request_id|"
        "vat_request_success|_address_default_billing_|_address_default_shipping_")},
       {"_email": "email", "city": "ville", "company": "societe", "country_id": "pays", "firstname": "prenom",
        "lastname": "nom", "postcode": "code_postal", "prefix": "civilite", "street": "adresse1",
        "telephone": "telephone", "vat_id": "tva_intra"},
       "_website|_email|_entity_id|country_id|firstname|lastname|postcode|region_id|street|vat_id|"
       "_address_default_billing_|_address_default_shipping_",
       Semantics(notes="Une ligne par adresse, le client identifié par « _email » + « _website » ; « street » "
                       "sur plusieurs lignes (ligne 1 → adresse 1, ligne 2 → adresse 2)."),
       "magento/merchdocs src/system/data-attributes-customer.md (Customer Addresses)"),

    _f("sage100-articles", "Extraction des articles Sage 100 (F_ARTICLE)", "articles", {"fr": (
        "AR_Ref|AR_Design|FA_CodeFamille|AR_UnitePoids|AR_PoidsNet|AR_PoidsBrut|AR_UniteVen|AR_PrixAch|AR_Coef|"
        "AR_PrixVen|AR_PrixTTC|AR_SuiviStock|AR_Sommeil|AR_CodeBarre")},
       {"AR_Ref": "code_gc", "AR_Design": "libelle", "FA_CodeFamille": "famille", "AR_PrixAch": "prix_achat",
        "AR_PrixVen": "prix_ht", "AR_Sommeil": "actif", "AR_CodeBarre": "ean"},
       "AR_Ref|AR_Design|FA_CodeFamille|AR_PrixAch|AR_PrixVen|AR_PrixTTC|AR_Sommeil|AR_CodeBarre|AR_UniteVen",
       Semantics(prices="HT", decimal=",", inverted=("actif",), price_ttc_flag="AR_PrixTTC",
                 notes="Noms de colonnes de la table F_ARTICLE (extraction SQL/ODBC). « AR_PrixVen » est HT sauf "
                       "si « AR_PrixTTC » = 1 (alors TTC : prix non importé) ; « AR_UniteVen » est un indice "
                       "dans P_UNITE, pas une unité (non importé) ; « AR_Sommeil » = 1 : inactif."),
       "programmes publics lisant F_ARTICLE (index 5762478145, 17231641420) ; pas de page Sage officielle",
       "Fichier construit (cp1252, « ; », virgule décimale) : pas d'export produit par Sage lui-même."),

    _f("sage100-tiers", "Extraction des tiers Sage 100 (F_COMPTET)", "tiers", {"fr": (
        "CT_Num|CT_Intitule|CT_Qualite|CT_Contact|CT_Adresse|CT_Complement|CT_CodePostal|CT_Ville|CT_CodeRegion|"
        "CT_Pays|CT_Telephone|CT_Telecopie|CT_EMail|CT_Site|CT_Siret|CT_Identifiant|CT_Ape|CT_Sommeil")},
       {"CT_Num": "code_gc", "CT_Intitule": "societe", "CT_Adresse": "adresse1", "CT_Complement": "adresse2",
        "CT_CodePostal": "code_postal", "CT_Ville": "ville", "CT_Pays": "pays", "CT_Telephone": "telephone",
        "CT_EMail": "email", "CT_Siret": "siret", "CT_Identifiant": "tva_intra", "CT_Sommeil": "actif"},
       "CT_Num|CT_Intitule|CT_Adresse|CT_CodePostal|CT_Ville|CT_Pays|CT_Telephone|CT_EMail|CT_Siret|"
       "CT_Identifiant|CT_Sommeil",
       Semantics(decimal=",", inverted=("actif",), country_names=("pays",),
                 notes="Noms de colonnes de la table F_COMPTET. « CT_Pays » est un nom de pays (« France ») ; "
                       "« CT_Identifiant » est le n° de TVA intracommunautaire ; « CT_Sommeil » = 1 : inactif."),
       "requête d'extraction F_COMPTET documentée (index 53149740765), exports JSON (index 982484702)",
       "Fichier construit : pas d'export produit par Sage lui-même ; largeurs AR_Ref, CT_Num non vérifiées."),

    _f("gestimum-articles", "Export des articles Gestimum", "articles", {"fr": (
        "ART_CODE|ART_LIB|ART_DORT|FAR_CODE|SFA_CODE|ART_TYPE|ART_P_ACH|ART_P_PRV|ART_P_COEF|ART_P_VTE|ART_CBAR|"
        "ART_UB_VTE|ART_POIDSN")},
       {"ART_CODE": "code_gc", "ART_LIB": "libelle", "ART_DORT": "actif", "FAR_CODE": "famille",
        "ART_P_ACH": "prix_achat", "ART_P_VTE": "prix_ht", "ART_CBAR": "ean", "ART_UB_VTE": "unite"},
       "ART_CODE|ART_LIB|ART_DORT|FAR_CODE|ART_P_ACH|ART_P_VTE|ART_CBAR|ART_UB_VTE",
       Semantics(prices="HT", decimal=",", dates="JJ/MM/AAAA", inverted=("actif",),
                 notes="Noms des champs de la table (structure d'import documentée) ; « ART_DORT » = 1 : en "
                       "sommeil ; « ART_P_VTE » = prix public unitaire."),
       "aide en ligne Gestimum, karla-dedeler/aide-en-ligne (8517d93f) : Imports/ImportArticles/"
       "StructureFichierArticlesSeuls",
       "Structure d'import : celle de l'export supposée identique ; ART_P_VTE supposé HT."),

    _f("gestimum-tiers", "Export des clients Gestimum", "tiers", {"fr": (
        "PCF_CODE|PCF_RS|PCF_CIVILE|PCF_DORT|FAT_CODE|PCF_RUE|PCF_COMP|PCF_CP|PCF_VILLE|PAY_CODE|PCF_TEL1|"
        "PCF_EMAIL|PCF_SIRET|PCF_NII|PCF_EN_TTC|TAR_CODE|CPT_NUMERO|REG_CODE")},
       {"PCF_CODE": "code_gc", "PCF_RS": "societe", "PCF_CIVILE": "civilite", "PCF_DORT": "actif",
        "FAT_CODE": "famille", "PCF_RUE": "adresse1", "PCF_COMP": "adresse2", "PCF_CP": "code_postal",
        "PCF_VILLE": "ville", "PAY_CODE": "pays", "PCF_TEL1": "telephone", "PCF_EMAIL": "email",
        "PCF_SIRET": "siret", "PCF_NII": "tva_intra", "TAR_CODE": "categorie_tarifaire", "REG_CODE": "reglement"},
       "PCF_CODE|PCF_RS|PCF_RUE|PCF_CP|PCF_VILLE|PAY_CODE|PCF_TEL1|PCF_EMAIL|PCF_NII|FAT_CODE",
       Semantics(decimal=",", inverted=("actif",),
                 notes="« PCF_NII » est le n° de TVA intracommunautaire ; « PCF_DORT » = 1 : en sommeil ; "
                       "« PCF_EN_TTC » = client facturé en TTC (non importé)."),
       "aide en ligne Gestimum, karla-dedeler/aide-en-ligne (8517d93f) : Imports/ImportRelationTiers/"
       "StructureFichierClients",
       "Structure d'import : celle de l'export supposée identique."),
)

_BY_ID = {f.id: f for f in FORMATS}


class UnknownFormatError(EconnError):
    """``--format`` names no registered format, or one of another flow."""


def get_format(format_id: str, flow: str | None = None) -> SourceFormat:
    """The registered format with this id (of this flow, when given).

    Raises:
        UnknownFormatError: unknown id, or a format of another flow (French message lists the choices).
    """
    fmt = _BY_ID.get(format_id)
    if fmt is None or (flow is not None and fmt.flow != flow):
        ids = ", ".join(f.id for f in FORMATS if flow is None or f.flow == flow)
        why = "inconnu" if fmt is None else f"d'un autre flux ({fmt.flow}, pas {flow})"
        raise UnknownFormatError(f"unknown format {format_id!r} for flow {flow}",
                                 f"Format « {format_id} » {why} : choisissez parmi {ids}.")
    return fmt


def resolve_format(headers: list[str], flow: str | None = None,
                   forced: str | None = None) -> tuple[SourceFormat, float | None] | None:
    """The format imposed by ``forced`` (score None), else the one :func:`detect_format` recognises."""
    if forced:
        return get_format(forced, flow), None
    return detect_format(headers, flow)


def detect_format(headers: list[str], flow: str | None = None) -> tuple[SourceFormat, float] | None:
    """Recognise a file's export format from its headers.

    A format fits when the file holds at least :data:`MIN_SIGNATURE` of its signature headers; the score
    (0–1) weighs that share (0.8) with the share of the file's headers the format knows (0.2), so that
    a file with the whole header scores 1.

    Args:
        headers: the file's headers.
        flow: only formats of this flow (``documents``, ``tiers``, ``articles``).

    Returns:
        (format, score) of the best fitting format, or None when none fits.
    """
    seen = {normalize(h) for h in headers if h}
    best: tuple[SourceFormat, float] | None = None
    for fmt in FORMATS:
        if flow is not None and fmt.flow != flow:
            continue
        sig = {normalize(h) for h in fmt.signature}
        # A format with several languages: a file is written in one, so the share is taken per language.
        shares = []
        for names in fmt.headers.values():
            lang = {normalize(h) for h in names}
            s = sig & lang
            if s:
                shares.append((len(s & seen) / len(s), len(lang & seen) / max(len(seen), 1)))
        if not shares:
            continue
        sig_share, known_share = max(shares)
        if sig_share < MIN_SIGNATURE:
            continue
        score = round(0.8 * sig_share + 0.2 * known_share, 3)
        if best is None or score > best[1]:
            best = (fmt, score)
    return best
