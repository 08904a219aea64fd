"""HTML for the reception page: detected format, counts, first rows; tables of rejected and skipped lines.

Every value read from a client file goes through :func:`~econn.ui.format.esc`. Rejected and skipped
lines are paged :class:`~econn.ui.table.DataTable` widgets: a wrong delimiter can reject every line of a
100,000-line file, and each one stays reachable page by page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reading.dialect import Dialect
from .format import esc, fr_count, fr_int, fr_number, html_table
from .reception_data import ConnectorInfo, LoadSummary
from .table import DataTable

if TYPE_CHECKING:
    from .common import MessagePanel

DELIMITERS: list[tuple[str, str]] = [
    ("« ; » point-virgule", ";"),
    ("« , » virgule", ","),
    ("tabulation", "\t"),
    ("« | » barre verticale", "|"),
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "iso8859-15", "cp850", "mac_roman", "utf-16"]
_TERMINATORS = {"\r\n": "CRLF (Windows)", "\n": "LF (Unix)", "\r": "CR (ancien Mac)"}
_SKIP_KINDS = {"preambule": "préambule", "vide": "ligne vide", "pied": "pied de fichier"}
_DATE_PARTS = {"%d": "jj", "%m": "mm", "%Y": "aaaa", "%y": "aa", "%H": "hh", "%M": "mm", "%S": "ss"}

SCROLL = '<div style="overflow-x:auto; max-width:100%">{}</div>'
_NOWRAP = "<style>.econn-sample td { white-space: nowrap; }</style>"
_CODE = '<code style="white-space:pre-wrap; word-break:break-all">{}</code>'


def delimiter_label(delimiter: str) -> str:
    """« ; » point-virgule, tabulation, … for a delimiter character."""
    for label, value in DELIMITERS:
        if value == delimiter:
            return label
    return "espace" if delimiter == " " else f"« {delimiter} »"


def date_format_label(fmt: str | None) -> str:
    """``%d/%m/%Y`` → ``jj/mm/aaaa``."""
    if not fmt:
        return "non détecté"
    for code, label in _DATE_PARTS.items():
        fmt = fmt.replace(code, label)
    return fmt


def _pct(x: float) -> str:
    return f"{fr_number(x * 100, 0)} %"


def dialect_html(d: Dialect, *, imposed: bool = False, connector: ConnectorInfo | None = None) -> str:
    """The detected (or imposed) format of the file, as a two-column table."""
    origin = "imposé par l'utilisateur" if imposed else "détecté"
    rows = [
        ("Encodage", f"{d.encoding}" + (" (avec BOM)" if d.bom else "")),
        ("Séparateur", delimiter_label(d.delimiter)),
        ("Guillemet", f"« {d.quotechar} »" if d.quotechar else "aucun"),
        ("En-tête", "oui, première ligne lue" if d.has_header else "non"),
        ("Lignes de préambule", fr_int(d.skip_rows)),
        ("Décimale", "virgule" if d.decimal == "," else "point" if d.decimal == "." else d.decimal),
        ("Format de date", date_format_label(d.date_format)),
        ("Fin de ligne", _TERMINATORS.get(d.line_terminator, repr(d.line_terminator))),
        ("Confiance", f"{_pct(d.confidence)} (encodage : {_pct(d.encoding_confidence)})"),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    declared = ""
    if connector is not None:
        declared = (f'<div class="econn-muted">Format déclaré pour le connecteur {esc(connector.code)} : '
                    f"{esc(connector.file_encoding)}, "
                    f"séparateur {esc(delimiter_label(connector.file_delimiter))}"
                    "</div>")
    return (f"<h3>Format du fichier ({esc(origin)})</h3>"
            f'<table class="econn-table"><tbody>{body}</tbody></table>{declared}')


def counts_html(s: LoadSummary) -> str:
    """Accepted / rejected / skipped lines, and whether only the head of the file was read."""
    accepted = fr_count(s.rows_ok, "ligne acceptée", "lignes acceptées")
    rejected = fr_count(s.rows_rejected, "ligne rejetée", "lignes rejetées")
    skipped = fr_count(len(s.skipped), "ligne ignorée", "lignes ignorées")
    badges = (f'<span class="econn-badge econn-succes">{accepted}</span>'
              f'<span class="econn-badge econn-erreur">{rejected}</span>'
              f'<span class="econn-badge econn-alerte">{skipped}</span>')
    scope = (f"Aperçu partiel : seuls les {fr_int(s.bytes_read)} premiers octets sur {fr_int(s.file_size)} "
             "ont été lus ; les nombres ne portent que sur ce début de fichier."
             if s.partial else f"Tout le fichier a été lu ({fr_int(s.file_size)} octets).")
    notes = "".join(f'<li class="econn-msg-wait">{esc(n)}</li>' for n in s.notes)
    return (f"<h3>Lignes du fichier {esc(s.path.name)}</h3><div>{badges}</div>"
            f'<p class="econn-muted econn-scope">{esc(scope)}</p>' + (f"<ul>{notes}</ul>" if notes else ""))


def sample_html(s: LoadSummary) -> str:
    """The first accepted rows with their line number and the file's own headers."""
    if not s.sample:
        return "<h3>Premières lignes</h3><p>Aucune ligne acceptée.</p>"
    columns = [("_line", "Ligne"), *[(c, c) for c in s.columns]]
    title = f"<h3>Premières lignes ({fr_int(len(s.sample))} sur {fr_count(s.rows_ok, 'acceptée')})</h3>"
    return _NOWRAP + title + SCROLL.format(html_table(s.sample, columns))


def rejects_table(messages: MessagePanel | None = None) -> DataTable:
    """The rejected lines' table (``.econn-rejects``): line number, reason, raw text shown literally."""
    return DataTable([("line", "Ligne"), ("reason", "Motif"), ("raw", "Texte brut")], title="Lignes rejetées",
                     heading="h3", empty_text="Aucune ligne rejetée.", cell_html={"raw": _CODE.format},
                     row_class="econn-reject", css_class="econn-rejects", messages=messages)


def show_rejects(table: DataTable, s: LoadSummary) -> None:
    """Every rejected line of ``s`` in ``table``, page by page."""
    rows = [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in s.rejects]
    table.set_data(rows, title=f"Lignes rejetées ({fr_int(len(rows))})" if rows else "Lignes rejetées")


def skipped_table(messages: MessagePanel | None = None) -> DataTable:
    """The skipped lines' table (``.econn-skipped``): preamble, blank lines, footer."""
    return DataTable([("line", "Ligne"), ("kind", "Type"), ("raw", "Texte")], title="Lignes ignorées",
                     heading="h3", empty_text="Aucune ligne ignorée (ni préambule, ni ligne vide, ni pied).",
                     filters=[("kind", "Type")], cell_html={"raw": _CODE.format}, row_class="econn-skip",
                     css_class="econn-skipped", messages=messages)


def show_skipped(table: DataTable, s: LoadSummary) -> None:
    """Every skipped line of ``s`` in ``table``, page by page."""
    rows = [{"line": k.line, "kind": _SKIP_KINDS.get(k.kind, k.kind), "raw": k.raw} for k in s.skipped]
    table.set_data(rows, title=f"Lignes ignorées ({fr_int(len(rows))})" if rows else "Lignes ignorées")
