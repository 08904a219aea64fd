"""« Historique des synchronisations » and the ERO dashboard figures, as data.

* :func:`query` — the history table of one connector or all, within the retention, filtered by dates, kinds,
  levels, open errors and a search text (reference, n° doc origine, n° doc GC, nom, message, code;
  case-insensitive, bound as a parameter with ``%`` and ``_`` escaped), newest first, paginated;
  ``df.attrs["total"]`` holds the number of matching rows.
* :func:`counts` — succès / alerte / erreur over the last 48 h (ERO's dashboard); :func:`daily_volumes` —
  per day and level, for the chart.
* :func:`resolve` — close an error by hand with a mandatory justification (« ressaisi en GC »); the row stays
  visible, closed, with who, when and why.
* :func:`purge` — the 2-month retention (setting ``history.retention_months``): older rows are deleted,
  except open errors, which are never deleted.
* :func:`add` — one history row, for the modules that receive, send or diagnose.

Performance (benchmarks/history_speed.py, 10 million rows, 2 vCPUs): the dashboard's query (one connector,
one month, a search term, 500 rows) takes ~175 ms median, ~60 ms of which is opening the store; it relies on
DuckDB's zone maps on ``occurred_at`` (history is appended in time order, so a date range skips most row
groups). A search over the whole history without dates scans everything (~3 s). Purging 9 of 10 million rows
takes ~20 s.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import duckdb

from .. import justification as justification_rule
from .. import store
from ..errors import EconnError

KINDS = ("reception", "envoi", "erreur", "action")
LEVELS = ("succès", "alerte", "erreur")
# The seed's tab names (« Réceptions », « Envois », « Erreurs ») and a few spellings → stored kinds.
KIND_ALIASES = {"receptions": "reception", "réceptions": "reception", "réception": "reception",
                "envois": "envoi", "erreurs": "erreur", "actions": "action"}
LEVEL_ALIASES = {"succes": "succès", "success": "succès", "alertes": "alerte", "erreurs": "erreur",
                 "warning": "alerte", "error": "erreur"}
RETENTION_KEY = "history.retention_months"
RESOLVE_EXAMPLE = "ressaisi en GC"
DEFAULT_RETENTION_MONTHS = 2
MAX_RETENTION_MONTHS = 120

# Column of the DataFrame → French title (the seed's « Historique des synchronisations » columns first).
COLUMNS: dict[str, str] = {
    "id": "N°",
    "connector": "Code connecteur",
    "kind": "Onglet",
    "type": "Type de données",
    "date_integration": "Date intégration",
    "date_achat": "Date achat",
    "n_doc_origine": "N° doc origine",
    "n_doc_gc": "N° doc GC",
    "nom": "Prénom/Nom",
    "code_tiers_gc": "Code tiers GC",
    "code_tiers_origine": "Code tiers origine",
    "montant_ttc": "Montant TTC",
    "n_reglement": "N° règlement",
    "level": "Niveau",
    "code": "Code",
    "message": "Message",
    "hint": "Conseil",
    "reference": "Référence",
    "state": "État",
    "closed_at": "Fermée le",
    "closed_by": "Fermée par",
    "justification": "Justification",
}
DATA_TYPE_LABELS = {"document": "Document", "client": "Client", "fournisseur": "Fournisseur",
                    "article": "Article", "fichier": "Fichier", "diagnostic": "Diagnostic", "reglage": "Réglage"}

_SELECT = """
    id, connector, kind,
    CASE data_type WHEN 'document' THEN 'Document' WHEN 'client' THEN 'Client'
        WHEN 'fournisseur' THEN 'Fournisseur' WHEN 'article' THEN 'Article' WHEN 'fichier' THEN 'Fichier'
        WHEN 'diagnostic' THEN 'Diagnostic' WHEN 'reglage' THEN 'Réglage' ELSE data_type END AS type,
    occurred_at AS date_integration, purchase_date AS date_achat, origin_number AS n_doc_origine,
    gc_number AS n_doc_gc, name AS nom, gc_tiers AS code_tiers_gc, origin_tiers AS code_tiers_origine,
    CAST(amount_ttc AS DOUBLE) AS montant_ttc, payment_number AS n_reglement, level, code, message, hint,
    reference,
    CASE WHEN level <> 'erreur' THEN '' WHEN closed_at IS NULL THEN 'ouverte' ELSE 'fermée' END AS state,
    closed_at, closed_by, justification
