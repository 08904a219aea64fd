"""Static vocabulary of the demo workspace: GC reference lists, French names, places, products.

Everything here is plain data; :mod:`econn.demo.gen` draws from it with a seeded
``random.Random`` so that a build is reproducible.
"""

from __future__ import annotations

ENTREPRISE = "VIGNE"
SITE = "SITE1"
TRANSPORTEUR = "DANZA"
DEPOT = "DEP1"
# GC tables the connectors' « Entreprise / Site / Transporteur affecté » are checked against: (code, libellé).
ENTREPRISES: list[tuple[str, str]] = [("VIGNE", "Les Vignes du Nord"), ("NEGOCE", "Négoce des Flandres")]
SITES: list[tuple[str, str]] = [("SITE1", "Boutique en ligne"), ("SITE2", "Caveau de Lille")]
TRANSPORTEURS: list[tuple[str, str]] = [("DANZA", "Danzas"), ("COLISS", "Colissimo"), ("CHRONO", "Chronopost"),
                                        ("ENLEV", "Enlèvement au caveau")]

# (code, taux, libellé, type) — all French VAT codes of the GC.
TVA_CODES: list[tuple[str, float, str, str]] = [
    ("V0", 0.0, "Exonéré (non soumis)", "non_soumis"),
    ("V1", 5.5, "TVA réduite 5,5 %", "reduit"),
    ("V2", 10.0, "TVA intermédiaire 10 %", "reduit"),
    ("V3", 20.0, "TVA normale 20 %", "normal"),
    ("V4", 2.1, "TVA super réduite 2,1 %", "reduit"),
    ("VDOM", 8.5, "TVA DOM 8,5 %", "normal"),
    ("VEXO", 0.0, "Livraison intracommunautaire exonérée", "exonere_intracom"),
    ("VEXP", 0.0, "Exportation hors UE exonérée", "export"),
]
TVA_RATE = {code: rate for code, rate, _l, _t in TVA_CODES}

UNITS: list[tuple[str, str, str]] = [
    ("UNI", "Unité", "C62"), ("PCE", "Pièce", "H87"), ("KG", "Kilogramme", "KGM"), ("L", "Litre", "LTR"),
    ("CL", "Centilitre", "CLT"), ("M2", "Mètre carré", "MTK"), ("H", "Heure", "HUR"), ("CART", "Carton", "CT"),
    ("BTL", "Bouteille", "BO"), ("DZ", "Douzaine", "DZN"),
]

PAYMENT_METHODS: list[tuple[str, str, str]] = [
    ("CB", "Carte bancaire", "Comptant à la commande"),
    ("CHQ", "Chèque", "À réception de facture"),
    ("VIR", "Virement", "30 jours fin de mois"),
    ("PAYPAL", "PayPal", "Comptant à la commande"),
    ("ESP", "Espèces", "Comptant"),
]

PRICE_CATEGORIES: list[tuple[str, str, bool]] = [
    ("TTC", "Tarif public TTC", True), ("HT", "Tarif professionnel HT", False),
    ("REV", "Revendeurs", False), ("GROS", "Grossistes", False),
]

EU_MEMBERS = frozenset([
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
])
# pycountry's French catalogue has no entry for these English names.
COUNTRY_NAME_FR = {"NL": "Pays-Bas"}

# Article families: code -> (libellé, code TVA, unit, price range HT, publish share)
FAMILIES: dict[str, tuple[str, str, str, tuple[float, float]]] = {
    "VIN": ("Vins tranquilles", "V3", "UNI", (5.9, 48.0)),
    "EFF": ("Effervescents", "V3", "UNI", (8.5, 39.0)),
    "SPIR": ("Spiritueux", "V3", "UNI", (19.0, 89.0)),
    "EPIC": ("Épicerie fine", "V1", "UNI", (2.9, 24.0)),
    "JARD": ("Jardin", "V3", "PCE", (3.5, 129.0)),
    "SERV": ("Services jardin", "V3", "H", (22.0, 45.0)),
    "MAIS": ("Maison & déco", "V3", "PCE", (6.9, 89.0)),
    "PUB": ("Publicité & PLV", "V3", "UNI", (1.5, 35.0)),
}

