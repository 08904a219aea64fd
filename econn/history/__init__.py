"""« Historique des synchronisations » (:mod:`.journal`: rows, filters, closing an error, purge) and what
the home page shows (:mod:`.overview`).

``from econn import history`` gives the journal's API: ``history.add``, ``history.query``, ``history.counts`` …
"""

from __future__ import annotations

from .journal import (
    COLUMNS,
    DATA_TYPE_LABELS,
    DEFAULT_RETENTION_MONTHS,
    KIND_ALIASES,
    KINDS,
    LEVEL_ALIASES,
    LEVELS,
    MAX_RETENTION_MONTHS,
    RESOLVE_EXAMPLE,
    RETENTION_KEY,
    HistoryError,
    add,
    counts,
    cutoff,
    daily_volumes,
    escape_like,
    get_entry,
    purge,
    query,
    resolve,
    retention_months,
    set_retention_months,
)

__all__ = ["COLUMNS", "DATA_TYPE_LABELS", "DEFAULT_RETENTION_MONTHS", "KIND_ALIASES", "KINDS", "LEVEL_ALIASES",
           "LEVELS", "MAX_RETENTION_MONTHS", "RESOLVE_EXAMPLE", "RETENTION_KEY", "HistoryError", "add", "counts", "cutoff",
           "daily_volumes", "escape_like", "get_entry", "purge", "query", "resolve", "retention_months",
           "set_retention_months"]
