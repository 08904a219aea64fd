"""Reception of a connector's files into the GC: analysis (step 1), integration (step 2), reimport.

Public API: :func:`analyze`, :func:`integrate`, :func:`reimport` and the records they return.
"""

from __future__ import annotations

from .analysis import analyze
from .integration import BATCH_DOCS, integrate, reimport, rename_bak
from .model import (
    BLOCKED, EXISTING, INTEGRATED, NEW, WAITING, DocumentRecap, FileAnalysis, ReceptionAnalysis, ReceptionError,
    TiersRecap,
)

__all__ = [
    "BLOCKED", "EXISTING", "INTEGRATED", "NEW", "WAITING", "DocumentRecap", "FileAnalysis", "ReceptionAnalysis",
    "BATCH_DOCS", "ReceptionError", "TiersRecap", "analyze", "integrate", "reimport", "rename_bak",
]