# Core catalogue: fixed codes the incoming files and the planted price grids use.
# (code, libellé, unité, code TVA, prix HT, prix d'achat, famille, actif, export)
CORE_ARTICLES: list[tuple[str, str, str, str, float | None, float | None, str, bool, bool]] = [
    ("AOPVEMA15B", "AOP VIN EFFERVESCENT 2015 75 cl", "UNI", "V3", 12.50, 7.80, "EFF", True, True),
    ("ARRO", "Arrosage", "H", "V3", 25.00, 14.00, "SERV", True, True),
    ("BECH", "Bechage", "H", "V3", 30.00, 17.50, "SERV", True, True),
    ("COUSS", "Coussin", "PCE", "V3", 19.90, 8.40, "MAIS", True, True),
    ("MIEL", "Pot de miel", "UNI", "V1", 6.50, 3.40, "EPIC", True, True),
    ("CUEIL", "Cueillette des fruits", "H", "V3", 28.00, 16.00, "SERV", True, True),
    ("CHAB22", "Chablis 2022 75 cl", "UNI", "V3", 14.90, 8.90, "VIN", True, True),
    ("CDR21R", "Côtes du Rhône rouge 2021 75 cl", "UNI", "V3", 7.50, 4.10, "VIN", True, True),
    ("CREMBR", "Crémant de Bourgogne brut 75 cl", "UNI", "V3", 11.90, 6.70, "EFF", True, True),
    ("HUILE50", "Huile d’olive vierge extra 50 cl", "UNI", "V1", 9.80, 5.60, "EPIC", True, True),
    ("TAPEN", "Tapenade noire 90 g", "UNI", "V1", 4.20, 2.10, "EPIC", True, True),
    ("CONFIG", "Confiture de figues 340 g", "UNI", "V1", 5.10, 2.60, "EPIC", True, True),
    ("BOUGFIG", "Bougie parfumée figuier", "PCE", "V3", 16.50, 6.90, "MAIS", True, True),
    ("PLAID", "Plaid en laine mérinos 130 × 170", "PCE", "V3", 59.00, 27.00, "MAIS", True, True),
    ("SECAT", "Sécateur à lame franche", "PCE", "V3", 24.90, 11.20, "JARD", True, True),
    ("ARROS10", "Arrosoir galvanisé 10 L", "PCE", "V3", 29.90, 13.50, "JARD", True, True),
    ("TERR40", "Terreau universel 40 L", "PCE", "V2", 8.90, 4.20, "JARD", True, True),
    ("COFCOE", "Coffret « Cœur de cuvée » 3 × 75 cl", "UNI", "V3", 39.00, 21.00, "VIN", True, True),
    ("PUBTAB", "Tablier sommelier brodé VIGNE", "UNI", "V3", 18.00, 7.50, "PUB", True, True),
    ("PUBTIR", "Tire-bouchon limonadier logo VIGNE", "UNI", "V3", 6.50, 2.20, "PUB", True, True),
    ("PUBCAT", "Catalogue automne-hiver", "UNI", "V3", 1.50, 0.60, "PUB", True, True),
    ("SECATV1", "Sécateur ancien modèle", "PCE", "V3", 19.90, 9.80, "JARD", False, False),
    ("COFNOEL", "Coffret de Noël œnologie", "UNI", "V3", None, 22.00, "VIN", True, True),
]

