"""Tiers matching: external customer records → GC tiers, with match / homonym / ambiguous / create.

Identification follows the e-connecteur KB (domain.md §3.4–3.5): the stored external code or the
forced GC code first, then identifiers (SIRET, EU VAT number, e-mail, phone in E.164), then the
SIREN (another establishment of a known company). A name — even with the postal code — without
any shared identifier is a **homonym**: the user chooses « créer » or « affecter » (COR-CLI-HOMO).
An identifier shared by several GC tiers (CLI-SHARED) gives ``ambigu``: we report, never guess.
Identifiers are checked offline with python-stdnum (``check_vies`` is never called).
"""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import phonenumbers
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from .. import store
from .normalize import fingerprint
from .suggestion import AMBIGUOUS, AMBIGUOUS_PREFIX, DERIVED, HOMONYM, HOMONYM_PREFIX, Suggestion

MATCH, HOMONYM_STATUS, CREATE, AMBIGU = "match", "homonym", "create", "ambigu"

# Key types, strongest first, with their score and French name.
STRONG_KEYS: dict[str, tuple[float, str]] = {
    "code_erp": (1.0, "code GC forcé"),
    "code_ext": (1.0, "code externe déjà associé"),
    "siret": (0.97, "SIRET"),
    "vat": (0.95, "n° TVA intracommunautaire"),
    "email": (0.95, "e-mail"),
    "phone": (0.9, "téléphone"),
}
_ALIASES = {
    "code_ext": ("code_ext", "external_code", "code_externe", "client_ext_id", "code"),
    "code_erp": ("code_erp", "code_gc"),
    "email": ("email", "mail", "e_mail"),
    "phone": ("phone", "telephone", "tel"),
    "mobile": ("mobile", "portable"),
    "siret": ("siret", "siren"),
    "vat": ("vat", "tva_intra", "vat_number", "tva"),
    "nom": ("nom", "last_name", "lastname"),
    "prenom": ("prenom", "first_name", "firstname"),
    "societe": ("societe", "company", "raison_sociale"),
    "code_postal": ("code_postal", "cp", "postcode", "zip"),
    "ville": ("ville", "city"),
}
_LEGAL_FORMS = {"sarl", "sas", "sasu", "eurl", "ei", "sa", "sci", "snc", "scp", "selarl", "eirl", "ets",
                "cie"}


