"""« Réglages » of the Paramétrage page: the workspace settings, one field each, checked field by field."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..config import workspace_settings as ws_settings
from ..config.workspace_settings import Setting, SettingError
from .format import esc
from .history_view import current_user

_UNSET = "—"   # the dropdown entry of a choice left unset (« non renseigné »)


def css_name(key: str) -> str:
    """The CSS class suffix of a setting (``tva.oss`` → ``tva-oss``)."""
    return key.replace(".", "-").replace("_", "-")


def _shown(value: str | None) -> str:
    return "" if value is None else value.replace(".", ",")


def _widget(s: Setting) -> w.Widget:
    style = {"description_width": "26em"}
    widget: w.Widget
    if s.kind == "choice":
        options = [("non renseigné", _UNSET), *[(lab, v) for v, lab in s.choices]]
        widget = w.Dropdown(description=s.label, options=options, value=_UNSET, style=style,
                            layout=w.Layout(width="40em"))
    else:
        default = _shown(s.default)
        widget = w.Text(description=s.label + (f" ({s.unit})" if s.unit else ""), style=style,
                        placeholder=f"défaut : {default}" if default else "", layout=w.Layout(width="40em"))
    widget.add_class("econn-setting")
    widget.add_class(f"econn-setting-{css_name(s.key)}")
    return widget


class WorkspaceSettingsBox(w.VBox):
    """One field per settable workspace setting, « Enregistrer les réglages », messages under each field."""

    def __init__(self, workspace: str | os.PathLike[str], guard: Callable[[Any], Any],
                 notify: Callable[[str], None], alert: Callable[[str], None]) -> None:
        super().__init__()
        self.add_class("econn-workspace-settings")
        self.workspace = workspace
        self._notify, self._alert = notify, alert
        self.settings = [s for s in ws_settings.registry().values() if not s.internal]
        self.widgets: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.loaded: dict[str, str | None] = {}
        rows: list[w.Widget] = [w.HTML('<p class="econn-muted">Les réglages que citent les conseils des '
                                       "diagnostics ; une valeur vide rétablit le défaut. Aussi en ligne de "
                                       "commande : <code>econn settings list</code>, <code>econn settings set CLÉ "
                                       "VALEUR</code>.</p>")]
        for s in self.settings:
            widget = _widget(s)
            error = w.HTML()
            error.add_class("econn-setting-error")
            error.add_class(f"econn-setting-error-{css_name(s.key)}")
            help_ = w.HTML(f'<span class="econn-muted" title="{esc(s.help)}"><code>{esc(s.key)}</code> — '
                           f"{esc(s.allowed())}</span>")
            self.widgets[s.key] = widget
            self.errors[s.key] = error
            rows.append(w.VBox([w.HBox([widget, help_]), error]))
        self.save_button = w.Button(description="Enregistrer les réglages", icon="save", button_style="success",
                                    layout=w.Layout(width="auto"))
        self.save_button.add_class("econn-settings-save")
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.children = [*rows, self.save_button]

    def load(self) -> None:
        """Fill every field from the workspace (an unset setting shows empty, its default as placeholder)."""
        for v in ws_settings.list_settings(self.workspace):
            if v.setting.key not in self.widgets:
                continue
            self.loaded[v.setting.key] = v.stored
            widget = self.widgets[v.setting.key]
            if v.setting.kind == "choice":
                widget.value = v.stored if v.stored in dict(v.setting.choices) else _UNSET
            else:
                widget.value = _shown(v.stored)
        self.show_errors({})

    def values(self) -> dict[str, str | None]:
        """The fields that differ from what was loaded, as text to check."""
        out: dict[str, str | None] = {}
        for key, widget in self.widgets.items():
            text = None if widget.value == _UNSET else (str(widget.value).strip() or None)
            if text != _shown(self.loaded.get(key)) and not (text is None and self.loaded.get(key) is None):
                out[key] = text
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        """One French message under each refused field."""
        for key, html in self.errors.items():
            msg = errors.get(key)
            html.value = f'<span style="color:#b71c1c">⚠ {esc(msg)}</span>' if msg else ""

    def save(self) -> None:
        """Check every changed field, then store them all (nothing is stored while one is refused)."""
        changes = self.values()
        if not changes:
            self.show_errors({})
            self._notify("Aucun réglage modifié.")
            return
        try:
            changed = ws_settings.set_values(self.workspace, changes, user=current_user())
        except SettingError as exc:
            self.show_errors(exc.errors)
            labels = ", ".join(ws_settings.registry()[k].label if k in ws_settings.registry() else k
                               for k in exc.errors)
            self._alert(f"Réglages non enregistrés : {len(exc.errors)} valeur(s) à corriger ({labels}).")
            return
        self.load()
        done = ", ".join(f"{v.setting.key} = {_shown(v.effective) or 'non renseigné'}" for v in changed)
        self._notify(f"Réglages enregistrés : {done}." if changed else "Aucun réglage modifié.")
