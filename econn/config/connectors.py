"""Connector settings: the three-step wizard of « Paramètres > Sites > E-connecteur », validated and stored.

:class:`ConnectorSettings` is flat (one attribute per wizard field, the names of the ``connectors`` table) and
:data:`FIELDS` describes every field — wizard step, French label, required flag, allowed values — so that a
dashboard can build the three steps from it and show each validation message next to its field.

Every write is all-or-nothing: :func:`create`, :func:`update` and :func:`duplicate` validate the complete
settings first and raise :class:`ConnectorValidationError` (with one French message per field) before
anything is stored; the row and its default folders are then written in one transaction.

Deletion rule: :func:`delete` refuses a connector that still has correspondences or integrated documents
(the e-connecteur would lose the links it needs to recognise articles and tiers). With ``force=True`` it
deletes the connector with its correspondences, header mappings and received-file records; the documents
(GC data) and the history (an audit trail, purged by retention) are kept. Files on disk are never deleted.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import duckdb

from .. import store
from ..errors import EconnError
from ..send.filters import FilterError, compile_filter
from ..store.workspace import connector_dir

Step = Literal["communication", "envois", "receptions"]
STEPS: dict[str, str] = {
    "communication": "Paramétrer le mode de communication",
    "envois": "Paramétrer les envois",
    "receptions": "Paramétrer les réceptions",
}

CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
# Encodings a GC or a shop actually reads, keyed by the codec name codecs.lookup() gives.
SUPPORTED_ENCODINGS: dict[str, str] = {
    "cp1252": "Windows-1252 (ANSI, défaut de la GC)",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 avec BOM (Excel)",
    "iso8859-15": "ISO-8859-15 (Latin-9)",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
_ENCODING_ALIASES = {"iso8859-1": "latin-1", "utf-8-sig": "utf-8-sig"}

PARTNERS = ("Autre", "Prestashop", "WooCommerce", "Shopify", "Magento", "SuiviETA")

_TRUE = {"1", "true", "vrai", "oui", "o", "yes", "y", "on"}
_FALSE = {"0", "false", "faux", "non", "n", "no", "off"}


@dataclass(frozen=True)
class FieldSpec:
    """How one wizard field is shown and checked."""

    name: str
    step: str
    label: str
    kind: str = "text"                          # text | bool | choice | dir | secret
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()   # (stored value, French label)
    help: str = ""


@dataclass(frozen=True)
class ConnectorSettings:
    """One connector, as the wizard edits it (attribute names = columns of ``connectors``)."""

    # Step 1 — communication
    code: str
    partner: str = "Autre"
    hidden: bool = False
    mode: str = "csv"
    site_url: str | None = None
    ws_key: str | None = None
    import_dir: str | None = None
    export_dir: str | None = None
    file_encoding: str = "cp1252"
    file_delimiter: str = ";"
    # Step 2 — envois
    articles_send: str = "export"
    articles_filter: str | None = None
    price_category: str | None = None
    unit: str | None = None
    depot: str | None = None
    clients_send: str = "aucun"
    clients_filter: str | None = None
    send_contacts: bool = False
    # Step 3 — réceptions
    doc_type: str = "commandes"
    entreprise: str | None = None
    site: str | None = None
    transporteur: str | None = None
    auto_payment: bool = False
    client_family: str | None = None
    tiers_reception: str = "avec_commande"
    default_client: str | None = None
    refresh: str = "manuel"

    def step(self, step: str) -> dict[str, Any]:
        """The fields of one wizard step, as a dict."""
        return {f.name: getattr(self, f.name) for f in FIELDS if f.step == step}

    def to_dict(self, *, mask_secrets: bool = True) -> dict[str, Any]:
        """All fields; the webservice key is masked unless asked."""
        d = dataclasses.asdict(self)
        if mask_secrets and d.get("ws_key"):
            d["ws_key"] = "********"
        return d

    def replace(self, **changes: Any) -> ConnectorSettings:
        """A copy with ``changes`` (strings are parsed like the CLI's ``KEY=VALUE``)."""
        unknown = sorted(set(changes) - set(FIELD_BY_NAME))
        if unknown:
            raise ConnectorValidationError({k: f"Paramètre inconnu : {k}" for k in unknown})
        parsed = {k: parse_value(k, v) if isinstance(v, str) or v is None else v for k, v in changes.items()}
        return dataclasses.replace(self, **parsed)

    def articles_label(self) -> str:
        """« Envoi des articles » as the connector list shows it (« Filtre : PUB »)."""
        return {"export": "Disponible Export", "filtre": f"Filtre : {self.articles_filter or ''}".strip(),
                "aucun": "Non concerné"}.get(self.articles_send, self.articles_send)

    def clients_label(self) -> str:
        """« Envoi des clients » as the connector list shows it (« Tous les clients + Contacts »)."""
        base = {"tous": "Tous les clients", "filtre": f"Filtre : {self.clients_filter or ''}".strip(),
                "aucun": "Non concerné"}.get(self.clients_send, self.clients_send)
        return base + " + Contacts" if self.clients_send != "aucun" and self.send_contacts else base


_YES_NO = (("true", "oui"), ("false", "non"))
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "communication", "Code du connecteur", required=True,
              help="1 à 20 caractères : majuscules, chiffres, - ou _ (ex. PRESTA)"),
    FieldSpec("partner", "communication", "En liaison avec", required=True, help="Prestashop, SuiviETA, Autre…"),
    FieldSpec("hidden", "communication", "Ne pas montrer dans les listes", "bool", choices=_YES_NO),
    FieldSpec("mode", "communication", "Mode de communication", "choice", True,
              (("csv", "Fichier au format CSV"), ("webservice", "Webservice"))),
    FieldSpec("site_url", "communication", "Adresse du site internet", help="obligatoire en mode webservice"),
    FieldSpec("ws_key", "communication", "Clé Prestashop", "secret", help="obligatoire en mode webservice"),
    FieldSpec("import_dir", "communication", "Chemin d'import des fichiers", "dir",
              help="vide : connecteurs/<code>/import dans l'espace de travail"),
    FieldSpec("export_dir", "communication", "Chemin d'export des fichiers", "dir",
              help="vide : connecteurs/<code>/export dans l'espace de travail"),
    FieldSpec("file_encoding", "communication", "Encodage des fichiers", "choice", True,
              tuple(SUPPORTED_ENCODINGS.items())),
    FieldSpec("file_delimiter", "communication", "Séparateur des fichiers", required=True,
              help="un caractère : ; , | ou \\t (tabulation)"),
    FieldSpec("articles_send", "envois", "Articles", "choice", True,
              (("export", "Envoyer uniquement les articles disponibles en export"),
               ("filtre", "Envoyer les articles correspondants au filtre personnalisé"),
               ("aucun", "Ne pas envoyer les articles"))),
    FieldSpec("articles_filter", "envois", "Filtre personnalisé des articles",
              help="famille (PUB), liste de familles (PUB,VIN) ou conditions « champ=valeur ET … »"),
    FieldSpec("price_category", "envois", "Catégorie tarifaire à envoyer",
              help="vide : prix HT de la fiche article"),
    FieldSpec("unit", "envois", "Unité à envoyer", help="vide : unité de la fiche article"),
    FieldSpec("depot", "envois", "Sélection du dépôt", required=True),
    FieldSpec("clients_send", "envois", "Clients", "choice", True,
              (("tous", "Envoyer tous les clients"),
               ("filtre", "Envoyer les clients correspondants au filtre personnalisé"),
               ("aucun", "Ne pas envoyer les clients"))),
    FieldSpec("clients_filter", "envois", "Filtre personnalisé des clients",
              help="famille (PARTF) ou conditions « champ=valeur ET … »"),
    FieldSpec("send_contacts", "envois", "Envoyer les contacts associés aux clients", "bool", choices=_YES_NO),
    FieldSpec("doc_type", "receptions", "Type de document généré lors de la réception", "choice", True,
              (("commandes", "Commandes"), ("livraisons", "Livraisons"))),
    FieldSpec("entreprise", "receptions", "Entreprise affectée", required=True),
    FieldSpec("site", "receptions", "Site affecté", required=True),
    FieldSpec("transporteur", "receptions", "Transporteur affecté par défaut", required=True),
    FieldSpec("auto_payment", "receptions",
              "Générer automatiquement un règlement lors de l'intégration des documents", "bool", choices=_YES_NO),
    FieldSpec("client_family", "receptions", "Famille client affectée lors de la création d'un tiers",
              required=True),
    FieldSpec("tiers_reception", "receptions", "Réception des tiers", "choice", True,
              (("avec_commande", "Clients avec commande"), ("aucun", "Non concerné")),
              help="Non concerné : aucun tiers n'est créé ; la commande d'un client inconnu va au client par "
                   "défaut, ou est bloquée (COR-CLI-ABS)"),
    FieldSpec("default_client", "receptions", "Client affecté par défaut (réception des tiers « Non concerné »)",
              help="code d'un client de la GC ; vide : la commande d'un client inconnu est bloquée"),
    FieldSpec("refresh", "receptions", "Mise à jour des réceptions", "choice", True,
              (("manuel", "Manuellement"), ("ouverture", "A l'ouverture de l'application"))),
)
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ConnectorSettings))


