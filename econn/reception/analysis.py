"""Step 1 of a reception: read a file, group its lines into documents, check them (writes nothing).

The bulk work is SQL in the in-memory DuckDB connection that holds the file's rows: typing,
grouping, joins with the GC tables and the correspondences, totals. Python only walks the
documents to build the recap records and the findings of the (few) rows that have a problem.
"""

from __future__ import annotations

import glob
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb

from ..mappings import correspondences
from .. import findings, mappings, store
from ..errors import LoaderError
from ..findings import Finding, Level
from ..reading.formats import Semantics, SourceFormat, resolve_format
from ..reading.formats.apply import address_sql, one_line_sql, split_name_sql
from ..reading.headers import check_field, map_headers, normalize
from ..reading.loaders import read_csv
from ..reading.sqlfuncs import install_macros
from ..store import quote_ident
from ..store.workspace import display_name, name_problem
from ..reading.values import type_columns
from . import tiers as tiers_mod
from .checks import Collector, LineKeys, check_lines, check_rejects, check_split, check_totals
from .context import Connector, connector_files, fetch_context, install_context
from .pending import pending_lines
from .model import BLOCKED, EXISTING, NEW, WAITING, DocumentRecap, FileAnalysis, ReceptionAnalysis

# Header fields: one value per document, taken from its first row that has one (Shopify fills them once).
DOC_TEXT = ("client_ext_id", "code_erp", "societe", "civilite", "nom", "prenom", "email", "telephone", "mobile",
            "adresse1", "adresse2", "code_postal", "ville", "pays", "reglement", "nom_complet", "transporteur")
# port_ttc, remise_*, total_tva: given by shop exports (econn.reading.formats) that have no HT shipping or total.
DOC_NUM = ("port_ht", "total_ht", "total_ttc", "port_ttc", "total_tva", "remise_ttc", "remise_ht", "sous_total")
LINE_TEXT = ("sku", "declinaison", "libelle", "unite", "tva_label")
LINE_NUM = ("qte", "pu_ht", "pu_ttc", "remise_pct", "tva_taux")
REQUIRED = {"doc_ext_id": "n° de document", "sku": "référence article", "qte": "quantité",
            "pu_ht": "prix unitaire (PU HT ou PU TTC)"}
# Headers meaning « GC code forced by the site » (not a canonical field of econn.reading.headers yet).
_CODE_ERP_HEADERS = {"code erp", "code gc", "code tiers gc", "code client gc"}
# Correspondence domain of each mapped value: (domain, table, column, finding code, field).
_DOMAINS = (("tva", "l", "tva_label", "COR-TVA"), ("unite", "l", "unite", "COR-UNI"),
            ("pays", "d", "pays", "COR-PAYS"), ("reglement", "d", "reglement", "COR-REGL"))


def sha256_file(path: Path) -> str:
    """Hash of a received file (stored on its documents and in ``received_files``)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_header_map(header_map: dict[str, str | None] | None) -> None:
    """Raise :class:`econn.errors.HeaderMapError` for a ``header_map`` field the documents flow lacks."""
    for fld in (header_map or {}).values():
        check_field("documents", fld)


def field_columns(columns: list[str], remembered: dict[str, str | None],
                  source_format: SourceFormat | None = None,
                  header_map: dict[str, str | None] | None = None) -> dict[str, str]:
    """Canonical field → the file's column, from :func:`econn.reading.headers.map_headers`: explicit choices
    (``header_map``), the connector's remembered choices (:func:`econn.reading.headers.remembered_choices`),
    the recognised export format's mapping, synonyms."""
    out = {m.field: m.header for m in map_headers(columns, "documents", remembered=remembered,
                                                  source_format=source_format, overrides=header_map) if m.field}
    for c in columns:
        if normalize(c) in _CODE_ERP_HEADERS and "code_erp" not in out:
            out["code_erp"] = c
    return out


