"""What every diagnostic returns: findings, optional clusters, and how long it took."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding, Level, worst_level


@dataclass
class DiagnosticResult:
    """The outcome of one diagnostic run.

    ``name`` is the CLI name (``produits-absents``, ``tva``, ``doublons-simple``, ``doublons-complet``,
    ``grilles-prix``, ``nettoyage-grilles``); ``clusters`` is used by the duplicate diagnostics:
    each cluster is a dict with ``id``, ``members`` (tiers codes), ``score``, ``evidence`` and
    ``keep`` (the record proposed to keep); ``extra`` carries diagnostic-specific data (the nettoyage plan…).
    """

    name: str
    findings: list[Finding] = field(default_factory=list)
    clusters: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 clean (or only alerts/successes), 1 when a finding has level erreur."""
        return 1 if worst_level(self.findings) == Level.ERREUR else 0

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: ``{"diagnostic", "findings": [...], "clusters": [...]}``."""
        return {
            "diagnostic": self.name,
            "seconds": round(self.seconds, 3),
            "findings": [f.to_dict() for f in self.findings],
            "clusters": self.clusters,
            **({"extra": self.extra} if self.extra else {}),
        }
