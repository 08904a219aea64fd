"""Home page « Synchro e-connecteur »: connectors, pending files, sync state, 48 h counts, links."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..history.overview import connector_overview, level_counts, pending_warning
from ..demo.trainer import is_demo, reset_demo
from ..store.workspace import resolve_workspace
from .common import MessagePanel, available_dashboards, css, load_when_free, page_header
from .format import esc, fr_count, fr_date

_DOC_TYPES = {"commandes": "Commandes", "livraisons": "Livraisons"}


class HomePage(w.VBox):
    """The e-connecteur synchronisation screen, as a widget."""

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-home")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.header = page_header("Synchro e-connecteur", self.workspace, home=True, allow_all=True)
        self.connector = self.header.connector
        self.counts = w.HTML()
        self.counts.add_class("econn-counts")
        self.table = w.HTML()
        self.table.add_class("econn-connectors")
        # « Mise à jour des réceptions : A l'ouverture de l'application »: the e-connecteur's warning.
        self.pending_warning = css(w.HTML(), "econn-pending-warning")
        self.refresh_button = w.Button(description="Actualiser les réceptions", icon="refresh",
                                       layout=w.Layout(width="auto", margin="0 0 0 1em"))
        self.refresh_button.add_class("econn-refresh")
        self.refresh_button.on_click(self.messages.guard(lambda _b: self.refresh()))
        self.links = w.HTML()
        self.links.add_class("econn-links")
        self._draw_links()
        self.connector.observe(self.messages.guard(lambda _c: self._draw_links()), names="value")
        self.trainer = css(w.VBox(layout=w.Layout(display="none")), "econn-trainer")
        self.children = [
            self.header,
            self.messages,
            w.HTML("<h3>Dernières 48 heures</h3>"),
            self.counts,
            # Centred: the button sat above the heading's line (the heading has a top margin, the button none).
            w.HBox([w.HTML("<h3>Connecteurs</h3>"), self.refresh_button],
                   layout=w.Layout(align_items="center")),
            self.pending_warning,
            self.table,
            self.links,
            self.trainer,
        ]
        self.reset_confirm: w.Checkbox | None = None
        self.reset_button: w.Button | None = None
        # Nothing above read the store: the page shows even while another process holds it.
        self.loaded = load_when_free(self.workspace, self.messages, self._first_load)

    def _first_load(self) -> None:
        self.connector.load()
        if is_demo(self.workspace):
            self._show_trainer()
        self.refresh(at_opening=True)

    def _draw_links(self) -> None:
        links = "".join(
            f'<li><a href="{esc(self.header.link(f))}">{esc(t)}</a> — <span class="econn-muted">{esc(d)}</span></li>'
            for f, t, d in available_dashboards() if f != "00_accueil.ipynb"
        )
        self.links.value = f"<h3>Tableaux de bord</h3><ul>{links}</ul>"

    def _show_trainer(self) -> None:
        """The « Mode formateur » box of a demo workspace."""
        self.reset_confirm = css(w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"),
                                            description="Je confirme : toutes les modifications de la démo "
                                                        "seront perdues"), "econn-demo-reset-confirm")
        self.reset_button = css(w.Button(description="Réinitialiser la démo", icon="undo",
                                         button_style="warning", layout=w.Layout(width="auto")),
                                "econn-demo-reset")
        self.reset_button.on_click(self.messages.guard(lambda _b: self.reset_demo()))
        self.trainer.children = [
            w.HTML("<h3>Mode formateur</h3><p class=\"econn-muted\">Remet l'espace de démonstration dans son "
                   "état initial (données, correspondances, fichiers en attente).</p>"),
            w.HBox([self.reset_confirm, self.reset_button])]
        self.trainer.layout.display = ""

    def reset_demo(self) -> None:
        """« Réinitialiser la démo »: only once the confirmation box is ticked."""
        if self.reset_confirm is None or self.reset_button is None:
            return
        if not self.reset_confirm.value:
            self.messages.error("Cochez d'abord la case de confirmation : la réinitialisation efface "
                                "toutes les modifications faites dans la démo.")
            return
        self.reset_button.disabled = True
        try:
            self.messages.waiting("Réinitialisation de la démo en cours…")
            text = reset_demo(self.workspace)
        finally:
            self.reset_button.disabled = False
            self.reset_confirm.value = False
        self.refresh()
        self.messages.info(text)

    def refresh(self, at_opening: bool = False) -> None:
        """Re-read the workspace and the import folders (« Actualiser les réceptions »).

        ``at_opening``: the page is opening, so the import folder of a connector whose receptions update
        « Manuellement » is not analysed (its column says so) and no warning is shown for it.
        """
        counts = level_counts(self.workspace)
        self.counts.value = (
            f'<span class="econn-badge econn-succes">{fr_count(counts["succès"], "succès")}</span>'
            f'<span class="econn-badge econn-alerte">{fr_count(counts["alerte"], "alerte")}</span>'
            f'<span class="econn-badge econn-erreur">{fr_count(counts["erreur"], "erreur")}</span>'
        )
        rows = connector_overview(self.workspace, at_opening=at_opening)
        warning = pending_warning(rows)
        self.pending_warning.value = f'<p class="econn-msg-wait">⚠ {esc(warning)}</p>' if warning else ""
        if not rows:
            self.table.value = "<p>Aucun connecteur paramétré.</p>"
            return
        body = []
        for r in rows:
            state = ("✅ Aucune erreur" if not r["open_errors"]
                     else f"❌ {fr_count(r['open_errors'], 'erreur non traitée', 'erreurs non traitées')}")
            if r["pending_files"] is None:
                pending = "Dossier non analysé (mise à jour manuelle) : « Actualiser les réceptions »"
            elif r["pending_files"]:
                pending = f"{fr_count(r['pending_files'], 'fichier')} en attente"
            else:
                pending = "Aucune donnée en attente"
            last = fr_date(r["last_reception"], with_time=True) or "—"
            sent = fr_date(r["last_send"], with_time=True) or "—"
            body.append(
                f'<tr class="econn-connector" data-code="{esc(r["code"])}"><td><b>{esc(r["code"])}</b></td>'
                f'<td>{esc(r["partner"])}</td><td>{esc(r["mode"]).upper()}</td>'
                f'<td>{esc(_DOC_TYPES.get(r["doc_type"], r["doc_type"]))}</td><td>{esc(state)}</td>'
                f"<td>{esc(pending)}<br><span class=\"econn-muted\">dernière réception : {esc(last)}</span></td>"
                f"<td>dernier envoi : {esc(sent)}</td></tr>"
            )
        self.table.value = (
            '<table class="econn-table"><thead><tr><th>Code</th><th>En liaison avec</th><th>Mode</th>'
            "<th>Réception des documents</th><th>État des synchronisations précédentes</th>"
            "<th>Réceptionner les données</th><th>Envoyer les données</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