# CSV connector: shop SKUs (external code, variant) for core articles; ARRO deliberately absent.
CORE_CSV_SKUS: dict[str, list[tuple[str, str]]] = {
    "AOPVEMA15B": [("AOPVEMA15B", "")], "BECH": [("BECH", "")], "CUEIL": [("CUEIL", "")],
    "COUSS": [("COUSSIN-DECO", "Rouge"), ("COUSSIN-DECO", "Bleu nuit"), ("COUSSIN-DECO", "Lin naturel")],
    "MIEL": [("MIEL-250", "")], "CHAB22": [("VIN-CHAB-2022", "")], "CDR21R": [("VIN-CDR-2021-R", "")],
    "CREMBR": [("BUL-CREM-BRUT", "")], "HUILE50": [("EPI-HUILE-50", "")], "TAPEN": [("EPI-TAPEN-90", "")],
    "CONFIG": [("EPI-CONF-FIGUE", "")], "BOUGFIG": [("DECO-BOUGIE", "Figuier")], "PLAID": [("DECO-PLAID", "Gris")],
    "SECAT": [("JAR-SECAT", "")], "ARROS10": [("JAR-ARROSOIR-10", "")], "TERR40": [("JAR-TERREAU-40", "")],
    "COFCOE": [("COF-COEUR", "")], "COFNOEL": [("COF-NOEL", "")],
    # Stale on purpose: points to an article put in sommeil (COR-STALE / ART-INACTIF).
    "SECATV1": [("JAR-SECAT-V1", "")],
}

# Product name parts per family, combined by the generator.
PRODUCT_PARTS: dict[str, tuple[list[str], list[str]]] = {
    "VIN": (["Bordeaux supérieur", "Saint-Émilion grand cru", "Côtes de Provence rosé", "Sancerre blanc",
             "Chinon rouge", "Morgon", "Gigondas", "Pouilly-Fumé", "Muscadet sur lie", "Cahors Malbec",
             "Madiran", "Alsace Gewurztraminer", "Bourgogne Pinot noir", "Vacqueyras", "Pic Saint-Loup",
             "Jurançon sec", "Graves blanc", "Côtes du Roussillon", "Minervois", "Saumur-Champigny"],
            ["2018 75 cl", "2019 75 cl", "2020 75 cl", "2021 75 cl", "2022 75 cl", "2023 75 cl",
             "2020 Magnum 150 cl", "2022 37,5 cl"]),
    "EFF": (["Crémant d’Alsace", "Crémant de Loire", "Champagne brut", "Champagne rosé", "Blanquette de Limoux",
             "Clairette de Die", "Vouvray pétillant", "Cidre brut fermier"],
            ["75 cl", "extra-brut 75 cl", "millésimé 75 cl", "Magnum 150 cl"]),
    "SPIR": (["Cognac", "Armagnac", "Calvados Pays d’Auge", "Eau-de-vie de poire", "Liqueur de cassis",
              "Marc de Bourgogne", "Rhum arrangé", "Pastis artisanal"], ["VS 70 cl", "VSOP 70 cl", "XO 70 cl",
                                                                      "hors d’âge 50 cl", "35 cl"]),
    "EPIC": (["Miel de lavande", "Miel d’acacia", "Confiture d’abricots", "Gelée de coings", "Terrine de canard",
              "Rillettes de thon", "Moutarde à l’ancienne", "Vinaigre de cidre", "Sablés pur beurre",
              "Calissons d’Aix", "Pâte de fruits", "Nougat de Montélimar", "Fleur de sel de Guérande",
              "Crème de marrons", "Tapenade verte", "Caramel au beurre salé"],
             ["90 g", "125 g", "180 g", "250 g", "340 g", "500 g", "50 cl"]),
    "JARD": (["Bêche inox", "Râteau à gazon", "Sécateur de précision", "Arrosoir plastique", "Tuyau d’arrosage",
              "Gants de jardinage", "Graines de tomate cœur de bœuf", "Graines de radis", "Jardinière en terre cuite",
              "Pot en grès", "Serfouette", "Binette", "Terreau horticole", "Paillage de lin", "Nichoir à mésanges"],
             ["taille S", "taille M", "taille L", "15 m", "25 m", "5 L", "20 L", "Ø 30 cm", "Ø 45 cm"]),
    "SERV": (["Taille de haies", "Tonte de pelouse", "Désherbage manuel", "Entretien de massifs",
              "Ramassage de feuilles", "Plantation d’arbustes"], ["(heure)", "forfait 1 h", "(heure, week-end)"]),
    "MAIS": (["Coussin velours", "Plaid en coton", "Bougie parfumée", "Nappe enduite", "Torchon en lin",
              "Set de table", "Vase en céramique", "Photophore", "Panier en osier", "Dessous de plat"],
             ["45 × 45 cm", "140 × 240 cm", "lot de 2", "vert sauge", "terracotta", "bleu canard", "naturel"]),
    "PUB": (["Carton 6 bouteilles logo", "Sac kraft VIGNE", "Présentoir comptoir", "Affiche dégustation",
             "Verre à dégustation gravé", "Carnet de cave", "Ardoise de prix"],
            ["lot de 10", "lot de 50", "A3", "A2", "unité"]),
}