def analyze(workspace: str | os.PathLike[str], connector: str, file: str | os.PathLike[str] | None = None, *,
            homonyms: str | None = None, decisions: dict[str, str] | None = None,
            source_format: str | None = None,
            header_map: dict[str, str | None] | None = None) -> ReceptionAnalysis:
    """Step 1 of a reception: what would be integrated, and what blocks (nothing is written).

    Args:
        workspace: the workspace folder.
        connector: connector code (its correspondences, defaults and import folder apply).
        file: one file (path, or name in the import folder); default every pending ``*.csv``.
        homonyms: what to do with a homonym tiers: ``None``/``"ask"`` (the document waits),
            ``"create"`` (a new tiers), ``"assign"`` (the best GC candidate).
        decisions: per tiers key (external code), ``"create"`` or a GC tiers code; wins over ``homonyms``.
        source_format: id of the export format to apply (:mod:`econn.reading.formats`); default the one
            recognised from each file's headers, if any.
        header_map: explicit header → field choices (``--map``): they win over remembered choices and the
            format in every file that has the header.

    Returns:
        A :class:`ReceptionAnalysis`: per file, documents (new / existing / blocked / waiting), tiers
        (match / create / homonym) and findings. Call ``close()`` when done (it holds the loaded rows).

    Raises:
        ReceptionError: unknown connector or file, or a decision naming an unknown GC tiers.
        UnknownFormatError: ``source_format`` is not an orders format.
        HeaderMapError: ``header_map`` names a field the documents flow lacks.
    """
    ws = Path(workspace)
    if source_format is not None:
        resolve_format([], "documents", source_format)   # an unknown id fails before any file is read
    check_header_map(header_map)
    with store.reading(ws):
        conn, files = connector_files(ws, connector, file)
        out = ReceptionAnalysis(ws, connector)
        for path in files:
            out.files.append(analyze_file(ws, conn, path, homonyms=homonyms, decisions=decisions,
                                          source_format=source_format, header_map=header_map))
    return out


def analyze_file(ws: Path, conn: Connector, path: Path, *, homonyms: str | None = None,
                 decisions: dict[str, str] | None = None, only: str | None = None,
                 source_format: str | None = None,
                 header_map: dict[str, str | None] | None = None) -> FileAnalysis:
    """Analyse one file (see :func:`analyze`); ``only`` restricts the recap to one document number."""
    # One opening of the store for the analysis's reads (context, values, suggestions, pending lines,
    # partial documents): each opening costs 20-70 ms, and an analysis made ten of them. Only this thread
    # reads the store (the side thread reads the file), so the shared connection never waits for another.
    with store.reading(ws):
        return _analyze_file(ws, conn, path, homonyms=homonyms, decisions=decisions, only=only,
                             source_format=source_format, header_map=header_map)


