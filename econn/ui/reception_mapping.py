"""Header mapping editor of the reception page: one dropdown per file column, and « Mémoriser »."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..reading.formats import detect_format
from ..reading.headers import ORIGIN_LABELS, SYNONYMS, HeaderMatch, map_headers, remember_mapping
from .common import MessagePanel
from .format import esc, fr_count, fr_number

FLOW = "documents"
IGNORE = ""   # dropdown value of « (ignorer) »: a Dropdown cannot hold None as an option value
ORIGINS = ORIGIN_LABELS


class MappingEditor(w.VBox):
    """For each header of a file, the proposed canonical field, editable, and a button to remember it."""

    def __init__(self, workspace: Path, messages: MessagePanel, flow: str = FLOW) -> None:
        super().__init__()
        self.add_class("econn-mapping")
        self.workspace = workspace
        self.messages = messages
        self.flow = flow
        self.connector: str | None = None
        self.matches: list[HeaderMatch] = []
        self.fields: dict[str, w.Dropdown] = {}
        self.options: list[tuple[str, str]] = [("(ignorer)", IGNORE)] + [(f, f) for f in SYNONYMS[flow]]
        self.rows = w.VBox()
        self.format_note = w.HTML("")
        self.save_button = w.Button(description="Mémoriser la correspondance", icon="save",
                                    layout=w.Layout(width="auto", align_self="flex-start"))
        self.save_button.add_class("econn-save-mapping")
        self.save_button.on_click(messages.guard(lambda _b: self.save()))
        self.children = [
            w.HTML("<h3>Correspondance des en-têtes</h3><p class=\"econn-muted\">Champ du flux "
                   f"« {esc(flow)} » proposé pour chaque colonne du fichier ; modifiez-le au besoin puis "
                   "mémorisez-le pour ce connecteur.</p>"),
            self.format_note,
            self.rows,
            self.save_button,
        ]

    def clear(self) -> None:
        """Forget the current file's headers."""
        self.matches, self.fields, self.connector = [], {}, None
        self.rows.children = ()
        self.format_note.value = ""

    def propose(self, headers: list[str], connector: str) -> None:
        """Ask :func:`map_headers` for this connector and show its proposals (a recognised export format's
        mapping first, as the reception applies it)."""
        found = detect_format(headers, self.flow)
        self.format_note.value = (f'<p class="econn-format">Format reconnu : <b>{esc(found[0].label)}</b></p>'
                                  if found else "")
        self.show(map_headers(headers, self.flow, connector=connector, workspace=self.workspace,
                              source_format=found[0] if found else None), connector)

    def show(self, matches: list[HeaderMatch], connector: str) -> None:
        """Draw one row per header: the header, a field dropdown, the score and origin."""
        self.matches, self.connector, self.fields = list(matches), connector, {}
        rows: list[w.Widget] = []
        for m in matches:
            dd = w.Dropdown(options=self.options, value=m.field or IGNORE, layout=w.Layout(width="16em"))
            dd.add_class("econn-mapping-field")
            self.fields[m.header] = dd
            how = (f"{ORIGINS.get(m.origin, m.origin)} (score {fr_number(m.score, 0)})" if m.origin != "aucun"
                   else ORIGINS["aucun"])
            header = w.HTML(f"<b>{esc(m.header)}</b>", layout=w.Layout(width="16em"))
            origin = w.HTML(f'<span class="econn-muted econn-mapping-origin">{esc(how)}</span>')
            row = w.HBox([header, dd, origin])
            row.add_class("econn-mapping-row")
            rows.append(row)
        if not matches:
            rows.append(w.HTML("<p>Pas de ligne d'en-tête : aucune correspondance à proposer.</p>"))
        self.rows.children = tuple(rows)
        self.save_button.disabled = not matches

    def chosen(self) -> dict[str, str | None]:
        """The field chosen for each header (None: ignored)."""
        return {h: (dd.value or None) for h, dd in self.fields.items()}

    def changes(self) -> list[tuple[str, str | None]]:
        """(header, field) for each header whose choice differs from the proposal."""
        chosen = self.chosen()
        return [(m.header, chosen[m.header]) for m in self.matches if chosen[m.header] != m.field]

    def save(self) -> int:
        """Remember every changed choice for the connector; returns how many were stored."""
        if self.connector is None or not self.matches:
            self.messages.error("Chargez d'abord un fichier pour en modifier la correspondance.")
            return 0
        chosen = self.chosen()
        by_field: dict[str, list[str]] = {}
        for header, fld in chosen.items():
            if fld:
                by_field.setdefault(fld, []).append(header)
        twice = {f: hs for f, hs in by_field.items() if len(hs) > 1}
        if twice:
            detail = " ; ".join(f"{f} : {', '.join(hs)}" for f, hs in twice.items())
            self.messages.error(f"Un champ ne peut correspondre qu'à une colonne ({detail}). "
                                "Rien n'a été mémorisé.")
            return 0
        changes = self.changes()
        if not changes:
            self.messages.info("Aucune correspondance modifiée : rien à mémoriser.")
            return 0
        for header, fld in changes:
            remember_mapping(self.workspace, self.connector, self.flow, header, fld)
        detail = ", ".join(f"{h} → {f or '(ignorer)'}" for h, f in changes)
        self.propose([m.header for m in self.matches], self.connector)
        saved = fr_count(len(changes), "correspondance mémorisée", "correspondances mémorisées")
        self.messages.info(f"{saved} pour le connecteur "
                           f"{self.connector} : {detail}.")
        return len(changes)
