"""The planted GC data of the demo: seed tiers, duplicate patterns and price-grid anomalies.

Fixed codes and refs, independent of the seed, so that ``data/README.md`` can name
each case; :mod:`econn.demo.gen` adds the random bulk around them.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

from stdnum import luhn

Row = dict[str, Any]

TIERS_COLUMNS = [
    "code", "type", "societe", "civilite", "nom", "prenom", "email", "telephone", "mobile", "adresse1",
    "adresse2", "code_postal", "ville", "pays", "siret", "tva_intra", "famille", "categorie_tarifaire", "actif",
    "origin", "created_at",
]


def fold(text: str) -> str:
    """ASCII, lower-case form of a French string (œ → oe, accents dropped), for codes and e-mails."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("’", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def ean13(rng: random.Random) -> str:
    """A French (GS1 376) EAN-13 with its check digit."""
    body = "376" + "".join(rng.choice("0123456789") for _ in range(9))
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def siren_from(digits8: str) -> str:
    """A SIREN (8 digits + Luhn key)."""
    return digits8 + luhn.calc_check_digit(digits8)


def siret_from(siren: str, nic4: str) -> str:
    """A SIRET: SIREN + 4-digit NIC + Luhn key over the 14 digits."""
    return siren + nic4 + luhn.calc_check_digit(siren + nic4)


