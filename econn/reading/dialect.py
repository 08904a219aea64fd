"""The shape of a CSV file as econn understands it (shared by the sniffer and the loader)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Dialect:
    """What :func:`econn.sniff` found out about a file, and how sure it is.

    ``skip_rows`` counts physical lines before the header (preamble); ``confidence`` is in [0, 1];
    ``notes`` says, in English, what was guessed and why (shown in logs, turned into findings).
    """

    encoding: str = "utf-8"           # Python codec name: utf-8, utf-8-sig, utf-16, cp1252, iso8859-15, cp850, mac_roman
    delimiter: str = ";"
    quotechar: str | None = '"'
    escapechar: str | None = None     # None: quotes are doubled ("") inside quoted fields
    has_header: bool = True
    skip_rows: int = 0
    decimal: str = ","
    date_format: str | None = None    # strptime format, e.g. %d/%m/%Y
    line_terminator: str = "\n"       # \n, \r\n or \r
    bom: bool = False
    confidence: float = 0.0
    encoding_confidence: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass
class Reject:
    """A record that could not be accepted: physical 1-based line, reason (French), raw text."""

    line: int
    reason: str
    raw: str


@dataclass
class SkippedLine:
    """A line that is not a record: preamble, blank line or footer."""

    line: int
    kind: str   # preambule | vide | pied
    raw: str
