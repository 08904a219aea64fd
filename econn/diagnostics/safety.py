"""« Mode de sécurité »: block a run whose effect exceeds a threshold until a user lifts it, in writing.

Each guarded operation has a threshold stored as a workspace setting (``securite.<operation>.seuil``),
either a percentage of the rows concerned or a count. :func:`check` returns a SEC-SEUIL finding (erreur)
when a run would exceed it and no lift is active; the caller then does nothing. :func:`lift` records a
justified, one-shot permission (table ``safety_lifts`` and a history row); the next run of that
operation consumes it (:func:`consume`, inside the run's transaction). A lift expires after 24 hours.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from .. import findings, store
from .. import justification as justification_rule
from ..config.workspace_settings import place
from ..errors import EconnError

MIN_JUSTIFICATION = justification_rule.MIN_LENGTH
LIFT_HOURS = 24


class SafetyError(EconnError):
    """A lift of the safety mode was refused (unknown operation, missing justification)."""


@dataclass(frozen=True)
class Guard:
    """A guarded operation: French label, threshold unit (``pct`` of the total or ``count``), default."""

    label: str
    unit: str
    default: Decimal


OPERATIONS: dict[str, Guard] = {
    "grilles_suppression": Guard("suppression de règles tarifaires", "pct", Decimal(20)),
    "articles_desactivation": Guard("désactivation d'articles", "pct", Decimal(10)),
    "prix_zero": Guard("prix mis à 0", "pct", Decimal(5)),
    "clients_reaffectation": Guard("réaffectation de documents à un autre client", "count", Decimal(20)),
}


def setting_key(operation: str) -> str:
    """The settings key holding an operation's threshold."""
    return f"securite.{operation}.seuil"


def _guard(operation: str) -> Guard:
    guard = OPERATIONS.get(operation)
    if guard is None:
        raise SafetyError(f"unknown guarded operation {operation!r}",
                          f"Opération inconnue « {operation} » : choisissez parmi {', '.join(OPERATIONS)}.")
    return guard


def threshold(con: duckdb.DuckDBPyConnection, operation: str) -> Decimal:
    """The operation's threshold (setting, else the default)."""
    guard = _guard(operation)
    raw = store.get_setting(con, setting_key(operation))
    try:
        return Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else guard.default
    except ArithmeticError:  # a bad setting must not disarm the guard
        return guard.default


def active_lift(con: duckdb.DuckDBPyConnection, operation: str, now: dt.datetime | None = None) -> int | None:
    """Id of the unconsumed, unexpired lift of an operation, if any."""
    now = now or dt.datetime.now()
    row = store.first(con.execute(
        "SELECT id FROM safety_lifts WHERE operation = ? AND consumed_at IS NULL AND expires_at > ? "
        "ORDER BY lifted_at DESC LIMIT 1", [operation, now]))
    return int(row[0]) if row else None


def check_con(con: duckdb.DuckDBPyConnection, operation: str, affected: int, total: int, *,
              now: dt.datetime | None = None) -> findings.Finding | None:
    """:func:`check` on an open connection (so that a run checks inside its own transaction)."""
    guard = _guard(operation)
    limit = threshold(con, operation)
    if guard.unit == "pct":
        measure = Decimal(affected) * 100 / Decimal(total) if total else Decimal(0)
        exceeded = affected > 0 and measure > limit
        pct = f"{measure:.1f}".replace(".", ",")
        shown = (f"{guard.label} : {affected} sur {total} ({pct} %) dépasse le seuil de {limit} % "
                 f"(réglage {setting_key(operation)})")
    else:
        exceeded = affected > limit
        shown = (f"{guard.label} : {affected} dépasse le seuil de {limit} "
                 f"(réglage {setting_key(operation)})")
    if not exceeded or active_lift(con, operation, now) is not None:
        return None
    return findings.make("SEC-SEUIL", operation=operation, affected=int(affected), detail=shown,
                         hint=f"Levez le mode de sécurité avec une justification écrite si l'opération est voulue : "
                              f"econn securite lever --operation {operation} --justification \"…\" ; ou changez le "
                              f"seuil ({place(setting_key(operation))}).")


def check(workspace: str | os.PathLike[str], operation: str, affected: int, total: int, *,
          now: dt.datetime | None = None) -> findings.Finding | None:
    """Would an operation touching ``affected`` of ``total`` rows exceed its threshold?

    Args:
        workspace: the workspace folder.
        operation: a key of :data:`OPERATIONS`.
        affected: rows the run would change (removed rules, deactivated articles…).
        total: rows of that kind in the workspace (for percentage thresholds).
        now: current time (tests).

    Returns:
        A SEC-SEUIL finding (erreur) when the run must not proceed, else None (under the threshold, or
        lifted by an active :func:`lift`).

    Raises:
        SafetyError: unknown operation.
    """
    with store.connect(workspace, read_only=True) as con:
        return check_con(con, operation, affected, total, now=now)


def lift(workspace: str | os.PathLike[str], operation: str, user: str | None, justification: str | None, *,
         connector: str | None = None, now: dt.datetime | None = None) -> int:
    """Lift the safety mode once for an operation, with a written justification; returns the lift id.

    Raises:
        SafetyError: unknown operation, or a justification the rule of :mod:`econn.justification` refuses.
    """
    guard = _guard(operation)
    why = justification_rule.problem(justification, "lever le mode de sécurité",
                                     "nettoyage annuel validé par la direction")
    if why:
        raise SafetyError(f"lifting {operation} refused: justification missing or too short",
                          f"Levée du mode de sécurité refusée. {why}")
    text = justification_rule.clean(justification)
    who = user or current_user()
    now = now or dt.datetime.now()
    with store.transaction(workspace) as con:
        row = store.first(con.execute(
            "INSERT INTO safety_lifts (operation, lifted_by, justification, lifted_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id", [operation, who, text, now, now + dt.timedelta(hours=LIFT_HOURS)]))
        con.execute(
            "INSERT INTO history (connector, kind, data_type, level, occurred_at, code, message, reference, "
            "closed_at, closed_by, justification) VALUES (?, 'action', 'securite', 'alerte', ?, 'SEC-SEUIL', ?, ?, "
            "?, ?, ?)",
            [connector or "", now, f"Mode de sécurité levé pour une {guard.label} (valable {LIFT_HOURS} h, une fois)",
             operation, now, who, text])
    return int(row[0]) if row else 0


def consume(con: duckdb.DuckDBPyConnection, operation: str, by: str, *, now: dt.datetime | None = None) -> None:
    """Mark the active lift of an operation as used by a run (call inside the run's transaction)."""
    lift_id = active_lift(con, operation, now)
    if lift_id is not None:
        con.execute("UPDATE safety_lifts SET consumed_at = ?, consumed_by = ? WHERE id = ?",
                    [now or dt.datetime.now(), by, lift_id])


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "econn"