class ConnectorError(EconnError):
    """A connector operation was refused (unknown code, delete refused…); nothing was changed."""


class ConnectorValidationError(ConnectorError):
    """The settings are invalid; ``errors`` maps each field to its French message. Nothing was saved."""

    def __init__(self, errors: dict[str, str], code: str | None = None) -> None:
        self.errors = dict(errors)
        who = f" du connecteur {code}" if code else ""
        detail = " ; ".join(f"{FIELD_BY_NAME[k].label if k in FIELD_BY_NAME else k} : {v}"
                            for k, v in self.errors.items())
        super().__init__(f"invalid connector settings{who}: {sorted(self.errors)}",
                         f"Paramètres{who} invalides — {detail}")


def parse_value(name: str, text: str | None) -> Any:
    """A field value from text (CLI ``KEY=VALUE``, a text box): ``oui``/``non`` for booleans, empty → None.

    Raises:
        ConnectorValidationError: unknown field or a boolean that is neither oui nor non.
    """
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        raise ConnectorValidationError({name: f"Paramètre inconnu : {name}"})
    if text is None:
        return False if spec.kind == "bool" else None
    value = text.strip()
    if spec.kind == "bool":
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE or low == "":
            return False
        raise ConnectorValidationError({name: f"Valeur « {text} » non comprise : indiquez oui ou non."})
    if name == "file_delimiter":
        return {"\\t": "\t", "tab": "\t", "tabulation": "\t"}.get(value.lower(), text if text else None)
    if name == "file_encoding" and value:
        return canonical_encoding(value) or value
    return value or None


