"""HTML and Excel renderings of the history rows (the page in ``history.py`` only wires widgets)."""

from __future__ import annotations

import datetime as dt
import getpass
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from ..history import COLUMNS
from .format import download_link as data_link
from .format import esc, fr_amount, fr_count, fr_date

KIND_LABELS = {"reception": "Réception", "envoi": "Envoi", "erreur": "Erreur", "action": "Action"}
LEVEL_COLOURS = {"succès": "#2e8540", "alerte": "#e07b00", "erreur": "#c62828"}
# The seed's « Historique des synchronisations » columns, then level, message and state.
TABLE_COLUMNS = ["id", "connector", "kind", "type", "date_integration", "date_achat", "n_doc_origine", "n_doc_gc",
                 "nom", "code_tiers_gc", "code_tiers_origine", "montant_ttc", "n_reglement", "level", "message",
                 "state"]
EXPORT_COLUMNS = list(COLUMNS)


def current_user() -> str:
    """Who closes an error: ``$ECONN_USER``, else the system user."""
    user = os.environ.get("ECONN_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): still a name, never a crash
        return "utilisateur"


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "NaT"


def _cell(key: str, v: Any) -> str:
    if _missing(v):
        return ""
    if key == "montant_ttc":
        return fr_amount(v)
    if key == "date_integration":
        return fr_date(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v, with_time=True)
    if key == "date_achat":
        return fr_date(v)
    if key == "kind":
        return KIND_LABELS.get(v, str(v))
    return str(v)


def closed_text(r: dict[str, Any]) -> str:
    """« fermée par X le 22/11/2026 14:05 : justification » (empty when the row is not a closed error)."""
    if r.get("state") != "fermée":
        return ""
    when = r.get("closed_at")
    when_fr = "" if _missing(when) else fr_date(when.to_pydatetime() if hasattr(when, "to_pydatetime") else when,
                                                with_time=True)
    return f"fermée par {r.get('closed_by') or '?'} le {when_fr} : {r.get('justification') or ''}"


def table_html(df: Any) -> str:
    """The history page as an HTML table; every value escaped, levels coloured, hints and closures shown."""
    if df is None or len(df) == 0:
        return '<p class="econn-muted econn-history-empty">Aucune ligne ne correspond aux filtres.</p>'
    head = "".join(f"<th>{esc(COLUMNS.get(k, k))}</th>" for k in TABLE_COLUMNS)
    body = []
    for r in df.to_dict("records"):
        cells = []
        for k in TABLE_COLUMNS:
            text = esc(_cell(k, r.get(k)))
            if k == "level":
                colour = LEVEL_COLOURS.get(r.get("level") or "", "#333")
                cells.append(f'<td class="econn-level econn-level-{esc(r.get("level"))}" '
                             f'style="color:{colour};font-weight:600">{text}</td>')
            elif k == "message":
                extra = ""
                if r.get("code"):
                    extra += f' <span class="econn-muted">[{esc(r["code"])}]</span>'
                if r.get("reference"):
                    extra += f'<br><span class="econn-muted">Référence : {esc(r["reference"])}</span>'
                if r.get("level") == "erreur" and not _missing(r.get("hint")):
                    extra += f'<br><span class="econn-hint">💡 {esc(r["hint"])}</span>'
                cells.append(f"<td>{text}{extra}</td>")
            elif k == "state":
                closed = closed_text(r)
                css = "econn-closed" if closed else ("econn-open" if r.get("state") == "ouverte" else "")
                cells.append(f'<td class="{css}">{esc(closed or r.get("state") or "")}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append(f'<tr class="econn-history-row" data-id="{esc(r.get("id"))}" '
                    f'data-level="{esc(r.get("level"))}" data-state="{esc(r.get("state"))}">{"".join(cells)}</tr>')
    return (f'<table class="econn-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def export_xlsx_bytes(df: Any) -> bytes:
    """The filtered rows as an .xlsx workbook (French titles, every cell neutralised by ``put_cell``)."""
    from ..safe_output import write_xlsx

    rows = []
    for r in df.to_dict("records"):
        row = []
        for k in EXPORT_COLUMNS:
            v = r.get(k)
            if _missing(v):
                v = None
            elif hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime()
            elif k == "kind":
                v = KIND_LABELS.get(v, v)
            row.append(v)
        rows.append(row)
    with tempfile.TemporaryDirectory(prefix="econn-export-") as tmp:
        path = Path(tmp) / "historique.xlsx"
        write_xlsx(path, rows, [COLUMNS[k] for k in EXPORT_COLUMNS], sheet="Historique")
        return path.read_bytes()


def download_link(data: bytes, rows: int, *, now: dt.datetime | None = None) -> str:
    """A ``data:`` URI link to the workbook (no file served by Voilà, nothing left on disk)."""
    name = f"historique_{(now or dt.datetime.now()):%Y%m%d_%H%M}.xlsx"
    link = data_link(data, name, f"📥 Télécharger {name}", css="econn-history-download-link")
    return f'{link} <span class="econn-muted">({fr_count(rows, "ligne")})</span>'
