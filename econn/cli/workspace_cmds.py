"""Workspace commands: ``econn demo``, ``econn import``, ``econn status``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import add_map_arg, add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="construire l'espace de démonstration (déterministe)",
                       description="Construit l'espace de démonstration : données GC, connecteurs FACIL et CSV, "
                                   "fichiers CSV en attente avec des problèmes plantés.")
    p.add_argument("--out", metavar="DIR", default=None, help="dossier cible (défaut : data/demo)")
    p.add_argument("--force", action="store_true", help="remplacer un espace existant")
    p.add_argument("--reset", action="store_true",
                   help="réinitialiser la démo en place (même graine, même jour) : mode formateur")
    p.set_defaults(func=_demo)

    p = sub.add_parser("import", help="importer un export de référence de la GC (CSV ou .xlsx)",
                       description="Charge un export de la GC dans l'espace de travail ; tout ou rien.")
    p.add_argument("kind", choices=["articles", "tiers", "tva", "unites", "pays", "reglements", "grilles",
                                    "entreprises", "sites", "transporteurs"],
                   help="type de données")
    p.add_argument("file", help="fichier CSV ou .xlsx")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--replace", action="store_true",
                      help="vider la table avant l'import (grilles : les règles actuelles sont d'abord sauvegardées "
                           "en CSV)")
    mode.add_argument("--append", action="store_true",
                      help="grilles : ajouter les règles du fichier aux règles actuelles (sans --replace ni "
                           "--append, un espace qui a déjà des règles refuse le fichier)")
    p.add_argument("--backup-dir", metavar="DOSSIER",
                   help="grilles --replace : dossier de la sauvegarde CSV (défaut : sauvegardes/ dans l'espace)")
    p.add_argument("--format", metavar="ID", dest="source_format",
                   help="export de GC imposé (sage100-articles, gestimum-tiers…) ; défaut : reconnu d'après "
                        "l'entête (voir docs/formats.md)")
    add_map_arg(p)
    p.add_argument("--connector", metavar="CODE",
                   help="appliquer les correspondances d'en-têtes mémorisées de ce connecteur (econn headers)")
    add_workspace_arg(p)
    p.set_defaults(func=_import)

    p = sub.add_parser("status", help="état de l'espace de travail : connecteurs, fichiers en attente",
                       description="Résumé de l'espace de travail (page d'accueil en texte) : par connecteur, "
                                   "fichiers en attente, dernière réception, dernier envoi, erreurs non traitées "
                                   "et compteurs des 48 dernières heures. Comme à l'ouverture de la page "
                                   "d'accueil, seuls les connecteurs dont la mise à jour des réceptions se fait "
                                   "« A l'ouverture de l'application » ont leur dossier analysé et un "
                                   "avertissement quand des données attendent ; --refresh analyse aussi les "
                                   "autres (bouton « Actualiser les réceptions »).")
    add_workspace_arg(p)
    p.add_argument("--refresh", action="store_true",
                   help="analyser aussi les dossiers des connecteurs en mise à jour manuelle")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=_status)


def _demo(args: argparse.Namespace) -> int:
    from ..demo import build_demo
    from ..store.workspace import resolve_workspace

    out = resolve_workspace(args.out)
    if args.reset:
        from ..demo.trainer import reset_demo

        print(reset_demo(out))
        return 0
    report = build_demo(out, force=args.force)
    print(f"Espace de démonstration prêt : {out} ({report})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..reading.headers import parse_map
    from ..reading.reference import import_reference
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    rep = import_reference(ws, args.kind, args.file,
                           replace=True if args.replace else False if args.append else None,
                           source_format=args.source_format, header_map=parse_map(args.map, args.kind),
                           connector=args.connector, backup_dir=args.backup_dir)
    msg = f"{rep.rows} ligne(s) lue(s) : {rep.inserted} ajoutée(s), {rep.updated} mise(s) à jour dans {ws}"
    if rep.replaced:
        msg += (f"\n{rep.replaced} règle(s) tarifaire(s) remplacée(s) par les {rep.rows} du fichier (--replace)"
                if args.kind == "grilles" else f"\n{rep.replaced} ligne(s) supprimée(s) avant l'import (--replace)")
    if rep.backup:
        msg += f" ; sauvegarde : {rep.backup}"
    if rep.format:
        from ..reading.formats import get_format

        msg = f"Format reconnu : {get_format(rep.format).label}\n" + msg
    for note in rep.notes:
        msg += f" ; {note}"
    if rep.ignored_columns:
        msg += f" ; colonnes ignorées : {', '.join(rep.ignored_columns)}"
    print(msg)
    return 0


def _status(args: argparse.Namespace) -> int:
    from ..history.overview import connector_overview, pending_warning
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    rows = connector_overview(ws, at_opening=not args.refresh)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print("Aucun connecteur paramétré.")
    for r in rows:
        print(_status_text(r))
    warning = pending_warning(rows)
    if warning:
        print(f"Avertissement : {warning}")
    return 0


def _when(value: object) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if hasattr(value, "strftime") else "—"


def _count(n: int, word: str) -> str:
    """« 0 alerte », « 1 alerte », « 2 alertes » (French puts 0 and 1 in the singular)."""
    return f"{n} {word}" if abs(n) < 2 or word.endswith("s") else f"{n} {word}s"


def _status_text(r: dict[str, Any]) -> str:
    """One connector as the home page shows it, in a few lines of text."""
    refresh = "à l'ouverture" if r["refresh"] == "ouverture" else "manuelle"
    n = r["pending_files"]
    pending = "non analysés (mise à jour manuelle : econn status --refresh)" if n is None else _count(n, "fichier")
    errors = int(r["open_errors"])
    state = ("aucune erreur" if not errors
             else f"{_count(errors, 'erreur')} non traitée{'s' if errors > 1 else ''}")
    return (f"{r['code']} ({r['partner']}, {str(r['mode']).upper()}, mise à jour des réceptions : {refresh})\n"
            f"  état des synchronisations : {state}\n"
            f"  en attente : {pending} ; dernière réception : {_when(r['last_reception'])}\n"
            f"  dernier envoi : {_when(r['last_send'])}\n"
            f"  48 h : {_count(r['succes_48h'], 'succès')} / {_count(r['alertes_48h'], 'alerte')} / "
            f"{_count(r['erreurs_48h'], 'erreur')}")
