"""PrestaShop back-office exports (1.7 / 8): orders, customers, products.

Each entry cites its sources; the research behind them is in ``docs/formats.md`` and
``tests/fixtures/formats/SOURCES.md``.
"""

from __future__ import annotations

from .model import Semantics, SourceFormat, build as _f

__all__ = ["PRESTASHOP"]

PRESTASHOP: tuple[SourceFormat, ...] = (
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
       Semantics(prices="HT", decimal=".", optional_trailing=("Position",),
                 notes="« État » vaut 1 quand le produit est en rupture (ce n'est pas actif/inactif) ; "
                       "hors filtre par catégorie, les lignes n'ont pas de valeur pour « Position » (9 valeurs "
                       "pour 10 titres) : econn les lit avec une colonne « Position » vide."),
       "PrestaShop src/Core/Product/ProductCsvExporter.php (1332ed82), AdminProductDataProvider (04fc010b) "
       "(« position » sélectionné seulement avec un filtre de catégorie), "
       "src/PrestaShopBundle/Component/CsvResponse.php (03c14713 : une clé absente de la ligne n'est pas "
       "écrite)",
       "Libellés « Prix (HT) », « Prix (TTC) », « État » non vérifiés."),
)
