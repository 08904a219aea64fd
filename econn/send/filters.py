"""The custom filter language of a send (``articles_filter``, ``clients_filter``), compiled to SQL.

A small language, compiled to SQL with bound values (never pasted SQL):

* ``PUB`` — family PUB; ``PUB,VIN`` — family PUB or VIN;
* ``champ=valeur`` (also ``!=``, ``<``, ``<=``, ``>``, ``>=``); ``=``/``!=`` compare text without regard to case,
  accept a comma list (``famille=VIN,EFF``) and ``*`` as a wildcard (``code=VIN*``);
* ``champ~texte`` — contains the text (case-insensitive);
* clauses joined by ``ET`` (or ``AND``, ``&``).

Fields — articles: code, libelle, famille, unite, code_tva, ean, prix_ht, prix_achat, export, actif;
clients: code, type, societe, civilite, nom, prenom, email, telephone, mobile, code_postal (cp), ville, pays,
siret, tva_intra, famille, categorie_tarifaire.
"""

from __future__ import annotations

import re
from typing import Any

from .. import store
from ..errors import EconnError


class FilterError(EconnError):
    """A custom filter that cannot be read; ``message_fr`` says where."""


_TEXT, _NUM, _BOOL = "text", "number", "bool"
FILTER_FIELDS: dict[str, dict[str, str]] = {
    "articles": {"code": _TEXT, "libelle": _TEXT, "famille": _TEXT, "unite": _TEXT, "code_tva": _TEXT,
                 "ean": _TEXT, "prix_ht": _NUM, "prix_achat": _NUM, "export": _BOOL, "actif": _BOOL},
    "clients": {"code": _TEXT, "type": _TEXT, "societe": _TEXT, "civilite": _TEXT, "nom": _TEXT, "prenom": _TEXT,
                "email": _TEXT, "telephone": _TEXT, "mobile": _TEXT, "code_postal": _TEXT, "ville": _TEXT,
                "pays": _TEXT, "siret": _TEXT, "tva_intra": _TEXT, "famille": _TEXT,
                "categorie_tarifaire": _TEXT},
}
_ALIASES = {"cp": "code_postal", "libellé": "libelle", "désignation": "libelle", "designation": "libelle",
            "tva": "code_tva", "société": "societe", "prénom": "prenom", "e-mail": "email", "mail": "email",
            "catégorie": "categorie_tarifaire", "categorie": "categorie_tarifaire", "unité": "unite"}
_AND = re.compile(r"(?:^|\s+)(?:ET|et|Et|AND|and)(?:\s+|$)|\s*&&?\s*")
_CLAUSE = re.compile(r"\s*([A-Za-zéèÉ_-]+)\s*(!=|<>|>=|<=|=|>|<|~)\s*(.*?)\s*")
_FAMILIES = re.compile(r"[A-Za-z0-9_.-]+(\s*,\s*[A-Za-z0-9_.-]+)*")


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def compile_filter(expr: str, domain: str, alias: str = "") -> tuple[str, list[Any]]:
    """Compile a custom filter (see the module docstring) into a SQL condition with bound values.

    Args:
        expr: the filter as the user typed it (``PUB``, ``famille=VIN ET prix_ht>=10``).
        domain: ``articles`` or ``clients``.
        alias: table alias to qualify the columns with (``a`` → ``a."famille"``).

    Returns:
        (SQL condition, parameters).

    Raises:
        FilterError: unknown field, operator or value; the French message quotes the clause.
    """
    from ..reading.values import parse_decimal

    allowed = FILTER_FIELDS[domain]
    prefix = f"{alias}." if alias else ""
    text = (expr or "").strip()
    if not text:
        raise FilterError("empty filter", "Filtre vide.")
    parts: list[str] = []
    params: list[Any] = []
    for clause in _AND.split(text):
        if not clause.strip():
            raise FilterError(f"empty clause in {expr!r}", f"Filtre « {expr} » : condition vide autour de « ET ».")
        m = _CLAUSE.fullmatch(clause)
        if m is None:
            if _FAMILIES.fullmatch(clause.strip()):
                fams = [f.strip().lower() for f in clause.split(",")]
                parts.append(f"lower({prefix}famille) IN ({', '.join('?' for _ in fams)})")
                params += fams
                continue
            raise FilterError(f"unreadable clause {clause!r}",
                              f"Filtre : « {clause.strip()} » incompris. Écrivez une famille (PUB), une liste "
                              "(PUB,VIN) ou « champ=valeur » (ex. famille=VIN ET prix_ht>=10).")
        name, op, value = m.group(1).lower(), m.group(2), m.group(3)
        name = _ALIASES.get(name, name)
        if name not in allowed:
            raise FilterError(f"unknown field {name!r}",
                              f"Filtre : champ « {m.group(1)} » inconnu. Champs possibles : {', '.join(allowed)}.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        col = f"{prefix}{store.quote_ident(name)}"
        kind = allowed[name]
        op = "!=" if op == "<>" else op
        if kind == _BOOL:
            low = value.strip().lower()
            if op not in ("=", "!=") or low not in ("oui", "non", "vrai", "faux", "true", "false", "1", "0"):
                raise FilterError(f"bad boolean clause {clause!r}", f"Filtre : « {clause.strip()} » — écrivez "
                                  f"{name}=oui ou {name}=non.")
            truth = low in ("oui", "vrai", "true", "1")
            parts.append(f"coalesce({col}, false) {'=' if op == '=' else '!='} ?")
            params.append(truth)
        elif kind == _NUM:
            if op == "~":
                raise FilterError(f"~ on number {name}", f"Filtre : « ~ » (contient) ne s'applique pas au "
                                  f"nombre {name}.")
            number = parse_decimal(value)
            if number is None:
                raise FilterError(f"bad number {value!r}", f"Filtre : « {value} » n'est pas un nombre "
                                  f"(dans « {clause.strip()} »).")
            parts.append(f"{col} {op} ?")
            params.append(number)
        elif op == "~":
            parts.append(f"{col} ILIKE ? ESCAPE '\\'")
            params.append("%" + _like_pattern(value) + "%")
        elif op in ("=", "!="):
            alts = [v.strip() for v in value.split(",")] if "," in value else [value.strip()]
            conds = []
            for v in alts:
                if "*" in v:
                    conds.append(f"{col} ILIKE ? ESCAPE '\\'")
                    params.append(_like_pattern(v))
                else:
                    conds.append(f"lower({col}) = lower(?)")
                    params.append(v)
            cond = "(" + " OR ".join(conds) + ")"
            parts.append(cond if op == "=" else f"NOT coalesce({cond}, false)")
        else:
            parts.append(f"{col} {op} ?")
            params.append(value)
    return "(" + " AND ".join(parts) + ")", params
