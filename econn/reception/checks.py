"""Checks of an analysed file's lines and totals, and the findings they attach to documents.

Run by :func:`econn.reception.analysis.analyze_file` on the in-memory tables it builds (``l``, ``la``,
``rb``, ``rl``, ``orph``, ``d``): the bulk work is SQL; Python only walks the (few) rows with a problem.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any

import duckdb

from .. import findings
from ..findings import Finding, Level


class Collector:
    """Findings of one file, and the ones attached to each document occurrence (doc, occ)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Finding] = []
        self.by_doc: dict[tuple[str, int], list[Finding]] = defaultdict(list)

    def add(self, code: str, key: tuple[str, int] | None = None, level: Level | None = None,
            **where: Any) -> Finding:
        """Record a finding; ``key`` (document, occurrence) attaches it to that document."""
        if key is not None:
            where["document"] = key[0]
        f = findings.make(code, level, source=self.source, **where)
        self.items.append(f)
        if key is not None:
            self.by_doc[key].append(f)
        return f


class LineKeys:
    """Line → (document, occurrence), looked up for the few lines that have a problem."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.cache: dict[int, tuple[str, int] | None] = {}

    def get(self, line: int | None) -> tuple[str, int] | None:
        """The (document, occurrence) holding a physical line, or None (header, orphan before any document)."""
        if line is None:
            return None
        if line not in self.cache:
            row = self.con.execute("SELECT doc, occ FROM rl WHERE _line = ? UNION ALL "
                                   "SELECT doc, occ FROM orph WHERE _line = ?", [line, line]).fetchall()
            self.cache[line] = (row[0][0], int(row[0][1])) if row and row[0][0] is not None else None
        return self.cache[line]


def check_lines(con: duckdb.DuckDBPyConnection, col: Collector, cols: dict[str, str],
                 keys_of_line: LineKeys, default_unit: str | None, *, detect_ht_orders: bool = False) -> None:
    """Line values: rates, GC unit/VAT code, HT price; DOC-QTE and missing prices; orphan rows.

    ``detect_ht_orders`` (Shopify, :attr:`econn.reading.formats.Semantics.detect_ht_orders`): an order whose
    total is its subtotal + shipping + taxes comes from a shop in HT prices: its « TTC » line prices and
    shipping are HT (table ``dm``).
    """
    # The valued lines (lv2) are a view: the analysis only sums their amounts (_check_totals), and a
    # wide copy of 100,000 lines cost ~0.1 s; integration reads the view once (integration.stage).
    # A view takes no parameters: the connector's default unit is bound into a one-row table.
    con.execute("CREATE OR REPLACE TABLE ctx AS SELECT CAST(? AS VARCHAR) AS default_unit", [default_unit])
    con.execute("""
        CREATE OR REPLACE TABLE dm AS
        SELECT doc, occ, coalesce(CAST(? AS BOOLEAN) AND total_tva > 0
                                  AND abs(total_ttc - (sous_total + coalesce(port_ttc, 0) + total_tva)) <= 0.011
                                  AND abs(total_ttc - (sous_total + coalesce(port_ttc, 0))) > 0.011, false) AS ht_prices
        FROM d""", [detect_ht_orders])
    # An order-level discount amount (Shopify's « Discount Amount », TTC, not in the line prices) becomes the
    # same percentage on every line of the order (exact when the lines share one VAT rate): the GC's
    # lines then add up to the order's total. ``remise_eff`` is the percentage a line is written with.
    con.execute("""
        CREATE OR REPLACE VIEW lv1 AS
        SELECT *,
               CASE WHEN ht_prices THEN coalesce(pu_ht, pu_ttc) ELSE coalesce(pu_ht, pu_ttc / (1 + taux / 100)) END AS pu,
               CASE WHEN ht_prices THEN pu_ttc * (1 + taux / 100)
                    ELSE coalesce(pu_ttc, pu_ht * (1 + taux / 100)) END AS pu_ttc_eff
        FROM (SELECT la.*, a.libelle AS gc_libelle, coalesce(dm.ht_prices, false) AS ht_prices,
                     CASE WHEN la.unite IS NULL THEN coalesce(a.unite, (SELECT default_unit FROM ctx)) ELSE mu.gc END AS unite_gc,
                     CASE WHEN la.tva_label IS NULL THEN a.code_tva ELSE mt.gc END AS tva_gc,
                     coalesce(tv.taux, mt.rate, la.tva_taux) AS taux
              FROM la LEFT JOIN gc_articles a ON a.code = la.article
                      LEFT JOIN dm ON dm.doc = la.doc AND dm.occ = la.occ
                      LEFT JOIN map_unite mu ON mu.ext = la.unite
                      LEFT JOIN map_tva mt ON mt.ext = la.tva_label
                      LEFT JOIN gc_tva tv ON tv.code = CASE WHEN la.tva_label IS NULL THEN a.code_tva ELSE mt.gc END)""")
    con.execute("""
        CREATE OR REPLACE VIEW dd AS
        SELECT g.doc, g.occ, round(100 * CASE WHEN d.remise_ht IS NOT NULL THEN d.remise_ht / nullif(g.gross_ht, 0)
                                              WHEN g.ht_prices THEN d.remise_ttc / nullif(g.gross_ht, 0)
                                              ELSE d.remise_ttc / nullif(g.gross_ttc, 0) END, 6) AS pct
        FROM (SELECT doc, occ, sum(qte * pu) AS gross_ht,
                     sum(qte * pu_ttc_eff) AS gross_ttc, bool_or(ht_prices) AS ht_prices
              FROM lv1 GROUP BY doc, occ) g
        JOIN d ON d.doc = g.doc AND d.occ = g.occ
        WHERE coalesce(d.remise_ht, d.remise_ttc, 0) <> 0""")
    con.execute("""
        CREATE OR REPLACE VIEW lv2 AS
        SELECT *, round(qte * pu * (1 - remise_eff / 100), 2) AS ht
        FROM (SELECT lv1.*, CASE WHEN dd.pct IS NULL THEN coalesce(lv1.remise_pct, 0)
                                 ELSE round(100 * (1 - (1 - coalesce(lv1.remise_pct, 0) / 100) * (1 - dd.pct / 100)), 6)
                            END AS remise_eff
              FROM lv1 LEFT JOIN dd ON dd.doc = lv1.doc AND dd.occ = lv1.occ)""")
    for doc, occ, line, raw in con.execute("""SELECT doc, occ, _line, qte_raw FROM l
                                              WHERE qte IS NULL OR qte <= 0 ORDER BY _line""").fetchall():
        col.add("DOC-QTE", (doc, int(occ)), line=int(line), column=cols.get("qte"), value=raw or "")
    for doc, occ, line, raw in con.execute("""SELECT doc, occ, _line, pu_raw FROM l
              WHERE pu_ht IS NULL AND pu_ttc IS NULL AND (pu_raw IS NULL OR trim(pu_raw) = '')
              ORDER BY _line""").fetchall():
        col.add("FIC-VALEUR", (doc, int(occ)), line=int(line), column=cols.get("pu_ht", cols.get("pu_ttc")),
                value="", hint="Prix unitaire absent : renseignez le prix de la ligne.")
    for line, in con.execute("SELECT _line FROM rb WHERE doc IS NULL ORDER BY _line").fetchall():
        key = keys_of_line.get(int(line))
        col.add("FIC-ORPH", key, line=int(line), column=cols.get("doc_ext_id"), value="(n° vide)",
                hint="Ligne sans n° de document : complétez le n° ; le document qui la précède n'est pas intégré.")


def check_rejects(res: Any, cols: dict[str, str], keys_of_line: LineKeys, col: Collector,
             con: duckdb.DuckDBPyConnection, prefix: str | None = None) -> None:
    """A rejected line blocks the document its own number field names (read from the raw text, without the
    format's ``prefix`` as the document numbers are: Shopify's « # »), even one with no other line in the
    file; only when that number cannot be read are the documents around it blocked."""
    if not res.rejects:
        return
    d = res.dialect
    pos = res.columns.index(cols["doc_ext_id"])
    docs = {r[0]: int(r[1]) for r in con.execute("SELECT doc, max(occ) FROM d GROUP BY doc").fetchall()}
    for rej in res.rejects:
        number = _reject_number(rej.raw, pos, d.delimiter, d.quotechar or '"')
        number = number.lstrip(prefix).strip() if prefix and number else number
        keys = ([(number, docs.get(number, 1))] if number
                else [k for k in (keys_of_line.get(rej.line - 1), keys_of_line.get(rej.line + 1)) if k])
        if not keys:
            col.add("FIC-REJET", None, line=rej.line, reason=rej.reason)
        for key in dict.fromkeys(keys):
            col.add("FIC-REJET", key, line=rej.line, reason=rej.reason)


def _reject_number(raw: str, pos: int, delimiter: str, quotechar: str) -> str:
    """The document number of a rejected line, or '' when it cannot be read with confidence.

    A field swallowed by an unclosed quote (it then holds a delimiter, a quote or a line break) is not a
    number: the line's document is then unknown.
    """
    try:
        fields = next(csv.reader([raw.split("\n")[0]], delimiter=delimiter, quotechar=quotechar))
    except (csv.Error, StopIteration):
        return ""
    number = fields[pos].strip() if len(fields) > pos else ""
    if any(ch in number for ch in (delimiter, quotechar, "\n", "\r")):
        return ""
    return number


def _fr(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}".replace(",", "\u202f").replace(".", ",")


def check_totals(con: duckdb.DuckDBPyConnection, col: Collector) -> None:
    """DOC-TOT (lines + port vs total HT, or vs total TTC when the file gives no HT) and DOC-HTTTC (HT > TTC,
    or TTC/HT outside the lines' rates).

    A file without a total HT but with the TTC and the VAT (Shopify, WooCommerce) has its HT as TTC − TVA;
    a shipping given TTC (Shopify) is made HT with the highest VAT rate of the order's lines.
    """
    con.execute("""
        CREATE OR REPLACE TABLE dt AS
        SELECT d.doc, d.occ, d.first_line, coalesce(d.total_ht, round(d.total_ttc - d.total_tva, 2)) AS total_ht,
               d.total_ttc,
               coalesce(d.port_ht, CASE WHEN dm.ht_prices THEN d.port_ttc
                                        ELSE round(d.port_ttc / (1 + x.rmax / 100), 2) END, 0) AS port,
               coalesce(CASE WHEN dm.ht_prices THEN d.port_ttc * (1 + x.rmax / 100) ELSE d.port_ttc END,
                        d.port_ht * (1 + x.rmax / 100), 0) AS port_ttc_v,
               x.lines_ht, x.lines_ttc_v, x.n, x.rmin, x.rmax, x.rates_known
        FROM d JOIN dm ON dm.doc = d.doc AND dm.occ = d.occ JOIN (SELECT doc, occ, sum(ht) AS lines_ht, sum(ht * (1 + taux / 100)) AS lines_ttc_v,
                            count(*) AS n, min(taux) AS rmin, max(taux) AS rmax,
                            count(taux) = count(*) AS rates_known
                     FROM lv2 GROUP BY doc, occ) x ON x.doc = d.doc AND x.occ = d.occ""")
    tot = con.execute("""SELECT doc, occ, first_line, total_ht, lines_ht + port FROM dt
                         WHERE total_ht IS NOT NULL AND lines_ht IS NOT NULL
                           AND abs(total_ht - (lines_ht + port)) > 0.01 * n + 1e-6 ORDER BY first_line""").fetchall()
    for doc, occ, line, expected, actual in tot:
        col.add("DOC-TOT", (doc, int(occ)), line=int(line), basis="HT", declared_total=expected,
                lines_total=actual, value=f"{_fr(expected)} / {_fr(actual)}")
    # TTC only (no HT, no VAT total): the lines made TTC with their rates, plus the shipping TTC.
    tot = con.execute("""SELECT doc, occ, first_line, total_ttc, round(lines_ttc_v + port_ttc_v, 2) FROM dt
                         WHERE total_ht IS NULL AND total_ttc IS NOT NULL AND rates_known
                           AND abs(total_ttc - (lines_ttc_v + port_ttc_v)) > 0.01 * (n + 1) + 1e-6
                         ORDER BY first_line""").fetchall()
    for doc, occ, line, expected, actual in tot:
        col.add("DOC-TOT", (doc, int(occ)), line=int(line), basis="TTC", declared_total=expected,
                lines_total=actual, value=f"TTC {_fr(expected)} / {_fr(actual)}")
    both, inverted = con.execute("""SELECT count(*), count(*) FILTER (WHERE total_ht > total_ttc) FROM dt
                                    WHERE total_ht IS NOT NULL AND total_ttc IS NOT NULL""").fetchall()[0]
    # Column names are not trusted (domain.md §2): HT above TTC on every document means inverted columns.
    inv_hint = ("Les colonnes Total HT et Total TTC semblent inversées (HT > TTC sur tous les documents) : "
                "corrigez le modèle d'export ou la correspondance des colonnes.")
    bad = con.execute("""
        SELECT doc, occ, first_line, total_ht, total_ttc, total_ht > total_ttc AS ht_gt FROM dt
        WHERE total_ht IS NOT NULL AND total_ttc IS NOT NULL AND (total_ht > total_ttc + 0.005 OR (
              rates_known AND total_ht > 0 AND (
                 total_ttc / total_ht < 1 + rmin / 100 - (0.01 * (n + 1)) / total_ht - 1e-6 OR
                 total_ttc / total_ht > 1 + rmax / 100 + (0.01 * (n + 1)) / total_ht + 1e-6)))
        ORDER BY first_line""").fetchall()
    for doc, occ, line, ht, ttc, ht_gt in bad:
        if ht_gt:
            value = f"HT {_fr(ht)} > TTC {_fr(ttc)}"
            hint = inv_hint if both and inverted == both else findings.CATALOGUE["DOC-HTTTC"].hint
        else:
            value = f"TTC/HT = {ttc / ht:.4f}".replace(".", ",") + " : aucun taux des lignes ne correspond"
            hint = findings.CATALOGUE["DOC-HTTTC"].hint
        col.add("DOC-HTTTC", (doc, int(occ)), line=int(line), detail=value, hint=hint)


def _lines_fr(lines: list[int]) -> str:
    return ("ligne " if len(lines) == 1 else "lignes ") + ", ".join(str(n) for n in lines)


def check_split(con: duckdb.DuckDBPyConnection, col: Collector, others: Any, doc_sql: str) -> None:
    """FIC-SPLIT: a document whose number is also in another pending file of the connector, with other lines.

    Such a document is blocked in every file holding a part of it: integrated from one file, the rest
    would be refused later as « déjà intégré » and never reach the GC. The same lines in another file
    (a file downloaded twice) are a repeat, not a split: the first file integrates them and the other one
    finds them « déjà intégré ». A document already in the GC is left to :func:`partial_lines`.

    Args:
        others: rows of the connector's other pending files (:func:`econn.reception.pending.pending_lines`).
        doc_sql: SQL expression of the document number over ``o.doc_ext_id`` (trimmed, format prefix removed).
    """
    if others is None or others.empty:
        return
    con.register("_others_df", others[["source", "line", "doc_ext_id", "sku", "declinaison", "qte"]])
    try:
        con.execute(f"""
            CREATE OR REPLACE TABLE ot AS
            SELECT o.source, CAST(o.line AS BIGINT) AS line, {doc_sql} AS doc,
                   concat_ws(chr(31), coalesce(trim(o.sku), ''), coalesce(trim(o.declinaison), ''),
                             coalesce(trim(o.qte), '')) AS fp_line
            FROM _others_df o""")
    finally:
        con.unregister("_others_df")
    rows = con.execute("""
        WITH mine AS (SELECT doc, occ, min(_line) AS first_line, string_agg(fp_line, chr(30) ORDER BY fp_line) AS fp
                      FROM (SELECT doc, occ, _line, concat_ws(chr(31), coalesce(sku, ''), var,
                                                              coalesce(trim(qte_raw), '')) AS fp_line
                            FROM l WHERE doc NOT IN (SELECT ext_number FROM gc_documents))
                      GROUP BY doc, occ),
             theirs AS (SELECT source, doc, list(line ORDER BY line) AS lines,
                               string_agg(fp_line, chr(30) ORDER BY fp_line) AS fp
                        FROM ot WHERE doc IN (SELECT doc FROM mine) GROUP BY source, doc)
        SELECT m.doc, m.occ, m.first_line, list((t.source, t.lines) ORDER BY t.source)
        FROM mine m JOIN theirs t ON t.doc = m.doc WHERE t.fp <> m.fp
        GROUP BY m.doc, m.occ, m.first_line ORDER BY m.first_line""").fetchall()
    for doc, occ, line, where in rows:
        shown = ", ".join(f"{w['source'] if isinstance(w, dict) else w[0]} "
                          f"({_lines_fr(w['lines'] if isinstance(w, dict) else w[1])})" for w in where)
        col.add("FIC-SPLIT", (doc, int(occ)), line=int(line), other_files=shown,
                others=[(w["source"], list(w["lines"])) if isinstance(w, dict) else (w[0], list(w[1]))
                        for w in where])
