"""``econn preview FILE``: how econn reads a CSV file (dialect, rejects, first rows, header mapping).

By default only the head of the file is read (``HEAD_BYTES``) so that a preview takes well
under two seconds whatever the file size; counts are then partial and the output says so.
``--full`` reads and counts everything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from . import add_map_arg, add_workspace_arg

# 256 KiB hold ~1,000 order lines: enough for --rows 20, and DuckDB reads it in ~0.1 s.
HEAD_BYTES = 1 << 18


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="aperçu d'un fichier CSV : format détecté, lignes rejetées, premières lignes",
                       description="Lit le début d'un fichier CSV (ou tout le fichier avec --full) et affiche le "
                                   "format détecté, les lignes rejetées ou ignorées et les premières lignes.")
    p.add_argument("file", help="fichier CSV")
    p.add_argument("--rows", type=int, default=20, metavar="N", help="nombre de lignes à afficher (défaut : 20)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--encoding", metavar="E", help="encodage imposé (utf-8, cp1252, utf-16…)")
    p.add_argument("--delimiter", metavar="D", help="séparateur imposé (; , | ou \\t pour tabulation)")
    p.add_argument("--flow", choices=["documents", "tiers", "articles"], default=None,
                   help="flux pour la correspondance des colonnes (défaut : celui du format reconnu, "
                        "sinon documents)")
    p.add_argument("--format", metavar="ID", dest="source_format",
                   help="format d'export imposé (shopify-orders, woocommerce-orders…) ; défaut : reconnu d'après "
                        "l'entête (voir docs/formats.md)")
    p.add_argument("--full", action="store_true", help="lire tout le fichier pour compter toutes les lignes")
    p.add_argument("--connector", metavar="CODE",
                   help="appliquer les correspondances d'en-têtes mémorisées de ce connecteur (econn headers)")
    add_map_arg(p)
    add_workspace_arg(p)
    p.set_defaults(func=_preview)


def _preview(args: argparse.Namespace) -> int:
    from ..errors import LoaderError
    from ..reading.formats import resolve_format
    from ..reading.headers import check_map_headers, map_headers, parse_map
    from ..reading.loaders import read_csv
    from ..reading.sniffer import sniff

    if not os.path.isfile(args.file):
        raise LoaderError(f"{args.file} not found", f"Fichier introuvable : {args.file}")
    dialect = sniff(args.file)
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError as exc:
            raise LoaderError(f"unknown encoding {args.encoding}", f"Encodage inconnu : {args.encoding}") from exc
        dialect.encoding = args.encoding
    if args.delimiter:
        dialect.delimiter = "\t" if args.delimiter in ("\\t", "tab", "tabulation") else args.delimiter
    res = read_csv(args.file, dialect=dialect, max_bytes=None if args.full else max(HEAD_BYTES, args.rows * 4096))
    q = f'SELECT * EXCLUDE (_line) FROM "{res.table}" ORDER BY _line LIMIT ?'
    sample_rows = res.con.execute(q, [max(args.rows, 0)]).fetchall()
    sample = [dict(zip(res.columns, row)) for row in sample_rows]
    # A recognised customer or product export is mapped to its own flow unless --flow says otherwise.
    found = resolve_format(res.columns, args.flow, args.source_format) if dialect.has_header else None
    fmt = found[0] if found else None
    flow = args.flow or (fmt.flow if fmt else "documents")
    overrides = parse_map(args.map, flow)
    if overrides:
        check_map_headers(overrides, res.columns if dialect.has_header else [], os.path.basename(args.file))
    remembered = _remembered(args, flow) if args.connector else {}
    mapping = (map_headers(res.columns, flow, remembered=remembered, source_format=fmt, overrides=overrides)
               if dialect.has_header else [])
    out: dict[str, Any] = {
        "file": args.file,
        "encoding": dialect.encoding,
        "delimiter": dialect.delimiter,
        "quotechar": dialect.quotechar,
        "has_header": dialect.has_header,
        "columns": res.columns,
        "rows_ok": res.rows_ok,
        "rows_rejected": res.rows_rejected,
        "rejects": [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in res.rejects],
        "skipped_lines": [{"line": s.line, "kind": s.kind, "raw": s.raw} for s in res.skipped],
        "partial": res.partial,
        "bytes_read": res.bytes_read,
        "file_size": res.file_size,
        "sample": sample,
        "dialect": dialect.to_dict(),
        "format": fmt.to_dict(found[1]) if found else None,
        "flow": flow,
        "connector": args.connector,
        "header_mapping": [{"header": m.header, "field": m.field, "score": m.score, "origin": m.origin}
                           for m in mapping],
        "findings": [f.to_dict() for f in res.findings],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print_human(out)
    return 0


def _remembered(args: argparse.Namespace, flow: str) -> dict[str, str | None]:
    """The connector's remembered header choices for ``flow`` (the workspace and connector must exist)."""
    from .. import store
    from ..reading.header_choices import check_connector
    from ..reading.headers import remembered_choices
    from ..store.workspace import resolve_workspace

    with store.connect(resolve_workspace(args.workspace), read_only=True) as con:
        check_connector(con, args.connector)
        return remembered_choices(con, args.connector, flow)


_MARKS = {"option": " [--map]", "memorise": " [mémorisée]"}


def _print_human(o: dict[str, Any]) -> None:
    delim = {"\t": "tabulation", " ": "espace"}.get(o["delimiter"], f"« {o['delimiter']} »")
    print(f"Fichier : {o['file']}")
    print(f"Format : encodage {o['encoding']}, séparateur {delim}, guillemets "
          f"{o['quotechar'] or 'aucun'}, {'avec' if o['has_header'] else 'sans'} ligne d'entête")
    scope = (f"sur les {o['bytes_read']:,} premiers octets ({o['file_size']:,} au total ; --full pour tout compter)"
             .replace(",", "\u202f") if o["partial"] else "sur tout le fichier")
    if o["format"]:
        print(f"Format reconnu : {o['format']['label']}" + (f" (score {o['format']['score']:.2f})".replace(".", ",")
                                                           if o["format"]["score"] is not None else " (imposé)"))
    print(f"Lignes : {o['rows_ok']} acceptée(s), {o['rows_rejected']} rejetée(s), "
          f"{len(o['skipped_lines'])} ignorée(s) {scope}")
    print(f"Colonnes ({len(o['columns'])}) : " + ", ".join(
        (f"{m['header']} → {m['field']}" if m["field"] else m["header"]) + _MARKS.get(m["origin"], "")
        for m in o["header_mapping"])
        if o["header_mapping"] else f"Colonnes ({len(o['columns'])}) : " + ", ".join(o["columns"]))
    for r in o["rejects"][:20]:
        print(f"  ligne {r['line']} rejetée : {r['reason']}")
    if len(o["rejects"]) > 20:
        print(f"  … et {len(o['rejects']) - 20} autre(s) ligne(s) rejetée(s)")
    if o["sample"]:
        print(f"Premières lignes ({len(o['sample'])}) :")
        cols = o["columns"]
        widths = [min(24, max([len(c)] + [len(str(r[c] or "")) for r in o["sample"]])) for c in cols]
        print("  " + " | ".join(c[:w].ljust(w) for c, w in zip(cols, widths)))
        for r in o["sample"]:
            cells = [str(r[c] if r[c] is not None else "").replace("\n", "⏎")[:w].ljust(w) for c, w in zip(cols, widths)]
            print("  " + " | ".join(cells))
    sys.stdout.flush()
