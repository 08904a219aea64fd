"""``econn send``: « Envoyer les données » of one connector (recap, files, history)."""

from __future__ import annotations

import argparse
import json
import sys

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("send", help="envoyer les données d'un connecteur (articles, clients, contacts)",
                       description="Écrit les fichiers CSV d'envoi (articles_<date>.csv, clients_<date>.csv, "
                                   "contacts_<date>.csv) dans le chemin d'export du connecteur et les inscrit dans "
                                   "l'historique. --dry-run affiche seulement le récapitulatif.")
    p.add_argument("--connector", required=True, metavar="CODE", help="code du connecteur")
    add_workspace_arg(p)
    p.add_argument("--dry-run", action="store_true", help="récapitulatif seulement : aucun fichier, aucun historique")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.add_argument("--set", dest="assignments", action="append", default=[], metavar="CLE=VALEUR",
                   help="paramètre d'envoi pour cet envoi seulement (articles_send, articles_filter, price_category, "
                        "unit, depot, clients_send, clients_filter, send_contacts) ; répétable")
    p.add_argument("--export-dir", metavar="DIR", help="chemin d'export pour cet envoi")
    p.set_defaults(func=_send)


def _send(args: argparse.Namespace) -> int:
    from ..config.connectors import FIELD_BY_NAME, ConnectorValidationError
    from ..send import send
    from ..store.workspace import resolve_workspace
    from .connectors_cmds import parse_assignments

    ws = resolve_workspace(args.workspace)
    try:
        overrides: dict[str, str] = parse_assignments(args.assignments)
        if args.export_dir:
            overrides["export_dir"] = args.export_dir
        result = send(ws, args.connector, overrides or None, dry_run=args.dry_run)
    except ConnectorValidationError as exc:
        if args.json:
            print(json.dumps({"ok": False, "errors": exc.errors, "message": exc.message_fr}, ensure_ascii=False))
            return 2
        print("econn : paramètres d'envoi invalides, rien n'a été envoyé :", file=sys.stderr)
        for k, v in exc.errors.items():
            print(f"  {FIELD_BY_NAME[k].label if k in FIELD_BY_NAME else k} ({k}) : {v}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Récapitulatif des données à envoyer — {result.plan.connector}")
    for item in result.plan.items:
        print(f"  {item.label:<9} {item.count:>6}  {item.parameters}  → {item.file_name}")
    if not result.plan.items:
        print("  Aucune donnée à envoyer (articles et clients : « Ne pas envoyer »).")
    print(f"Chemin d'export : {result.plan.export_dir}")
    for f in result.findings[:20]:
        print(f"  alerte {f.code} : {f.message}")
    if len(result.findings) > 20:
        print(f"  … et {len(result.findings) - 20} autre(s) alerte(s)")
    print(result.summary() if not args.dry_run else "Simulation : aucun fichier écrit.")
    return 0
