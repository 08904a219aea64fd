"""Merge proposals for duplicate tiers: never silent, always a user's explicit accept or reject.

A duplicate diagnostic (``doublons-simple``, ``doublons-complet``) returns clusters of tiers codes with
the record it proposes to keep. :func:`propose` turns a cluster into a :class:`MergeProposal` (kept tiers,
absorbed tiers, the field values the kept record will have, and what will move); nothing is written.
:func:`accept` applies it in one transaction, under the safety mode (operation
``clients_reaffectation``): the absorbed tiers' documents are reassigned to the kept tiers, their
correspondences (domain ``tiers``) repointed, the kept record's empty fields completed from the absorbed
ones, the absorbed tiers put in sommeil (``actif = false``, never deleted), and a history row written.

:func:`reject` records that a cluster is *not* a duplicate as a history row (kind ``action``, data type
``client``) whose ``reference`` is ``fusion-refusee:CODE1,CODE2`` (sorted codes); :func:`rejected` reads
them back so that a page (or a diagnostic) can skip clusters already judged distinct.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from .. import store
from ..diagnostics import safety
from ..errors import EconnError

OPERATION = "clients_reaffectation"
REJECT_PREFIX = "fusion-refusee:"

# Tiers columns shown side by side and completed on the kept record (in display order).
FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "Type"), ("societe", "Société"), ("civilite", "Civilité"), ("nom", "Nom"), ("prenom", "Prénom"),
    ("email", "E-mail"), ("telephone", "Téléphone"), ("mobile", "Mobile"), ("adresse1", "Adresse 1"),
    ("adresse2", "Adresse 2"), ("code_postal", "Code postal"), ("ville", "Ville"), ("pays", "Pays"),
    ("siret", "SIRET"), ("tva_intra", "N° TVA"), ("famille", "Famille"),
    ("categorie_tarifaire", "Catégorie tarifaire"), ("actif", "Actif"),
)
# Identity fields are never copied from an absorbed tiers onto the kept one.
_NOT_COMPLETED = {"type", "actif"}


class MergeError(EconnError):
    """A merge cannot be proposed or applied (unknown or inactive tiers, safety mode)."""


@dataclass(frozen=True)
class MergeProposal:
    """What accepting a duplicate cluster would do.

    Attributes:
        cluster_id: the diagnostic's cluster id.
        keep: the tiers code kept.
        absorbed: the tiers codes merged into ``keep`` (put in sommeil).
        fields: the kept record's values after the merge (its own, empty ones completed from the absorbed).
        completed: the fields whose value comes from an absorbed tiers.
        records: every member's current record (code → column → value), for display.
        documents: number of documents per member.
        correspondences: number of ``tiers`` correspondences per member.
    """

    cluster_id: str
    keep: str
    absorbed: tuple[str, ...]
    fields: dict[str, Any] = field(default_factory=dict)
    completed: tuple[str, ...] = ()
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    correspondences: dict[str, int] = field(default_factory=dict)

    @property
    def members(self) -> tuple[str, ...]:
        """Kept tiers first, then the absorbed ones."""
        return (self.keep, *self.absorbed)

    @property
    def moved_documents(self) -> int:
        """Documents that accepting would reassign."""
        return sum(self.documents.get(c, 0) for c in self.absorbed)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _members(cluster: dict[str, Any]) -> list[str]:
    members = [str(m) for m in cluster.get("members") or []]
    if len(set(members)) < 2:
        raise MergeError(f"cluster {cluster.get('id')} has fewer than two members",
                         "Ce groupe de doublons contient moins de deux tiers : rien à fusionner.")
    return list(dict.fromkeys(members))


def propose(workspace: str | os.PathLike[str], cluster: dict[str, Any]) -> MergeProposal:
    """The merge a duplicate cluster suggests; nothing is written.

    Args:
        workspace: the workspace folder.
        cluster: a cluster of a duplicate diagnostic (``id``, ``members``, optional ``keep``).

    Returns:
        The proposal: kept tiers (the cluster's ``keep`` if it is an active member, else the first active
        member), absorbed tiers, field values to keep and what would move.

    Raises:
        MergeError: fewer than two members, unknown tiers, or fewer than two active tiers.
    """
    members = _members(cluster)
    cols = ", ".join(c for c, _ in FIELDS)
    with store.connect(workspace, read_only=True) as con:
        cur = con.execute(f"SELECT code, {cols} FROM tiers WHERE code IN (SELECT unnest(?::VARCHAR[]))", [members])
        names = [d[0] for d in cur.description]
        rows = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
        docs = dict(con.execute("SELECT tiers_code, count(*) FROM documents WHERE tiers_code IN "
                                "(SELECT unnest(?::VARCHAR[])) GROUP BY 1", [members]).fetchall())
        corr = dict(con.execute("SELECT gc_value, count(*) FROM correspondences WHERE domain = 'tiers' AND "
                                "gc_value IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1", [members]).fetchall())
    missing = [m for m in members if m not in rows]
    if missing:
        raise MergeError(f"unknown tiers {missing}",
                         f"Tiers introuvable(s) : {', '.join(missing)} — relancez le diagnostic.")
    active = [m for m in members if rows[m]["actif"]]
    if len(active) < 2:
        raise MergeError(f"cluster {cluster.get('id')}: fewer than two active tiers",
                         f"Les tiers {', '.join(members)} ne sont plus au moins deux actifs : déjà fusionnés ? "
                         "Relancez le diagnostic.")
    keep = str(cluster.get("keep") or "")
    if keep not in active:
        keep = active[0]
    absorbed = tuple(m for m in active if m != keep)
    values = dict(rows[keep])
    completed = []
    for col, _ in FIELDS:
        if col in _NOT_COMPLETED or not _empty(values.get(col)):
            continue
        donor = next((rows[a][col] for a in absorbed if not _empty(rows[a][col])), None)
        if donor is not None:
            values[col] = donor
            completed.append(col)
    values.pop("code", None)
    return MergeProposal(
        cluster_id=str(cluster.get("id", "")), keep=keep, absorbed=absorbed, fields=values,
        completed=tuple(completed), records={m: rows[m] for m in members},
        documents={m: int(docs.get(m, 0)) for m in members},
        correspondences={m: int(corr.get(m, 0)) for m in members},
    )


def accept(workspace: str | os.PathLike[str], proposal: MergeProposal, *, user: str,
           justification: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Apply a merge proposal in one transaction (see the module docstring).

    Args:
        workspace: the workspace folder.
        proposal: what :func:`propose` returned (and the user saw).
        user: who accepted (history ``closed_by``).
        justification: optional note kept in the history row.
        now: current time (tests).

    Returns:
        ``{"keep", "absorbed", "documents", "correspondences", "completed", "history_id"}``.

    Raises:
        MergeError: the safety mode blocks the reassignment (SEC-SEUIL, French message), or a member is no
            longer active (the store changed since the proposal).
    """
    now = now or dt.datetime.now()
    absorbed = list(proposal.absorbed)
    members = [proposal.keep, *absorbed]
    with store.transaction(workspace) as con:
        active = {r[0] for r in con.execute(
            "SELECT code FROM tiers WHERE actif AND code IN (SELECT unnest(?::VARCHAR[]))", [members]).fetchall()}
        gone = [m for m in members if m not in active]
        if gone:
            raise MergeError(f"tiers {gone} are no longer active",
                             f"Fusion impossible : {', '.join(gone)} n'est plus actif (déjà fusionné ?). "
                             "Relancez le diagnostic.")
        moved = int(con.execute("SELECT count(*) FROM documents WHERE tiers_code IN (SELECT unnest(?::VARCHAR[]))",
                                [absorbed]).fetchall()[0][0])
        total = int(con.execute("SELECT count(*) FROM documents").fetchall()[0][0])
        blocked = safety.check_con(con, OPERATION, moved, total, now=now)
        if blocked is not None:
            raise MergeError(f"merge into {proposal.keep} blocked by the safety mode",
                             f"{blocked.message} — {blocked.hint}")
        con.execute("UPDATE documents SET tiers_code = ? WHERE tiers_code IN (SELECT unnest(?::VARCHAR[]))",
                    [proposal.keep, absorbed])
        corr = int(con.execute(
            "SELECT count(*) FROM correspondences WHERE domain = 'tiers' AND gc_value IN (SELECT unnest(?::VARCHAR[]))",
            [absorbed]).fetchall()[0][0])
        con.execute("UPDATE correspondences SET gc_value = ?, updated_by = ?, updated_at = ?, "
                    "reason = 'Fusion de tiers' WHERE domain = 'tiers' AND gc_value IN (SELECT unnest(?::VARCHAR[]))",
                    [proposal.keep, user, now, absorbed])
        for col in proposal.completed:  # only fields that were empty on the kept record
            con.execute(f"UPDATE tiers SET {store.quote_ident(col)} = ? WHERE code = ? AND "
                        f"({store.quote_ident(col)} IS NULL OR trim(CAST({store.quote_ident(col)} AS VARCHAR)) = '')",
                        [proposal.fields[col], proposal.keep])
        con.execute("UPDATE tiers SET actif = false WHERE code IN (SELECT unnest(?::VARCHAR[]))", [absorbed])
        message = (f"Fusion de clients : {', '.join(absorbed)} fusionné(s) dans {proposal.keep} "
                   f"({moved} document(s) réaffecté(s), {corr} correspondance(s) repointée(s), "
                   f"{', '.join(absorbed)} mis en sommeil)")
        hist = store.first(con.execute(
            "INSERT INTO history (connector, kind, data_type, level, occurred_at, gc_tiers, message, reference, "
            "closed_at, closed_by, justification) VALUES ('', 'action', 'client', 'succès', ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            [now, proposal.keep, message, f"fusion:{','.join(members)}", now, user, justification]))
        safety.consume(con, OPERATION, f"fusion {proposal.keep}", now=now)
    return {"keep": proposal.keep, "absorbed": absorbed, "documents": moved, "correspondences": corr,
            "completed": list(proposal.completed), "history_id": int(hist[0]) if hist else None,
            "message": message}


def reject(workspace: str | os.PathLike[str], cluster: dict[str, Any], user: str, *,
           justification: str | None = None, now: dt.datetime | None = None) -> int:
    """Record that a cluster is not a duplicate (a history row); returns its id. Nothing else changes.

    Raises:
        MergeError: fewer than two members.
    """
    members = sorted(_members(cluster))
    now = now or dt.datetime.now()
    with store.transaction(workspace) as con:
        row = store.first(con.execute(
            "INSERT INTO history (connector, kind, data_type, level, occurred_at, message, reference, closed_at, "
            "closed_by, justification) VALUES ('', 'action', 'client', 'succès', ?, ?, ?, ?, ?, ?) RETURNING id",
            [now, f"Pas un doublon : {', '.join(members)} (fusion refusée)", REJECT_PREFIX + ",".join(members),
             now, user, justification]))
    return int(row[0]) if row else 0


def rejected(workspace: str | os.PathLike[str]) -> set[frozenset[str]]:
    """The member sets a user has judged distinct (see :func:`reject`)."""
    with store.connect(workspace, read_only=True) as con:
        rows = con.execute("SELECT reference FROM history WHERE kind = 'action' AND data_type = 'client' "
                           "AND reference LIKE ?", [REJECT_PREFIX + "%"]).fetchall()
    return {frozenset(r[0][len(REJECT_PREFIX):].split(",")) for r in rows}


def is_rejected(cluster: dict[str, Any], decisions: set[frozenset[str]]) -> bool:
    """True when a user already rejected a cluster with these members (or a larger one containing them)."""
    members = frozenset(str(m) for m in cluster.get("members") or [])
    return any(members <= d for d in decisions)
