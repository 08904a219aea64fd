"""Shopify exports: orders, customers, products.

Each entry cites its sources; the research behind them is in ``docs/formats.md`` and
``tests/fixtures/formats/SOURCES.md``.
"""

from __future__ import annotations

from .model import Semantics, SourceFormat, build as _f

__all__ = ["SHOPIFY"]

_ADDR_EN = ("Address1", "Address2", "Company", "City", "Zip", "Country", "Phone")
_ADDR_FIELDS = ("adresse1", "adresse2", "societe", "ville", "code_postal", "pays", "telephone")

SHOPIFY: tuple[SourceFormat, ...] = (
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
)
