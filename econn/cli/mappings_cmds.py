"""Correspondence commands: ``econn mappings export|import|suggest|stale``."""

from __future__ import annotations

import argparse
import sys

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mappings", help="correspondances : export/import Excel, suggestions, obsolètes",
                       description="Correspondances entre valeurs externes et valeurs de la GC.")
    msub = p.add_subparsers(dest="mappings_command", metavar="ACTION")
    msub.required = True

    e = msub.add_parser("export", help="écrire les correspondances dans un classeur Excel",
                        description="Une feuille par domaine, valeurs à traiter en premier, "
                                    "listes déroulantes des valeurs GC.")
    add_workspace_arg(e)
    e.add_argument("--xlsx", metavar="FICHIER", required=True, help="classeur .xlsx à écrire")
    e.add_argument("--connector", metavar="C", default=None, help="seulement ce connecteur")
    e.set_defaults(func=_export)

    i = msub.add_parser("import", help="relire un classeur exporté et appliquer les lignes modifiées",
                        description="Valide chaque ligne ; code de sortie 1 si des lignes sont refusées, "
                                    "2 si le fichier n'est pas un export econn.")
    add_workspace_arg(i)
    i.add_argument("--xlsx", metavar="FICHIER", required=True, help="classeur .xlsx exporté par econn")
    i.set_defaults(func=_import)

    s = msub.add_parser("suggest", help="calculer et enregistrer les suggestions pour des valeurs externes",
                        description="Enregistre la meilleure suggestion de chaque valeur (état « suggere », "
                                    "ou « aucune » si rien ne correspond) sans toucher aux lignes validées.")
    add_workspace_arg(s)
    s.add_argument("--connector", metavar="C", required=True, help="code du connecteur")
    s.add_argument("--domain", required=True, help="domaine de correspondance",
                   choices=["tva", "unite", "pays", "reglement", "article", "tiers"])
    s.add_argument("--country", default=None, help="pays du flux (pour « Taux normal »)")
    s.add_argument("values", nargs="+", metavar="VALEUR", help="valeurs externes")
    s.set_defaults(func=_suggest)

    st = msub.add_parser("stale",
                         help="lister les correspondances vers des valeurs GC supprimées ou en sommeil",
                         description="Constats COR-STALE ; code de sortie 1 s'il y en a.")
    add_workspace_arg(st)
    st.set_defaults(func=_stale)


def _export(args: argparse.Namespace) -> int:
    from ..mappings.excel import SHEETS, export_xlsx
    from ..store.workspace import resolve_workspace

    counts = export_xlsx(resolve_workspace(args.workspace), args.xlsx, args.connector)
    detail = ", ".join(f"{SHEETS[d]} {n}" for d, n in counts.items())
    print(f"Classeur écrit : {args.xlsx} ({detail})")
    print(f"À renseigner en tête de feuille : {counts.pending} valeur(s) sans correspondance des fichiers en "
          f"attente, {counts.without_code} article(s) GC envoyé(s) sans code externe.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..mappings.excel import MappingFileError, import_xlsx
    from ..store.workspace import resolve_workspace

    try:
        res = import_xlsx(resolve_workspace(args.workspace), args.xlsx)
    except MappingFileError as exc:
        print(f"econn : {exc.message_fr}", file=sys.stderr)
        return 2
    for c in res.changed:
        print(f"modifié  {c.sheet} ligne {c.row} : {c.connector} « {c.external_value} » "
              f"{c.old_gc or '—'} ({c.old_state or 'nouveau'}) → {c.new_gc or '—'} ({c.new_state})")
    for r in res.refused:
        print(f"refusé   {r.sheet} ligne {r.row} : « {r.external_value} » : {r.reason}")
    print(f"{len(res.changed)} modifiée(s), {len(res.refused)} refusée(s), {res.unchanged} inchangée(s).")
    return 0 if res.ok else 1


def _suggest(args: argparse.Namespace) -> int:
    from ..mappings.correspondences import record_suggestions
    from ..mappings import suggest
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    found = suggest(ws, args.connector, args.domain, args.values, country=args.country)
    for value, cands in found.items():
        if not cands:
            print(f"« {value} » : aucune suggestion")
        for s in cands[:3]:
            print(f"« {value} » → {s.gc_value}  {s.score:.2f}  {s.reason}")
    n = record_suggestions(ws, args.connector, args.domain, args.values, country=args.country)
    print(f"{n} suggestion(s) enregistrée(s).")
    return 0


def _stale(args: argparse.Namespace) -> int:
    from ..mappings.correspondences import stale
    from ..store.workspace import resolve_workspace

    found = stale(resolve_workspace(args.workspace))
    for f in found:
        print(f"{f.code} {f.level.value} : {f.message}")
    if not found:
        print("Aucune correspondance obsolète.")
    return 1 if found else 0
