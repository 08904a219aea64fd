"""The workspace schema, as an ordered list of migrations (one module each in ``econn.store.migrations``).

Migration N is applied once, in a transaction, and recorded in ``meta``
(``schema_version``). Never edit a migration that has landed: add the next one.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import migrations as _pkg


def _load() -> list[tuple[int, str]]:
    found = []
    for info in pkgutil.iter_modules(_pkg.__path__):
        if info.name.startswith("m"):
            mod = importlib.import_module(f"{_pkg.__name__}.{info.name}")
            found.append((int(mod.VERSION), str(mod.SQL)))
    found.sort()
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"schema migrations are not numbered 1..N: {[v for v, _ in found]}")
    return found


MIGRATIONS: list[tuple[int, str]] = _load()
LATEST_VERSION = MIGRATIONS[-1][0]