def tva_fr(siren: str) -> str:
    """French intra-EU VAT number of a SIREN (key = (12 + 3 × (SIREN mod 97)) mod 97)."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"



def tiers_row(code: str, **kw: Any) -> Row:
    """A tiers row with the GC defaults (French private customer, active, created in the GC)."""
    row: Row = dict.fromkeys(TIERS_COLUMNS)
    row.update(code=code, type="client", pays="FR", actif=True, origin="gc", famille="PARTF",
               categorie_tarifaire="TTC")
    row.update(kw)
    return row



def planted_tiers() -> list[Row]:
    """Seed tiers, the fixed customers of the incoming files and the planted duplicate patterns."""
    s_jardi = siret_from(siren_from("51234876"), "0001")
    siren_cave = siren_from("43298765")
    pro = {"famille": "PRO", "categorie_tarifaire": "HT"}
    return [
        # The seed manual's tiers.
        tiers_row("RYCMI", civilite="M.", nom="DE RYCKE", prenom="MICHEL", email="michel.derycke@orange.fr",
           telephone="03 21 77 45 12", adresse1="15 rue Jean Jaurès", code_postal="62880", ville="PONT A VENDIN"),
        tiers_row("ANDPA", civilite="M.", nom="ANDRE", prenom="Patrick", email="patrick.andre@wanadoo.fr",
           mobile="06 84 22 17 35", adresse1="4 rue Pasteur", code_postal="59950", ville="Auby"),
        tiers_row("GUEPI", civilite="M.", nom="Guenand", prenom="PIERRE", email="pierre.guenand@free.fr",
           mobile="0641215874", adresse1="27 avenue de la République", code_postal="62000", ville="Lens"),
        tiers_row("PROSPEC", nom="Prospect", adresse1="Boutique en ligne", code_postal="59000", ville="Lille"),
        tiers_row("BERTH", type="fournisseur", civilite="M.", nom="Berthet", prenom="Thomas", famille="FOUR",
           categorie_tarifaire=None, email="thomas.berthet@domaine-berthet.fr", telephone="03 80 22 41 07",
           adresse1="2 route des Grands Crus", code_postal="21200", ville="Beaune"),
        tiers_row("BERTH01", civilite="M.", nom="Berthet", prenom="Thomas", email="thomas.berthet@domaine-berthet.fr",
           telephone="03 80 22 41 07", adresse1="2 route des Grands Crus", code_postal="21200", ville="Beaune",
           origin="reception"),
        # Customers of the incoming files.
        tiers_row("HUBOL", civilite="M.", nom="Hubert", prenom="Olivier", email="olivier.hubert@sfr.fr",
           mobile="06 20 48 71 93", adresse1="31 rue de l’Église", code_postal="59130", ville="Lambersart"),
        tiers_row("OENOT", societe="SARL Œnothèque du Vieux-Lille", email="contact@oenotheque-vieuxlille.fr",
           telephone="03 20 51 62 08", adresse1="12 rue de la Monnaie", code_postal="59800", ville="Lille",
           siret=siret_from(siren_from("80412345"), "0001"), famille="REV", categorie_tarifaire="REV"),
        tiers_row("VANKO", civilite="M.", nom="Van den Berghe", prenom="Koen", email="koen.vandenberghe@telenet.be",
           mobile="+32 475 12 34 56", adresse1="Rue Royale 112", code_postal="1000", ville="Bruxelles", pays="BE"),
        tiers_row("DEVAN", civilite="Mme", nom="de Vries", prenom="Anouk", email="anouk.devries@ziggo.nl",
           mobile="+31 6 12 48 90 37", adresse1="Herengracht 402", code_postal="1017 BX", ville="Amsterdam",
           pays="NL"),
        tiers_row("VASTH", civilite="M.", nom="Vasseur", prenom="Thierry", email="thierry.vasseur@wanadoo.fr",
           telephone="03 21 68 20 44", adresse1="7 place Lamartine", code_postal="62400", ville="Béthune"),
        tiers_row("CARNA", civilite="Mme", nom="Carpentier", prenom="Nadine", email="nadine.carpentier@orange.fr",
           mobile="06 72 18 44 90", adresse1="18 rue des Otages", code_postal="80000", ville="Amiens"),
        tiers_row("FONEM", civilite="Mme", nom="Fontaine", prenom="Émilie", email="emilie.fontaine@gmail.com",
           mobile="06 33 41 20 17", adresse1="14 rue Gambetta", code_postal="59800", ville="Lille"),
        tiers_row("LEGMA", civilite="Mme", nom="Legendre", prenom="Martine", email="martine.legendre@laposte.net",
           mobile="07 81 26 53 40", adresse1="3 rue Chabot-Charny", code_postal="21000", ville="Dijon"),
        # CLI-DUP-EMAIL: one person, e-mail differing by case and spaces.
        tiers_row("LEFHE", civilite="Mme", nom="Lefebvre", prenom="Hélène", email="helene.lefebvre@orange.fr",
           mobile="06 45 87 12 30", adresse1="9 rue des Écoles", code_postal="59000", ville="Lille"),
        tiers_row("LEFHE01", civilite="Mme", nom="Lefebvre", prenom="Hélène", email=" Helene.Lefebvre@Orange.FR ",
           adresse1="9 rue des Ecoles", code_postal="59000", ville="Lille"),
        # CLI-DUP-TEL: one mobile written 06…, +33 6…, 0033 6… (moved twice, new e-mail each time).
        tiers_row("MARJU", civilite="M.", nom="Marchand", prenom="Julien", email="julien.marchand@gmail.com",
           mobile="06 12 34 56 78", adresse1="40 boulevard Voltaire", code_postal="75011", ville="Paris"),
        tiers_row("MARJU01", civilite="M.", nom="Marchand", prenom="Julien", email="j.marchand@free.fr",
           mobile="+33 6 12 34 56 78", adresse1="5 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
        tiers_row("MARJU02", civilite="M.", nom="Marchand", prenom="Julien", email="julien.marchand33@laposte.net",
           mobile="0033 6 12 34 56 78", adresse1="22 cours de l’Intendance", code_postal="33000", ville="Bordeaux"),
        # CLI-DUP-SIRET (E): the same SIRET twice.
        tiers_row("JARDI", societe="SARL Les Jardins de Provence", email="contact@jardins-provence.fr",
           telephone="04 42 27 51 66", adresse1="145 avenue Victor Hugo", code_postal="13100",
           ville="Aix-en-Provence", siret=s_jardi, tva_intra=tva_fr(s_jardi[:9]), **pro),
        tiers_row("JARDI01", societe="Les Jardins de Provence", email="commandes@jardins-provence.fr",
           telephone="04 42 27 51 66", adresse1="145 av. Victor Hugo", code_postal="13100",
           ville="Aix-en-Provence", siret=s_jardi, **pro),
        # CLI-DUP-SIRET (A, not a duplicate): two establishments of one company.
        tiers_row("CAVDU", societe="SAS Cave Dupont Frères", email="bordeaux@cave-dupont.fr", telephone="05 56 44 18 20",
           adresse1="8 rue Sainte-Catherine", code_postal="33000", ville="Bordeaux",
           siret=siret_from(siren_cave, "0001"), tva_intra=tva_fr(siren_cave), famille="REV",
           categorie_tarifaire="REV"),
        tiers_row("CAVDU01", societe="SAS Cave Dupont Frères – Libourne", email="libourne@cave-dupont.fr",
           telephone="05 57 51 20 09", adresse1="31 quai du Priourat", code_postal="33500", ville="Libourne",
           siret=siret_from(siren_cave, "0002"), tva_intra=tva_fr(siren_cave), famille="REV",
           categorie_tarifaire="REV"),
        # CLI-DUP-NOMCP: same name and postcode, one record without e-mail.
        tiers_row("ROUBE", civilite="M.", nom="Rousseau", prenom="Bernard", email="bernard.rousseau@free.fr",
           mobile="06 58 02 93 17", adresse1="3 place du Théâtre", code_postal="59000", ville="Lille"),
        tiers_row("ROUBE01", civilite="M.", nom="Rousseau", prenom="Bernard", telephone="03 20 55 14 78",
           adresse1="3 pl. du Théâtre", code_postal="59000", ville="Lille"),
        # CLI-FUZZ: typo + missing accent + bd/boulevard.
        tiers_row("GIRST", civilite="M.", nom="Girard", prenom="Stéphane", email="s.girard@orange.fr",
           mobile="06 11 72 84 35", adresse1="12 boulevard des Anglais", code_postal="44000", ville="Nantes"),
        tiers_row("GIRST01", civilite="M.", nom="Girrard", prenom="Stephane", email="stephane.girrard@gmail.com",
           adresse1="12 bd des Anglais", code_postal="44000", ville="Nantes"),
        # CLI-FUZZ: first and last names swapped, av./avenue.
        tiers_row("LAUNI", civilite="M.", nom="Laurent", prenom="Nicolas", email="nicolas.laurent@sfr.fr",
           telephone="03 26 47 85 21", adresse1="27 avenue Foch", code_postal="51100", ville="Reims"),
        tiers_row("NICLA", civilite="M.", nom="Nicolas", prenom="Laurent", email="laurent.nicolas51@gmail.com",
           adresse1="27 av. Foch", code_postal="51100", ville="Reims"),
        # CLI-FUZZ: œ ligature vs « oe », accents dropped.
        tiers_row("LOEAG", civilite="Mme", nom="Lœuillet", prenom="Agnès", email="agnes.loeuillet@wanadoo.fr",
           mobile="06 74 30 52 18", adresse1="5 allée des Acacias", code_postal="59700", ville="Marcq-en-Barœul"),
        tiers_row("LOEAG01", civilite="Mme", nom="Loeuillet", prenom="Agnes", email="a.loeuillet@free.fr",
           adresse1="5 allee des Acacias", code_postal="59700", ville="Marcq-en-Baroeul"),
        # Households (NOT duplicates): same surname and address, shared landline / family e-mail.
        tiers_row("DUBMA", civilite="M.", nom="Dubois", prenom="Marc", email="marc.dubois@orange.fr",
           telephone="03 21 45 67 89", mobile="06 27 81 40 56", adresse1="8 rue des Lilas", code_postal="62300",
           ville="Lens"),
        tiers_row("DUBCL", civilite="Mme", nom="Dubois", prenom="Claire", email="claire.dubois62@gmail.com",
           telephone="03 21 45 67 89", mobile="07 66 12 09 84", adresse1="8 rue des Lilas", code_postal="62300",
           ville="Lens"),
        tiers_row("PETLU", civilite="M.", nom="Petit", prenom="Lucas", email="famille.petit@free.fr",
           mobile="06 40 18 27 63", adresse1="21 chemin du Moulin", code_postal="35000", ville="Rennes"),
        tiers_row("PETSO", civilite="Mme", nom="Petit", prenom="Sophie", email="famille.petit@free.fr",
           mobile="06 98 15 34 72", adresse1="21 chemin du Moulin", code_postal="35000", ville="Rennes"),
        # Namesakes (NOT duplicates): Jean Martin in three cities.
        tiers_row("MARJE", civilite="M.", nom="Martin", prenom="Jean", email="jean.martin13@gmail.com",
           mobile="06 03 52 71 48", adresse1="10 rue Paradis", code_postal="13001", ville="Marseille"),
        tiers_row("MARJE01", civilite="M.", nom="Martin", prenom="Jean", email="jmartin@orange.fr",
           telephone="03 88 32 14 70", adresse1="4 quai des Bateliers", code_postal="67000", ville="Strasbourg"),
        tiers_row("MARJE02", civilite="M.", nom="Martin", prenom="Jean", email="jean.martin.31@free.fr",
           mobile="07 58 44 20 13", adresse1="19 rue d’Alsace-Lorraine", code_postal="31000", ville="Toulouse"),
        # CLI-SHARED: unrelated companies sharing their accountant's e-mail.
        tiers_row("GARMO", societe="SARL Garage Moreau", email="compta@cabinet-lefort.fr", telephone="03 22 91 40 35",
           adresse1="56 route de Paris", code_postal="80000", ville="Amiens",
           siret=siret_from(siren_from("39187654"), "0001"), **pro),
        tiers_row("FLEAU", societe="EURL Fleurs d’Aurélie", email="compta@cabinet-lefort.fr", telephone="03 44 45 12 87",
           adresse1="2 rue Carnot", code_postal="60000", ville="Beauvais",
           siret=siret_from(siren_from("82056431"), "0001"), **pro),
        # CLI-INVALID: bad e-mail, SIRET failing Luhn, unparsable phone.
        tiers_row("ROCJP", civilite="M.", nom="Roche", prenom="Jean-Paul", email="jp.roche@@orange.fr",
           mobile="06 52 14 87 30", adresse1="6 rue Voltaire", code_postal="42000", ville="Saint-Étienne"),
        tiers_row("BOUCH", societe="SAS Boucherie Chevalier", email="boucherie.chevalier@orange.fr",
           telephone="02 41 87 22 65", adresse1="15 rue Lenepveu", code_postal="49000", ville="Angers",
           siret="12345678900011", **pro),
        tiers_row("MEUAN", civilite="Mme", nom="Meunier", prenom="Annie", email="annie.meunier@laposte.net",
           mobile="06 12 34", adresse1="2 impasse des Roses", code_postal="86000", ville="Poitiers"),
        # A tiers in sommeil.
        tiers_row("DELGE", civilite="M.", nom="Delorme", prenom="Gérard", email="gerard.delorme@wanadoo.fr",
           telephone="04 75 41 09 26", adresse1="11 rue Pasteur", code_postal="26000", ville="Valence", actif=False),
    ]


PLANTED_NAMES = {fold(n) for n in ("Hubert", "Legendre", "Lefebvre", "Marchand", "Rousseau", "Girard", "Laurent",
                                   "Nicolas", "Dubois", "Petit", "Martin", "Roche", "Meunier", "Delorme",
                                   "Fontaine", "Carpentier", "Vasseur", "Lœuillet", "Berthet", "Guenand", "Andre",
                                   "Ménard", "Leclercq", "Girault")}
# Contact data of the new customers in the incoming files: never generated, so they stay unmatched.
RESERVED_EMAILS = {"e.fontaine59@laposte.net", "nadine.c80@gmail.com", "paul.menard@troischenes.fr",
                   "zoe.lebreton@gmail.com", "thierry.vasseur@wanadoo.fr"}
RESERVED_PHONES = {"745196208", "380245510", "681274395", "672184490"}
# Names the incoming files use for new customers: never generated, so they stay new.
RESERVED_FILE_NAMES = {fold(n) for n in ("Ménard", "Lebreton", "Fontaine")}



def planted_grids(today: dt.date) -> list[Row]:
    """Price rules with one planted anomaly each (refs TF8000xx, listed in data/README.md)."""
    d = dt.timedelta

    def g(ref: str, source: str, article: str, cat: str | None = None, client: str | None = None,
          qte: float = 1, prix: float | None = None, remise: float | None = None,
          debut: dt.date | None = None, fin: dt.date | None = None) -> Row:
        return {"ref": ref, "source": source, "article": article, "categorie_tarifaire": cat, "client": client,
                "qte_min": qte, "prix_ht": prix, "remise_pct": remise, "date_debut": debut, "date_fin": fin}

    return [
        g("TF800001", "palier_clitar", "COUSS", "REV", prix=15.90),                       # PRIX-DUP
        g("TF800002", "palier_clitar", "COUSS", "REV", prix=15.90),                       # PRIX-DUP
        g("TF800003", "palier_clitar", "MIEL", "REV", prix=5.20),                         # PRIX-CONFLIT
        g("TF800004", "famcli_prodfam", "MIEL", "REV", remise=65),                        # PRIX-CONFLIT
        g("TF800005", "palier_clitar", "BECH", "GROS", prix=26.00,
          debut=today - d(120), fin=today + d(60)),                                       # PRIX-CHEV
        g("TF800006", "palier_clitar", "BECH", "GROS", prix=25.00,
          debut=today - d(30), fin=today + d(180)),                                       # PRIX-CHEV
        g("TF800007", "palier_clitar", "CHAB22", "REV", prix=12.90,
          debut=today + d(30), fin=today - d(30)),                                        # PRIX-DATES
        g("TF800008", "palier_clitar", "CREMBR", "GROS", prix=9.90,
          debut=today - d(400), fin=today - d(40)),                                       # PRIX-EXPIRE
        g("TF800009", "cli_prod", "TAPEN", client="OENOT", prix=-4.50),                   # PRIX-NEG
        g("TF800010", "cli_prod", "HUILE50", client="OENOT", prix=-1, remise=10),         # −1 sentinel: fine
        g("TF800011", "palier_clitar", "CONFIG", "GROS", prix=0),                         # PRIX-ZERO
        g("TF800012", "famcli_prod", "BOUGFIG", "REV", remise=120),                       # PRIX-REM > 100
        g("TF800013", "famcli_prod", "PLAID", "REV", remise=-5),                          # PRIX-REM ≤ 0
        g("TF800014", "cli_prod", "AOPVEMA15B", client="CAVDU", prix=6.90),               # PRIX-COUT (PA 7,80)
        g("TF800015", "palier_clitar", "SECAT", "GROS", qte=1, prix=21.00),               # PRIX-PALIER
        g("TF800016", "palier_clitar", "SECAT", "GROS", qte=10, prix=19.50),              # PRIX-PALIER
        g("TF800017", "palier_clitar", "SECAT", "GROS", qte=50, prix=22.50),              # PRIX-PALIER (rises)
        g("TF800018", "palier_clitar", "ZZ-INCONNU", "REV", prix=10.00),                  # PRIX-ORPH-ART unknown
        g("TF800019", "cli_prod", "ARROS10", client="CLI99999", prix=24.00),              # PRIX-ORPH-CLI
        g("TF800020", "palier_clitar", "TERR40", "VIP", prix=7.50),                       # PRIX-ORPH-GRP
        g("TF800021", "palier_clitar", "SECATV1", "REV", prix=16.00),                     # PRIX-ORPH-ART sommeil
        g("TF800022", "famcli_prod", "COFNOEL", "REV", remise=10),                        # PRIX-BASE (no prix_ht)
    ]
