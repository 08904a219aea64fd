"""The action queue of the ERO report (« Exécuter des actions »): queued now, run at the connector's next
reception (or on demand), then listed as done with what they did.

Kinds: ``reimporter`` (« Réimporter une commande » from a received ``.bak`` file: params ``file`` and
``document``) and ``diagnostic`` (« Lancer un diagnostic »: param ``name``; its findings are stored as a run,
``runs`` + ``findings``). ERO's « Vider le cache » has no counterpart: econn's caches live in each process and
are keyed by the files' size and modification time, so they never serve a changed file.

Statuses: ``en_attente`` → ``en_cours`` (claimed by one run) → ``termine`` or ``erreur`` (``result`` says
what happened, in French). Running an action never raises: a failure is recorded on the action, and the
next ones still run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from .. import store
from ..errors import EconnError
from ..store.workspace import connector_dir

log = logging.getLogger(__name__)

KINDS: dict[str, str] = {"reimporter": "Réimporter une commande", "diagnostic": "Lancer un diagnostic"}
PENDING, RUNNING, DONE, FAILED = "en_attente", "en_cours", "termine", "erreur"
STATUS_FR = {PENDING: "en attente", RUNNING: "en cours", DONE: "terminée", FAILED: "en erreur"}
COLUMNS = ("id", "connector", "kind", "label", "params", "status", "status_fr", "created_at", "created_by",
           "done_at", "result")


class ActionError(EconnError):
    """An action cannot be queued (unknown kind or connector, missing parameter); nothing was queued."""


def _user(user: str | None) -> str:
    from ..diagnostics.safety import current_user

    return user or current_user()


def _check(con: Any, workspace: str | os.PathLike[str], kind: str, connector: str | None,
           params: dict[str, str]) -> dict[str, str]:
    """The action's parameters, checked (French :class:`ActionError` otherwise)."""
    if kind not in KINDS:
        raise ActionError(f"unknown action kind {kind!r}",
                          f"Action inconnue « {kind} » : choisissez parmi {', '.join(KINDS)}.")
    if connector is not None and store.first(con.execute("SELECT 1 FROM connectors WHERE code = ?",
                                                         [connector])) is None:
        raise ActionError(f"unknown connector {connector!r}", f"Connecteur inconnu : {connector}.")
    if kind == "reimporter":
        missing = [p for p in ("file", "document") if not (params.get(p) or "").strip()]
        if connector is None:
            missing.insert(0, "connector")
        if missing:
            raise ActionError(f"reimporter needs {missing}",
                              "« Réimporter une commande » demande le connecteur, le fichier reçu (.bak) et le "
                              "n° du document.")
        file = params["file"].strip()
        import_dir = store.first(con.execute("SELECT import_dir FROM connectors WHERE code = ?", [connector]))
        folder = connector_dir(Path(workspace), import_dir[0] if import_dir else None, connector, "import")
        if not (Path(file).is_file() or (folder / file).is_file()):
            raise ActionError(f"no received file {file!r}",
                              f"Fichier reçu introuvable : {file} (ni dans le dossier d'import {folder}).")
        return {"file": file, "document": params["document"].strip()}
    from ..diagnostics.registry import DIAGNOSTICS

    name = (params.get("name") or "").strip()
    if name not in DIAGNOSTICS:
        raise ActionError(f"unknown diagnostic {name!r}",
                          f"Diagnostic inconnu « {name} » : choisissez parmi {', '.join(DIAGNOSTICS)}.")
    return {"name": name}


