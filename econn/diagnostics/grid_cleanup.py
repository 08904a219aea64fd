"""Action « nettoyage des grilles de prix »: a dry-run plan, then a backed-up, guarded, logged removal.

:func:`plan` lists exactly what would be removed and why: expired rules (end date in the past; a rule
whose dates are inverted is PRIX-DATES, to be fixed rather than removed), exact duplicates (the newest
of each group is kept) and orphans (missing or inactive article or client, unknown category).
:func:`apply` removes the chosen planned rules: safety mode first (SEC-SEUIL, operation
``grilles_suppression``), then a CSV backup of the rules written atomically, then the deletion and a
history row in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from typing import Any

import duckdb

from .. import findings, store
from ..errors import EconnError
from ..store.grid_backup import BackupError, backup_rules
from . import price_grids, safety
from .base import DiagnosticResult

NAME = "nettoyage-grilles"
OPERATION = "grilles_suppression"
CODES = ("PRIX-EXPIRE", "PRIX-DUP", "PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP", "SEC-SEUIL")


class CleanupError(EconnError):
    """The cleanup cannot run as asked (rules not in the plan, backup folder unusable)."""


def _reason(f: findings.Finding) -> str:
    """Why the nettoyage removes a rule, in French, from the finding's slots."""
    x = f.extra
    if f.code == "PRIX-EXPIRE":
        return f"expirée depuis le {x['end_date']:%d/%m/%Y}"
    if f.code == "PRIX-DUP":
        return f"doublon exact de {x['kept_rule']} (conservée)"
    if f.code == "PRIX-ORPH-ART":
        return f"article {x['article']} {x['detail']}"
    if f.code == "PRIX-ORPH-CLI":
        return f"client {x['client']} {x['detail']}"
    return f"catégorie {x['category']} inconnue"


def _plan(con: duckdb.DuckDBPyConnection, today: dt.date) -> tuple[list[dict[str, Any]], list[findings.Finding]]:
    """The rules to remove (id, ref, article, codes, French reasons) and one finding per reason.

    The findings are the « grilles de prix » diagnostic's own (:func:`price_grids.cleanup_findings`): same
    codes, same slots, same messages, as alerts whose hint says the nettoyage will remove the rule.
    """
    entries: dict[int, dict[str, Any]] = {}
    out: list[findings.Finding] = []
    for f in price_grids.cleanup_findings(con, today):
        why = _reason(f)
        e = entries.setdefault(f.extra["rule_id"], {"id": f.extra["rule_id"], "ref": f.subject,
                                                    "article": f.extra["article"], "codes": [], "reasons": []})
        e["codes"].append(f.code)
        e["reasons"].append(why)
        out.append(dataclasses.replace(f, level=findings.Level.ALERTE,
                                       hint=f"Sera supprimée par le nettoyage : {why}."))
    order = {c: i for i, c in enumerate(CODES)}
    for e in entries.values():
        pairs = sorted(zip(e["codes"], e["reasons"], strict=True), key=lambda p: order[p[0]])
        e["codes"], e["reasons"] = [c for c, _ in pairs], [r for _, r in pairs]
    out.sort(key=lambda f: (f.subject or "", order[f.code]))
    return sorted(entries.values(), key=lambda e: (e["ref"], e["id"])), out