def canonical_encoding(name: str) -> str | None:
    """The supported encoding ``name`` stands for (``UTF8`` → ``utf-8``, ``ANSI`` → ``cp1252``), else None."""
    low = name.strip().lower()
    if low in ("ansi", "windows-1252", "windows1252"):
        return "cp1252"
    if low in ("utf-8-bom", "utf8-bom", "utf-8 bom"):
        return "utf-8-sig"
    try:
        codec = codecs.lookup(low).name
    except LookupError:
        return None
    codec = _ENCODING_ALIASES.get(codec, codec)
    return codec if codec in SUPPORTED_ENCODINGS else None


def _folder_problem(path: Path, default: bool) -> str | None:
    """Why a folder cannot be used (None when it can): writability is proven by a temporary file."""
    if path.exists():
        if not path.is_dir():
            return f"{path} existe mais n'est pas un dossier."
        try:
            fd, name = tempfile.mkstemp(prefix=".econn-test-", dir=path)
            os.close(fd)
            os.unlink(name)
        except OSError:
            return f"Le dossier {path} n'est pas accessible en écriture."
        return None
    if not default:
        return f"Dossier introuvable : {path}. Créez-le ou choisissez un dossier existant."
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"Le dossier par défaut {path} ne peut pas être créé ({parent} n'est pas accessible en écriture)."
    return None


