"""Pair comparison and scoring, vectorised over all candidate pairs (numpy + rapidfuzz ``cpdist``).

The score is a Fellegi–Sunter match weight: each field adds ``log2(m/u)``-like points when it agrees
and removes some when both records have it and it disagrees; a missing value adds nothing. The
weights are fixed (documented in :data:`WEIGHTS`) and were set on the generator of
``benchmarks/gen_customers.py`` rather than estimated per table, so that a small client table gets
the same decisions as a large one. ``score = 1 / (1 + 2 ** -(W - PRIOR))``: 0.5 at the decision point.

Three rules override the weights, because the weights alone would merge them:

* **household** — two persons whose first names differ (not a typo, not an initial, not ``Louis`` /
  ``Louise``) are two people, even with the same surname, address, landline or family e-mail;
* **establishments** — same SIREN but different SIRET: two establishments of one company;
* **birth dates** — two different birth dates are two people.

When the caller's table has no corroborating field at all (only names and a city, say), the prior
is lowered so that a name match in the same locality is enough; otherwise a name match in one city
with nothing else shared is a namesake (CLI-HOMO), not a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

# Match weights in bits (log2 of the likelihood ratio), agreement / disagreement.
WEIGHTS: dict[str, float] = {
    "ln_exact": 5.0, "ln_close": 4.0, "ln_similar": 2.0, "ln_diff": -3.0,
    "fn_exact": 4.0, "fn_close": 3.0, "fn_initial": 1.0,
    "co_exact": 7.0, "co_close": 4.0, "co_similar": 1.0, "co_diff": -5.0,
    "email_eq": 11.0, "email_diff": -1.0,
    "mobile_eq": 11.0, "landline_eq": 5.0, "phone_diff": -1.0,
    "addr_eq": 5.0, "addr_close": 2.0, "addr_diff": -2.0,
    "cp_eq": 1.5, "cp_diff": -0.5, "city_eq": 1.5, "city_diff": -2.0,
    "siret_eq": 12.0, "siren_eq": 10.0, "siren_diff": -8.0,
    "vat_eq": 8.0, "vat_diff": -6.0,
    "bd_eq": 10.0, "bd_diff": -12.0,
}
PRIOR = 12.0           # weight needed for score 0.5 when corroborating fields exist
PRIOR_NAMES_ONLY = 9.0  # … when the table only has names and a locality
CORROBORATING = {"email", "phone", "mobile", "address", "siret", "vat_number", "birth_date"}

_STR_COLS = ("ln", "fn", "co", "ad")
_HASH_COLS = ("em", "ph1", "ph2", "siret", "siren", "vat", "cp", "ci", "bd", "adn")


@dataclass
class Table:
    """The normalised records as numpy arrays (strings as objects, exact keys as uint64 hashes)."""

    n: int
    codes: dict[str, np.ndarray]
    uniq: dict[str, np.ndarray]
    h: dict[str, np.ndarray]
    mob1: np.ndarray
    mob2: np.ndarray


def load_table(con: duckdb.DuckDBPyConnection) -> Table:
    """Fetch ``dn`` once; missing strings become ``""`` and missing keys hash to 0."""
    str_sql = ", ".join(f"coalesce({c}, '') AS {c}" for c in _STR_COLS)
    # hash(NULL) is a constant in DuckDB, not NULL: missing values must map to 0 explicitly.
    hash_sql = ", ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE hash({c}) END AS {c}" for c in _HASH_COLS if c != "adn")
    hash_sql += ", CASE WHEN regexp_extract(ad, '[0-9]+') <> '' THEN hash(regexp_extract(ad, '[0-9]+')) ELSE 0 END AS adn"
    res = con.execute(f"""
        SELECT {str_sql}, {hash_sql},
               coalesce(ph1 LIKE '+336%' OR ph1 LIKE '+337%' OR ph1 NOT LIKE '+33%', false) AS mob1,
               coalesce(ph2 LIKE '+336%' OR ph2 LIKE '+337%' OR ph2 NOT LIKE '+33%', false) AS mob2
        FROM dn ORDER BY idx""").fetchnumpy()
    codes, uniq = {}, {}
    for c in _STR_COLS:
        # Codes, not strings: similarities are computed once per distinct pair of values.
        k, u = pd.factorize(np.asarray(res[c], dtype=object))
        codes[c], uniq[c] = k.astype(np.int64), np.asarray(u, dtype=object)
    h = {c: np.asarray(res[c], dtype=np.uint64) for c in _HASH_COLS}
    return Table(len(codes["ln"]), codes, uniq, h, np.asarray(res["mob1"], bool), np.asarray(res["mob2"], bool))


def _sim(a: np.ndarray, b: np.ndarray, scorer: Any) -> np.ndarray:
    """Element-wise similarity in [0, 1] of two aligned string arrays (C++, all cores)."""
    if len(a) == 0:
        return np.zeros(0)
    out = process.cpdist(a, b, scorer=scorer, workers=-1, dtype=np.float32)
    return np.asarray(out, dtype=np.float64) / (100.0 if scorer is fuzz.token_set_ratio else 1.0)


def _combos(ul: np.ndarray, ur: np.ndarray, cl: np.ndarray, cr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (left value, right value) combinations: their left and right values, and each pair's combo."""
    width = np.int64(len(ur))
    key = cl * width + cr
    inv, ukey = pd.factorize(key, sort=False)  # hashing, not sorting: linear in the pairs
    return ul[ukey // width], ur[ukey % width], inv


def _by_combo(ul: np.ndarray, ur: np.ndarray, cl: np.ndarray, cr: np.ndarray,
              fn: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, ...]],
              combos: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """Apply ``fn`` once per distinct (left value, right value) combination, then broadcast back."""
    if len(cl) == 0:
        return tuple(np.zeros(0) for _ in fn(np.array([""], object), np.array([""], object)))
    a, b, inv = combos if combos is not None else _combos(ul, ur, cl, cr)
    outs = fn(a, b)
    return tuple(o[inv] for o in outs)


