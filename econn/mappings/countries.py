"""Country names and codes → ISO 3166-1 alpha-2.

Sources: ISO 3166-1 through pycountry (alpha-2, alpha-3, numeric, English names) and its
``iso3166-1`` gettext catalogue for French names (pycountry has no French lookup). The variants
below are the spellings seen in shop and ERP exports; the VAT prefixes come from the EU VAT
numbering (EL = Greece, XI = Northern Ireland since Brexit), which are not ISO codes.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import duckdb
import pycountry
from rapidfuzz import fuzz, process

from .normalize import fold
from .suggestion import DERIVED, EXACT, FUZZY, STANDARD, Suggestion, best_first

# Kinds of lookup, from the most to the least standard.
ISO = "iso"            # alpha-2, alpha-3 or numeric code
NAME = "nom"           # official English or French name
VARIANT = "variante"   # common spelling, historic or colloquial name
VAT_PREFIX = "prefixe_tva"

# Common spellings → alpha-2 (keys are folded with :func:`fold` when the index is built).
VARIANTS: dict[str, str] = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "grande bretagne": "GB", "angleterre": "GB",
    "england": "GB", "ecosse": "GB", "scotland": "GB", "pays de galles": "GB", "wales": "GB",
    "royaume uni": "GB", "britain": "GB", "irlande du nord": "GB", "northern ireland": "GB",
    "usa": "US", "u s a": "US", "us": "US", "etats unis": "US", "etats unis d amerique": "US",
    "united states of america": "US", "america": "US", "amerique": "US",
    "hollande": "NL", "holland": "NL", "pays bas": "NL", "nederland": "NL", "the netherlands": "NL",
    "tchequie": "CZ", "republique tcheque": "CZ", "czech republic": "CZ", "cesko": "CZ",
    "allemagne": "DE", "deutschland": "DE", "rfa": "DE",
    "belgique": "BE", "belgie": "BE", "belgien": "BE", "belgium": "BE",
    "suisse": "CH", "schweiz": "CH", "svizzera": "CH", "switzerland": "CH",
    "espagne": "ES", "espana": "ES", "italie": "IT", "italia": "IT", "portugal": "PT",
    "autriche": "AT", "osterreich": "AT", "oesterreich": "AT", "grece": "GR", "hellas": "GR",
    "pologne": "PL", "polska": "PL", "irlande": "IE", "eire": "IE", "danemark": "DK", "danmark": "DK",
    "suede": "SE", "sverige": "SE", "norvege": "NO", "norge": "NO", "finlande": "FI", "suomi": "FI",
    "luxembourg": "LU", "letzebuerg": "LU", "monaco": "MC", "principaute de monaco": "MC",
    "russie": "RU", "coree du sud": "KR", "south korea": "KR", "coree": "KR", "vietnam": "VN",
    "france metropolitaine": "FR", "metropole": "FR", "republique francaise": "FR",
    # Overseas departments and collectivities: their own ISO codes (VAT: DOM rates, see vat.py).
    "reunion": "RE", "la reunion": "RE", "ile de la reunion": "RE",
    "guadeloupe": "GP", "martinique": "MQ", "guyane": "GF", "guyane francaise": "GF",
    "french guiana": "GF", "mayotte": "YT", "saint barthelemy": "BL", "saint barth": "BL",
    "saint barts": "BL", "saint martin": "MF", "saint pierre et miquelon": "PM",
    "nouvelle caledonie": "NC", "polynesie francaise": "PF", "polynesie": "PF", "tahiti": "PF",
    "wallis et futuna": "WF",
}

# EU VAT number prefixes that are not ISO codes: a country column filled from a VAT number.
VAT_PREFIXES: dict[str, tuple[str, str]] = {
    "el": ("GR", "EL est le préfixe TVA de la Grèce ; son code ISO est GR"),
    "xi": ("GB", "XI est le préfixe TVA de l'Irlande du Nord ; son code ISO est GB"),
}

_LEADING_ARTICLES = ("la ", "le ", "les ", "l ", "the ")
_SAINT = {"st": "saint", "ste": "sainte"}


def _key(text: object) -> str:
    words = fold(text).split()
    return " ".join(_SAINT.get(w, w) for w in words)


def _name_forms(name: str) -> list[str]:
    """A catalogue name and its usual reorderings: "Réunion, Île de la" → also "Île de la Réunion"."""
    forms = [name]
    if "," in name:
        head, _, tail = name.partition(",")
        forms += [head, f"{tail.strip()} {head}"]
    if "(" in name:
        forms.append(name.split("(")[0])
    return forms


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, str]]:
    """Folded text → (alpha-2, kind); built once from pycountry and the variants."""
    try:
        fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        translate = fr.gettext
    except OSError:  # catalogue missing in a stripped install: English names still work
        def translate(message: str) -> str:
            return message
    idx: dict[str, tuple[str, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        a2 = c.alpha_2
        idx[a2.lower()] = (a2, ISO)
        idx[c.alpha_3.lower()] = (a2, ISO)
        idx[c.numeric] = (a2, ISO)
        for attr in ("name", "official_name", "common_name"):
            en = getattr(c, attr, None)
            if not en:
                continue
            for text in (en, translate(en)):
                for form in _name_forms(text):
                    k = _key(form)
                    if k and k not in names:
                        names[k] = (a2, NAME)
    for k, v in names.items():
        idx.setdefault(k, v)
    for k, a2 in VARIANTS.items():
        idx.setdefault(_key(k), (a2, VARIANT))
    return idx


def lookup_country(text: object) -> tuple[str, str] | None:
    """(alpha-2, kind) for a code or name, without fuzzy matching; kind says how standard it is.

    Kinds: ``iso`` (a code), ``nom`` (official name, English or French), ``variante`` (common
    spelling) and ``prefixe_tva`` (EL, XI). None when nothing matches exactly.
    """
    k = _key(text)
    if not k:
        return None
    if k in VAT_PREFIXES:
        return VAT_PREFIXES[k][0], VAT_PREFIX
    if k.isdigit() and len(k) <= 3:
        k = k.zfill(3)
    idx = _index()
    if k in idx:
        return idx[k]
    for art in _LEADING_ARTICLES:
        if k.startswith(art) and k[len(art):] in idx:
            return idx[k[len(art):]]
    return None


def country_code(text: object) -> str | None:
    """ISO 3166-1 alpha-2 code of a country code or name (English or French, any case or accents).

    ``"Hollande"`` → NL, ``"EL"`` → GR (Greek VAT prefix), ``"XI"`` → GB, ``"Réunion"`` → RE,
    ``"royaume uni"`` → GB, ``"250"`` → FR. None when no exact spelling is known; see
    :func:`suggest_country` for typos.
    """
    hit = lookup_country(text)
    return hit[0] if hit else None


def _reason(text: object, code: str, kind: str) -> str:
    if kind == ISO:
        return f"Code ISO 3166-1 reconnu ({code})"
    if kind == NAME:
        return f"Nom officiel du pays {code}"
    if kind == VAT_PREFIX:
        return VAT_PREFIXES[_key(text)][1]
    return f"Variante connue du nom du pays {code}"


_KIND_SCORE = {ISO: 1.0, NAME: 1.0, VARIANT: 0.9, VAT_PREFIX: 0.8}


def suggest_country(text: object, *, limit: int = 3) -> list[Suggestion]:
    """Scored ISO alpha-2 candidates: the exact lookup, else fuzzy names (typos like "Allemgne").

    Fuzzy candidates score at most 0.85 and only names of 4 letters or more take part, so that a
    short code never "resembles" a country.
    """
    hit = lookup_country(text)
    if hit:
        code, kind = hit
        return [Suggestion(code, _KIND_SCORE[kind], _reason(text, code, kind),
                           STANDARD if kind in (ISO, NAME) else DERIVED)]
    k = _key(text)
    if len(k) < 4:
        return []
    keys = [n for n, (_, kind) in _index().items() if kind != ISO and len(n) >= 4]
    found = process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=80, limit=limit * 3)
    out = [Suggestion(_index()[name][0], round(0.85 * score / 100, 3),
                      f"Nom approchant de « {name} » (similarité {score:.0f} %)", FUZZY)
           for name, score, _ in found]
    return best_first(out, limit)


# Overseas territories a GC may not list: their tiers are often filed under FR.
_OVERSEAS = {"RE", "GP", "MQ", "GF", "YT", "BL", "MF", "PM"}


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], **_: object) -> dict[str, list[Suggestion]]:
    """Candidates among the workspace's GC countries (``countries`` table) for each external value."""
    gc = con.execute("SELECT code, libelle FROM countries").fetchall()
    by_code = {str(c).upper(): str(c) for c, _ in gc}
    by_label = {fold(lib): str(c) for c, lib in gc if lib}
    out: dict[str, list[Suggestion]] = {}
    for v in values:
        cands: list[Suggestion] = []
        raw = str(v).strip()
        if raw.upper() in by_code:
            cands.append(Suggestion(by_code[raw.upper()], 1.0, "Code pays GC identique", EXACT))
        if fold(raw) in by_label:
            cands.append(Suggestion(by_label[fold(raw)], 1.0, "Libellé pays GC identique", EXACT))
        for s in suggest_country(raw):
            if s.gc_value in by_code:
                cands.append(Suggestion(by_code[s.gc_value], s.score, s.reason, s.kind))
            elif s.gc_value in _OVERSEAS and "FR" in by_code:
                cands.append(Suggestion(by_code["FR"], 0.6, f"{s.reason} ; {s.gc_value} absent de la GC, "
                                        "territoire d'outre-mer rattaché à FR", DERIVED))
        out[v] = best_first(cands)
    return out
