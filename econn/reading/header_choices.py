"""The user's remembered header choices (table ``header_mappings``): what ``econn headers`` and the
dashboard's « Mémoriser » write, and what :func:`econn.reading.headers.map_headers` applies for a connector
and flow.

A choice is kept per header spelling as the user typed it; two spellings that compare equal
(:func:`econn.reading.headers.normalize`: « Désignation », « designation ») are one choice, the last one
written.
"""

from __future__ import annotations

import os
from typing import Any

from .. import store
from ..errors import HeaderMapError
from .headers import check_field, check_flow, map_headers, normalize

__all__ = ["check_connector", "list_choices", "reset_choices", "set_choices"]


def check_connector(con: Any, connector: str) -> None:
    """Raise :class:`HeaderMapError` (French message listing the connectors) for an unknown connector."""
    if store.first(con.execute("SELECT 1 FROM connectors WHERE code = ?", [connector])) is None:
        known = [r[0] for r in con.execute("SELECT code FROM connectors ORDER BY code").fetchall()]
        raise HeaderMapError(f"unknown connector {connector!r}",
                             f"Connecteur inconnu « {connector} » (connecteurs : {', '.join(known) or 'aucun'}).")


def list_choices(workspace: str | os.PathLike[str], connector: str, flow: str) -> list[dict[str, Any]]:
    """The remembered choices of a connector and flow, with what the engine would choose without them.

    Returns:
        One record per remembered header, by header: ``header``, ``field`` (None: the column is ignored),
        ``updated_at``, and ``proposal`` / ``proposal_origin``: the engine's choice for that header alone,
        without the memory (synonyms, close spellings).

    Raises:
        HeaderMapError: unknown flow or connector.
    """
    check_flow(flow)
    with store.connect(workspace, read_only=True) as con:
        check_connector(con, connector)
        rows = con.execute("SELECT header, field, updated_at FROM header_mappings WHERE connector = ? AND flow = ? "
                           "ORDER BY lower(header), header", [connector, flow]).fetchall()
    out = []
    for header, fld, updated in rows:
        alone = map_headers([header], flow)[0]
        out.append({"header": header, "field": fld, "updated_at": updated, "proposal": alone.field,
                    "proposal_origin": alone.origin})
    return out


def set_choices(workspace: str | os.PathLike[str], connector: str, flow: str,
                choices: dict[str, str | None]) -> list[tuple[str, str | None]]:
    """Remember header → field choices (None: ignore the column) for a connector and flow, in one transaction.

    A choice replaces the remembered one of the same header, whatever its spelling.

    Returns:
        The (header, field) pairs written.

    Raises:
        HeaderMapError: unknown flow, field or connector, or an empty header.
    """
    for header, fld in choices.items():
        check_field(flow, fld)
        if not header.strip():
            raise HeaderMapError("empty header", "Nom de colonne vide.")
    with store.transaction(workspace) as con:
        check_connector(con, connector)
        stored = [h for (h,) in con.execute("SELECT header FROM header_mappings WHERE connector = ? AND flow = ?",
                                            [connector, flow]).fetchall()]
        written = []
        for header, fld in choices.items():
            others = [h for h in stored if normalize(h) == normalize(header) and h != header]
            if others:
                con.executemany("DELETE FROM header_mappings WHERE connector = ? AND flow = ? AND header = ?",
                                [[connector, flow, h] for h in others])
            con.execute(
                "INSERT INTO header_mappings (connector, flow, header, field) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (connector, flow, header) DO UPDATE SET field = excluded.field, "
                "updated_at = now()", [connector, flow, header, fld])
            written.append((header, fld))
    return written


def reset_choices(workspace: str | os.PathLike[str], connector: str, flow: str,
                  headers: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Forget remembered choices of a connector and flow: all of them, or those of ``headers``.

    Returns:
        (headers forgotten, as stored; headers given that had no remembered choice).

    Raises:
        HeaderMapError: unknown flow or connector.
    """
    check_flow(flow)
    with store.transaction(workspace) as con:
        check_connector(con, connector)
        stored = [h for (h,) in con.execute("SELECT header FROM header_mappings WHERE connector = ? AND flow = ? "
                                            "ORDER BY header", [connector, flow]).fetchall()]
        if headers is None:
            gone, unknown = stored, []
        else:
            wanted = {normalize(h) for h in headers}
            gone = [h for h in stored if normalize(h) in wanted]
            found = {normalize(h) for h in gone}
            unknown = [h for h in headers if normalize(h) not in found]
        if gone:
            con.executemany("DELETE FROM header_mappings WHERE connector = ? AND flow = ? AND header = ?",
                            [[connector, flow, h] for h in gone])
    return gone, unknown
