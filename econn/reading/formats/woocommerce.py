"""WooCommerce exports: products (core exporter), orders (Advanced Order Export plugin).

Each entry cites its sources; the research behind them is in ``docs/formats.md`` and
``tests/fixtures/formats/SOURCES.md``.
"""

from __future__ import annotations

from .model import Semantics, SourceFormat, build as _f

__all__ = ["WOOCOMMERCE"]

WOOCOMMERCE: tuple[SourceFormat, ...] = (
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
)
