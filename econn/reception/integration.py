"""Step 2 of a reception: write the integrable documents into the GC tables, then rename the file.

Transactions. A document's header, lines, new tiers, tiers correspondence, payment and history
row are written in one transaction, so a crash (even SIGKILL) never leaves half a document.
Documents go in groups of ``BATCH_DOCS`` per transaction: measured on 20,000 documents, one
transaction per document costs a store open + commit each (~15 ms, ~5 min in all), a group of
2,000 costs a few hundred ms. A group that fails (a conflict, a bad value) is rolled
back and its documents are redone one per transaction, so one bad document never blocks the
others. Every group re-reads, inside its transaction, which documents already exist: the store's
exclusive lock serialises writers, so two processes receiving one file integrate each document
once, and a rerun after a crash skips what was committed. ``UNIQUE(connector, ext_number)`` is the
last line of defence: a conflict there means « already integrated », never an error.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from .. import findings, store
from ..errors import StoreBusyError
from ..history.actions import run_pending
from ..findings import Level
from ..store.workspace import display_name
from ..reading.formats import resolve_format
from .analysis import analyze_file, check_header_map
from .context import Connector, connector_files, into_import_folder
from .model import (
    BLOCKED, EXISTING, INTEGRATED, NEW, T_CREATE, FileAnalysis, ReceptionAnalysis, ReceptionError, TiersRecap,
)
from .tiers import new_code

log = logging.getLogger(__name__)

# Documents per transaction (``ECONN_RECEPTION_BATCH``): see the module docstring.
BATCH_DOCS = int(os.environ.get("ECONN_RECEPTION_BATCH", "2000"))
# Crash tests only: seconds to wait after each committed group (outside the lock), so that a SIGKILL
# reliably lands between groups of a run instead of racing a fast machine to the end of the file.
_TEST_GROUP_PAUSE = float(os.environ.get("ECONN_TEST_GROUP_PAUSE", "0") or 0)
Progress = Callable[[int, int], None]

_DOCS_SQL = """
    SELECT d.doc AS ext_number, d.occ, d.first_line, d.date AS doc_date, d.tkey,
           CASE WHEN d.societe IS NOT NULL THEN d.societe ELSE trim(concat_ws(' ', d.prenom, upper(d.nom))) END AS name,
           CAST(coalesce(t.total_ht, t.lines_ht + t.port) AS DOUBLE) AS total_ht,
           CAST(coalesce(d.total_ttc, round(t.lines_ttc + t.port * (1 + coalesce(t.rmax, 0) / 100), 2)) AS DOUBLE)
               AS total_ttc,
           mr.gc AS payment_code
    FROM d JOIN _todo USING (doc, occ)
    JOIN (SELECT dt.*, x.lines_ttc FROM dt JOIN (SELECT doc, occ, sum(ht * (1 + coalesce(taux, 0) / 100)) AS lines_ttc
                                                 FROM lv2_t GROUP BY ALL) x USING (doc, occ)) t USING (doc, occ)
    LEFT JOIN map_reglement mr ON mr.ext = d.reglement
    ORDER BY d.first_line"""
_LINES_SQL = """
    SELECT v.doc AS ext_number, v.line_no, v.article, v.var AS variant,
           coalesce(v.libelle, v.gc_libelle) AS libelle, v.qte, v.unite_gc AS unite, v.pu AS pu_ht,
           v.remise_eff AS remise_pct, v.tva_gc AS code_tva, v.taux AS taux_tva
    FROM lv2_t v JOIN _todo USING (doc, occ) ORDER BY v._line"""


def integrate(workspace: str | os.PathLike[str], connector: str, file: str | os.PathLike[str] | None = None, *,
              homonyms: str = "ask", decisions: dict[str, str] | None = None, progress: Progress | None = None,
              user: str | None = None, source_format: str | None = None,
              header_map: dict[str, str | None] | None = None) -> ReceptionAnalysis:
    """Analyse then integrate a connector's files (one file, or every pending ``*.csv``), after running the
    actions queued for the connector (:func:`econn.history.actions.run_pending`).

    Args:
        workspace: the workspace folder.
        connector: connector code.
        file: one file (path or name in the import folder; a file from elsewhere is copied into the
            import folder first, and the copy is received); default every pending file.
        homonyms: ``ask`` (homonym documents wait), ``create`` or ``assign`` (best candidate).
        decisions: per tiers key, ``"create"`` or a GC tiers code.
        progress: called with (documents done, documents to integrate) after each committed group.
        user: who ran the reception (history messages).
        source_format: id of the export format to apply (:mod:`econn.reading.formats`); default the one
            recognised from each file's headers.
        header_map: explicit header → field choices for the documents flow (``--map``), applied to every
            file that has the header (:func:`econn.reading.headers.map_headers`).

    Returns:
        The analysis with statuses updated (``integrated`` + ``gc_number``) and ``renamed_to`` set on
        the files that became ``.bak``.

    Raises:
        ReceptionError: unknown connector, file or decision. StoreBusyError: the store stayed locked.
    """
    ws = Path(workspace)
    if source_format is not None:
        resolve_format([], "documents", source_format)   # an unknown id fails before any file is touched
    check_header_map(header_map)
    with store.reading(ws):   # one opening of the store for these reads (a queued action's write closes it)
        conn, files = connector_files(ws, connector, file)
        # ERO's queue: the actions waiting for this connector run at its next reception (econn actions list).
        run_pending(ws, connector=connector, user=user)
    files = [into_import_folder(ws, conn, p) for p in files]
    out = ReceptionAnalysis(ws, connector, integrated=True)
    policy = None if homonyms == "ask" else homonyms
    for path in files:
        fa = analyze_file(ws, conn, path, homonyms=policy, decisions=decisions, source_format=source_format,
                          header_map=header_map)
        out.files.append(fa)
        try:
            if fa.error is None:
                _integrate_file(ws, conn, fa, progress)
            out.run_id = _record(ws, conn, fa, user)
            if fa.complete and path.exists():
                fa.renamed_to = rename_bak(path)
        finally:
            if fa._con is not None:
                fa._con.close()
                fa._con = None
    return out


def _bak_name(stem: str, n: int, limit: int) -> str:
    """``stem.bak`` or ``stem_n.bak``, the stem shortened (on a character boundary) to fit ``limit`` bytes."""
    suffix = ".bak" if n == 0 else f"_{n}.bak"
    room = limit - len(os.fsencode(suffix))
    raw = os.fsencode(stem)
    if len(raw) > room:
        stem = raw[:room].decode("utf-8", "ignore")
    return stem + suffix


def rename_bak(path: Path) -> Path | None:
    """Rename a fully received file to ``.bak`` (``name_1.bak``… if taken); None if it is already gone.

    The name stays within the file system's limit (NAME_MAX, usually 255 bytes): a long name whose ``.bak``
    is taken gets a shortened stem rather than « File name too long » on every reception.
    """
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    n = 0
    target = path.with_name(_bak_name(path.stem, n, limit))
    while target.exists():
        n += 1
        target = path.with_name(_bak_name(path.stem, n, limit))
    try:
        os.rename(path, target)   # atomic on one file system
    except FileNotFoundError:     # another process received the file at the same moment
        return None
    return target


def stage(fa: FileAnalysis, keys: list[tuple[str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and lines ready to write, for the given (number, occurrence) of an analysed file."""
    con = fa._con
    # The analysis leaves the valued lines as a view (lv2): evaluate it once for both reads below.
    con.execute("CREATE OR REPLACE TEMP TABLE lv2_t AS SELECT * FROM lv2")
    con.register("_todo_df", pd.DataFrame(keys, columns=["doc", "occ"]))
    con.execute("CREATE OR REPLACE TEMP TABLE _todo AS SELECT doc, CAST(occ AS BIGINT) AS occ FROM _todo_df")
    con.unregister("_todo_df")
    return con.execute(_DOCS_SQL).df(), con.execute(_LINES_SQL).df()


