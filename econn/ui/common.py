"""The pieces every page shares: header with breadcrumbs, message panel, safe callbacks."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import ipywidgets as w

from ..errors import EconnError
from ..workspace import repo_root, resolve_workspace
from .format import esc

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
W = TypeVar("W", bound=w.DOMWidget)


def css(widget: W, *classes: str) -> W:
    """Give a widget stable CSS classes (``econn-…``): the browser tests and styles select on them."""
    for c in classes:
        widget.add_class(c)
    return widget

# (notebook file, French title, one-line description) — the home page links those that exist.
DASHBOARDS: list[tuple[str, str, str]] = [
    ("00_accueil.ipynb", "Synchro e-connecteur", "Connecteurs, fichiers en attente, état des synchronisations"),
    ("01_reception.ipynb", "Réception", "Aperçu d'un fichier reçu, analyse puis intégration"),
    ("02_correspondances.ipynb", "Correspondances", "TVA, unités, pays, règlements, articles et tiers"),
    ("03_diagnostics.ipynb", "Diagnostics", "Produits absents, TVA, doublons clients, grilles de prix"),
    ("04_historique.ipynb", "Historique", "Réceptions, envois et erreurs ; rapport ERO"),
    ("06_parametrage.ipynb", "Paramétrage", "Créer et modifier les connecteurs"),
    ("99_visite_guidee.ipynb", "Visite guidée", "Les flux e-connecteur pas à pas sur la démo"),
]

STYLE = """
<style>
.econn-page { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 1200px; }
.econn-breadcrumbs a { color: #1f5fa8; text-decoration: none; }
.econn-title h1 { font-size: 1.5em; margin: 0.2em 0; }
.econn-muted { color: #666; font-size: 0.9em; }
.econn-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
.econn-table th, .econn-table td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.econn-table th { background: #f3f5f8; }
.econn-badge { display: inline-block; padding: 0.6em 1em; border-radius: 6px; margin-right: 0.6em;
               min-width: 7em; text-align: center; color: #fff; font-weight: 600; }
.econn-succes { background: #2e8540; } .econn-alerte { background: #e07b00; } .econn-erreur { background: #c62828; }
.econn-msg-error { color: #b71c1c; } .econn-msg-info { color: #1b5e20; } .econn-msg-wait { color: #8a5a00; }
</style>
"""


def notebooks_dir() -> Path:
    """Folder of the dashboards: the checkout's ``notebooks/``, else the kernel's working directory."""
    root = repo_root()
    return root / "notebooks" if root else Path.cwd()


def available_dashboards() -> list[tuple[str, str, str]]:
    """The dashboards that exist in this installation."""
    folder = notebooks_dir()
    return [d for d in DASHBOARDS if (folder / d[0]).exists()]


def wait_for_page_request() -> None:
    """In a preheated Voilà kernel, wait here until a user opens the page (fresh data, not stale).

    Imports and kernel start-up happen before this point, ahead of the request; outside Voilà
    (nbval, plain Jupyter) this returns at once.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request  # only inside Voilà

    wait_for_request()


class MessagePanel(w.VBox):
    """Where every callback's error or notice appears in plain French (Voilà hides tracebacks)."""

    def __init__(self) -> None:
        super().__init__()
        self.add_class("econn-messages")

    def _show(self, text: str, kind: str) -> None:
        item = w.HTML(f'<div class="econn-msg-{kind}">{esc(text)}</div>')
        item.add_class(f"econn-msg-{kind}")
        self.children = (item,) + tuple(self.children[:4])

    def info(self, text: str) -> None:
        """A notice (green)."""
        self._show(text, "info")

    def error(self, text: str) -> None:
        """An error (red)."""
        self._show(text, "error")

    def waiting(self, text: str) -> None:
        """What the page is waiting for (orange)."""
        self._show(text, "wait")

    def clear(self) -> None:
        """Remove all messages."""
        self.children = ()

    def report(self, exc: BaseException) -> None:
        """Show an exception as one French sentence; the detail goes to the log."""
        if isinstance(exc, EconnError):
            self.error(exc.message_fr)
        else:
            log.exception("unexpected error in a dashboard callback", exc_info=exc)
            self.error(f"Erreur inattendue : {type(exc).__name__} — {exc}")

    def guard(self, fn: F) -> F:
        """Wrap a widget callback so that any exception is shown here instead of vanishing."""

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # a callback must never fail silently
                self.report(exc)
                return None

        return wrapper  # type: ignore[return-value]

    def on_store_wait(self, seconds: float, holder: str) -> None:
        """``store.connect(on_wait=...)`` hook: say plainly that the store is busy."""
        self.waiting(f"L'espace de travail est occupé par {holder} : attente depuis {seconds:.0f} s…")


def page_header(title: str, workspace: Path | None = None, *, home: bool = False,
                extra: w.Widget | None = None) -> w.VBox:
    """Title, breadcrumbs back home, and the workspace in use."""
    ws = workspace or resolve_workspace()
    crumbs = "Synchro e-connecteur" if home else f'<a href="00_accueil.ipynb">Synchro e-connecteur</a> › {esc(title)}'
    parts: list[w.Widget] = [
        w.HTML(STYLE),
        w.HTML(f'<div class="econn-breadcrumbs">{crumbs}</div>'),
        w.HTML(f'<div class="econn-title"><h1>{esc(title)}</h1></div>'
               f'<div class="econn-muted">Espace de travail : {esc(ws)}</div>'),
    ]
    if extra is not None:
        parts.append(extra)
    box = w.VBox(parts)
    box.add_class("econn-header")
    return box
