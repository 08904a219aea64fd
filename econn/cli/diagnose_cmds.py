"""Diagnostic commands: ``econn diagnose NAME`` (and the cleanup's ``--apply``), ``econn securite lever``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from itertools import groupby
from typing import Any

from . import add_workspace_arg

NAMES = ["produits-absents", "tva", "doublons-simple", "doublons-complet", "grilles-prix", "nettoyage-grilles"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (attendu AAAA-MM-JJ)") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diagnose", help="lancer un diagnostic ERO (produits absents, TVA, doublons, grilles de prix…)",
        description="Lance un diagnostic sur l'espace de travail et affiche ses constats. Code de sortie : 0 sans "
                    "erreur, 1 si un constat est de niveau erreur, 2 si le diagnostic n'a pas pu tourner. "
                    "« nettoyage-grilles » affiche le plan de nettoyage (aucune suppression) ; avec --apply et "
                    "--backup-dir, il supprime les règles du plan après une sauvegarde CSV, sous le contrôle du "
                    "mode de sécurité (voir « econn securite lever »).",
        epilog="Exemples : econn diagnose tva --xlsx tva.xlsx ; econn diagnose nettoyage-grilles --apply "
               "--backup-dir sauvegardes --justification \"règles expirées de 2025\"")
    p.add_argument("name", choices=NAMES, metavar="NOM", help="diagnostic : " + ", ".join(NAMES))
    add_workspace_arg(p)
    p.add_argument("--connector", metavar="CODE", help="limiter au connecteur CODE")
    p.add_argument("--json", action="store_true", help="sortie JSON (diagnostic, findings, clusters)")
    p.add_argument("--xlsx", metavar="FICHIER", help="écrire aussi le rapport Excel dans FICHIER")
    p.add_argument("--today", metavar="AAAA-MM-JJ", type=_date, help="date de référence (défaut : aujourd'hui)")
    p.add_argument("--apply", action="store_true",
                   help="nettoyage-grilles seulement : supprimer les règles du plan (après sauvegarde)")
    p.add_argument("--backup-dir", metavar="DOSSIER", help="dossier de la sauvegarde CSV (obligatoire avec --apply)")
    p.add_argument("--justification", metavar="TEXTE", help="motif du nettoyage, conservé dans l'historique")
    p.add_argument("--user", metavar="NOM", help="auteur de l'action (défaut : l'utilisateur du système)")
    p.set_defaults(func=_diagnose)

    p = sub.add_parser("securite", help="mode de sécurité : lever un blocage SEC-SEUIL avec justification",
                       description="Le mode de sécurité bloque une opération qui dépasse son seuil (SEC-SEUIL). "
                                   "« lever » autorise une fois, pendant 24 h, la prochaine exécution de "
                                   "l'opération ; une justification écrite est obligatoire (au moins 10 caractères, avec des "
                                   "lettres, comme pour « econn history resolve ») et conservée dans l'historique.")
    ssub = p.add_subparsers(dest="action", metavar="ACTION")
    ssub.required = True
    lp = ssub.add_parser("lever", help="lever le mode de sécurité pour une opération",
                         description="Autorise une fois l'opération bloquée par SEC-SEUIL.")
    from ..diagnostics.safety import OPERATIONS

    lp.add_argument("--operation", required=True, choices=list(OPERATIONS), metavar="OP",
                    help="opération : " + ", ".join(OPERATIONS))
    lp.add_argument("--justification", required=True, metavar="TEXTE", help="justification écrite (obligatoire)")
    lp.add_argument("--user", metavar="NOM", help="auteur de la levée (défaut : l'utilisateur du système)")
    add_workspace_arg(lp)
    lp.set_defaults(func=_lift)


def _print_human(result: Any) -> None:
    from ..diagnostics.registry import title
    from ..findings import Level

    counts = {lv: sum(1 for f in result.findings if f.level == lv) for lv in Level}
    print(f"Diagnostic « {title(result.name)} » : {len(result.findings)} constat(s) — "
          f"{counts[Level.ERREUR]} erreur(s), {counts[Level.ALERTE]} alerte(s), {counts[Level.SUCCES]} succès "
          f"({result.seconds:.2f} s)")
    for code, group in groupby(sorted(result.findings, key=lambda f: (-f.level.rank, f.code)), key=lambda f: f.code):
        items = list(group)
        # One hint for the code when its findings share it; else each finding's own (a nettoyage says why
        # each rule goes).
        shared = len({f.hint for f in items}) == 1
        print(f"\n{code} ({len(items)})" + (f" — {items[0].hint}" if shared else ""))
        for f in items:
            where = " ".join(x for x in (f.source, f"ligne {f.line}" if f.line else None) if x)
            print(f"  [{f.level.value}] {f.subject or ''} : {f.message}" + (f" ({where})" if where else ""))
            if not shared and f.hint:
                print(f"      → {f.hint}")
    if result.clusters:
        print(f"\nGroupes de doublons ({len(result.clusters)}) :")
        for c in result.clusters:
            ev = c.get("evidence")
            ev = ev if isinstance(ev, str) else f"score {c.get('score')}"  # the fuzzy one gives structured evidence
            print(f"  {c['id']} : {', '.join(map(str, c['members']))} — garder {c.get('keep')} ({ev})")


def _diagnose(args: argparse.Namespace) -> int:
    from ..diagnostics import registry
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    if args.apply:
        return _apply(args, ws)
    result = registry.run(args.name, ws, connector=args.connector, today=args.today)
    if args.xlsx:
        from ..diagnostics.excel import write_report

        write_report(result, args.xlsx)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_human(result)
        if args.xlsx:
            print(f"\nRapport Excel : {args.xlsx}")
    return result.exit_code


def _apply(args: argparse.Namespace, ws: Any) -> int:
    from ..diagnostics import grid_cleanup
    from ..diagnostics.safety import current_user
    from ..errors import EconnError

    if args.name != "nettoyage-grilles":
        raise EconnError("--apply only for nettoyage-grilles",
                         "--apply ne s'utilise qu'avec « nettoyage-grilles ».")
    if not args.backup_dir:
        raise EconnError("--apply needs --backup-dir", "--apply demande --backup-dir DOSSIER (sauvegarde CSV).")
    plan = grid_cleanup.plan(ws, today=args.today)
    ids = [e["id"] for e in plan.extra["plan"]]
    res = grid_cleanup.apply(ws, ids, backup_dir=args.backup_dir, user=args.user or current_user(),
                             justification=args.justification, today=args.today, connector=args.connector)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2, default=str))
    elif res["status"] == "bloque":
        print(f"Nettoyage bloqué par le mode de sécurité : {res['finding']['message']}\n{res['finding']['hint']}")
    elif res["status"] == "rien":
        print("Rien à nettoyer : aucune règle expirée, en double ou orpheline.")
    else:
        print(f"{res['removed']} règle(s) supprimée(s) : {', '.join(res['refs'])}\nSauvegarde : {res['backup']}")
    return 1 if res["status"] == "bloque" else 0


def _lift(args: argparse.Namespace) -> int:
    from ..diagnostics import safety
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    safety.lift(ws, args.operation, args.user or safety.current_user(), args.justification)
    print(f"Mode de sécurité levé une fois pour « {args.operation} » (valable {safety.LIFT_HOURS} h) ; "
          "levée enregistrée dans l'historique.")
    return 0
