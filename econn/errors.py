"""Exceptions for runs that break (bad data is reported as findings, not exceptions).

Every exception carries an English ``str()`` for logs and a French ``message_fr``
for the user, so the CLI and the dashboards never show a raw Python message.
"""

from __future__ import annotations


class EconnError(Exception):
    """Base class of every error econn raises on purpose."""

    def __init__(self, message: str, message_fr: str | None = None) -> None:
        super().__init__(message)
        self.message_fr = message_fr or message


class StoreError(EconnError):
    """The workspace database cannot be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another process held the workspace database for longer than the retry budget."""


class WorkspaceError(EconnError):
    """The workspace folder is missing, unreadable or not an econn workspace."""


class ImportFileError(EconnError):
    """A reference file (GC export) cannot be imported; nothing was loaded."""


class LoaderError(EconnError):
    """A CSV file cannot be read at all (empty, binary, unreadable path)."""


class HeaderMapError(EconnError):
    """A header choice names an unknown flow, field or column (``--map``, ``econn headers``)."""
