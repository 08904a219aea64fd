"""Seeded generator of French customer tables with injected duplicates and hard negatives.

Each *entity* (a person or a company) gets one record; some entities get 1–3 more records (the
duplicates) altered by typos, swapped names, missing accents, œ/æ written oe/ae, reformatted
phones, abbreviated street types, married names, legal forms added or removed, missing fields or a
move. Hard negatives are separate entities built to look alike: households (same surname and
address, other first name, a shared landline or a family e-mail), namesakes in the same city or
elsewhere, and two establishments of one company (same SIREN, other SIRET).

Usage::

    python benchmarks/gen_customers.py --n 20000 --seed 7   # → benchmarks/out/customers_20000_7.parquet

The table has ``id, entity, kind, societe, civilite, nom, prenom, email, telephone, mobile, adresse,
code_postal, ville, pays, siret, tva, date_naissance``; ``entity`` is the ground-truth cluster id.
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from pathlib import Path

import pandas as pd

OUT = Path(__file__).parent / "out"

LAST = ("Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy "
        "Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
        "Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia "
        "Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont "
        "Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard "
        "Barbier Arnaud Martínez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
        "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet "
        "Rolland Leclercq Guillaume Lecomte López Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis "
        "Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier "
        "Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé "
        "Schneider Fernandez Le Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le Roux Cousin "
        "Germain Breton Besson Langlois Rémy Le Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal "
        "Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain "
        "Tessier Chevallier Collin Chauvin Da Silva Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud "
        "Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier "
        "Laporte Lœuillet Cœurdevey Bœuf Sœur Lætitia Vœlckel Œttinger").split(" ")
LAST = [x for x in LAST if x and x not in ("Le", "Da", "Gall", "Goff", "Silva")] + ["Le Gall", "Le Goff", "Da Silva"]
FIRST_M = ("Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger Robert Paul "
           "Claude Christian Henri Georges Nicolas François Patrick Gérard Christophe Joseph Julien Georges "
           "Thierry Laurent Stéphane Frédéric Éric David Olivier Pascal Sébastien Thomas Lucas Hugo Théo Noé "
           "Mathis Nathan Enzo Léo Gabriel Raphaël Arthur Maël Jérôme Cédric Benoît Hervé Yves Denis Marc "
           "Antoine Maxime Alexandre Romain Guillaume Vincent Loïc Grégoire Aurélien Anthony Kévin").split()
FIRST_F = ("Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Sylvie Anne Martine Christine Sophie "
           "Sandrine Valérie Céline Stéphanie Émilie Julie Camille Léa Manon Chloé Emma Inès Zoé Lola Jade "
           "Louise Alice Lina Agnès Hélène Élodie Aurélie Laetitia Clémence Margaux Océane Maëlle Noémie "
           "Brigitte Dominique Claire Florence Véronique Nadine Patricia Corinne Laurence Michèle Denise "
           "Danielle Pascale Christiane Éloïse Anaïs Gaëlle Cœline Lætitia Solène Mélanie Justine").split()
STREET_TYPES = {"rue": ["r.", "r", "rue"], "avenue": ["av.", "av", "ave"], "boulevard": ["bd", "bd.", "blvd"],
                "chemin": ["chem.", "ch."], "place": ["pl.", "pl"], "allée": ["all.", "allee"],
                "impasse": ["imp."], "route": ["rte"], "quai": ["qu."], "cours": ["crs"], "faubourg": ["fbg"]}
STREET_NAMES = ("de la République|Victor Hugo|Jean Jaurès|de Paris|du Général de Gaulle|Pasteur|des Écoles|"
                "de la Gare|du Moulin|des Lilas|Gambetta|Voltaire|de l'Église|du Château|des Acacias|Foch|"
                "Carnot|de la Mairie|des Tilleuls|Émile Zola|du Stade|des Jardins|de Verdun|Saint-Martin|"
                "des Anglais|du Marché|Nationale|de la Fontaine|des Peupliers|Anatole France|Jules Ferry|"
                "de Lattre de Tassigny|des Fleurs|du Port|de Strasbourg|des Vignes|Sœur Thérèse|du Cœur Volant|"
                "de Bretagne|de la Liberté|du 8 Mai 1945|des Roses|Ambroise Paré|Lamartine|de la Paix").split("|")
BIG_CITIES = [("75001", "Paris"), ("75011", "Paris"), ("75015", "Paris"), ("75018", "Paris"),
              ("69001", "Lyon"), ("69003", "Lyon"), ("13001", "Marseille"), ("13008", "Marseille"),
              ("31000", "Toulouse"), ("06000", "Nice"), ("44000", "Nantes"), ("67000", "Strasbourg"),
              ("34000", "Montpellier"), ("33000", "Bordeaux"), ("59000", "Lille"), ("35000", "Rennes"),
              ("51100", "Reims"), ("59700", "Marcq-en-Barœul"), ("42000", "Saint-Étienne"), ("76600", "Le Havre")]
SYL = "ber bo ca cha dre fon gau lan lor mar mon neu pon ran rou sal ser tor val vil fer gre mau bel pré".split()
COMPANY_WORDS = ("Jardins Cave Garage Boulangerie Atelier Domaine Fleurs Menuiserie Plomberie Transports "
                 "Pharmacie Librairie Boucherie Optique Électricité Maçonnerie Ferronnerie Œnothèque Épicerie "
                 "Couture Informatique Conseil Immobilier Coiffure Peinture Toiture Paysages Vignobles").split()
LEGAL = ["SARL", "SAS", "EURL", "EI", "SA", "SASU"]
PROVIDERS = ["gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "sfr.fr", "laposte.net", "yahoo.fr", "hotmail.fr"]


def _ascii(s: str) -> str:
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _slug(s: str) -> str:
    return "".join(c for c in _ascii(s).lower() if c.isalnum() or c in ".-")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _with_luhn(prefix: str) -> str:
    """Append the digit that makes ``prefix + d`` pass the Luhn check."""
    return next(prefix + str(d) for d in range(10) if _luhn_ok(prefix + str(d)))


class Gen:
    """Stateful generator: unique phones/e-mails/SIRENs, one RNG for reproducibility."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        r = self.r
        self.localities = list(BIG_CITIES)
        for dept in [f"{d:02d}" for d in range(1, 96) if d != 20]:
            for _ in range(18):
                name = "".join(r.choice(SYL) for _ in range(r.choice((2, 2, 3)))).capitalize()
                if r.random() < 0.25:
                    name = f"Saint-{name}" if r.random() < 0.5 else f"{name}-sur-{r.choice(SYL).capitalize()}"
                self.localities.append((f"{dept}{r.randrange(0, 999):03d}", name))
        # Long tail of surnames (France has ~1.3 M): syllable compounds beside the common ones.
        self.tail = list({("".join(r.choice(SYL) for _ in range(r.choice((2, 3, 3))))).capitalize()
                          for _ in range(40000)})
        weights = [40 if i < len(BIG_CITIES) else 1 for i in range(len(self.localities))]
        self.loc_cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.serial = 0
        self.emails: set[str] = set()

    def unique(self) -> int:
        self.serial += 1
        return self.serial

    def surname(self) -> str:
        r = self.r
        if r.random() < 0.55:
            i = min(int(r.paretovariate(1.1)) - 1, len(LAST) - 1)
            return LAST[i] if r.random() < 0.7 else r.choice(LAST)
        return r.choice(self.tail)

    def phone(self, mobile: bool) -> str:
        n = self.unique()
        head = self.r.choice("67") if mobile else self.r.choice("12345")
        return f"0{head}{(n * 7919 + 13) % 10**8:08d}"

    def fmt_phone(self, p: str | None) -> str | None:
        if not p:
            return p
        digits = "".join(c for c in p if c.isdigit())
        p = "0" + digits[4:] if digits.startswith("0033") else "0" + digits[2:] if len(digits) == 11 else digits
        r, d = self.r, p[1:]
        style = r.random()
        if style < 0.5:
            return " ".join([p[i:i + 2] for i in range(0, 10, 2)])
        if style < 0.65:
            return p
        if style < 0.75:
            return ".".join([p[i:i + 2] for i in range(0, 10, 2)])
        if style < 0.9:
            return "+33 " + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2))
        return "0033 " + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2))

    def address(self) -> str:
        r = self.r
        st = r.choice(list(STREET_TYPES)) if r.random() < 0.8 else "rue"
        return f"{r.randint(1, 180)}{' bis' if r.random() < 0.03 else ''} {st} {r.choice(STREET_NAMES)}"

    def email(self, fn: str, ln: str) -> str:
        """A new address: an e-mail belongs to one person (households share a family one on purpose)."""
        uid = self.unique()
        tail = uid % 1000 if self.r.random() < 0.5 else ""
        e = f"{_slug(fn)}.{_slug(ln).replace(' ', '')}{tail}@{self.r.choice(PROVIDERS)}"
        while e in self.emails:
            e = f"{_slug(fn)}.{_slug(ln).replace(' ', '')}{self.unique() % 10000}@{self.r.choice(PROVIDERS)}"
        self.emails.add(e)
        return e

    def person(self, entity: int, kind: str = "personne") -> dict:
        r = self.r
        female = r.random() < 0.5
        cp, city = r.choices(self.localities, cum_weights=self.loc_cum)[0]
        ln, fn = self.surname(), r.choice(FIRST_F if female else FIRST_M)
        email = self.email(fn, ln)
        return {"entity": entity, "kind": kind, "societe": None, "civilite": "Mme" if female else "M.", "nom": ln,
                "prenom": fn, "email": email if r.random() < 0.9 else None,
                "telephone": self.phone(False) if r.random() < 0.35 else None,
                "mobile": self.phone(True) if r.random() < 0.8 else None, "adresse": self.address(),
                "code_postal": cp, "ville": city, "pays": "FR", "siret": None, "tva": None,
                "date_naissance": f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1940, 2005)}"
                if r.random() < 0.6 else None}

    def company(self, entity: int, siren: str | None = None) -> dict:
        r = self.r
        cp, city = r.choices(self.localities, cum_weights=self.loc_cum)[0]
        name = f"{r.choice(COMPANY_WORDS)} {r.choice(['du', 'de', 'des']) if r.random() < 0.5 else ''} " \
               f"{self.surname() if r.random() < 0.6 else r.choice(SYL).capitalize() + r.choice(SYL)}"
        name = " ".join(name.split())
        siren = siren or _with_luhn(f"{(self.unique() * 104729 + 7) % 10**8:08d}")
        nic = f"{r.randint(1, 99):04d}"
        siret = _with_luhn(siren + nic)
        key = (12 + 3 * (int(siren) % 97)) % 97
        soc = f"{r.choice(LEGAL)} {name}" if r.random() < 0.6 else name
        return {"entity": entity, "kind": "societe", "societe": soc, "civilite": None, "nom": None, "prenom": None,
                "email": f"contact{self.unique() % 997}@{_slug(name.replace(' ', '-'))}.fr",
                "telephone": self.phone(False), "mobile": None, "adresse": self.address(), "code_postal": cp,
                "ville": city, "pays": "FR", "siret": siret if r.random() < 0.85 else None,
                "tva": f"FR{key:02d}{siren}" if r.random() < 0.5 else None, "date_naissance": None}

    # ---- duplicate alterations -------------------------------------------------------------
    def typo(self, s: str | None) -> str | None:
        if not s or len(s) < 4:
            return s
        r = self.r
        i = r.randrange(1, len(s) - 1)
        op = r.random()
        if op < 0.3:
            return s[:i] + s[i + 1:]
        if op < 0.55:
            return s[:i] + s[i] + s[i:]
        if op < 0.8:
            return s[:i] + r.choice("aeiourstnl") + s[i + 1:]
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]

    def duplicate(self, base: dict) -> dict:
        r = self.r
        d = dict(base)
        ops = r.sample(["typo", "swap", "accent", "phone", "street", "married", "legal", "missing", "case",
                        "move", "email"], r.choice((1, 2, 2, 3)))
        person = d["kind"] != "societe"
        for op in ops:
            if op == "typo":
                key = ("nom" if r.random() < 0.6 else "prenom") if person else "societe"
                d[key] = self.typo(d[key])
            elif op == "swap" and person:
                d["nom"], d["prenom"] = d["prenom"], d["nom"]
            elif op == "accent":
                for k in ("nom", "prenom", "societe", "adresse", "ville"):
                    d[k] = _ascii(d[k]) if d[k] else d[k]
            elif op == "phone":
                d["telephone"] = self.fmt_phone(base["telephone"])
                d["mobile"] = self.fmt_phone(base["mobile"])
            elif op == "street":
                for full, abbrs in STREET_TYPES.items():
                    if f" {full} " in d["adresse"]:
                        d["adresse"] = d["adresse"].replace(f" {full} ", f" {r.choice(abbrs)} ", 1)
                        break
            elif op == "married" and person and d["civilite"] == "Mme":
                d["nom"] = self.surname()
                if not (d["date_naissance"] or d["email"] or d["mobile"]):
                    d["mobile"] = base["mobile"] or self.phone(True)
                    base["mobile"] = d["mobile"]
                if r.random() < 0.3 and (d["email"] or d["mobile"]):  # married and moved: new landline too
                    d["adresse"], (d["code_postal"], d["ville"]) = self.address(), r.choice(self.localities)
                    d["telephone"] = None
            elif op == "legal" and not person:
                words = d["societe"].split()
                d["societe"] = " ".join(words[1:]) if words[0] in LEGAL else f"{r.choice(LEGAL)} {d['societe']}"
            elif op == "missing":
                for k in r.sample(["email", "telephone", "mobile", "date_naissance", "siret", "tva"], 2):
                    d[k] = None
            elif op == "case":
                d["nom"] = d["nom"].upper() if d["nom"] else d["nom"]
                d["societe"] = d["societe"].upper() if d["societe"] else d["societe"]
            elif op == "move" and (d["email"] or d["mobile"] or d["siret"]):
                d["adresse"] = self.address()
                d["code_postal"], d["ville"] = r.choice(self.localities)
                d["telephone"] = None
            elif op == "email" and d["email"]:
                d["email"] = "  " + d["email"].upper() + " " if r.random() < 0.5 else None
        if r.random() < 0.5:
            d["telephone"], d["mobile"] = self.fmt_phone(d["telephone"]), self.fmt_phone(d["mobile"])
        return d

    # ---- hard negatives ----------------------------------------------------------------------
    def household(self, base: dict, entity: int) -> dict:
        r = self.r
        other = self.person(entity, "foyer")
        for k in ("nom", "adresse", "code_postal", "ville"):
            other[k] = base[k]
        while _ascii(other["prenom"]).lower() == _ascii(base["prenom"] or "").lower():
            other["prenom"] = r.choice(FIRST_F + FIRST_M)
        other["email"] = self.email(other["prenom"], other["nom"])
        if r.random() < 0.6:
            base["telephone"] = base["telephone"] or self.phone(False)
            other["telephone"] = base["telephone"]
        else:
            base["email"] = base["email"] if r.random() < 0.3 and base["email"] else \
                f"famille.{_slug(base['nom'] or 'x').replace(' ', '')}{self.unique()}@{r.choice(PROVIDERS)}"
            other["email"] = base["email"]
        return other

    def namesake(self, base: dict, entity: int, same_city: bool) -> dict:
        other = self.person(entity, "homonyme")
        other["nom"], other["prenom"], other["civilite"] = base["nom"], base["prenom"], base["civilite"]
        other["email"] = self.email(other["prenom"], other["nom"]) if other["email"] else None
        if same_city:
            other["code_postal"], other["ville"] = base["code_postal"], base["ville"]
        return other

    def establishment(self, base: dict, entity: int) -> dict:
        other = self.company(entity, siren=base["siret"][:9])
        nic = int(base["siret"][9:13]) + 1 + self.r.randrange(50)
        other["siret"] = _with_luhn(base["siret"][:9] + f"{nic:04d}")  # establishments always carry their SIRET
        other["societe"] = f"{base['societe']} – {other['ville']}" if self.r.random() < 0.5 else base["societe"]
        return other


