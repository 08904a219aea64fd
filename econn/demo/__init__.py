"""The demo workspace: generated deterministically (:mod:`.build` with its data, generators and planted
problems) and brought back to its initial state by the trainer (:mod:`.trainer`)."""

from __future__ import annotations

from .build import CONNECTORS, DEFAULT_SEED, build_demo

__all__ = ["CONNECTORS", "DEFAULT_SEED", "build_demo"]