def _analyze_file(ws: Path, conn: Connector, path: Path, *, homonyms: str | None,
                  decisions: dict[str, str] | None, only: str | None, source_format: str | None,
                  header_map: dict[str, str | None] | None) -> FileAnalysis:
    fa = FileAnalysis(file=path, connector=conn.code)
    problem = name_problem(path, path.parent if path.is_symlink() else None)
    if problem is not None:   # one finding; the connector's other files are still received
        shown = display_name(path.name)
        fa.findings = [findings.make(problem, source=shown, value=shown)]
        fa.error, fa.error_code = fa.findings[0].message, problem
        return fa
    col = Collector(path.name)
    # The workspace side (GC tables, remembered headers) does not need the file's rows: the file is read
    # and hashed on the other core meanwhile (measured on 100,000 lines: ~0.08 s of analysis hidden).
    with ThreadPoolExecutor(max_workers=1) as pool:
        side = pool.submit(lambda: (sha256_file(path), read_csv(path)))
        try:
            snapshot = fetch_context(ws, conn.code)
            fa.sha256, res = side.result()
        except (LoaderError, OSError) as exc:
            fa.error = getattr(exc, "message_fr", None) or f"Fichier illisible : {path.name} ({exc})"
            return fa
    con = fa._con = res.con
    fa.rows = res.rows_ok + res.rows_rejected
    fa.rejects = [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in res.rejects]
    fa.skipped_lines = [{"line": s.line, "kind": s.kind, "raw": s.raw} for s in res.skipped]
    rejected_lines = {r.line for r in res.rejects}
    col.items += [f for f in res.findings if not (f.code == "FIC-REJET" and f.line in rejected_lines)]
    found = resolve_format(res.columns, "documents", source_format)
    fmt = found[0] if found else None
    fa.format = fmt.to_dict(found[1]) if found else None
    sem = fmt.semantics if fmt else Semantics()
    cols = field_columns(res.columns, snapshot.remembered, fmt, header_map)
    if "pu_ht" not in cols and "pu_ttc" in cols:
        cols["pu_ht_from_ttc"] = cols["pu_ttc"]
    missing = [f for f in REQUIRED if f not in cols and not (f == "pu_ht" and "pu_ttc" in cols)]
    if missing and fmt is not None and not fmt.semantics.lines:   # an order grid: one finding says it all
        col.add("FIC-SANSLIGNE", value=fmt.label)
    else:
        for f in missing:
            col.add("FIC-COL", column=REQUIRED[f], value=REQUIRED[f])
    if missing:
        fa.findings = col.items
        return fa
    install_context(snapshot, con)
    # Independent steps run two at a time on a second cursor of the same in-memory database: each one
    # barely uses a second core on its own (measured: the analysis ran as fast with DuckDB on 1 thread).
    cur = con.cursor()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            blocks = pool.submit(_build_blocks, cur, res.table, cols, sem)
            typed, bad_values = _type_values(con, res.table, cols, path.name)
            blocks.result()
            grouped = pool.submit(_group, cur, res.table, cols, typed, sem)
            _build_lines(con, res.table, cols, typed, sem)
            grouped.result()
    finally:
        cur.close()
    keys_of_line = LineKeys(con)
    _resolve_values(ws, conn, con, col, cols)
    check_lines(con, col, cols, keys_of_line, conn.unit, detect_ht_orders=sem.detect_ht_orders)
    for fld, f in bad_values:   # FIC-VALEUR: one per document holding the unreadable value, which it blocks
        docs = con.execute(f"""SELECT rl.doc, rl.occ, min(rl._line) FROM {quote_ident(res.table)} x
                               JOIN rl ON rl._line = x._line WHERE x.{quote_ident(cols[fld])} = ?
                               GROUP BY ALL ORDER BY 3""", [f.value]).fetchall() if f.line is not None else []
        for doc, occ, line in docs:
            col.add("FIC-VALEUR", (doc, int(occ)), line=int(line), column=cols[fld], value=f.value,
                    expected=f.extra.get("expected"))
        if not docs:
            col.items.append(findings.make(f.code, source=path.name, line=f.line, column=cols[fld], value=f.value,
                                           hint=f.hint))
    check_rejects(res, cols, keys_of_line, col, con, sem.strip_prefix.get("doc_ext_id"))
    check_totals(con, col)
    if only is None:   # a reimport (one document, from a .bak) rewrites what it is given, on purpose
        check_split(con, col, pending_lines(ws, conn.code, exclude=path, header_map=header_map),
                    _text_sql("o.doc_ext_id", sem.strip_prefix.get("doc_ext_id")))
    partial = _partial_documents(ws, conn, con)
    tiers_by_key = tiers_mod.match_file_tiers(ws, conn, con, col, homonyms=homonyms, decisions=decisions)
    fa.tiers = list(tiers_by_key.values())
    fa.documents = _recap(con, col, tiers_by_key, only, res.table, res.columns, partial)
    if only is not None:
        fa.findings = [f for f in col.items if f.document in (None, only)]
        fa.tiers = [t for t in fa.tiers if only in t.documents]
    else:
        fa.findings = col.items
    if fa.integrable and fa.documents:
        fa.findings.append(findings.make("FIC-OK", source=path.name))
    return fa


def _type_values(con: duckdb.DuckDBPyConnection, raw: str, cols: dict[str, str],
                 source: str) -> tuple[dict[str, str], list[tuple[str, Finding]]]:
    """Type numbers and dates with :func:`econn.reading.values.type_columns`, on each column's distinct values.

    Measured on 100,000 lines: typing every row took ~7 s (regular expressions per value); the
    distinct values (a few thousand: totals repeat on every line of a document) take ~0.3 s, and
    the rows get their typed value by a join on the text. Returns field → typed table
    (``raw_v`` text, ``v`` typed) and the FIC-VALEUR findings (first line of each bad value).
    """
    out: dict[str, str] = {}
    bad: list[tuple[str, Finding]] = []
    install_macros(con)   # once for the seven columns
    for f in DOC_NUM + LINE_NUM + ("date",):
        if f not in cols:
            continue
        c = quote_ident(cols[f])
        con.execute(f"CREATE OR REPLACE TABLE u_{f} AS SELECT min(_line) AS _line, {c} AS v, {c} AS raw_v "
                    f"FROM {quote_ident(raw)} GROUP BY {c}")
        out[f], fs = type_columns(con, f"u_{f}", {"v": "date" if f == "date" else "decimal"}, source=source,
                                  typed_table=f"t_{f}", macros=False)
        bad += [(f, x) for x in fs]
    return out, bad


