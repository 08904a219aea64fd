"""Records of a reception: per file, the documents, the tiers and the findings (data, not view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EconnError
from ..findings import Finding, Level
from ..store.workspace import display_name

NEW, EXISTING, BLOCKED, WAITING, INTEGRATED = "new", "existing", "blocked", "waiting", "integrated"
DOC_STATUSES = (NEW, EXISTING, BLOCKED, WAITING, INTEGRATED)
T_MATCH, T_CREATE, T_HOMONYM, T_ABSENT = "match", "create", "homonym", "absent"
# T_ABSENT: an unknown customer that « Réception des tiers : Non concerné » forbids creating, and no default
# customer to take its orders: they are blocked (COR-CLI-ABS).
TIERS_STATUSES = (T_MATCH, T_CREATE, T_HOMONYM, T_ABSENT)

STATUS_FR = {NEW: "nouveau document", EXISTING: "déjà intégré", BLOCKED: "bloqué", WAITING: "en attente",
             INTEGRATED: "intégré"}
TIERS_FR = {T_MATCH: "trouvé", T_CREATE: "à créer", T_HOMONYM: "homonyme", T_ABSENT: "inconnu, non créé"}


class ReceptionError(EconnError):
    """A reception cannot run at all (unknown connector, missing file, bad decision…)."""


@dataclass
class DocumentRecap:
    """One document of a file: its status and what decided it.

    Attributes:
        number: external document number (``doc_ext_id``).
        status: new | existing | blocked | waiting | integrated.
        gc_number: GC number once integrated (or the number of the already integrated document).
        codes: finding codes attached to the document, sorted.
        lines: physical lines of the file holding the document.
        tiers: key of the document's tiers in :attr:`FileAnalysis.tiers` (external code, else e-mail…).
    """

    number: str
    status: str
    gc_number: str | None = None
    codes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    tiers: str | None = None
    name: str | None = None
    date: dt.date | None = None
    total_ttc: float | None = None
    payment: str | None = None
    occurrence: int = 1
    total_ht: float | None = None      # given by the file, else TTC − TVA when the file gives both
    port_ht: float | None = None       # shipping HT (a TTC shipping converted with the lines' VAT rate)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"number": self.number, "status": self.status, "gc_number": self.gc_number, "codes": self.codes,
                "lines": self.lines, "tiers": self.tiers, "name": self.name,
                "date": self.date.isoformat() if self.date else None, "total_ttc": self.total_ttc,
                "payment": self.payment, "total_ht": self.total_ht, "port_ht": self.port_ht}


@dataclass
class TiersRecap:
    """One customer of a file (billing block), as matched against the GC tiers.

    Attributes:
        external_code: the key of the customer in the file (code client, else e-mail, else name + CP).
        status: match | create | homonym | absent (``homonym`` also covers an identifier shared by several
            GC tiers: a human decides, nothing is guessed; ``absent``: unknown and not to be created).
        gc_code: the GC tiers (match, or the code created at integration; best candidate for a homonym).
        candidates: GC tiers a homonym could be assigned to.
    """

    external_code: str
    name: str
    status: str
    gc_code: str | None = None
    candidates: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = "particulier"          # societe | particulier (APIcenter rule)
    documents: list[str] = field(default_factory=list)
    has_code: bool = True              # the file gives an external customer code (stored as correspondence)
    created: bool = False
    by_default: bool = False           # unknown customer given the connector's default customer (never stored
                                       # as its correspondence: the day tiers are received, it gets its own)
    record: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"external_code": self.external_code, "name": self.name, "status": self.status,
                "gc_code": self.gc_code, "candidates": self.candidates, "reason": self.reason, "kind": self.kind,
                "documents": self.documents, "created": self.created, "by_default": self.by_default}


@dataclass
class FileAnalysis:
    """Step 1 (and step 2 when integrated) of one file."""

    file: Path
    connector: str
    documents: list[DocumentRecap] = field(default_factory=list)
    tiers: list[TiersRecap] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    # Lines the reader left out on purpose (preamble, blank line, footer): {"line", "kind", "raw"}.
    skipped_lines: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    renamed_to: Path | None = None
    sha256: str = ""
    error: str | None = None           # French message when the file could not be analysed at all
    error_code: str = "FIC-ENC"        # the finding code recorded for ``error``
    format: dict[str, Any] | None = None   # the export format applied: {"id", "label", "score"}
    # Private: the in-memory DuckDB connection holding the typed rows, reused by integration.
    _con: Any = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        """Documents per status, tiers per status."""
        out = dict.fromkeys(DOC_STATUSES, 0)
        for d in self.documents:
            out[d.status] += 1
        for s in TIERS_STATUSES:
            out[f"tiers_{s}"] = sum(1 for t in self.tiers if t.status == s)
        return out

    def file_blockers(self) -> list[Finding]:
        """Errors not tied to one document (rejected lines, missing columns): the file cannot become .bak."""
        return [f for f in self.findings if f.level == Level.ERREUR and f.document is None
                and f.code != "FIC-DUPDOC"]

    @property
    def complete(self) -> bool:
        """Every document is integrated or already was, and nothing is left outside a document."""
        return (self.error is None and not self.file_blockers()
                and all(d.status in (INTEGRATED, EXISTING) for d in self.documents))

    @property
    def integrable(self) -> bool:
        """Nothing blocked or waiting: integration would take the whole file (FIC-OK)."""
        return (self.error is None and not self.file_blockers()
                and all(d.status in (NEW, EXISTING, INTEGRATED) for d in self.documents))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the shape of ``econn receive --json``)."""
        return {
            "file": display_name(self.file),
            "renamed_to": display_name(self.renamed_to) if self.renamed_to else None,
            "error": self.error,
            "format": self.format,
            "rows": self.rows,
            "counts": self.counts(),
            "documents": [d.to_dict() for d in self.documents],
            "tiers": [t.to_dict() for t in self.tiers],
            "findings": [_finding_dict(f) for f in self.findings],
            "rejects": self.rejects,
            "skipped_lines": self.skipped_lines,
        }


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "level": f.level.value, "message": f.message, "hint": f.hint, "line": f.line,
            "document": f.document, "column": f.column, "value": f.value}


@dataclass
class ReceptionAnalysis:
    """The result of :func:`analyze`, :func:`integrate` or :func:`reimport`: one entry per file."""

    workspace: Path
    connector: str
    files: list[FileAnalysis] = field(default_factory=list)
    integrated: bool = False           # False for a dry run (analysis only)
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        """Integrated (or, for an analysis, integrable) as a whole."""
        return all((f.complete if self.integrated else f.integrable) for f in self.files)

    def exit_code(self) -> int:
        """CLI convention: 0 all done (or integrable), 1 documents blocked or waiting, 2 a file failed."""
        if any(f.error for f in self.files):
            return 2
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``{"connector", "integrated", "files": [...]}``."""
        return {"connector": self.connector, "integrated": self.integrated, "run_id": self.run_id,
                "files": [f.to_dict() for f in self.files]}

    def close(self) -> None:
        """Release the in-memory DuckDB connections kept for integration."""
        for f in self.files:
            if f._con is not None:
                f._con.close()
                f._con = None
