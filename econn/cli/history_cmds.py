"""``econn history``: the synchronisation history, closing errors, retention."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import math
import os
from typing import Any

from . import add_workspace_arg

_SUBCOMMANDS = ("resolve", "purge", "settings")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="historique des synchronisations (réceptions, envois, erreurs)",
                       description="Historique des synchronisations, du plus récent au plus ancien, sur la durée de "
                                   "conservation (2 mois par défaut ; les erreurs encore ouvertes restent listées "
                                   "quel que soit leur âge). Sous-commandes : "
                                   "« econn history resolve ID --justification TEXTE », « econn history purge », "
                                   "« econn history settings --retention-months N ».")
    p.add_argument("--connector", metavar="CODE", help="un connecteur (défaut : tous)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="depuis le (jj/mm/aaaa ou aaaa-mm-jj)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="jusqu'au (inclus)")
    p.add_argument("--kind", choices=["receptions", "envois", "erreurs", "actions"], action="append",
                   help="onglet (répétable)")
    p.add_argument("--level", choices=["succès", "succes", "alerte", "erreur"], action="append",
                   help="niveau (répétable)")
    p.add_argument("--search", metavar="TEXTE", help="recherche dans la référence, les n° de document, le nom, "
                                                     "le message")
    p.add_argument("--open", action="store_true", help="erreurs non fermées seulement")
    p.add_argument("--limit", type=int, default=500, metavar="N", help="nombre de lignes (défaut : 500)")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="lignes à sauter (pagination)")
    add_workspace_arg(p)
    p.add_argument("--json", action="store_true", help="sortie JSON (chaque ligne porte son id)")
    p.set_defaults(func=_history)

    hsub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    hsub.required = False
    q = hsub.add_parser("resolve", help="fermer une erreur avec une justification obligatoire",
                        description="Ferme une erreur traitée manuellement (ex. document ressaisi en GC). "
                                    "La justification est obligatoire : au moins 10 caractères, avec des lettres "
                                    "(la règle de « econn securite lever ») ; l'erreur reste visible, fermée.")
    q.add_argument("id", type=int, help="n° (id) de la ligne d'historique")
    q.add_argument("--justification", required=True, metavar="TEXTE", help="pourquoi (ex. « ressaisi en GC »)")
    q.add_argument("--user", metavar="U", help="qui ferme (défaut : l'utilisateur du système)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_resolve)

    q = hsub.add_parser("purge", help="supprimer l'historique plus ancien que la durée de conservation",
                        description="Supprime les lignes plus anciennes que la durée de conservation (2 mois par "
                                    "défaut), sauf les erreurs encore ouvertes.")
    q.add_argument("--months", type=int, metavar="N", help="durée de conservation pour cette purge (mois)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_purge)

    q = hsub.add_parser("settings", help="durée de conservation de l'historique",
                        description="Affiche ou modifie la durée de conservation de l'historique (en mois).")
    q.add_argument("--retention-months", type=int, metavar="N", help="nouvelle durée (1 à 120 mois)")
    add_workspace_arg(q)
    q.add_argument("--json", action="store_true", help="sortie JSON")
    q.set_defaults(func=_settings)


def fr_amount(value: Any) -> str:
    """1234.56 → « 1 234,56 € » (no-break spaces)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def fr_date(value: Any, with_time: bool = False) -> str:
    """A date or timestamp as 22/11/2026 (and 09:36)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _clean(v: Any) -> Any:
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _history(args: argparse.Namespace) -> int:
    from ..history import query
    from ..store.workspace import resolve_workspace

    df = query(resolve_workspace(args.workspace), args.connector, date_from=args.date_from, date_to=args.date_to,
               kinds=args.kind, levels=args.level, search=args.search, open_only=args.open, limit=args.limit,
               offset=args.offset)
    total = df.attrs.get("total", len(df))
    if args.json:
        rows = [{k: _clean(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
        print(json.dumps({"total": total, "offset": args.offset, "rows": rows}, ensure_ascii=False, indent=2))
        return 0
    if df.empty:
        print("Aucune ligne d'historique pour ces critères.")
        return 0
    titles = ["N°", "Connecteur", "Niveau", "Type", "Date intégration", "Date achat", "N° doc origine", "N° doc GC",
              "Prénom/Nom", "Code tiers GC", "Code tiers origine", "Montant TTC", "N° règlement", "État", "Message"]
    lines = []
    for r in df.to_dict(orient="records"):
        state = r["state"]
        if state == "fermée":
            state = f"fermée ({r['closed_by']}, {fr_date(r['closed_at'])} : {r['justification']})"
        lines.append([str(r["id"]), r["connector"], r["level"], r["type"] or "", fr_date(r["date_integration"], True),
                      fr_date(r["date_achat"]), r["n_doc_origine"] or "", r["n_doc_gc"] or "", r["nom"] or "",
                      r["code_tiers_gc"] or "", r["code_tiers_origine"] or "", fr_amount(r["montant_ttc"]),
                      r["n_reglement"] or "", state, (r["message"] or "")[:90]])
    lines = [[("" if c is None or (isinstance(c, float) and math.isnan(c)) else str(c)) for c in ln] for ln in lines]
    widths = [max(len(t), *(len(ln[i]) for ln in lines)) for i, t in enumerate(titles)]
    right = {0, 11}
    print("  ".join(t.rjust(w) if i in right else t.ljust(w) for i, (t, w) in enumerate(zip(titles, widths))))
    for ln in lines:
        print("  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(ln, widths))))
    shown = f"{args.offset + 1}–{args.offset + len(df)}"
    print(f"{total} ligne(s) ; lignes {shown} affichées.")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    from ..history import resolve
    from ..store.workspace import resolve_workspace

    user = args.user or os.environ.get("ECONN_USER") or getpass.getuser()
    row = resolve(resolve_workspace(args.workspace), args.id, args.justification, user)
    if args.json:
        print(json.dumps({k: _clean(v) for k, v in row.items()}, ensure_ascii=False, indent=2))
    else:
        print(f"Erreur n° {row['id']} fermée par {row['closed_by']} le {fr_date(row['closed_at'], True)} : "
              f"{row['justification']}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from ..history import purge, retention_months
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    months = args.months if args.months is not None else retention_months(ws)
    n = purge(ws, months=months)
    if args.json:
        print(json.dumps({"deleted": n, "retention_months": months}))
    else:
        print(f"{n} ligne(s) d'historique de plus de {months} mois supprimée(s) (erreurs ouvertes conservées).")
    return 0


def _settings(args: argparse.Namespace) -> int:
    from ..history import retention_months, set_retention_months
    from ..store.workspace import resolve_workspace

    ws = resolve_workspace(args.workspace)
    months = set_retention_months(ws, args.retention_months) if args.retention_months is not None \
        else retention_months(ws)
    if args.json:
        print(json.dumps({"retention_months": months}))
    else:
        print(f"Durée de conservation de l'historique : {months} mois.")
    return 0