def _integrate_file(ws: Path, conn: Connector, fa: FileAnalysis, progress: Progress | None) -> None:
    todo = [d for d in fa.documents if d.status == NEW]
    if not todo:
        return
    docs, lines = stage(fa, [(d.number, d.occurrence) for d in todo])
    by_number = {d.number: d for d in todo}
    tiers = {t.external_code: t for t in fa.tiers}
    alerts = {d.number: [c for c in d.codes if findings.CATALOGUE[c].level == Level.ALERTE] for d in todo}
    total, done = len(docs), 0
    size = max(1, BATCH_DOCS)
    for start in range(0, total, size):
        bd = docs.iloc[start:start + size]
        try:
            results = _write(ws, conn, fa, bd, lines[lines.ext_number.isin(bd.ext_number)], tiers, alerts)
        except StoreBusyError:
            raise
        except Exception as exc:   # redo one by one: a bad document must not block the others
            log.warning("group of %d documents failed (%s); retrying one by one", len(bd), exc)
            results = {}
            for i in range(len(bd)):
                one = bd.iloc[i:i + 1]
                number = one.ext_number.iloc[0]
                try:
                    results |= _write(ws, conn, fa, one, lines[lines.ext_number == number], tiers, alerts)
                except StoreBusyError:
                    raise
                except Exception as exc1:
                    log.warning("document %s failed: %s", number, exc1)
                    results[number] = (BLOCKED, None, str(exc1))
        for number, (status, gc, detail) in results.items():
            rec = by_number[number]
            rec.status, rec.gc_number = status, gc
            if detail:
                f = findings.make("REC-ECHEC", source=fa.file.name, document=number, line=rec.lines[0],
                                  detail=detail[:300])
                fa.findings.append(f)
                rec.codes = sorted({*rec.codes, "REC-ECHEC"})
        done += len(bd)
        if progress is not None:
            progress(done, total)
        if _TEST_GROUP_PAUSE:
            time.sleep(_TEST_GROUP_PAUSE)


