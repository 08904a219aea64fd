"""The three-step connector wizard, built from ``connectors.FIELDS`` (one widget per field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..config.connectors import FIELDS, PARTNERS, STEPS, ConnectorSettings, FieldSpec, parse_value
from .format import esc

STEP_ORDER = list(STEPS)


def _widget(spec: FieldSpec) -> w.Widget:
    label = spec.label + (" *" if spec.required else "")
    style = {"description_width": "22em"}
    layout = w.Layout(width="48em")
    widget: w.Widget
    if spec.kind == "bool":
        widget = w.Checkbox(description=label, indent=False, layout=w.Layout(width="auto"))
    elif spec.kind == "choice":
        widget = w.Dropdown(description=label, options=[(lab, val) for val, lab in spec.choices], style=style,
                            layout=layout)
    elif spec.kind == "secret":
        widget = w.Password(description=label, style=style, layout=layout)
    elif spec.name == "partner":
        widget = w.Combobox(description=label, options=list(PARTNERS), ensure_option=False, style=style,
                            layout=layout)
    else:
        widget = w.Text(description=label, style=style, layout=layout,
                        placeholder=spec.help if spec.kind == "dir" else "")
    widget.add_class(f"econn-field-{spec.name}")
    widget.add_class("econn-field")
    return widget


class ConnectorWizard(w.VBox):
    """« Paramétrer le mode de communication », « … les envois », « … les réceptions », then Sauvegarder."""

    def __init__(self, guard: Callable[[Any], Any], on_save: Callable[[ConnectorSettings, str | None], None],
                 on_cancel: Callable[[], None]) -> None:
        super().__init__()
        self.add_class("econn-wizard")
        self.editing: str | None = None  # the code being modified (None: a new connector)
        self.step = 0
        self._on_save = on_save
        self._on_cancel = on_cancel
        self.widgets: dict[str, w.Widget] = {}
        self.errors: dict[str, w.HTML] = {}
        self.step_boxes: list[w.VBox] = []
        for i, step in enumerate(STEP_ORDER, start=1):
            rows: list[w.Widget] = [w.HTML(f"<h3>Étape {i}/3 — {esc(STEPS[step])}</h3>")]
            for spec in (f for f in FIELDS if f.step == step):
                widget = _widget(spec)
                error = w.HTML()
                error.add_class("econn-field-error")
                error.add_class(f"econn-field-error-{spec.name}")
                help_ = w.HTML(f'<span class="econn-muted">{esc(spec.help)}</span>' if spec.help else "")
                self.widgets[spec.name] = widget
                self.errors[spec.name] = error
                rows.append(w.VBox([w.HBox([widget, help_]), error]))
            box = w.VBox(rows)
            box.add_class(f"econn-step-{i}")
            box.add_class("econn-step")
            self.step_boxes.append(box)
        self.title = w.HTML()
        self.cancel_button = self._button("Annuler", "econn-cancel", "times")
        self.prev_button = self._button("Étape précédente", "econn-prev", "arrow-left")
        self.next_button = self._button("Étape suivante", "econn-next", "arrow-right")
        self.save_button = self._button("Sauvegarder", "econn-save", "save", "success")
        self.cancel_button.on_click(guard(lambda _b: self._on_cancel()))
        self.prev_button.on_click(guard(lambda _b: self.go(self.step - 1)))
        self.next_button.on_click(guard(lambda _b: self.go(self.step + 1)))
        self.save_button.on_click(guard(lambda _b: self.save()))
        buttons = w.HBox([self.cancel_button, self.prev_button, self.next_button, self.save_button])
        buttons.add_class("econn-wizard-buttons")
        self.children = [self.title, *self.step_boxes, buttons]
        self.go(0)

    @staticmethod
    def _button(label: str, css: str, icon: str, style: str = "") -> w.Button:
        b = w.Button(description=label, icon=icon, button_style=style, layout=w.Layout(width="auto"))
        b.add_class(css)
        return b

    def go(self, step: int) -> None:
        """Show one step (0, 1 or 2)."""
        self.step = max(0, min(len(self.step_boxes) - 1, step))
        for i, box in enumerate(self.step_boxes):
            box.layout.display = "" if i == self.step else "none"
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == len(self.step_boxes) - 1

    def load(self, settings: ConnectorSettings | None) -> None:
        """Fill the fields from a connector (modify) or the defaults (new)."""
        self.editing = settings.code if settings is not None else None
        s = settings or ConnectorSettings(code="")
        for spec in FIELDS:
            value = getattr(s, spec.name)
            widget = self.widgets[spec.name]
            if spec.kind == "bool":
                widget.value = bool(value)
            elif spec.kind == "choice":
                widget.value = value if value in dict(spec.choices) else spec.choices[0][0]
            elif spec.name == "file_delimiter":
                widget.value = "\\t" if value == "\t" else (value or "")
            else:
                widget.value = "" if value is None else str(value)
        self.widgets["code"].disabled = settings is not None
        self.title.value = (f"<h2>Modifier le connecteur {esc(settings.code)}</h2>" if settings is not None
                            else "<h2>Créer un nouveau connecteur</h2>")
        self.show_errors({})
        self.go(0)

    def settings(self) -> ConnectorSettings:
        """The settings the fields describe (text parsed like the CLI's ``KEY=VALUE``)."""
        values: dict[str, Any] = {}
        for spec in FIELDS:
            v = self.widgets[spec.name].value
            values[spec.name] = bool(v) if spec.kind == "bool" else (
                v if spec.kind == "choice" else parse_value(spec.name, v))
        code = (values.pop("code") or "").strip()
        return ConnectorSettings(code=code).replace(**values)

    def show_errors(self, errors: dict[str, str]) -> None:
        """One French message under each invalid field; go to the first step that has one."""
        # The step first: the browser applies the changes in order, so a message never shows up before
        # the step that holds it.
        steps = [STEP_ORDER.index(f.step) for f in FIELDS if f.name in errors]
        if steps:
            self.go(min(steps))
        for name, html in self.errors.items():
            msg = errors.get(name)
            html.value = f'<span style="color:#b71c1c">⚠ {esc(msg)}</span>' if msg else ""

    def save(self) -> None:
        """Hand the settings to the page (which validates, then creates or updates)."""
        self._on_save(self.settings(), self.editing)
