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


def intra_pairs(comps: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every member pair ``(a, b)``, ``a < b``, of each component (vectorised ``triu_indices``).

    Returns the left and right record positions and the position of the component in ``comps``,
    ordered by component then by ``(a, b)`` (the components' members are sorted).
    """
    if not comps:
        z = np.zeros(0, np.int64)
        return z, z, z
    sizes = np.fromiter((len(c) for c in comps), np.int64, len(comps))
    flat = np.concatenate(comps).astype(np.int64)
    starts = np.cumsum(sizes) - sizes
    comp_of = np.repeat(np.arange(len(comps)), sizes)
    rank = np.arange(len(flat)) - starts[comp_of]
    after = sizes[comp_of] - 1 - rank  # members after this one in its component
    first = np.repeat(np.arange(len(flat)), after)
    grp_start = np.cumsum(after) - after
    second = first + 1 + (np.arange(len(first)) - np.repeat(grp_start, after))
    return flat[first], flat[second], comp_of[first]


def guarded_components(
    left: np.ndarray,
    right: np.ndarray,
    threshold: float,
    chain_floor: float,
    rescore: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[list[np.ndarray], dict[tuple[int, int], float]]:
    """Components of the pairs, large chained ones split; also the member-pair scores computed."""
    comps, (lcat, rcat, sc) = guarded_components_arrays(left, right, threshold, chain_floor, rescore)
    return comps, {(int(a), int(b)): float(s) for a, b, s in zip(lcat, rcat, sc, strict=True)}


def guarded_components_arrays(
    left: np.ndarray,
    right: np.ndarray,
    threshold: float,
    chain_floor: float,
    rescore: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[list[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`guarded_components` with the member-pair scores as arrays ``(l, r, score)``."""
    comps = components(left, right)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if rescore is None:
        return comps, empty
    todo = [c for c in comps if 3 <= len(c) <= MAX_GUARDED]
    if not todo:
        return comps, empty
    lcat, rcat, grp = intra_pairs(todo)
    sc = np.asarray(rescore(lcat, rcat), dtype=np.float64)
    low = np.full(len(todo), np.inf)
    np.minimum.at(low, grp, sc)
    out = [c for c in comps if not 3 <= len(c) <= MAX_GUARDED]
    split = np.flatnonzero(low < chain_floor)
    out.extend(c for c, lo in zip(todo, low, strict=True) if not lo < chain_floor)
    if len(split):
        sel = np.isin(grp, split)
        scores = {(int(a), int(b)): float(s) for a, b, s in zip(lcat[sel], rcat[sel], sc[sel], strict=True)}
        for k in split:
            out.extend(_average_linkage(todo[k], scores, threshold))
    out.sort(key=lambda c: int(c[0]))
    return out, (lcat, rcat, sc)


def build_clusters(
    canon: pd.DataFrame,
    comps: list[np.ndarray],
    pair_score: dict[tuple[int, int], float],
    pair_evidence: dict[tuple[int, int], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """:func:`build_clusters_arrays` with the scores and evidence given as dicts keyed by pair."""
    n = np.int64(max(len(canon), 1))
    sk = np.array([a * n + b for a, b in pair_score], dtype=np.int64)
    sv = np.array(list(pair_score.values()), dtype=np.float64)
    ek = np.array([a * n + b for a, b in pair_evidence], dtype=np.int64)
    ev = np.empty(len(ek), dtype=object)
    ev[:] = list(pair_evidence.values())
    return build_clusters_arrays(canon, comps, sk, sv, ek, ev)


def _lookup(keys: np.ndarray, table_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``keys`` in the sorted ``table_keys`` and whether each is present."""
    if len(table_keys) == 0:
        return np.zeros(len(keys), np.int64), np.zeros(len(keys), bool)
    pos = np.minimum(np.searchsorted(table_keys, keys), len(table_keys) - 1)
    return pos, table_keys[pos] == keys


def build_clusters_arrays(
    canon: pd.DataFrame,
    comps: list[np.ndarray],
    score_keys: np.ndarray,
    score_vals: np.ndarray,
    ev_keys: np.ndarray,
    ev_lists: np.ndarray,
) -> list[dict[str, Any]]:
    """Cluster dicts: id, members, score (mean of member pairs), evidence, keep, differing fields.

    Pairs are keyed ``a * len(canon) + b`` (``a < b`` record positions): ``score_keys`` /
    ``score_vals`` are the known pair scores, ``ev_keys`` / ``ev_lists`` the evidence of the reported
    pairs. The record to keep is the most complete one; ties go to the first in the caller's order
    (the diagnostic passes tiers oldest first).
    """
    if not comps:
        return []
    n = np.int64(len(canon))
    o = np.argsort(score_keys, kind="stable")
    score_keys, score_vals = score_keys[o], score_vals[o]
    o = np.argsort(ev_keys, kind="stable")
    ev_keys, ev_lists = ev_keys[o], ev_lists[o]
    sizes = np.fromiter((len(c) for c in comps), np.int64, len(comps))
    flat = np.concatenate(comps).astype(np.int64)
    starts = np.cumsum(sizes) - sizes
    comp_of = np.repeat(np.arange(len(comps)), sizes)

    # Member pairs: every pair of the small clusters; in the large ones, the pairs already known.
    small = np.flatnonzero(sizes <= MAX_GUARDED)
    pl, pr, pg = intra_pairs([comps[k] for k in small])
    pg = small[pg]
    lab = np.full(int(n), -1, np.int64)
    lab[flat] = comp_of
    known = np.union1d(score_keys, ev_keys)
    ka, kb = known // n, known % n
    big = (lab[ka] >= 0) & (lab[ka] == lab[kb])
    big &= sizes[np.maximum(lab[ka], 0)] > MAX_GUARDED
    pl = np.concatenate([pl, ka[big]])
    pr = np.concatenate([pr, kb[big]])
    pg = np.concatenate([pg, lab[ka[big]]])
    keys = pl * n + pr
    o = np.lexsort((keys, pg))
    keys, pl, pr, pg = keys[o], pl[o], pr[o], pg[o]

    spos, shas = _lookup(keys, score_keys)
    sc = np.where(shas, score_vals[spos] if len(score_vals) else 0.0, 0.0)
    cnt = np.bincount(pg[shas], minlength=len(comps))
    tot = np.bincount(pg[shas], weights=sc[shas], minlength=len(comps))
    low = np.full(len(comps), np.inf)
    np.minimum.at(low, pg[shas], sc[shas])
    epos, ehas = _lookup(keys, ev_keys)
    ids = canon["id"].to_numpy()
    ev_g = pg[ehas].tolist()
    ev_items = [{"pair": [a, b], "score": round(s, 4), "fields": f} for a, b, s, f in zip(
        ids[pl[ehas]].tolist(), ids[pr[ehas]].tolist(), sc[ehas].tolist(), ev_lists[epos[ehas]].tolist(),
        strict=True)]
    ev_bounds = np.searchsorted(np.asarray(ev_g, np.int64), np.arange(len(comps) + 1)).tolist()

    # Role values of the members only (trimmed text, None when empty), completeness, differing roles.
    sub = canon.iloc[flat]
    roles = [c for c in canon.columns if c != "id"]
    fill = np.zeros(len(flat), np.int64)
    vals: dict[str, list[Any]] = {}
    differ = np.zeros((len(roles), len(comps)), bool)
    for j, role in enumerate(roles):
        col = sub[role]
        text = col.astype(object).where(col.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
        text[text == ""] = None
        codes = pd.factorize(text, use_na_sentinel=True)[0]
        has = codes >= 0
        fill += has
        nn = np.bincount(comp_of[has], minlength=len(comps))
        width = np.int64(codes.max() + 2)
        nd = np.bincount(np.unique(comp_of[has] * width + codes[has]) // width, minlength=len(comps))
        differ[j] = (nd > 1) | ((nn > 0) & (nn < sizes))
        vals[role] = text.tolist()
    order = np.lexsort((flat, -fill, comp_of))
    keep = flat[order[starts]]
    member_ids = ids[flat].tolist()
    keep_ids = ids[keep].tolist()
    mean = (tot / np.maximum(cnt, 1)).tolist()
    low_l = low.tolist()
    cnt_l = cnt.tolist()
    bounds = np.append(starts, len(flat)).tolist()
    # (cluster, role) cells that differ, as per-cluster slices of role positions.
    dk, dj = np.nonzero(differ.T)
    dj_l = dj.tolist()
    d_bounds = np.searchsorted(dk, np.arange(len(comps) + 1)).tolist()
    clusters = []
    for k in range(len(comps)):
        a, b = bounds[k], bounds[k + 1]
        mids = member_ids[a:b]
        clusters.append({
            "id": k + 1,
            "members": mids,
            "score": round(mean[k], 4) if cnt_l[k] else 0.0,
            "min_score": round(low_l[k], 4) if cnt_l[k] else 0.0,
            "evidence": ev_items[ev_bounds[k]:ev_bounds[k + 1]],
            "keep": keep_ids[k],
            "differing": [{"field": roles[j], "label": LABELS[roles[j]],
                           "values": dict(zip(mids, vals[roles[j]][a:b], strict=True))}
                          for j in dj_l[d_bounds[k]:d_bounds[k + 1]]],
        })
    return clusters
