"""« Envoyer les données »: the recap of what will be sent and the CSV files written for the shop
(:mod:`.export`), with the custom article filter compiled to SQL (:mod:`.filters`).

``from econn import send`` gives the export API (``send.plan``, ``send.send`` …), loaded on first use:
connector settings import :mod:`.filters` to validate a filter, and :mod:`.export` reads connector settings.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ARTICLE_COLUMNS", "CLIENT_COLUMNS", "CONTACT_COLUMNS", "DATA_TYPES", "OVERRIDABLE", "PlanItem",
           "SendError", "SendPlan", "SendResult", "SentFile", "plan", "rows", "send"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'econn.send.export' has no attribute {name!r}")
    value = getattr(importlib.import_module(".export", __name__), name)
    globals()[name] = value
    return value
