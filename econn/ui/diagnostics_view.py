"""HTML of the diagnostics page: counts, findings table, cluster side by side, cleanup plan, download link.

Pure functions of data (a :class:`~econn.diagnostics.base.DiagnosticResult`, a
:class:`~econn.duplicates.merge.MergeProposal`…) returning HTML; every value goes through :func:`esc`.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..duplicates.merge import FIELDS, MergeProposal
from .format import download_link, esc, fr_agree, fr_count, fr_int, fr_number

LEVELS = ("erreur", "alerte", "succès")
_LEVEL_CSS = {"erreur": "econn-erreur", "alerte": "econn-alerte", "succès": "econn-succes"}

STYLE = """
<style>
.econn-diff td { background: #fff3cd; }
.econn-diff th { background: #ffe08a; }
.econn-keep { outline: 2px solid #2e8540; }
th.econn-keep { background: #d6f0dc; }
.econn-kept-value { font-weight: 600; }
.econn-level { padding: 1px 6px; border-radius: 4px; color: #fff; font-size: 0.85em; }
.econn-diag-busy { color: #8a5a00; font-weight: 600; }
.econn-evidence { margin: 0.3em 0; }
</style>
"""


def _level(f: Finding) -> str:
    return str(getattr(f.level, "value", f.level))


def counts_html(name_title: str, findings: list[Finding], seconds: float) -> str:
    """Badges « n erreurs / n alertes / n succès » for one run."""
    counts = {lv: 0 for lv in LEVELS}
    for f in findings:
        counts[_level(f)] = counts.get(_level(f), 0) + 1
    badges = "".join(
        f'<span class="econn-badge {_LEVEL_CSS[lv]}" data-level="{esc(lv)}" data-count="{counts[lv]}">'
        f"{esc(fr_count(counts[lv], lv))}</span>" for lv in LEVELS)
    return (f"<h3>{esc(name_title)}</h3>{badges}"
            f'<div class="econn-muted">{esc(fr_count(len(findings), "constat"))} en {esc(fr_number(seconds, 1))} s</div>')


# The findings table is a paged DataTable (econn.ui.table): these are its columns, rows and cell HTML.
FINDING_COLUMNS = [("level", "Niveau"), ("code", "Code"), ("message", "Constat"),
                   ("object", "Document / objet"), ("value", "Valeur"), ("where", "Fichier"), ("hint", "Conseil")]
FINDING_ROW_ATTRS = {"data-code": "code", "data-level": "level"}


def findings_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    """One row per finding for :data:`FINDING_COLUMNS` (values raw: the table escapes them)."""
    def where(f: Finding) -> str:
        return " ".join(str(x) for x in (f.source, f"ligne {f.line}" if f.line else None) if x)
    return [{"level": _level(f), "code": f.code, "message": f.message, "object": f.document or f.subject,
             "value": f.value, "where": where(f), "hint": f.hint} for f in findings]


def level_cell(text: str) -> str:
    """The level badge around a cell's (already escaped) text."""
    return f'<span class="econn-level {_LEVEL_CSS.get(text, "")}">{text}</span>'


def hint_cell(text: str) -> str:
    """The hint, greyed (``text`` already escaped)."""
    return f'<span class="econn-muted">{text}</span>'


def cluster_label(cluster: dict[str, Any]) -> str:
    """Dropdown label of a cluster: members, size and score."""
    members = cluster.get("members") or []
    score = cluster.get("score")
    shown = f" — score {fr_number(score * 100, 0)} %" if isinstance(score, int | float) else ""
    return f"{cluster.get('id')} : {', '.join(map(str, members))} ({len(members)} tiers){shown}"


def _evidence_html(cluster: dict[str, Any]) -> str:
    ev = cluster.get("evidence")
    if isinstance(ev, str):
        items = [ev]
    else:
        items = []
        for pair in ev or []:
            parts = ", ".join(f"{e.get('label')} {e.get('level')}" for e in pair.get("fields", []))
            items.append(f"{' / '.join(map(str, pair.get('pair', [])))} "
                         f"(score {fr_number(float(pair.get('score') or 0) * 100, 0)} %) : {parts}")
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f'<div class="econn-evidence"><b>Indices :</b><ul>{lis}</ul></div>' if lis else ""


def _norm(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def cluster_detail_html(cluster: dict[str, Any], proposal: MergeProposal) -> str:
    """The cluster side by side: one column per member (kept first, marked), one row per field,
    differing rows with the CSS class ``econn-diff``, and the value kept after the merge."""
    members = proposal.members
    head = "".join(
        f'<th class="{"econn-keep" if m == proposal.keep else "econn-absorbed"}" data-code="{esc(m)}">{esc(m)}'
        f"{' — à conserver' if m == proposal.keep else ' — absorbé'}</th>" for m in members)
    rows = []
    for col, label in FIELDS:
        values = [proposal.records[m].get(col) for m in members]
        differ = len({_norm(v) for v in values}) > 1
        cells = "".join(f'<td class="{"econn-keep" if m == proposal.keep else ""}">{esc(_show(v))}</td>'
                        for m, v in zip(members, values, strict=True))
        kept = proposal.fields.get(col) if col != "actif" else True
        note = " (complété)" if col in proposal.completed else ""
        rows.append(f'<tr class="econn-field{" econn-diff" if differ else ""}" data-field="{esc(col)}">'
                    f"<th>{esc(label)}</th>{cells}"
                    f'<td class="econn-kept-value">{esc(_show(kept))}{esc(note)}</td></tr>')
    docs = "".join(f"<td>{esc(fr_int(proposal.documents.get(m, 0)))}</td>" for m in members)
    corr = "".join(f"<td>{esc(fr_int(proposal.correspondences.get(m, 0)))}</td>" for m in members)
    rows.append(f"<tr><th>Documents</th>{docs}<td>{esc(fr_int(sum(proposal.documents.values())))}</td></tr>")
    rows.append(f"<tr><th>Correspondances (tiers)</th>{corr}"
                f"<td>{esc(fr_int(sum(proposal.correspondences.values())))}</td></tr>")
    summary = (f"Proposition : conserver <b>{esc(proposal.keep)}</b>, mettre en sommeil "
               f"<b>{esc(', '.join(proposal.absorbed))}</b> et lui réaffecter "
               f"{esc(fr_count(proposal.moved_documents, 'document'))}. "
               "Rien n'est fusionné sans votre accord.")
    return (f'<div class="econn-merge-summary">{summary}</div>'
            f'<table class="econn-table econn-side-by-side"><thead><tr><th>Champ</th>{head}'
            f'<th class="econn-kept-value">Valeur retenue</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            + _evidence_html(cluster))


def _show(value: Any) -> str:
    if value is True:
        return "oui"
    if value is False:
        return "non"
    return "" if value is None else str(value)


def plan_html(plan: list[dict[str, Any]], total: int) -> str:
    """The nettoyage dry run: one row per rule to remove (ref, article, raisons)."""
    if not plan:
        return "<p>Aucune règle à supprimer : les grilles de prix sont propres.</p>"
    body = "".join(
        f'<tr class="econn-plan-row" data-ref="{esc(e["ref"])}"><td>{esc(e["ref"])}</td><td>{esc(e["article"])}</td>'
        f"<td>{esc(', '.join(e['codes']))}</td><td>{esc(' ; '.join(e['reasons']))}</td></tr>" for e in plan)
    return (f"<p>Aperçu : {esc(fr_count(len(plan), 'règle'))} sur {esc(fr_int(total))} "
            f"{fr_agree(len(plan), 'serait supprimée', 'seraient supprimées')} "
            "(rien n'est supprimé tant que vous n'appliquez pas).</p>"
            '<table class="econn-table"><thead><tr><th>Réf.</th><th>Article</th><th>Codes</th><th>Raisons</th>'
            f"</tr></thead><tbody>{body}</tbody></table>")


def download_html(data: bytes, filename: str) -> str:
    """A ``data:`` URI link that downloads the workbook."""
    return download_link(data, filename, f"⬇ {filename}", css="econn-diag-download-link")
