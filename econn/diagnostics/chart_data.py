"""The figures the charts draw: counts per code, duplicate cluster sizes, price anomalies, document shares.

Pure functions returning records (lists of dicts); the SVG charts (:mod:`econn.ui.charts_domain`) and the
Excel report (:mod:`econn.diagnostics.excel`) only draw them, so both show the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ..findings import CATALOGUE, Finding, Level

# Cluster sizes shown one by one; larger clusters are pooled in the last bucket (« 5 et plus »).
CLUSTER_BUCKETS: tuple[int, ...] = (2, 3, 4, 5)

# Price-grid codes by family, in the order the chart shows them.
PRICE_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Doublons et conflits", ("PRIX-DUP", "PRIX-CONFLIT", "PRIX-CHEV")),
    ("Dates", ("PRIX-DATES", "PRIX-EXPIRE")),
    ("Prix et remises", ("PRIX-NEG", "PRIX-ZERO", "PRIX-REM", "PRIX-COUT", "PRIX-PALIER", "PRIX-HTTTC",
                         "PRIX-BASE", "PRIX-CODES")),
    ("Règles orphelines", ("PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP")),
)

# Reception document statuses (econn.reception.model) → French label of the share chart, in drawing order.
DOCUMENT_SHARES: tuple[tuple[str, str], ...] = (
    ("new", "Intégrables"), ("blocked", "Bloqués"), ("waiting", "En attente"),
    ("existing", "Déjà intégrés"), ("integrated", "Intégrés"),
)

# Key of a « doublons simple » cluster code → the field both records share.
_SIMPLE_KEYS: dict[str, str] = {
    "CLI-DUP-EMAIL": "e-mail", "CLI-DUP-TEL": "téléphone", "CLI-DUP-SIRET": "SIRET",
    "CLI-DUP-CODEEXT": "code externe", "CLI-DUP-NOMCP": "nom + code postal",
}
# A level without a measured similarity is drawn at this share of the bar.
_LEVEL_SIMILARITY: dict[str, float] = {"identique": 1.0, "proche": 0.9, "initiale": 0.5}


def _level(f: Finding) -> str:
    return str(getattr(f.level, "value", f.level))


def _title(code: str) -> str:
    spec = CATALOGUE.get(code)
    return spec.title if spec else ""


def findings_per_code(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings counted per (code, level), worst level first then by code.

    Returns:
        ``[{"code", "level", "title", "count"}]`` (``title`` from the catalogue, ``""`` when unknown).
    """
    counts = Counter((f.code, _level(f)) for f in findings)
    rank = {lv.value: lv.rank for lv in Level}
    rows = sorted(counts.items(), key=lambda kv: (-rank.get(kv[0][1], 0), kv[0][0]))
    return [{"code": code, "level": lv, "title": _title(code), "count": n} for (code, lv), n in rows]


def cluster_sizes(clusters: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """How many duplicate clusters have 2, 3, 4, 5 or more members (every bucket, even empty).

    Returns:
        ``[{"size": 2, "label": "2 tiers", "count": n}, …, {"size": 5, "label": "5 tiers et plus", …}]``.
    """
    last = CLUSTER_BUCKETS[-1]
    counts = Counter(min(len(c.get("members") or []), last) for c in clusters)
    return [{"size": s, "label": f"{s} tiers" + (" et plus" if s == last else ""), "count": counts.get(s, 0)}
            for s in CLUSTER_BUCKETS]


def price_anomalies(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Price-grid findings counted per code, grouped by family (codes without findings left out).

    Returns:
        ``[{"family", "code", "title", "level", "count"}]`` in the families' order; the level is the worst
        seen for the code (PRIX-REM is an erreur or, above the ceiling only, an alerte).
    """
    counts: Counter[str] = Counter()
    worst: dict[str, Level] = {}
    for f in findings:
        if f.code.startswith("PRIX-"):
            counts[f.code] += 1
            lv = Level(_level(f))
            if f.code not in worst or lv.rank > worst[f.code].rank:
                worst[f.code] = lv
    known = {c for _, codes in PRICE_FAMILIES for c in codes}
    families = [*PRICE_FAMILIES, ("Autres", tuple(sorted(set(counts) - known)))]
    return [{"family": family, "code": code, "title": _title(code),
             "level": worst[code].value, "count": counts[code]}
            for family, codes in families for code in codes if counts.get(code)]


def price_families(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """:func:`price_anomalies` summed per family: ``[{"family", "count"}]`` (empty families left out)."""
    totals: dict[str, int] = {}
    for row in price_anomalies(findings):
        totals[row["family"]] = totals.get(row["family"], 0) + row["count"]
    return [{"family": k, "count": v} for k, v in totals.items()]


def document_shares(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """The reception's documents per status, as chart records.

    Args:
        counts: documents per status (``FileAnalysis.counts()`` or their sum over files); other keys ignored.

    Returns:
        ``[{"status", "label", "count"}]`` for integrables (new), bloqués, en attente and déjà intégrés
        (always), and intégrés (only when some were).
    """
    return [{"status": k, "label": label, "count": int(counts.get(k) or 0)} for k, label in DOCUMENT_SHARES
            if k != "integrated" or counts.get(k)]


def sum_counts(per_file: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Add up the ``counts()`` of several analysed files."""
    out: dict[str, int] = {}
    for c in per_file:
        for k, v in c.items():
            out[k] = out.get(k, 0) + int(v)
    return out


def pair_evidence(cluster: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The evidence of each pair of a duplicate cluster, field by field.

    « Doublons complet » clusters carry per-pair evidence (``{"pair", "score", "fields"}``); a « doublons
    simple » cluster only knows which keys its members share (its ``codes``), shown as identical fields.

    Returns:
        ``[{"pair": [a, b], "score": float | None, "fields": [...]}]``, each field
        ``{"label", "level", "similarity", "measured"}``: the similarity in [0, 1], ``measured`` when the
        comparison gave it, else derived from the level.
    """
    ev = cluster.get("evidence")
    if isinstance(ev, list):
        out = []
        for item in ev:
            fields = []
            for e in item.get("fields") or []:
                level = str(e.get("level") or "")
                sim = e.get("similarity")
                measured = sim is not None
                if sim is None:
                    sim = _LEVEL_SIMILARITY.get(level.split(",")[0].strip(), 0.0)
                fields.append({"label": str(e.get("label") or e.get("field") or ""), "level": level,
                               "similarity": max(0.0, min(1.0, float(sim))), "measured": measured})
            score = item.get("score")
            out.append({"pair": [str(m) for m in item.get("pair") or []],
                        "score": float(score) if isinstance(score, int | float) else None, "fields": fields})
        return out
    keys = [_SIMPLE_KEYS[c] for c in cluster.get("codes") or [] if c in _SIMPLE_KEYS]
    if not keys:
        return []
    members = [str(m) for m in cluster.get("members") or []]
    return [{"pair": members, "score": None,
             "fields": [{"label": k, "level": "identique", "similarity": 1.0, "measured": False}
                        for k in keys]}]