CIVILITES_M = "M."
CIVILITES_F = ["Mme", "Mme", "Mme", "Mlle"]

PRENOMS_M = [
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe", "Frédéric", "Éric",
    "Laurent", "Stéphane", "Olivier", "Thierry", "Julien", "David", "Sébastien", "Jérôme", "François", "Loïc",
    "Hervé", "Benoît", "Guillaume", "Antoine", "Mathieu", "Raphaël", "Noël", "Gaël", "Joël", "Cédric", "Hugo",
    "Lucas", "Théo", "Maxime", "Bruno", "Didier", "Yves", "Gérard", "Rémi", "Damien", "Anthony", "Kévin",
    "Jérémy", "Aurélien", "Grégory", "Ludovic", "Mickaël", "Bertrand", "Clément", "Étienne",
]
PRENOMS_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Christine", "Sandrine",
    "Céline", "Stéphanie", "Véronique", "Sophie", "Émilie", "Aurélie", "Hélène", "Agnès", "Chloé", "Zoé",
    "Anaïs", "Gaëlle", "Maëlle", "Léa", "Manon", "Camille", "Julie", "Laure", "Élodie", "Mélanie", "Virginie",
    "Béatrice", "Brigitte", "Danièle", "Geneviève", "Josiane", "Noémie", "Océane", "Inès", "Clémence",
    "Margaux", "Pauline", "Delphine", "Karine", "Laëtitia", "Solène", "Françoise", "Jocelyne", "Ghislaine",
]
NOMS = [
    "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petitjean", "Durand", "Leroy", "Moreau", "Simon",
    "Michaud", "Lefèvre", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girault",
    "Mercier", "Dupont", "Lambert", "Bonnet", "Martinez", "Legrand", "Garnier", "Faure", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez",
    "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval",
    "Joly", "Roger", "Roche", "Roy", "Meyer", "Lucas", "Meunier", "Pérez", "Dufour", "Blanchard", "Barbier",
    "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandes", "Renard", "Arnaud", "Rolland",
    "Caron", "Aubert", "Giraud", "Leclercq", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard",
    "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodrigues", "Da Silva", "Hubert", "Guillot", "Rivière",
    "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Ménard", "Fleury",
    "Deschamps", "Julien", "Benoît", "Maillard", "Marchal", "Aubry", "Jacquet", "Collet", "Prévost",
    "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons", "Laine", "Carré", "Breton", "Rémy",
    "Schneider", "Perrot", "Guyot", "Barré", "Marty", "Cousin", "Le Goff", "Kerbrat", "Delattre", "Dhondt",
    "Vandenbussche", "Wallet", "Deleplanque", "Cœuret", "Lebœuf", "Descamps", "Hennebelle", "Delcroix",
    "Castelli", "Orsini", "Santoni", "Ferrand", "Tessier", "Besnard", "Chauvin", "Bouvier", "Lejeune",
    "Hamon", "Marechal", "Carlier", "Hoarau", "Payet", "Grondin", "Étienne", "Weber", "Klein", "Becker",
]

