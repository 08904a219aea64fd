"""Connector commands: ``econn connectors list|show|create|set|duplicate|delete``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    from ..config.connectors import FIELDS

    p = sub.add_parser("connectors", help="paramétrage des connecteurs (créer, modifier, dupliquer, supprimer)",
                       description="Paramètres > Sites > E-connecteur : la liste des connecteurs et leur paramétrage "
                                   "en trois étapes (communication, envois, réceptions).")
    csub = p.add_subparsers(dest="action", metavar="ACTION")
    csub.required = True

    q = csub.add_parser("list", help="liste des connecteurs", description="Liste des connecteurs.")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_list)

    q = csub.add_parser("show", help="paramètres d'un connecteur", description="Paramètres d'un connecteur, par étape.")
    q.add_argument("code", help="code du connecteur")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_show)

    q = csub.add_parser("create", help="créer un connecteur",
                        description="Crée un connecteur ; tout est vérifié avant l'enregistrement (rien n'est "
                                    "enregistré si un paramètre est invalide). Booléens : oui/non.")
    q.add_argument("code", help="code du nouveau connecteur (majuscules, chiffres, - ou _)")
    for f in FIELDS:
        if f.name == "code":
            continue
        q.add_argument("--" + f.name.replace("_", "-"), dest=f.name, metavar="VALEUR",
                       help=f"{f.label}{' *' if f.required else ''}"
                            + (f" ({', '.join(v for v, _ in f.choices)})" if f.choices else "")
                            + (f" — {f.help}" if f.help else ""))
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_create)

    q = csub.add_parser("set", help="modifier des paramètres : CLE=VALEUR…",
                        description="Modifie des paramètres d'un connecteur (ex. export_dir=/srv/export "
                                    "send_contacts=oui). Une valeur vide efface le paramètre.")
    q.add_argument("code", help="code du connecteur")
    q.add_argument("assignments", nargs="+", metavar="CLE=VALEUR", help="paramètres à modifier")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_set)

    q = csub.add_parser("duplicate", help="dupliquer un connecteur",
                        description="Copie les paramètres sous un nouveau code (dossiers par défaut du nouveau code ; "
                                    "les correspondances ne sont pas copiées).")
    q.add_argument("source", help="connecteur à copier")
    q.add_argument("target", help="nouveau code")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_duplicate)

    q = csub.add_parser("delete", help="supprimer un connecteur",
                        description="Supprime un connecteur. Refusé s'il a des correspondances ou des documents "
                                    "intégrés ; --force le supprime avec ses correspondances (documents, historique "
                                    "et fichiers conservés).")
    q.add_argument("code", help="code du connecteur")
    q.add_argument("--force", action="store_true", help="supprimer aussi ses correspondances")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_delete)


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["a=1", "b="]`` → ``{"a": "1", "b": ""}``; a missing ``=`` is refused in French."""
    from ..config.connectors import ConnectorValidationError

    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ConnectorValidationError({item: f"« {item} » : écrivez CLE=VALEUR (ex. depot=DEP1)."})
        key, value = item.split("=", 1)
        out[key.strip().replace("-", "_")] = value
    return out


def _validation_json(exc: Any) -> int:
    print(json.dumps({"ok": False, "errors": exc.errors, "message": exc.message_fr}, ensure_ascii=False, indent=2))
    return 2


def _print_settings(s: Any) -> None:
    from ..config.connectors import FIELDS, STEPS

    print(f"Connecteur {s.code}")
    for step, title in STEPS.items():
        print(f"  {title}")
        for f in FIELDS:
            if f.step != step:
                continue
            v = s.to_dict()[f.name]
            shown = "oui" if v is True else "non" if v is False else "" if v is None else str(v)
            if f.name == "file_delimiter" and v == "\t":
                shown = "tabulation"
            if f.choices and f.kind == "choice":
                shown = dict(f.choices).get(str(v), shown)
            print(f"    {f.label} : {shown or '—'}")


def _list(args: argparse.Namespace) -> int:
    from ..config.connectors import summary
    from ..store.workspace import resolve_workspace

    df = summary(resolve_workspace(args.workspace))
    if args.json:
        print(json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str))
        return 0
    if df.empty:
        print("Aucun connecteur.")
        return 0
    titles = ["Code", "En liaison avec", "Mode", "Envoi des articles", "Envoi des clients", "Réception des documents",
              "Réception des tiers"]
    data = [[str(v) for v in r[:7]] for r in df.itertuples(index=False)]
    widths = [max(len(t), *(len(r[i]) for r in data)) for i, t in enumerate(titles)]
    print("  ".join(t.ljust(w) for t, w in zip(titles, widths)))
    for r in data:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


def _show(args: argparse.Namespace) -> int:
    from ..config.connectors import get
    from ..store.workspace import resolve_workspace

    s = get(resolve_workspace(args.workspace), args.code)
    if args.json:
        print(json.dumps(s.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_settings(s)
    return 0


def _run_write(args: argparse.Namespace, fn: Any, done: str) -> int:
    from ..config.connectors import ConnectorValidationError

    try:
        s = fn()
    except ConnectorValidationError as exc:
        if args.json:
            return _validation_json(exc)
        print("econn : paramètres invalides, rien n'a été enregistré :", file=sys.stderr)
        from ..config.connectors import FIELD_BY_NAME

        for k, v in exc.errors.items():
            label = FIELD_BY_NAME[k].label if k in FIELD_BY_NAME else k
            print(f"  {label} ({k}) : {v}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"ok": True, "connector": s.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(done.format(code=s.code))
    return 0


def _create(args: argparse.Namespace) -> int:
    from ..config.connectors import FIELDS, create
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    values = {f.name: getattr(args, f.name) for f in FIELDS if f.name != "code" and getattr(args, f.name) is not None}
    return _run_write(args, lambda: create(ws, code=args.code, **values), "Connecteur {code} créé.")


def _set(args: argparse.Namespace) -> int:
    from ..config.connectors import update
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    return _run_write(args, lambda: update(ws, args.code, **parse_assignments(args.assignments)),
                      "Connecteur {code} modifié.")


def _duplicate(args: argparse.Namespace) -> int:
    from ..config.connectors import duplicate
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    return _run_write(args, lambda: duplicate(ws, args.source, args.target),
                      f"Connecteur {args.source} dupliqué en {{code}}.")


def _delete(args: argparse.Namespace) -> int:
    from ..config.connectors import delete
    from ..store.workspace import resolve_workspace

    dep = delete(resolve_workspace(args.workspace), args.code, force=args.force)
    if args.json:
        print(json.dumps({"ok": True, "deleted": args.code, "correspondences_deleted": dep.correspondences,
                          "documents_kept": dep.documents, "history_kept": dep.history}, ensure_ascii=False))
    else:
        extra = f" avec {dep.correspondences} correspondance(s)" if dep.correspondences else ""
        print(f"Connecteur {args.code} supprimé{extra} ; documents et historique conservés.")
    return 0
