"""``econn headers show|set|reset``: the remembered header choices of a connector and flow.

The same table as the reception page's « Mémoriser la correspondance » (``header_mappings``); the choices
apply to ``econn receive``, ``econn preview --connector`` and ``econn import --connector``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..reading.synonyms import ALL_FLOWS
from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("headers", help="correspondances d'en-têtes mémorisées d'un connecteur (voir, fixer, oublier)",
                       description="Les choix « colonne du fichier → champ » mémorisés pour un connecteur et un flux, "
                                   "les mêmes que ceux du tableau de bord ; ils s'appliquent à econn receive, et à "
                                   "econn preview / econn import avec --connector.")
    hsub = p.add_subparsers(dest="headers_command", metavar="ACTION")
    hsub.required = True

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--connector", metavar="CODE", required=True, help="code du connecteur")
        q.add_argument("--flow", choices=ALL_FLOWS, default="documents",
                       help="flux : documents (défaut), tiers, articles, ou un type de econn import")
        add_workspace_arg(q)
        q.add_argument("--json", action="store_true", help="sortie JSON")

    q = hsub.add_parser("show", help="voir les choix mémorisés et ce que le moteur ferait sans eux",
                        description="Liste les choix mémorisés ; avec --file, la correspondance complète d'un "
                                    "fichier telle que econn receive (flux documents) ou econn import (autres "
                                    "flux) l'appliquerait.")
    common(q)
    q.add_argument("--file", metavar="PATH", help="fichier CSV dont montrer la correspondance complète")
    q.set_defaults(func=_show)

    q = hsub.add_parser("set", help="mémoriser des choix COLONNE=CHAMP (COLONNE= : ignorer la colonne)",
                        description="Mémorise, pour le connecteur et le flux, le champ de chaque colonne donnée ; "
                                    "« Colonne= » (rien après « = ») ignore la colonne.")
    common(q)
    q.add_argument("choices", nargs="+", metavar="COLONNE=CHAMP", help="choix à mémoriser")
    q.set_defaults(func=_set)

    q = hsub.add_parser("reset", help="oublier des choix mémorisés (tous, ou ceux des colonnes données)",
                        description="Oublie les choix mémorisés des colonnes données, ou tous ceux du connecteur "
                                    "et du flux si aucune colonne n'est donnée.")
    common(q)
    q.add_argument("headers", nargs="*", metavar="COLONNE", help="colonnes dont oublier le choix (défaut : toutes)")
    q.set_defaults(func=_reset)


def _ws(args: argparse.Namespace) -> Any:
    from ..store.workspace import resolve_workspace

    return resolve_workspace(args.workspace)


def _shown(fld: str | None) -> str:
    return fld if fld else "(ignorée)"


def _show(args: argparse.Namespace) -> int:
    from ..reading.header_choices import list_choices

    ws = _ws(args)
    rows = list_choices(ws, args.connector, args.flow)
    out: dict[str, Any] = {"connector": args.connector, "flow": args.flow, "remembered": rows, "file": None}
    if args.file:
        out["file"] = _file_mapping(ws, args)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Connecteur {args.connector}, flux {args.flow} : "
          + (f"{len(rows)} correspondance(s) mémorisée(s)" if rows else "aucune correspondance mémorisée"))
    for r in rows:
        alone = _shown(r["proposal"]) if r["proposal_origin"] != "aucun" else "aucune proposition"
        print(f"  {r['header']} → {_shown(r['field'])}   (sans ce choix : {alone})")
    if out["file"]:
        from ..reading.headers import ORIGIN_LABELS

        f = out["file"]
        print(f"Fichier {f['file']}" + (f" — format reconnu : {f['format']['label']}" if f["format"] else ""))
        for m in f["header_mapping"]:
            shown = _shown(m["field"]) if m["origin"] != "aucun" else "—"
            print(f"  {m['header']} → {shown}   ({ORIGIN_LABELS[m['origin']]})")
    sys.stdout.flush()
    return 0


def _file_mapping(ws: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The whole mapping of a file as ``econn receive`` (documents) or ``econn import`` would apply it."""
    import os

    from .. import store
    from ..errors import LoaderError
    from ..reading.formats import detect_format
    from ..reading.headers import map_headers, remembered_choices
    from ..reading.loaders import read_csv

    if not os.path.isfile(args.file):
        raise LoaderError(f"{args.file} not found", f"Fichier introuvable : {args.file}")
    res = read_csv(args.file, max_bytes=1 << 16)
    try:
        columns = list(res.columns)
    finally:
        res.con.close()
    with store.connect(ws, read_only=True) as con:
        remembered = remembered_choices(con, args.connector, args.flow)
    found = detect_format(columns, args.flow) if args.flow in ("documents", "tiers", "articles") else None
    fields = None
    if args.flow != "documents":
        from ..reading.reference import loadable_fields

        fields = loadable_fields(args.flow)
    matches = map_headers(columns, args.flow, remembered=remembered, source_format=found[0] if found else None,
                          fields=fields)
    return {"file": args.file, "format": found[0].to_dict(found[1]) if found else None,
            "header_mapping": [{"header": m.header, "field": m.field, "score": m.score, "origin": m.origin}
                               for m in matches]}


def _set(args: argparse.Namespace) -> int:
    from ..reading.header_choices import set_choices
    from ..reading.headers import parse_map

    written = set_choices(_ws(args), args.connector, args.flow, parse_map(args.choices, args.flow))
    if args.json:
        print(json.dumps({"connector": args.connector, "flow": args.flow,
                          "saved": [{"header": h, "field": f} for h, f in written]}, ensure_ascii=False, indent=2))
        return 0
    detail = ", ".join(f"{h} → {_shown(f)}" for h, f in written)
    print(f"{len(written)} correspondance(s) mémorisée(s) pour le connecteur {args.connector}, flux {args.flow} : "
          f"{detail}.")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from ..reading.header_choices import reset_choices

    gone, unknown = reset_choices(_ws(args), args.connector, args.flow, args.headers or None)
    if args.json:
        print(json.dumps({"connector": args.connector, "flow": args.flow, "deleted": gone, "not_found": unknown},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"{len(gone)} correspondance(s) oubliée(s) pour le connecteur {args.connector}, flux {args.flow}"
          + (f" : {', '.join(gone)}" if gone else "") + ".")
    if unknown:
        print(f"Aucun choix mémorisé pour : {', '.join(unknown)}.")
    return 0