def validate(settings: ConnectorSettings, workspace: str | os.PathLike[str] | None = None,
             con: duckdb.DuckDBPyConnection | None = None) -> dict[str, str]:
    """Check connector settings; returns ``{field: French message}``, empty when valid.

    Checks: the fields marked « * » in the wizard (code, partner, depot, document type, entreprise, site,
    transporteur, client and supplier families; site address and key in webservice mode; the filter when
    « filtre » is chosen); the code format; choices; encoding among :data:`SUPPORTED_ENCODINGS`; a one-character
    delimiter; folders that exist and are writable (a temporary file is created and deleted) or, when left
    empty, a default folder that can be created; filters that parse; and, when a workspace or a connection is
    given, price category and unit present in the GC tables, entreprise, site, transporteur, client family
    and default customer among the GC's once those tables are loaded (the message names the valid values).

    Args:
        settings: the settings to check.
        workspace: the workspace (folders are relative to it; the GC tables are read from it).
        con: an open connection to read the GC tables from (instead of opening one).
    """
    s = settings
    errors: dict[str, str] = {}
    for spec in FIELDS:
        value = getattr(s, spec.name)
        # A tab is a valid delimiter, so only the delimiter keeps its whitespace.
        blank = isinstance(value, str) and not (value if spec.name == "file_delimiter" else value.strip())
        if spec.required and (value is None or blank):
            errors[spec.name] = "Champ obligatoire."
        elif spec.kind == "choice" and value is not None and spec.choices and value not in dict(spec.choices):
            allowed = ", ".join(v for v, _ in spec.choices)
            errors[spec.name] = f"Valeur « {value} » non prévue : choisissez parmi {allowed}."
        elif spec.kind == "bool" and not isinstance(value, bool):
            errors[spec.name] = "Indiquez oui ou non."
    if "code" not in errors and not CODE_RE.fullmatch(s.code):
        errors["code"] = ("Code invalide : 1 à 20 caractères, majuscules sans accent, chiffres, - ou _, "
                          "commençant par une lettre ou un chiffre.")
    if s.file_encoding and "file_encoding" in errors:
        errors["file_encoding"] = (f"Encodage « {s.file_encoding} » non pris en charge : choisissez parmi "
                                   + ", ".join(SUPPORTED_ENCODINGS) + ".")
    d = s.file_delimiter
    if "file_delimiter" not in errors and (len(d) != 1 or d in "\"'\r\n" or d.isalnum()):
        errors["file_delimiter"] = "Le séparateur doit être un seul caractère (; , | ou tabulation), ni lettre ni guillemet."
    if s.mode == "webservice":
        for name in ("site_url", "ws_key"):
            if not (getattr(s, name) or "").strip():
                errors[name] = "Champ obligatoire en mode webservice."
        if s.site_url and "site_url" not in errors and not re.fullmatch(r"https?://[^\s/]+\S*", s.site_url):
            errors["site_url"] = "Adresse invalide : elle doit commencer par http:// ou https://."
    for kind, domain in (("articles", "articles"), ("clients", "clients")):
        mode, expr = getattr(s, f"{kind}_send"), getattr(s, f"{kind}_filter")
        if mode == "filtre" and not (expr or "").strip():
            errors[f"{kind}_filter"] = "Indiquez le filtre personnalisé (ex. PUB)."
        elif expr and expr.strip():
            try:
                compile_filter(expr, domain)
            except FilterError as exc:
                errors[f"{kind}_filter"] = exc.message_fr
    if workspace is not None and "code" not in errors:
        ws = Path(workspace)
        for name, kind in (("import_dir", "import"), ("export_dir", "export")):
            configured = getattr(s, name)
            if s.mode == "webservice" and not configured:
                continue
            problem = _folder_problem(connector_dir(ws, configured, s.code, kind), default=not configured)
            if problem:
                errors[name] = problem
    if con is not None or workspace is not None:
        todo = [n for n in _GC_CHECKS if getattr(s, n) and n not in errors]
        if todo:
            errors.update(_gc_problems(con, workspace, s, todo))
    return errors


