"""Generators of the demo's GC data: articles, tiers (with planted duplicates), contacts, price grids.

Each generator takes the build's ``random.Random`` and returns plain row dicts;
:mod:`econn.demo.build` inserts them. Planted records have fixed codes so that
``data/README.md`` can name them whatever the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stdnum.eu import vat as eu_vat

from . import data as D
from .planted import (
    PLANTED_NAMES,
    RESERVED_EMAILS,
    RESERVED_FILE_NAMES,
    RESERVED_PHONES,
    ean13,
    fold,
    planted_grids,
    planted_tiers,
    siren_from,
    siret_from,
    tiers_row,
    tva_fr,
)

Row = dict[str, Any]


def foreign_vat(rng: random.Random, country: str) -> str:
    """A VAT number that python-stdnum accepts for ``country`` (drawn until its checksum holds)."""
    if country == "CH":
        from stdnum.ch import vat as ch_vat
        check, n = ch_vat.is_valid, 9
        prefix, suffix = "CHE", " TVA"
    elif country == "GB":
        from stdnum.gb import vat as gb_vat
        check, n, prefix, suffix = gb_vat.is_valid, 9, "GB", ""
    else:
        check, prefix, suffix = eu_vat.is_valid, country, ""
        n = {"BE": 10, "DE": 9, "IT": 11, "ES": 9, "NL": 12, "LU": 8}[country]
    while True:
        digits = "".join(rng.choice("0123456789") for _ in range(n))
        if country == "BE":
            digits = "0" + digits[1:]
        if country == "NL":
            digits = digits[:9] + "B01"
        if country == "ES":
            digits = rng.choice("ABCDEFGHJ") + digits[1:]
        value = prefix + digits + suffix
        if check(value):
            return value


def phone_fmt(rng: random.Random, national: str) -> str:
    """A French number (10 digits) written the ways customers type it."""
    pairs = " ".join(national[i:i + 2] for i in range(0, 10, 2))
    r = rng.random()
    if r < 0.5:
        return pairs
    if r < 0.7:
        return national
    if r < 0.85:
        return pairs.replace(" ", ".")
    if r < 0.95:
        return "+33 " + national[1] + " " + " ".join(national[i:i + 2] for i in range(2, 10, 2))
    return pairs.replace(" ", "-")


def _zone(cp: str) -> str:
    """First digit after 0 of a landline for a postcode (01 Paris … 05 south-west)."""
    dep = cp[:2]
    if dep in {"75", "77", "78", "91", "92", "93", "94", "95"}:
        return "1"
    if dep in {"14", "29", "35", "37", "41", "44", "45", "49", "53", "56", "72", "76", "79", "85", "86", "18"}:
        return "2"
    if dep in {"02", "21", "25", "51", "54", "57", "59", "60", "62", "67", "68", "71", "80", "89"}:
        return "3"
    if dep in {"16", "17", "19", "24", "31", "32", "33", "40", "46", "47", "64", "65", "81", "82", "87", "09",
               "12"}:
        return "5"
    return "4"


class _Uniq:
    """Keys already used (codes, e-mails, phones, SIRET, name+postcode) so generation plants nothing by chance."""

    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.sirens: set[str] = set()
        self.name_cp: set[tuple[str, str]] = set()
        self.noms: set[str] = set()

    def add(self, t: Row) -> None:
        self.codes.add(t["code"])
        if t.get("email"):
            self.emails.add(t["email"].strip().lower())
        for k in ("telephone", "mobile"):
            digits = "".join(c for c in (t.get(k) or "") if c.isdigit())
            if digits:
                self.phones.add(digits[-9:])
        if t.get("siret"):
            self.sirens.add(t["siret"][:9])
        name = t.get("societe") or t.get("nom") or ""
        self.name_cp.add((_name_key(name), t.get("code_postal") or ""))
        if t.get("nom"):
            self.noms.add(fold(t["nom"]))

    def code(self, base: str) -> str:
        base = "".join(c for c in fold(base).upper() if c.isalnum())[:5] or "TIERS"
        if base not in self.codes:
            return base
        n = 1
        while f"{base}{n:02d}" in self.codes:
            n += 1
        return f"{base}{n:02d}"


def _name_key(name: str) -> str:
    words = [w for w in fold(name).replace("-", " ").replace("'", " ").split()
             if w.upper() not in D.LEGAL_FORMS and w not in {"&", "et"}]
    return " ".join(sorted(words))


_STOP = {"le", "la", "les", "de", "du", "des", "d", "l", "au", "aux", "et", "&"}


def _company_code(societe: str) -> str:
    words = [w for w in fold(societe).replace("-", " ").replace("'", " ").split()
             if w.upper() not in D.LEGAL_FORMS and w not in _STOP]
    return "".join(words)


def _ts(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
    """A working-hours timestamp on ``day``."""
    return dt.datetime.combine(day, dt.time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59),
                                            rng.randint(0, 59)))


def _email(rng: random.Random, prenom: str, nom: str, uniq: _Uniq) -> str:
    p, n = fold(prenom).replace(" ", "-"), fold(nom).replace(" ", "").replace("'", "")
    for _ in range(20):
        local = rng.choice([f"{p}.{n}", f"{p[0]}.{n}", f"{p}{n}", f"{n}.{p}", f"{p}.{n}{rng.randint(1, 99)}"])
        email = f"{local}@{rng.choice(D.EMAIL_DOMAINS)}"
        if email not in uniq.emails:
            return email
    return f"{p}.{n}.{rng.randint(100, 9999)}@gmail.com"


def _phone(rng: random.Random, uniq: _Uniq, prefix: str) -> str:
    while True:
        national = prefix + "".join(rng.choice("0123456789") for _ in range(10 - len(prefix)))
        if national[-9:] not in uniq.phones:
            uniq.phones.add(national[-9:])
            return national


def _place(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.02:
        return rng.choice(D.DOM)
    if r < 0.04:
        return rng.choice(D.CORSE)
    return rng.choice(D.CITIES)


def _street(rng: random.Random) -> str:
    num = rng.randint(1, 180)
    bis = rng.choice(["", "", "", "", "", " bis", " ter"])
    return f"{num}{bis} {rng.choice(D.STREET_TYPES)} {rng.choice(D.STREET_NAMES)}"


def generate_tiers(rng: random.Random, today: dt.date, count: int = 2600) -> list[Row]:
    """Planted tiers plus ``count`` generated French (and a few foreign) tiers, every key unique."""
    uniq = _Uniq()
    rows = planted_tiers()
    for t in rows:
        uniq.add(t)
    uniq.emails |= RESERVED_EMAILS
    uniq.phones |= RESERVED_PHONES
    noms = [n for n in D.NOMS if fold(n) not in PLANTED_NAMES]
    blocked = PLANTED_NAMES | RESERVED_FILE_NAMES
    n_companies = count // 4
    n_foreign = 14
    n_suppliers = 40
    n_planted = len(rows)
    while len(rows) < n_planted + count:
        i = len(rows) - n_planted
        foreign = n_companies + n_suppliers <= i < n_companies + n_suppliers + n_foreign
        company = i < n_companies + n_suppliers or foreign
        if foreign:
            pays, cp, ville, indicatif = rng.choice(D.FOREIGN)
        else:
            pays, indicatif = "FR", "+33"
            cp, ville = _place(rng)
        if company:
            t = _gen_company(rng, uniq, noms, cp, ville, supplier=i < n_suppliers)
        else:
            t = _gen_person(rng, uniq, noms, cp, ville)
            if t is None:
                continue
        if foreign:
            t["pays"] = pays
            t["mobile"] = f"{indicatif} {rng.randint(400, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)} " \
                          f"{rng.randint(10, 99)}"
            t["telephone"] = None
            t["categorie_tarifaire"] = "HT"
            form, street = D.FOREIGN_STYLE[pays]
            words = t["societe"].split(" ")  # swap the French legal form for the local one
            core = words[1:] if words[0] in D.LEGAL_FORMS else words[:-1]
            t["societe"] = f"{' '.join(core)} {form}"
            t["adresse1"] = street.format(n=rng.randint(1, 90))
            t["adresse2"] = None
            t["email"] = t["email"] and t["email"].replace(".fr", {"GB": ".co.uk"}.get(pays, "." + pays.lower()))
            t["famille"] = "PRO"
            t["siret"] = None
            t["tva_intra"] = foreign_vat(rng, pays)
        key = (_name_key(t.get("societe") or t.get("nom") or ""), t["code_postal"])
        if key in uniq.name_cp or fold(t.get("societe") or t.get("nom") or "") in blocked:
            continue
        t["code"] = uniq.code(_company_code(t["societe"]) if t["societe"] else
                              fold(t["nom"])[:3] + fold(t["prenom"] or "")[:2])
        t["type"] = "fournisseur" if company and i < n_suppliers else ("prospect" if rng.random() < 0.04 else
                                                                         "client")
        if t["type"] == "fournisseur":
            t.update(famille="FOUR", categorie_tarifaire=None)
        t["actif"] = rng.random() > 0.03
        if t["type"] == "client" and rng.random() < 0.08:
            t["origin"] = "reception"
        uniq.add(t)
        rows.append(t)
    for t in rows:
        age = rng.randint(6, 150) if t["origin"] == "reception" else rng.randint(180, 2400)
        t["created_at"] = _ts(today - dt.timedelta(days=age), rng)
    return rows


def _gen_person(rng: random.Random, uniq: _Uniq, noms: list[str], cp: str, ville: str) -> Row | None:
    female = rng.random() < 0.52
    prenom = rng.choice(D.PRENOMS_F if female else D.PRENOMS_M)
    nom = rng.choice(noms)
    if rng.random() < 0.06:  # compound first names
        prenom = f"{prenom}-{rng.choice(D.PRENOMS_F if female else D.PRENOMS_M)}"
        if len(set(prenom.split("-"))) < 2:
            return None
    nom_written = nom.upper() if rng.random() < 0.25 else nom
    zone = _zone(cp)
    t = tiers_row("", civilite=rng.choice(D.CIVILITES_F) if female else D.CIVILITES_M, nom=nom_written, prenom=prenom,
           adresse1=_street(rng), code_postal=cp, ville=ville.upper() if rng.random() < 0.1 else ville)
    if rng.random() < 0.12:
        t["adresse2"] = rng.choice(D.ADRESSE2)
    if rng.random() < 0.9:
        t["email"] = _email(rng, prenom, nom, uniq)
    if rng.random() < 0.8:
        t["mobile"] = phone_fmt(rng, _phone(rng, uniq, rng.choice(["06", "07"])))
    if rng.random() < 0.35 or not t["mobile"]:
        t["telephone"] = phone_fmt(rng, _phone(rng, uniq, "0" + zone))
    if cp.startswith("97"):
        t["mobile"] = phone_fmt(rng, _phone(rng, uniq, rng.choice(["0690", "0696", "0692", "0694"])))
        t["telephone"] = None
    return t


def _gen_company(rng: random.Random, uniq: _Uniq, noms: list[str], cp: str, ville: str, supplier: bool) -> Row:
    nom = rng.choice(noms)
    core = rng.choice(D.COMPANY_PATTERNS).format(nom=nom, ville=ville, lieu=rng.choice(D.LIEUX))
    form = rng.choice(D.LEGAL_FORMS)
    societe = f"{form} {core}" if rng.random() < 0.7 else f"{core} {form}"
    while True:
        siren = siren_from("".join(rng.choice("0123456789") for _ in range(8)))
        if siren not in uniq.sirens and siren[0] != "0":
            break
    slug = "".join(c if c.isalnum() else "-" for c in fold(core)).strip("-").replace("--", "-")
    t = tiers_row("", societe=societe, email=f"{rng.choice(['contact', 'info', 'commandes', 'compta'])}@{slug}.fr",
           telephone=phone_fmt(rng, _phone(rng, uniq, "0" + _zone(cp))), adresse1=_street(rng), code_postal=cp,
           ville=ville, siret=siret_from(siren, f"{rng.choice([1, 1, 1, 2, 3]):04d}"),
           famille=rng.choice(["PRO", "PRO", "REV"]), categorie_tarifaire=rng.choice(["HT", "REV", "GROS"]))
    if t["email"] in uniq.emails:
        t["email"] = None
    if rng.random() < 0.8:
        t["tva_intra"] = tva_fr(siren)
    if rng.random() < 0.2:
        t["adresse2"] = rng.choice(D.ADRESSE2)
    return t


def generate_contacts(rng: random.Random, tiers: list[Row]) -> list[Row]:
    """One to three contacts for about 40 % of the companies (every planted company has one)."""
    rows: list[Row] = []
    for t in tiers:
        if not t["societe"] or (t["origin"] == "gc" and t["code"] not in {"OENOT", "JARDI", "CAVDU", "GARMO"}
                                and rng.random() > 0.4):
            continue
        domain = (t["email"] or "contact@entreprise.fr").strip().split("@")[-1]
        for _ in range(rng.randint(1, 3)):
            female = rng.random() < 0.5
            prenom = rng.choice(D.PRENOMS_F if female else D.PRENOMS_M)
            nom = rng.choice(D.NOMS)
            rows.append({
                "id": len(rows) + 1, "tiers": t["code"], "civilite": "Mme" if female else "M.", "nom": nom,
                "prenom": prenom, "fonction": rng.choice(D.FONCTIONS),
                "email": f"{fold(prenom).replace(' ', '-')}.{fold(nom).replace(' ', '')}@{domain}",
                "telephone": t["telephone"] if rng.random() < 0.5 else None,
            })
    return rows


ARTICLE_COLUMNS = ["code", "libelle", "unite", "code_tva", "prix_ht", "prix_achat", "famille", "ean", "actif",
                   "export"]

_FAMILY_PREFIX = {"VIN": "VIN", "EFF": "BUL", "SPIR": "SPI", "EPIC": "EPI", "JARD": "JAR", "SERV": "SRV",
                  "MAIS": "MAI", "PUB": "PUB"}
_FAMILY_WEIGHTS = {"VIN": 30, "EFF": 10, "SPIR": 8, "EPIC": 20, "JARD": 16, "SERV": 3, "MAIS": 10, "PUB": 6}


def _price(rng: random.Random, lo: float, hi: float) -> float:
    """A shop-like price: whole euros ending in ,00 / ,50 / ,90."""
    return round(int(rng.uniform(lo, hi)) + rng.choice([0.0, 0.5, 0.9, 0.9]), 2)


def generate_articles(rng: random.Random, count: int = 320) -> list[Row]:
    """The core catalogue plus ``count`` generated articles (codes, EAN-13, prices, families)."""
    rows: list[Row] = []
    eans: set[str] = set()
    for code, lib, unit, tva, pv, pa, fam, actif, export in D.CORE_ARTICLES:
        ean = ean13(rng) if fam not in {"SERV"} else None
        eans.add(ean or "")
        rows.append(dict(zip(ARTICLE_COLUMNS, (code, lib, unit, tva, pv, pa, fam, ean, actif, export))))
    seen = {r["libelle"] for r in rows}
    counters = dict.fromkeys(_FAMILY_PREFIX, 0)
    families = list(_FAMILY_WEIGHTS)
    weights = [_FAMILY_WEIGHTS[f] for f in families]
    while len(rows) < len(D.CORE_ARTICLES) + count:
        fam = rng.choices(families, weights)[0]
        names, suffixes = D.PRODUCT_PARTS[fam]
        lib = f"{rng.choice(names)} {rng.choice(suffixes)}"
        if lib in seen:
            continue
        seen.add(lib)
        counters[fam] += 1
        _label, tva, unit, (lo, hi) = D.FAMILIES[fam]
        if fam == "JARD" and "Terreau" in lib:
            tva = "V2"
        pv = _price(rng, lo, hi)
        ean = None
        if fam != "SERV" and rng.random() < 0.9:
            while ean is None or ean in eans:
                ean = ean13(rng)
            eans.add(ean)
        actif = rng.random() > 0.05
        rows.append(dict(zip(ARTICLE_COLUMNS, (
            f"{_FAMILY_PREFIX[fam]}{counters[fam]:04d}", lib, unit, tva, pv,
            round(pv * rng.uniform(0.42, 0.68), 2), fam, ean, actif, actif and rng.random() < 0.75))))
    return rows


GRID_COLUMNS = ["id", "ref", "source", "article", "categorie_tarifaire", "client", "qte_min", "prix_ht",
                "remise_pct", "date_debut", "date_fin", "created_at"]


def generate_grids(rng: random.Random, today: dt.date, articles: list[Row], tiers: list[Row],
                   sellable: set[str], count: int = 360) -> list[Row]:
    """Planted anomalies plus ``count`` clean rules (unique keys, decreasing tiers, above cost, valid dates)."""
    core = {a[0] for a in D.CORE_ARTICLES}
    arts = [a for a in articles if a["code"] not in core and a["code"] in sellable and a["actif"]
            and a["prix_ht"] is not None]
    clients = [t["code"] for t in tiers if t["type"] == "client" and t["actif"] and t["societe"]
               and t["origin"] == "gc" and len(t["code"]) <= 5]
    rows = planted_grids(today)
    keys: set[tuple[Any, ...]] = set()
    n = 0
    while len(rows) < 22 + count:
        a = rng.choice(arts)
        kind = rng.random()
        pv, pa = float(a["prix_ht"]), float(a["prix_achat"])
        margin = max(pv - pa, 0.0)
        if kind < 0.45:  # quantity tiers for a tariff category, price falling with quantity
            cat = rng.choice(["REV", "GROS", "HT"])
            if (a["code"], cat, None) in keys:
                continue
            keys.add((a["code"], cat, None))
            for step, qte in enumerate([1, 6, 12, 24][:rng.randint(2, 4)]):
                prix = round(pa + margin * (0.9 - 0.15 * step), 2)
                n += 1
                rows.append({"ref": f"TF{n:06d}", "source": "palier_clitar", "article": a["code"],
                             "categorie_tarifaire": cat, "client": None, "qte_min": qte, "prix_ht": prix,
                             "remise_pct": None, "date_debut": None, "date_fin": None})
        else:  # client-specific net price or discount, sometimes for a bounded period
            client = rng.choice(clients)
            if (a["code"], None, client) in keys:
                continue
            keys.add((a["code"], None, client))
            debut = fin = None
            if rng.random() < 0.3:
                debut = today - dt.timedelta(days=rng.randint(0, 200))
                fin = today + dt.timedelta(days=rng.randint(30, 365))
            n += 1
            if rng.random() < 0.5:
                prix, remise, source = round(pa + margin * rng.uniform(0.5, 0.9), 2), None, "cli_prod"
            else:
                prix, remise, source = None, float(rng.choice([5, 8, 10, 12, 15, 20, 25])), "cli_prodfam"
                if pv * (1 - remise / 100) < pa * 1.05:
                    remise = 5.0
            rows.append({"ref": f"TF{n:06d}", "source": source, "article": a["code"], "categorie_tarifaire": None,
                         "client": client, "qte_min": 1, "prix_ht": prix, "remise_pct": remise,
                         "date_debut": debut, "date_fin": fin})
    for i, r in enumerate(rows, start=1):
        r["id"] = i
        r["created_at"] = _ts(today - dt.timedelta(days=rng.randint(7, 500)), rng)
    return rows
