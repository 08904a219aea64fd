"""The demo workspace: generated deterministically (:mod:`.build` with its data, generators and planted
problems) and brought back to its initial state by the trainer (:mod:`.trainer`).

The names below are imported on first use: the home page imports :mod:`.trainer` (is this workspace a
demo?) and must not pay for the generator's pandas and numpy in every dashboard kernel.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CONNECTORS", "DEFAULT_SEED", "build_demo"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
