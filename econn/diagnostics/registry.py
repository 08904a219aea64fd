"""Diagnostic names (the CLI's and ERO's « Exécuter des actions ») → the function that runs them.

Modules are imported on first use, so that listing diagnostics stays cheap and a diagnostic still being
written elsewhere (``doublons-complet``) only fails when it is asked for, with a French message.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import os
from collections.abc import Callable
from typing import Any

from ..errors import EconnError
from .base import DiagnosticResult

# name → (module, function, French title)
DIAGNOSTICS: dict[str, tuple[str, str, str]] = {
    "produits-absents": ("econn.diagnostics.articles", "run", "Produits absents"),
    "tva": ("econn.diagnostics.vat", "run", "Configuration TVA"),
    "doublons-simple": ("econn.diagnostics.duplicates_simple", "run", "Doublon de clients simple"),
    "doublons-complet": ("econn.diagnostics.duplicates_complet", "run", "Doublon de clients complet"),
    "grilles-prix": ("econn.diagnostics.price_grids", "run", "Grilles de prix"),
    "nettoyage-grilles": ("econn.diagnostics.grid_cleanup", "plan", "Nettoyage des grilles de prix (aperçu)"),
}


class UnknownDiagnosticError(EconnError):
    """A diagnostic name that econn does not know, or whose module is not installed yet."""


def get(name: str) -> Callable[..., DiagnosticResult]:
    """The function of a diagnostic.

    Raises:
        UnknownDiagnosticError: unknown name, or a diagnostic whose module is missing.
    """
    entry = DIAGNOSTICS.get(name)
    if entry is None:
        raise UnknownDiagnosticError(f"unknown diagnostic {name!r}",
                                     f"Diagnostic inconnu « {name} » : choisissez parmi {', '.join(DIAGNOSTICS)}.")
    module, func, title = entry
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise UnknownDiagnosticError(f"diagnostic module {module} is not available",
                                     f"Le diagnostic « {title} » n'est pas encore disponible dans cette version "
                                     "d'econn.") from exc
    fn = getattr(mod, func, None)
    if fn is None:
        raise UnknownDiagnosticError(f"{module}.{func} is missing",
                                     f"Le diagnostic « {title} » n'est pas encore disponible dans cette version "
                                     "d'econn.")
    return fn


def run(name: str, workspace: str | os.PathLike[str], *, connector: str | None = None,
        today: dt.date | None = None, **options: Any) -> DiagnosticResult:
    """Run a diagnostic by name (see :data:`DIAGNOSTICS`)."""
    fn = get(name)
    kwargs = {"connector": connector, "today": today, **options}
    params = inspect.signature(fn).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        # doublons-complet is written elsewhere, possibly as plain run(workspace): pass what it accepts.
        kwargs = {k: v for k, v in kwargs.items() if k in params}
    return fn(workspace, **kwargs)


def title(name: str) -> str:
    """French title of a diagnostic."""
    return DIAGNOSTICS[name][2]
