"""Tiers of a received file: match the billing blocks with the GC tiers, plan the ones to create."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .. import store
from .context import Connector
from .model import T_ABSENT, T_CREATE, T_HOMONYM, T_MATCH, ReceptionError, TiersRecap

HOMONYM_POLICIES = (None, "ask", "create", "assign")
_RECORD_FIELDS = ("client_ext_id", "code_erp", "societe", "civilite", "nom", "prenom", "email", "telephone",
                  "mobile", "adresse1", "adresse2", "code_postal", "ville", "pays")
_LEGAL_FORMS = {"SARL", "SAS", "SASU", "EURL", "EI", "SA", "SCI", "SNC", "SCP", "SELARL", "EIRL", "ETS", "CIE",
                "EARL", "GAEC", "SCEA", "STE", "SOCIETE"}
_STOP = {"LE", "LA", "LES", "DE", "DES", "DU", "L", "D", "ET"}


def display_name(societe: Any, nom: Any, prenom: Any) -> str:
    """The name shown in history and documents: the company, else « Prénom NOM » (as the demo's history)."""
    if isinstance(societe, str) and societe.strip():
        return societe.strip()
    parts = [p.strip() for p in (prenom, nom.upper() if isinstance(nom, str) else nom)
             if isinstance(p, str) and p.strip()]
    return " ".join(parts)


def match_file_tiers(ws: Path, conn: Connector, con: duckdb.DuckDBPyConnection, col: Any, *,
                     homonyms: str | None, decisions: dict[str, str] | None) -> dict[str, TiersRecap]:
    """Match the distinct customers of a file (table ``d``) and decide their status.

    The first document of a customer gives its record (billing block). A homonym, or an identifier
    shared by several GC tiers, waits for a decision (``decisions[key]`` = ``"create"`` or a GC code,
    or the ``homonyms`` policy); a shared identifier is never resolved by the ``assign`` policy.

    Raises:
        ReceptionError: unknown homonym policy, or a decision naming an unknown or inactive GC tiers.
    """
    if homonyms not in HOMONYM_POLICIES:
        raise ReceptionError(f"unknown homonym policy {homonyms!r}",
                             f"Choix des homonymes inconnu « {homonyms} » (ask, create ou assign).")
    decisions = dict(decisions or {})
    fields = ", ".join(f"d.{f}" for f in _RECORD_FIELDS)
    df = con.execute(f"""
        SELECT d.tkey, {fields}, mp.gc AS pays_gc, d.doc, d.occ, d.first_line, x.docs
        FROM d LEFT JOIN map_pays mp ON mp.ext = d.pays
        JOIN (SELECT tkey, list(doc ORDER BY first_line) AS docs FROM d GROUP BY tkey) x ON x.tkey = d.tkey
        QUALIFY row_number() OVER (PARTITION BY d.tkey ORDER BY d.first_line) = 1
        ORDER BY d.first_line""").df()
    if df.empty:
        return {}
    records = pd.DataFrame({"code_ext": df["client_ext_id"], "code_erp": df["code_erp"], "email": df["email"],
                            "telephone": df["telephone"], "mobile": df["mobile"], "nom": df["nom"],
                            "prenom": df["prenom"], "societe": df["societe"], "code_postal": df["code_postal"],
                            "ville": df["ville"]})
    matched = _match(con, conn.code, records)
    chosen = {v for v in decisions.values() if v != "create"}
    if chosen:
        with store.connect(ws, read_only=True) as src:
            ok = {r[0] for r in src.execute("SELECT code FROM tiers WHERE actif AND list_contains(?, code)",
                                            [sorted(chosen)]).fetchall()}
        if chosen - ok:
            bad = ", ".join(sorted(chosen - ok))
            raise ReceptionError(f"unknown GC tiers in decisions: {bad}",
                                 f"Tiers GC inconnu ou en sommeil dans les choix d'homonymes : {bad}.")
    out: dict[str, TiersRecap] = {}
    rows = df.to_dict("records")
    for rec, (status, code, _score, reason, _ev, cands) in zip(rows, matched.itertuples(index=False), strict=True):
        key = rec["tkey"]
        name = display_name(rec["societe"], rec["nom"], rec["prenom"])
        kind = "societe" if _s(rec["societe"]) else "particulier"
        t = TiersRecap(key, name, T_MATCH, None, list(cands or []), reason or "", kind, list(rec["docs"]),
                       has_code=bool(_s(rec["client_ext_id"])),
                       record={f: _s(rec[f]) or None for f in _RECORD_FIELDS} | {"pays_gc": _s(rec["pays_gc"]) or None})
        where = {"line": int(rec["first_line"]), "customer": key}
        doc_key = (rec["doc"], int(rec["occ"]))
        decision = decisions.get(key)
        if status == "match":
            t.gc_code = code
        elif (status == "create" or decision == "create" or (homonyms == "create" and status in ("homonym",))) \
                and conn.tiers_reception == "aucun":
            _not_received(con, conn, t, col, where)
        elif status == "create" or decision == "create" or (homonyms == "create" and status in ("homonym",)):
            t.status = T_CREATE
            family = conn.client_family or "—"
            col.add("COR-CLI-NEW", doc_key, **where,
                    hint=f"{name} sera créé comme {'société' if kind == 'societe' else 'particulier'} "
                         f"(famille {family}).")
        elif decision:
            t.gc_code, t.reason = decision, f"Affecté par l'utilisateur au tiers {decision}"
        elif homonyms == "assign" and status == "homonym" and code:
            t.gc_code, t.reason = code, f"Affecté au meilleur candidat {code} (homonyme)"
        else:
            t.status, t.gc_code = T_HOMONYM, code
            col.add("COR-CLI-HOMO", doc_key, **where,
                    hint=f"{reason} Candidats : {', '.join(t.candidates) or '—'}.")
        out[key] = t
    return out


def _not_received(con: duckdb.DuckDBPyConnection, conn: Connector, t: TiersRecap, col: Any,
                  where: dict[str, Any]) -> None:
    """« Réception des tiers : Non concerné »: an unknown customer is never created. Its orders go to the
    connector's default customer (COR-CLI-DEF, alerte), or, without one, each is blocked (COR-CLI-ABS)."""
    docs = con.execute("SELECT doc, occ, first_line FROM d WHERE tkey = ? ORDER BY first_line",
                       [t.external_code]).fetchall()
    if conn.default_client:
        t.status, t.gc_code, t.by_default = T_MATCH, conn.default_client, True
        t.reason = "Client par défaut du connecteur (réception des tiers « Non concerné »)"
        for doc, occ, line in docs:
            col.add("COR-CLI-DEF", (doc, int(occ)), line=int(line), customer=t.external_code,
                    client=conn.default_client)
        return
    t.status, t.reason = T_ABSENT, "Client inconnu de la GC ; la réception des tiers est « Non concerné »"
    for doc, occ, line in docs:
        col.add("COR-CLI-ABS", (doc, int(occ)), line=int(line), customer=t.external_code)


# Measured on the demo (2,600 GC tiers, 2 cores): match_tiers normalises every GC phone and name on each
# call, ~4 s. Its keys are exact (code, e-mail, E.164 phone, name fingerprints), so a GC tiers can only
# match a record if they share a code, an e-mail, the last 8 digits of a phone or one name token: we keep
# those (a superset, ~50 ms) in the analysis connection and run the same matcher on them.
_PREFILTER = """
    CREATE OR REPLACE TABLE tiers AS
    WITH rec AS (SELECT * FROM _rec_df),
    toks AS (SELECT DISTINCT unnest(regexp_split_to_array(lower(strip_accents(replace(replace(
                 concat_ws(' ', nom, prenom, societe), 'œ', 'oe'), 'Œ', 'OE'))), '[^a-z0-9]+')) AS tok FROM rec),
    gtoks AS (SELECT code, unnest(regexp_split_to_array(lower(strip_accents(replace(replace(
                 concat_ws(' ', nom, prenom, societe), 'œ', 'oe'), 'Œ', 'OE'))), '[^a-z0-9]+')) AS tok FROM gc_tiers),
    phones AS (SELECT DISTINCT right(regexp_replace(p, '[^0-9]', '', 'g'), 8) AS suffix
               FROM (SELECT telephone AS p FROM rec UNION ALL SELECT mobile FROM rec)
               WHERE length(regexp_replace(p, '[^0-9]', '', 'g')) >= 6)
    SELECT g.* FROM gc_tiers g
    WHERE g.code IN (SELECT code_erp FROM rec)
       OR g.code IN (SELECT c.gc_value FROM correspondences c JOIN rec ON rec.code_ext = c.external_value)
       OR lower(trim(g.email)) IN (SELECT lower(trim(email)) FROM rec)
       OR right(regexp_replace(coalesce(g.telephone, ''), '[^0-9]', '', 'g'), 8) IN (SELECT suffix FROM phones)
       OR right(regexp_replace(coalesce(g.mobile, ''), '[^0-9]', '', 'g'), 8) IN (SELECT suffix FROM phones)
       OR g.code IN (SELECT gtoks.code FROM gtoks JOIN toks USING (tok) WHERE length(tok) >= 2)
"""
_BY_CODE = """
    SELECT r.i, coalesce(e.code, c.gc_value) AS code, e.code IS NOT NULL AS forced
    FROM _rec_df r LEFT JOIN gc_tiers e ON e.code = r.code_erp
    LEFT JOIN (SELECT c.external_value, any_value(c.gc_value) AS gc_value, count(DISTINCT c.gc_value) AS n
               FROM correspondences c JOIN gc_tiers g ON g.code = c.gc_value
               WHERE c.state = 'valide' GROUP BY 1) c ON c.external_value = r.code_ext AND c.n = 1
    WHERE coalesce(e.code, c.gc_value) IS NOT NULL"""


def _match(con: duckdb.DuckDBPyConnection, connector: str, records: pd.DataFrame) -> pd.DataFrame:
    """:func:`econn.mappings.match_tiers`, with its first rule (stored external code or forced GC code) in SQL
    and the others on the candidate GC tiers only (see ``_PREFILTER``)."""
    from ..mappings.tiers import CREATE, MATCH, STRONG_KEYS, match_tiers_con

    # Text columns as pandas' string dtype: DuckDB reads them as VARCHAR whatever they hold. An object column
    # of None only (no record with a forced GC code) is INTEGER to DuckDB 1.4, and `g.code IN (…)` fails.
    text = records.astype("string")
    con.register("_rec_df", text.assign(i=range(len(records))))
    try:
        by_code = {int(i): (code, forced) for i, code, forced in con.execute(_BY_CODE).fetchall()}
        rest = records.iloc[[i for i in range(len(records)) if i not in by_code]]
        con.unregister("_rec_df")
        con.register("_rec_df", text.loc[rest.index])
        con.execute(_PREFILTER)
    finally:
        con.unregister("_rec_df")
    res = match_tiers_con(con, connector, rest) if len(rest) else pd.DataFrame(
        columns=["status", "gc_code", "score", "reason", "evidence", "candidates"])
    rows = []
    for i in range(len(records)):
        if i in by_code:
            code, forced = by_code[i]
            what = STRONG_KEYS["code_erp" if forced else "code_ext"][1]
            rows.append((MATCH, code, 1.0, f"Tiers identifié par le {what}", "", [code]))
        else:
            rows.append(tuple(res.loc[records.index[i]]) if len(res) else (CREATE, None, 0.0, "", "", []))
    return pd.DataFrame(rows, columns=["status", "gc_code", "score", "reason", "evidence", "candidates"])


def _s(x: Any) -> str:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return ""
    return str(x).strip()


def _letters(text: str) -> list[str]:
    t = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    t = "".join(c for c in t if not unicodedata.combining(c)).upper()
    return re.findall(r"[A-Z0-9]+", t)


def code_stem(record: dict[str, Any]) -> str:
    """Stem of a new tiers code, as the GC does: company → 5 letters of its name; person → NOM[:3] + PRÉNOM[:2]."""
    soc = [w for w in _letters(record.get("societe") or "") if w not in _LEGAL_FORMS]
    if soc:
        words = [w for w in soc if w not in _STOP] or soc
        return "".join(words)[:5] or "CLI"
    nom = "".join(_letters(record.get("nom") or ""))
    prenom = "".join(_letters(record.get("prenom") or ""))
    stem = nom[:3] + prenom[:2]
    return stem or "".join(_letters(record.get("email") or ""))[:5] or "CLI"


def new_code(record: dict[str, Any], taken: set[str]) -> str:
    """A tiers code not in ``taken`` (stem, then stem01, stem02…); adds it to ``taken``."""
    stem = code_stem(record)
    code, n = stem, 0
    while code in taken:
        n += 1
        code = f"{stem}{n:02d}"
    taken.add(code)
    return code
