"""The scored candidate every suggestion family returns (OpenRefine reconciliation style)."""

from __future__ import annotations

from dataclasses import dataclass

# How a candidate was found. ``near`` (ART-NEAR) and ``homonym`` are never accepted in bulk:
# a near reference should be corrected at the source, a homonym needs a human choice.
EXACT = "exact"          # same code or same label as the GC value
STANDARD = "standard"    # an unambiguous standard (ISO country code, official name)
DERIVED = "derive"       # read through a reference (VAT rate, UN/ECE unit, payment family, identifier)
NEAR = "near"            # same reference only after normalisation (case, separators, leading zeros)
FUZZY = "fuzzy"          # text similarity
HOMONYM = "homonym"      # same name without any shared identifier
AMBIGUOUS = "ambigu"     # an identifier shared by several GC values: reported, never chosen
NEVER_BULK = frozenset({NEAR, HOMONYM, AMBIGUOUS})

# Reasons of never-bulk candidates start with these words, so that a stored suggestion keeps the
# information in the correspondences table (which has no column for the kind).
NEAR_PREFIX = "Référence approchante"
HOMONYM_PREFIX = "Homonyme"
AMBIGUOUS_PREFIX = "Ambigu"


@dataclass(frozen=True)
class Suggestion:
    """One candidate GC value for an external value.

    Attributes:
        gc_value: the GC code proposed.
        score: confidence in [0, 1]; 1 only for an identical code.
        reason: French explanation shown to the user.
        kind: how it was found (``exact``, ``standard``, ``derive``, ``near``, ``fuzzy``, ``homonym``,
            ``ambigu``).
    """

    gc_value: str
    score: float
    reason: str
    kind: str = EXACT

    @property
    def bulk_acceptable(self) -> bool:
        """False for near matches and homonyms, which a human must confirm one by one."""
        return self.kind not in NEVER_BULK


def best_first(suggestions: list[Suggestion], limit: int = 5) -> list[Suggestion]:
    """Keep the best score per GC value, highest first (ties by GC value for stable output)."""
    best: dict[str, Suggestion] = {}
    for s in suggestions:
        if s.gc_value not in best or s.score > best[s.gc_value].score:
            best[s.gc_value] = s
    return sorted(best.values(), key=lambda s: (-s.score, s.gc_value))[:limit]
