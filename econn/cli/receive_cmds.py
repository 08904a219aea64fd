"""Reception commands: ``econn receive`` (analyse, then integrate) and ``econn reimport``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import add_map_arg, add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("receive", help="réceptionner les fichiers CSV d'un connecteur (analyse puis intégration)",
                       description="Analyse les fichiers en attente d'un connecteur (correspondances, tiers, "
                                   "totaux), puis intègre les documents intégrables dans la GC. Un fichier passe en "
                                   ".bak quand tout y est intégré. Code retour : 0 tout est intégré (ou intégrable "
                                   "avec --dry-run), 1 des documents sont bloqués ou en attente, 2 échec.")
    add_workspace_arg(p)
    p.add_argument("--connector", metavar="CODE", default="CSV", help="code du connecteur (défaut : CSV)")
    p.add_argument("--file", metavar="PATH", help="un seul fichier (défaut : tous les *.csv en attente)")
    p.add_argument("--dry-run", action="store_true", help="analyser seulement, ne rien écrire")
    p.add_argument("--homonyms", choices=["ask", "create", "assign"], default="ask",
                   help="homonymes : ask (le document attend), create (nouveau client), assign (meilleur candidat)")
    p.add_argument("--assign", metavar="EXT=GCCODE", action="append", default=[],
                   help="affecter le client externe EXT au tiers GC GCCODE (ou EXT=create) ; répétable")
    p.add_argument("--format", metavar="ID", dest="source_format",
                   help="format d'export imposé (shopify-orders, woocommerce-orders…) ; défaut : reconnu d'après "
                        "l'entête de chaque fichier (voir docs/formats.md)")
    add_map_arg(p)
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=_receive)

    p = sub.add_parser("reimport", help="réimporter une commande depuis un fichier .bak (action volontaire)",
                       description="Réécrit un document déjà intégré à partir d'un fichier reçu (.bak) : même "
                                   "n° GC, lignes réécrites, ligne d'historique « action ».")
    add_workspace_arg(p)
    p.add_argument("--connector", metavar="CODE", default="CSV", help="code du connecteur (défaut : CSV)")
    p.add_argument("--file", metavar="X.bak", required=True, help="fichier reçu contenant le document")
    p.add_argument("--document", metavar="N", required=True, help="n° du document (n° d'origine)")
    p.add_argument("--user", metavar="NOM", help="utilisateur à l'origine de l'action (historique)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=_reimport)


def _decisions(pairs: list[str]) -> dict[str, str]:
    from ..reception import ReceptionError

    out = {}
    for pair in pairs:
        ext, sep, code = pair.partition("=")
        if not sep or not ext.strip() or not code.strip():
            raise ReceptionError(f"bad --assign {pair!r}", f"--assign attend EXT=CODEGC (ou EXT=create) : « {pair} ».")
        out[ext.strip()] = code.strip()
    return out


def _receive(args: argparse.Namespace) -> int:
    from ..reading.headers import parse_map
    from ..reception import analyze, integrate
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    decisions = _decisions(args.assign)
    header_map = parse_map(args.map, "documents")
    if args.dry_run:
        res = analyze(ws, args.connector, args.file, homonyms=None if args.homonyms == "ask" else args.homonyms,
                      decisions=decisions, source_format=args.source_format, header_map=header_map)
        res.close()
    else:
        res = integrate(ws, args.connector, args.file, homonyms=args.homonyms, decisions=decisions,
                        source_format=args.source_format, header_map=header_map)
    out = res.to_dict()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print_human(out, args.dry_run)
    return res.exit_code()


def _reimport(args: argparse.Namespace) -> int:
    from ..reception import reimport
    from ..store.workspace import resolve_workspace

    res = reimport(resolve_workspace(args.workspace), args.connector, args.file, args.document, user=args.user)
    doc = next(d for d in res.files[0].documents if d.number == args.document)
    if args.json:
        print(json.dumps(res.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(f"Document {doc.number} réimporté : n° GC {doc.gc_number}.")
    return 0


_LABELS = [("new", "nouveaux"), ("existing", "déjà intégrés"), ("blocked", "bloqués"), ("waiting", "en attente"),
           ("integrated", "intégrés")]


def _print_human(out: dict[str, Any], dry_run: bool) -> None:
    if not out["files"]:
        print(f"Connecteur {out['connector']} : aucun fichier en attente.")
    for f in out["files"]:
        print(f"Fichier {f['file']}" + (" (analyse seule)" if dry_run else ""))
        if f.get("format"):
            print(f"  Format reconnu : {f['format']['label']}")
        if f["error"]:
            print(f"  échec : {f['error']}")
            continue
        c = f["counts"]
        print("  Documents : " + ", ".join(f"{c[k]} {label}" for k, label in _LABELS))
        print(f"  Tiers : {c['tiers_match']} trouvés, {c['tiers_create']} à créer, {c['tiers_homonym']} homonymes")
        for d in f["documents"]:
            if d["status"] != "integrated" or d["codes"]:
                extra = f" n° GC {d['gc_number']}" if d["gc_number"] else ""
                print(f"    {d['number']:<18} {d['status']:<11}{extra} {' '.join(d['codes'])}".rstrip())
        for t in f["tiers"]:
            if t["status"] != "match":
                print(f"    tiers {t['external_code']} ({t['name']}) : {t['status']}"
                      + (f" → {t['gc_code']}" if t["gc_code"] else "")
                      + (f" ; candidats : {', '.join(t['candidates'])}" if t["status"] == "homonym" else ""))
        for x in f["findings"]:
            where = ", ".join(p for p in (f"ligne {x['line']}" if x["line"] else "", x["document"] or "") if p)
            print(f"  [{x['level']}] {x['code']} {where} : {x['message']}")
            if x["hint"]:
                print(f"      → {x['hint']}")
        if f["renamed_to"]:
            print(f"  Fichier renommé : {f['renamed_to']}")
    sys.stdout.flush()
