"""``econn settings list|set``: the workspace settings (« Réglages ») that findings' hints name."""

from __future__ import annotations

import argparse
import json
import sys

from . import add_workspace_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="réglages de l'espace de travail (OSS, plafond de remise, seuils de "
                                        "sécurité, conservation de l'historique)",
                       description="Les réglages que citent les conseils des diagnostics (tva.oss, "
                                   "grilles.remise_max, securite.<opération>.seuil…), aussi modifiables sur la "
                                   "page Paramétrage, section « Réglages ». Chaque valeur est vérifiée avant "
                                   "d'être enregistrée ; une valeur vide rétablit le défaut.")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    ssub.required = True
    q = ssub.add_parser("list", help="lister les réglages, leur valeur et les valeurs permises",
                        description="Chaque réglage : clé, valeur (ou défaut), valeurs permises, libellé.")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_list)
    q = ssub.add_parser("set", help="modifier un réglage (vérifié ; valeur vide : défaut)",
                        description="Enregistre un réglage après vérification (ex. « econn settings set tva.oss oui », "
                                    "« econn settings set grilles.remise_max 40 »). Une valeur vide (\"\") rétablit "
                                    "le défaut. Le changement est inscrit dans l'historique. Code retour 2 si la "
                                    "valeur est refusée (rien n'est enregistré).")
    q.add_argument("key", metavar="CLE", help="clé du réglage (voir « econn settings list »)")
    q.add_argument("value", metavar="VALEUR", help="nouvelle valeur (\"\" : valeur par défaut)")
    q.add_argument("--user", metavar="NOM", help="auteur du changement (défaut : l'utilisateur du système)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_set)


def _shown(v: object) -> str:
    return str(v).replace(".", ",") if v is not None else "non renseigné"


def _list(args: argparse.Namespace) -> int:
    from ..config.workspace_settings import list_settings
    from ..store.workspace import resolve_workspace

    rows = list_settings(resolve_workspace(args.workspace))
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        s = r.setting
        unit = f" {s.unit}" if s.unit and r.effective is not None else ""
        value = f"{_shown(r.effective)}{unit}" + ("" if r.stored not in (None, "") else " (défaut)")
        extra = " — interne, écrit par econn" if s.internal else f" — {s.allowed()}"
        print(f"{s.key} = {value}\n    {s.label}{extra}")
    return 0


def _set(args: argparse.Namespace) -> int:
    from ..config.workspace_settings import SettingError, set_value
    from ..store.workspace import resolve_workspace

    try:
        r = set_value(resolve_workspace(args.workspace), args.key, args.value, user=args.user)
    except SettingError as exc:
        if args.json:
            print(json.dumps({"ok": False, "errors": exc.errors}, ensure_ascii=False))
        for key, msg in exc.errors.items():
            print(f"econn : réglage {key} : {msg}. Rien n'a été enregistré.", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"ok": True, "setting": r.to_dict()}, ensure_ascii=False))
    else:
        unit = f" {r.setting.unit}" if r.setting.unit and r.effective is not None else ""
        default = "" if r.stored not in (None, "") else " (défaut)"
        print(f"Réglage {r.setting.key} = {_shown(r.effective)}{unit}{default} : {r.setting.label}.")
    return 0