"""
_TEXT_COLUMNS = ("connector", "kind", "type", "n_doc_origine", "n_doc_gc", "nom", "code_tiers_gc",
                 "code_tiers_origine", "n_reglement", "level", "code", "message", "hint", "reference", "state",
                 "closed_by", "justification")
_ADD_COLUMNS = ("data_type", "occurred_at", "purchase_date", "origin_number", "gc_number", "name", "gc_tiers",
                "origin_tiers", "amount_ttc", "payment_number", "code", "message", "hint", "reference")


class HistoryError(EconnError):
    """A history operation was refused (unknown row, missing justification…); nothing was changed."""


def escape_like(text: str) -> str:
    """``text`` for ``LIKE … ESCAPE '\\'``: ``%``, ``_`` and ``\\`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _norm(values: Any, aliases: dict[str, str], allowed: tuple[str, ...], what: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    out = []
    for v in values:
        key = str(v).strip().lower()
        key = aliases.get(key, key)
        if key not in allowed:
            raise HistoryError(f"unknown {what} {v!r}",
                               f"{what.capitalize()} inconnu(e) : « {v} ». Valeurs possibles : {', '.join(allowed)}.")
        out.append(key)
    return out


def _as_datetime(value: dt.date | dt.datetime | str | None, end: bool) -> dt.datetime | None:
    """A bound of the date filter; a date (or dd/mm/yyyy text) as ``date_to`` includes the whole day."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        from ..reading.values import parse_date

        text = value.strip()
        try:
            parsed: dt.date | dt.datetime = dt.datetime.fromisoformat(text) if ("T" in text or ":" in text) \
                else _require_date(parse_date(text), value)
        except ValueError as exc:
            raise HistoryError(f"bad date {value!r}", f"Date illisible : « {value} » (jj/mm/aaaa ou aaaa-mm-jj).") \
                from exc
        value = parsed
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value + dt.timedelta(days=1) if end else value, dt.time())


def _require_date(d: dt.date | None, raw: str) -> dt.date:
    if d is None:
        raise HistoryError(f"bad date {raw!r}", f"Date illisible : « {raw} » (jj/mm/aaaa ou aaaa-mm-jj).")
    return d


def _where(connector: str | None, date_from: Any, date_to: Any, kinds: Any, levels: Any, search: str | None,
           open_only: bool) -> tuple[str, list[Any]]:
    conds: list[str] = []
    params: list[Any] = []
    if connector:
        conds.append("connector = ?")
        params.append(connector)
    lo, hi = _as_datetime(date_from, end=False), _as_datetime(date_to, end=True)
    if lo is not None:
        conds.append("occurred_at >= ?")
        params.append(lo)
    if hi is not None:
        # A date bound means « up to the end of that day »; a datetime bound is exclusive.
        conds.append("occurred_at < ?")
        params.append(hi)
    k = _norm(kinds, KIND_ALIASES, KINDS, "type")
    if k:
        conds.append(f"kind IN ({', '.join('?' for _ in k)})")
        params += k
    lv = _norm(levels, LEVEL_ALIASES, LEVELS, "niveau")
    if lv:
        conds.append(f"level IN ({', '.join('?' for _ in lv)})")
        params += lv
    if open_only:
        conds.append("level = 'erreur' AND closed_at IS NULL")
    if search and search.strip():
        text = search.strip()
        # ESCAPE costs ~2x on 10M rows (DuckDB then skips its contains() fast path), so it is only added
        # when the text holds a character LIKE would read as a wildcard or escape.
        special = any(ch in text for ch in "%_\\")
        pattern = "%" + (escape_like(text) if special else text) + "%"
        like = "ILIKE ? ESCAPE '\\'" if special else "ILIKE ?"
        cols = ("reference", "origin_number", "gc_number", "name", "message", "code")
        conds.append("(" + " OR ".join(f"{c} {like}" for c in cols) + ")")
        params += [pattern] * len(cols)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def query(workspace: str | os.PathLike[str], connector: str | None = None, *,
          date_from: dt.date | dt.datetime | str | None = None, date_to: dt.date | dt.datetime | str | None = None,
          kinds: list[str] | str | None = None, levels: list[str] | str | None = None, search: str | None = None,
          open_only: bool = False, limit: int = 500, offset: int = 0, now: dt.datetime | None = None) -> Any:
    """The history rows matching the filters, newest first, within the retention.

    Rows older than the retention (:func:`retention_months`) are not listed, except open errors, exactly
    the rows :func:`purge` keeps: the list is the same whether the purge has run yet or not.

    Args:
        workspace: the workspace folder.
        connector: one connector code (default: all).
        date_from: first day (or datetime) included; a date or ``jj/mm/aaaa`` / ISO text.
        date_to: last day included (a datetime bound is exclusive).
        kinds: ``reception``, ``envoi``, ``erreur``, ``action`` (the seed's tabs ``receptions``, ``envois``,
            ``erreurs`` also work), a list or comma-separated text.
        levels: ``succès``, ``alerte``, ``erreur``.
        search: text looked for, case-insensitively, in reference, n° doc origine, n° doc GC, nom, message and
            code; ``%`` and ``_`` are literal.
        open_only: only errors not closed yet.
        limit: page size (at most 10,000).
        offset: rows skipped (pagination).
        now: the reference instant of the retention (default: now).

    Returns:
        A pandas DataFrame with the columns of :data:`COLUMNS` (titles there); ``attrs["total"]`` is the number of
        matching rows, ``attrs["limit"]``/``attrs["offset"]`` the page.

    Raises:
        HistoryError: unknown kind or level, unreadable date.
    """
    where, params = _where(connector, date_from, date_to, kinds, levels, search, open_only)
    limit = max(0, min(int(limit), 10_000))
    with store.connect(workspace, read_only=True) as con:
        kept = cutoff(_retention(con), now or dt.datetime.now())
        where = (where + " AND " if where else " WHERE ") + \
            "(occurred_at >= ? OR (level = 'erreur' AND closed_at IS NULL))"
        params = [*params, kept]
        # Two statements rather than count(*) OVER (): the window materialises every column of every matching
        # row (1.1 s for one connector-month of 10M rows), while the count reads the filter columns only and
        # the page is a streaming top-N.
        sql = f"SELECT {_SELECT} FROM history{where} ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?"
        df = con.execute(sql, [*params, limit, max(0, int(offset))]).df()
        if offset == 0 and len(df) < limit:
            total = len(df)  # the whole result fits in the page: no second scan
        else:
            row = store.first(con.execute(f"SELECT count(*) FROM history{where}", params))
            total = int(row[0]) if row else 0
    df["date_achat"] = [None if v is None or v != v else v.date() for v in df["date_achat"]]
    for col in _TEXT_COLUMNS:  # a missing text is None (not NaN) for the pages and the JSON output
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df.attrs.update(total=total, limit=limit, offset=offset)
    return df


def get_entry(workspace: str | os.PathLike[str], entry_id: int) -> dict[str, Any]:
    """One history row (the :data:`COLUMNS` keys).

    Raises:
        HistoryError: no such row.
    """
    with store.connect(workspace, read_only=True) as con:
        cur = con.execute(f"SELECT {_SELECT} FROM history WHERE id = ?", [int(entry_id)])
        names = [d[0] for d in cur.description]
        row = store.first(cur)
    if row is None:
        raise HistoryError(f"no history row {entry_id}", f"Ligne d'historique n° {entry_id} introuvable.")
    return dict(zip(names, row))


def counts(workspace: str | os.PathLike[str], hours: int = 48, connector: str | None = None, *,
           now: dt.datetime | None = None) -> dict[str, int]:
    """ERO's dashboard figures: rows per level over the last ``hours``, plus the open errors (any age).

    Returns:
        ``{"succès": n, "alerte": n, "erreur": n, "ouvertes": n}``.
    """
    now = now or dt.datetime.now()
    conn_cond = " AND connector = ?" if connector else ""
    cparams = [connector] if connector else []
    with store.connect(workspace, read_only=True) as con:
        rows = con.execute(f"SELECT level, count(*) FROM history WHERE occurred_at >= ? AND occurred_at <= ?"
                           f"{conn_cond} GROUP BY level",
                           [now - dt.timedelta(hours=hours), now, *cparams]).fetchall()
        open_row = store.first(con.execute(
            f"SELECT count(*) FROM history WHERE level = 'erreur' AND closed_at IS NULL{conn_cond}", cparams))
    out = {lv: 0 for lv in LEVELS}
    out.update({lv: int(n) for lv, n in rows if lv in out})
    out["ouvertes"] = int(open_row[0]) if open_row else 0
    return out


def daily_volumes(workspace: str | os.PathLike[str], connector: str | None = None, days: int = 90, *,
                  now: dt.datetime | None = None) -> Any:
    """Rows per day and level over the last ``days`` days (every day present, zeros included), for a chart.

    Returns:
        A DataFrame with columns ``day`` (date), ``succès``, ``alerte``, ``erreur``, oldest first.
    """
    now = now or dt.datetime.now()
    first_day = now.date() - dt.timedelta(days=max(1, int(days)) - 1)
    conn_cond = " AND connector = ?" if connector else ""
    sql = f"""
        WITH d AS (SELECT CAST(range AS DATE) AS day FROM range(CAST(? AS DATE), CAST(? AS DATE) + 1, INTERVAL 1 DAY)),
             h AS (SELECT CAST(occurred_at AS DATE) AS day,
                          count(*) FILTER (WHERE level = 'succès') AS s,
                          count(*) FILTER (WHERE level = 'alerte') AS a,
                          count(*) FILTER (WHERE level = 'erreur') AS e
                   FROM history WHERE occurred_at >= ? AND occurred_at < ?{conn_cond} GROUP BY 1)
        SELECT d.day, coalesce(h.s, 0) AS "succès", coalesce(h.a, 0) AS alerte, coalesce(h.e, 0) AS erreur
        FROM d LEFT JOIN h USING (day) ORDER BY d.day
    """
    params: list[Any] = [first_day, now.date(), dt.datetime.combine(first_day, dt.time()),
                         dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())]
    if connector:
        params.append(connector)
    with store.connect(workspace, read_only=True) as con:
        df = con.execute(sql, params).df()
    df["day"] = df["day"].dt.date if hasattr(df["day"], "dt") else df["day"]
    return df


def resolve(workspace: str | os.PathLike[str], entry_id: int, justification: str, user: str, *,
            now: dt.datetime | None = None) -> dict[str, Any]:
    """Close an error by hand (« traiter manuellement »): the justification is mandatory and recorded.

    Args:
        workspace: the workspace folder.
        entry_id: the history row's id.
        justification: why (« ressaisi en GC »); the rule of :mod:`econn.justification` applies (at least
            10 characters, with letters), as for lifting the safety mode.
        user: who closes it.
        now: when (default: now).

    Returns:
        The closed row (keys of :data:`COLUMNS`); it stays in the history, state « fermée ».

    Raises:
        HistoryError: justification missing or too short, blank user, unknown row, not an error, already closed.
    """
    why = justification_rule.problem(justification, "fermer une erreur", RESOLVE_EXAMPLE)
    if why:
        raise HistoryError("justification missing or too short", why)
    text = justification_rule.clean(justification)
    who = (user or "").strip()
    if not who:
        raise HistoryError("empty user", "Indiquez qui ferme l'erreur (utilisateur).")
    now = now or dt.datetime.now()
    with store.transaction(workspace) as con:
        row = store.first(con.execute("SELECT level, closed_at, closed_by, justification FROM history WHERE id = ?",
                                      [int(entry_id)]))
        if row is None:
            raise HistoryError(f"no history row {entry_id}", f"Ligne d'historique n° {entry_id} introuvable.")
        level, closed_at, closed_by, old = row
        if level != "erreur":
            raise HistoryError(f"row {entry_id} is not an error ({level})",
                               f"Seules les erreurs se ferment : la ligne n° {entry_id} est de niveau {level}.")
        if closed_at is not None:
            raise HistoryError(f"row {entry_id} already closed",
                               f"L'erreur n° {entry_id} est déjà fermée (par {closed_by} le "
                               f"{closed_at:%d/%m/%Y %H:%M} : {old}).")
        con.execute("UPDATE history SET closed_at = ?, closed_by = ?, justification = ? WHERE id = ?",
                    [now, who, text, int(entry_id)])
    return get_entry(workspace, entry_id)


def retention_months(workspace: str | os.PathLike[str]) -> int:
    """The history retention in months (setting ``history.retention_months``, default 2)."""
    with store.connect(workspace, read_only=True) as con:
        return _retention(con)


def _retention(con: duckdb.DuckDBPyConnection) -> int:
    value = store.get_setting(con, RETENTION_KEY)
    try:
        return int(value) if value is not None else DEFAULT_RETENTION_MONTHS
    except ValueError:
        return DEFAULT_RETENTION_MONTHS


def set_retention_months(workspace: str | os.PathLike[str], months: int) -> int:
    """Set the retention (1 to 120 months).

    Raises:
        HistoryError: out of range.
    """
    _check_months(months)
    with store.transaction(workspace) as con:
        store.set_setting(con, RETENTION_KEY, str(int(months)))
    return int(months)


def _check_months(months: Any) -> None:
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_RETENTION_MONTHS:
        raise HistoryError(f"bad retention {months!r}",
                           f"Durée de conservation invalide : {months} (un nombre de mois de 1 à "
                           f"{MAX_RETENTION_MONTHS}).")


def cutoff(months: int, now: dt.datetime) -> dt.datetime:
    """The oldest kept instant: ``now`` minus ``months`` calendar months (31/12 − 2 months → 31/10)."""
    m = now.month - 1 - months
    year, month = now.year + m // 12, m % 12 + 1
    import calendar

    day = min(now.day, calendar.monthrange(year, month)[1])
    return now.replace(year=year, month=month, day=day)


def purge(workspace: str | os.PathLike[str], months: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete history rows older than the retention, except open errors (never deleted).

    Args:
        workspace: the workspace folder.
        months: retention in months (default: the setting, else 2).
        now: the reference instant (default: now).

    Returns:
        The number of rows deleted.

    Raises:
        HistoryError: invalid ``months``.
    """
    now = now or dt.datetime.now()
    if months is not None:
        _check_months(months)
    with store.transaction(workspace) as con:
        limit = cutoff(months if months is not None else _retention(con), now)
        # DuckDB answers a DELETE with the number of rows deleted.
        row = store.first(con.execute(
            "DELETE FROM history WHERE occurred_at < ? AND NOT (level = 'erreur' AND closed_at IS NULL)", [limit]))
        n = int(row[0]) if row else 0
    return n


def add(target: str | os.PathLike[str] | duckdb.DuckDBPyConnection, connector: str, kind: str, level: str = "succès",
        **values: Any) -> int:
    """Record one history row; returns its id.

    Args:
        target: a workspace folder (a transaction is opened) or an open connection (the caller's transaction).
        connector: connector code.
        kind: ``reception``, ``envoi``, ``erreur`` or ``action``.
        level: ``succès``, ``alerte`` or ``erreur``.
        **values: other columns: data_type, occurred_at (default now), purchase_date, origin_number, gc_number,
            name, gc_tiers, origin_tiers, amount_ttc, payment_number, code, message, hint, reference.

    Raises:
        HistoryError: unknown kind, level or column.
    """
    if kind not in KINDS:
        raise HistoryError(f"unknown kind {kind!r}", f"Type d'historique inconnu : {kind}.")
    if level not in LEVELS:
        raise HistoryError(f"unknown level {level!r}", f"Niveau inconnu : {level}.")
    unknown = sorted(set(values) - set(_ADD_COLUMNS))
    if unknown:
        raise HistoryError(f"unknown history columns {unknown}", f"Colonnes d'historique inconnues : {unknown}.")
    values.setdefault("occurred_at", dt.datetime.now())
    cols = ["connector", "kind", "level", *values]
    sql = (f"INSERT INTO history ({', '.join(store.quote_ident(c) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)}) RETURNING id")
    args = [connector, kind, level, *values.values()]
    if isinstance(target, duckdb.DuckDBPyConnection):
        row = store.first(target.execute(sql, args))
    else:
        with store.transaction(Path(target)) as con:
            row = store.first(con.execute(sql, args))
    assert row is not None
    return int(row[0])