# Field → (SQL listing the GC values it may take, French message when it names another one). The price
# category and the unit must exist; the others are checked once their GC table is loaded (an empty list
# means « not loaded yet »: nothing to check against).
_GC_CHECKS: dict[str, tuple[str, str]] = {
    "price_category": ("SELECT code FROM price_categories ORDER BY code",
                       "Catégorie tarifaire « {v} » absente de la GC."),
    "unit": ("SELECT code FROM units ORDER BY code", "Unité « {v} » absente de la GC."),
    "entreprise": ("SELECT code FROM entreprises WHERE actif ORDER BY code",
                   "Entreprise « {v} » inconnue de la GC : choisissez parmi {known}."),
    "site": ("SELECT code FROM sites WHERE actif ORDER BY code",
             "Site « {v} » inconnu de la GC : choisissez parmi {known}."),
    "transporteur": ("SELECT code FROM transporteurs WHERE actif ORDER BY code",
                     "Transporteur « {v} » inconnu de la GC : choisissez parmi {known}."),
    "client_family": ("SELECT DISTINCT famille FROM tiers WHERE type <> 'fournisseur' "
                      "AND nullif(trim(famille), '') IS NOT NULL ORDER BY 1",
                      "Famille client « {v} » inconnue des clients de la GC : choisissez parmi {known}."),
    "default_client": ("SELECT code FROM tiers WHERE actif AND type <> 'fournisseur' ORDER BY code",
                       "Client « {v} » absent de la GC, en sommeil ou fournisseur : indiquez le code d'un client "
                       "actif (par exemple {known})."),
}
_MUST_EXIST = ("price_category", "unit")
_SHOWN_VALUES = 12


def _gc_problems(con: duckdb.DuckDBPyConnection | None, workspace: str | os.PathLike[str] | None,
                 s: ConnectorSettings, names: list[str]) -> dict[str, str]:
    """French messages for the fields whose value is not among the GC values (read in one connection)."""
    def run(c: duckdb.DuckDBPyConnection) -> dict[str, str]:
        out = {}
        for name in names:
            sql, message = _GC_CHECKS[name]
            value = getattr(s, name)
            if name == "default_client":   # thousands of tiers: look the one up, show a few
                if store.first(c.execute("SELECT 1 FROM tiers LIMIT 1")) is None:
                    continue
                known = [r[0] for r in c.execute(sql + " LIMIT 3").fetchall()]
                ok = store.first(c.execute("SELECT 1 FROM tiers WHERE actif AND type <> 'fournisseur' AND code = ?",
                                           [value])) is not None
            else:
                known = [r[0] for r in c.execute(sql).fetchall()]
                if not known and name not in _MUST_EXIST:
                    continue
                ok = value in known
            if not ok:
                shown = ", ".join(known[:_SHOWN_VALUES]) + (" …" if len(known) > _SHOWN_VALUES else "")
                out[name] = message.format(v=value, known=shown)
        return out

    if con is not None:
        return run(con)
    assert workspace is not None
    with store.connect(workspace, read_only=True) as c:
        return run(c)


# ---------------------------------------------------------------------------------------------- storage


def _from_row(row: dict[str, Any]) -> ConnectorSettings:
    return ConnectorSettings(**{k: row[k] for k in COLUMNS if k in row})


def _fetch(con: duckdb.DuckDBPyConnection, code: str | None = None) -> list[dict[str, Any]]:
    cols = ", ".join(store.quote_ident(c) for c in COLUMNS)
    sql = f"SELECT {cols}, created_at, updated_at FROM connectors"
    rows = con.execute(sql + (" WHERE code = ?" if code else "") + " ORDER BY code", [code] if code else []).fetchall()
    names = [*COLUMNS, "created_at", "updated_at"]
    return [dict(zip(names, r)) for r in rows]


