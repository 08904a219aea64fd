"""« Historique des synchronisations » and the ERO dashboard (48 h counts, daily chart, reports, error closing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import history
from .. import justification as justification_rule
from ..store.workspace import resolve_workspace
from .charts import stacked_bars_svg
from .common import MessagePanel, load_when_free, page_header
from .format import esc, fr_agree, fr_count, fr_int
from .history_view import current_user, download_link, export_xlsx_bytes, table_html

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
KIND_OPTIONS = [("Tout", ""), ("Réceptions", "reception"), ("Envois", "envoi"), ("Erreurs", "erreur")]
_BADGES = (("succès", "succes"), ("alerte", "alerte"), ("erreur", "erreur"))   # level, CSS suffix


def _button(label: str, css: str, **kw: Any) -> w.Button:
    b = w.Button(description=label, layout=w.Layout(width="auto"), **kw)
    b.add_class(css)
    return b


class HistoryPage(w.VBox):
    """The history dashboard, as a widget."""

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-history")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.level: str | None = None
        self.offset = 0
        self.frame: Any = None
        g = self.messages.guard

        self.header = page_header("Historique", self.workspace, allow_all=True, include_hidden=True)
        self.connector = self.header.connector      # the header's « Connecteur », kept across pages
        self.badges: dict[str, w.Button] = {}
        for level, css in _BADGES:
            b = _button("", f"econn-count-{css}")
            b.add_class("econn-count")
            b.tooltip = f"Filtrer : {level}"
            b.on_click(g(lambda _b, lv=level: self.filter_level(lv)))
            self.badges[level] = b
        self.open_count = w.HTML()
        self.open_count.add_class("econn-open-count")
        self.chart = w.HTML()
        self.chart.add_class("econn-chart")

        self.kind = w.ToggleButtons(options=KIND_OPTIONS, value="")
        self.kind.add_class("econn-kind")
        self.date_from = w.DatePicker(description="Du")
        self.date_from.add_class("econn-date-from")
        self.date_to = w.DatePicker(description="au")
        self.date_to.add_class("econn-date-to")
        self.open_only = w.Checkbox(description="Erreurs ouvertes seulement", indent=False)
        self.open_only.add_class("econn-open-only")
        self.search = w.Text(placeholder="Référence, n° de document, nom, message…", description="Recherche")
        self.search.add_class("econn-search")
        self.filter_button = _button("Filtrer", "econn-filter", icon="filter", button_style="primary")
        self.clear_button = _button("Effacer", "econn-clear", icon="eraser")
        self.level_label = w.HTML()
        self.level_label.add_class("econn-level-filter")

        self.table = w.HTML()
        self.table.add_class("econn-history-table")
        self.prev_button = _button("◀ Précédentes", "econn-page-prev")
        self.next_button = _button("Suivantes ▶", "econn-page-next")
        self.page_label = w.HTML()
        self.pager = w.HBox([self.prev_button, self.page_label, self.next_button])
        self.pager.add_class("econn-history-pager")

        self.close_id = w.Dropdown(description="Erreur", options=[("—", None)], value=None,
                                   layout=w.Layout(width="32em"))
        self.close_id.add_class("econn-close-id")
        self.justification = w.Textarea(
            placeholder="Justification obligatoire, au moins 10 caractères (ex. « ressaisi en GC »)",
            layout=w.Layout(width="32em", height="4em"))
        self.justification.add_class("econn-justification")
        self.close_button = _button("Fermer l'erreur", "econn-close", icon="check", button_style="warning")
        self.export_button = _button("Exporter en Excel", "econn-history-export", icon="file-excel-o")
        self.download = w.HTML()
        self.download.add_class("econn-history-download")

        self.connector.observe(g(lambda _c: self.on_connector()), names="value")
        self.kind.observe(g(lambda _c: self.apply_filters()), names="value")
        self.open_only.observe(g(lambda _c: self.apply_filters()), names="value")
        self.filter_button.on_click(g(lambda _b: self.apply_filters()))
        self.clear_button.on_click(g(lambda _b: self.clear_filters()))
        self.prev_button.on_click(g(lambda _b: self.go_page(-1)))
        self.next_button.on_click(g(lambda _b: self.go_page(1)))
        self.close_button.on_click(g(lambda _b: self.close_error()))
        self.export_button.on_click(g(lambda _b: self.export()))

        close_box = w.VBox([w.HTML("<h3>Traiter une erreur manuellement</h3>"),
                            w.HBox([self.close_id, self.close_button]), self.justification])
        close_box.add_class("econn-close-box")
        self.children = [
            self.header,
            self.messages,
            w.HTML("<h3>Dernières 48 heures</h3>"),
            w.HBox([*self.badges.values(), self.open_count]),
            w.HTML("<h3>Volumes par jour</h3>"),
            self.chart,
            w.HTML("<h3>Historique des synchronisations</h3>"),
            self.kind,
            w.HBox([self.date_from, self.date_to, self.open_only]),
            w.HBox([self.search, self.filter_button, self.clear_button, self.level_label]),
            self.table,
            self.pager,
            close_box,
            w.HBox([self.export_button, self.download]),
        ]
        self.loaded = load_when_free(self.workspace, self.messages, self.start)

    # ------------------------------------------------------------------------------------------ data flow

    def start(self) -> None:
        """Apply the retention once, fill the connector list, then draw everything."""
        purged = history.purge(self.workspace)
        if purged:
            months = history.retention_months(self.workspace)
            gone = fr_count(purged, "ligne d'historique", "lignes d'historique")
            deleted = fr_agree(purged, "supprimée")
            self.messages.info(f"{gone} de plus de {months} mois {deleted} (durée de conservation).")
        self.connector.load()
        self.refresh_dashboard()
        self.refresh_table()

    def _code(self) -> str | None:
        return self.connector.value or None

    def filters(self) -> dict[str, Any]:
        """The ``history.query`` arguments the widgets describe."""
        return {"connector": self._code(), "date_from": self.date_from.value, "date_to": self.date_to.value,
                "kinds": self.kind.value or None, "levels": self.level, "search": self.search.value or None,
                "open_only": bool(self.open_only.value)}

    def refresh_dashboard(self) -> None:
        """The 48 h badges and the daily chart."""
        counts = history.counts(self.workspace, 48, self._code())
        for level, _css in _BADGES:
            self.badges[level].description = fr_count(counts[level], level)
        still_open = fr_count(counts["ouvertes"], "erreur ouverte", "erreurs ouvertes")
        self.open_count.value = f'<span class="econn-muted">{still_open} au total</span>'
        volumes = history.daily_volumes(self.workspace, self._code(), days=60)
        self.chart.value = stacked_bars_svg(volumes, title="Synchronisations par jour et par niveau (60 jours)")

    def refresh_table(self) -> None:
        """Query the current page and redraw the table, the pager and the list of closable errors."""
        df = history.query(self.workspace, **self.filters(), limit=PAGE_SIZE, offset=self.offset)
        self.frame = df
        total = int(df.attrs.get("total", len(df)))
        self.table.value = table_html(df)
        first = self.offset + 1 if total else 0
        last = min(self.offset + PAGE_SIZE, total)
        self.page_label.value = f"<span> Lignes {fr_int(first)}–{fr_int(last)} sur {fr_int(total)} </span>"
        self.prev_button.disabled = self.offset <= 0
        self.next_button.disabled = self.offset + PAGE_SIZE >= total
        self.level_label.value = (f'<span class="econn-muted">Niveau : {esc(self.level)}</span>'
                                  if self.level else "")
        open_rows = [r for r in df.to_dict("records") if r.get("state") == "ouverte"]
        options: list[tuple[str, Any]] = [("—", None)] + [
            (f"n° {r['id']} — {r.get('connector') or ''} — {(r.get('message') or '')[:60]}", int(r["id"]))
            for r in open_rows]
        keep = self.close_id.value if self.close_id.value in {v for _, v in options} else None
        self.close_id.options = options
        self.close_id.value = keep

    # ------------------------------------------------------------------------------------------ callbacks

    def on_connector(self) -> None:
        """Another connector: its figures, chart and rows."""
        self.offset = 0
        self.refresh_dashboard()
        self.refresh_table()

    def filter_level(self, level: str) -> None:
        """A badge was clicked: show that level only (a second click removes the filter)."""
        self.level = None if self.level == level else level
        self.offset = 0
        self.refresh_table()

    def apply_filters(self) -> None:
        """« Filtrer »: back to the first page with the current filters."""
        self.offset = 0
        self.download.value = ""
        self.refresh_table()

    def clear_filters(self) -> None:
        """« Effacer »: every filter back to its default."""
        self.level = None
        self.date_from.value = None
        self.date_to.value = None
        self.search.value = ""
        with self.hold_trait_notifications():
            self.kind.value = ""
            self.open_only.value = False
        self.apply_filters()

    def go_page(self, direction: int) -> None:
        """Previous or next page of 50 rows."""
        self.offset = max(0, self.offset + direction * PAGE_SIZE)
        self.refresh_table()

    def close_error(self) -> None:
        """Close the selected error with the mandatory justification."""
        entry = self.close_id.value
        if entry is None:
            self.messages.error("Choisissez l'erreur à fermer dans la liste.")
            return
        why = justification_rule.problem(self.justification.value, "fermer une erreur", history.RESOLVE_EXAMPLE)
        if why:
            self.messages.error(why)
            return
        text = justification_rule.clean(self.justification.value)
        row = history.resolve(self.workspace, int(entry), text, current_user())
        self.justification.value = ""
        self.messages.info(f"Erreur n° {entry} fermée par {row.get('closed_by')} : {text}")
        self.refresh_dashboard()
        self.refresh_table()

    def export(self) -> None:
        """« Exporter en Excel »: the filtered rows (all pages, up to 10 000) as a download link."""
        df = history.query(self.workspace, **self.filters(), limit=EXPORT_LIMIT)
        total = int(df.attrs.get("total", len(df)))
        self.download.value = download_link(export_xlsx_bytes(df), len(df))
        if total > len(df):
            self.messages.info(f"Export limité aux {fr_int(len(df))} lignes les plus récentes sur {fr_int(total)}.")
