"""Article suggestions: external reference (SKU) → GC article code.

Order of evidence: identical GC code; identical after normalisation (case, spaces, dashes, dots,
leading zeros — the ART-NEAR case: a near reference is flagged, never accepted in bulk, and the
reason asks to correct the reference); identical EAN; label similarity (rapidfuzz: vectorised prefilter, finer score on the best pairs).
The connector never creates GC articles (manual §1.2.2), so every line needs one of these.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from stdnum import ean as stdnum_ean

from .normalize import compact_code, fingerprint, fold
from .suggestion import DERIVED, EXACT, FUZZY, NEAR, NEAR_PREFIX, Suggestion, best_first

LABEL_CUTOFF = 80  # combined similarity (0–100) below which a label is not proposed
LABEL_WEIGHT = 0.6  # a label match never scores above 0.6: it is a lead, not evidence


def _ean_key(text: object) -> str | None:
    digits = "".join(ch for ch in str(text or "") if not ch.isspace())
    if digits.isdigit() and len(digits) in (8, 12, 13, 14):
        return digits.lstrip("0")  # UPC-A, EAN-13 and GTIN-14 of one product differ by leading zeros
    return None


PREFILTER_TOP = 10  # candidates per reference re-scored with the slower scorers
_CHUNK = 500  # references per prefilter matrix (bounds memory on large catalogues)


def _label_matches(values: list[str], texts: list[str], active: pd.DataFrame) -> pd.DataFrame:
    """Label candidates: a fast vectorised prefilter, then a finer score on the few best pairs.

    The prefilter is ``fuzz.ratio`` on OpenRefine fingerprints (sorted, de-duplicated tokens), computed
    with ``process.cdist`` (SIMD, all cores); the ``PREFILTER_TOP`` best GC labels of each reference are
    re-scored with the mean of ``token_set_ratio`` (forgives word order and extra words) and ``WRatio``
    (penalises a label that is only a small part of the other, so "Miel" does not match every jar).
    """
    choices_fp = active["libelle"].map(fingerprint).tolist()
    choices = active["libelle"].map(fold).tolist()
    k = min(PREFILTER_TOP, len(choices))
    rows: list[tuple[str, str, str, float]] = []
    for start in range(0, len(values) if k else 0, _CHUNK):     # no GC article: no label candidate
        chunk = texts[start:start + _CHUNK]
        pre = process.cdist([fingerprint(t) for t in chunk], choices_fp, scorer=fuzz.ratio, workers=-1,
                            dtype=np.uint8)
        top = np.argpartition(-pre.astype(np.int16), k - 1, axis=1)[:, :k]
        for i, js in enumerate(top):
            q = fold(chunk[i])
            for j in js:
                if pre[i, j] < LABEL_CUTOFF - 30:
                    continue
                s = (fuzz.token_set_ratio(q, choices[j]) + fuzz.WRatio(q, choices[j])) / 2
                if s >= LABEL_CUTOFF:
                    rows.append((values[start + i], active["code"].iat[j], active["libelle"].iat[j], s))
    # Typed even when empty: no label close enough must give an empty frame, not an object column.
    sim = pd.DataFrame(rows, columns=["value", "code", "libelle", "s"]).astype({"s": "float64"})
    sim["score"] = (LABEL_WEIGHT * sim["s"] / 100).round(3)
    sim["reason"] = [f"Libellé proche de « {lib} » (similarité {s:.0f} %)"
                     for lib, s in zip(sim["libelle"], sim["s"], strict=True)]
    sim["kind"] = FUZZY
    return sim


def near_reason(value: str, code: str) -> str:
    """French reason of an ART-NEAR candidate (starts with :data:`NEAR_PREFIX`)."""
    return (f"{NEAR_PREFIX} : « {value} » ne correspond à {code} qu'après normalisation (casse, espaces, "
            "tirets, zéros de tête) ; corrigez la référence plutôt que de créer un alias (ART-NEAR)")


def suggest_gc(con: duckdb.DuckDBPyConnection, values: list[str], *,
               labels: Mapping[str, str] | None = None, **_: object) -> dict[str, list[Suggestion]]:
    """Candidate GC articles for each external reference.

    Args:
        con: an open workspace connection.
        values: external references (SKU, product id).
        labels: optional external label per reference, compared with GC labels; without it the
            reference itself is compared (useful when a site sends labels instead of codes).

    Scores: identical code 1.0 (0.4 if the article is in sommeil); near reference 0.8 (kind
    ``near``); identical EAN 0.95 (0.85 with a bad check digit); label similarity ≤ 0.6.
    """
    arts = con.execute("SELECT code, coalesce(libelle, '') AS libelle, coalesce(ean, '') AS ean, actif "
                       "FROM articles").df()
    ext = pd.DataFrame({"value": list(dict.fromkeys(values))})
    ext["raw"] = ext["value"].astype(str).str.strip()
    found: list[pd.DataFrame] = []

    exact = ext.merge(arts, left_on="raw", right_on="code")
    exact["score"] = np.where(exact["actif"], 1.0, 0.4)
    exact["reason"] = np.where(exact["actif"], "Code article GC identique",
                               "Code article GC identique, mais l'article est en sommeil (ART-INACTIF)")
    exact["kind"] = EXACT
    found.append(exact)

    ext["ckey"] = ext["raw"].map(compact_code)
    arts["ckey"] = arts["code"].map(compact_code)
    near = ext[ext["ckey"] != ""].merge(arts[arts["actif"]], on="ckey")
    near = near[near["raw"] != near["code"]].copy()
    near["score"], near["kind"] = 0.8, NEAR
    near["reason"] = [near_reason(v, c) for v, c in zip(near["raw"], near["code"], strict=True)]
    found.append(near)

    ext["ekey"] = ext["raw"].map(_ean_key)
    arts["ekey"] = arts["ean"].map(_ean_key)
    by_ean = ext.dropna(subset=["ekey"]).merge(arts[arts["actif"]].dropna(subset=["ekey"]), on="ekey")
    valid = by_ean["raw"].map(lambda x: stdnum_ean.is_valid(x.replace(" ", "")))
    by_ean["score"] = np.where(valid, 0.95, 0.85)
    by_ean["reason"] = np.where(valid, "EAN identique à celui de l'article GC",
                                "EAN identique à celui de l'article GC (clé de contrôle invalide)")
    by_ean["kind"] = DERIVED
    found.append(by_ean)

    # Label similarity only for references without stronger evidence: most SKUs match exactly.
    strong = set(exact["value"]) | set(near["value"]) | set(by_ean["value"])
    todo = [v for v in ext["value"] if v not in strong]
    active = arts[arts["actif"] & (arts["libelle"] != "")].reset_index(drop=True)
    if len(active) and todo:
        found.append(_label_matches(todo, [(labels or {}).get(v, v) for v in todo], active))

    allf = pd.concat([f[["value", "code", "score", "reason", "kind"]] for f in found], ignore_index=True)
    out: dict[str, list[Suggestion]] = {v: [] for v in values}
    for value, grp in allf.groupby("value", sort=False):
        out[value] = best_first([Suggestion(c, float(s), r, k) for c, s, r, k in
                                 grp[["code", "score", "reason", "kind"]].itertuples(index=False)])
    return out