def _reserve(con: duckdb.DuckDBPyConnection, name: str, n: int) -> int:
    """Reserve ``n`` consecutive values of a counter (as ``store.next_counter`` n times); returns the first."""
    row = store.first(con.execute(
        "INSERT INTO counters VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = counters.value + ? "
        "RETURNING value", [name, n, n]))
    return int(row[0]) - n + 1


def _tiers_codes(con: duckdb.DuckDBPyConnection, conn: Connector, fa: FileAnalysis, keys: list[str],
                 tiers: dict[str, TiersRecap]) -> dict[str, str]:
    """GC tiers code of each key, creating the tiers to create (once, even across processes)."""
    out: dict[str, str] = {}
    to_create = []
    for k in keys:
        t = tiers[k]
        if t.status != T_CREATE:
            out[k] = t.gc_code
            continue
        # Created by an earlier group, a killed run or another process: its external code is stored.
        row = store.first(con.execute(
            "SELECT gc_value FROM correspondences WHERE connector = ? AND domain = 'tiers' AND external_value = ? "
            "AND external_variant = '' AND state = 'valide'", [conn.code, k])) if t.has_code else None
        if row is not None:
            out[k] = row[0]
        else:
            to_create.append(t)
    if to_create:
        taken = {r[0] for r in con.execute("SELECT code FROM tiers").fetchall()}
        for t in to_create:
            r = t.record
            code = new_code(r, taken)
            con.execute("""INSERT INTO tiers (code, type, societe, civilite, nom, prenom, email, telephone, mobile,
                               adresse1, adresse2, code_postal, ville, pays, famille, categorie_tarifaire, origin)
                           VALUES (?, 'client', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reception')""",
                        [code, r["societe"], r["civilite"], r["nom"], r["prenom"], r["email"], r["telephone"],
                         r["mobile"], r["adresse1"], r["adresse2"], r["code_postal"], r["ville"],
                         r.get("pays_gc") or "FR", conn.client_family, conn.price_category])
            con.execute("""INSERT INTO history (connector, kind, data_type, level, name, gc_tiers, origin_tiers, code,
                               message) VALUES (?, 'reception', 'client', 'succès', ?, ?, ?, 'COR-CLI-NEW', ?)""",
                        [conn.code, t.name, code, t.external_code if t.has_code else None,
                         f"Client {code} créé à la réception (famille {conn.client_family or '—'})"])
            out[t.external_code] = code
            t.gc_code, t.created = code, True
    return out


