"""Tiny inline-SVG charts (no CDN, no JavaScript): the page works offline and nothing runs in the browser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .format import esc, fr_date, fr_int

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
        tip = ", ".join(f"{fr_int(int(r.get(s) or 0))} {_PLURALS.get(s, s)}" for s in series)
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
