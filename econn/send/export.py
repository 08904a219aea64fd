"""« Envoyer les données »: the recap of what a connector sends, and the CSV files written for the shop.

:func:`plan` is the seed's « Récapitulatif des données à envoyer »: per data type (articles, clients,
contacts) the parameters used and the number of rows, with the connector's settings or per-send overrides
(« Modifier les paramètres à envoyer pour cet envoi », « Chemin d'export »). :func:`send` writes
``articles_<aaaammjj>.csv``, ``clients_<aaaammjj>.csv`` and ``contacts_<aaaammjj>.csv`` into the export folder
— each file atomically, every cell neutralised against formula injection (:mod:`econn.safe_output`) — in the
connector's encoding and delimiter, with a header row, decimal comma, dates as ``jj/mm/aaaa``, CRLF; then it
records one history row per data type (kind ``envoi``, level succès, counts in the message) and one alerte
row per kind of finding. A later send the same day replaces the day's files (every file is a full export).

What is selected:

* articles — ``export``: active articles marked « disponible à l'export »; ``filtre``: active articles matching
  the custom filter; ``aucun``: none. Price: the connector's price category (the category's lowest-quantity
  rule without client, valid on the send day) falling back to the article's ``prix_ht``; TTC computed from
  the article's VAT code. Unit: the connector's unit, else the article's. Depot: the connector's.
* clients — ``tous``: active tiers of type client; ``filtre``: those matching the filter; ``aucun``: none;
  their contacts when ``send_contacts``.

Characters the encoding cannot hold (cp1252 has no ``ł`` or ``−``) are replaced by an ASCII stand-in or ``?``
and reported as ``ENV-ENC`` findings, never a crash.

Custom filters are a small language compiled to SQL with bound values: see :mod:`econn.send.filters`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import findings, store
from ..config.connectors import ConnectorSettings, ConnectorValidationError, get, validate
from ..errors import EconnError
from ..findings import Finding, Level
from ..safe_output import CsvReport, render_cell, render_rows, write_csv
from .filters import FILTER_FIELDS, FilterError, compile_filter
from ..store.workspace import connector_dir

# Keys a send may override (« Modifier les paramètres à envoyer pour cet envoi » + « Chemin d'export »).
OVERRIDABLE = ("articles_send", "articles_filter", "price_category", "unit", "depot", "clients_send",
               "clients_filter", "send_contacts", "export_dir")

ARTICLE_COLUMNS = ["Code article", "Désignation", "Famille", "EAN", "Unité", "Code TVA", "Taux TVA",
                   "Catégorie tarifaire", "Prix HT", "Prix TTC", "Dépôt"]
CLIENT_COLUMNS = ["Code client", "Type", "Société", "Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Mobile",
                  "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays", "SIRET", "N° TVA intracom", "Famille",
                  "Catégorie tarifaire", "Date de création"]
CONTACT_COLUMNS = ["Code client", "Civilité", "Nom", "Prénom", "Fonction", "E-mail", "Téléphone"]
DATA_TYPES = {"articles": ("Articles", ARTICLE_COLUMNS), "clients": ("Clients", CLIENT_COLUMNS),
              "contacts": ("Contacts", CONTACT_COLUMNS)}


class SendError(EconnError):
    """A send that cannot run (export folder not writable…); nothing was recorded."""


# --------------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class PlanItem:
    """One line of the recap: a data type, the parameters sent, how many rows, which file."""

    data_type: str       # articles | clients | contacts
    label: str           # « Articles »
    parameters: str      # « Filtre : PUB »
    count: int
    file_name: str | None


@dataclass
class SendPlan:
    """What a send would do (« Récapitulatif des données à envoyer »)."""

    connector: str
    settings: ConnectorSettings   # the connector's settings with this send's overrides
    export_dir: Path
    items: list[PlanItem]
    overrides: dict[str, Any]
    when: dt.datetime

    def item(self, data_type: str) -> PlanItem | None:
        """The recap line of one data type (None when it is not sent)."""
        return next((i for i in self.items if i.data_type == data_type), None)

    def parameters(self) -> dict[str, Any]:
        """The envoi settings in force for this send."""
        return {k: getattr(self.settings, k) for k in OVERRIDABLE if k != "export_dir"} | {
            "export_dir": str(self.export_dir)}

    def recap(self) -> Any:
        """The recap as a DataFrame: Type de données, Paramètres envoyés, Nombre, Fichier."""
        import pandas as pd

        return pd.DataFrame([{"Type de données": i.label, "Paramètres envoyés": i.parameters, "Nombre": i.count,
                              "Fichier": i.file_name or ""} for i in self.items],
                            columns=["Type de données", "Paramètres envoyés", "Nombre", "Fichier"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"connector": self.connector, "export_dir": str(self.export_dir), "when": self.when.isoformat(),
                "overrides": self.overrides, "parameters": self.parameters(),
                "items": [i.__dict__ for i in self.items]}


def _effective(workspace: Path, connector: str | ConnectorSettings, overrides: dict[str, Any] | None
               ) -> tuple[ConnectorSettings, dict[str, Any]]:
    base = connector if isinstance(connector, ConnectorSettings) else get(workspace, connector)
    overrides = dict(overrides or {})
    bad = {k: f"Paramètre non modifiable pour un envoi : {k}" for k in overrides if k not in OVERRIDABLE}
    if bad:
        raise ConnectorValidationError(bad, base.code)
    settings = base.replace(**overrides) if overrides else base
    if overrides:
        errors = {k: v for k, v in validate(settings, workspace).items() if k in overrides}
        if errors:
            raise ConnectorValidationError(errors, base.code)
    return settings, overrides


def _article_query(s: ConnectorSettings, day: dt.date) -> tuple[str, list[Any]] | None:
    if s.articles_send == "aucun":
        return None
    cond, params = ("a.export", []) if s.articles_send == "export" else compile_filter(
        s.articles_filter or "", "articles", "a")
    sql = f"""
        WITH price AS (
            SELECT article, arg_min(prix_ht, (qte_min, id)) AS prix_ht
            FROM price_grids
            WHERE categorie_tarifaire = ? AND client IS NULL AND prix_ht IS NOT NULL
              AND (date_debut IS NULL OR date_debut <= ?) AND (date_fin IS NULL OR date_fin >= ?)
            GROUP BY article)
        SELECT a.code AS "Code article", a.libelle AS "Désignation", a.famille AS "Famille", a.ean AS "EAN",
               coalesce(?, a.unite) AS "Unité", a.code_tva AS "Code TVA",
               replace(format('{{:g}}', CAST(t.taux AS DOUBLE)), '.', ',') AS "Taux TVA",
               CASE WHEN p.prix_ht IS NOT NULL THEN ? END AS "Catégorie tarifaire",
               replace(printf('%.2f', coalesce(p.prix_ht, a.prix_ht)), '.', ',') AS "Prix HT",
               replace(printf('%.2f', round(coalesce(p.prix_ht, a.prix_ht) * (1 + coalesce(t.taux, 0) / 100), 2)),
                       '.', ',') AS "Prix TTC",
               ? AS "Dépôt"
        FROM articles a
        LEFT JOIN price p ON p.article = a.code
        LEFT JOIN tva_codes t ON t.code = a.code_tva
        WHERE a.actif AND {cond}
        ORDER BY a.code
    """
    return sql, [s.price_category, day, day, s.unit, s.price_category, s.depot, *params]


def _client_where(s: ConnectorSettings) -> tuple[str, list[Any]] | None:
    if s.clients_send == "aucun":
        return None
    cond, params = ("true", []) if s.clients_send == "tous" else compile_filter(
        s.clients_filter or "", "clients", "t")
    return f"t.type = 'client' AND t.actif AND {cond}", params


def _client_query(s: ConnectorSettings) -> tuple[str, list[Any]] | None:
    where = _client_where(s)
    if where is None:
        return None
    cond, params = where
    sql = f"""
        SELECT t.code AS "Code client",
               CASE WHEN nullif(trim(t.societe), '') IS NOT NULL THEN 'société' ELSE 'particulier' END AS "Type",
               t.societe AS "Société", t.civilite AS "Civilité", t.nom AS "Nom", t.prenom AS "Prénom",
               t.email AS "E-mail", t.telephone AS "Téléphone", t.mobile AS "Mobile", t.adresse1 AS "Adresse 1",
               t.adresse2 AS "Adresse 2", t.code_postal AS "Code postal", t.ville AS "Ville", t.pays AS "Pays",
               t.siret AS "SIRET", t.tva_intra AS "N° TVA intracom", t.famille AS "Famille",
               t.categorie_tarifaire AS "Catégorie tarifaire", strftime(t.created_at, '%d/%m/%Y') AS "Date de création"
        FROM tiers t WHERE {cond} ORDER BY t.code
    """
    return sql, params


def _contact_query(s: ConnectorSettings) -> tuple[str, list[Any]] | None:
    where = _client_where(s)
    if where is None or not s.send_contacts:
        return None
    cond, params = where
    sql = f"""
        SELECT c.tiers AS "Code client", c.civilite AS "Civilité", c.nom AS "Nom", c.prenom AS "Prénom",
               c.fonction AS "Fonction", c.email AS "E-mail", c.telephone AS "Téléphone"
        FROM contacts c JOIN tiers t ON t.code = c.tiers
        WHERE {cond} ORDER BY c.tiers, c.id
    """
    return sql, params


def _queries(s: ConnectorSettings, day: dt.date) -> dict[str, tuple[str, list[Any]] | None]:
    return {"articles": _article_query(s, day), "clients": _client_query(s), "contacts": _contact_query(s)}


def _parameters_label(s: ConnectorSettings, data_type: str) -> str:
    if data_type == "articles":
        text = s.articles_label()
        extras = [f"tarif {s.price_category}" if s.price_category else "prix HT de la fiche",
                  f"unité {s.unit}" if s.unit else "unité de la fiche", f"dépôt {s.depot or '—'}"]
        return f"{text} ({', '.join(extras)})"
    if data_type == "clients":
        return s.clients_label()
    return "Contacts des clients envoyés"


def plan(workspace: str | os.PathLike[str], connector: str | ConnectorSettings,
         overrides: dict[str, Any] | None = None, *, now: dt.datetime | None = None) -> SendPlan:
    """The recap of a send: per data type, the parameters used and the number of rows.

    Args:
        workspace: the workspace folder.
        connector: a connector code (or settings not yet saved).
        overrides: this send's changes to the envoi settings and ``export_dir`` (text values are parsed like
            the CLI's ``KEY=VALUE``).
        now: the send's date (default: now); it names the files and dates the price rules.

    Raises:
        ConnectorError: unknown connector.
        ConnectorValidationError: an override is invalid (unknown key, bad filter, missing folder…).
    """
    ws = Path(workspace)
    now = now or dt.datetime.now()
    settings, overrides = _effective(ws, connector, overrides)
    export_dir = connector_dir(ws, settings.export_dir, settings.code, "export")
    items = []
    with store.connect(ws, read_only=True) as con:
        for data_type, q in _queries(settings, now.date()).items():
            if q is None:
                continue
            row = store.first(con.execute(f"SELECT count(*) FROM ({q[0]})", q[1]))
            label, _ = DATA_TYPES[data_type]
            items.append(PlanItem(data_type, label, _parameters_label(settings, data_type), int(row[0]) if row else 0,
                                  f"{data_type}_{now:%Y%m%d}.csv"))
    return SendPlan(settings.code, settings, export_dir, items, overrides, now)


def rows(workspace: str | os.PathLike[str], send_plan: SendPlan, data_type: str, limit: int | None = None) -> Any:
    """The rows a send writes for one data type, as a DataFrame of text (before neutralisation).

    For « Liste des informations envoyées »; ``limit`` keeps a preview short.
    """
    q = _queries(send_plan.settings, send_plan.when.date()).get(data_type)
    if q is None:
        import pandas as pd

        return pd.DataFrame(columns=DATA_TYPES[data_type][1])
    sql, params = q
    if limit is not None:
        sql, params = f"SELECT * FROM ({sql}) LIMIT ?", [*params, int(limit)]
    with store.connect(workspace, read_only=True) as con:
        return con.execute(sql, params).df()


# --------------------------------------------------------------------------------------------------- send


@dataclass(frozen=True)
class SentFile:
    """A file a send wrote (or would write, in a dry run)."""

    data_type: str
    path: Path
    rows: int
    columns: list[str]


@dataclass
class SendResult:
    """What :func:`send` did."""

    plan: SendPlan
    files: list[SentFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    history_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def level(self) -> str:
        """succès, or alerte when something was replaced or neutralised."""
        return findings.worst_level(self.findings).value if self.findings else "succès"

    def summary(self) -> str:
        """One French line for the user."""
        parts = [f"{i.count} {i.label.lower()}" for i in self.plan.items]
        verb = "seraient envoyés" if self.dry_run else "envoyés"
        text = f"{self.plan.connector} : {', '.join(parts) or 'aucune donnée'} {verb} vers {self.plan.export_dir}"
        if self.findings:
            text += f" ({len(self.findings)} alerte(s))"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"dry_run": self.dry_run, "level": self.level, "summary": self.summary(), "plan": self.plan.to_dict(),
                "files": [{"data_type": f.data_type, "path": str(f.path), "rows": f.rows, "columns": f.columns}
                          for f in self.files],
                "findings": [f.to_dict() for f in self.findings], "history_ids": self.history_ids}


def _cell_findings(data_type: str, data: list[tuple[Any, ...]], columns: list[str], rendered: list[list[str]],
                   encoding: str, repl: list[Any], file_name: str) -> list[Finding]:
    out: list[Finding] = []
    for r in repl:
        subject = data[r.row][0] if r.row >= 0 else "l'entête"
        out.append(findings.make("ENV-ENC", source=file_name, line=r.row + 2, column=r.column, value=r.value,
                                 record=subject, characters=r.characters, written=r.written, encoding=encoding,
                                 data_type=data_type))
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if isinstance(v, str) and render_cell(v, encoding)[2]:
                out.append(findings.make("ENV-FORMULE", source=file_name, line=i + 2, column=columns[j], value=v,
                                         record=row[0], written=rendered[i][j], data_type=data_type))
    return out


def send(workspace: str | os.PathLike[str], connector: str | ConnectorSettings,
         overrides: dict[str, Any] | None = None, *, dry_run: bool = False, now: dt.datetime | None = None,
         user: str | None = None) -> SendResult:
    """Write the connector's export files and record the send in the history.

    Args:
        workspace: the workspace folder.
        connector: a connector code.
        overrides: this send's changes (see :func:`plan`).
        dry_run: compute everything (counts, findings) but write no file and no history.
        now: the send's date and time (default: now).
        user: recorded in the history message (optional).

    Returns:
        A :class:`SendResult` with the files, the findings (ENV-ENC, ENV-PRIX, ENV-FORMULE) and the history ids.

    Raises:
        ConnectorError / ConnectorValidationError: unknown connector or invalid overrides.
        SendError: the export folder cannot be written; no history was recorded.
    """
    ws = Path(workspace)
    p = plan(ws, connector, overrides, now=now)
    s = p.settings
    result = SendResult(plan=p, dry_run=dry_run)
    data: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with store.connect(ws, read_only=True) as con:
        for data_type, q in _queries(s, p.when.date()).items():
            if q is not None:
                cur = con.execute(*q)
                data[data_type] = ([d[0] for d in cur.description], cur.fetchall())
    if not dry_run:
        try:
            p.export_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SendError(f"cannot create {p.export_dir}: {exc}",
                            f"Impossible de créer le dossier d'export {p.export_dir} : {exc.strerror}.") from exc
    for item in p.items:
        columns, values = data[item.data_type]
        name = item.file_name or f"{item.data_type}.csv"
        if item.data_type == "articles":
            price_col = columns.index("Prix HT")
            result.findings += [findings.make("ENV-PRIX", source=name, line=i + 2, column="Prix HT", article=r[0],
                                              category=s.price_category or "—", data_type="articles")
                                for i, r in enumerate(values) if r[price_col] is None]
        path = p.export_dir / name
        if dry_run:
            rendered, _, repl = render_rows(values, columns, s.file_encoding)
        else:
            try:
                report: CsvReport = write_csv(path, values, columns, encoding=s.file_encoding,
                                              delimiter=s.file_delimiter)
            except OSError as exc:
                raise SendError(f"cannot write {path}: {exc}",
                                f"Impossible d'écrire {path} : {exc.strerror or exc}. Vérifiez le chemin "
                                "d'export et ses droits.") from exc
            repl = report.replacements
            rendered, _, _ = render_rows(values, columns, s.file_encoding)
        result.findings += _cell_findings(item.data_type, values, columns, rendered, s.file_encoding, repl, name)
        result.files.append(SentFile(item.data_type, path, len(values), columns))
    if not dry_run:
        result.history_ids = _record(ws, result, user)
    return result


def _record(ws: Path, result: SendResult, user: str | None) -> list[int]:
    from .. import history

    p = result.plan
    by = f" par {user}" if user else ""
    entries: list[dict[str, Any]] = []
    arts = p.item("articles")
    if arts is not None:
        entries.append({"data_type": "article", "level": "succès", "reference": arts.file_name,
                        "message": f"{arts.count} articles envoyés ({arts.parameters}){by} — {arts.file_name}"})
    clients, contacts = p.item("clients"), p.item("contacts")
    if clients is not None:
        files = ", ".join(i.file_name or "" for i in (clients, contacts) if i is not None)
        what = f"{clients.count} clients" + (f" et {contacts.count} contacts" if contacts is not None else "")
        entries.append({"data_type": "client", "level": "succès", "reference": clients.file_name,
                        "message": f"{what} envoyés ({clients.parameters}){by} — {files}"})
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in result.findings:
        dtype = "article" if f.extra.get("data_type") == "articles" else "client"
        groups.setdefault((dtype, f.code), []).append(f)
    for (dtype, code), fs in groups.items():
        more = f" (et {len(fs) - 1} autre(s))" if len(fs) > 1 else ""
        entries.append({"data_type": dtype, "level": fs[0].level.value, "code": code, "message": fs[0].message + more,
                        "hint": fs[0].hint, "reference": fs[0].subject})
    ids = []
    with store.transaction(ws) as con:
        for e in entries:
            ids.append(history.add(con, p.connector, "envoi", occurred_at=p.when, **e))
    return ids


__all__ = ["FILTER_FIELDS", "OVERRIDABLE", "FilterError", "PlanItem", "SendError", "SendPlan", "SendResult",
           "SentFile", "compile_filter", "plan", "rows", "send"]
