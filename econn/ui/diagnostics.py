"""Page « Diagnostics »: run a diagnostic, read its findings, resolve duplicates, clean the price grids.

Duplicates are never merged silently: a cluster is shown side by side and only « Accepter la fusion »
calls :func:`econn.duplicates.merge.accept`; the nettoyage shows its dry-run plan and only « Appliquer le nettoyage »
removes rules (backup in ``<workspace>/sauvegardes/``). A SEC-SEUIL block shows the safety message and a
justification field to lift it once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..duplicates import merge
from ..diagnostics import grid_cleanup, registry, safety
from ..diagnostics.base import DiagnosticResult
from ..store.workspace import resolve_workspace
from . import diagnostics_view as view
from .background import BackgroundTask
from .charts_domain import cluster_evidence_html, result_chart_html
from .common import MessagePanel, load_when_free, page_header
from .format import fr_count
from .table import DataTable

# (French label, diagnostic name) in the selector's order.
CHOICES: list[tuple[str, str]] = [
    ("Produits absents", "produits-absents"),
    ("Configuration TVA", "tva"),
    ("Doublons clients simple", "doublons-simple"),
    ("Doublons clients complet", "doublons-complet"),
    ("Grilles de prix", "grilles-prix"),
    ("Nettoyage des grilles de prix", "nettoyage-grilles"),
]
LABELS = {name: label for label, name in CHOICES}
DUPLICATES = ("doublons-simple", "doublons-complet")
BACKUP_FOLDER = "sauvegardes"


def _classed(widget: w.Widget, *classes: str) -> w.Widget:
    for c in classes:
        widget.add_class(c)
    return widget


def _button(label: str, css: str, icon: str = "", style: str = "") -> w.Button:
    b = w.Button(description=label, icon=icon, button_style=style, layout=w.Layout(width="auto"))
    b.add_class(css)
    return b


class DiagnosticsPage(w.VBox):
    """The diagnostics screen, as a widget."""

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-diagnostics")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.result: DiagnosticResult | None = None
        self.clusters: list[dict[str, Any]] = []
        self.proposal: merge.MergeProposal | None = None
        self.blocked_operation: str | None = None
        g = self.messages.guard

        self.name = _classed(w.Dropdown(options=CHOICES, value="produits-absents", description="Diagnostic",
                                        layout=w.Layout(width="420px")), "econn-diag-name")
        self.header = page_header("Diagnostics", self.workspace, allow_all=True, include_hidden=True)
        self.connector = self.header.connector      # the header's « Connecteur », kept across pages
        self.run_button = _button("Lancer le diagnostic", "econn-diag-run", "play", "primary")
        self.run_button.on_click(g(lambda _b: self.run()))
        self.busy = _classed(w.HTML(""), "econn-diag-busy")
        self.task = BackgroundTask()   # a long diagnostic (duplicates of 100,000 customers) leaves the page free
        self.counts = _classed(w.HTML(""), "econn-diag-counts")
        self.chart = _classed(w.HTML(""), "econn-diag-chart")  # cluster sizes or price-grid anomalies

        self.level_filter = _classed(w.Dropdown(options=[("Tous niveaux", "")] + [(lv, lv) for lv in view.LEVELS],
                                                description="Niveau"), "econn-diag-level")
        self.code_filter = _classed(w.Dropdown(options=[("Tous codes", "")], description="Code"), "econn-diag-code")
        self.level_filter.observe(g(lambda _c: self._filter()), names="value")
        self.code_filter.observe(g(lambda _c: self._filter()), names="value")
        # paged, sortable table (issue #9); its pager keeps the page's former attribute names
        self.findings = DataTable(view.FINDING_COLUMNS, empty_text="Aucun constat.", noun=("constat", "constats"),
                                  css_class="econn-diag-findings", table_class="econn-table econn-findings-table",
                                  cell_html={"level": view.level_cell, "hint": view.hint_cell},
                                  row_class="econn-finding", row_attrs=view.FINDING_ROW_ATTRS,
                                  messages=self.messages)
        self.prev_button = _classed(self.findings.prev_button, "econn-diag-prev")
        self.next_button = _classed(self.findings.next_button, "econn-diag-next")
        self.page_text = _classed(self.findings.page_label, "econn-diag-page")
        self.findings_box = w.VBox([w.HBox([self.level_filter, self.code_filter]), self.findings],
                                   layout=w.Layout(display="none"))

        self.cluster_select = _classed(w.Dropdown(options=[], description="Groupe", layout=w.Layout(width="640px")),
                                       "econn-clusters")
        self.cluster_select.observe(g(lambda _c: self._show_cluster()), names="value")
        self.cluster_detail = _classed(w.HTML(""), "econn-cluster-detail")
        self.accept_button = _button("Accepter la fusion", "econn-merge-accept", "check", "success")
        self.reject_button = _button("Refuser", "econn-merge-reject", "times", "warning")
        self.accept_button.on_click(g(lambda _b: self.accept_merge()))
        self.reject_button.on_click(g(lambda _b: self.reject_merge()))
        self.clusters_box = _classed(w.VBox([w.HTML("<h3>Groupes de doublons</h3>"), self.cluster_select,
                                             self.cluster_detail, w.HBox([self.accept_button, self.reject_button])],
                                            layout=w.Layout(display="none")), "econn-clusters-box")

        self.plan = _classed(w.HTML(""), "econn-cleanup-plan")
        self.apply_button = _button("Appliquer le nettoyage", "econn-cleanup-apply", "trash", "danger")
        self.apply_button.on_click(g(lambda _b: self.apply_cleanup()))
        self.cleanup_box = _classed(w.VBox([w.HTML("<h3>Plan de nettoyage (aperçu)</h3>"), self.plan,
                                            self.apply_button], layout=w.Layout(display="none")),
                                    "econn-cleanup-box")

        self.safety_text = _classed(w.HTML(""), "econn-safety-message")
        self.justification = _classed(w.Textarea(placeholder="Justification écrite (au moins 10 caractères)",
                                                 layout=w.Layout(width="600px")), "econn-safety-justification")
        self.lift_button = _button("Lever le mode de sécurité", "econn-safety-lift", "unlock", "danger")
        self.lift_button.on_click(g(lambda _b: self.lift_safety()))
        self.safety_box = _classed(w.VBox([self.safety_text, self.justification, self.lift_button],
                                          layout=w.Layout(display="none")), "econn-safety")

        self.excel_button = _button("Télécharger le rapport Excel", "econn-diag-excel", "download")
        self.excel_button.disabled = True
        self.excel_button.on_click(g(lambda _b: self.excel()))
        self.download = _classed(w.HTML(""), "econn-diag-download")

        self.children = [
            self.header,
            w.HTML(view.STYLE),
            self.messages,
            self.name,
            w.HBox([self.run_button, self.busy]),
            self.task,
            self.counts,
            self.chart,
            self.safety_box,
            self.clusters_box,
            self.cleanup_box,
            self.findings_box,
            w.HBox([self.excel_button, self.download]),
        ]
        self.loaded = load_when_free(self.workspace, self.messages, self._load_connectors)

    # --- data ------------------------------------------------------------------------------------------
    def _load_connectors(self) -> None:
        self.connector.load()

    def run(self) -> None:
        """Run the selected diagnostic (in a kernel: in the background, with a progress bar), show its result."""
        name = str(self.name.value)
        connector = self.connector.value or None
        self.run_button.disabled = True
        self.busy.value = f"⏳ Diagnostic « {LABELS[name]} » en cours…"

        def ended() -> None:
            self.run_button.disabled = False
            self.busy.value = ""

        def done(result: DiagnosticResult) -> None:
            ended()
            self.show(result)
            self.messages.info(f"Diagnostic « {LABELS[name]} » terminé : {fr_count(len(result.findings), 'constat')}.")

        def failed(exc: BaseException) -> None:
            ended()
            self.messages.report(exc)

        self.task.start(name, f"Diagnostic « {LABELS[name]} »",
                        lambda: registry.run(name, self.workspace, connector=connector),
                        self.messages.guard(done), failed)

    def show(self, result: DiagnosticResult) -> None:
        """Display a diagnostic result (counts, findings, clusters or plan, safety block)."""
        self.result = result
        self.download.value = ""
        self.excel_button.disabled = False
        self.counts.value = view.counts_html(LABELS.get(result.name, result.name), result.findings, result.seconds)
        self.chart.value = result_chart_html(result)
        codes = sorted({f.code for f in result.findings})
        self.level_filter.value = ""
        self.code_filter.options = [("Tous codes", "")] + [(c, c) for c in codes]
        self.code_filter.value = ""
        self.findings_box.layout.display = "flex"
        self.findings.set_data(view.findings_rows(result.findings))
        self._filter()
        self._show_clusters()
        if result.name == grid_cleanup.NAME:
            self.plan.value = view.plan_html(result.extra.get("plan", []), int(result.extra.get("total", 0)))
            self.apply_button.disabled = not result.extra.get("plan")
            self.cleanup_box.layout.display = "flex"
        else:
            self.cleanup_box.layout.display = "none"
        blocked = next((f for f in result.findings if f.code == "SEC-SEUIL"), None)
        if blocked is not None:
            self._show_safety(blocked.subject, f"{blocked.message} — {blocked.hint}")
        else:
            self._show_safety(None, "")

    @property
    def page_index(self) -> int:
        """The findings page shown (0-based)."""
        return self.findings.page

    def _filter(self) -> None:
        self.findings.set_filters({"level": self.level_filter.value or "", "code": self.code_filter.value or ""})

    # --- duplicates ------------------------------------------------------------------------------------
    def _show_clusters(self) -> None:
        result = self.result
        if result is None or result.name not in DUPLICATES:
            self.clusters_box.layout.display = "none"
            return
        decisions = merge.rejected(self.workspace)
        self.clusters = [c for c in result.clusters if not merge.is_rejected(c, decisions)]
        self.clusters_box.layout.display = "flex"
        self.cluster_select.options = [(view.cluster_label(c), i) for i, c in enumerate(self.clusters)]
        self.cluster_select.value = 0 if self.clusters else None
        self._show_cluster()

    def _show_cluster(self) -> None:
        idx = self.cluster_select.value
        self.proposal = None
        has = idx is not None and 0 <= idx < len(self.clusters)
        self.accept_button.disabled = self.reject_button.disabled = True
        if not has:
            self.cluster_detail.value = "<p>Aucun groupe de doublons à examiner.</p>"
            return
        cluster = self.clusters[idx]
        self.proposal = merge.propose(self.workspace, cluster)
        self.cluster_detail.value = (view.cluster_detail_html(cluster, self.proposal)
                                     + cluster_evidence_html(cluster))
        self.accept_button.disabled = self.reject_button.disabled = False

    def _drop_current(self) -> None:
        idx = self.cluster_select.value
        if idx is not None:
            del self.clusters[idx]
        self.cluster_select.options = [(view.cluster_label(c), i) for i, c in enumerate(self.clusters)]
        self.cluster_select.value = 0 if self.clusters else None
        self._show_cluster()

    def accept_merge(self) -> None:
        """Apply the displayed merge proposal (the user's explicit click)."""
        if self.proposal is None:
            self.messages.error("Choisissez d'abord un groupe de doublons.")
            return
        try:
            done = merge.accept(self.workspace, self.proposal, user=safety.current_user())
        except merge.MergeError as exc:
            if "SEC-SEUIL" in exc.message_fr or "seuil" in exc.message_fr:
                self._show_safety(merge.OPERATION, exc.message_fr)
            raise
        self.messages.info(done["message"])
        self._drop_current()

    def reject_merge(self) -> None:
        """Record that the displayed cluster is not a duplicate."""
        idx = self.cluster_select.value
        if idx is None or not self.clusters:
            self.messages.error("Choisissez d'abord un groupe de doublons.")
            return
        cluster = self.clusters[idx]
        merge.reject(self.workspace, cluster, safety.current_user())
        self.messages.info(f"Fusion refusée : {', '.join(map(str, cluster['members']))} ne sont pas des doublons "
                           "(décision enregistrée dans l'historique).")
        self._drop_current()

    # --- nettoyage -------------------------------------------------------------------------------------
    def apply_cleanup(self) -> None:
        """Back up then remove the planned rules (safety mode first)."""
        if self.result is None or self.result.name != grid_cleanup.NAME:
            self.messages.error("Lancez d'abord l'aperçu du nettoyage des grilles de prix.")
            return
        ids = [e["id"] for e in self.result.extra.get("plan", [])]
        today = dt.date.fromisoformat(self.result.extra["today"]) if self.result.extra.get("today") else None
        done = grid_cleanup.apply(self.workspace, ids, backup_dir=self.workspace / BACKUP_FOLDER,
                                  user=safety.current_user(), today=today,
                                  connector=self.connector.value or None)
        if done["status"] == "bloque":
            f = done["finding"]
            self._show_safety(grid_cleanup.OPERATION, f"{f['message']} — {f['hint']}")
            self.messages.error("Nettoyage bloqué par le mode de sécurité : rien n'a été supprimé.")
            return
        if done["status"] == "rien":
            self.messages.info("Aucune règle à supprimer.")
            return
        removed = fr_count(done["removed"], "règle supprimée", "règles supprimées")
        self.messages.info(f"Nettoyage appliqué : {removed} ; sauvegarde {done['backup']}.")
        self.show(registry.run(grid_cleanup.NAME, self.workspace, today=today))

    # --- safety ----------------------------------------------------------------------------------------
    def _show_safety(self, operation: str | None, text: str) -> None:
        self.blocked_operation = operation if text else None
        self.safety_box.layout.display = "flex" if text else "none"
        self.safety_text.value = (f'<div class="econn-msg-error"><b>Mode de sécurité :</b> {view.esc(text)}</div>'
                                  if text else "")

    def lift_safety(self) -> None:
        """Lift the safety mode once for the blocked operation, with the written justification."""
        if not self.blocked_operation:
            self.messages.error("Aucune opération n'est bloquée par le mode de sécurité.")
            return
        safety.lift(self.workspace, self.blocked_operation, safety.current_user(), self.justification.value,
                    connector=self.connector.value or None)
        label = safety.OPERATIONS[self.blocked_operation].label
        self._show_safety(None, "")
        self.justification.value = ""
        self.messages.info(f"Mode de sécurité levé une fois pour la {label} (24 h) : relancez l'opération.")

    # --- Excel -----------------------------------------------------------------------------------------
    def excel(self) -> None:
        """Write the current result to a workbook and offer it as a download link."""
        if self.result is None:
            self.messages.error("Lancez d'abord un diagnostic.")
            return
        from ..diagnostics.excel import write_report  # openpyxl: not on a cold kernel's way to the page

        filename = f"diagnostic-{self.result.name}-{dt.datetime.now():%Y%m%d-%H%M%S}.xlsx"
        with tempfile.TemporaryDirectory(prefix="econn-diag-") as tmp:
            path = write_report(self.result, Path(tmp) / filename)
            data = Path(path).read_bytes()
        self.download.value = view.download_html(data, filename)
        self.messages.info(f"Rapport Excel prêt : {filename}")
