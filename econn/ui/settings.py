"""« Paramétrage »: the connector list, the three-step wizard, « Envoyer les données » and « Réglages »."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from ..config import connectors
from .. import send
from ..config.connectors import ConnectorSettings, ConnectorValidationError
from ..store.workspace import resolve_workspace
from .common import MessagePanel, load_when_free, page_header
from .format import esc, fr_count, fr_int
from .history_view import current_user
from .settings_view import ConnectorWizard
from .settings_workspace import WorkspaceSettingsBox

LIST_COLUMNS = [("code", "Code"), ("en_liaison_avec", "En liaison avec"), ("mode", "Mode de communication"),
                ("envoi_articles", "Envoi des articles"), ("envoi_clients", "Envoi des clients"),
                ("reception_documents", "Réception des documents"), ("reception_tiers", "Réception des tiers")]


def _button(label: str, css: str, icon: str = "", style: str = "") -> w.Button:
    b = w.Button(description=label, icon=icon, button_style=style, layout=w.Layout(width="auto"))
    b.add_class(css)
    return b


def _show(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = "" if visible else "none"


class SettingsPage(w.VBox):
    """The connector settings dashboard, as a widget."""

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.add_class("econn-settings")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self._default_dir = ""
        g = self.messages.guard

        self.table = w.HTML()
        self.table.add_class("econn-connector-list")
        self.header = page_header("Paramétrage", self.workspace, include_hidden=True)
        self.selector = self.header.connector      # the header's « Connecteur », kept across pages
        self.new_button = _button("Créer un nouveau connecteur", "econn-new", "plus", "primary")
        self.edit_button = _button("Modifier", "econn-edit", "pencil")
        self.duplicate_code = w.Text(placeholder="Nouveau code", layout=w.Layout(width="12em"))
        self.duplicate_code.add_class("econn-duplicate-code")
        self.duplicate_button = _button("Dupliquer", "econn-duplicate", "copy")
        self.delete_confirm = w.Checkbox(description="Je confirme la suppression", indent=False,
                                         layout=w.Layout(width="auto"))
        self.delete_confirm.add_class("econn-delete-confirm")
        self.delete_force = w.Checkbox(description="Forcer (supprime aussi ses correspondances)", indent=False,
                                       layout=w.Layout(width="auto"))
        self.delete_force.add_class("econn-delete-force")
        self.delete_button = _button("Supprimer", "econn-delete", "trash", "danger")
        self.wizard = ConnectorWizard(g, self.save, self.close_wizard)
        self.workspace_settings = WorkspaceSettingsBox(self.workspace, g, self.messages.info, self.messages.error)

        self.send_dir = w.Text(description="Chemin d'export", style={"description_width": "10em"},
                               layout=w.Layout(width="48em"))
        self.send_dir.add_class("econn-send-dir")
        self.recap = w.HTML()
        self.recap.add_class("econn-send-recap")
        self.recap_button = _button("Actualiser le récapitulatif", "econn-send-refresh", "refresh")
        self.send_button = _button("Envoyer", "econn-send", "upload", "success")
        self.send_result = w.HTML()
        self.send_result.add_class("econn-send-result")
        self.send_title = w.HTML()
        self.send_box = w.VBox([self.send_title, self.recap, self.send_dir,
                                w.HBox([self.recap_button, self.send_button]), self.send_result])
        self.send_box.add_class("econn-send-box")

        self.new_button.on_click(g(lambda _b: self.open_wizard(None)))
        self.edit_button.on_click(g(lambda _b: self.open_wizard(self.selector.value)))
        self.duplicate_button.on_click(g(lambda _b: self.duplicate()))
        self.delete_button.on_click(g(lambda _b: self.delete()))
        self.selector.observe(g(lambda _c: self.refresh_send()), names="value")
        self.recap_button.on_click(g(lambda _b: self.refresh_send(keep_dir=True)))
        self.send_button.on_click(g(lambda _b: self.do_send()))

        actions = w.VBox([
            w.HBox([self.new_button, self.edit_button]),
            w.HBox([self.duplicate_code, self.duplicate_button]),
            w.HBox([self.delete_confirm, self.delete_force, self.delete_button]),
        ])
        actions.add_class("econn-connector-actions")
        self.children = [
            self.header,
            self.messages,
            w.HTML("<h3>Liste des connecteurs</h3>"),
            self.table,
            actions,
            self.wizard,
            self.send_box,
            w.HTML("<h3>Réglages</h3>"),
            self.workspace_settings,
        ]
        _show(self.wizard, False)
        self.loaded = load_when_free(self.workspace, self.messages, self.refresh)

    # ------------------------------------------------------------------------------------------ list

    def refresh(self, select: str | None = None) -> None:
        """Redraw the connector list and the selector (keeping or setting the selection)."""
        df = connectors.summary(self.workspace)
        rows = df.to_dict("records")
        if rows:
            head = "".join(f"<th>{esc(t)}</th>" for _, t in LIST_COLUMNS)
            body = "".join(
                f'<tr class="econn-connector-row" data-code="{esc(r["code"])}">'
                + "".join(f"<td>{'<b>' + esc(r[k]) + '</b>' if k == 'code' else esc(r[k])}</td>"
                          for k, _ in LIST_COLUMNS)
                + (' <td class="econn-muted">masqué</td>' if r.get("masque") else "<td></td>") + "</tr>"
                for r in rows)
            self.table.value = (f'<table class="econn-table"><thead><tr>{head}<th></th></tr></thead>'
                                f"<tbody>{body}</tbody></table>")
        else:
            self.table.value = "<p>Aucun connecteur paramétré : créez-en un.</p>"
        self.selector.load(select=select)
        self.refresh_send()
        self.workspace_settings.load()

    # ------------------------------------------------------------------------------------------ wizard

    def open_wizard(self, code: str | None) -> None:
        """« Créer un nouveau connecteur » (code None) or « Modifier »."""
        settings = connectors.get(self.workspace, code) if code else None
        self.wizard.load(settings)
        _show(self.wizard, True)

    def close_wizard(self) -> None:
        """« Annuler »: nothing is saved."""
        _show(self.wizard, False)
        self.wizard.show_errors({})

    def save(self, settings: ConnectorSettings, editing: str | None) -> None:
        """Validate, then create or update; on error, every message next to its field and nothing saved."""
        errors = connectors.validate(settings, self.workspace)
        if not errors:
            try:
                if editing is None:
                    connectors.create(self.workspace, settings)
                else:
                    changes = {k: v for k, v in settings.to_dict(mask_secrets=False).items() if k != "code"}
                    connectors.update(self.workspace, editing, **changes)
            except ConnectorValidationError as exc:
                errors = exc.errors
        if errors:
            self.wizard.show_errors(errors)
            self.messages.error(f"Connecteur non enregistré : {fr_count(len(errors), 'champ')} à corriger "
                                f"({', '.join(connectors.FIELD_BY_NAME[k].label if k in connectors.FIELD_BY_NAME else k for k in errors)}).")
            return
        self.wizard.show_errors({})
        _show(self.wizard, False)
        verb = "créé" if editing is None else "modifié"
        self.messages.info(f"Connecteur {settings.code} {verb}.")
        self.refresh(select=settings.code)

    # ------------------------------------------------------------------------------------------ actions

    def duplicate(self) -> None:
        """« Dupliquer » the selected connector under the new code."""
        src = self.selector.value
        new = (self.duplicate_code.value or "").strip()
        if not src:
            self.messages.error("Choisissez le connecteur à dupliquer.")
            return
        if not new:
            self.messages.error("Indiquez le code du nouveau connecteur.")
            return
        connectors.duplicate(self.workspace, src, new)
        self.duplicate_code.value = ""
        self.messages.info(f"Connecteur {src} dupliqué sous le code {new}.")
        self.refresh(select=new)

    def delete(self) -> None:
        """« Supprimer » after confirmation; the library refuses when documents exist unless forced."""
        code = self.selector.value
        if not code:
            self.messages.error("Choisissez le connecteur à supprimer.")
            return
        if not self.delete_confirm.value:
            self.messages.error(f"Cochez « Je confirme la suppression » pour supprimer le connecteur {code}.")
            return
        dep = connectors.delete(self.workspace, code, force=bool(self.delete_force.value))
        self.delete_confirm.value = False
        self.delete_force.value = False
        gone = fr_count(dep.correspondences, "correspondance supprimée", "correspondances supprimées")
        kept = fr_count(dep.history, "ligne d'historique conservée", "lignes d'historique conservées")
        self.messages.info(f"Connecteur {code} supprimé ({gone} ; {kept}).")
        self.refresh()

    # ------------------------------------------------------------------------------------------ send

    def _overrides(self) -> dict[str, Any]:
        text = (self.send_dir.value or "").strip()
        return {"export_dir": text} if text and text != self._default_dir else {}

    def refresh_send(self, keep_dir: bool = False) -> None:
        """The recap of what « Envoyer » would write for the selected connector."""
        code = self.selector.value
        _show(self.send_box, bool(code))
        if not code:
            return
        self.send_title.value = f"<h3>Envoyer les données — {esc(code)}</h3>"
        if not keep_dir:
            p = send.plan(self.workspace, code)
            self._default_dir = str(p.export_dir)
            self.send_dir.value = self._default_dir
            self.send_result.value = ""
        else:
            p = send.plan(self.workspace, code, self._overrides())
        self.recap.value = self._recap_html(p)

    @staticmethod
    def _recap_html(p: Any) -> str:
        df = p.recap()
        if len(df) == 0:
            return "<p>Ce connecteur n'envoie aucune donnée (articles et clients « Non concerné »).</p>"
        head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
        body = "".join("<tr>" + "".join(f"<td>{esc(fr_int(v) if c == 'Nombre' else v)}</td>"
                                        for c, v in r.items()) + "</tr>" for r in df.to_dict("records"))
        return (f"<b>Récapitulatif des données à envoyer</b>"
                f'<table class="econn-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')

    def do_send(self) -> None:
        """« Envoyer »: write the files, then list them and any findings."""
        code = self.selector.value
        if not code:
            self.messages.error("Choisissez le connecteur dont les données sont à envoyer.")
            return
        result = send.send(self.workspace, code, self._overrides(), user=current_user())
        files = "".join(f"<li><code>{esc(f.path)}</code> — {esc(fr_count(f.rows, 'ligne'))}</li>"
                        for f in result.files)
        found = "".join(f"<li>[{esc(f.code)}] {esc(f.message)}</li>" for f in result.findings[:20])
        more = (f"<li>… et {esc(fr_count(len(result.findings) - 20, 'autre'))}</li>"
                if len(result.findings) > 20 else "")
        self.send_result.value = (f"<b>Fichiers écrits :</b><ul class='econn-send-files'>{files}</ul>"
                                  + (f"<b>Alertes :</b><ul class='econn-send-findings'>{found}{more}</ul>"
                                     if found else ""))
        self.messages.info(result.summary())
        if result.findings:
            alerts = fr_count(len(result.findings), "alerte")
            self.messages.waiting(f"{alerts} pendant l'envoi : voir la liste sous « Fichiers écrits ».")
