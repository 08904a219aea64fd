"""Correspondences storage: external value → GC value per connector and domain.

States (OpenRefine judgments, with « not yet checked » distinct from « no match »):
``non_verifie`` (nobody looked, or identifiers were ambiguous), ``suggere`` (a computed candidate
waits for a human), ``valide`` (applies), ``aucune`` (checked: no GC value fits), ``a_creer`` (the
GC value must be created, e.g. a new tiers). Origins: ``manuelle``, ``suggestion``, ``import``
(Excel), ``auto``.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from typing import Any

import duckdb
import pandas as pd

from .. import findings, store
from ..errors import EconnError
from . import DOMAINS, check_domain, lookup_country, suggest_con
from .countries import ISO, NAME
from .suggestion import AMBIGUOUS, AMBIGUOUS_PREFIX, HOMONYM_PREFIX, NEAR_PREFIX

STATES = ("non_verifie", "suggere", "valide", "aucune", "a_creer")
ORIGINS = ("manuelle", "suggestion", "import", "auto")
# Reasons that mark candidates a human must confirm one by one (see mappings.suggestion).
NEVER_BULK_PREFIXES = (NEAR_PREFIX, HOMONYM_PREFIX, AMBIGUOUS_PREFIX)

_GC_NAME = {"tva": "des codes TVA", "unite": "des unités", "pays": "des pays",
            "reglement": "des modes de règlement", "article": "des articles", "tiers": "des tiers"}
_HAS_ACTIF = {"tva": True, "unite": True, "pays": False, "reglement": True, "article": True, "tiers": True}


class MappingError(EconnError):
    """A correspondence cannot be stored as asked (unknown GC value, connector, state…)."""


def _user(user: str | None) -> str:
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "econn"


def gc_table(domain: str) -> str:
    """The GC table holding the values of a domain (its key column is ``code``)."""
    return DOMAINS[check_domain(domain)][1]


def gc_values(con: duckdb.DuckDBPyConnection, domain: str, *, active_only: bool = True) -> list[str]:
    """The GC codes of a domain, sorted (active ones only by default)."""
    where = " WHERE actif" if active_only and _HAS_ACTIF[domain] else ""
    return [r[0] for r in con.execute(f"SELECT code FROM {store.quote_ident(gc_table(domain))}{where} "
                                      "ORDER BY code").fetchall()]


def check_gc_value(con: duckdb.DuckDBPyConnection, domain: str, gc_value: str) -> str | None:
    """None when the GC value exists and is active, else the French reason it cannot be used."""
    actif = "actif" if _HAS_ACTIF[domain] else "true"
    row = store.first(con.execute(f"SELECT {actif} FROM {store.quote_ident(gc_table(domain))} WHERE code = ?",
                      [gc_value]))
    if row is None:
        return f"valeur GC « {gc_value} » absente de la table {_GC_NAME[domain]}"
    if not row[0]:
        return f"valeur GC « {gc_value} » en sommeil (inactive) dans la table {_GC_NAME[domain]}"
    return None


def check_row(con: duckdb.DuckDBPyConnection, connector: str, domain: str, external_value: str,
              gc_value: str | None, state: str) -> str | None:
    """None when a correspondence can be stored, else the French reason (shared by Excel import)."""
    if domain not in DOMAINS:
        return f"domaine inconnu « {domain} »"
    if state not in STATES:
        return f"état inconnu « {state} » (attendu : {', '.join(STATES)})"
    if not str(external_value or "").strip():
        return "valeur externe vide"
    if store.first(con.execute("SELECT 1 FROM connectors WHERE code = ?", [connector])) is None:
        return f"connecteur inconnu « {connector} »"
    if state in ("valide", "suggere"):
        if not gc_value:
            return f"l'état « {state} » demande une valeur GC"
        return check_gc_value(con, domain, gc_value)
    if gc_value:
        return f"l'état « {state} » ne prend pas de valeur GC (« {gc_value} » donnée)"
    return None


def get(workspace: str | os.PathLike[str], connector: str | None = None,
        domain: str | None = None) -> pd.DataFrame:
    """Stored correspondences (all connectors/domains when None), values not yet validated first."""
    if domain is not None:
        check_domain(domain)
    with store.connect(workspace, read_only=True) as con:
        return con.execute(
            "SELECT * FROM correspondences WHERE (? IS NULL OR connector = ?) AND (? IS NULL OR domain = ?) "
            "ORDER BY connector, domain, state = 'valide', external_value, external_variant",
            [connector, connector, domain, domain]).df()


def upsert(con: duckdb.DuckDBPyConnection, connector: str, domain: str, external_value: str, variant: str,
           gc_value: str | None, state: str, origin: str, score: float | None, reason: str | None,
           user: str) -> None:
    """Insert or replace one correspondence in the caller's transaction (no validation)."""
    con.execute("""
        INSERT INTO correspondences (connector, domain, external_value, external_variant, gc_value, state,
                                     origin, score, reason, updated_by, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)
        ON CONFLICT (connector, domain, external_value, external_variant) DO UPDATE SET
            gc_value = excluded.gc_value, state = excluded.state, origin = excluded.origin,
            score = excluded.score, reason = excluded.reason, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at""",
                [connector, domain, external_value, variant, gc_value, state, origin, score, reason, user])