def _write(ws: Path, conn: Connector, fa: FileAnalysis, docs: pd.DataFrame, lines: pd.DataFrame,
           tiers: dict[str, TiersRecap], alerts: dict[str, list[str]],
           replace: int | None = None, user: str | None = None) -> dict[str, tuple[str, str | None, str | None]]:
    """One transaction: the documents of ``docs`` with their lines, tiers, payments and history rows.

    Returns number → (status, gc_number, failure detail). ``replace`` (a document id) rewrites that
    document in place (reimport) instead of creating one.
    """
    with store.transaction(ws) as con:
        con.register("b_docs", docs)
        out: dict[str, tuple[str, str | None, str | None]] = {}
        if replace is None:
            found = dict(con.execute("SELECT d.ext_number, d.gc_number FROM documents d JOIN b_docs b "
                                     "ON b.ext_number = d.ext_number WHERE d.connector = ?", [conn.code]).fetchall())
            out = {n: (EXISTING, g, None) for n, g in found.items()}
            docs = docs[~docs.ext_number.isin(found)]
            if docs.empty:
                return out
        codes = _tiers_codes(con, conn, fa, list(dict.fromkeys(docs.tkey)), tiers)
        st = docs.assign(tiers_code=docs.tkey.map(codes),
                         tiers_ext=docs.tkey.map(lambda k: k if tiers[k].has_code else None))
        if replace is None:
            first = _reserve(con, "document", len(st))
            st = st.assign(gc_number=[str(first + i) for i in range(len(st))])
        else:
            st = st.assign(gc_number=[store.first(con.execute("SELECT gc_number FROM documents WHERE id = ?",
                                                              [replace]))[0]])
        con.register("st", st)
        common = "doc_date = st.doc_date, tiers_code = st.tiers_code, tiers_ext = st.tiers_ext, name = st.name"
        if replace is None:
            ids = con.execute("""
                INSERT INTO documents (connector, ext_number, gc_number, doc_type, doc_date, tiers_code, tiers_ext,
                                       name, total_ht, total_ttc, payment_code, entreprise, site, transporteur,
                                       file_name, file_sha256)
                SELECT ?, ext_number, gc_number, ?, doc_date, tiers_code, tiers_ext, name, total_ht, total_ttc,
                       payment_code, ?, ?, ?, ?, ? FROM st RETURNING id, ext_number""",
                              [conn.code, conn.document_type, conn.entreprise, conn.site, conn.transporteur,
                               fa.file.name, fa.sha256]).fetchall()
        else:
            con.execute(f"""UPDATE documents SET {common}, total_ht = st.total_ht, total_ttc = st.total_ttc,
                                payment_code = st.payment_code, file_name = ?, file_sha256 = ?,
                                integrated_at = current_timestamp
                            FROM st WHERE documents.id = ?""", [fa.file.name, fa.sha256, replace])
            con.execute("DELETE FROM document_lines WHERE document_id = ?", [replace])
            ids = [(replace, st.ext_number.iloc[0])]
        con.register("ids", pd.DataFrame(ids, columns=["id", "ext_number"]))
        con.register("b_lines", lines)
        con.execute("""INSERT INTO document_lines SELECT ids.id, l.line_no, l.article, l.variant, l.libelle, l.qte,
                              l.unite, l.pu_ht, l.remise_pct, l.code_tva, l.taux_tva
                       FROM b_lines l JOIN ids USING (ext_number)""")
        pay = _payments(con, conn, st, replace)
        _history(con, conn, st, pay, alerts, replace, user)
        _remember_tiers(con, conn, st, tiers)
        # A document integrated now closes the errors an earlier reception left open for it.
        con.execute("""UPDATE history SET closed_at = current_timestamp, closed_by = 'econn',
                              justification = 'Document intégré lors d''une réception ultérieure'
                       WHERE connector = ? AND kind = 'erreur' AND closed_at IS NULL
                         AND reference IN (SELECT ext_number FROM st)""", [conn.code])
        out |= {n: (INTEGRATED, g, None) for n, g in zip(st.ext_number, st.gc_number, strict=True)}
        return out


def _payments(con: duckdb.DuckDBPyConnection, conn: Connector, st: pd.DataFrame,
              replace: int | None) -> dict[str, str]:
    """Auto-payment (connector setting): one payment of the TTC amount per document with a payment mode."""
    if not conn.auto_payment:
        return {}
    if replace is not None:
        row = store.first(con.execute("SELECT number FROM payments WHERE document_id = ?", [replace]))
        if row is not None:
            con.execute("UPDATE payments SET mode = st.payment_code, amount = st.total_ttc, paid_on = st.doc_date "
                        "FROM st WHERE payments.document_id = ?", [replace])
            return {st.ext_number.iloc[0]: row[0]}
    paid = st[st.payment_code.notna()]
    if paid.empty:
        return {}
    first = _reserve(con, "payment", len(paid))
    numbers = {n: f"RG{first + i:06d}" for i, n in enumerate(paid.ext_number)}
    con.register("pn", pd.DataFrame(list(numbers.items()), columns=["ext_number", "number"]))
    con.execute("""INSERT INTO payments (number, document_id, mode, amount, paid_on)
                   SELECT pn.number, d.id, st.payment_code, st.total_ttc, st.doc_date
                   FROM pn JOIN st USING (ext_number) JOIN documents d
                        ON d.connector = ? AND d.ext_number = pn.ext_number""", [conn.code])
    return numbers


