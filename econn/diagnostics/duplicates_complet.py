"""Diagnostic « doublon de clients complet » (CLI-FUZZ, CLI-HOMO): fuzzy duplicates among GC tiers.

Active customers and prospects are compared (a supplier who is also a client is not a client
duplicate); tiers are passed oldest first so that the keep proposal prefers the oldest record
among the most complete ones. Output is a suggestion, never an automatic merge.
"""

from __future__ import annotations

import os
import time
from typing import Any

from .. import findings, store
from ..duplicates import DuplicateResult, find_duplicates
from ..findings import Finding
from .base import DiagnosticResult

NAME = "doublons-complet"

# Role → column of the ``tiers`` table.
TIERS_ROLES: dict[str, str] = {
    "company": "societe", "last_name": "nom", "first_name": "prenom", "email": "email", "phone": "telephone",
    "mobile": "mobile", "address": "adresse1", "postal_code": "code_postal", "city": "ville", "country": "pays",
    "siret": "siret", "vat_number": "tva_intra",
}

_SQL = f"""
    SELECT code, {", ".join(dict.fromkeys(TIERS_ROLES.values()))}
    FROM tiers WHERE actif AND type <> 'fournisseur'
    ORDER BY created_at, code
"""


def _label(rec: dict[str, Any]) -> str:
    """« CODE (Nom Prénom, CP Ville) » for a finding's detail."""
    name = rec.get("societe") or " ".join(x for x in (rec.get("nom"), rec.get("prenom")) if x)
    place = " ".join(x for x in (rec.get("code_postal"), rec.get("ville")) if x)
    return f"{rec['code']} ({name}{', ' + place if place else ''})"


def _agreeing(evidence: list[dict[str, Any]]) -> str:
    """The evidence of one pair as French text: « nom identique, adresse proche… »."""
    return ", ".join(f"{e['label']} {e['level']}" for e in evidence if not e["level"].startswith("différent"))


def findings_from(result: DuplicateResult, records: dict[str, dict[str, Any]]) -> list[Finding]:
    """CLI-FUZZ per cluster and CLI-HOMO per namesake pair judged distinct."""
    out: list[Finding] = []
    for c in result.clusters:
        members = ", ".join(_label(records[m]) for m in c["members"])
        ev = "; ".join(f"{'/'.join(e['pair'])} : {_agreeing(e['fields'])}" for e in c["evidence"])
        out.append(findings.make(
            "CLI-FUZZ", score=float(c["score"]),
            detail=f"{members} — {ev} — à conserver : {c['keep']}",
            subject=", ".join(c["members"]), value=c["keep"], cluster=c["id"]))
    homo = result.distinct[result.distinct["reason"] == "homonyme"] if len(result.distinct) else result.distinct
    for row in homo.itertuples(index=False):
        differ = ", ".join(e["label"] for e in row.evidence if e["level"].startswith("différent"))
        out.append(findings.make(
            "CLI-HOMO", detail=f"{_label(records[row.id_l])} et {_label(records[row.id_r])}"
            + (f" ({differ} différents)" if differ else " (aucune coordonnée commune)"),
            subject=f"{row.id_l}, {row.id_r}"))
    return out


def run(workspace: str | os.PathLike[str], *, threshold: float | None = None) -> DiagnosticResult:
    """Run the « doublons complet » diagnostic on the workspace's tiers.

    Args:
        workspace: the workspace folder.
        threshold: minimum pair score in [0, 1] (default ``econn.duplicates.DEFAULT_THRESHOLD``).

    Returns:
        ``DiagnosticResult(name="doublons-complet")`` with CLI-FUZZ / CLI-HOMO findings, the clusters
        (members, score, evidence, keep proposal, differing fields) and, in ``extra``, the pairs
        judged distinct (households, establishments, namesakes) and the counts.
    """
    t0 = time.perf_counter()
    with store.connect(workspace, read_only=True) as con:
        df = con.execute(_SQL).df()
    result = find_duplicates(df, TIERS_ROLES, id_column="code", threshold=threshold)
    records = {str(r["code"]): r for r in df.astype(object).where(df.notna(), None).to_dict("records")}
    distinct = [
        {"members": [r.id_l, r.id_r], "reason": r.reason, "score": float(r.score), "evidence": r.evidence}
        for r in result.distinct.itertuples(index=False)
    ]
    return DiagnosticResult(
        name=NAME,
        findings=findings_from(result, records),
        clusters=result.clusters,
        seconds=time.perf_counter() - t0,
        extra={"distinct": distinct, "stats": result.stats},
    )
