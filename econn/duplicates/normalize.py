"""Bulk normalisation of customer records inside DuckDB (no Python loop over rows).

The caller's DataFrame is mapped to canonical *roles* (``last_name``, ``email``…), then one SQL
statement builds the table ``dn`` with one row per record (``idx`` = its position) and the keys the
blocking and comparison steps need:

* names and companies are ASCII-folded **after** expanding the ligatures (œ → oe, æ → ae), because
  ``strip_accents`` keeps them and a plain NFKD fold would drop them;
* legal forms (SARL, SAS, EURL, EI, SA…) are removed from company names;
* abbreviated street types are expanded token by token (bd → boulevard, av → avenue, r → rue…);
* phones become E.164 (``06…``, ``+33 6…``, ``0033 6…`` and ``+33 (0)6…`` give one key), and French
  numbers are typed mobile (``+336``/``+337``) or landline, because a shared landline is a household
  sign while a shared mobile is a personal identifier;
* exact identifiers (e-mail, phones, SIRET, SIREN, VAT number, birth date) are also hashed to 64-bit
  integers so that the comparison step tests equality on numpy arrays.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

ROLES: tuple[str, ...] = (
    "company", "last_name", "first_name", "email", "phone", "mobile", "address", "postal_code", "city",
    "country", "siret", "vat_number", "birth_date",
)

# French labels of the roles, used in evidence and in the differing fields of a cluster.
LABELS: dict[str, str] = {
    "company": "société", "last_name": "nom", "first_name": "prénom", "email": "e-mail",
    "phone": "téléphone", "mobile": "mobile", "address": "adresse", "postal_code": "code postal",
    "city": "ville", "country": "pays", "siret": "SIRET", "vat_number": "n° TVA",
    "birth_date": "date de naissance",
}

LEGAL_FORMS = ("sarl", "sas", "sasu", "eurl", "ei", "eirl", "sa", "sci", "snc", "scp", "scop", "selarl",
               "sca", "gie", "ets", "etablissements", "cie", "ste", "societe", "earl", "gaec", "scea")

# Abbreviated street types (folded tokens) → full word, applied token by token through a SQL MAP.
_STREET: dict[str, tuple[str, ...]] = {
    "boulevard": ("bd", "bld", "blvd", "boul", "bvd"), "avenue": ("av", "ave", "aven"), "rue": ("r",),
    "chemin": ("ch", "chem", "chm"), "place": ("pl", "plc"), "allee": ("all", "al"), "impasse": ("imp",),
    "route": ("rte", "rt"), "faubourg": ("fg", "fbg", "faub"), "square": ("sq",), "cours": ("crs",),
    "quai": ("qu", "qua"), "residence": ("res", "resid"), "lotissement": ("lotiss",), "passage": ("pass", "psg"),
    "promenade": ("prom",), "esplanade": ("esp",), "hameau": ("ham",), "saint": ("st",), "sainte": ("ste",),
    "general": ("gal", "gen"), "marechal": ("mal",), "bis": ("b",),
}
STREET_ABBREVIATIONS: dict[str, str] = {abbr: full for full, abbrs in _STREET.items() for abbr in abbrs}

# Doubled letters a phonetic key folds (RE2 has no back-references, so they are listed).
_DOUBLES = ("bb", "cc", "dd", "ff", "gg", "kk", "ll", "mm", "nn", "pp", "rr", "ss", "tt", "zz")


def _q(s: str) -> str:
    """A SQL string literal for one of this module's constants (never for user data)."""
    return "'" + s.replace("'", "''") + "'"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary SQL macros the normalisation uses on this connection."""
    legal = "|".join(LEGAL_FORMS)
    street_map = "MAP {" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in STREET_ABBREVIATIONS.items()) + "}"
    dedup = "x"
    for d in _DOUBLES:
        dedup = f"replace({dedup}, {_q(d)}, {_q(d[0])})"
    macros = [
        # Ligatures first: strip_accents keeps œ/æ, and dropping them would turn Lœuillet into Luillet.
        """CREATE OR REPLACE TEMP MACRO dup_fold(v) AS nullif(trim(regexp_replace(strip_accents(lower(
               replace(replace(replace(replace(replace(CAST(v AS VARCHAR), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'),
               'Æ', 'ae'), 'ß', 'ss'))), '[^a-z0-9]+', ' ', 'g')), '')""",
        f"""CREATE OR REPLACE TEMP MACRO dup_company(v) AS nullif(trim(regexp_replace(regexp_replace(
               dup_fold(v), '\\b({legal})\\b', ' ', 'g'), ' +', ' ', 'g')), '')""",
        # Token lookup, 5× faster than one regexp_replace per street type.
        f"""CREATE OR REPLACE TEMP MACRO dup_street(x) AS array_to_string(list_transform(string_split(x, ' '),
               lambda t: coalesce({street_map}[t], t)), ' ')""",
        f"CREATE OR REPLACE TEMP MACRO dup_dedup(x) AS {dedup}",
        # Consonant skeleton: first letter, then the consonants without h and doubled letters.
        # Girard / Girrard → grd; it tolerates vowel typos and missing accents in blocking keys.
        """CREATE OR REPLACE TEMP MACRO dup_skel(v) AS CASE WHEN v IS NULL THEN NULL ELSE
               left(v, 1) || dup_dedup(dup_dedup(regexp_replace(substr(replace(v, ' ', ''), 2), '[aeiouyh]', '', 'g'))) END""",
        # E.164: keep digits and a leading +; 00 → +; a French national 0X… → +33X…; +33 (0)6 → +336.
        """CREATE OR REPLACE TEMP MACRO dup_phone_raw(v) AS regexp_replace(CAST(v AS VARCHAR), '[^0-9+]', '', 'g')""",
    ]
    for m in macros:
        con.execute(m)
    con.execute("""
        CREATE OR REPLACE TEMP MACRO dup_phone_e164(s) AS CASE
            WHEN s IS NULL OR length(replace(s, '+', '')) < 8 THEN NULL
            WHEN s[1] = '+' THEN CASE WHEN s LIKE '+330%' AND length(s) = 13 THEN '+33' || substr(s, 5)
                                      ELSE '+' || replace(substr(s, 2), '+', '') END
            WHEN s LIKE '00%' THEN CASE WHEN s LIKE '00330%' AND length(s) = 14 THEN '+33' || substr(s, 6)
                                        ELSE '+' || substr(s, 3) END
            WHEN length(s) = 10 AND s[1] = '0' THEN '+33' || substr(s, 2)
            WHEN length(s) = 9 AND s[1] IN ('1', '2', '3', '4', '5', '6', '7', '9') THEN '+33' || s
            ELSE NULL END""")
    con.execute("""
        CREATE OR REPLACE TEMP MACRO dup_phone_ok(p) AS CASE
            WHEN p IS NULL THEN NULL
            WHEN p LIKE '+33%' AND length(p) <> 12 THEN NULL
            WHEN length(p) NOT BETWEEN 9 AND 16 THEN NULL
            ELSE p END""")


def canonical_frame(records: pd.DataFrame, roles: Mapping[str, str], id_column: str) -> pd.DataFrame:
    """The records with one column per role (missing roles are absent) plus ``id``.

    Raises:
        ValueError: a role is unknown, or a mapped column or the id column is missing.
    """
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown roles {unknown}; expected some of {list(ROLES)}")
    missing = [c for c in [id_column, *roles.values()] if c not in records.columns]
    if missing:
        raise ValueError(f"columns not in the records: {missing}")
    out = pd.DataFrame({"id": records[id_column].astype(str).to_numpy()})
    for role, column in roles.items():
        col = records[column]
        if role == "birth_date":
            col = pd.to_datetime(col, errors="coerce", dayfirst=True).dt.strftime("%Y-%m-%d")
        # Object column with None for every missing value: a float NaN would reach SQL as 'nan'.
        values = col.to_numpy(dtype=object, copy=True)
        missing = col.isna().to_numpy()
        values[missing] = None
        out[role] = pd.Series(values, dtype=object)
    return out


def _sql_role(present: set[str], role: str) -> str:
    """The canonical column, or a typed NULL when the caller's table has no such role."""
    return role if role in present else "CAST(NULL AS VARCHAR)"


def build(con: duckdb.DuckDBPyConnection, canon: pd.DataFrame) -> None:
    """Create the table ``dn`` (one normalised row per record, ``idx`` = row position)."""
    install_macros(con)
    present = set(canon.columns) - {"id"}
    r = {role: _sql_role(present, role) for role in ROLES}
    con.register("dup_input", canon)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dn AS
        WITH c AS (SELECT (row_number() OVER () - 1)::INTEGER AS idx, * FROM dup_input),
        -- Stages, not nested macros: a macro repeats its argument's expression at each use.
        raw AS (
            SELECT *, dup_phone_raw({r['phone']}) AS r1, dup_phone_raw({r['mobile']}) AS r2 FROM c),
        e164 AS (SELECT *, dup_phone_e164(r1) AS e1, dup_phone_e164(r2) AS e2 FROM raw),
        base AS (
            SELECT idx,
                   dup_company({r['company']}) AS co,
                   dup_fold({r['last_name']}) AS ln,
                   dup_fold({r['first_name']}) AS fn,
                   nullif(lower(trim(CAST({r['email']} AS VARCHAR))), '') AS em0,
                   dup_phone_ok(e1) AS p1,
                   dup_phone_ok(e2) AS p2,
                   dup_street(dup_fold({r['address']})) AS ad,
                   nullif(regexp_replace(CAST({r['postal_code']} AS VARCHAR), '[^0-9A-Za-z]', '', 'g'), '') AS cp,
                   nullif(trim(regexp_replace(regexp_replace(dup_fold({r['city']}), '\\bcedex( [0-9]+)?\\b', '', 'g'),
                          '\\bste?\\b', 'saint', 'g')), '') AS ci,
                   nullif(upper(trim(CAST({r['country']} AS VARCHAR))), '') AS pays,
                   nullif(regexp_replace(CAST({r['siret']} AS VARCHAR), '[^0-9]', '', 'g'), '') AS sir,
                   nullif(upper(regexp_replace(CAST({r['vat_number']} AS VARCHAR), '[^0-9A-Za-z]', '', 'g')), '')
                       AS vat,
                   TRY_CAST({r['birth_date']} AS DATE) AS bd
            FROM e164)
        SELECT idx, co, ln, fn, ad, cp, ci, pays, bd, vat,
               CASE WHEN regexp_full_match(em0, '[^@\\s]+@[^@\\s]+\\.[a-z]{{2,}}') THEN em0 END AS em,
               -- Two phone slots whatever column the number was typed in; ph2 only when it differs.
               coalesce(p1, p2) AS ph1,
               CASE WHEN p1 IS NOT NULL AND p2 IS DISTINCT FROM p1 THEN p2 END AS ph2,
               CASE WHEN length(sir) = 14 THEN sir END AS siret,
               CASE WHEN length(sir) IN (9, 14) THEN left(sir, 9)
                    WHEN vat LIKE 'FR%' AND length(vat) = 13 THEN right(vat, 9) END AS siren,
               -- Locality for blocking: the postcode, else the folded city.
               coalesce(cp, ci, '') AS loc
        FROM base""")
    con.unregister("dup_input")
