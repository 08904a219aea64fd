"""Reception page, step 1: pick a pending file, see how it reads (format, rejects, first rows, headers).

Data comes from :mod:`econn.ui.reception_data`, HTML from :mod:`econn.ui.reception_view`, the
header mapping editor from :mod:`econn.ui.reception_mapping`; this module wires the widgets.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..reading.dialect import Dialect
from ..errors import LoaderError
from ..reading.sniffer import sniff
from ..store.workspace import connector_dir, resolve_workspace
from .common import MessagePanel, css, load_when_free, page_header
from .format import esc, fr_count, fr_int
from .reception_data import (
    ConnectorInfo,
    LoadSummary,
    connector_files,
    load_summary,
    override,
)
from .reception_mapping import FLOW, MappingEditor
from .reception_steps import ReceptionSteps
from .reception_view import (
    DELIMITERS,
    ENCODINGS,
    counts_html,
    dialect_html,
    rejects_table,
    sample_html,
    show_rejects,
    show_skipped,
    skipped_table,
)

__all__ = ["ReceptionPage"]

_HIDDEN, _SHOWN = "none", ""
STEPS = 3   # détection, lecture, correspondance des en-têtes




def _auto() -> w.Layout:
    # one Layout per widget: hiding a widget sets its layout's display, which a shared Layout would spread
    return w.Layout(width="auto", align_self="flex-start")


def _hide(widget: w.Widget, hidden: bool) -> None:
    widget.layout.display = _HIDDEN if hidden else _SHOWN


class ReceptionPage(w.VBox):
    """« Réception » dashboard, first step: read a pending file and check how it is understood."""

    large_file_bytes: int = 50 * 1024 * 1024   # above this, read a preview first
    preview_bytes: int = 1024 * 1024

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-reception")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.result: LoadSummary | None = None
        self.sniffed: Dialect | None = None     # what sniff() found for the loaded file
        self.connectors: dict[str, ConnectorInfo] = {}
        self._full = False
        guard = self.messages.guard

        self.header = page_header("Réception", self.workspace)
        self.connector = self.header.connector      # the header's « Connecteur », kept across pages
        self.file = css(w.Dropdown(description="Fichier", layout=w.Layout(width="28em")), "econn-file")
        self.load_button = css(w.Button(description="Charger le fichier", icon="folder-open",
                                         button_style="primary", layout=_auto()), "econn-load")
        self.progress = css(w.IntProgress(value=0, min=0, max=STEPS, bar_style="info"), "econn-progress")
        self.progress_step = css(w.HTML(), "econn-progress-step")
        self.progress_box = css(w.HBox([self.progress, self.progress_step]), "econn-progress-box")
        _hide(self.progress_box, True)

        self.dialect_view = css(w.HTML(), "econn-dialect")
        self.encoding = css(w.Dropdown(description="Encodage", options=list(ENCODINGS)), "econn-encoding")
        self.delimiter = css(w.Dropdown(description="Séparateur", options=list(DELIMITERS)),
                              "econn-delimiter")
        self.reload_button = css(w.Button(description="Relire avec ce format", icon="repeat",
                                           layout=_auto()), "econn-reload")
        self.counts = css(w.HTML(), "econn-counts")
        self.full_button = css(w.Button(description="Lire tout le fichier", icon="book", layout=_auto()),
                                "econn-load-full")
        self.sample = css(w.HTML(), "econn-sample")
        self.rejects = rejects_table(self.messages)      # paged: every reject stays reachable
        self.skipped = skipped_table(self.messages)
        self.mapping = MappingEditor(self.workspace, self.messages, FLOW)
        self.details = css(w.VBox([
            self.dialect_view,
            w.HBox([self.encoding, self.delimiter, self.reload_button]),
            self.counts, self.full_button, self.sample, self.rejects, self.skipped, self.mapping,
        ]), "econn-details")
        _hide(self.details, True)
        self._refreshing = False      # refreshing the file list after an integration keeps its report
        self.steps = ReceptionSteps(self.workspace, self.messages, lambda: self.connector.value or None,
                                    self._selected_or_none, self._after_integration)

        self.children = [
            self.header,
            self.messages,
            w.HTML("<h3>Fichier reçu</h3>"),
            w.HBox([self.file, self.load_button]),
            self.progress_box,
            self.details,
            self.steps,
        ]
        self.load_button.on_click(lambda _b: self.load())
        self.reload_button.on_click(lambda _b: self.reload())
        self.full_button.on_click(lambda _b: self.load_full())
        self.connector.observe(guard(lambda _c: self.refresh_files()), "value")
        self.file.observe(guard(lambda _c: self._clear_result()), "value")
        self.loaded = load_when_free(self.workspace, self.messages, self.refresh_connectors)

    # --- choosing the file -------------------------------------------------------------------

    def refresh_connectors(self) -> None:
        """List the visible connectors (code — partner) and the pending files of the selected one."""
        ws = self.workspace
        self.connectors = {c.code: ConnectorInfo(c.code, c.partner, c.import_dir,
                                                 connector_dir(ws, c.import_dir, c.code, "import"),
                                                 c.file_encoding, c.file_delimiter)
                           for c in self.connector.load().values()}
        self.refresh_files()
        if not self.connectors:
            self.messages.info("Aucun connecteur paramétré dans cet espace de travail.")

    def refresh_files(self) -> None:
        """List the ``*.csv`` waiting in the selected connector's import folder."""
        info = self.connectors.get(self.connector.value or "")
        files = connector_files(self.workspace, info) if info else []
        self.file.options = [(p.name, p.name) for p in files]
        self.file.value = files[0].name if files else None
        self.file.disabled = self.load_button.disabled = not files
        self._clear_result()
        if info and not files:
            self.messages.info(f"Aucun fichier en attente pour le connecteur {info.code} "
                               f"(dossier {info.import_folder}).")

    def selected_path(self) -> Path:
        """The file chosen in the dropdowns.

        Raises:
            LoaderError: no connector or no file is selected.
        """
        info = self.connectors.get(self.connector.value or "")
        if info is None or not self.file.value:
            raise LoaderError("no file selected",
                              "Choisissez d'abord un connecteur et un fichier en attente.")
        return info.import_folder / str(self.file.value)

    def _selected_or_none(self) -> Path | None:
        """The selected file, else None (the analysis then takes every pending file of the connector)."""
        info = self.connectors.get(self.connector.value or "")
        return info.import_folder / str(self.file.value) if info and self.file.value else None

    def _after_integration(self) -> None:
        """Refresh the pending files (a complete file became .bak) without wiping the report."""
        self._refreshing = True
        try:
            self.refresh_files()
        finally:
            self._refreshing = False

    # --- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Detect the format of the selected file, read it and propose a header mapping (« Charger »)."""
        self.messages.guard(self._load)(None, None, False)

    def reload(self) -> None:
        """Re-read the loaded file with the encoding and delimiter chosen in the override widgets."""
        def run() -> None:
            if self.result is None:
                raise LoaderError("nothing loaded", "Chargez d'abord un fichier avant de changer son format.")
            dialect = override(self.result.dialect, self.encoding.value, self.delimiter.value)
            self._load(self.result.path, dialect, self._full)
        self.messages.guard(run)()

    def load_full(self) -> None:
        """Read the whole file after a partial preview of a large file."""
        def run() -> None:
            if self.result is None:
                raise LoaderError("nothing loaded", "Chargez d'abord un fichier.")
            self._load(self.result.path, self.result.dialect, True)
        self.messages.guard(run)()

    def _step(self, n: int, text: str) -> None:
        self.progress.value = n
        self.progress_step.value = f'<span class="econn-muted">{esc(text)}</span>'

    def _load(self, path: Path | None, dialect: Dialect | None, full: bool) -> None:
        path = path or self.selected_path()
        self._clear_result()
        self.messages.clear()
        if not path.is_file():
            self.refresh_files()
            raise LoaderError(f"{path} vanished",
                              f"Le fichier {path.name} n'est plus dans le dossier d'import (déjà réceptionné "
                              "ou déplacé ?) : la liste a été actualisée.")
        self.messages.waiting(f"Lecture de {path.name}…")
        self.progress.bar_style = "info"
        _hide(self.progress_box, False)
        try:
            if dialect is None:
                self._step(0, "Détection de l'encodage et du format…")
                dialect = self.sniffed = sniff(path)
            try:
                size = path.stat().st_size
            except OSError:
                size = 0   # read_csv says why in French
            max_bytes = None if full or size <= self.large_file_bytes else self.preview_bytes
            self._step(1, f"Lecture du fichier ({fr_int(size)} octets)…" if max_bytes is None
                       else f"Lecture d'un aperçu ({fr_int(max_bytes)} premiers octets sur {fr_int(size)})…")
            summary = load_summary(path, dialect, max_bytes=max_bytes)
            self._step(2, "Correspondance des en-têtes…")
            code = str(self.connector.value)
            if dialect.has_header:
                self.mapping.propose(summary.columns, code)
            else:
                self.mapping.show([], code)
            self._step(3, "Terminé.")
        except Exception:
            self.progress.bar_style = "danger"
            self.messages.clear()
            raise
        finally:
            _hide(self.progress_box, True)
        self.result, self._full = summary, max_bytes is None
        self._show(summary)
        self.messages.clear()
        scope = "aperçu partiel" if summary.partial else "fichier complet"
        accepted = fr_count(summary.rows_ok, "ligne acceptée", "lignes acceptées")
        rejected = fr_count(summary.rows_rejected, "rejetée")
        skipped = fr_count(len(summary.skipped), "ignorée")
        self.messages.info(f"{path.name} lu ({scope}) : {accepted}, {rejected}, {skipped}.")

    # --- showing -------------------------------------------------------------------------------

    def _imposed(self, d: Dialect) -> bool:
        s = self.sniffed
        return s is not None and (d.encoding != s.encoding or d.delimiter != s.delimiter)

    def _show(self, s: LoadSummary) -> None:
        d = s.dialect
        self.dialect_view.value = dialect_html(d, imposed=self._imposed(d),
                                               connector=self.connectors.get(str(self.connector.value)))
        if d.encoding not in self.encoding.options:
            self.encoding.options = [*self.encoding.options, d.encoding]
        self.encoding.value = d.encoding
        if d.delimiter not in [v for _, v in self.delimiter.options]:
            self.delimiter.options = [*self.delimiter.options, (f"« {d.delimiter} »", d.delimiter)]
        self.delimiter.value = d.delimiter
        self.counts.value = counts_html(s)
        _hide(self.full_button, not s.partial)
        self.sample.value = sample_html(s)
        show_rejects(self.rejects, s)
        show_skipped(self.skipped, s)
        _hide(self.details, False)

    def _clear_result(self) -> None:
        self.result = None
        if not self._refreshing:
            self.steps.clear()
        for view in (self.dialect_view, self.counts, self.sample):
            view.value = ""
        self.rejects.clear()
        self.skipped.clear()
        self.mapping.clear()
        _hide(self.details, True)