def _first_name_level(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Agreement of first names: 3 exact, 2 one edit, 1 initial, 0 different, -1 missing."""
    la = np.fromiter((len(x) for x in a), np.int32, len(a))
    lb = np.fromiter((len(x) for x in b), np.int32, len(b))
    eq = a == b
    dist = np.asarray(process.cpdist(a, b, scorer=OSA.distance, workers=-1), dtype=np.int32) if len(a) else \
        np.zeros(0, np.int32)
    # Louis / Louise, Michel / Michele, Stéphane / Stéphanie: one edit, but two people of one household.
    longer = np.where(la >= lb, a, b)
    shorter = np.where(la >= lb, b, a)
    gendered = np.fromiter((lo == sh + "e" or (sh.endswith("e") and lo == sh[:-1] + "ie")
                            for lo, sh in zip(longer, shorter, strict=True)), bool, len(a))
    first_a = np.fromiter((x[:1] for x in a), object, len(a))
    first_b = np.fromiter((x[:1] for x in b), object, len(b))
    initial = ((la == 1) | (lb == 1)) & (first_a == first_b)
    # One edit on names of 4+ letters, or a dropped letter on 3 (Ines / Ins, not Léa / Léo).
    close = (dist <= 1) & ((np.minimum(la, lb) >= 4) | ((np.minimum(la, lb) >= 3) & (la != lb))) & ~gendered
    level = np.where(eq, 3, np.where(close, 2, np.where(initial, 1, 0)))
    missing = (la == 0) | (lb == 0)
    level = np.where(missing, -1, level)
    sim = np.where(eq, 1.0, np.where(close, 0.9, np.where(initial, 0.5, 0.0)))
    return level, sim


def features(t: Table, left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """Per-pair comparison vectors (similarities in [0, 1], agreement flags)."""
    c, u, h = t.codes, t.uniq, t.h
    jw = JaroWinkler.normalized_similarity

    cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}

    def combos(col_l: str, col_r: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if (col_l, col_r) not in cache:
            cache[col_l, col_r] = _combos(u[col_l], u[col_r], c[col_l][left], c[col_r][right]) if len(left) \
                else None
        return cache[col_l, col_r]

    def apply(col_l: str, col_r: str, fn: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, ...]]
              ) -> tuple[np.ndarray, ...]:
        if len(left) == 0:
            return tuple(np.zeros(0) for _ in fn(np.array([""], object), np.array([""], object)))
        a, b, inv = combos(col_l, col_r)
        return tuple(o[inv] for o in fn(a, b))

    def sim(col_l: str, col_r: str, scorer: Any) -> np.ndarray:
        return apply(col_l, col_r, lambda a, b: (_sim(a, b, scorer),))[0]

    def fnl(col_l: str, col_r: str) -> tuple[np.ndarray, ...]:
        return apply(col_l, col_r, _first_name_level)

    nonempty = {col: u[col] != "" for col in _STR_COLS}

    def filled(col: str, side: np.ndarray) -> np.ndarray:
        return nonempty[col][c[col][side]]

    direct_ln, direct_fn = sim("ln", "ln", jw), sim("fn", "fn", jw)
    swap_ln, swap_fn = sim("ln", "fn", jw), sim("fn", "ln", jw)
    fn_lvl_d, fn_sim_d = fnl("fn", "fn")
    swapped = (swap_ln + swap_fn) / 2 > (direct_ln + direct_fn) / 2 + 0.05
    swapped &= filled("ln", left) & filled("fn", left) & filled("ln", right) & filled("fn", right)
    # Swapped: which of the two crossed comparisons holds the first names is unknown, so the better
    # one counts as the first-name agreement and the other as the surname (a married name, maybe).
    lvl_a, sim_a = fnl("ln", "fn")
    lvl_b, sim_b = fnl("fn", "ln")
    a_better = lvl_a >= lvl_b
    fn_lvl_s = np.where(a_better, lvl_a, lvl_b)
    fn_sim_s = np.where(a_better, sim_a, sim_b)
    other_ln = np.where(a_better, swap_fn, swap_ln)
    f: dict[str, np.ndarray] = {
        "swapped": swapped,
        "ln_sim": np.where(swapped, other_ln, direct_ln),
        "fn_level": np.where(swapped, fn_lvl_s, fn_lvl_d),
        "fn_sim": np.where(swapped, fn_sim_s, fn_sim_d),
        "ln_both": filled("ln", left) & filled("ln", right),
        "co_sim": sim("co", "co", fuzz.token_set_ratio),
        "co_both": filled("co", left) & filled("co", right),
        "ad_sim": sim("ad", "ad", fuzz.token_set_ratio),
        "ad_both": filled("ad", left) & filled("ad", right),
    }
    # One hash column at a time: gathering all of them for both sides at once costs 16 bytes x
    # columns x pairs.
    for c in ("em", "siret", "siren", "vat", "cp", "ci", "bd", "adn"):
        hl, hr = h[c][left], h[c][right]
        f[c + "_eq"], f[c + "_both"] = (hl != 0) & (hl == hr), (hl != 0) & (hr != 0)
    del hl, hr
    m1l, m2l = t.mob1[left], t.mob2[left]
    ph1l, ph2l, ph1r, ph2r = h["ph1"][left], h["ph2"][left], h["ph1"][right], h["ph2"][right]
    p11 = (ph1l != 0) & (ph1l == ph1r)
    p12 = (ph1l != 0) & (ph1l == ph2r)
    p21 = (ph2l != 0) & (ph2l == ph1r)
    p22 = (ph2l != 0) & (ph2l == ph2r)
    f["mobile_eq"] = (p11 | p12) & m1l | (p21 | p22) & m2l
    f["landline_eq"] = ((p11 | p12) & ~m1l | (p21 | p22) & ~m2l) & ~f["mobile_eq"]
    f["phone_both"] = (ph1l != 0) & (ph1r != 0)
    return f


def weigh(f: dict[str, np.ndarray], roles: set[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match weight, score in [0, 1] and the reason code of each pair (0 none, 1 household, 2 establishment)."""
    w = WEIGHTS
    n = len(f["ln_sim"])
    total = np.zeros(n)
    ln = f["ln_sim"]
    ln_pts = np.select([ln >= 0.999, ln >= 0.92, ln >= 0.85], [w["ln_exact"], w["ln_close"], w["ln_similar"]],
                       w["ln_diff"])
    fl = f["fn_level"]
    # Married name: same first name and a personal identifier (e-mail, mobile, birth date) shared.
    married = (fl == 3) & (f["em_eq"] | f["mobile_eq"] | f["bd_eq"])
    ln_pts = np.where(married & (ln_pts < 0), 0.0, ln_pts)
    total += np.where(f["ln_both"], ln_pts, 0.0)
    total += np.select([fl == 3, fl == 2, fl == 1], [w["fn_exact"], w["fn_close"], w["fn_initial"]], 0.0)
    co = f["co_sim"]
    co_pts = np.select([co >= 0.95, co >= 0.88, co >= 0.75], [w["co_exact"], w["co_close"], w["co_similar"]],
                       w["co_diff"])
    total += np.where(f["co_both"], co_pts, 0.0)
    total += np.where(f["em_eq"], w["email_eq"], np.where(f["em_both"], w["email_diff"], 0.0))
    total += np.where(f["mobile_eq"], w["mobile_eq"], np.where(f["landline_eq"], w["landline_eq"],
                                                             np.where(f["phone_both"], w["phone_diff"], 0.0)))
    # An address agrees only with the same house number: 12 and 14 rue X are neighbours.
    num_ok = f["adn_eq"] | ~f["adn_both"]
    ad = f["ad_sim"]
    ad_pts = np.select([(ad >= 0.9) & num_ok, (ad >= 0.75) & num_ok], [w["addr_eq"], w["addr_close"]],
                       np.where(ad < 0.6, w["addr_diff"], 0.0))
    ad_pts = np.where(~num_ok, w["addr_diff"], ad_pts)
    total += np.where(f["ad_both"], ad_pts, 0.0)
    total += np.where(f["cp_eq"], w["cp_eq"], np.where(f["cp_both"], w["cp_diff"],
                                                      np.where(f["ci_eq"], w["city_eq"],
                                                               np.where(f["ci_both"], w["city_diff"], 0.0))))
    total += np.select([f["siret_eq"], f["siren_eq"] & ~f["siret_both"], f["siren_both"] & ~f["siren_eq"]],
                       [w["siret_eq"], w["siren_eq"], w["siren_diff"]], 0.0)
    total += np.where(f["vat_eq"], w["vat_eq"], np.where(f["vat_both"] & ~f["vat_eq"] & ~f["siren_eq"],
                                                        w["vat_diff"], 0.0))
    total += np.where(f["bd_eq"], w["bd_eq"], np.where(f["bd_both"], w["bd_diff"], 0.0))
    prior = PRIOR if roles & CORROBORATING else PRIOR_NAMES_ONLY
    score = 1.0 / (1.0 + np.exp2(-(total - prior)))
    # Household: other first name; unless birth date and a personal identifier agree (a nickname).
    household = (fl == 0) & ~f["swapped"] & ~(f["bd_eq"] & (f["em_eq"] | f["mobile_eq"]))
    establishment = f["siren_eq"] & f["siret_both"] & ~f["siret_eq"]
    reason = np.where(establishment, 2, np.where(household, 1, 0))
    score = np.where(reason > 0, np.minimum(score, 0.05), score)
    return total, score, reason


def _level(sim: float, exact: float = 0.999, close: float = 0.88) -> str:
    return "identique" if sim >= exact else "proche" if sim >= close else "différent"


def evidence(f: dict[str, np.ndarray], k: int) -> list[dict[str, Any]]:
    """What agreed and how strongly for pair ``k``: a JSON-able list, French labels and levels."""
    out: list[dict[str, Any]] = []

    def add(field: str, label: str, level: str, sim: float | None = None) -> None:
        item: dict[str, Any] = {"field": field, "label": label, "level": level}
        if sim is not None:
            item["similarity"] = round(float(sim), 3)
        out.append(item)

    swapped = bool(f["swapped"][k])
    if f["ln_both"][k]:
        lvl = _level(f["ln_sim"][k], close=0.88)
        add("last_name", "nom", f"{lvl}, inversé avec le prénom" if swapped else lvl, f["ln_sim"][k])
    fl = int(f["fn_level"][k])
    if fl >= 0:
        add("first_name", "prénom", {3: "identique", 2: "proche", 1: "initiale", 0: "différent"}[fl], f["fn_sim"][k])
    if f["co_both"][k]:
        add("company", "société", _level(f["co_sim"][k], 0.95), f["co_sim"][k])
    if f["em_both"][k]:
        add("email", "e-mail", "identique" if f["em_eq"][k] else "différent")
    if f["mobile_eq"][k]:
        add("mobile", "mobile", "identique")
    elif f["landline_eq"][k]:
        add("phone", "téléphone fixe", "identique")
    elif f["phone_both"][k]:
        add("phone", "téléphone", "différent")
    if f["ad_both"][k]:
        num_ok = f["adn_eq"][k] or not f["adn_both"][k]
        add("address", "adresse", _level(f["ad_sim"][k], 0.999, 0.9) if num_ok else "différent (numéro)",
            f["ad_sim"][k])
    if f["cp_both"][k]:
        add("postal_code", "code postal", "identique" if f["cp_eq"][k] else "différent")
    elif f["ci_both"][k]:
        add("city", "ville", "identique" if f["ci_eq"][k] else "différent")
    if f["siret_both"][k]:
        add("siret", "SIRET", "identique" if f["siret_eq"][k] else
            ("même SIREN, autre établissement" if f["siren_eq"][k] else "différent"))
    elif f["siren_both"][k]:
        add("siret", "SIREN", "identique" if f["siren_eq"][k] else "différent")
    if f["vat_both"][k]:
        add("vat_number", "n° TVA", "identique" if f["vat_eq"][k] else "différent")
    if f["bd_both"][k]:
        add("birth_date", "date de naissance", "identique" if f["bd_eq"][k] else "différent")
    return out


_FN_LEVELS = {3: "identique", 2: "proche", 1: "initiale", 0: "différent"}


def _level_codes(sim: np.ndarray, exact: float, close: float) -> np.ndarray:
    """Vectorised :func:`_level`: 0 identique, 1 proche, 2 différent."""
    return np.where(sim >= exact, 0, np.where(sim >= close, 1, 2))


def evidence_lists(f: dict[str, np.ndarray], idx: np.ndarray) -> list[list[dict[str, Any]]]:
    """:func:`evidence` for the pairs ``idx``, built by field over arrays.

    The item dicts are shared between pairs with the same field, level and similarity (one dict per
    distinct item): treat them as read-only.
    """
    idx = np.asarray(idx, dtype=np.int64)
    m = len(idx)
    if m == 0:
        return []
    g = {k: v[idx] for k, v in f.items()}
    level_names = ("identique", "proche", "différent")
    cols: list[np.ndarray] = []

    def column(present: np.ndarray, code: np.ndarray, make: Callable[[int], dict[str, Any]],
               sim: np.ndarray | None = None) -> None:
        """One evidence item per pair where ``present``: ``make(code)`` (plus the rounded similarity)."""
        out = np.full(m, None, dtype=object)
        sel = np.flatnonzero(present)
        if len(sel) == 0:
            cols.append(out)
            return
        code = np.asarray(code)[sel].astype(np.int64)
        if sim is not None:
            usim, sinv = np.unique(np.asarray(sim, dtype=np.float64)[sel], return_inverse=True)
            key = code * len(usim) + sinv.reshape(-1)
        else:
            usim, key = None, code
        ukey, inv = np.unique(key, return_inverse=True)
        pool = np.empty(len(ukey), dtype=object)
        for i, kk in enumerate(ukey.tolist()):
            if usim is None:
                pool[i] = make(kk)
            else:
                item = make(kk // len(usim))
                item["similarity"] = round(float(usim[kk % len(usim)]), 3)
                pool[i] = item
        out[sel] = pool[inv.reshape(-1)]
        cols.append(out)

    swapped = g["swapped"].astype(bool)
    ln_code = _level_codes(g["ln_sim"], 0.999, 0.88) + 3 * swapped
    column(g["ln_both"], ln_code, lambda c: {"field": "last_name", "label": "nom", "level": level_names[c % 3] + (
        ", inversé avec le prénom" if c >= 3 else "")}, g["ln_sim"])
    fl = g["fn_level"].astype(np.int64)
    column(fl >= 0, fl, lambda c: {"field": "first_name", "label": "prénom", "level": _FN_LEVELS[c]}, g["fn_sim"])
    column(g["co_both"], _level_codes(g["co_sim"], 0.95, 0.88),
           lambda c: {"field": "company", "label": "société", "level": level_names[c]}, g["co_sim"])
    column(g["em_both"], np.where(g["em_eq"], 0, 2),
           lambda c: {"field": "email", "label": "e-mail", "level": level_names[c]})
    ph_code = np.where(g["mobile_eq"], 0, np.where(g["landline_eq"], 1, 2))
    ph_items = ({"field": "mobile", "label": "mobile", "level": "identique"},
                {"field": "phone", "label": "téléphone fixe", "level": "identique"},
                {"field": "phone", "label": "téléphone", "level": "différent"})
    column(g["mobile_eq"] | g["landline_eq"] | g["phone_both"], ph_code, lambda c: dict(ph_items[c]))
    num_ok = g["adn_eq"] | ~g["adn_both"]
    ad_code = np.where(num_ok, _level_codes(g["ad_sim"], 0.999, 0.9), 3)
    column(g["ad_both"], ad_code, lambda c: {"field": "address", "label": "adresse", "level": (
        *level_names, "différent (numéro)")[c]}, g["ad_sim"])
    column(g["cp_both"], np.where(g["cp_eq"], 0, 2),
           lambda c: {"field": "postal_code", "label": "code postal", "level": level_names[c]})
    # The city is reported only when the postcodes are not both known.
    column(~g["cp_both"] & g["ci_both"], np.where(g["ci_eq"], 0, 2),
           lambda c: {"field": "city", "label": "ville", "level": level_names[c]})
    cols[-2:] = [np.where(g["cp_both"], cols[-2], cols[-1])]
    st_code = np.where(g["siret_eq"], 0, np.where(g["siren_eq"], 1, 2))
    st_items = ("identique", "même SIREN, autre établissement", "différent")
    siret = len(cols)
    column(g["siret_both"], st_code, lambda c: {"field": "siret", "label": "SIRET", "level": st_items[c]})
    column(~g["siret_both"] & g["siren_both"], np.where(g["siren_eq"], 0, 2),
           lambda c: {"field": "siret", "label": "SIREN", "level": level_names[c]})
    cols[siret:] = [np.where(g["siret_both"], cols[siret], cols[siret + 1])]
    column(g["vat_both"], np.where(g["vat_eq"], 0, 2),
           lambda c: {"field": "vat_number", "label": "n° TVA", "level": level_names[c]})
    column(g["bd_both"], np.where(g["bd_eq"], 0, 2),
           lambda c: {"field": "birth_date", "label": "date de naissance", "level": level_names[c]})
    rows = np.stack(cols, axis=1).tolist()
    return [[x for x in row if x is not None] for row in rows]
