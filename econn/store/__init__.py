"""The workspace store: the DuckDB file and its lock (:mod:`.connection`), its schema and migrations,
backups, and where a workspace's folders are (:mod:`.workspace`).

``from econn import store`` gives the connection API: ``store.connect``, ``store.reading``,
``store.transaction``, ``store.exclusive`` …
"""

from __future__ import annotations

from .connection import (
    APP_ID,
    DB_NAME,
    DEFAULT_LOCK_TIMEOUT,
    LOCK_NAME,
    WaitCallback,
    busy_holder,
    connect,
    db_path,
    describe_process,
    exclusive,
    first,
    get_setting,
    init_store,
    lock_timeout,
    next_counter,
    query_df,
    quote_ident,
    reading,
    set_setting,
    set_wait_hook,
    transaction,
)

__all__ = ["APP_ID", "DB_NAME", "DEFAULT_LOCK_TIMEOUT", "LOCK_NAME", "WaitCallback", "busy_holder", "connect",
           "db_path", "describe_process", "exclusive", "first", "get_setting", "init_store", "lock_timeout",
           "next_counter", "query_df", "quote_ident", "reading", "set_setting", "set_wait_hook", "transaction"]
