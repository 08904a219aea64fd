"""Reception page, steps 2–3: the data the widgets show (unknown values, labels, findings) and its HTML.

Everything read from a file goes through :func:`esc` (directly, via :func:`html_table` or in the
:class:`~econn.ui.table.DataTable` that shows the rows built here).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import store
from ..mappings.correspondences import gc_table, gc_values
from ..diagnostics.base import DiagnosticResult
from ..findings import Finding, Level
from ..mappings import suggest
from ..reception import BLOCKED, EXISTING, INTEGRATED, NEW, WAITING, DocumentRecap, FileAnalysis
from .format import download_link, esc, fr_agree, fr_amount, fr_count, fr_int, html_table

# Finding code of an unknown value → correspondence domain (the seed's correspondence modal).
CORR_CODES = {"COR-TVA": "tva", "COR-UNI": "unite", "COR-PAYS": "pays", "COR-REGL": "reglement",
              "COR-ART": "article"}
DOMAIN_FR = {"tva": "Libellé TVA", "unite": "Unité", "pays": "Pays", "reglement": "Mode de règlement",
             "article": "Article"}
LEVELS_FR = [("Toutes", ""), ("Erreur", Level.ERREUR.value), ("Alerte", Level.ALERTE.value),
             ("Succès", Level.SUCCES.value)]
FINDING_COLUMNS = [("code", "Code"), ("level", "Niveau"), ("message", "Message"), ("hint", "Conseil"),
                   ("line", "Ligne"), ("document", "Document"), ("column", "Colonne"), ("value", "Valeur")]
_LABEL_COLUMNS = ("libelle", "nom", "name", "designation")


@dataclass
class Unknown:
    """One external value the GC does not know yet, with its choices and the best suggestion."""

    domain: str
    value: str
    options: list[tuple[str, str]]      # (label, GC code)
    suggestion: str | None
    reason: str = ""


def unknown_values(files: list[FileAnalysis]) -> list[tuple[str, str]]:
    """Distinct (domain, external value) of the COR-TVA/UNI/PAYS/REGL/ART findings, in file order."""
    out: dict[tuple[str, str], None] = {}
    for fa in files:
        for f in fa.findings:
            if f.code in CORR_CODES and f.value:
                out[(CORR_CODES[f.code], f.value)] = None
    return list(out)


def gc_choices(ws: Path, domain: str) -> list[tuple[str, str]]:
    """(« CODE — libellé », CODE) of the active GC values of a domain."""
    table = gc_table(domain)
    with store.connect(ws, read_only=True) as con:
        codes = gc_values(con, domain)
        cols = [r[0] for r in con.execute(f"DESCRIBE {store.quote_ident(table)}").fetchall()]
        label_col = next((c for c in _LABEL_COLUMNS if c in cols), None)
        labels: dict[str, Any] = {}
        if label_col:
            labels = dict(con.execute(f"SELECT code, {store.quote_ident(label_col)} FROM "
                                      f"{store.quote_ident(table)}").fetchall())
    return [(f"{c} — {labels[c]}" if labels.get(c) else str(c), str(c)) for c in codes]


def unknowns(ws: Path, connector: str, files: list[FileAnalysis]) -> list[Unknown]:
    """The rows of the correspondence modal, each with the GC values and the preselected suggestion."""
    pairs = unknown_values(files)
    by_domain: dict[str, list[str]] = {}
    for domain, value in pairs:
        by_domain.setdefault(domain, []).append(value)
    choices = {d: gc_choices(ws, d) for d in by_domain}
    best: dict[tuple[str, str], tuple[str, str]] = {}
    for domain, values in by_domain.items():
        codes = {c for _, c in choices[domain]}
        for value, sugg in suggest(ws, connector, domain, values).items():
            top = next((s for s in sugg if s.gc_value in codes), None)
            if top is not None:
                best[(domain, value)] = (top.gc_value, top.reason)
    return [Unknown(d, v, choices[d], *best.get((d, v), (None, ""))) for d, v in pairs]


def tiers_names(ws: Path, codes: list[str]) -> dict[str, str]:
    """GC tiers code → display name (société, else prénom nom)."""
    if not codes:
        return {}
    with store.connect(ws, read_only=True) as con:
        rows = con.execute("SELECT code, societe, prenom, nom FROM tiers WHERE code IN (SELECT unnest(?))",
                           [codes]).fetchall()
    return {c: (s or " ".join(x for x in (p, n) if x) or c) for c, s, p, n in rows}


# --- recap ---------------------------------------------------------------------------------------

def errors_by_document(fa: FileAnalysis) -> dict[str, list[Finding]]:
    """The erreur findings of each document, in one pass (a big file has thousands of both)."""
    out: dict[str, list[Finding]] = {}
    for f in fa.findings:
        if f.document and f.level == Level.ERREUR:
            out.setdefault(f.document, []).append(f)
    return out


def status_fr(fa: FileAnalysis, d: DocumentRecap, errors: Mapping[str, list[Finding]] | None = None) -> str:
    """« Nouveau document », « Déjà intégré », « Bloqué : COR-ART « ARRO » », « En attente : homonyme »…

    ``errors`` is :func:`errors_by_document` of ``fa``, built once by callers that ask for many documents.
    """
    if d.status == NEW:
        return "Nouveau document"
    if d.status == EXISTING:
        return f"Déjà intégré (n° GC {d.gc_number})" if d.gc_number else "Déjà intégré"
    if d.status == INTEGRATED:
        return f"Intégré (n° GC {d.gc_number})"
    if d.status == WAITING:
        return "En attente : homonyme" if "COR-CLI-HOMO" in d.codes else "En attente : " + ", ".join(d.codes)
    found = (errors if errors is not None else errors_by_document(fa)).get(d.number, [])
    why = ", ".join(dict.fromkeys(f"{f.code} « {f.value} »" if f.value else f.code for f in found))
    return f"Bloqué : {why or ', '.join(d.codes)}"


def counts_line(files: list[FileAnalysis]) -> str:
    """« Documents : 5 nouveaux · … — Tiers : 8 reconnus · … » (HTML)."""
    c: dict[str, int] = {}
    for fa in files:
        for k, v in fa.counts().items():
            c[k] = c.get(k, 0) + v
    docs = [(NEW, ("nouveau", "nouveaux")), (EXISTING, ("existant", "existants")),
            (BLOCKED, ("bloqué", "bloqués")), (WAITING, ("en attente", "en attente")),
            (INTEGRATED, ("intégré", "intégrés"))]
    d = " · ".join(_bold_count(c.get(k, 0), *words) for k, words in docs if k != INTEGRATED or c.get(k))
    t = " · ".join(_bold_count(c.get(f"tiers_{k}", 0), *words) for k, words in
                   (("match", ("reconnu", "reconnus")), ("create", ("à créer", "à créer")),
                    ("homonym", ("homonyme", "homonymes")), ("absent", ("inconnu non créé", "inconnus non créés")))
                   if k != "absent" or c.get(f"tiers_{k}"))
    return f'<div class="econn-recap-counts">Documents : {d} — Tiers : {t}</div>'


def articles_html(files: list[FileAnalysis]) -> str:
    """The articles sans correspondance (COR-ART / ART-ABS-GC), one row per reference."""
    rows: dict[str, dict[str, Any]] = {}
    for fa in files:
        for f in fa.findings:
            if f.code in ("COR-ART", "ART-ABS-GC") and f.value:
                r = rows.setdefault(f.value, {"value": f.value, "state": "Sans correspondance", "docs": []})
                if f.code == "ART-ABS-GC":
                    r["state"] = "Sans correspondance, inconnu de la GC"
                if f.document and f.document not in r["docs"]:
                    r["docs"].append(f.document)
    if not rows:
        return '<div class="econn-muted">Aucun article sans correspondance.</div>'
    data = [{**r, "docs": ", ".join(r["docs"])} for r in rows.values()]
    return "<h4>Articles sans correspondance</h4>" + html_table(
        data, [("value", "Référence"), ("state", "État"), ("docs", "Documents")])


DOCUMENT_COLUMNS = [("number", "Numéro"), ("name", "Client"), ("ttc", "Montant TTC"),
                    ("payment", "Règlement"), ("status", "Statut")]
DOC_STATE_FR = {NEW: "Nouveau", EXISTING: "Déjà intégré", BLOCKED: "Bloqué", WAITING: "En attente",
                INTEGRATED: "Intégré"}


def documents_rows(files: list[FileAnalysis]) -> list[dict[str, Any]]:
    """Documents table rows: numéro, client, montant TTC (a number: format with :func:`fr_amount`),
    règlement, statut, and ``state`` (the status in one word, for the « État » filter)."""
    rows = []
    for fa in files:
        errors = errors_by_document(fa)
        rows += [{"number": d.number, "name": d.name, "ttc": d.total_ttc, "payment": d.payment,
                  "status": status_fr(fa, d, errors), "state": DOC_STATE_FR.get(d.status, d.status)}
                 for d in fa.documents]
    return rows


TIERS_STATUS_FR = {"match": "Reconnu", "create": "À créer", "homonym": "Homonyme : à décider",
                   "absent": "Inconnu, non créé (réception des tiers « Non concerné »)"}


def tiers_rows(files: list[FileAnalysis]) -> list[dict[str, Any]]:
    """Tiers table rows (the homonym choice is a widget beside the table)."""
    return [{"key": t.external_code, "name": t.name, "status": TIERS_STATUS_FR.get(t.status, t.status),
             "gc": t.gc_code, "reason": t.reason} for fa in files for t in fa.tiers]


TIERS_COLUMNS = [("key", "Code externe"), ("name", "Nom"), ("status", "Statut"), ("gc", "Tiers GC"),
                 ("reason", "Motif")]


# --- report --------------------------------------------------------------------------------------

# The report lists the first documents of each kind; every document stays in the paged Documents table,
# whose « État » filter shows the integrated or the remaining ones (20,000 rows of HTML would stall the page).
REPORT_LISTED = 100


def _bold_count(n: int, singular: str, plural: str) -> str:
    """« <b>1</b> bloqué », « <b>3</b> bloqués »: the number in bold, the word agreeing with it."""
    return f"<b>{fr_int(n)}</b> {fr_agree(n, singular, plural)}"


def _more(total: int) -> str:
    if total <= REPORT_LISTED:
        return ""
    return (f'<div class="econn-muted econn-report-more">… et {fr_count(total - REPORT_LISTED, "autre")} : '
            "tous sont dans le tableau des documents ci-dessus (filtre « État »).</div>")


def report_html(files: list[FileAnalysis]) -> str:
    """What the integration did: documents intégrés with GC numbers, what stayed and why, the file's fate."""
    if not files:
        return '<div class="econn-report-file">Aucun fichier à intégrer.</div>'
    parts = ["<h3>Rapport d'intégration</h3>"]
    for fa in files:
        parts.append(f"<h4>{esc(fa.file.name)}</h4>")
        if fa.error:
            parts.append(f'<div class="econn-msg-error">{esc(fa.error)}</div>')
        done = [d for d in fa.documents if d.status == INTEGRATED]
        left = [d for d in fa.documents if d.status in (BLOCKED, WAITING, NEW)]
        integrated = fr_count(len(done), "document intégré", "documents intégrés")
        parts.append(f'<div class="econn-report-count">{integrated}.</div>')
        if done:
            parts.append(html_table([{"number": d.number, "gc": d.gc_number, "name": d.name,
                                      "ttc": fr_amount(d.total_ttc)} for d in done[:REPORT_LISTED]],
                                    [("number", "Numéro"), ("gc", "N° GC"), ("name", "Client"),
                                     ("ttc", "Montant TTC")], "econn-table econn-report-done"))
            parts.append(_more(len(done)))
        if left:
            errors = errors_by_document(fa)
            parts.append("<div>Documents non intégrés :</div>" + html_table(
                [{"number": d.number, "why": status_fr(fa, d, errors)} for d in left[:REPORT_LISTED]],
                [("number", "Numéro"), ("why", "Motif")], "econn-table econn-report-left"))
            parts.append(_more(len(left)))
        if fa.renamed_to is not None:
            text = f"Le fichier a été renommé {fa.renamed_to.name} (.bak) : tout est intégré."
        else:
            blockers = fa.file_blockers()
            why = fr_count(len(left), "document non intégré", "documents non intégrés") if left else \
                fr_count(len(blockers), "erreur hors document", "erreurs hors document") + \
                " (lignes rejetées, colonnes manquantes)"
            text = f"Le fichier reste en .csv : {why}."
        parts.append(f'<div class="econn-report-file"><b>{esc(text)}</b></div>')
    return "".join(parts)


# --- findings ------------------------------------------------------------------------------------

def findings_rows(items: list[Finding]) -> list[dict[str, Any]]:
    """The findings table rows (:data:`FINDING_COLUMNS`), level as its French word."""
    return [{"code": f.code, "level": f.level.value, "message": f.message, "hint": f.hint, "line": f.line,
             "document": f.document, "column": f.column, "value": f.value} for f in items]


def findings_xlsx(items: list[Finding], name: str = "reception",
                  documents: dict[str, int] | None = None) -> bytes:
    """The findings as an .xlsx workbook (text cells neutralised by :func:`write_report`).

    ``documents`` (documents per status) adds the documents' share chart to the summary sheet.
    """
    # Imported here: openpyxl costs a cold kernel ~0.1 s before the page exists, for a button few press.
    from ..diagnostics.excel import write_report

    extra: dict[str, Any] = {"documents": documents} if documents else {}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_report(DiagnosticResult(name=name, findings=list(items), extra=extra),
                            Path(tmp) / "constats.xlsx")
        return path.read_bytes()


def download_html(data: bytes, filename: str) -> str:
    """A download link carrying the file in a ``data:`` URI (works in Voilà without serving files)."""
    return download_link(data, filename, f"Télécharger {filename}")
