"""``econn actions add|list|run``: the ERO action queue (réimporter une commande, lancer un diagnostic)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actions", help="actions en attente (réimporter une commande, lancer un diagnostic)",
                       description="La file d'actions du rapport ERO : une action ajoutée attend la prochaine "
                                   "réception de son connecteur (econn receive) ou « econn actions run », puis "
                                   "reste listée, terminée ou en erreur, avec ce qu'elle a fait.")
    asub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    asub.required = True
    q = asub.add_parser("add", help="ajouter une action à la file",
                        description="« reimporter » : réimporter une commande depuis un fichier reçu (.bak), avec "
                                    "--connector, --file et --document ; « diagnostic » : lancer un diagnostic "
                                    "(--name tva, produits-absents…), pour un connecteur ou pour tous.")
    q.add_argument("kind", choices=["reimporter", "diagnostic"], help="type d'action")
    q.add_argument("--connector", metavar="CODE", help="connecteur concerné")
    q.add_argument("--file", metavar="X.bak", help="reimporter : fichier reçu contenant la commande")
    q.add_argument("--document", metavar="N", help="reimporter : n° d'origine de la commande")
    q.add_argument("--name", metavar="DIAG", help="diagnostic : nom (tva, produits-absents, grilles-prix…)")
    q.add_argument("--user", metavar="NOM", help="auteur (défaut : l'utilisateur du système)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_add)
    q = asub.add_parser("list", help="lister les actions (en attente, terminées, en erreur)",
                        description="Les actions de la plus récente à la plus ancienne, avec leur état et leur "
                                    "résultat.")
    q.add_argument("--status", choices=["en_attente", "en_cours", "termine", "erreur"], help="un état seulement")
    q.add_argument("--connector", metavar="CODE", help="un connecteur seulement")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_list)
    q = asub.add_parser("run", help="exécuter maintenant les actions en attente",
                        description="Exécute les actions en attente (d'un connecteur et celles de tous les "
                                    "connecteurs, ou toutes). Code retour 1 si une action finit en erreur.")
    q.add_argument("--connector", metavar="CODE", help="les actions de ce connecteur seulement")
    q.add_argument("--user", metavar="NOM", help="auteur (défaut : l'utilisateur du système)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_run)


def _line(a: dict[str, Any]) -> str:
    params = ", ".join(f"{k} {v}" for k, v in a["params"].items())
    head = (f"n° {a['id']} [{a['status_fr']}] {a['label']} ({params}) — {a['connector'] or 'tous les connecteurs'}, "
            f"ajoutée le {a['created_at']:%d/%m/%Y %H:%M} par {a['created_by'] or '?'}"
            + (f", exécutée le {a['done_at']:%d/%m/%Y %H:%M}" if a["done_at"] else ""))
    return head + (f"\n    {a['result']}" if a["result"] else "")


def _add(args: argparse.Namespace) -> int:
    from ..history.actions import add, list_actions
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    params = {k: v for k, v in (("file", args.file), ("document", args.document), ("name", args.name)) if v}
    action_id = add(ws, args.kind, args.connector, params=params, user=args.user)
    a = next(x for x in list_actions(ws) if x["id"] == action_id)
    if args.json:
        print(json.dumps(a, ensure_ascii=False, default=str))
    else:
        print(f"Action ajoutée : {_line(a)}\nElle s'exécutera à la prochaine réception du connecteur "
              "(ou avec « econn actions run »).")
    return 0


def _print(rows: list[dict], as_json: bool, empty: str) -> None:
    """The actions as JSON, or one French line each (``empty`` when there is none)."""
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    for a in rows:
        print(_line(a))
    if not rows:
        print(empty)


def _list(args: argparse.Namespace) -> int:
    from ..history.actions import list_actions
    from ..store.workspace import resolve_workspace

    rows = list_actions(resolve_workspace(args.workspace), status=args.status, connector=args.connector)
    _print(rows, args.json, "Aucune action.")
    return 0


def _run(args: argparse.Namespace) -> int:
    from ..history.actions import FAILED, run_pending
    from ..store.workspace import resolve_workspace

    rows = run_pending(resolve_workspace(args.workspace), connector=args.connector, user=args.user)
    _print(rows, args.json, "Aucune action en attente.")
    return 1 if any(a["status"] == FAILED for a in rows) else 0
