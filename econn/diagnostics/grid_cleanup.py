"""Action « nettoyage des grilles de prix »: a dry-run plan, then a backed-up, guarded, logged removal.

:func:`plan` lists exactly what would be removed and why: expired rules (end date in the past; a rule
whose dates are inverted is PRIX-DATES, to be fixed rather than removed), exact duplicates (the newest
of each group is kept) and orphans (missing or inactive article or client, unknown category).
:func:`apply` removes the chosen planned rules: safety mode first (SEC-SEUIL, operation
``grilles_suppression``), then a CSV backup of the rules written atomically, then the deletion and a
history row in one transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

import duckdb

from .. import findings, store
from ..errors import EconnError
from ..store.grid_backup import BackupError, backup_rules
from . import safety
from .base import DiagnosticResult
from .price_grids import RULES_SQL, duplicate_rules

NAME = "nettoyage-grilles"
OPERATION = "grilles_suppression"
CODES = ("PRIX-EXPIRE", "PRIX-DUP", "PRIX-ORPH-ART", "PRIX-ORPH-CLI", "PRIX-ORPH-GRP", "SEC-SEUIL")


class CleanupError(EconnError):
    """The cleanup cannot run as asked (rules not in the plan, backup folder unusable)."""


def _plan_rows(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[dict[str, Any]]:
    """One entry per rule to remove: id, ref, article, codes and French reasons."""
    reasons: dict[int, dict[str, Any]] = {}

    def add(rule_id: int, ref: str, article: str | None, code: str, why: str) -> None:
        entry = reasons.setdefault(rule_id, {"id": rule_id, "ref": ref, "article": article, "codes": [],
                                             "reasons": []})
        entry["codes"].append(code)
        entry["reasons"].append(why)

    for r in con.execute(f"""
            WITH r AS ({RULES_SQL})
            SELECT id, ref, article, d1 FROM r
            WHERE d1 < ? AND (d0 IS NULL OR d0 <= d1) ORDER BY ref""", [today]).fetchall():
        add(r[0], r[1], r[2], "PRIX-EXPIRE", f"expirée depuis le {r[3]:%d/%m/%Y}")
    for r in duplicate_rules(con):
        add(r["id"], r["ref"], r["article"], "PRIX-DUP", f"doublon exact de {r['kept']} (conservée)")
    for r in con.execute(f"""
            WITH r AS ({RULES_SQL})
            SELECT r.id, r.ref, r.article,
                   CASE WHEN a.code IS NULL THEN 'absent' WHEN NOT a.actif THEN 'en sommeil' END AS art,
                   CASE WHEN r.cli IS NULL THEN NULL WHEN t.code IS NULL THEN 'absent'
                        WHEN NOT t.actif THEN 'en sommeil' END AS cli,
                   CASE WHEN r.cat IS NOT NULL AND pc.code IS NULL THEN 'inconnue' END AS cat,
                   r.cli AS client, r.cat AS categorie
            FROM r LEFT JOIN articles a ON a.code = r.article LEFT JOIN tiers t ON t.code = r.cli
                   LEFT JOIN price_categories pc ON pc.code = r.cat
            WHERE a.code IS NULL OR NOT a.actif OR (r.cli IS NOT NULL AND (t.code IS NULL OR NOT t.actif))
               OR (r.cat IS NOT NULL AND pc.code IS NULL)
            ORDER BY r.ref""").fetchall():
        rule_id, ref, article, art, cli, cat, client, categorie = r
        if art:
            add(rule_id, ref, article, "PRIX-ORPH-ART", f"article {article} {art}")
        if cli:
            add(rule_id, ref, article, "PRIX-ORPH-CLI", f"client {client} {cli}")
        if cat:
            add(rule_id, ref, article, "PRIX-ORPH-GRP", f"catégorie {categorie} inconnue")
    return sorted(reasons.values(), key=lambda e: e["ref"])


def plan(workspace: str | os.PathLike[str], today: dt.date | None = None, **_: Any) -> DiagnosticResult:
    """Dry run: the rules a cleanup would remove, and why; nothing is changed.

    Args:
        workspace: the workspace folder.
        today: reference date for expired rules (default: the real today).

    Returns:
        A result whose findings explain each removal (PRIX-EXPIRE, PRIX-DUP, PRIX-ORPH-*; plus SEC-SEUIL
        when applying the whole plan would be blocked) and whose ``extra["plan"]`` lists
        ``{"id", "ref", "article", "codes", "reasons"}``; ``extra["total"]`` is the number of rules.
    """
    start = time.perf_counter()
    today = today or dt.date.today()
    with store.connect(workspace, read_only=True) as con:
        entries = _plan_rows(con, today)
        total = int(con.execute("SELECT count(*) FROM price_grids").fetchall()[0][0])
        blocked = safety.check_con(con, OPERATION, len(entries), total)
    out = [findings.make(code, findings.Level.ALERTE, subject=e["ref"], value=e["article"],
                         detail="suppression prévue : " + why, hint=f"Sera supprimée par le nettoyage : {why}.")
           for e in entries for code, why in zip(e["codes"], e["reasons"], strict=True)]
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
