"""The econn charts of the pages: reception documents, duplicate clusters and their evidence, price grids.

Each function takes what a reception or a diagnostic returned, gets its figures from
:mod:`econn.diagnostics.chart_data` (the same figures as the Excel report) and draws them with
:mod:`econn.ui.charts`: inline SVG, French labels, every value escaped, a short French sentence when there is
nothing to draw. CSS classes: ``econn-chart-documents``, ``econn-chart-clusters``, ``econn-chart-evidence``,
``econn-chart-price-anomalies``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..diagnostics import chart_data
from ..diagnostics.base import DiagnosticResult
from ..findings import Finding
from .charts import LEVEL_COLOURS, PALETTE, column_bars_svg, empty_chart, row_bars_svg, share_bar_svg
from .format import esc, fr_count, fr_int, fr_number

DOCUMENT_COLOURS: dict[str, str] = {
    "new": PALETTE["vert"], "blocked": PALETTE["rouge"], "waiting": PALETTE["orange"],
    "existing": PALETTE["gris"], "integrated": PALETTE["bleu"],
}
# Evidence level → bar colour; any other level (« différent », « différent (numéro) »…) is red.
EVIDENCE_COLOURS: dict[str, str] = {"identique": PALETTE["vert"], "proche": "#7cb342",
                                    "initiale": PALETTE["orange"]}
MAX_PAIRS = 3  # evidence charts drawn for one cluster (a large cluster lists the rest in a sentence)


def _pct(share: float) -> str:
    """0.93 → « 93 % »."""
    return f"{fr_number(share * 100, 0)}\u00a0%"


def documents_share_svg(counts: Mapping[str, int], *, width: int = 640) -> str:
    """Share of the reception's documents: intégrables / bloqués / en attente / déjà intégrés (/ intégrés).

    Args:
        counts: documents per status (``FileAnalysis.counts()``, or
            :func:`~econn.diagnostics.chart_data.sum_counts` of several files).
        width: SVG width in pixels.

    Returns:
        SVG markup (class ``econn-chart-documents``), or « Aucun document à recevoir. ».
    """
    shares = chart_data.document_shares(counts)
    if not any(s["count"] for s in shares):
        return empty_chart("documents", "Aucun document à recevoir.")
    parts = [(s["label"], s["count"], DOCUMENT_COLOURS[s["status"]]) for s in shares]
    return share_bar_svg(parts, title="Documents du fichier", kind="documents", unit="document",
                         width=width)


def reception_documents_svg(files: Iterable[Any], *, width: int = 640) -> str:
    """:func:`documents_share_svg` of analysed files (``FileAnalysis``, anything with ``counts()``)."""
    return documents_share_svg(chart_data.sum_counts(fa.counts() for fa in files), width=width)


def cluster_sizes_svg(clusters: Iterable[Mapping[str, Any]], *, width: int = 460) -> str:
    """Histogram of the duplicate clusters by size: groups of 2, 3, 4, 5 tiers and more.

    Returns:
        SVG markup (class ``econn-chart-clusters``), or « Aucun groupe de doublons. ».
    """
    sizes = chart_data.cluster_sizes(clusters)
    if not any(s["count"] for s in sizes):
        return empty_chart("clusters", "Aucun groupe de doublons.")
    bars = [(s["label"], s["count"], PALETTE["violet"]) for s in sizes]
    return column_bars_svg(bars, title="Groupes de doublons par taille", kind="clusters", unit="groupe",
                           width=width)


def pair_evidence_svg(pair: Mapping[str, Any], *, width: int = 640) -> str:
    """The evidence of one duplicate pair: one bar per compared field, its length the similarity.

    Args:
        pair: one record of :func:`econn.diagnostics.chart_data.pair_evidence`
            (``{"pair", "score", "fields": [{"label", "level", "similarity"}]}``).
        width: SVG width in pixels.

    Returns:
        SVG markup (class ``econn-chart-evidence``), or « Aucun indice pour cette paire. ».
    """
    fields = pair.get("fields") or []
    if not fields:
        return empty_chart("evidence", "Aucun indice pour cette paire.")
    members = " / ".join(str(m) for m in pair.get("pair") or [])
    score = pair.get("score")
    title = f"Indices {members}" + (f" (score {_pct(score)})" if score is not None else "")
    rows = []
    for f in fields:
        level, sim = str(f["level"]), float(f["similarity"])
        colour = EVIDENCE_COLOURS.get(level.split(",")[0].strip(), PALETTE["rouge"])
        text = f"{level} · {_pct(sim)}" if f.get("measured") and sim < 0.995 else level
        rows.append({"label": f["label"], "value": sim, "colour": colour,
                     "text": text, "tip": f"{f['label']} : {level} ({_pct(sim)})",
                     "data": {"field": f["label"], "level": level}})
    return row_bars_svg(rows, title=title, kind="evidence", peak=1.0, width=width, label_width=150,
                        text_width=230)


def cluster_evidence_html(cluster: Mapping[str, Any]) -> str:
    """Evidence charts of the pairs of a cluster (at most :data:`MAX_PAIRS`), in a ``div``."""
    pairs = chart_data.pair_evidence(cluster)
    if not pairs:
        empty = empty_chart("evidence", "Aucun indice détaillé pour ce groupe.")
        return f'<div class="econn-evidence-charts">{empty}</div>'
    more = len(pairs) - MAX_PAIRS
    others = fr_count(more, "autre paire détaillée", "autres paires détaillées")
    note = (f'<p class="econn-muted">… et {esc(others)} dans les indices.</p>' if more > 0 else "")
    charts = "".join(pair_evidence_svg(p) for p in pairs[:MAX_PAIRS])
    return f'<div class="econn-evidence-charts">{charts}{note}</div>'


def price_anomalies_svg(findings: Iterable[Finding], *, width: int = 720) -> str:
    """Price-grid anomalies per code, grouped by family (doublons et conflits, dates, prix, orphelines).

    Returns:
        SVG markup (class ``econn-chart-price-anomalies``), or « Aucune anomalie dans les grilles de prix. ».
    """
    rows = chart_data.price_anomalies(findings)
    if not rows:
        return empty_chart("price-anomalies", "Aucune anomalie dans les grilles de prix.")
    bars = [{"label": f"{r['code']} — {r['title']}" if r["title"] else r["code"], "value": r["count"],
             "colour": LEVEL_COLOURS.get(r["level"], PALETTE["bleu"]), "text": fr_int(r["count"]),
             "group": r["family"],
             "tip": f"{r['code']} ({r['title']}) : {fr_count(r['count'], 'constat')}, {r['level']}",
             "data": {"code": r["code"], "count": r["count"]}} for r in rows]
    return row_bars_svg(bars, title="Anomalies des grilles de prix", kind="price-anomalies", width=width,
                        label_width=340, text_width=60)


def result_chart_html(result: DiagnosticResult) -> str:
    """The chart of a diagnostic result: cluster sizes (duplicates), anomalies (price grids), else ''."""
    if result.name in ("doublons-simple", "doublons-complet"):
        return cluster_sizes_svg(result.clusters)
    if result.name == "grilles-prix":
        return price_anomalies_svg(result.findings)
    return ""