# (code postal, ville); Nord / Pas-de-Calais listed twice to weight the shop's region.
_NORD = [
    ("59000", "Lille"), ("59100", "Roubaix"), ("59200", "Tourcoing"), ("59300", "Valenciennes"),
    ("59400", "Cambrai"), ("59500", "Douai"), ("59140", "Dunkerque"), ("59650", "Villeneuve-d’Ascq"),
    ("59700", "Marcq-en-Barœul"), ("59130", "Lambersart"), ("59170", "Croix"), ("62000", "Arras"),
    ("62300", "Lens"), ("62100", "Calais"), ("62200", "Boulogne-sur-Mer"), ("62400", "Béthune"),
    ("62500", "Saint-Omer"), ("62700", "Bruay-la-Buissière"), ("62800", "Liévin"), ("62110", "Hénin-Beaumont"),
]
CITIES: list[tuple[str, str]] = _NORD * 2 + [
    ("80000", "Amiens"), ("60000", "Beauvais"), ("02100", "Saint-Quentin"), ("75003", "Paris"),
    ("75011", "Paris"), ("75015", "Paris"), ("75017", "Paris"), ("75020", "Paris"), ("92100", "Boulogne-Billancourt"),
    ("92200", "Neuilly-sur-Seine"), ("93100", "Montreuil"), ("94300", "Vincennes"), ("78000", "Versailles"),
    ("91300", "Massy"), ("95000", "Cergy"), ("77300", "Fontainebleau"), ("69001", "Lyon"), ("69003", "Lyon"),
    ("69100", "Villeurbanne"), ("13001", "Marseille"), ("13008", "Marseille"), ("13100", "Aix-en-Provence"),
    ("06000", "Nice"), ("06400", "Cannes"), ("83000", "Toulon"), ("84000", "Avignon"), ("34000", "Montpellier"),
    ("30000", "Nîmes"), ("31000", "Toulouse"), ("33000", "Bordeaux"), ("33500", "Libourne"), ("64000", "Pau"),
    ("64200", "Biarritz"), ("64100", "Bayonne"), ("44000", "Nantes"), ("49000", "Angers"), ("35000", "Rennes"),
    ("29200", "Brest"), ("56000", "Vannes"), ("14000", "Caen"), ("76000", "Rouen"), ("76600", "Le Havre"),
    ("37000", "Tours"), ("45000", "Orléans"), ("21000", "Dijon"), ("21200", "Beaune"), ("51100", "Reims"),
    ("51200", "Épernay"), ("67000", "Strasbourg"), ("68000", "Colmar"), ("57000", "Metz"), ("54000", "Nancy"),
    ("25000", "Besançon"), ("38000", "Grenoble"), ("73000", "Chambéry"), ("74000", "Annecy"),
    ("63000", "Clermont-Ferrand"), ("87000", "Limoges"), ("86000", "Poitiers"), ("17000", "La Rochelle"),
    ("16100", "Cognac"), ("24000", "Périgueux"), ("46000", "Cahors"), ("11000", "Carcassonne"),
    ("66000", "Perpignan"), ("26000", "Valence"), ("42000", "Saint-Étienne"), ("71000", "Mâcon"),
    ("89000", "Auxerre"), ("89800", "Chablis"), ("18000", "Bourges"), ("41000", "Blois"), ("72000", "Le Mans"),
    ("53000", "Laval"), ("85000", "La Roche-sur-Yon"), ("79000", "Niort"), ("19100", "Brive-la-Gaillarde"),
    ("12000", "Rodez"), ("81000", "Albi"), ("82000", "Montauban"), ("65000", "Tarbes"), ("09000", "Foix"),
    ("05000", "Gap"), ("84100", "Orange"), ("13200", "Arles"), ("34500", "Béziers"), ("47000", "Agen"),
    ("32000", "Auch"), ("40000", "Mont-de-Marsan"),
]
CORSE: list[tuple[str, str]] = [("20000", "Ajaccio"), ("20200", "Bastia"), ("20260", "Calvi"),
                                ("20137", "Porto-Vecchio")]
DOM: list[tuple[str, str]] = [("97100", "Basse-Terre"), ("97110", "Pointe-à-Pitre"), ("97200", "Fort-de-France"),
                              ("97400", "Saint-Denis"), ("97410", "Saint-Pierre"), ("97300", "Cayenne")]