def list_connectors(workspace: str | os.PathLike[str], *, include_hidden: bool = True) -> list[ConnectorSettings]:
    """Every connector, ordered by code (hidden ones too unless ``include_hidden=False``)."""
    with store.connect(workspace, read_only=True) as con:
        rows = _fetch(con)
    return [_from_row(r) for r in rows if include_hidden or not r["hidden"]]


def summary(workspace: str | os.PathLike[str]) -> Any:
    """The wizard's « Liste des connecteurs » as a DataFrame (code, En liaison avec, modes, envois, réceptions)."""
    import pandas as pd

    rows = []
    for s in list_connectors(workspace):
        rows.append({
            "code": s.code, "en_liaison_avec": s.partner, "mode": "Csv" if s.mode == "csv" else "Webservice",
            "envoi_articles": s.articles_label(), "envoi_clients": s.clients_label(),
            "reception_documents": s.doc_type.capitalize(),
            "reception_tiers": "Clients avec commande" if s.tiers_reception == "avec_commande" else "Non concerné",
            "masque": s.hidden,
        })
    return pd.DataFrame(rows, columns=["code", "en_liaison_avec", "mode", "envoi_articles", "envoi_clients",
                                       "reception_documents", "reception_tiers", "masque"])


def get(workspace: str | os.PathLike[str], code: str) -> ConnectorSettings:
    """One connector's settings.

    Raises:
        ConnectorError: no connector with this code.
    """
    with store.connect(workspace, read_only=True) as con:
        rows = _fetch(con, code)
    if not rows:
        raise ConnectorError(f"no connector {code!r}", f"Connecteur inconnu : {code}.")
    return _from_row(rows[0])


def _check(settings: ConnectorSettings, workspace: Path, con: duckdb.DuckDBPyConnection) -> None:
    errors = validate(settings, workspace, con)
    if errors:
        raise ConnectorValidationError(errors, settings.code)


def _make_default_dirs(settings: ConnectorSettings, workspace: Path) -> None:
    if settings.mode != "csv":
        return
    for name, kind in (("import_dir", "import"), ("export_dir", "export")):
        if not getattr(settings, name):
            connector_dir(workspace, None, settings.code, kind).mkdir(parents=True, exist_ok=True)


def _insert(con: duckdb.DuckDBPyConnection, s: ConnectorSettings, now: dt.datetime) -> None:
    cols = [*COLUMNS, "created_at", "updated_at"]
    values = [getattr(s, c) for c in COLUMNS] + [now, now]
    con.execute(f"INSERT INTO connectors ({', '.join(store.quote_ident(c) for c in cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})", values)


def create(workspace: str | os.PathLike[str], settings: ConnectorSettings | None = None, **values: Any
           ) -> ConnectorSettings:
    """Create a connector from ``settings`` or from field values (``create(ws, code="PRESTA", partner=…)``).

    Empty folders mean the defaults ``connecteurs/<code>/import|export``, created here.

    Raises:
        ConnectorValidationError: invalid settings or code already used; nothing was saved.
    """
    ws = Path(workspace)
    if settings is None:
        if "code" not in values:
            raise ConnectorValidationError({"code": "Champ obligatoire."})
        settings = ConnectorSettings(code=str(values.pop("code")).strip()).replace(**values)
    elif values:
        settings = settings.replace(**values)
    with store.transaction(ws) as con:
        if store.first(con.execute("SELECT 1 FROM connectors WHERE code = ?", [settings.code])) is not None:
            raise ConnectorValidationError({"code": f"Le connecteur {settings.code} existe déjà."}, settings.code)
        _check(settings, ws, con)
        _insert(con, settings, dt.datetime.now())
        _make_default_dirs(settings, ws)  # inside the transaction: a folder that fails rolls the row back
    return settings