def _text_sql(column: str, prefix: str | None) -> str:
    """A text column trimmed, without the format's prefix (Shopify's ``'`` before zips, ``#`` before numbers).

    The prefix is a constant of :mod:`econn.reading.formats`, never a value of the file.
    """
    x = f"trim({column})"
    if prefix:
        x = f"trim(ltrim({x}, '{prefix.replace(chr(39), chr(39) * 2)}'))"
    return f"nullif({x}, '')"


def _typed_sql(raw: str, cols: dict[str, str], typed: dict[str, str],
               fields: tuple[str, ...], sem: Semantics | None = None) -> tuple[dict[str, str], str]:
    """Field → SQL expression over ``raw`` (text trimmed, numbers typed), and the joins they need."""
    exprs = {}
    strip = sem.strip_prefix if sem else {}
    for f in fields:
        if f in DOC_NUM + LINE_NUM + ("date",):
            sqltype = "DATE" if f == "date" else "DOUBLE"
            exprs[f] = f"CAST(t_{f}.v AS {sqltype})" if f in typed else f"CAST(NULL AS {sqltype})"
        else:
            exprs[f] = (_text_sql(f"raw.{quote_ident(cols[f])}", strip.get(f)) if f in cols
                        else "CAST(NULL AS VARCHAR)")
    joins = " ".join(f"LEFT JOIN t_{f} ON t_{f}.raw_v = raw.{quote_ident(cols[f])}" for f in fields if f in typed)
    return exprs, joins


def _build_blocks(con: duckdb.DuckDBPyConnection, raw: str, cols: dict[str, str], sem: Semantics) -> None:
    """Group rows into documents: tables ``rb`` (every row: _line, doc, run) and ``rl`` (numbered rows: _line,
    doc, occurrence, line_no); :func:`_build_lines` then makes ``l``.

    A document is a run of consecutive rows with one number. A number met again after another
    document is a second *occurrence* (``occ`` 2, 3…): a repeat of the same rows, or a conflicting
    one. Measured on 100,000 lines: numbering the runs with windows over the wide rows, then
    copying them three times (rows, runs, occurrences) took ~3 s; on the narrow keys it takes
    ~0.1 s, and the file's columns are read once for the lines (``l``) and once for the documents
    (``d``, :func:`_group`), never copied whole.
    """
    con.execute(f"""
        CREATE OR REPLACE TABLE rb AS
        SELECT _line, doc, sum(CASE WHEN doc IS NOT DISTINCT FROM prev THEN 0 ELSE 1 END) OVER (ORDER BY _line) AS blk
        FROM (SELECT _line, doc, lag(doc) OVER (ORDER BY _line) AS prev
              FROM (SELECT _line, {_text_sql(quote_ident(cols['doc_ext_id']), sem.strip_prefix.get('doc_ext_id'))} AS doc
                    FROM {quote_ident(raw)}))""")
    con.execute("""
        CREATE OR REPLACE TABLE rl AS
        SELECT rb._line, rb.doc, o.occ, row_number() OVER (PARTITION BY rb.doc, o.occ ORDER BY rb._line) AS line_no
        FROM rb JOIN (SELECT doc, blk, row_number() OVER (PARTITION BY doc ORDER BY blk) AS occ
                      FROM (SELECT DISTINCT doc, blk FROM rb WHERE doc IS NOT NULL)) o
                 ON o.doc = rb.doc AND o.blk = rb.blk
        ORDER BY rb._line""")


