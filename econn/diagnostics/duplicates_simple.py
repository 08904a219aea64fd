"""Diagnostic « doublon de clients simple »: exact key collisions after normalisation (OpenRefine key collision).

Keys, computed in DuckDB over the active tiers: e-mail lower-cased and trimmed; phone (fixe and mobile) in
E.164 — French numbers by a SQL pattern, the rest by ``phonenumbers`` once per distinct value; SIRET and
SIREN; external code (``tiers`` correspondences); OpenRefine fingerprint of the name (raison sociale minus
legal forms, else nom and prénom fingerprinted apart; ``œ``/``æ`` kept as ``oe``/``ae``) + postcode. Nom
and prénom keep their roles on purpose: « Clément Étienne » and « Étienne Clément » are two people as often
as one, so swapped names are left to the fuzzy diagnostic (CLI-FUZZ). Suppliers are compared with
suppliers, clients and prospects together (one person can be both supplier and client).

A shared e-mail or phone is a duplicate (CLI-DUP-EMAIL / CLI-DUP-TEL) only between records with the same
name; between different names it is CLI-SHARED: erreur when the addresses differ too (unrelated tiers),
alerte when they share the address (a household: same surname, other first names). Same SIRET is
CLI-DUP-SIRET erreur; same SIREN with another SIRET is an alerte (two establishments, not duplicates).
Clusters join the duplicate keys (not CLI-SHARED, not SIREN); ``keep`` proposes the most complete record,
then the one created in the GC, then the oldest.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd
from stdnum.fr import siret as fr_siret

from .. import findings, store
from ..mappings.countries import country_code
from ..mappings.tiers import norm_phone
from .base import DiagnosticResult

NAME = "doublons-simple"
CODES = ("CLI-DUP-EMAIL", "CLI-DUP-TEL", "CLI-DUP-SIRET", "CLI-DUP-CODEEXT", "CLI-DUP-NOMCP", "CLI-SHARED",
         "CLI-INVALID", "COR-STALE")

LEGAL_FORMS = ("sarl", "sas", "sasu", "eurl", "ei", "sa", "sci", "snc", "scp", "selarl", "eirl", "ets", "cie",
               "earl", "gaec", "srl", "gmbh", "sl", "bv", "ltd", "sprl", "scea", "sca")
# Street words written in full, so that « av. Foch » and « avenue Foch » are one address.
_STREET = {"av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "pl": "place",
           "rte": "route", "chem": "chemin", "imp": "impasse", "st": "saint", "ste": "sainte", "fg": "faubourg"}
_EMAIL_RE = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"


def _fold_sql(x: str) -> str:
    """SQL: ASCII-folded lower-case tokens of a text (ligatures kept as two letters), as a list."""
    lig = f"replace(replace(replace(replace({x}, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')"
    return (f"list_filter(regexp_split_to_array(lower(strip_accents({lig})), '[^a-z0-9]+'), "
            "lambda t: t <> '')")


def fingerprint_sql(x: str, drop: tuple[str, ...] = ()) -> str:
    """SQL: the OpenRefine fingerprint of a text (sorted distinct tokens), optionally minus some tokens."""
    toks = _fold_sql(x)
    if drop:
        words = ", ".join(f"'{w}'" for w in drop)
        toks = f"list_filter({toks}, lambda t: NOT list_contains([{words}], t))"
    return f"nullif(array_to_string(list_sort(list_distinct({toks})), ' '), '')"


def _address_sql(x: str) -> str:
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in _STREET.items())
    toks = f"list_transform({_fold_sql(x)}, lambda t: CASE t {cases} ELSE t END)"
    return f"nullif(array_to_string(list_sort(list_distinct({toks})), ' '), '')"


# French numbers in SQL (the bulk of a French customer file); NULL leaves the value to phonenumbers.
_PHONE_SQL = """
    CASE WHEN regexp_full_match(d, '0[1-9][0-9]{8}') AND coalesce(pays, 'FR') IN ('FR', '')
              THEN '+33' || substr(d, 2)
         WHEN regexp_full_match(d, '(\\+33|0033)[1-9][0-9]{8}') THEN '+33' || right(d, 9)
    END"""


@lru_cache(maxsize=65536)
def _e164(raw: str, region: str) -> str | None:
    return norm_phone(raw, region or "FR")


@lru_cache(maxsize=65536)
def _siret_ok(digits: str) -> bool:
    return len(digits) == 14 and fr_siret.is_valid(digits)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``t`` (one normalised row per active tiers) and ``k`` (long table of keys)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE t AS
        SELECT code, type, CASE WHEN type = 'fournisseur' THEN 'F' ELSE 'C' END AS part,
               coalesce(nullif(trim(societe), ''), trim(coalesce(prenom, '') || ' ' || coalesce(nom, ''))) AS shown,
               coalesce({fingerprint_sql('societe', LEGAL_FORMS)},
                        {fingerprint_sql('nom')} || '|' || coalesce({fingerprint_sql('prenom')}, '')) AS name_key,
               {_address_sql("coalesce(adresse1, '')")} || '|' || coalesce(trim(code_postal), '') AS addr_key,
               nullif(lpad(trim(code_postal), 5, '0'), '00000') AS cp,
               nullif(lower(trim(email)), '') AS email,
               nullif(regexp_replace(coalesce(siret, ''), '[^0-9]', '', 'g'), '') AS siret_digits,
               nullif(trim(siret), '') AS siret_raw, telephone, mobile, upper(trim(pays)) AS pays,
               origin, created_at,
               (societe IS NOT NULL OR nom IS NOT NULL)::INT + (prenom IS NOT NULL)::INT + (email IS NOT NULL)::INT
               + (telephone IS NOT NULL)::INT + (mobile IS NOT NULL)::INT + (adresse1 IS NOT NULL)::INT
               + (code_postal IS NOT NULL)::INT + (ville IS NOT NULL)::INT + (siret IS NOT NULL)::INT
               + (tva_intra IS NOT NULL)::INT AS filled
        FROM tiers WHERE actif""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ph AS
        SELECT DISTINCT code, col, raw, pays, {_PHONE_SQL} AS e164
        FROM (SELECT code, 'téléphone' AS col, trim(telephone) AS raw, pays,
                     regexp_replace(telephone, '[^0-9+]', '', 'g') AS d FROM t WHERE trim(telephone) <> ''
              UNION ALL
              SELECT code, 'mobile', trim(mobile), pays, regexp_replace(mobile, '[^0-9+]', '', 'g')
              FROM t WHERE trim(mobile) <> '')""")
    # phonenumbers only for what the SQL pattern left, once per distinct (value, country).
    todo = con.execute("SELECT DISTINCT raw, coalesce(pays, '') FROM ph WHERE e164 IS NULL").fetchall()
    fb = pd.DataFrame([(raw, pays, _e164(raw, country_code(pays) or pays or "FR")) for raw, pays in todo],
                      columns=["raw", "pays", "e164"], dtype=object)
    con.register("ph_fallback", fb)
    con.execute("""
        UPDATE ph SET e164 = f.e164 FROM ph_fallback f
        WHERE ph.e164 IS NULL AND f.raw = ph.raw AND f.pays = coalesce(ph.pays, '')""")
    con.unregister("ph_fallback")
    sirets = con.execute("SELECT DISTINCT siret_digits FROM t WHERE siret_digits IS NOT NULL").fetchall()
    con.register("siret_ok", pd.DataFrame([(s, _siret_ok(s)) for (s,) in sirets], columns=["digits", "ok"]))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE k AS
        SELECT code, part, 'email' AS ktype, email AS key FROM t
        WHERE email IS NOT NULL AND regexp_full_match(email, '{_EMAIL_RE.replace("'", "''")}')
        UNION SELECT ph.code, t.part, 'tel', ph.e164 FROM ph JOIN t USING (code) WHERE ph.e164 IS NOT NULL
        UNION SELECT t.code, t.part, 'siret', t.siret_digits FROM t JOIN siret_ok s ON s.digits = t.siret_digits
              WHERE s.ok
        UNION SELECT t.code, t.part, 'siren', left(t.siret_digits, 9) FROM t
              JOIN siret_ok s ON s.digits = t.siret_digits WHERE s.ok
        UNION SELECT code, part, 'nomcp', name_key || '|' || cp FROM t WHERE name_key IS NOT NULL AND cp IS NOT NULL
        UNION SELECT c.gc_value, t.part, 'codeext', c.connector || ':' || upper(trim(c.external_value))
              FROM correspondences c JOIN t ON t.code = c.gc_value
              WHERE c.domain = 'tiers' AND c.state = 'valide'""")
    con.unregister("siret_ok")


def run(workspace: str | os.PathLike[str], *, connector: str | None = None, today: dt.date | None = None,
        **options: Any) -> DiagnosticResult:
    """Run the « doublon de clients simple » diagnostic.

    Args:
        workspace: the workspace folder.
        connector: restrict external-code collisions to one connector (default: all).
        today: unused (uniform signature).

    Returns:
        Findings (``subject`` = tiers code, one finding per tiers of a collision) and ``clusters``:
        ``{"id", "members", "score": 1.0, "evidence", "keep", "codes"}``.
    """
    start = time.perf_counter()
    out: list[findings.Finding] = []
    pairs: list[tuple[list[str], str, str]] = []   # (members, evidence, code) feeding the clusters
    with store.connect(workspace, read_only=True) as con:
        _prepare(con)
        info = {r["code"]: r for r in _rows(con, "SELECT code, shown, filled, origin, created_at FROM t")}
        out += _invalid(con)
        groups = _rows(con, """
            SELECT k.ktype, k.key, k.part,
                   list(DISTINCT k.code ORDER BY k.code) AS members,
                   list(DISTINCT (k.code, t.name_key, t.addr_key)) AS people,
                   list(DISTINCT t.siret_digits) AS sirets
            FROM k JOIN t USING (code)
            WHERE (? IS NULL OR k.ktype <> 'codeext' OR k.key LIKE ? || ':%')
            GROUP BY ALL HAVING count(DISTINCT k.code) > 1
            ORDER BY k.ktype, k.key""", [connector, connector])
    labels = {"email": ("CLI-DUP-EMAIL", "e-mail"), "tel": ("CLI-DUP-TEL", "téléphone")}

    def emit(code: str, members: list[str], value: str, column: str, level: findings.Level | None = None,
             note: str = "", hint: str | None = None, relation: str | None = None) -> None:
        names = ", ".join(f"{m} ({info[m]['shown']})" for m in members)
        # CLI-SHARED says in its message how the tiers are related; the others add the note to the list.
        shared = {"kind": column.capitalize(), "relation": relation} if relation else {}
        detail = names if relation else names + (f" — {note}" if note else "")
        for m in members:
            out.append(findings.make(code, level, subject=m, value=value, column=column, hint=hint, detail=detail,
                                     members=members, **shared))

    for g in groups:
        kt, key, members = g["ktype"], g["key"], g["members"]
        if kt in labels:
            code, what = labels[kt]
            by_name: dict[str, list[str]] = {}
            for m, name_key, _addr in g["people"]:
                by_name.setdefault(name_key or m, []).append(m)
            for same in by_name.values():
                if len(same) > 1:
                    same = sorted(same)
                    emit(code, same, key, what)
                    pairs.append((same, f"{what} {key}", code))
            if len(by_name) > 1:
                addresses = {a for _, _, a in g["people"]}
                if len(addresses) == 1:
                    # A household (or one office): related people, so not CLI-SHARED's « sans lien » wording.
                    emit("CLI-SHARED", members, key, what, findings.Level.ALERTE,
                         relation="des tiers à la même adresse (foyer)",
                         hint=f"Pas un doublon : donnez à chacun son propre {what} ou faites de l'un un contact "
                              "de l'autre, pour que les commandes arrivent sur le bon tiers.")
                else:
                    emit("CLI-SHARED", members, key, what, relation="des tiers sans lien")
        elif kt == "siret":
            emit("CLI-DUP-SIRET", members, key, "SIRET", None, "même SIRET")
            pairs.append((members, f"SIRET {key}", "CLI-DUP-SIRET"))
        elif kt == "siren" and len({s for s in g["sirets"] if s}) > 1:
            emit("CLI-DUP-SIRET", members, key, "SIREN", findings.Level.ALERTE,
                 "même SIREN, SIRET différents : établissements distincts d'une société, pas des doublons",
                 hint="Deux établissements d'une même société : ce ne sont pas des doublons, vérifiez seulement "
                      "que chaque fiche porte le bon SIRET.")
        elif kt == "codeext":
            emit("CLI-DUP-CODEEXT", members, key, "code externe")
            pairs.append((members, f"code externe {key}", "CLI-DUP-CODEEXT"))
        elif kt == "nomcp":
            shown = key.replace("|", " ").replace("  ", " ")
            emit("CLI-DUP-NOMCP", members, shown, "nom + code postal")
            pairs.append((members, f"nom + code postal {shown}", "CLI-DUP-NOMCP"))
    from ..mappings.correspondences import stale

    out += [f for f in stale(workspace) if f.column == "tiers" and (connector is None or f.source == connector)]
    return DiagnosticResult(NAME, out, clusters=_clusters(pairs, info), seconds=time.perf_counter() - start)


def _invalid(con: duckdb.DuckDBPyConnection) -> list[findings.Finding]:
    out = []
    for r in _rows(con, f"""
            SELECT code, trim(e.email) AS raw FROM t JOIN tiers e USING (code)
            WHERE t.email IS NOT NULL AND NOT regexp_full_match(t.email, '{_EMAIL_RE.replace("'", "''")}')
            ORDER BY code"""):
        out.append(findings.make("CLI-INVALID", subject=r["code"], column="E-mail", value=r["raw"]))
    for code, raw, digits in con.execute(
            "SELECT code, siret_raw, siret_digits FROM t WHERE siret_raw IS NOT NULL ORDER BY code").fetchall():
        if not _siret_ok(digits or ""):
            out.append(findings.make("CLI-INVALID", subject=code, column="SIRET", value=raw,
                                     hint="SIRET de 14 chiffres dont la clé (Luhn) est fausse : corrigez-le."))
    for r in _rows(con, "SELECT code, col, raw FROM ph WHERE e164 IS NULL ORDER BY code, col"):
        out.append(findings.make("CLI-INVALID", subject=r["code"], column=r["col"].capitalize(), value=r["raw"]))
    return out


def _clusters(pairs: list[tuple[list[str], str, str]], info: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Connected components of the duplicate keys (a handful of groups: plain union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members, _, _ in pairs:
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    comps: dict[str, dict[str, Any]] = {}
    for members, evidence, code in pairs:
        c = comps.setdefault(find(members[0]), {"members": set(), "evidence": [], "codes": []})
        c["members"].update(members)
        if evidence not in c["evidence"]:
            c["evidence"].append(evidence)
        if code not in c["codes"]:
            c["codes"].append(code)

    def rank(code: str) -> tuple[int, int, Any, str]:
        r = info[code]
        return (-int(r["filled"]), 0 if r["origin"] == "gc" else 1, r["created_at"], code)

    out = []
    for i, c in enumerate(sorted(comps.values(), key=lambda c: sorted(c["members"])), start=1):
        members = sorted(c["members"])
        out.append({"id": f"S{i:04d}", "members": members, "score": 1.0, "evidence": " ; ".join(c["evidence"]),
                    "keep": min(members, key=rank), "codes": c["codes"]})
    return out
