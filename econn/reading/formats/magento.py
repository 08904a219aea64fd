"""Magento 2 exports: orders grid, customer addresses.

Each entry cites its sources; the research behind them is in ``docs/formats.md`` and
``tests/fixtures/formats/SOURCES.md``.
"""

from __future__ import annotations

from .model import Semantics, SourceFormat, build as _f

__all__ = ["MAGENTO"]

MAGENTO: tuple[SourceFormat, ...] = (
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
)