# (pays, code postal, ville, indicatif) for the few foreign customers.
FOREIGN: list[tuple[str, str, str, str]] = [
    ("BE", "1000", "Bruxelles", "+32"), ("BE", "4000", "Liège", "+32"), ("BE", "7500", "Tournai", "+32"),
    ("DE", "10115", "Berlin", "+49"), ("DE", "50667", "Köln", "+49"), ("IT", "20121", "Milano", "+39"),
    ("ES", "08001", "Barcelona", "+34"), ("NL", "1012 AB", "Amsterdam", "+31"), ("LU", "1111", "Luxembourg", "+352"),
    ("CH", "1201", "Genève", "+41"), ("GB", "SW1A 1AA", "London", "+44"),
]

# Local legal form and street pattern of the foreign customers.
FOREIGN_STYLE: dict[str, tuple[str, str]] = {
    "BE": ("SRL", "Rue Neuve {n}"), "DE": ("GmbH", "Hauptstraße {n}"), "IT": ("S.r.l.", "Via Roma {n}"),
    "ES": ("S.L.", "Carrer de Balmes {n}"), "NL": ("B.V.", "Keizersgracht {n}"), "LU": ("S.à r.l.", "Grand-Rue {n}"),
    "CH": ("Sàrl", "Rue du Rhône {n}"), "GB": ("Ltd", "{n} High Street"),
}

STREET_TYPES = ["rue", "rue", "rue", "avenue", "boulevard", "place", "impasse", "allée", "chemin", "route", "quai"]
STREET_NAMES = [
    "de la République", "Victor Hugo", "Jean Jaurès", "des Lilas", "du Moulin", "de la Gare", "Pasteur",
    "du Général de Gaulle", "Gambetta", "de l’Église", "des Écoles", "Nationale", "du Château", "des Tilleuls",
    "Émile Zola", "Jules Ferry", "de Verdun", "du 8 Mai 1945", "Foch", "Carnot", "Voltaire", "de Paris",
    "des Vignes", "du Stade", "des Peupliers", "Léon Blum", "Saint-Exupéry", "de la Liberté", "des Acacias",
    "du Maréchal Leclerc", "Anatole France", "des Fontaines", "du Port", "des Roses", "d’Alsace-Lorraine",
]
ADRESSE2 = ["Bât. B", "Appt 12", "Résidence Les Tilleuls", "BP 45", "Lieu-dit La Croix", "3e étage",
            "Escalier C", "ZA du Moulin", "Parc d’activités Les Prés"]

EMAIL_DOMAINS = ["orange.fr", "free.fr", "gmail.com", "wanadoo.fr", "laposte.net", "sfr.fr", "hotmail.fr",
                 "yahoo.fr", "outlook.fr", "gmail.com", "gmail.com", "orange.fr"]

LEGAL_FORMS = ["SARL", "SARL", "SAS", "SAS", "SASU", "EURL", "SA", "SCEA", "EARL", "SNC", "EI"]
COMPANY_PATTERNS = [
    "Cave {nom}", "Domaine {nom}", "Boulangerie {nom}", "Épicerie fine {nom}", "{nom} & Fils", "Jardins {nom}",
    "Pépinières {nom}", "Restaurant Le {lieu}", "Hôtel du {lieu}", "Les Vergers de {ville}", "Caviste {nom}",
    "Traiteur {nom}", "Fleurs {nom}", "Bistrot du {lieu}", "Comptoir de {ville}", "Paysages {nom}",
    "Maison {nom}", "Au Panier de {ville}", "Le Cellier de {ville}", "Ferme {nom}",
]
LIEUX = ["Marché", "Port", "Vieux Moulin", "Lion d’Or", "Cheval Blanc", "Beffroi", "Parc", "Canal", "Pressoir",
         "Beau Site", "Grand Cerf", "Cep d’Or", "Soleil", "Tilleul"]
FONCTIONS = ["Gérant", "Gérante", "Comptable", "Responsable achats", "Chef de cuisine", "Sommelier",
             "Assistante de direction", "Directeur", "Responsable magasin"]
