"""Customer duplicates: normalise, block, compare, score, cluster (issue #6, « doublons clients »).

``find_duplicates(records, roles)`` works on any customer table: ``roles`` maps its columns to the
roles of :data:`ROLES`, and every step uses only the roles present. ``mode="simple"`` reports exact
key collisions after normalisation; ``mode="complet"`` (default) scores fuzzy candidate pairs with
fixed Fellegi–Sunter weights and household / establishment / namesake rules (see
:mod:`econn.duplicates.compare`). The output is a suggestion, never a merge.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from . import blocking, cluster, compare, normalize
from .normalize import LABELS, ROLES

__all__ = ["DEFAULT_THRESHOLD", "LABELS", "ROLES", "DuplicateResult", "find_duplicates"]

DEFAULT_THRESHOLD = 0.5
CHAIN_FLOOR = 0.2  # a component whose weakest member pair scores below this is split
REASONS = {1: "foyer", 2: "établissements", 3: "homonyme"}
CHUNK = 500_000  # candidate pairs compared at once (bounds the memory of the comparison vectors)


@dataclass
class DuplicateResult:
    """Pairs and clusters of probable duplicates.

    Attributes:
        pairs: ``id_l``, ``id_r``, ``score`` in [0, 1], ``weight`` (bits) and ``evidence`` (list of
            ``{"field", "label", "level", "similarity"}`` dicts) for the pairs at or above the threshold.
        clusters: dicts ``id``, ``members``, ``score`` (mean member-pair score), ``min_score``,
            ``evidence`` (per pair), ``keep`` (record proposed to keep) and ``differing`` (fields whose
            values differ, with each member's value).
        distinct: pairs judged *not* duplicates although they look alike: ``reason`` is ``foyer``
            (household), ``établissements`` (same SIREN, other SIRET) or ``homonyme`` (same name,
            nothing else shared), with ``score`` and ``evidence``.
        stats: record, candidate-pair and duplicate-pair counts.
    """

    pairs: pd.DataFrame
    clusters: list[dict[str, Any]]
    distinct: pd.DataFrame = field(default_factory=pd.DataFrame)
    stats: dict[str, int] = field(default_factory=dict)


_PAIR_COLUMNS = ["id_l", "id_r", "score", "weight", "evidence"]


def find_duplicates(
    records: pd.DataFrame,
    roles: Mapping[str, str],
    id_column: str = "id",
    mode: Literal["complet", "simple"] = "complet",
    threshold: float | None = None,
) -> DuplicateResult:
    """Find probable duplicate customers in a table.

    Args:
        records: one row per customer; any columns.
        roles: role → column, roles among :data:`ROLES` (``company``, ``last_name``, ``first_name``,
            ``email``, ``phone``, ``mobile``, ``address``, ``postal_code``, ``city``, ``country``,
            ``siret``, ``vat_number``, ``birth_date``); any subset.
        id_column: the column identifying a record (returned as text in the results).
        mode: ``complet`` (fuzzy, scored) or ``simple`` (exact key collisions after normalisation).
        threshold: minimum pair score for ``complet`` (default :data:`DEFAULT_THRESHOLD`).

    Returns:
        A :class:`DuplicateResult`; records are kept in the caller's order, which breaks ties in
        the keep proposal (pass the oldest first).

    Raises:
        ValueError: unknown role, missing column or unknown mode.
    """
    if mode not in ("complet", "simple"):
        raise ValueError(f"mode must be 'complet' or 'simple', not {mode!r}")
    canon = normalize.canonical_frame(records, roles, id_column)
    # No progress bar: a library must not write to the caller's stdout on long queries.
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    # The results are many small dicts and lists without cycles: the cyclic collector would only
    # rescan them again and again while they are built.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        normalize.build(con, canon)
        if mode == "simple":
            return _simple(con, canon)
        return _complet(con, canon, set(roles), DEFAULT_THRESHOLD if threshold is None else threshold)
    finally:
        con.close()
        if gc_was_enabled:
            gc.enable()


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _PAIR_COLUMNS})


def _complet(con: duckdb.DuckDBPyConnection, canon: pd.DataFrame, roles: set[str], threshold: float) -> DuplicateResult:
    table = compare.load_table(con)
    left, right = blocking.candidate_pairs(con)
    con.execute("DROP TABLE dn")  # DuckDB is done: free its memory before the comparisons
    ids = canon["id"].to_numpy()
    n = np.int64(max(len(canon), 1))
    cand_keys = left * n + right  # sorted: the candidates come ordered by (l, r)

    # Comparisons by chunks of candidates: the comparison vectors of millions of pairs would not fit
    # in memory at once; only the scores and the evidence of the reported pairs are kept.
    weight, score = np.zeros(len(left)), np.zeros(len(left))
    keep_parts, d_parts, rej_parts, ev_keep_l, ev_dist_l = [], [], [], [], []
    for s in range(0, len(left), CHUNK):
        f = compare.features(table, left[s:s + CHUNK], right[s:s + CHUNK])
        w, sc, reason = compare.weigh(f, roles)
        weight[s:s + len(w)], score[s:s + len(sc)] = w, sc
        # Look-alikes judged distinct: rule-based rejections, and namesakes (same full name).
        same_name = f["ln_both"] & (f["ln_sim"] >= 0.999) & (f["fn_level"] == 3)
        shared = f["em_eq"] | f["mobile_eq"] | f["landline_eq"] | (f["ad_sim"] >= 0.9) | f["siren_eq"]
        rej = np.where(reason > 0, reason, np.where(same_name, 3, 0))
        rej = np.where((reason == 1) & ~(shared & f["ln_both"] & (f["ln_sim"] >= 0.93)), 0, rej)
        k = np.flatnonzero(sc >= threshold)
        d = np.flatnonzero((rej > 0) & (sc < threshold))
        # Evidence only for the reported pairs (kept and distinct), built by field over arrays.
        ev = compare.evidence_lists(f, np.concatenate([k, d]))
        ev_keep_l += ev[: len(k)]
        ev_dist_l += ev[len(k):]
        keep_parts.append(k + s)
        d_parts.append(d + s)
        rej_parts.append(rej[d])
        del f, ev
    keep = np.concatenate(keep_parts) if keep_parts else np.zeros(0, np.int64)
    d_idx = np.concatenate(d_parts) if d_parts else np.zeros(0, np.int64)
    d_rej = np.concatenate(rej_parts) if rej_parts else np.zeros(0, np.int64)
    ev_keep = np.empty(len(keep), dtype=object)
    ev_keep[:] = ev_keep_l
    pairs = pd.DataFrame({
        "id_l": ids[left[keep]], "id_r": ids[right[keep]], "score": np.round(score[keep], 4),
        "weight": np.round(weight[keep], 2), "evidence": ev_keep,
    }) if len(keep) else _empty_pairs()
    distinct = pd.DataFrame({
        "id_l": ids[left[d_idx]], "id_r": ids[right[d_idx]], "score": np.round(score[d_idx], 4),
        "reason": np.array(["", *REASONS.values()], dtype=object)[d_rej],
        "evidence": ev_dist_l,
    })

    def rescore(lp: np.ndarray, rp: np.ndarray) -> np.ndarray:
        # Pairs already compared keep their score; only the others are compared now.
        pos = np.minimum(np.searchsorted(cand_keys, lp * n + rp), max(len(cand_keys) - 1, 0))
        out = np.zeros(len(lp))
        has = cand_keys[pos] == lp * n + rp if len(cand_keys) else np.zeros(len(lp), bool)
        out[has] = score[pos[has]]
        miss = np.flatnonzero(~has)
        if len(miss):
            out[miss] = compare.weigh(compare.features(table, lp[miss], rp[miss]), roles)[1]
        return out

    comps, (ml, mr, ms) = cluster.guarded_components_arrays(left[keep], right[keep], threshold, CHAIN_FLOOR,
                                                            rescore)
    score_keys = np.concatenate([cand_keys[keep], ml * n + mr])
    score_vals = np.concatenate([score[keep], ms])
    score_keys, first = np.unique(score_keys, return_index=True)
    clusters = cluster.build_clusters_arrays(canon, comps, score_keys, score_vals[first], cand_keys[keep], ev_keep)
    stats = {"records": len(canon), "candidates": len(left), "pairs": len(keep), "clusters": len(clusters)}
    return DuplicateResult(pairs, clusters, distinct, stats)


def _simple(con: duckdb.DuckDBPyConnection, canon: pd.DataFrame) -> DuplicateResult:
    blocking.simple_keys(con)
    res = con.execute("""
        SELECT a.idx AS l, b.idx AS r, list(DISTINCT a.kind ORDER BY a.kind) AS kinds,
               list(DISTINCT a.val ORDER BY a.val) AS vals
        FROM dks a JOIN dks b ON a.kind = b.kind AND a.val = b.val AND a.idx < b.idx
        GROUP BY ALL ORDER BY l, r""").fetchall()
    ids = canon["id"].to_numpy()
    labels = {"email": "e-mail", "telephone": "téléphone", "siret": "SIRET", "tva": "n° TVA",
              "nom_cp": "nom + code postal", "societe_cp": "société + code postal"}
    rows = [{"id_l": ids[lft], "id_r": ids[rgt], "score": 1.0, "weight": 0.0,
             "evidence": [{"field": k, "label": labels[k], "level": "identique"} for k in kinds]}
            for lft, rgt, kinds, _vals in res]
    pairs = pd.DataFrame(rows, columns=_PAIR_COLUMNS) if rows else _empty_pairs()
    left = np.array([r[0] for r in res], dtype=np.int64)
    right = np.array([r[1] for r in res], dtype=np.int64)
    comps = cluster.components(left, right)
    pair_score = {(int(a), int(b)): 1.0 for a, b in zip(left, right, strict=True)}
    pair_ev = {(int(a), int(b)): row["evidence"] for a, b, row in zip(left, right, rows, strict=True)}
    clusters = cluster.build_clusters(canon, comps, pair_score, pair_ev)
    stats = {"records": len(canon), "candidates": len(res), "pairs": len(res), "clusters": len(clusters)}
    return DuplicateResult(pairs, clusters, pd.DataFrame(columns=["id_l", "id_r", "score", "reason", "evidence"]),
                           stats)
