"""Tiny inline-SVG charts (no CDN, no JavaScript): the page works offline and nothing runs in the browser.

Generic drawings of records: stacked bars per day, a 100 % share bar, column bars (histogram) and row bars.
Every label is escaped (values come from client files); numbers in French. The econn-specific charts built
on them live in :mod:`econn.ui.charts_domain`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .format import esc, fr_count, fr_date, fr_int, fr_number

LEVEL_COLOURS: dict[str, str] = {"succès": "#2e8540", "alerte": "#e07b00", "erreur": "#c62828"}
_PLURALS = {"succès": "succès", "alerte": "alertes", "erreur": "erreurs"}


def stacked_bars_svg(volumes: Any, *, width: int = 900, height: int = 220,
                     series: Sequence[str] = ("succès", "alerte", "erreur"), title: str = "") -> str:
    """Stacked bars per day and level, as an SVG string.

    Args:
        volumes: rows with a ``day`` (date) and one count per series (``history.daily_volumes``'s DataFrame,
            or a list of dicts).
        width: SVG width in pixels.
        height: SVG height in pixels.
        series: the count columns, bottom to top.
        title: accessible title.

    Returns:
        ``<svg …>`` markup; every label is escaped, dates in French (« 22/11 », tooltips « 22/11/2026 »).
    """
    rows = volumes.to_dict("records") if hasattr(volumes, "to_dict") else list(volumes)
    left, right, top, bottom = 40, 10, 28, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(rows))
    totals = [sum(int(r.get(s) or 0) for s in series) for r in rows]
    peak = max([1, *totals])
    step = plot_w / n
    bar_w = max(1.0, step * 0.8)
    svg_open = (f'<svg xmlns="http://www.w3.org/2000/svg" class="econn-chart-svg" width="{width}" '
                f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
                f'aria-label="{esc(title or "Volumes par jour")}">')
    parts = [svg_open]
    if title:
        parts.append(f"<title>{esc(title)}</title>")
    # Horizontal grid: 0, half and the peak.
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#666">'
                     f"{esc(fr_int(round(peak * frac)))}</text>")
    label_every = max(1, n // 12)
    for i, r in enumerate(rows):
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h
        day = r.get("day")
        tip = ", ".join(fr_count(int(r.get(s) or 0), s, _PLURALS.get(s)) for s in series)
        day_fr = fr_date(day) if isinstance(day, dt.date) else str(day or "")
        parts.append(f'<g class="econn-chart-day" data-day="{esc(day_fr)}"><title>{esc(day_fr)} : {esc(tip)}</title>')
        for s in series:
            v = int(r.get(s) or 0)
            if v <= 0:
                continue
            h = plot_h * v / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{LEVEL_COLOURS.get(s, "#1f5fa8")}"/>')
        parts.append("</g>")
        if i % label_every == 0 and isinstance(day, dt.date):
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" font-size="10" '
                         f'text-anchor="middle" fill="#444">{esc(day.strftime("%d/%m"))}</text>')
    lx = left
    for s in series:
        parts.append(f'<rect x="{lx}" y="8" width="10" height="10" fill="{LEVEL_COLOURS.get(s, "#1f5fa8")}"/>'
                     f'<text x="{lx + 14}" y="17" font-size="11" fill="#333">{esc(_PLURALS.get(s, s))}</text>')
        lx += 90
    parts.append("</svg>")
    return "".join(parts)


# --- shared pieces of the other charts -----------------------------------------------------------------

PALETTE: dict[str, str] = {
    "vert": "#2e8540", "orange": "#e07b00", "rouge": "#c62828", "gris": "#78909c", "bleu": "#1f5fa8",
    "violet": "#6a4c93",
}
_FONT = 'font-family="sans-serif"'


def svg_open(kind: str, width: int, height: int, title: str) -> str:
    """``<svg>`` opening tag with its accessible name and ``<title>``.

    The CSS classes are ``econn-chart-svg econn-chart-{kind}``: a page (or a browser test) selects a chart
    by its kind.
    """
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="econn-chart-svg econn-chart-{esc(kind)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{esc(title)}" style="max-width:100%;height:auto"><title>{esc(title)}</title>')


def empty_chart(kind: str, sentence: str) -> str:
    """What a chart shows without data: a short French sentence, classed like the chart it replaces."""
    return f'<p class="econn-chart-empty econn-chart-{esc(kind)} econn-muted">{esc(sentence)}</p>'


def fr_percent(part: float, total: float) -> str:
    """« 42 % » (no-break space); « < 1 % » for a non-zero part that rounds to 0."""
    if not total:
        return "0\u00a0%"
    pct = 100.0 * part / total
    if 0 < pct < 0.5:
        return "<\u00a01\u00a0%"
    return f"{fr_number(pct, 0)}\u00a0%"


def _caption(text: str) -> str:
    """The bold caption above a chart."""
    return f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#333" {_FONT}>{esc(text)}</text>'


def _tip(label: str, n: int, unit: str, total: int | None = None) -> str:
    """Tooltip « label : n unit (p %) », the unit agreeing with n (« 1 document », « 5 documents »)."""
    share = f" ({fr_percent(n, total)})" if total else ""
    return f"{label} : {fr_count(n, unit) if unit else fr_int(n)}{share}"


def _clip(text: str, size: int) -> str:
    """Shorten a label to ``size`` characters (the full text stays in the tooltip)."""
    return text if len(text) <= size else text[: size - 1] + "…"


def share_bar_svg(parts: Sequence[tuple[str, int, str]], *, title: str, kind: str, unit: str = "",
                  width: int = 640) -> str:
    """One 100 % bar split into parts, with a legend « label : n (p %) ».

    Args:
        parts: ``(label, count, colour)`` in drawing order; zero counts stay in the legend only.
        title: accessible title, also the caption above the bar (with the total).
        kind: CSS suffix (``econn-chart-{kind}``).
        unit: noun after the counts in the tooltips, singular (« document »).
        width: SVG width in pixels.

    Returns:
        ``<svg …>`` markup, or :func:`empty_chart` when every count is 0.
    """
    total = sum(max(0, int(n)) for _, n, _ in parts)
    if total <= 0:
        return empty_chart(kind, f"{title} : rien à représenter.")
    per_row = max(1, width // 160)
    rows = (len(parts) + per_row - 1) // per_row
    bar_y, bar_h, height = 26, 28, 26 + 28 + 12 + rows * 20
    out = [svg_open(kind, width, height, title),
           _caption(f"{title} : {fr_int(total)}")]
    x = 0.0
    for label, n, colour in parts:
        n = max(0, int(n))
        if n == 0:
            continue
        w = width * n / total
        out.append(f'<g class="econn-chart-part" data-label="{esc(label)}" data-count="{n}">'
                   f"<title>{esc(_tip(label, n, unit, total))}</title>"
                   f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="{esc(colour)}"/>')
        if w >= 30:
            out.append(f'<text x="{x + w / 2:.1f}" y="{bar_y + 19}" font-size="12" text-anchor="middle" '
                       f'fill="#fff" {_FONT}>{esc(fr_int(n))}</text>')
        out.append("</g>")
        x += w
    for i, (label, n, colour) in enumerate(parts):
        lx, ly = (i % per_row) * (width / per_row), bar_y + bar_h + 12 + (i // per_row) * 20
        text = f"{label} : {fr_int(max(0, int(n)))} ({fr_percent(max(0, int(n)), total)})"
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="10" height="10" fill="{esc(colour)}"/>'
                   f'<text class="econn-chart-legend" x="{lx + 14:.1f}" y="{ly + 9}" font-size="11" '
                   f'fill="#333" {_FONT}>{esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def column_bars_svg(bars: Sequence[tuple[str, int, str]], *, title: str, kind: str, unit: str = "",
                    width: int = 460, height: int = 200) -> str:
    """Vertical bars (a histogram), the count above each bar and its label below.

    Args:
        bars: ``(label, count, colour)`` left to right.
        title: accessible title and caption.
        kind: CSS suffix (``econn-chart-{kind}``).
        unit: noun after the counts in the tooltips, singular (« groupe »).
        width: SVG width in pixels.
        height: SVG height in pixels.

    Returns:
        ``<svg …>`` markup, or :func:`empty_chart` when there are no bars or all are 0.
    """
    if not bars or all(int(n) <= 0 for _, n, _ in bars):
        return empty_chart(kind, f"{title} : rien à représenter.")
    left, top, bottom = 8, 40, 24
    plot_h = height - top - bottom
    peak = max(1, *(int(n) for _, n, _ in bars))
    step = (width - left) / len(bars)
    bar_w = step * 0.6
    out = [svg_open(kind, width, height, title),
           _caption(title),
           f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#999"/>']
    for i, (label, n, colour) in enumerate(bars):
        n = max(0, int(n))
        h = plot_h * n / peak
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h - h
        mid = x + bar_w / 2
        out.append(f'<g class="econn-chart-bar" data-label="{esc(label)}" data-count="{n}">'
                   f"<title>{esc(_tip(label, n, unit))}</title>"
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                   f'fill="{esc(colour)}"/><text x="{mid:.1f}" y="{y - 4:.1f}" font-size="12" '
                   f'text-anchor="middle" fill="#333" {_FONT}>{esc(fr_int(n))}</text>'
                   f'<text x="{mid:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" fill="#444" '
                   f"{_FONT}>{esc(_clip(label, 24))}</text></g>")
    out.append("</svg>")
    return "".join(out)


def row_bars_svg(rows: Sequence[Mapping[str, Any]], *, title: str, kind: str, peak: float | None = None,
                 width: int = 720, label_width: int = 280, text_width: int = 110) -> str:
    """Horizontal bars, one per row, optionally under group headings.

    Args:
        rows: dicts with ``label``, ``value`` (≥ 0), ``text`` (shown after the bar), ``colour``, and optional
            ``group`` (a heading drawn when it changes), ``tip`` (tooltip, default label + text) and ``data``
            (extra ``data-*`` attributes).
        title: accessible title and caption.
        kind: CSS suffix (``econn-chart-{kind}``).
        peak: the value of a full bar (default: the largest value).
        width: SVG width in pixels.
        label_width: room for the labels, left of the bars.
        text_width: room for the texts, right of the bars.

    Returns:
        ``<svg …>`` markup, or :func:`empty_chart` when there are no rows.
    """
    if not rows:
        return empty_chart(kind, f"{title} : rien à représenter.")
    top_val = float(peak if peak else max([1e-9, *(float(r["value"]) for r in rows)]))
    bar_max = width - label_width - text_width
    groups = len({r.get("group") for r in rows if r.get("group")})
    height = 28 + 22 * len(rows) + 20 * groups + 6
    out = [svg_open(kind, width, height, title), _caption(title)]
    y, group = 28, None
    for r in rows:
        if r.get("group") and r.get("group") != group:
            group = r["group"]
            out.append(f'<text class="econn-chart-group" x="0" y="{y + 14}" font-size="12" '
                       f'font-style="italic" fill="#555" {_FONT}>{esc(group)}</text>')
            y += 20
        label, text = str(r["label"]), str(r.get("text", ""))
        w = max(0.0, bar_max * min(float(r["value"]), top_val) / top_val)
        attrs = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in (r.get("data") or {}).items())
        tip = str(r.get("tip") or f"{label} : {text}")
        out.append(f'<g class="econn-chart-row"{attrs}><title>{esc(tip)}</title>'
                   f'<text x="{label_width - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="#333" '
                   f"{_FONT}>{esc(_clip(label, label_width // 7))}</text>"
                   f'<rect x="{label_width}" y="{y + 3}" width="{bar_max}" height="16" fill="#f0f0f0"/>'
                   f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="16" '
                   f'fill="{esc(r["colour"])}"/>'
                   f'<text x="{label_width + bar_max + 6}" y="{y + 15}" font-size="12" fill="#333" '
                   f"{_FONT}>{esc(_clip(text, text_width // 7))}</text></g>")
        y += 22
    out.append("</svg>")
    return "".join(out)
