"""« Correspondances » page: external values of the pending files → GC values, per connector and domain.

OpenRefine's reconciliation screen for the e-connecteur (manual §1.2.2–1.2.3): values with their best
scored candidate, « not yet checked » distinct from « no match », bulk acceptance above a threshold,
one value at a time with a searchable GC picker, and for each value the number of pending documents
it unblocks. Data comes from :mod:`econn.ui.correspondences_data` and :mod:`econn.reception.pending_values`, HTML
from :mod:`econn.ui.correspondences_view`; this module wires the widgets. Clicks only change the
table, the pager and the editor's options: the page is built once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..mappings import correspondences
from ..config.connectors import ConnectorSettings
from ..mappings import suggest
from ..reception.pending_values import documents_using, pending_values
from ..store.workspace import resolve_workspace
from .common import MessagePanel, css, load_when_free, page_header
from .correspondences_data import (
    DOMAIN_LABELS,
    TO_DO,
    article_families,
    articles_without_code,
    correspondence_rows,
    filter_rows,
    gc_choices,
)
from .correspondences_view import candidates_html, missing_articles_html, option_text, picked_code, rows_html
from .format import fr_agree, fr_count, fr_int, fr_number

__all__ = ["CorrespondencesPage"]

_STATE_OPTIONS = [("à traiter", "a_traiter"), ("suggérées", "suggere"), ("validées", "valide"), ("toutes", "toutes")]
_ARTICLE_OPTIONS = [("Tous les articles", "tous"), ("Articles disponibles à l'export", "export"),
                    ("Articles correspondant au filtre (famille)", "filtre")]
_ARTICLE_WHAT = {"export": "disponibles à l'export", "filtre": "de la famille"}




def _key_label(value: str, variant: str) -> str:
    return f"{value} / {variant}" if variant else value


class CorrespondencesPage(w.VBox):
    """« Correspondances » dashboard as a widget."""

    page_size: int = 50

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-correspondences")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.connectors: dict[str, ConnectorSettings] = {}
        self.pending = pd.DataFrame(columns=["domain", "external_value", "external_variant", "documents"])
        self.rows = pd.DataFrame()
        self.view = pd.DataFrame()
        self.labels: dict[str, str] = {}
        self.page = 0
        self._quiet = False      # set while the page itself changes widget values
        guard = self.messages.guard

        self.header = page_header("Correspondances", self.workspace)
        self.connector = self.header.connector      # the header's « Connecteur », kept across pages
        self.refresh_button = css(w.Button(description="Relire les fichiers en attente", icon="refresh",
                                            layout=w.Layout(width="auto")), "econn-refresh")
        self.domain = css(w.ToggleButtons(options=[(v, k) for k, v in DOMAIN_LABELS.items()], value="tva",
                                           style={"button_width": "auto"}), "econn-domain")
        self.state_filter = css(w.ToggleButtons(options=_STATE_OPTIONS, value="a_traiter",
                                                 style={"button_width": "auto"}), "econn-state-filter")
        self.article_filter = css(w.Dropdown(options=_ARTICLE_OPTIONS, value="tous", description="Afficher",
                                              layout=w.Layout(width="28em")), "econn-article-filter")
        self.family = css(w.Dropdown(description="Famille", layout=w.Layout(width="14em")), "econn-article-family")
        self.missing = css(w.HTML(), "econn-article-missing")
        self.article_box = w.VBox([w.HBox([self.article_filter, self.family]), self.missing])
        self.suggest_button = css(w.Button(description="Chercher les suggestions", icon="search",
                                            layout=w.Layout(width="auto")), "econn-suggest")
        self.threshold = css(w.FloatSlider(value=0.9, min=0.5, max=1.0, step=0.01, readout=False,
                                            description="Seuil", continuous_update=True), "econn-threshold")
        self.threshold_value = css(w.HTML(fr_number(0.9, 2)), "econn-threshold-value")
        self.bulk_button = css(w.Button(description="Accepter les suggestions au-dessus du seuil", icon="check",
                                         button_style="primary", layout=w.Layout(width="auto")),
                                "econn-bulk-accept")
        self.table = css(w.HTML(), "econn-table")
        self.prev_button = css(w.Button(description="Précédent", icon="arrow-left",
                                         layout=w.Layout(width="auto")), "econn-page-prev")
        self.next_button = css(w.Button(description="Suivant", icon="arrow-right",
                                         layout=w.Layout(width="auto")), "econn-page-next")
        self.page_info = css(w.HTML(), "econn-page-info")
        self.pager = css(w.HBox([self.prev_button, self.page_info, self.next_button]), "econn-pager")
        self.edit_value = css(w.Dropdown(description="Valeur externe", layout=w.Layout(width="30em"),
                                          style={"description_width": "initial"}), "econn-edit-value")
        self.candidates = css(w.HTML(), "econn-candidates")
        self.picker = css(w.Combobox(placeholder="Tapez un code ou un libellé GC", ensure_option=True,
                                      description="Valeur GC", layout=w.Layout(width="30em")), "econn-gc-picker")
        self.validate_button = css(w.Button(description="Valider", icon="check", button_style="success"),
                                    "econn-validate")

        self.children = [
            self.header,
            self.messages,
            w.HBox([self.refresh_button]),
            self.domain,
            self.state_filter,
            self.article_box,
            w.HBox([self.suggest_button, self.threshold, self.threshold_value, self.bulk_button]),
            self.table,
            self.pager,
            w.HTML("<h3>Modifier une correspondance</h3>"),
            self.edit_value,
            self.candidates,
            w.HBox([self.picker, self.validate_button]),
        ]

        self.connector.observe(guard(self._on_connector), names="value")
        self.refresh_button.on_click(guard(lambda _b: self.load_connector()))
        self.domain.observe(guard(self._on_domain), names="value")
        for widget in (self.state_filter, self.article_filter, self.family):
            widget.observe(guard(self._on_filter), names="value")
        self.threshold.observe(guard(self._on_threshold), names="value")
        self.suggest_button.on_click(guard(lambda _b: self.suggest()))
        self.bulk_button.on_click(guard(lambda _b: self.bulk_accept()))
        self.prev_button.on_click(guard(lambda _b: self.show_page(self.page - 1)))
        self.next_button.on_click(guard(lambda _b: self.show_page(self.page + 1)))
        self.edit_value.observe(guard(self._on_edit_value), names="value")
        self.validate_button.on_click(guard(lambda _b: self.validate()))
        self.loaded = load_when_free(self.workspace, self.messages, self._start)

    # ----- loading -------------------------------------------------------------------------------

    def _start(self) -> None:
        families = article_families(self.workspace)
        with self._silent():
            self.family.options = families
            self.connectors = self.connector.load()
        if not self.connectors:
            self.table.value = "<p>Aucun connecteur paramétré.</p>"
            return
        self._on_connector({"new": self.connector.value})

    def _silent(self) -> _Quiet:
        return _Quiet(self)

    def _on_connector(self, change: dict[str, Any]) -> None:
        if self._quiet or change["new"] is None:
            return
        conn = self.connectors[change["new"]]
        with self._silent():
            mode = conn.articles_send if conn.articles_send in ("export", "filtre") else "tous"
            self.article_filter.value = mode
            if conn.articles_filter in self.family.options:
                self.family.value = conn.articles_filter
        self.load_connector()

    def load_connector(self) -> None:
        """Re-read the connector's pending files, then the current domain."""
        if not self.connector.value:
            return
        self.pending = pending_values(self.workspace, self.connector.value)
        for name, reason in self.pending.attrs.get("unreadable", []):
            self.messages.error(f"Fichier {name} illisible : {reason}")
        self.load_domain()

    def _on_domain(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self.load_domain()

    def load_domain(self) -> None:
        """Re-read the stored correspondences and GC values of the current domain, then redraw."""
        domain = self.domain.value
        self.labels = dict(gc_choices(self.workspace, domain))
        with self._silent():
            self.picker.options = [option_text(c, lab) for c, lab in self.labels.items()]
        self.article_box.layout.display = "" if domain == "article" else "none"
        self.reload_rows()

    def reload_rows(self, keep_page: bool = False) -> None:
        """Re-merge stored correspondences with the pending values (after a change), then redraw."""
        self.rows = correspondence_rows(self.workspace, self.connector.value, self.domain.value, self.pending)
        self._refilter(keep_page)

    # ----- filters and paging ------------------------------------------------------------------

    def _on_filter(self, change: dict[str, Any]) -> None:
        if not self._quiet and len(self.rows.columns):
            self._refilter()

    def _refilter(self, keep_page: bool = False) -> None:
        article = self.domain.value == "article"
        mode = self.article_filter.value if article else "tous"
        self.family.layout.display = "" if mode == "filtre" else "none"
        self.view = filter_rows(self.rows, self.state_filter.value, mode, self.family.value)
        if article:
            what = _ARTICLE_WHAT.get(mode, "")
            if mode == "filtre":
                what = f"de la famille {self.family.value or '—'}"
            self.missing.value = (missing_articles_html(
                articles_without_code(self.workspace, self.connector.value, mode, self.family.value),
                self.connector.value, what) if mode != "tous" else "")
        self._edit_options()
        self.show_page(self.page if keep_page else 0)

    def show_page(self, page: int) -> None:
        """Draw one page of the filtered rows (only the table and the pager change)."""
        pages = max(1, -(-len(self.view) // self.page_size))
        self.page = min(max(page, 0), pages - 1)
        first = self.page * self.page_size
        chunk = self.view.iloc[first:first + self.page_size]
        self.table.value = rows_html(chunk, self.labels, total=len(self.view), first=first)
        self.page_info.value = f"Page {fr_int(self.page + 1)} / {fr_int(pages)}"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1
        self.pager.layout.display = "" if pages > 1 else "none"

    def _on_threshold(self, change: dict[str, Any]) -> None:
        self.threshold_value.value = fr_number(change["new"], 2)

    # ----- editing one value --------------------------------------------------------------------

    def _edit_options(self) -> None:
        current = self.edit_value.value
        options = [(_key_label(v, var), (v, var)) for v, var in
                   zip(self.view["external_value"], self.view["external_variant"], strict=True)]
        with self._silent():
            self.edit_value.options = options
            keys = [o[1] for o in options]
            self.edit_value.value = current if current in keys else (keys[0] if keys else None)
        self._on_edit_value({"new": self.edit_value.value})

    def _on_edit_value(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        key = change["new"]
        if key is None:
            self.picker.value = ""
            self.candidates.value = ""
            return
        row = self.rows[(self.rows["external_value"] == key[0]) & (self.rows["external_variant"] == key[1])]
        gc = None if row.empty or pd.isna(row.iloc[0]["gc_value"]) else str(row.iloc[0]["gc_value"])
        # « Match to best candidate »: the stored or suggested GC value is preselected.
        self.picker.value = option_text(gc, self.labels.get(gc, "")) if gc else ""
        domain = self.domain.value
        if domain != "tiers":
            cands = suggest(self.workspace, self.connector.value, domain, [key[0]]).get(key[0], [])
            self.candidates.value = candidates_html(cands, self.labels)
        else:
            self.candidates.value = ""

    def validate(self) -> None:
        """Store the chosen GC value for the selected external value (state validée)."""
        key = self.edit_value.value
        if key is None:
            self.messages.error("Choisissez d'abord la valeur externe à faire correspondre.")
            return
        code = picked_code(self.picker.value)
        if not code:
            self.messages.error("Choisissez la valeur GC dans la liste avant de valider.")
            return
        value, variant = key
        connector, domain = self.connector.value, self.domain.value
        correspondences.set_mapping(self.workspace, connector, domain, value, code, variant=variant,
                                    state="valide", origin="manuelle")
        docs = documents_using(self.workspace, connector, domain, [(value, variant) if variant else value])
        use = fr_agree(docs, "utilise", "utilisent")
        self.messages.info(f"Correspondance validée : « {_key_label(value, variant)} » → {code}. "
                           f"{fr_count(docs, 'document')} en attente {use} cette valeur.")
        self.reload_rows(keep_page=True)

    # ----- suggestions --------------------------------------------------------------------------

    def suggest(self) -> None:
        """Record the best suggestion of each pending value that is not validated yet."""
        connector, domain = self.connector.value, self.domain.value
        if domain == "tiers":
            self.messages.info("Les tiers se rapprochent à la réception, sur leurs fiches complètes "
                               "(code, e-mail, téléphone, nom et code postal) : rien à chercher ici.")
            return
        todo = self.rows[(self.rows["documents"] > 0) & self.rows["state"].isin(TO_DO)]
        values = list(dict.fromkeys(todo["external_value"]))
        if not values:
            self.messages.info("Aucune valeur des fichiers en attente n'attend de correspondance "
                               f"({DOMAIN_LABELS[domain]}).")
            return
        correspondences.record_suggestions(self.workspace, connector, domain, values)
        self.reload_rows()
        mine = self.rows[self.rows["external_value"].isin(values)]
        found = int((mine["state"] == "suggere").sum())
        self.messages.info(f"{fr_count(len(values), 'valeur examinée', 'valeurs examinées')} : "
                           f"{fr_count(found, 'suggestion')}, "
                           f"{fr_int(len(values) - found)} sans candidat sûr.")

    def bulk_accept(self) -> None:
        """Validate the suggestions scoring at least the threshold, and say what that unblocks."""
        connector, domain = self.connector.value, self.domain.value
        before = correspondences.get(self.workspace, connector, domain)
        before = before[before["state"] == "suggere"]
        count = correspondences.bulk_accept(self.workspace, connector, domain, float(self.threshold.value))
        after = correspondences.get(self.workspace, connector, domain)
        valid = set(zip(after.loc[after["state"] == "valide", "external_value"],
                        after.loc[after["state"] == "valide", "external_variant"], strict=True))
        accepted = [(v, var) if var else v for v, var in
                    zip(before["external_value"], before["external_variant"], strict=True) if (v, var) in valid]
        docs = documents_using(self.workspace, connector, domain, accepted)
        unblocked = fr_count(docs, "document en attente débloqué", "documents en attente débloqués")
        accepted = fr_count(count, "suggestion acceptée", "suggestions acceptées")
        self.messages.info(f"{accepted} au-dessus du seuil "
                           f"{fr_number(self.threshold.value, 2)} : {unblocked} pour ce domaine.")
        self.reload_rows(keep_page=True)


class _Quiet:
    """Context in which the page's own widget changes do not trigger its observers."""

    def __init__(self, page: CorrespondencesPage) -> None:
        self.page = page
        self.previous = False

    def __enter__(self) -> None:
        self.previous, self.page._quiet = self.page._quiet, True

    def __exit__(self, *exc: object) -> None:
        self.page._quiet = self.previous