def _build_lines(con: duckdb.DuckDBPyConnection, raw: str, cols: dict[str, str], typed: dict[str, str],
                 sem: Semantics) -> None:
    """Table ``l``: the lines of :func:`_build_blocks`, canonical field names, text trimmed, numbers typed.

    A line field the format gives on the order's first line only (Shopify's « Tax 1 Name ») is carried
    to the order's other lines.
    """
    e, joins = _typed_sql(raw, cols, typed, LINE_TEXT + LINE_NUM, sem)
    for f in sem.first_line_only:
        if f in e and f in cols:
            e[f] = (f"coalesce({e[f]}, first_value({e[f]} IGNORE NULLS) OVER (PARTITION BY rl.doc, rl.occ "
                    f"ORDER BY rl._line ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))")
    con.execute(f"""
        CREATE OR REPLACE TABLE l AS
        SELECT rl._line, rl.doc, rl.occ, rl.line_no, {e['sku']} AS sku, coalesce({e['declinaison']}, '') AS var,
               {e['libelle']} AS libelle, {e['qte']} AS qte, raw.{quote_ident(cols['qte'])} AS qte_raw,
               raw.{quote_ident(cols.get('pu_ht', cols.get('pu_ttc', cols['qte'])))} AS pu_raw,
               {e['unite']} AS unite, {e['pu_ht']} AS pu_ht, {e['pu_ttc']} AS pu_ttc,
               {e['remise_pct']} AS remise_pct, {e['tva_label']} AS tva_label, {e['tva_taux']} AS tva_taux
        FROM {quote_ident(raw)} raw JOIN rl ON rl._line = raw._line {joins}""")


def _group(con: duckdb.DuckDBPyConnection, raw: str, cols: dict[str, str], typed: dict[str, str],
           sem: Semantics) -> None:
    """Documents (table ``d``: header fields from each one's first row that has them) of the rows grouped by
    :func:`_build_rows`.

    Rows without a number are orphans (FIC-ORPH), attached (table ``orph``) to the document just
    before them so that it is not integrated without them. A full name (``nom_complet``: Shopify's
    « Billing Name ») gives the prénom and the nom when the file has neither
    (:func:`econn.reading.formats.apply.split_full_name`: « Marie | Le Gall »). An address on several lines
    is laid on adresse 1 and 2 (:func:`econn.reading.formats.apply.address_sql`).
    """
    con.execute("""
        CREATE OR REPLACE TABLE orph AS
        SELECT o._line, p.doc, p.occ FROM (SELECT _line FROM rb WHERE doc IS NULL) o
        ASOF LEFT JOIN (SELECT _line, doc, occ FROM rl) p ON o._line >= p._line""")
    e, joins = _typed_sql(raw, cols, typed, DOC_TEXT + DOC_NUM + ("date",), sem)
    sel = ", ".join(f"{x} AS {f}" for f, x in e.items())
    aggs = ", ".join(f"arg_min({f}, _line) FILTER (WHERE {f} IS NOT NULL) AS {f}" for f in DOC_TEXT + DOC_NUM)
    full_prenom, full_nom = split_name_sql("nom_complet")
    adresse1, adresse2 = address_sql("adresse1", "adresse2")
    ville, societe = one_line_sql("ville"), one_line_sql("societe")
    # The tiers key: the site's customer code, else the forced GC code, e-mail, name + postcode.
    con.execute(f"""
        CREATE OR REPLACE TABLE d AS
        SELECT *, coalesce(client_ext_id, code_erp, lower(email),
                           nullif(concat_ws(' ', upper(societe), upper(nom), upper(prenom), code_postal), ''),
                           'doc:' || doc) AS tkey
        FROM (SELECT * REPLACE (
                  CASE WHEN nom IS NULL AND prenom IS NULL THEN {full_nom} ELSE nom END AS nom,
                  CASE WHEN nom IS NULL AND prenom IS NULL THEN {full_prenom} ELSE prenom END AS prenom,
                  {adresse1} AS adresse1, {adresse2} AS adresse2, {ville} AS ville, {societe} AS societe)
        FROM (SELECT doc, occ, min(_line) AS first_line, count(*) AS n_lines, list(_line ORDER BY _line) AS lines,
                     arg_min(date, _line) FILTER (WHERE date IS NOT NULL) AS date, {aggs}
              FROM (SELECT rl._line, rl.doc, rl.occ, {sel}
                    FROM {quote_ident(raw)} raw JOIN rl ON rl._line = raw._line {joins})
              GROUP BY doc, occ))""")


