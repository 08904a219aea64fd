"""HTML of the correspondences page: the table of values and the candidates line (every value escaped)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .correspondences_data import STATE_LABELS
from .format import esc, fr_count, fr_int, fr_number

SEP = " — "   # between a GC code and its label in the picker


def option_text(code: str, label: str) -> str:
    """« code — libellé », as offered by the GC value picker."""
    return f"{code}{SEP}{label}" if label else code


def picked_code(text: str | None) -> str:
    """The GC code typed or chosen in the picker (what precedes « — »)."""
    return (text or "").split(SEP, 1)[0].strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _gc(code: Any, labels: Mapping[str, str]) -> str:
    if _blank(code):
        return ""
    label = labels.get(str(code), "")
    return (f'<b>{esc(code)}</b> <span class="econn-muted">{esc(label)}</span>' if label
            else f"<b>{esc(code)}</b>")


def rows_html(rows: pd.DataFrame, labels: Mapping[str, str], *, total: int, first: int) -> str:
    """The table of one page of rows; ``total`` rows match the filters, this page starts at ``first``."""
    if total == 0:
        return '<p class="econn-muted econn-empty">Aucune valeur pour ces filtres.</p>'
    body = []
    for r in rows.itertuples(index=False):
        state = str(r.state)
        shown = STATE_LABELS.get(state, state)
        if r.inherited:
            shown += " (article sans variante)"
        gc = r.gc_value if state in ("valide", "auto") else None
        sugg = r.gc_value if state not in ("valide", "auto") else None
        score = "" if _blank(r.score) else fr_number(float(r.score), 2)
        reason = "" if _blank(r.reason) else r.reason
        variant = "" if _blank(r.external_variant) else r.external_variant
        body.append(
            f'<tr class="econn-row econn-state-{esc(state)}" data-value="{esc(r.external_value)}" '
            f'data-variant="{esc(variant)}" data-state="{esc(state)}">'
            f"<td>{esc(r.external_value)}</td><td>{esc(variant)}</td><td>{_gc(gc, labels)}</td>"
            f"<td>{esc(shown)}</td><td>{_gc(sugg, labels)}</td><td>{esc(score)}</td><td>{esc(reason)}</td>"
            f'<td class="econn-num">{esc(fr_int(int(r.documents)))}</td></tr>')
    last = first + len(rows)
    return (f'<div class="econn-muted">Valeurs {fr_int(first + 1)} à {fr_int(last)} sur {fr_int(total)}</div>'
            '<table class="econn-table"><thead><tr><th>Valeur externe</th><th>Variante</th><th>Valeur GC</th>'
            "<th>État</th><th>Suggestion</th><th>Score</th><th>Raison</th><th>Documents débloqués</th>"
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>")


def candidates_html(cands: Sequence[Any], labels: Mapping[str, str]) -> str:
    """The ranked candidates of one external value (OpenRefine's reconciliation cell)."""
    if not cands:
        return '<span class="econn-muted">Aucun candidat trouvé dans la GC.</span>'
    items = "".join(f"<li>{_gc(c.gc_value, labels)} — score {esc(fr_number(c.score, 2))} — {esc(c.reason)}</li>"
                    for c in cands[:5])
    return f"Candidats classés :<ol>{items}</ol>"


def missing_articles_html(missing: Sequence[tuple[str, str]], connector: str, what: str, limit: int = 12) -> str:
    """The seed's mass screen: GC articles of the filter that have no external code on this connector."""
    if not missing:
        return f'<span class="econn-muted">Tous les articles {esc(what)} ont un code externe sur {esc(connector)}.</span>'
    shown = ", ".join(f"{esc(c)} ({esc(lib)})" if lib else esc(c) for c, lib in missing[:limit])
    more = f" et {fr_count(len(missing) - limit, 'autre')}" if len(missing) > limit else ""
    return (f"{fr_count(len(missing), 'article')} {esc(what)} sans code externe validé sur {esc(connector)} : "
            f"{shown}{more}.")
