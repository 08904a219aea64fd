"""GC software exports: Sage 100 (F_ARTICLE, F_COMPTET extractions), Gestimum (articles, clients) and EBP
Gestion Commerciale (Item, Customer extractions).

Each entry cites its sources; the research behind them is in ``docs/formats.md`` and
``tests/fixtures/formats/SOURCES.md``.
"""

from __future__ import annotations

from .model import Semantics, SourceFormat, build as _f

__all__ = ["GC"]

GC: tuple[SourceFormat, ...] = (
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

    # EBP: the titles of its « export paramétrable » are the user's choice and no public source gives them;
    # the database column names of its tables are public. The first headers are the column order of a public
    # program's extraction (the fixture's); the others are further columns of the table the format knows.
    _f("ebp-articles", "Extraction des articles EBP (table Item)", "articles", {"fr": (
        "Id|UniqueId|Caption|DesCom|SalePriceVatExcluded|RealStock|SupplierId|ManageStock|Weight|Volume|"
        "VatId|PurchasePrice|SalePriceVatIncluded|DesComClear|BarCode|FamilyId|SubFamilyId|UnitId|CostPrice|"
        "VatAmount|ActiveState|AllowPublishOnWeb|NotesClear")},
       {"Id": "code_gc", "Caption": "libelle", "SalePriceVatExcluded": "prix_ht", "VatId": "code_tva",
        "PurchasePrice": "prix_achat", "SalePriceVatIncluded": "prix_ttc", "BarCode": "ean",
        "FamilyId": "famille", "UnitId": "unite", "AllowPublishOnWeb": "export"},
       "Caption|SalePriceVatExcluded|SalePriceVatIncluded|PurchasePrice|VatId",
       Semantics(prices="HT", decimal=",",
                 notes="Noms de colonnes de la table Item de la base EBP Gestion Commerciale (extraction "
                       "SQL/ODBC), pas les titres de l'export paramétrable d'EBP (choisis par "
                       "l'utilisateur). « Id » est le code article ; « SalePriceVatExcluded » le prix de "
                       "vente HT (« SalePriceVatIncluded », TTC, non importé) ; « VatId » l'identifiant "
                       "(uuid) du taux de TVA dans la table Vat d'EBP, repris tel quel comme code TVA ; "
                       "« ActiveState » non importé (codes non documentés) ; « DesCom » est une description "
                       "mise en forme (non importée)."),
       "noms et types des colonnes de la table Item : JordanSerafini/DataWarehouse_EBP (804e6687) "
       "Database/interface_EBP/Item.ts ; ordre : SELECT … FROM \"Item\" d'un service de migration EBP "
       "public (index 58376758750) ; ConnecteurEBP QueryHelper (index 29339821141) ; pas de page EBP "
       "officielle",
       "Fichier construit (cp1252, « ; », virgule décimale) : une extraction de la base, pas un fichier "
       "écrit par EBP ; titres de l'export paramétrable d'EBP non trouvés ; sens des valeurs "
       "d'« ActiveState »."),

    _f("ebp-tiers", "Extraction des clients EBP (table Customer)", "tiers", {"fr": (
        "Name|Id|MainInvoicingContact_Name|MainInvoicingContact_FirstName|MainInvoicingContact_Phone|"
        "MainInvoicingContact_CellPhone|MainInvoicingContact_Email|MainDeliveryContact_Name|"
        "MainDeliveryContact_FirstName|MainDeliveryContact_Phone|MainDeliveryContact_CellPhone|"
        "MainDeliveryContact_Email|MainInvoicingAddress_Address1|MainInvoicingAddress_Address2|"
        "MainInvoicingAddress_Address3|MainInvoicingAddress_Address4|MainInvoicingAddress_ZipCode|"
        "MainInvoicingAddress_City|MainInvoicingAddress_State|MainDeliveryAddress_Address1|"
        "MainDeliveryAddress_Address2|MainDeliveryAddress_Address3|MainDeliveryAddress_Address4|"
        "MainDeliveryAddress_ZipCode|MainDeliveryAddress_City|MainDeliveryAddress_State|NotesClear|UniqueId|"
        "Civility|MainInvoicingContact_Civility|MainInvoicingAddress_CountryIsoCode|"
        "MainDeliveryContact_Civility|MainDeliveryAddress_CountryIsoCode|IntracommunityVATNumber|Siren|NAF|"
        "FamilyId|PriceListCategoryId|SettlementModeId|ActiveState")},
       {"Id": "code_gc", "Name": "societe", "Civility": "civilite",
        "MainInvoicingContact_Civility": "civilite", "MainInvoicingContact_Name": "nom",
        "MainInvoicingContact_FirstName": "prenom", "MainInvoicingContact_Phone": "telephone",
        "MainInvoicingContact_CellPhone": "mobile", "MainInvoicingContact_Email": "email",
        "MainInvoicingAddress_Address1": "adresse1", "MainInvoicingAddress_Address2": "adresse2",
        "MainInvoicingAddress_ZipCode": "code_postal", "MainInvoicingAddress_City": "ville",
        "MainInvoicingAddress_CountryIsoCode": "pays", "IntracommunityVATNumber": "tva_intra",
        "FamilyId": "famille", "PriceListCategoryId": "categorie_tarifaire", "SettlementModeId": "reglement"},
       "Name|MainInvoicingContact_Name|MainInvoicingContact_Email|MainInvoicingAddress_Address1|"
       "MainInvoicingAddress_ZipCode|MainInvoicingAddress_City",
       Semantics(decimal=",",
                 notes="Noms de colonnes de la table Customer de la base EBP Gestion Commerciale (extraction "
                       "SQL/ODBC), pas les titres de l'export paramétrable d'EBP. « Id » est le code "
                       "client ; « Name » la raison sociale, ou « NOM Prénom » pour un particulier ; le "
                       "contact et l'adresse de facturation principaux (« MainInvoicingContact_… », "
                       "« MainInvoicingAddress_… ») sont repris, pas ceux de livraison "
                       "(« MainDelivery… ») ; « MainInvoicingAddress_Address3 », « _Address4 » et « _State » "
                       "(région) non importés ; « MainInvoicingAddress_CountryIsoCode » est un code pays "
                       "ISO ; la civilité est « Civility » ou « MainInvoicingContact_Civility » (la première "
                       "des deux dans le fichier) ; « ActiveState » non importé (codes non documentés)."),
       "noms et types des colonnes de la table Customer : JordanSerafini/DataWarehouse_EBP (804e6687) "
       "Database/interface_EBP/Customer.ts ; ordre : SELECT … FROM \"Customer\" d'un service de migration "
       "EBP public (index 58376758750) ; ordre complet de la table dans un export MySQL d'une base EBP "
       "(index 6354970825) ; pas de page EBP officielle",
       "Fichier construit (cp1252, « ; ») : une extraction de la base, pas un fichier écrit par EBP ; titres "
       "de l'export paramétrable d'EBP non trouvés ; sens des valeurs d'« ActiveState »."),
)