def add(workspace: str | os.PathLike[str], kind: str, connector: str | None = None, *,
        params: dict[str, str] | None = None, user: str | None = None) -> int:
    """Queue an action; returns its id.

    Args:
        workspace: the workspace folder.
        kind: a key of :data:`KINDS`.
        connector: the connector it belongs to (required to reimport; a diagnostic may be for all).
        params: ``file`` and ``document`` (reimporter), ``name`` (diagnostic).
        user: who queued it.

    Raises:
        ActionError: unknown kind, connector or diagnostic, or a missing parameter.
    """
    with store.transaction(workspace) as con:
        checked = _check(con, workspace, kind, connector, dict(params or {}))
        row = store.first(con.execute(
            "INSERT INTO actions (connector, kind, params, status, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [connector, kind, json.dumps(checked, ensure_ascii=False), PENDING, _user(user)]))
    assert row is not None
    return int(row[0])


def list_actions(workspace: str | os.PathLike[str], *, status: str | None = None,
                 connector: str | None = None) -> list[dict[str, Any]]:
    """The queued and done actions, newest first (keys of :data:`COLUMNS`; ``params`` as a dict)."""
    if status is not None and status not in STATUS_FR:
        raise ActionError(f"unknown status {status!r}",
                          f"État inconnu « {status} » : choisissez parmi {', '.join(STATUS_FR)}.")
    with store.connect(workspace, read_only=True) as con:
        rows = con.execute(
            "SELECT id, connector, kind, params, status, created_at, created_by, done_at, result FROM actions "
            "WHERE (? IS NULL OR status = ?) AND (? IS NULL OR connector = ?) ORDER BY id DESC",
            [status, status, connector, connector]).fetchall()
    out = []
    for i, conn, kind, params, st, created, by, done, result in rows:
        out.append({"id": int(i), "connector": conn, "kind": kind, "label": KINDS.get(kind, kind),
                    "params": json.loads(params) if params else {}, "status": st, "status_fr": STATUS_FR.get(st, st),
                    "created_at": created, "created_by": by, "done_at": done, "result": result})
    return out


def _execute(ws: Path, action: dict[str, Any], user: str) -> str:
    """Run one action; returns the French result (raises on failure)."""
    p = action["params"]
    if action["kind"] == "reimporter":
        from ..reception.integration import reimport

        res = reimport(ws, action["connector"], p["file"], p["document"], user=user)
        doc = next(d for d in res.files[0].documents if d.number == p["document"])
        return f"Commande {p['document']} réimportée depuis {Path(p['file']).name} : n° GC {doc.gc_number}."
    from ..diagnostics import registry
    from ..findings import Level

    result = registry.run(p["name"], ws, connector=action["connector"])
    counts = {lv: sum(1 for f in result.findings if f.level == lv) for lv in Level}
    summary = {"diagnostic": p["name"], "action": action["id"], "findings": len(result.findings),
               **{lv.value: n for lv, n in counts.items()}}
    with store.transaction(ws) as con:
        run_id = store.first(con.execute(
            "INSERT INTO runs (kind, connector, finished_at, status, summary) VALUES "
            "('diagnostic', ?, current_timestamp, 'termine', ?) RETURNING id",
            [action["connector"], json.dumps(summary, ensure_ascii=False)]))[0]
        if result.findings:
            con.executemany(
                "INSERT INTO findings (run_id, code, level, message, hint, source, line, document, column_name, "
                "value, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, f.code, f.level.value, f.message, f.hint, f.source, f.line, f.document, f.column,
                  f.value, f.subject) for f in result.findings])
    return (f"Diagnostic « {registry.title(p['name'])} » : {len(result.findings)} constat(s) — "
            f"{counts[Level.ERREUR]} erreur(s), {counts[Level.ALERTE]} alerte(s) (exécution n° {run_id}).")


def run_pending(workspace: str | os.PathLike[str], *, connector: str | None = None,
                user: str | None = None) -> list[dict[str, Any]]:
    """Run the pending actions (of one connector, with its workspace-wide ones, or all), oldest first.

    Each ends ``termine`` or ``erreur`` with its French ``result``; a failing action never stops the others.
    Returns the actions run, as :func:`list_actions` gives them.
    """
    ws = Path(workspace)
    who = _user(user)
    todo = [a for a in reversed(list_actions(ws, status=PENDING))
            if connector is None or a["connector"] in (connector, None)]
    done = []
    for action in todo:
        with store.transaction(ws) as con:   # claimed first: two runs never execute one action twice
            claimed = store.first(con.execute("UPDATE actions SET status = ? WHERE id = ? AND status = ? RETURNING id",
                                              [RUNNING, action["id"], PENDING]))
        if claimed is None:
            continue
        try:
            status, text = DONE, _execute(ws, action, who)
        except EconnError as exc:
            status, text = FAILED, exc.message_fr
        except Exception as exc:   # an action must not break the run that picked it up
            log.exception("action %s failed", action["id"])
            status, text = FAILED, f"Erreur inattendue : {type(exc).__name__} — {exc}"
        with store.transaction(ws) as con:
            con.execute("UPDATE actions SET status = ?, result = ?, done_at = ? WHERE id = ?",
                        [status, text, dt.datetime.now(), action["id"]])
        done.append(action["id"])
    return [a for a in list_actions(ws) if a["id"] in done]