def _resolve_values(ws: Path, conn: Connector, con: duckdb.DuckDBPyConnection, col: Collector,
                    cols: dict[str, str]) -> None:
    """Map VAT labels, units, countries, payments (correspondences.resolve) and articles; report unknowns."""
    wanted = {domain: [r[0] for r in con.execute(f"SELECT DISTINCT {fld} FROM {table} WHERE {fld} IS NOT NULL")
                       .fetchall()] for domain, table, fld, _code in _DOMAINS}
    with store.connect(ws, read_only=True) as src:   # one opening of the store for every domain
        resolved = {d: correspondences.resolve(ws, conn.code, d, v, con=src) if v else {} for d, v in wanted.items()}
    for domain, table, fld, code in _DOMAINS:
        values = wanted[domain]
        hits = resolved[domain]
        rate = {v: mappings.vat_rate(v) for v in values} if domain == "tva" else {}
        con.execute(f"CREATE OR REPLACE TABLE map_{domain} (ext VARCHAR, gc VARCHAR, rate DOUBLE)")
        if values:
            con.executemany(f"INSERT INTO map_{domain} VALUES (?, ?, ?)",
                            [(v, hits.get(v), float(rate[v]) if rate.get(v) is not None else None)
                             for v in values])
        unknown = con.execute(f"""
            SELECT x.doc, x.occ, min(x._line), x.{fld} FROM (SELECT doc, occ, first_line AS _line, {fld} FROM d)
                   x JOIN map_{domain} m ON m.ext = x.{fld} WHERE m.gc IS NULL
            GROUP BY ALL ORDER BY 3""" if table == "d" else f"""
            SELECT x.doc, x.occ, min(x._line), x.{fld} FROM l x JOIN map_{domain} m ON m.ext = x.{fld}
            WHERE m.gc IS NULL GROUP BY ALL ORDER BY 3""").fetchall()
        if unknown:
            hints = _suggestion_hints(ws, conn.code, domain, sorted({u[3] for u in unknown}), code)
            for doc, occ, line, value in unknown:
                col.add(code, (doc, int(occ)), line=int(line), column=cols.get(fld), value=value, hint=hints[value])
    # Articles: only a validated correspondence applies. A SKU equal to a GC code is only suggested:
    # the site knows the articles the GC sent it, and the seed's recap lists ARRO « sans correspondance ».
    # Resolved once per distinct (SKU, variant) — a few thousand, not 100,000 lines — and viewed per line:
    # the two queries below and lv2 read ``la`` once each, cheaper than a third wide copy of the lines.
    con.execute("""
        CREATE OR REPLACE TABLE sa AS
        SELECT s.sku, s.var, coalesce(c1.gc, c0.gc) AS article,
               EXISTS (SELECT 1 FROM gc_articles g WHERE g.code = s.sku) AS sku_is_gc,
               EXISTS (SELECT 1 FROM cor_article c WHERE c.ext = s.sku) AS sku_known
        FROM (SELECT DISTINCT sku, var FROM l) s
             LEFT JOIN cor_article c1 ON c1.ext = s.sku AND c1.var = s.var
             LEFT JOIN cor_article c0 ON c0.ext = s.sku AND c0.var = ''""")
    con.execute("""
        CREATE OR REPLACE VIEW la AS
        SELECT l.*, sa.article, sa.sku_is_gc, sa.sku_known
        FROM l LEFT JOIN sa ON sa.sku IS NOT DISTINCT FROM l.sku AND sa.var = l.var""")
    unknown = con.execute("""SELECT doc, occ, min(_line), coalesce(sku, ''), var, bool_or(sku_is_gc OR sku_known),
                                    any_value(libelle)
                             FROM la WHERE article IS NULL GROUP BY doc, occ, sku, var ORDER BY 3""").fetchall()
    if unknown:
        skus = sorted({u[3] for u in unknown if u[3]})
        labels = {u[3]: u[6] for u in unknown if u[3] and u[6]}
        hints = _suggestion_hints(ws, conn.code, "article", skus, "COR-ART", labels=labels)
        for doc, occ, line, sku, var, known, _lib in unknown:
            shown = f"{sku} / {var}" if var else (sku or "(vide)")
            col.add("COR-ART", (doc, int(occ)), line=int(line), column=cols.get("sku"), value=shown,
                    hint=hints.get(sku, findings.CATALOGUE["COR-ART"].hint))
            if not known:
                col.add("ART-ABS-GC", (doc, int(occ)), line=int(line), column=cols.get("sku"),
                        article_ref=sku or "(vide)")
    inactive = con.execute("""SELECT la.doc, la.occ, min(la._line), la.article FROM la
                              JOIN gc_articles g ON g.code = la.article AND NOT g.actif GROUP BY ALL""").fetchall()
    for doc, occ, line, art in inactive:
        col.add("ART-INACTIF", (doc, int(occ)), line=int(line), column=cols.get("sku"), article=art, value=art)


