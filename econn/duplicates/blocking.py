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
``nm``    locality + consonant skeleton of one name +      typos, missing accents, ligatures,
          initial of the other (both ways, one namespace)  swapped first/last names
``nf``    locality + skeletons of both names (both ways)   the same where ``nm`` overflows its cap
``co``    locality + skeleton of the company's main word   legal forms, company typos
``ad``    locality + house number + street skeleton        married names, households (to reject them)
``bd``    birth date + first-name skeleton                 married names after a move
``fp``    sorted name tokens, no locality (small blocks)   namesakes in other cities (to report them)
========  ===============================================  ===========================================

The locality is the postcode, else the folded city. A block larger than its cap is dropped (a
shared accounting e-mail on 800 tiers says nothing about any pair); the caps bound the run time.
Name keys carry the other name's initial (or skeleton) because a locality + surname block grows with
the table: at a million customers « Martin » in Paris is thousands of records, and the pairs of a
block grow with its square. Skeletons are computed once per distinct value, not once per record.
"""

from __future__ import annotations

import duckdb
import numpy as np

# Largest block compared for each key kind; above it the key is not informative.
CAPS: dict[str, int] = {"em": 60, "ph": 60, "st": 60, "sn": 60, "tv": 60, "nm": 40, "nf": 250, "co": 250, "ad": 60,
                        "bd": 60, "fp": 25}


def _key_sql() -> str:
    """One SELECT per key kind over ``dkin`` (see :func:`_prepare_keys`); NULL values produce no key."""
    parts = {
        "em": "em",
        "ph": "ph1",
        "ph2": "ph2",
        "st": "siret",
        "sn": "siren",
        "tv": "vat",
        # Name skeleton with the other name's initial: swapped names still meet (nm ↔ nm2).
        "nm": "loc || '|' || sln || '|' || coalesce(left(fn, 1), '')",
        "nm2": "loc || '|' || sfn || '|' || coalesce(left(ln, 1), '')",
        # The same with both skeletons: common names in big cities overflow the cap above, not this.
        "nf": "loc || '|' || sln || '|' || sfn",
        "nf2": "loc || '|' || sfn || '|' || sln",
        "co": "loc || '|' || sco || '|' || coi",
        "ad": "loc || '|' || adn || '|' || sadw",
        "bd": "CAST(bd AS VARCHAR) || '|' || sfn",
        "fp": "array_to_string(list_sort(list_distinct(string_split(trim(coalesce(ln, '') || ' ' || "
              "coalesce(fn, '')), ' '))), ' ')",
    }
    selects = []
    for name, expr in parts.items():
        kind = name.rstrip("2")
        cond = "ln IS NOT NULL AND fn IS NOT NULL" if kind == "fp" else "TRUE"
        selects.append(f"SELECT idx, '{kind}' AS kind, {expr} AS val FROM dkin WHERE {cond}")
    return " UNION ALL ".join(selects)


def _prepare_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``dkin``: the fields of ``dn`` the keys use, skeletons computed once per distinct value."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dkin0 AS
        SELECT idx, loc, em, ph1, ph2, siret, siren, vat, bd, ln, fn,
               regexp_extract(co, '[a-z0-9]{3,}') AS cow,
               left(regexp_extract(co, '([a-z0-9]+)[^a-z0-9]*$', 1), 1) AS coi,
               CASE WHEN ad <> '' AND regexp_matches(ad, '[0-9]') THEN regexp_extract(ad, '[0-9]+') END AS adn,
               nullif(regexp_extract(ad, '([a-z]{3,})[^a-z]*$', 1), '') AS adw
        FROM dn""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE dkin AS
        WITH v AS (SELECT ln AS v FROM dkin0 UNION SELECT fn FROM dkin0 UNION SELECT cow FROM dkin0
                   UNION SELECT adw FROM dkin0),
        sk AS (SELECT v, dup_skel(v) AS s FROM v WHERE v IS NOT NULL)
        SELECT d.*, a.s AS sln, b.s AS sfn, c.s AS sco, e.s AS sadw
        FROM dkin0 d LEFT JOIN sk a ON a.v = d.ln LEFT JOIN sk b ON b.v = d.fn
             LEFT JOIN sk c ON c.v = d.cow LEFT JOIN sk e ON e.v = d.adw""")
    con.execute("DROP TABLE dkin0")


def candidate_pairs(con: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray]:
    """Distinct candidate pairs ``(l, r)`` with ``l < r`` (record positions), from the table ``dn``."""
    caps = " ".join(f"WHEN '{k}' THEN {v}" for k, v in CAPS.items())
    _prepare_keys(con)
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
    con.execute("DROP TABLE dkin")
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