def _plan_rows(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[dict[str, Any]]:
    return _plan(con, today)[0]


def plan(workspace: str | os.PathLike[str], today: dt.date | None = None, **_: Any) -> DiagnosticResult:
    """Dry run: the rules a cleanup would remove, and why; nothing is changed.

    Args:
        workspace: the workspace folder.
        today: reference date for expired rules (default: the real today).

    Returns:
        A result whose findings explain each removal (PRIX-EXPIRE, PRIX-DUP, PRIX-ORPH-*, as the « grilles
        de prix » diagnostic words them; plus SEC-SEUIL when applying the whole plan would be blocked) and
        whose ``extra["plan"]`` lists ``{"id", "ref", "article", "codes", "reasons"}``; ``extra["total"]``
        is the number of rules.
    """
    start = time.perf_counter()
    today = today or dt.date.today()
    with store.connect(workspace, read_only=True) as con:
        entries, out = _plan(con, today)
        total = int(con.execute("SELECT count(*) FROM price_grids").fetchall()[0][0])
        blocked = safety.check_con(con, OPERATION, len(entries), total)
    if blocked is not None:
        out.append(blocked)
    return DiagnosticResult(NAME, out, seconds=time.perf_counter() - start,
                            extra={"plan": entries, "total": total, "today": today.isoformat()})


def run(workspace: str | os.PathLike[str], *, connector: str | None = None, today: dt.date | None = None,
        **options: Any) -> DiagnosticResult:
    """The dry run under the common diagnostic signature (see :func:`plan`)."""
    return plan(workspace, today=today)


def apply(workspace: str | os.PathLike[str], plan_ids: list[int], *, backup_dir: str | os.PathLike[str],
          user: str, justification: str | None = None, today: dt.date | None = None,
          connector: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Remove planned rules: safety check, CSV backup, then deletion and history in one transaction.

    Args:
        workspace: the workspace folder.
        plan_ids: ids of rules from :func:`plan` (``extra["plan"][i]["id"]``); a subset is allowed.
        backup_dir: folder of the backup CSV (created if needed).
        user: who runs the cleanup (history).
        justification: optional note kept in the history row.
        today: reference date of the plan (must match the dry run).
        connector: connector recorded in the history row (default: none).
        now: current time (tests).

    Returns:
        ``{"status": "applique", "removed", "refs", "backup", "history_id"}``; ``{"status": "bloque",
        "removed": 0, "finding"}`` when the safety mode blocks it (nothing written, no backup);
        ``{"status": "rien", "removed": 0}`` for an empty selection.

    Raises:
        CleanupError: ids that are not (or no longer) in the plan, or a backup that cannot be written.
    """
    ids = sorted({int(i) for i in plan_ids})
    if not ids:
        return {"status": "rien", "removed": 0, "refs": []}
    today = today or dt.date.today()
    now = now or dt.datetime.now()
    with store.transaction(workspace) as con:
        planned = {e["id"]: e for e in _plan_rows(con, today)}
        unknown = [i for i in ids if i not in planned]
        if unknown:
            raise CleanupError(f"rules {unknown} are not in the cleanup plan",
                               f"{len(unknown)} règle(s) demandée(s) ne sont pas (ou plus) dans le plan de "
                               f"nettoyage (id {', '.join(map(str, unknown[:10]))}) : relancez l'aperçu.")
        total = int(con.execute("SELECT count(*) FROM price_grids").fetchall()[0][0])
        blocked = safety.check_con(con, OPERATION, len(ids), total, now=now)
        if blocked is not None:
            return {"status": "bloque", "removed": 0, "refs": [], "finding": blocked.to_dict()}
        try:
            backup, rows = backup_rules(con, backup_dir, now=now, ids=ids,
                                        motifs={i: " ; ".join(planned[i]["reasons"]) for i in ids})
        except BackupError as exc:
            raise CleanupError(exc.args[0], exc.message_fr) from exc
        con.execute("DELETE FROM price_grids WHERE id IN (SELECT unnest(?::BIGINT[]))", [ids])
        refs = [r[1] for r in rows]
        # An action is closed the moment it is performed, by its author (history has no « user » column).
        hist = store.first(con.execute(
            "INSERT INTO history (connector, kind, data_type, level, occurred_at, message, reference, closed_at, "
            "closed_by, justification) VALUES (?, 'action', 'diagnostic', 'succès', ?, ?, ?, ?, ?, ?) RETURNING id",
            [connector or "", now,
             f"Nettoyage des grilles de prix : {len(rows)} règle(s) supprimée(s), sauvegarde {backup.name}",
             str(backup), now, user, justification]))
        safety.consume(con, OPERATION, f"nettoyage-grilles {backup.name}", now=now)
    return {"status": "applique", "removed": len(rows), "refs": refs, "backup": str(backup),
            "history_id": int(hist[0]) if hist else None}