def generate(n: int, seed: int = 7, dup_share: float = 0.12, negative_share: float = 0.06) -> pd.DataFrame:
    """A table of about ``n`` records: ``entity`` is the ground truth (same entity = duplicates)."""
    g = Gen(seed)
    r = g.r
    rows: list[dict] = []
    entity = 0
    while len(rows) < n:
        entity += 1
        base = g.company(entity) if r.random() < 0.2 else g.person(entity)
        group = [base]
        x = r.random()
        if x < dup_share:
            group += [g.duplicate(base) for _ in range(r.choice((1, 1, 1, 1, 2, 3)))]
        elif x < dup_share + negative_share:
            entity += 1
            if base["kind"] == "societe":
                if base["siret"]:
                    group.append(g.establishment(base, entity))
            else:
                kind = r.random()
                group.append(g.household(base, entity) if kind < 0.5 else g.namesake(base, entity, kind < 0.8))
        rows.extend(group)
    df = pd.DataFrame(rows[:n])
    order = list(range(len(df)))
    r.shuffle(order)
    df = df.iloc[order].reset_index(drop=True)
    df.insert(0, "id", [f"C{i:07d}" for i in range(len(df))])
    return df


def truth_pairs(df: pd.DataFrame) -> set[tuple[str, str]]:
    """All true duplicate pairs ``(id_a, id_b)`` with ``id_a < id_b``."""
    pairs = set()
    for ids in df.groupby("entity")["id"].apply(sorted):
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return pairs


def load_or_generate(n: int, seed: int = 7) -> pd.DataFrame:
    """The cached table ``benchmarks/out/customers_<n>_<seed>.parquet`` (generated when absent)."""
    import duckdb

    path = OUT / f"customers_{n}_{seed}.parquet"
    if path.exists():
        return duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    df = generate(n, seed)
    OUT.mkdir(exist_ok=True)
    con = duckdb.connect()
    con.register("df", df)
    con.execute(f"COPY df TO '{path}' (FORMAT parquet)")
    truth = pd.DataFrame(sorted(truth_pairs(df)), columns=["id_l", "id_r"])
    con.register("truth", truth)
    con.execute(f"COPY truth TO '{OUT / f'truth_{n}_{seed}.csv'}' (HEADER)")
    return df


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    df = load_or_generate(a.n, a.seed)
    sizes = df.groupby("entity").size()
    n_pairs = int((sizes * (sizes - 1) // 2).sum())  # as many as truth_pairs(df), without building them
    print(f"{len(df)} records, {len(sizes)} entities, {n_pairs} true pairs → {OUT}")


if __name__ == "__main__":
    main()
