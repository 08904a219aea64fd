"""Clusters from scored pairs: connected components, a guard against chaining, keep proposal.

Connected components are computed with vectorised label propagation and pointer jumping (numpy,
no scipy). Transitivity chains unrelated records (A shares a phone with B, B an e-mail with C), so
every component of three or more records is re-scored on **all** its member pairs; when the weakest
pair is below ``chain_floor``, the component is split by average linkage: groups are merged while
the mean score between them stays above the threshold (a member pair never compared counts 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .normalize import LABELS

MAX_GUARDED = 60  # components larger than this are not re-scored pair by pair (flagged instead)


def components(left: np.ndarray, right: np.ndarray) -> list[np.ndarray]:
    """Connected components (arrays of record positions, sorted) of the graph of pairs."""
    if len(left) == 0:
        return []
    nodes, inv = np.unique(np.concatenate([left, right]), return_inverse=True)
    a, b = inv[: len(left)], inv[len(left):]
    labels = np.arange(len(nodes))
    while True:
        m = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        while True:  # pointer jumping: follow labels to their root
            nxt = new[new]
            if np.array_equal(nxt, new):
                break
            new = nxt
        if np.array_equal(new, labels):
            break
        labels = new
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return [np.sort(nodes[g]) for g in np.split(order, cuts)]


def _average_linkage(members: np.ndarray, scores: dict[tuple[int, int], float], threshold: float) -> list[np.ndarray]:
    """Split one component: merge the closest groups while their mean pair score ≥ threshold."""
    groups = [[int(m)] for m in members]

    def link(g1: list[int], g2: list[int]) -> float:
        vals = [scores.get((min(x, y), max(x, y)), 0.0) for x in g1 for y in g2]
        return float(np.mean(vals))

    while len(groups) > 1:
        best, pair = -1.0, (0, 0)
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                s = link(groups[i], groups[j])
                if s > best:
                    best, pair = s, (i, j)
        if best < threshold:
            break
        i, j = pair
        groups[i] = groups[i] + groups[j]
        del groups[j]
    return [np.array(sorted(g)) for g in groups if len(g) > 1]


def guarded_components(
    left: np.ndarray,
    right: np.ndarray,
    threshold: float,
    chain_floor: float,
    rescore: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[list[np.ndarray], dict[tuple[int, int], float]]:
    """Components of the pairs, large chained ones split; also the member-pair scores computed."""
    comps = components(left, right)
    all_scores: dict[tuple[int, int], float] = {}
    if rescore is None:
        return comps, all_scores
    todo = [c for c in comps if 3 <= len(c) <= MAX_GUARDED]
    if not todo:
        return comps, all_scores
    li, ri = [], []
    for c in todo:
        iu, ju = np.triu_indices(len(c), 1)
        li.append(c[iu])
        ri.append(c[ju])
    lcat, rcat = np.concatenate(li), np.concatenate(ri)
    sc = rescore(lcat, rcat)
    all_scores = {(int(a), int(b)): float(s) for a, b, s in zip(lcat, rcat, sc, strict=True)}
    out = [c for c in comps if not 3 <= len(c) <= MAX_GUARDED]
    for c in todo:
        iu, ju = np.triu_indices(len(c), 1)
        low = min(all_scores[(int(c[i]), int(c[j]))] for i, j in zip(iu, ju, strict=True))
        out.extend(_average_linkage(c, all_scores, threshold) if low < chain_floor else [c])
    out.sort(key=lambda c: int(c[0]))
    return out, all_scores


def _columns(canon: pd.DataFrame) -> dict[str, np.ndarray]:
    """Role → trimmed text values (None when empty), as object arrays indexed by record position."""
    out = {}
    for role in (c for c in canon.columns if c != "id"):
        col = canon[role]
        text = col.astype(object).where(col.notna(), "").astype(str).str.strip()
        arr = text.to_numpy(dtype=object)
        arr[text.to_numpy(dtype=object) == ""] = None
        out[role] = arr
    return out


def completeness(cols: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Number of filled role fields per record (the keep proposal prefers the most complete)."""
    fill = np.zeros(n, dtype=np.int64)
    for arr in cols.values():
        fill += np.not_equal(arr, None)
    return fill


def differing_fields(cols: dict[str, np.ndarray], ids: list[str], members: np.ndarray) -> list[dict[str, Any]]:
    """Role fields whose (trimmed) values differ between the members: what a merge must settle."""
    out = []
    for role, arr in cols.items():
        vals = arr[members].tolist()
        if len({v for v in vals if v}) > 1 or (any(vals) and not all(vals)):
            out.append({"field": role, "label": LABELS[role], "values": dict(zip(ids, vals, strict=True))})
    return out


def build_clusters(
    canon: pd.DataFrame,
    comps: list[np.ndarray],
    pair_score: dict[tuple[int, int], float],
    pair_evidence: dict[tuple[int, int], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Cluster dicts: id, members, score (mean of member pairs), evidence, keep, differing fields.

    The record to keep is the most complete one; ties go to the first in the caller's order (the
    diagnostic passes tiers oldest first).
    """
    cols = _columns(canon)
    fill = completeness(cols, len(canon))
    ids = canon["id"].to_numpy()
    clusters = []
    for k, c in enumerate(comps, start=1):
        iu, ju = np.triu_indices(len(c), 1)
        keys = [(int(c[i]), int(c[j])) for i, j in zip(iu, ju, strict=True)]
        scores = [pair_score[p] for p in keys if p in pair_score]
        keep = int(c[np.lexsort((c, -fill[c]))[0]])
        evidence = [{"pair": [str(ids[a]), str(ids[b])], "score": round(pair_score[(a, b)], 4),
                     "fields": pair_evidence[(a, b)]} for a, b in keys if (a, b) in pair_evidence]
        clusters.append({
            "id": k,
            "members": [str(ids[i]) for i in c],
            "score": round(float(np.mean(scores)), 4) if scores else 0.0,
            "min_score": round(float(np.min(scores)), 4) if scores else 0.0,
            "evidence": evidence,
            "keep": str(ids[keep]),
            "differing": differing_fields(cols, [str(ids[i]) for i in c], c),
        })
    return clusters
