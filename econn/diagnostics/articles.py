"""Diagnostic « produits absents »: ordered articles the GC cannot resolve, exportable articles never sent.

Codes: ART-ABS-GC (ordered SKU with no GC article nor correspondence), COR-ART (ordered SKU that is a GC
code but has no correspondence on this connector: the document is blocked), ART-ABS-SITE (exportable
article without external code), ART-REF-VIDE, ART-REF-DUP, ART-NEAR, ART-INACTIF and COR-STALE (article
correspondences only). The ordered SKUs are read from the connectors' pending files (their header mapped
with :func:`econn.reading.headers.map_headers`) and from the integrated document lines.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

import duckdb

from .. import findings, store
from ..reception.pending import empty_pending, pending_lines
from .base import DiagnosticResult

NAME = "produits-absents"
CODES = ("ART-ABS-GC", "COR-ART", "ART-ABS-SITE", "ART-REF-VIDE", "ART-REF-DUP", "ART-NEAR", "ART-INACTIF",
         "COR-STALE")

# SQL twin of econn.mappings.normalize.compact_code (RE2 has no look-ahead, hence the capture group).
COMPACT_SQL = ("regexp_replace(regexp_replace(upper({x}), '[\\s\\-_./]+', '', 'g'), "
               "'(^|[^0-9])0+([0-9])', '\\1\\2', 'g')")

def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def run(workspace: str | os.PathLike[str], *, connector: str | None = None, today: dt.date | None = None,
        **options: Any) -> DiagnosticResult:
    """Run the « produits absents » diagnostic.

    Args:
        workspace: the workspace folder.
        connector: restrict to one connector (default: all).
        today: unused (accepted for a uniform signature).
        **options: ``pending=False`` skips the pending files.

    Returns:
        The findings; ``subject`` is the GC article (or the external reference when there is none).
    """
    start = time.perf_counter()
    pend = pending_lines(workspace, connector) if options.get("pending", True) else empty_pending()
    out: list[findings.Finding] = []
    with store.connect(workspace, read_only=True) as con:
        con.register("pending", pend)
        out += _ordered(con, connector)
        out += _not_sent(con, connector)
        out += _references(con, connector)
        con.unregister("pending")
    from ..mappings.correspondences import stale

    out += [f for f in stale(workspace) if f.column == "article" and (connector is None or f.source == connector)]
    return DiagnosticResult(NAME, out, seconds=time.perf_counter() - start)


def _ordered(con: duckdb.DuckDBPyConnection, connector: str | None) -> list[findings.Finding]:
    """ART-ABS-GC / COR-ART / ART-NEAR / ART-REF-VIDE on ordered lines (pending files, integrated lines)."""
    out: list[findings.Finding] = []
    compact_sku = COMPACT_SQL.format(x="p.sku")
    rows = _rows(con, f"""
        WITH p AS (
            SELECT connector, source, line, doc_ext_id, trim(sku) AS sku, coalesce(trim(declinaison), '') AS var
            FROM pending),
        cor AS (
            SELECT connector, external_value, external_variant, gc_value FROM correspondences
            WHERE domain = 'article' AND state = 'valide' AND gc_value IS NOT NULL)
        SELECT p.*,
               EXISTS (SELECT 1 FROM cor c WHERE c.connector = p.connector AND c.external_value = p.sku
                       AND c.external_variant IN (p.var, '')) AS mapped,
               (SELECT a.code FROM articles a WHERE a.code = p.sku) AS gc_code,
               (SELECT min(a.code) FROM articles a WHERE {COMPACT_SQL.format(x="a.code")} = {compact_sku})
                   AS near_gc,
               (SELECT min(c.external_value || ' → ' || c.gc_value) FROM cor c WHERE c.connector = p.connector
                       AND {COMPACT_SQL.format(x="c.external_value")} = {compact_sku}) AS near_cor
        FROM p ORDER BY p.connector, p.source, p.line""")
    for r in rows:
        where = {"source": r["source"], "line": int(r["line"]), "document": r["doc_ext_id"], "column": "sku"}
        if not r["sku"]:
            out.append(findings.make("ART-REF-VIDE", subject=r["doc_ext_id"], value="", **where))
            continue
        if r["mapped"]:
            continue
        shown = f"{r['sku']} / {r['var']}" if r["var"] else r["sku"]
        if r["gc_code"]:
            # A GC code is not enough: the reception needs the connector's correspondence (README « ARRO »).
            out.append(findings.make("COR-ART", value=shown, subject=r["gc_code"], **where))
            continue
        out.append(findings.make("ART-ABS-GC", article_ref=shown, subject=r["sku"], **where))
        near = r["near_gc"] or (r["near_cor"].split(" → ")[-1] if r["near_cor"] else None)
        if near:
            out.append(findings.make("ART-NEAR", article_ref=r["sku"], article=near, **where))
    # Integrated lines whose article has since been deleted from the GC.
    for r in _rows(con, """
            SELECT d.connector, d.ext_number, l.line_no, l.article
            FROM document_lines l JOIN documents d ON d.id = l.document_id
            WHERE (? IS NULL OR d.connector = ?) AND l.article IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.code = l.article)
            ORDER BY 1, 2, 3""", [connector, connector]):
        out.append(findings.make("ART-ABS-GC", article_ref=r["article"], subject=r["article"], source=r["connector"],
                                 document=r["ext_number"], line=int(r["line_no"]), column="article"))
    return out


def articles_without_code(con: duckdb.DuckDBPyConnection, connector: str | None) -> list[dict[str, Any]]:
    """Articles a connector sends (export flag or filter family) that have no external code on it:
    ``connector``, ``code``, ``libelle``, ordered by connector and code."""
    return _rows(con, """
        SELECT k.code AS connector, a.code, a.libelle
        FROM connectors k JOIN articles a ON a.actif AND (
                 (k.articles_send = 'export' AND a.export)
              OR (k.articles_send = 'filtre' AND a.famille IS NOT NULL AND a.famille = k.articles_filter))
        WHERE (? IS NULL OR k.code = ?)
          AND NOT EXISTS (SELECT 1 FROM correspondences c WHERE c.connector = k.code AND c.domain = 'article'
                          AND c.state = 'valide' AND c.gc_value = a.code)
        ORDER BY 1, 2""", [connector, connector])


def _not_sent(con: duckdb.DuckDBPyConnection, connector: str | None) -> list[findings.Finding]:
    """ART-ABS-SITE: articles the connector sends (export flag or filter family) without external code."""
    return [findings.make("ART-ABS-SITE", article=r["code"], source=r["connector"], column="article")
            for r in articles_without_code(con, connector)]


def _references(con: duckdb.DuckDBPyConnection, connector: str | None) -> list[findings.Finding]:
    """ART-REF-VIDE / ART-REF-DUP / ART-INACTIF on the stored article correspondences."""
    out: list[findings.Finding] = []
    for r in _rows(con, """
            SELECT connector, gc_value FROM correspondences
            WHERE domain = 'article' AND trim(external_value) = '' AND (? IS NULL OR connector = ?)""",
                   [connector, connector]):
        out.append(findings.make("ART-REF-VIDE", subject=r["gc_value"], source=r["connector"], value=""))
    for r in _rows(con, """
            SELECT connector, upper(trim(external_value)) AS ext,
                   list(DISTINCT gc_value ORDER BY gc_value) AS targets
            FROM correspondences
            WHERE domain = 'article' AND state = 'valide' AND gc_value IS NOT NULL
              AND trim(external_value) <> '' AND (? IS NULL OR connector = ?)
            GROUP BY ALL HAVING count(DISTINCT gc_value) > 1 ORDER BY 1, 2""", [connector, connector]):
        for target in r["targets"]:
            out.append(findings.make("ART-REF-DUP", article_ref=r["ext"], subject=target, source=r["connector"],
                                     detail=", ".join(r["targets"])))
    for r in _rows(con, """
            SELECT c.connector, c.external_value, c.external_variant, a.code
            FROM correspondences c JOIN articles a ON a.code = c.gc_value
            WHERE c.domain = 'article' AND c.state = 'valide' AND NOT a.actif AND (? IS NULL OR c.connector = ?)
            ORDER BY 1, 2""", [connector, connector]):
        ext = r["external_value"] + (f" / {r['external_variant']}" if r["external_variant"] else "")
        out.append(findings.make("ART-INACTIF", article=r["code"], value=ext, source=r["connector"]))
    return out
