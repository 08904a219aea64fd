"""``econn backup`` and ``econn restore``: a consistent copy of the workspace store, and its return."""

from __future__ import annotations

import argparse

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sauvegarder la base de l'espace de travail (fichier .zip)",
                       description="Écrit une copie cohérente de econn.duckdb (avec un manifeste : version, date, "
                                   "empreinte sha256) dans un fichier .zip. Les dossiers des connecteurs (fichiers "
                                   "CSV en attente) ne sont pas inclus : copiez-les avec le dossier.")
    add_workspace_arg(p)
    p.add_argument("--out", metavar="FICHIER", required=True, help="fichier de sauvegarde (.zip)")
    p.set_defaults(func=_backup)

    p = sub.add_parser("restore", help="restaurer la base de l'espace de travail depuis une sauvegarde",
                       description="Vérifie que le fichier est une sauvegarde econn, garde la base actuelle sous "
                                   "econn.duckdb.avant-restauration, puis la remplace. Un fichier étranger ou "
                                   "endommagé est refusé et rien n'est modifié.")
    add_workspace_arg(p)
    p.add_argument("file", metavar="FICHIER", help="sauvegarde créée par « econn backup »")
    p.add_argument("--force", action="store_true",
                   help="remplacer une copie econn.duckdb.avant-restauration déjà présente")
    p.set_defaults(func=_restore)


def _backup(args: argparse.Namespace) -> int:
    from ..store.backup import backup
    from ..store.workspace import resolve_workspace

    out = backup(resolve_workspace(args.workspace), args.out)
    print(f"Sauvegarde écrite : {out}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from ..store.backup import restore
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    rep = restore(ws, args.file, force=args.force)
    kept = f" ; ancienne base gardée sous {rep.kept_as.name}" if rep.kept_as else ""
    print(f"Base restaurée depuis {rep.restored_from} (sauvegarde du {rep.created}){kept}.")
    return 0