def _suggestion_hints(ws: Path, connector: str, domain: str, values: list[str], code: str,
                      labels: dict[str, str] | None = None) -> dict[str, str]:
    """Catalogue hint + the best suggestion of :func:`econn.mappings.suggest`, per value."""
    base = findings.CATALOGUE[code].hint
    sugg = mappings.suggest(ws, connector, domain, values, labels=labels) if values else {}
    out = {}
    for v in values:
        best = (sugg.get(v) or [None])[0]
        out[v] = f"{base} Suggestion : {best.gc_value} ({best.reason})." if best else base
    return out


def _recap(con: duckdb.DuckDBPyConnection, col: Collector, tiers_by_key: dict[str, Any], only: str | None,
           raw_table: str, columns: list[str],
           partial: dict[tuple[str, int], dict[str, Any]] | None = None) -> list[DocumentRecap]:
    """One record per document occurrence, with its status (existing > blocked > waiting > new)."""
    rows = con.execute("""
        SELECT d.doc, d.occ, d.lines, d.tkey, d.date, d.total_ttc, mr.gc, g.gc_number,
               count(*) OVER (PARTITION BY d.doc) AS occurrences, dt.total_ht, dt.port
        FROM d LEFT JOIN dt ON dt.doc = d.doc AND dt.occ = d.occ
               LEFT JOIN map_reglement mr ON mr.ext = d.reglement
               LEFT JOIN gc_documents g ON g.ext_number = d.doc
        WHERE ? IS NULL OR d.doc = ?
        ORDER BY d.first_line""", [only, only]).fetchall()
    contents = _contents(con, raw_table, columns) if any(r[8] > 1 for r in rows) else {}
    out = []
    by_doc = col.by_doc
    for doc, occ, lines, tkey, date, ttc, pay, gc_number, occurrences, ht, port in rows:
        occ = int(occ)
        key = (doc, occ)
        t = tiers_by_key.get(tkey)
        rec = DocumentRecap(doc, NEW, None, [], lines, tkey, t.name if t else None, date,
                            float(ttc) if ttc is not None else None, pay, occ,
                            round(float(ht), 2) if ht is not None else None,
                            round(float(port), 2) if port is not None else None)
        if gc_number is not None and partial and key in partial:
            rec.status, rec.gc_number = BLOCKED, gc_number
            col.add("FIC-PARTIEL", key, line=rec.lines[0], value=doc, **partial[key])
        elif gc_number is not None:
            rec.status, rec.gc_number = EXISTING, gc_number
            col.add("FIC-DUPDOC", key, line=rec.lines[0], value=doc,
                    hint=f"Déjà intégré sous le n° GC {gc_number} : utilisez « Réimporter une commande » "
                         "si c'est voulu.")
        elif occurrences > 1 and occ > 1 and contents[(doc, occ)] == contents[(doc, 1)]:
            rec.status = EXISTING
            col.add("FIC-DUPDOC", key, line=rec.lines[0], value=doc,
                    hint="Document répété à l'identique dans le fichier : la répétition est ignorée.")
        elif occurrences > 1 and len({v for k, v in contents.items() if k[0] == doc}) > 1:
            rec.status = BLOCKED
            col.add("FIC-DUPDOC", key, line=rec.lines[0], value=doc,
                    hint="N° de document répété dans le fichier avec un contenu différent : corrigez le fichier.")
        found = by_doc.get(key)
        if rec.status == NEW:
            if found and any(f.level == Level.ERREUR for f in found):
                rec.status = BLOCKED
            elif t is not None and t.status == "homonym":
                rec.status = WAITING
        if found:
            rec.codes = sorted({f.code for f in found})
        out.append(rec)
    # A document whose only lines were rejected has no row above, but the file names it: it is listed,
    # blocked, at its first rejected line.
    listed = {(r.number, r.occurrence) for r in out}
    for (doc, occ), found in by_doc.items():
        if (doc, occ) in listed or (only is not None and doc != only):
            continue
        lines = sorted({f.line for f in found if f.line is not None})
        out.append(DocumentRecap(doc, BLOCKED, None, sorted({f.code for f in found}), lines, occurrence=occ))
    out.sort(key=lambda r: r.lines[0] if r.lines else 0)
    return out


