"""Candidate pairs: several blocking keys, one self-join in DuckDB, pairs de-duplicated.

Comparing every record with every other is quadratic; instead a pair is compared only when the two
records share at least one *blocking key*. Each key is built so that one kind of duplicate lands in
the same block even when the other fields disagree:

========  ===============================================  ===========================================
kind      key                                              catches
========  ===============================================  ===========================================
``em``    normalised e-mail                                moved customers, married names
``ph``    each phone in E.164                              ``06…`` / ``+33 6…`` / ``0033 6…``
``st``    SIRET; ``sn`` SIREN; ``tv`` VAT number           companies (and the two-establishment trap)
``nm``    locality + consonant skeleton of the last name   typos, missing accents, ligatures
          **and** of the first name, in one namespace      swapped first/last names
``co``    locality + skeleton of the company's main word   legal forms, company typos
``ad``    locality + house number + street skeleton        married names, households (to reject them)
``bd``    birth date + first-name skeleton                 married names after a move
``fp``    sorted name tokens, no locality (small blocks)   namesakes in other cities (to report them)
========  ===============================================  ===========================================

The locality is the postcode, else the folded city. A block larger than its cap is dropped (a
shared accounting e-mail on 800 tiers says nothing about any pair); the caps bound the run time.
"""

from __future__ import annotations

import duckdb
import numpy as np

# Largest block compared for each key kind; above it the key is not informative.
CAPS: dict[str, int] = {"em": 60, "ph": 60, "st": 60, "sn": 60, "tv": 60, "nm": 250, "co": 250, "ad": 60,
                        "bd": 60, "fp": 25}


def _key_sql() -> str:
    """One SELECT per key kind over ``dn``; NULL values produce no key."""
    parts = {
        "em": "em",
        "ph": "ph1",
        "ph2": "ph2",
        "st": "siret",
        "sn": "siren",
        "tv": "vat",
        "nm": "loc || '|' || dup_skel(ln)",
        "nm2": "loc || '|' || dup_skel(fn)",
        "co": "loc || '|' || dup_skel(regexp_extract(co, '[a-z0-9]{3,}'))",
        "ad": "loc || '|' || regexp_extract(ad, '[0-9]+') || '|' || "
              "dup_skel(nullif(regexp_extract(ad, '([a-z]{3,})[^a-z]*$', 1), ''))",
        "bd": "CAST(bd AS VARCHAR) || '|' || dup_skel(fn)",
        "fp": "array_to_string(list_sort(list_distinct(string_split(trim(coalesce(ln, '') || ' ' || "
              "coalesce(fn, '')), ' '))), ' ')",
    }
    selects = []
    for name, expr in parts.items():
        kind = name.rstrip("2")
        cond = "ad <> '' AND regexp_matches(ad, '[0-9]')" if kind == "ad" else "TRUE"
        if kind == "fp":
            cond = "ln IS NOT NULL AND fn IS NOT NULL"
        selects.append(f"SELECT idx, '{kind}' AS kind, {expr} AS val FROM dn WHERE {cond}")
    return " UNION ALL ".join(selects)


def candidate_pairs(con: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray]:
    """Distinct candidate pairs ``(l, r)`` with ``l < r`` (record positions), from the table ``dn``."""
    caps = " ".join(f"WHEN '{k}' THEN {v}" for k, v in CAPS.items())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dk AS
        WITH raw AS (SELECT DISTINCT idx, kind, hash(kind || ':' || val) AS k FROM ({_key_sql()}) WHERE val IS NOT NULL),
        sized AS (SELECT idx, k, count(*) OVER (PARTITION BY k) AS n,
                         CASE kind {caps} ELSE 60 END AS cap FROM raw)
        SELECT idx, k FROM sized WHERE n BETWEEN 2 AND cap""")
    res = con.execute("""
        SELECT DISTINCT a.idx AS l, b.idx AS r FROM dk a JOIN dk b ON a.k = b.k AND a.idx < b.idx
        ORDER BY l, r""").fetchnumpy()
    con.execute("DROP TABLE dk")
    return np.asarray(res["l"], dtype=np.int64), np.asarray(res["r"], dtype=np.int64)


def simple_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``dks`` (idx, kind, val): the exact keys of the *simple* mode.

    E-mail, E.164 phone, SIRET, VAT number, and the OpenRefine fingerprint of the name (or the
    company without its legal form) with the postcode or city.
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dks AS
        WITH raw AS (
            SELECT idx, 'email' AS kind, em AS val FROM dn
            UNION ALL SELECT idx, 'telephone', ph1 FROM dn
            UNION ALL SELECT idx, 'telephone', ph2 FROM dn
            UNION ALL SELECT idx, 'siret', siret FROM dn
            UNION ALL SELECT idx, 'tva', vat FROM dn
            UNION ALL SELECT idx, 'nom_cp', loc || '|' || array_to_string(list_sort(list_distinct(
                string_split(trim(coalesce(ln, '') || ' ' || coalesce(fn, '')), ' '))), ' ') FROM dn
                WHERE ln IS NOT NULL AND loc <> ''
            UNION ALL SELECT idx, 'societe_cp', loc || '|' || array_to_string(list_sort(list_distinct(
                string_split(co, ' '))), ' ') FROM dn WHERE co IS NOT NULL AND loc <> '')
        SELECT DISTINCT idx, kind, val FROM raw WHERE val IS NOT NULL""")