def _s(x: object) -> str:
    """Text of a cell; "" for None and pandas' missing values (NaN, NA)."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return ""
    return str(x).strip()


def norm_email(x: object) -> str | None:
    """E-mail key: trimmed, lower-cased; None without an ``@``."""
    s = _s(x).lower()
    return s if "@" in s and " " not in s else None


def norm_phone(x: object, region: str = "FR") -> str | None:
    """E.164 key, None if unparsable: ``06 41 21 58 74``, ``+33 6…``, ``0033 6…`` → ``+33641215874``."""
    s = _s(x)
    if sum(ch.isdigit() for ch in s) < 6:
        return None
    try:
        n = phonenumbers.parse(s, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(n):
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def norm_siret(x: object) -> tuple[str | None, str | None]:
    """(SIRET, SIREN) from a SIRET or SIREN written with spaces or dots."""
    digits = "".join(ch for ch in _s(x) if ch.isdigit())
    if len(digits) == 14:
        return digits, digits[:9]
    if len(digits) == 9:
        return None, digits
    return None, None


def norm_vat(x: object) -> str | None:
    """EU VAT number key, compacted offline; the ISO prefix GR is rewritten to the VAT prefix EL."""
    s = _s(x)
    if len(s) < 4:
        return None
    try:
        c = eu_vat.compact(s)
    except Exception:  # stdnum raises on characters it cannot compact: not a VAT number
        return None
    return "EL" + c[2:] if c.startswith("GR") else c


def _name_keys(societe: object, nom: object, prenom: object) -> list[str]:
    keys = []
    soc = " ".join(t for t in fingerprint(_s(societe)).split() if t not in _LEGAL_FORMS)
    if soc:
        keys.append(soc)
    person = fingerprint(f"{_s(nom)} {_s(prenom)}")
    if person:
        keys.append(person)
    return keys


def _col(df: pd.DataFrame, field: str) -> pd.Series:
    for name in _ALIASES[field]:
        if name in df.columns:
            return df[name].astype(object).map(lambda v: _s(v) or None)
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def _keys(ids: pd.Series, df: pd.DataFrame, *, gc: bool) -> pd.DataFrame:
    """Long table (id, ktype, key) of every identifier of every record."""
    parts = []

    def add(ktype: str, values: pd.Series) -> None:
        keys = values.astype(object).map(lambda v: v if isinstance(v, str) and v else None)
        parts.append(pd.DataFrame({"id": ids.to_numpy(), "ktype": ktype, "key": keys.to_numpy()})
                     .dropna(subset=["key"]))

    if not gc:
        add("code_ext", _col(df, "code_ext"))
        add("code_erp", _col(df, "code_erp"))
    else:
        add("code_erp", df["code"])
    add("email", _col(df, "email").map(norm_email))
    for field in ("phone", "mobile"):
        add("phone", _col(df, field).map(norm_phone))
    sir = _col(df, "siret").map(norm_siret)
    add("siret", sir.map(lambda t: t[0]))
    vat = _col(df, "vat").map(norm_vat)
    add("vat", vat)
    # A French VAT number carries the SIREN: FRkk + 9 digits.
    vat_siren = vat.map(lambda v: v[4:] if isinstance(v, str) and v.startswith("FR") and len(v) == 13
                        and v[4:].isdigit() else None)
    add("siren", sir.map(lambda t: t[1]))
    add("siren", vat_siren)
    names = [_name_keys(s, n, p) for s, n, p in
             zip(_col(df, "societe"), _col(df, "nom"), _col(df, "prenom"), strict=True)]
    cps = _col(df, "code_postal").map(lambda v: v.zfill(5) if isinstance(v, str) else None)
    name_rows = pd.DataFrame({"id": ids.to_numpy(), "names": names, "cp": cps.to_numpy()})
    name_rows = name_rows.explode("names").dropna(subset=["names"])
    add_n = name_rows.assign(ktype="nom", key=name_rows["names"])[["id", "ktype", "key"]]
    add_ncp = name_rows.dropna(subset=["cp"])
    # astype(str): an empty frame (no record with a name and a postcode) has float columns after explode.
    add_ncp = add_ncp.assign(ktype="nomcp", key=add_ncp["names"].astype(str) + "|" + add_ncp["cp"].astype(str))
    add_ncp = add_ncp[["id", "ktype", "key"]]
    parts += [add_n, add_ncp]
    out = pd.concat(parts, ignore_index=True).drop_duplicates()
    out["key"] = out["key"].astype(str)
    return out


# The GC side's keys, by fingerprint of the active tiers: normalising the e-mails, phones and names of a few
# thousand tiers takes ~0.4 s, and every reception needs them while the GC tiers rarely change in between.
_GC_KEYS: dict[str, pd.DataFrame] = {}
_GC_KEYS_KEPT = 4


def _gc_keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """:func:`_keys` of the active GC tiers, computed again only when their content changed."""
    count, digest = con.execute("SELECT count(*), sum(hash(t))::VARCHAR FROM tiers t WHERE actif").fetchall()[0]
    fingerprint = f"{count}:{digest}"
    keys = _GC_KEYS.get(fingerprint)
    if keys is None:
        gc = con.execute("SELECT * FROM tiers WHERE actif").df()
        keys = _keys(gc["code"], gc, gc=True)
        while len(_GC_KEYS) >= _GC_KEYS_KEPT:
            _GC_KEYS.pop(next(iter(_GC_KEYS)))
        _GC_KEYS[fingerprint] = keys
    return keys


def match_tiers_con(con: duckdb.DuckDBPyConnection, connector: str, records: pd.DataFrame) -> pd.DataFrame:
    """:func:`match_tiers` on an open workspace connection."""
    codes = con.execute("SELECT external_value, gc_value FROM correspondences WHERE connector = ? "
                        "AND domain = 'tiers' AND state = 'valide' AND gc_value IS NOT NULL",
                        [connector]).df()
    rec = records.reset_index(drop=True)
    rk = _keys(pd.Series(range(len(rec)), dtype="int64"), rec, gc=False)
    gk = pd.concat([_gc_keys(con), pd.DataFrame({"id": codes["gc_value"], "ktype": "code_ext",
                                      "key": codes["external_value"]})], ignore_index=True)
    mem = duckdb.connect()
    try:
        mem.register("rk", rk)
        mem.register("gk", gk)
        hits = mem.execute("""
            SELECT r.id AS rid, r.ktype, list(DISTINCT g.id ORDER BY g.id) AS codes,
                   list(DISTINCT r.key ORDER BY r.key) AS keys
            FROM rk r JOIN gk g ON g.ktype = r.ktype AND g.key = r.key
            GROUP BY r.id, r.ktype""").df()
    finally:
        mem.close()
    by_rid: dict[int, dict[str, tuple[list[str], list[str]]]] = {}
    for rid, ktype, cs, ks in hits.itertuples(index=False):
        by_rid.setdefault(int(rid), {})[ktype] = (list(cs), list(ks))
    rows = [_decide(by_rid.get(i, {})) for i in range(len(rec))]
    out = pd.DataFrame(rows, columns=["status", "gc_code", "score", "reason", "evidence", "candidates"])
    out.index = records.index
    return out


def _evidence(h: dict[str, tuple[list[str], list[str]]], ktypes: list[str]) -> str:
    return "; ".join(f"{k}={','.join(h[k][1])} → {', '.join(h[k][0])}" for k in ktypes if k in h)


def _decide(h: dict[str, tuple[list[str], list[str]]]) -> tuple:
    """Status, GC code, score, reason, evidence and candidates of one record from its key hits."""
    strong = [k for k in STRONG_KEYS if k in h]
    for k in ("code_erp", "code_ext"):
        if k in h and len(h[k][0]) == 1:
            code = h[k][0][0]
            others = sorted({c for kk in strong for c in h[kk][0]} - {code})
            note = f" ; attention, d'autres identifiants désignent {', '.join(others)}" if others else ""
            return (MATCH, code, 1.0, f"Tiers identifié par le {STRONG_KEYS[k][1]}{note}",
                    _evidence(h, strong), [code])
    shared = [k for k in strong if len(h[k][0]) > 1]
    union = sorted({c for k in strong for c in h[k][0]})
    if shared or len(union) > 1:
        what = ", ".join(STRONG_KEYS[k][1] for k in shared) if shared else "identifiants"
        reason = (f"{AMBIGUOUS_PREFIX} : {what} partagé(s) par plusieurs tiers GC ({', '.join(union)}) ; "
                  "à vérifier, aucun tiers n'est choisi (CLI-SHARED)")
        return (AMBIGU, None, 0.0, reason, _evidence(h, strong), union)
    if union:
        code = union[0]
        score = min(1.0, max(STRONG_KEYS[k][0] for k in strong) + 0.02 * (len(strong) - 1))
        names = ", ".join(STRONG_KEYS[k][1] for k in strong)
        return (MATCH, code, round(score, 3), f"Tiers identifié par : {names}", _evidence(h, strong), [code])
    if "siren" in h:
        cs = h["siren"][0]
        if len(cs) == 1:
            return (MATCH, cs[0], 0.75, "Même SIREN qu'un tiers GC (autre établissement ?) ; à confirmer",
                    _evidence(h, ["siren"]), cs)
        reason = f"{AMBIGUOUS_PREFIX} : SIREN porté par plusieurs tiers GC ({', '.join(cs)})"
        return (AMBIGU, None, 0.0, reason, _evidence(h, ["siren"]), cs)
    for k, score, what in (("nomcp", 0.5, "même nom et même code postal"), ("nom", 0.3, "même nom")):
        if k in h:
            cs = h[k][0]
            reason = (f"{HOMONYM_PREFIX} : {what} que {', '.join(cs)}, mais aucun identifiant commun "
                      "(e-mail, téléphone, SIRET, TVA) ; choisissez « créer un nouveau client » ou "
                      "« affecter un client existant » (COR-CLI-HOMO)")
            score = score if len(cs) == 1 else score - 0.1
            return (HOMONYM_STATUS, cs[0], score, reason, _evidence(h, [k]), cs)
    return (CREATE, None, 0.0, "Aucun tiers GC correspondant : le tiers sera créé (COR-CLI-NEW)", "", [])


def match_tiers(workspace: str | os.PathLike[str], connector: str, records: pd.DataFrame) -> pd.DataFrame:
    """Match external customer records with the workspace's active GC tiers.

    Args:
        workspace: the workspace folder.
        connector: connector code (its validated ``tiers`` correspondences are the external codes).
        records: one row per external customer; recognised columns (all optional): ``code_ext``,
            ``code_erp``, ``email``, ``phone``/``telephone``, ``mobile``, ``siret`` (or SIREN), ``vat``,
            ``nom``, ``prenom``, ``societe``, ``code_postal``, ``ville``.

    Returns:
        A DataFrame on the records' index with ``status`` (match | homonym | ambigu | create),
        ``gc_code`` (None for ambigu/create; the first homonym for homonym), ``score``, French
        ``reason``, ``evidence`` (which key matched which GC tiers) and ``candidates``.
    """
    with store.connect(workspace, read_only=True) as con:
        return match_tiers_con(con, connector, records)


def records_from_values(values: list[str]) -> pd.DataFrame:
    """Guess a record from a bare external value: e-mail, phone, SIRET/SIREN, VAT number, else code + name."""
    rows = []
    for v in values:
        s = str(v).strip()
        digits = "".join(ch for ch in s if ch.isdigit())
        row: dict[str, str | None] = {"code_ext": s}
        if norm_email(s):
            row["email"] = s
        elif not any(ch.isalpha() for ch in s) and (
                (len(digits) == 14 and fr_siret.is_valid(digits))
                or (len(digits) == 9 and fr_siren.is_valid(digits))):
            row["siret"] = s
        elif norm_phone(s) and not any(ch.isalpha() for ch in s):
            row["phone"] = s
        elif s[:2].isalpha() and norm_vat(s) and eu_vat.is_valid(s):
            row["vat"] = s
        else:
            row["nom"] = s
        rows.append(row)
    return pd.DataFrame(rows, columns=["code_ext", "email", "siret", "phone", "vat", "nom"])


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], *, connector: str = "",
               **_: object) -> dict[str, list[Suggestion]]:
    """Suggestions for bare external tiers values (see :func:`records_from_values`)."""
    res = match_tiers_con(con, connector, records_from_values(values))
    out: dict[str, list[Suggestion]] = {}
    for v, (status, code, score, reason, _ev, cands) in zip(values, res.itertuples(index=False), strict=True):
        if status == MATCH:
            out[v] = [Suggestion(code, float(score), reason, DERIVED)]
        elif status == HOMONYM_STATUS:
            out[v] = [Suggestion(c, float(score), reason, HOMONYM) for c in cands]
        elif status == AMBIGU:
            out[v] = [Suggestion(c, 0.0, reason, AMBIGUOUS) for c in cands]
        else:
            out[v] = []
    return out