def set_mapping(workspace: str | os.PathLike[str], connector: str, domain: str, external_value: str,
                gc_value: str | None, *, variant: str = "", state: str = "valide", origin: str = "manuelle",
                score: float | None = None, reason: str | None = None, user: str | None = None) -> None:
    """Store one correspondence after checking it.

    Raises:
        MappingError: unknown domain, connector, state or origin; empty external value; a GC value
            that does not exist or is in sommeil; a ``valide``/``suggere`` row without GC value or an
            ``aucune``/``a_creer``/``non_verifie`` row with one. The French message says which.
    """
    if origin not in ORIGINS:
        raise MappingError(f"unknown origin {origin!r}", f"Origine inconnue « {origin} » "
                                                          f"(attendu : {', '.join(ORIGINS)}).")
    gc_value = gc_value.strip() if isinstance(gc_value, str) and gc_value.strip() else None
    with store.transaction(workspace) as con:
        problem = check_row(con, connector, domain, external_value, gc_value, state)
        if problem:
            raise MappingError(f"cannot store {connector}/{domain}/{external_value}: {problem}",
                               f"Correspondance {domain} « {external_value} » refusée : {problem}.")
        upsert(con, connector, domain, external_value, variant or "", gc_value, state, origin, score, reason,
               _user(user))


def bulk_accept(workspace: str | os.PathLike[str], connector: str, domain: str, min_score: float, *,
                user: str | None = None) -> int:
    """Validate the stored suggestions scoring at least ``min_score``; returns how many.

    Near references (ART-NEAR), homonyms and ambiguous tiers are never accepted in bulk, whatever
    their score, nor suggestions whose GC value has since disappeared or gone to sommeil.
    """
    check_domain(domain)
    if not 0 < min_score <= 1:
        raise MappingError(f"min_score {min_score} outside ]0, 1]",
                           f"Le score minimal doit être compris entre 0 (exclu) et 1 ; reçu {min_score}.")
    table = store.quote_ident(gc_table(domain))
    actif = "g.actif" if _HAS_ACTIF[domain] else "true"
    excluded = " AND ".join("coalesce(c.reason, '') NOT LIKE ?" for _ in NEVER_BULK_PREFIXES)
    with store.transaction(workspace) as con:
        row = store.first(con.execute(f"""
            UPDATE correspondences c SET state = 'valide', updated_by = ?, updated_at = current_timestamp
            WHERE c.connector = ? AND c.domain = ? AND c.state = 'suggere' AND c.gc_value IS NOT NULL
              AND c.score >= ? AND {excluded}
              AND EXISTS (SELECT 1 FROM {table} g WHERE g.code = c.gc_value AND {actif})""",
                          [_user(user), connector, domain, min_score,
                           *(p + "%" for p in NEVER_BULK_PREFIXES)]))
    return int(row[0]) if row else 0