def _history(con: duckdb.DuckDBPyConnection, conn: Connector, st: pd.DataFrame, pay: dict[str, str],
             alerts: dict[str, list[str]], replace: int | None, user: str | None = None) -> None:
    h = st.assign(payment_number=st.ext_number.map(pay),
                  code=st.ext_number.map(lambda n: (alerts.get(n) or [None])[0]))
    h = h.assign(level=h.code.map(lambda c: "alerte" if c else "succès"))
    if replace is None:
        h = h.assign(kind="reception", message=[f"Document {n} intégré : {conn.document_type} n° {g}"
                                                for n, g in zip(h.ext_number, h.gc_number, strict=True)])
    else:
        h = h.assign(kind="action", level="succès", code=None,
                     message=[f"Commande {n} réimportée : {conn.document_type} n° {g} conservé, lignes réécrites"
                              + (f" (par {user})" if user else "")
                              for n, g in zip(h.ext_number, h.gc_number, strict=True)])
    con.register("h", h)
    con.execute("""INSERT INTO history (connector, kind, data_type, level, purchase_date, origin_number, gc_number,
                                        name, gc_tiers, origin_tiers, amount_ttc, payment_number, code, message,
                                        reference)
                   SELECT ?, kind, 'document', level, doc_date, ext_number, gc_number, name, tiers_code,
                          coalesce(tiers_ext, tiers_code), total_ttc, payment_number, code, message, ext_number
                   FROM h""", [conn.code])


def _remember_tiers(con: duckdb.DuckDBPyConnection, conn: Connector, st: pd.DataFrame,
                    tiers: dict[str, TiersRecap]) -> None:
    """Store each customer's external code → GC tiers, so it matches by code next time (not for a customer
    sent to the connector's default customer: that is where its orders go, not who it is)."""
    defaults = [k for k, t in tiers.items() if t.by_default]
    rows = st[st.tiers_ext.notna() & ~st.tiers_ext.isin(defaults)][["tiers_ext", "tiers_code"]]
    rows = rows.drop_duplicates("tiers_ext")
    if rows.empty:
        return
    con.register("tx", rows)
    con.execute("""
        INSERT INTO correspondences (connector, domain, external_value, external_variant, gc_value, state, origin,
                                     score, reason, updated_by)
        SELECT ?, 'tiers', tiers_ext, '', tiers_code, 'valide', 'auto', 1.0, 'Tiers de la réception', 'econn'
        FROM tx
        ON CONFLICT (connector, domain, external_value, external_variant) DO UPDATE SET
            gc_value = excluded.gc_value, state = excluded.state, origin = excluded.origin,
            updated_at = excluded.updated_at
        WHERE correspondences.state <> 'valide'""", [conn.code])


