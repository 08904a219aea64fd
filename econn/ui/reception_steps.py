"""Reception page, steps 2–3: analyse, correspondences, recap with homonym choices, integration, findings.

Data and HTML come from :mod:`econn.ui.reception_steps_view`; the reception itself from
:mod:`econn.reception`. :class:`ReceptionSteps` is a box the :class:`~econn.ui.reception.ReceptionPage`
places under the first step; it asks the page for the connector and file through two callables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..mappings import correspondences
from ..diagnostics.chart_data import sum_counts
from ..errors import EconnError
from ..findings import Finding
from ..reception import FileAnalysis, analyze, integrate
from .charts_domain import reception_documents_svg
from .common import MessagePanel, css
from .format import esc, fr_amount, fr_count
from .reception_steps_view import (
    DOCUMENT_COLUMNS,
    DOMAIN_FR,
    FINDING_COLUMNS,
    LEVELS_FR,
    TIERS_COLUMNS,
    Unknown,
    articles_html,
    counts_line,
    documents_rows,
    download_html,
    findings_rows,
    findings_xlsx,
    report_html,
    tiers_names,
    tiers_rows,
    unknowns,
)
from .table import DataTable

__all__ = ["ReceptionSteps", "LEAVE", "UNDECIDED", "CREATE"]

LEAVE = ""          # correspondence modal: leave the value without correspondence (documents stay blocked)
UNDECIDED = ""      # homonym: no decision yet (the document waits)
CREATE = "create"




def _hide(widget: w.Widget, hidden: bool) -> None:
    widget.layout.display = "none" if hidden else ""


class ReceptionSteps(w.VBox):
    """« Analyser », correspondences modal, recap, « Intégrer » with its report, findings table."""

    def __init__(self, workspace: Path, messages: MessagePanel, connector: Callable[[], str | None],
                 file: Callable[[], Path | None], on_integrated: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.add_class("econn-steps")
        self.workspace = workspace
        self.messages = messages
        self._connector, self._file, self._on_integrated = connector, file, on_integrated
        self.files: list[FileAnalysis] = []        # last analysis (or integration) shown
        self.integrated = False
        self.unknowns: list[Unknown] = []
        self.corr_choices: dict[tuple[str, str], w.Dropdown] = {}
        self.homonym_choices: dict[str, w.Dropdown] = {}
        guard = messages.guard

        self.analyze_button = css(w.Button(description="Analyser", icon="search", button_style="primary",
                                            layout=w.Layout(width="auto")), "econn-analyze")
        self.corr_rows = css(w.VBox(), "econn-corr-rows")
        self.corr_ok = css(w.Button(description="OK", icon="check", button_style="success",
                                     layout=w.Layout(width="auto")), "econn-corr-ok")
        self.corr_modal = css(w.VBox([
            w.HTML("<h3>Correspondances pour la réception</h3><div class='econn-muted'>Ces valeurs du fichier "
                   "sont inconnues de la GC : choisissez la valeur GC correspondante puis OK. Laissez « — sans "
                   "correspondance — » pour garder le document bloqué.</div>"),
            self.corr_rows, self.corr_ok]), "econn-corr-modal")
        self.recap_counts = css(w.HTML(), "econn-recap-counts-box")
        self.recap_articles = css(w.HTML(), "econn-recap-articles")
        # paged tables: a big file has thousands of documents, tiers and findings (issue #9)
        self.recap_documents = DataTable(DOCUMENT_COLUMNS, title="Documents", empty_text="Aucun document.",
                                         filters=[("state", "État")], formats={"ttc": fr_amount},
                                         css_class="econn-recap-documents", messages=messages)
        self.recap_tiers = DataTable(TIERS_COLUMNS, title="Tiers", empty_text="",
                                     filters=[("status", "Statut")], css_class="econn-recap-tiers",
                                     messages=messages)
        self.homonyms_box = css(w.VBox(), "econn-homonyms")
        self.recap = css(w.VBox([
            w.HTML("<h3>Récapitulatif des données à recevoir</h3>"), self.recap_counts, self.recap_articles,
            self.recap_documents, self.recap_tiers, self.homonyms_box]), "econn-recap")
        self.integrate_button = css(w.Button(description="Intégrer", icon="download", button_style="primary",
                                              layout=w.Layout(width="auto")), "econn-integrate")
        self.integrate_progress = css(w.IntProgress(value=0, min=0, max=1, bar_style="info"),
                                       "econn-integrate-progress")
        self.report = css(w.HTML(), "econn-report")
        self.findings_level = css(w.Dropdown(description="Niveau", options=LEVELS_FR, value=""),
                                   "econn-findings-level")
        self.findings_code = css(w.Dropdown(description="Code", options=[("Tous", "")], value=""),
                                  "econn-findings-code")
        self.findings_table = DataTable(FINDING_COLUMNS, empty_text="Aucun constat.",
                                        noun=("constat", "constats"), css_class="econn-findings-table",
                                        messages=messages)
        self.export_button = css(w.Button(description="Exporter en Excel", icon="file-excel-o",
                                           layout=w.Layout(width="auto")), "econn-findings-export")
        self.download = css(w.HTML(), "econn-findings-download")
        self.findings = css(w.VBox([
            w.HTML("<h3>Constats</h3>"), w.HBox([self.findings_level, self.findings_code, self.export_button]),
            self.download, self.findings_table]), "econn-findings")
        self.integrate_box = css(w.VBox([w.HBox([self.integrate_button, self.integrate_progress])]),
                                  "econn-integrate-box")
        self.children = [w.HTML("<h3>Analyse et intégration</h3>"), self.analyze_button, self.corr_modal,
                         self.recap, self.integrate_box, self.report, self.findings]
        self.analyze_button.on_click(guard(lambda _b: self.analyze()))
        self.corr_ok.on_click(guard(lambda _b: self.save_correspondences()))
        self.integrate_button.on_click(guard(lambda _b: self.integrate()))
        self.export_button.on_click(guard(lambda _b: self.export_findings()))
        self.findings_level.observe(guard(lambda _c: self.show_findings()), "value")
        self.findings_code.observe(guard(lambda _c: self.show_findings()), "value")
        self.clear()

    # --- state ---------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the analysis (another connector or file was chosen)."""
        self.files, self.integrated, self.unknowns = [], False, []
        self.corr_choices, self.homonym_choices = {}, {}
        self.corr_rows.children, self.homonyms_box.children = (), ()
        for view in (self.recap_counts, self.recap_articles, self.report, self.download):
            view.value = ""
        for table in (self.recap_documents, self.recap_tiers, self.findings_table):
            table.clear()
        for box in (self.corr_modal, self.recap, self.integrate_box, self.report, self.findings):
            _hide(box, True)

    def _target(self) -> tuple[str, Path | None]:
        code = self._connector()
        if not code:
            raise EconnError("no connector", "Choisissez d'abord un connecteur.")
        return code, self._file()

    # --- step 1: analysis ------------------------------------------------------------------------

    def analyze(self) -> None:
        """Run :func:`econn.reception.analyze` on the selected file (else all the connector's files)."""
        code, path = self._target()
        self.messages.clear()
        self.messages.waiting("Analyse en cours…")
        res = analyze(self.workspace, code, path)
        try:
            files = list(res.files)
        finally:
            res.close()
        self.clear()
        self.messages.clear()
        if not files:
            self.messages.info(f"Aucun fichier en attente pour le connecteur {code}.")
            return
        self.files = files
        for fa in files:
            if fa.error:
                self.messages.error(f"{fa.file.name} : {fa.error}")
        self.unknowns = unknowns(self.workspace, code, files)
        self._show_modal()
        self._show_recap()
        self._show_findings_filters()
        _hide(self.integrate_box, False)
        self.integrate_button.disabled = False
        n = sum(len(fa.documents) for fa in files)
        unknown = fr_count(len(self.unknowns), "valeur sans correspondance", "valeurs sans correspondance")
        self.messages.info(f"Analyse terminée : {fr_count(n, 'document')}"
                           + (f", {unknown}." if self.unknowns else "."))

    def _show_modal(self) -> None:
        rows = []
        for u in self.unknowns:
            dd = w.Dropdown(options=[("— sans correspondance —", LEAVE), *u.options],
                            value=u.suggestion or LEAVE, layout=w.Layout(width="26em"))
            dd.add_class("econn-corr-choice")
            self.corr_choices[(u.domain, u.value)] = dd
            hint = f" (suggestion : {u.suggestion} — {u.reason})" if u.suggestion else " (aucune suggestion)"
            label = w.HTML(f"<b>{esc(DOMAIN_FR.get(u.domain, u.domain))}</b> « {esc(u.value)} »"
                           f"<span class='econn-muted'>{esc(hint)}</span>", layout=w.Layout(width="34em"))
            label.add_class("econn-corr-value")
            rows.append(css(w.HBox([label, dd]), "econn-corr-row", f"econn-corr-{u.domain}"))
        self.corr_rows.children = rows
        _hide(self.corr_modal, not rows)

    def save_correspondences(self) -> None:
        """« OK » of the modal: store every chosen value with ``set_mapping``, then analyse again."""
        code, _ = self._target()
        chosen = [(d, v, dd.value) for (d, v), dd in self.corr_choices.items() if dd.value != LEAVE]
        if not chosen:
            self.messages.info("Aucune valeur choisie : les documents concernés restent bloqués.")
            return
        refused: list[str] = []
        saved = 0
        for domain, value, gc in chosen:
            try:
                correspondences.set_mapping(self.workspace, code, domain, value, gc)
                saved += 1
            except EconnError as exc:
                refused.append(exc.message_fr)
        decisions = self.decisions()
        self.analyze()
        self._restore_decisions(decisions)
        saved_text = fr_count(saved, "correspondance enregistrée", "correspondances enregistrées")
        self.messages.info(f"{saved_text}.")
        for text in refused:
            self.messages.error(text)

    # --- recap and homonyms ---------------------------------------------------------------------

    def _show_recap(self) -> None:
        # The documents' share chart sits under the counts, above the articles and documents tables.
        self.recap_counts.value = counts_line(self.files) + reception_documents_svg(self.files)
        self.recap_articles.value = articles_html(self.files)
        self.recap_documents.set_data(documents_rows(self.files))
        self.recap_tiers.set_data(tiers_rows(self.files))
        homonyms = [t for fa in self.files for t in fa.tiers if t.status == "homonym"]
        names = tiers_names(self.workspace, sorted({c for t in homonyms for c in t.candidates}))
        rows = []
        for t in homonyms:
            options = [("À décider (le document reste en attente)", UNDECIDED),
                       ("Créer un nouveau client", CREATE),
                       *[(f"Affecter à {c} — {names.get(c, c)}", c) for c in t.candidates]]
            dd = css(w.Dropdown(options=options, value=UNDECIDED, layout=w.Layout(width="30em")),
                      "econn-homonym-choice")
            self.homonym_choices[t.external_code] = dd
            label = w.HTML(f"Homonyme <b>{esc(t.name)}</b> ({esc(t.external_code)}) : "
                           f"<span class='econn-muted'>{esc(t.reason)}</span>")
            rows.append(css(w.VBox([label, dd]), "econn-homonym"))
        self.homonyms_box.children = rows
        _hide(self.recap, False)

    def decisions(self) -> dict[str, str]:
        """The homonym choices made in the recap: external key → ``"create"`` or a GC tiers code."""
        return {k: dd.value for k, dd in self.homonym_choices.items() if dd.value != UNDECIDED}

    def _restore_decisions(self, decisions: dict[str, str]) -> None:
        for key, value in decisions.items():
            dd = self.homonym_choices.get(key)
            if dd is not None and value in [v for _, v in dd.options]:
                dd.value = value

    # --- step 2: integration --------------------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        self.integrate_progress.max = max(total, 1)
        self.integrate_progress.value = min(done, self.integrate_progress.max)

    def integrate(self) -> None:
        """« Intégrer »: :func:`econn.reception.integrate` with the homonym decisions, then the report."""
        code, path = self._target()
        decisions = self.decisions()
        self.integrate_button.disabled = self.analyze_button.disabled = True
        self.integrate_progress.value, self.integrate_progress.bar_style = 0, "info"
        self.messages.clear()
        self.messages.waiting("Intégration en cours…")
        try:
            res = integrate(self.workspace, code, path, decisions=decisions or None, progress=self._progress)
            try:
                files = list(res.files)
            finally:
                res.close()
        except Exception:
            self.integrate_progress.bar_style = "danger"
            self.messages.clear()
            self.integrate_button.disabled = False
            raise
        finally:
            self.analyze_button.disabled = False
        self.integrate_progress.bar_style = "success"
        self.integrate_progress.value = self.integrate_progress.max
        self.files, self.integrated = files, True
        self.messages.clear()
        self.report.value = report_html(files)
        _hide(self.report, False)
        _hide(self.corr_modal, True)
        self.recap_counts.value = counts_line(files) + reception_documents_svg(files)
        self.recap_documents.set_data(documents_rows(files))
        self.homonyms_box.children = ()
        self.homonym_choices = {}
        self._show_findings_filters()
        done = sum(1 for fa in files for d in fa.documents if d.status == "integrated")
        integrated = fr_count(done, "document intégré", "documents intégrés")
        self.messages.info(f"Intégration terminée : {integrated}.")
        if self._on_integrated is not None:
            self._on_integrated()

    # --- findings -------------------------------------------------------------------------------

    def all_findings(self) -> list[Finding]:
        """Every finding of the analysis (or integration) shown."""
        return [f for fa in self.files for f in fa.findings]

    def shown_findings(self) -> list[Finding]:
        """The findings the table shows (level, code and text filters), in its order."""
        items = self.all_findings()
        return [items[i] for i in self.findings_table.positions()]

    def _show_findings_filters(self) -> None:
        self.findings_table.set_data(findings_rows(self.all_findings()))
        codes = sorted({f.code for f in self.all_findings()})
        current = self.findings_code.value
        self.findings_code.options = [("Tous", ""), *[(c, c) for c in codes]]
        self.findings_code.value = current if current in codes else ""
        self.download.value = ""
        self.show_findings()
        _hide(self.findings, False)

    def show_findings(self) -> None:
        """Filter the findings table by the chosen level and code."""
        self.findings_table.set_filters({"level": self.findings_level.value or "",
                                         "code": self.findings_code.value or ""})

    def export_findings(self) -> bytes:
        """« Exporter en Excel »: the filtered findings as .xlsx, offered as a download link in the page."""
        items = self.shown_findings()
        if not items:
            self.messages.info("Aucun constat à exporter.")
            return b""
        data = findings_xlsx(items, documents=sum_counts(fa.counts() for fa in self.files))
        stem = self.files[0].file.stem if self.files else "reception"
        name = f"constats_{stem}_{dt.datetime.now():%Y%m%d_%H%M%S}.xlsx"
        self.download.value = download_html(data, name)
        exported = fr_count(len(items), "constat exporté", "constats exportés")
        self.messages.info(f"{exported} : cliquez sur « Télécharger {name} ».")
        return data