def _records_values(domain: str, values: Any) -> tuple[list[str], Any]:
    """External values to store, and what to give the suggestion engine (tiers may come as records)."""
    if isinstance(values, pd.DataFrame):
        if domain != "tiers":
            raise MappingError("records are only accepted for tiers",
                               "Seuls les tiers se décrivent par des fiches ; donnez une liste de valeurs.")
        key = next((c for c in ("code_ext", "email", "nom") if c in values.columns), None)
        if key is None:
            raise MappingError("tiers records need code_ext, email or nom",
                               "Les fiches tiers doivent avoir une colonne code_ext, email ou nom.")
        return [str(v) for v in values[key]], values
    vals = list(dict.fromkeys(str(v) for v in values if v is not None and str(v).strip()))
    return vals, vals


def record_suggestions(workspace: str | os.PathLike[str], connector: str, domain: str,
                       values: Iterable[str] | pd.DataFrame, *, country: str | None = None,
                       labels: Mapping[str, str] | None = None, user: str | None = None) -> int:
    """Compute and store the best suggestion of each external value; returns rows written.

    A value with a candidate becomes ``suggere`` (gc_value, score, reason of the best one); a value
    without any becomes ``aucune`` (checked, nothing found); an ambiguous tiers stays
    ``non_verifie`` with its reason; a tiers to create becomes ``a_creer``. Rows a human decided
    (``valide``, or any state of origin manuelle/import) are never overwritten.
    For ``tiers``, ``values`` may be a DataFrame of records (see :func:`econn.mappings.match_tiers`).
    """
    check_domain(domain)
    keys, payload = _records_values(domain, values)
    rows = []
    with store.transaction(workspace) as con:
        if isinstance(payload, pd.DataFrame):
            from .tiers import CREATE, match_tiers_con

            res = match_tiers_con(con, connector, payload)
            states = {"match": "suggere", "homonym": "suggere", "ambigu": "non_verifie"}
            for key, (status, code, score, reason, *_rest) in zip(keys, res.itertuples(index=False),
                                                                   strict=True):
                state = states.get(status, "a_creer")
                rows.append((key, code if status != "ambigu" else None, state,
                             float(score) if status != CREATE else None, reason))
        else:
            sugg = suggest_con(con, connector, domain, payload, country=country, labels=labels)
            for key in keys:
                cands = sugg.get(key, [])
                if not cands:
                    rows.append((key, None, "a_creer" if domain == "tiers" else "aucune", None,
                                 "Aucune correspondance trouvée"))
                elif cands[0].kind == AMBIGUOUS:
                    rows.append((key, None, "non_verifie", 0.0, cands[0].reason))
                else:
                    rows.append((key, cands[0].gc_value, "suggere", cands[0].score, cands[0].reason))
        batch = [(connector, domain, key, "", gc, state, "suggestion", score, reason, _user(user))
                 for key, gc, state, score, reason in dict((r[0], r) for r in rows).values()]
        if not batch:
            return 0
        con.execute("CREATE TEMP TABLE IF NOT EXISTS _sugg AS SELECT connector, domain, external_value, "
                    "external_variant, gc_value, state, origin, score, reason, updated_by "
                    "FROM correspondences LIMIT 0")
        con.execute("DELETE FROM _sugg")
        con.executemany("INSERT INTO _sugg VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        # A human decision (valide, or any row of origin manuelle/import) is never overwritten.
        row = store.first(con.execute("""
            INSERT INTO correspondences (connector, domain, external_value, external_variant, gc_value, state,
                                         origin, score, reason, updated_by, updated_at)
            SELECT *, current_timestamp FROM _sugg
            ON CONFLICT (connector, domain, external_value, external_variant) DO UPDATE SET
                gc_value = excluded.gc_value, state = excluded.state, origin = excluded.origin,
                score = excluded.score, reason = excluded.reason, updated_by = excluded.updated_by,
                updated_at = excluded.updated_at
            WHERE correspondences.state <> 'valide' AND correspondences.origin NOT IN ('manuelle', 'import')
            """))
        con.execute("DROP TABLE _sugg")
    return int(row[0]) if row else 0


def resolve(workspace: str | os.PathLike[str], connector: str, domain: str,
            values: Iterable[str | tuple[str, str]], *,
            con: duckdb.DuckDBPyConnection | None = None) -> dict[Any, str | None]:
    """The GC value that applies now to each external value (None: the value is blocking).

    Applies, in order: a validated correspondence whose GC value still exists (for a
    ``(value, variant)`` pair, the variant's row, else the value's row without variant); a value equal
    to an active GC code — except for articles; for ``pays``, an unambiguous standard (ISO code or
    official English/French name) present in the GC. Suggestions, variants (« Hollande ») and VAT
    prefixes (« EL ») do not apply without a human.

    Articles need a validated correspondence (manual §1.2.2: « il faut réaliser la correspondance des
    articles »): a shop SKU equal to a GC code is the top suggestion, not an automatic match, so the
    manual's « Arrosage — Sans correspondance » blocks its document as the e-connecteur does.
    """
    check_domain(domain)
    vals = list(dict.fromkeys(values))
    table = store.quote_ident(gc_table(domain))
    with (nullcontext(con) if con is not None else store.connect(workspace, read_only=True)) as c:
        mapped = {(e, v): g for e, v, g in c.execute(f"""
            SELECT c.external_value, c.external_variant, c.gc_value FROM correspondences c
            JOIN {table} g ON g.code = c.gc_value
            WHERE c.connector = ? AND c.domain = ? AND c.state = 'valide'""", [connector, domain]).fetchall()}
        active = set(gc_values(c, domain))
    out: dict[Any, str | None] = {}
    for item in vals:
        value, variant = (item if isinstance(item, tuple) else (item, ""))
        value = str(value)
        hit = mapped.get((value, variant or "")) or mapped.get((value, ""))
        if hit is None and domain != "article" and value.strip() in active:
            hit = value.strip()
        if hit is None and domain == "pays":
            found = lookup_country(value)
            if found and found[1] in (ISO, NAME) and found[0] in active:
                hit = found[0]
        out[item] = hit
    return out


def stale(workspace: str | os.PathLike[str]) -> list[findings.Finding]:
    """COR-STALE findings: validated correspondences whose GC value was deleted or put in sommeil."""
    out: list[findings.Finding] = []
    with store.connect(workspace, read_only=True) as con:
        for domain, (_engine, table, label) in DOMAINS.items():
            actif = "g.actif" if _HAS_ACTIF[domain] else "true"
            rows = con.execute(f"""
                SELECT c.connector, c.external_value, c.external_variant, c.gc_value,
                       g.code IS NULL AS deleted
                FROM correspondences c LEFT JOIN {store.quote_ident(table)} g ON g.code = c.gc_value
                WHERE c.domain = ? AND c.state = 'valide' AND c.gc_value IS NOT NULL
                  AND (g.code IS NULL OR NOT {actif})
                ORDER BY c.connector, c.external_value""", [domain]).fetchall()
            for connector, ext, variant, gc, deleted in rows:
                shown = f"{ext} / {variant}" if variant else ext
                out.append(findings.make(
                    "COR-STALE", mapping=f"{label} « {shown} » ({connector})", gc_value=gc, source=connector,
                    column=domain, detail="supprimé" if deleted else "en sommeil"))
    return out