def _n_lines(n: int) -> str:
    return f"{n} ligne" if n == 1 else f"{n} lignes"


def _partial_documents(ws: Path, conn: Connector,
                       con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], dict[str, Any]]:
    """Documents already integrated that this file gives with lines the GC document does not have.

    An order cut in two files whose first half was integrated from an earlier file: its other half is
    not a plain duplicate (FIC-DUPDOC) but lines missing from the GC (FIC-PARTIEL). A line is matched on
    (article, variant, quantity), each GC line once. Returns (doc, occ) → the finding's fields.
    """
    existing = [r[0] for r in con.execute("SELECT DISTINCT doc FROM d WHERE doc IN "
                                          "(SELECT ext_number FROM gc_documents)").fetchall()]
    if not existing:
        return {}
    with store.connect(ws, read_only=True) as src:
        heads = src.execute("""SELECT d.ext_number, d.gc_number, d.file_name, count(l.line_no)
                               FROM documents d LEFT JOIN document_lines l ON l.document_id = d.id
                               WHERE d.connector = ? AND list_contains(?, d.ext_number) GROUP BY ALL""",
                            [conn.code, existing]).fetchall()
        gl = src.execute("""SELECT d.ext_number AS doc, l.article, coalesce(l.variant, '') AS var,
                                   round(CAST(l.qte AS DOUBLE), 4) AS q
                            FROM documents d JOIN document_lines l ON l.document_id = d.id
                            WHERE d.connector = ? AND list_contains(?, d.ext_number)""",
                         [conn.code, existing]).df()
    con.register("_gl_df", gl)
    try:
        missing = con.execute("""
            WITH mine AS (SELECT doc, occ, article, var, round(qte, 4) AS q,
                                 row_number() OVER (PARTITION BY doc, occ, article, var, round(qte, 4)) AS k
                          FROM la WHERE list_contains(?, doc)),
                 theirs AS (SELECT doc, article, var, q, row_number() OVER (PARTITION BY doc, article, var, q) AS k
                            FROM _gl_df)
            SELECT m.doc, m.occ, count(*) FROM mine m
            WHERE NOT EXISTS (SELECT 1 FROM theirs t WHERE t.doc = m.doc AND t.article IS NOT DISTINCT FROM m.article
                                AND t.var = m.var AND t.q IS NOT DISTINCT FROM m.q AND t.k = m.k)
            GROUP BY m.doc, m.occ""", [existing]).fetchall()
    finally:
        con.unregister("_gl_df")
    if not missing:
        return {}
    from ..store.workspace import connector_dir   # noqa: PLC0415 (as context.into_import_folder)

    folder = connector_dir(ws, conn.import_dir, conn.code, "import")
    out = {}
    info = {h[0]: h[1:] for h in heads}
    for doc, occ, n in missing:
        gc_number, file_name, gc_lines = info[doc]
        received = file_name or "inconnu"
        if file_name:   # the earlier file was renamed .bak once complete
            baks = sorted(folder.glob(glob.escape(Path(file_name).stem) + "*.bak"))
            received = baks[0].name if len(baks) == 1 else file_name
        out[(doc, int(occ))] = {"previous_file": display_name(received),
                                "detail": f"{_n_lines(int(gc_lines))} dans la GC (n° {gc_number}), "
                                          f"{_n_lines(int(n))} de ce fichier pas dans la GC"}
    return out


def _contents(con: duckdb.DuckDBPyConnection, raw: str, columns: list[str]) -> dict[tuple[str, int], str]:
    """Fingerprint of the rows of each occurrence of the documents met more than once in the file."""
    row = "concat_ws(chr(31), " + ", ".join(f"coalesce(x.{quote_ident(c)}, '')" for c in columns) + ")"
    rows = con.execute(f"""
        SELECT rl.doc, rl.occ, md5(string_agg({row}, chr(30) ORDER BY rl._line))
        FROM rl JOIN {quote_ident(raw)} x ON x._line = rl._line
        WHERE rl.doc IN (SELECT doc FROM rl WHERE occ > 1) GROUP BY rl.doc, rl.occ""").fetchall()
    return {(doc, int(occ)): h for doc, occ, h in rows}