def _record(ws: Path, conn: Connector, fa: FileAnalysis, user: str | None) -> int:
    """The run, its findings, the received file, and one open error per blocked document and code."""
    counts = fa.counts()
    status = "termine" if fa.complete else ("erreur" if fa.error else "partiel")
    with store.transaction(ws) as con:
        run_id = store.first(con.execute(
            "INSERT INTO runs (kind, connector, finished_at, status, summary) VALUES "
            "('reception', ?, current_timestamp, ?, ?) RETURNING id",
            [conn.code, status, json.dumps({"file": display_name(fa.file.name), "user": user, **counts},
                                           ensure_ascii=False)]))[0]
        rows = [(run_id, f.code, f.level.value, f.message, f.hint, f.source, f.line, f.document, f.column, f.value,
                 f.subject) for f in fa.findings]
        if fa.error and not any(f.code == fa.error_code for f in fa.findings):
            rows.append((run_id, fa.error_code, "erreur", fa.error, None, display_name(fa.file.name), None, None,
                         None, None, None))
        if rows:
            con.executemany("INSERT INTO findings (run_id, code, level, message, hint, source, line, document, "
                            "column_name, value, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        file_status = {"termine": "integre", "partiel": "partiel", "erreur": "erreur"}[status]
        hit = store.first(con.execute("UPDATE received_files SET status = ?, last_run = current_timestamp, "
                                      "rows_total = ?, rows_rejected = ? WHERE connector = ? AND sha256 = ? "
                                      "RETURNING id", [file_status, fa.rows, len(fa.rejects), conn.code, fa.sha256]))
        if hit is None:
            con.execute("INSERT INTO received_files (connector, name, sha256, size, rows_total, rows_rejected, "
                        "status, last_run) VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp)",
                        [conn.code, display_name(fa.file.name), fa.sha256 or "", fa.file.stat().st_size if fa.file.exists() else None,
                         fa.rows, len(fa.rejects), file_status])
        _errors(con, conn, fa)
    return int(run_id)


def _errors(con: duckdb.DuckDBPyConnection, conn: Connector, fa: FileAnalysis) -> None:
    """History « erreurs »: the errors of blocked documents and of the file, once while they stay open."""
    docs = {d.number: d for d in fa.documents if d.status == BLOCKED}
    tiers = {t.external_code: t for t in fa.tiers}
    rows = []
    for f in fa.findings:
        if f.level != Level.ERREUR or (f.document is not None and f.document not in docs):
            continue
        d = docs.get(f.document) if f.document else None
        t = tiers.get(d.tiers) if d and d.tiers else None
        rows.append((conn.code, d.date if d else None, f.document, d.name if d else None,
                     t.external_code if t and t.has_code else None, f.code, f.message, f.hint,
                     f.document or display_name(fa.file.name)))
    if not rows:
        return
    con.executemany("""
        INSERT INTO history (connector, kind, data_type, level, purchase_date, origin_number, name, origin_tiers,
                             code, message, hint, reference)
        SELECT $1, 'erreur', 'document', 'erreur', $2, $3, $4, $5, $6, $7, $8, $9
        WHERE NOT EXISTS (SELECT 1 FROM history WHERE connector = $1 AND kind = 'erreur' AND closed_at IS NULL
                          AND reference = $9 AND code = $6 AND message = $7)""", rows)


def reimport(workspace: str | os.PathLike[str], connector: str, bak_file: str | os.PathLike[str],
             document_number: str, *, user: str | None = None) -> ReceptionAnalysis:
    """« Réimporter une commande »: rewrite one document from a received (``.bak``) file, on purpose.

    The document keeps its GC number; its header, lines and payment are rewritten in one transaction
    and an ``action`` history row records it. A document that is not in the store yet is integrated.

    Raises:
        ReceptionError: file or document not found, or the document is blocked (the reasons are listed).
    """
    ws = Path(workspace)
    conn, (path,) = connector_files(ws, connector, bak_file)
    fa = analyze_file(ws, conn, path, only=document_number)
    out = ReceptionAnalysis(ws, connector, [fa], integrated=True)
    try:
        if fa.error:
            raise ReceptionError(f"cannot read {path}", fa.error)
        doc = next((d for d in fa.documents if d.number == document_number and d.occurrence == 1), None)
        if doc is None:
            raise ReceptionError(f"document {document_number} not in {path}",
                                 f"Document {document_number} absent du fichier {path.name}.")
        blockers = sorted({f.code for f in fa.findings if f.document == document_number
                           and f.level == Level.ERREUR and f.code not in ("FIC-DUPDOC", "FIC-PARTIEL")})
        with store.connect(ws, read_only=True) as src:
            row = store.first(src.execute("SELECT id, tiers_code FROM documents WHERE connector = ? AND "
                                          "ext_number = ?", [conn.code, document_number]))
        t = next((t for t in fa.tiers if t.external_code == doc.tiers), None)
        if t is not None and t.status == "homonym":
            if row is None:
                blockers.append("COR-CLI-HOMO")
            else:   # the same order: keep the customer it was integrated with
                t.status, t.gc_code = "match", row[1]
        if blockers:
            raise ReceptionError(f"document {document_number} is blocked: {blockers}",
                                 f"Document {document_number} non réimporté : {', '.join(blockers)}.")
        docs, lines = stage(fa, [(doc.number, 1)])
        tiers = {x.external_code: x for x in fa.tiers}
        res = _write(ws, conn, fa, docs, lines, tiers, {}, replace=row[0] if row else None, user=user)
        doc.status, doc.gc_number = res[document_number][0], res[document_number][1]
        doc.codes = [c for c in doc.codes if c not in ("FIC-DUPDOC", "FIC-PARTIEL")]
        fa.findings = [f for f in fa.findings if f.code not in ("FIC-DUPDOC", "FIC-PARTIEL", "FIC-OK")]
        return out
    finally:
        if fa._con is not None:
            fa._con.close()
            fa._con = None