def update(workspace: str | os.PathLike[str], code: str, /, **changes: Any) -> ConnectorSettings:
    """Change some fields of a connector (the code cannot change: duplicate, then delete).

    Raises:
        ConnectorError: unknown connector.
        ConnectorValidationError: the resulting settings are invalid; nothing was saved.
    """
    ws = Path(workspace)
    if "code" in changes and changes["code"] != code:
        raise ConnectorValidationError({"code": "Le code d'un connecteur ne se modifie pas : dupliquez-le sous le "
                                                "nouveau code puis supprimez l'ancien."}, code)
    changes.pop("code", None)
    with store.transaction(ws) as con:
        rows = _fetch(con, code)
        if not rows:
            raise ConnectorError(f"no connector {code!r}", f"Connecteur inconnu : {code}.")
        new = _from_row(rows[0]).replace(**changes)
        _check(new, ws, con)
        sets = ", ".join(f"{store.quote_ident(c)} = ?" for c in COLUMNS if c != "code")
        con.execute(f"UPDATE connectors SET {sets}, updated_at = ? WHERE code = ?",
                    [getattr(new, c) for c in COLUMNS if c != "code"] + [dt.datetime.now(), code])
        _make_default_dirs(new, ws)
    return new


def duplicate(workspace: str | os.PathLike[str], code: str, new_code: str, /, **changes: Any) -> ConnectorSettings:
    """Copy a connector's settings under ``new_code`` (« Dupliquer le connecteur »).

    The copy gets the default folders of its own code unless ``changes`` sets them: two connectors reading
    one import folder would each take the other's files. Correspondences are not copied.

    Raises:
        ConnectorError: unknown source connector.
        ConnectorValidationError: invalid new code (format, already used) or settings; nothing was saved.
    """
    src = get(workspace, code)
    changes = {"import_dir": None, "export_dir": None, **changes}
    return create(workspace, dataclasses.replace(src, code=new_code.strip()).replace(**changes))


@dataclass(frozen=True)
class Dependents:
    """What refers to a connector (what a deletion would orphan)."""

    correspondences: int
    documents: int
    history: int
    open_errors: int

    @property
    def blocking(self) -> bool:
        """A plain delete is refused when correspondences or documents exist."""
        return bool(self.correspondences or self.documents)


def dependents(workspace: str | os.PathLike[str], code: str) -> Dependents:
    """Counts of the rows that refer to a connector."""
    with store.connect(workspace, read_only=True) as con:
        return _dependents(con, code)


def _dependents(con: duckdb.DuckDBPyConnection, code: str) -> Dependents:
    row = store.first(con.execute(
        "SELECT (SELECT count(*) FROM correspondences WHERE connector = ?), "
        "(SELECT count(*) FROM documents WHERE connector = ?), "
        "(SELECT count(*) FROM history WHERE connector = ?), "
        "(SELECT count(*) FROM history WHERE connector = ? AND level = 'erreur' AND closed_at IS NULL)",
        [code] * 4))
    assert row is not None
    return Dependents(*(int(x) for x in row))


def delete(workspace: str | os.PathLike[str], code: str, *, force: bool = False) -> Dependents:
    """Delete a connector (see the module docstring for the rule); returns what referred to it.

    Raises:
        ConnectorError: unknown connector, or it still has correspondences or documents and ``force`` is False.
    """
    with store.transaction(workspace) as con:
        if store.first(con.execute("SELECT 1 FROM connectors WHERE code = ?", [code])) is None:
            raise ConnectorError(f"no connector {code!r}", f"Connecteur inconnu : {code}.")
        dep = _dependents(con, code)
        if dep.blocking and not force:
            raise ConnectorError(
                f"connector {code} has {dep.correspondences} correspondences and {dep.documents} documents",
                f"Suppression refusée : le connecteur {code} a {dep.correspondences} correspondance(s) et "
                f"{dep.documents} document(s) intégré(s). Forcez la suppression (--force) pour le supprimer avec "
                "ses correspondances ; les documents et l'historique sont conservés.")
        for table in ("correspondences", "header_mappings", "received_files"):
            con.execute(f"DELETE FROM {store.quote_ident(table)} WHERE connector = ?", [code])
        con.execute("DELETE FROM connectors WHERE code = ?", [code])
    return dep
