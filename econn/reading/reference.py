"""Import GC reference exports (articles, tiers, VAT codes, units, countries, payments, price grids, and the
entreprises, sites and transporteurs a connector is checked against).

A file is read whole, its headers mapped to canonical columns by the engine of
:mod:`econn.reading.headers` (``--map`` choices, remembered choices, the recognised
GC export, synonyms), every value checked in DuckDB SQL, and loaded in one transaction.
Any problem refuses the whole file with the line numbers concerned: nothing is
half-loaded.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .. import store
from ..errors import ImportFileError
from .headers import check_map_headers, map_headers
from .sqlfuncs import install_macros
from .synonyms import SYNONYMS
from .xlsx_guard import check_xlsx

# kind -> (table, key column or None for append-only, {column: type}); types: text, decimal, bool, date
KINDS: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "articles": ("articles", "code", {
        "code": "text", "libelle": "text", "unite": "text", "code_tva": "text", "prix_ht": "decimal",
        "prix_achat": "decimal", "famille": "text", "ean": "text", "actif": "bool", "export": "bool"}),
    "tiers": ("tiers", "code", {
        "code": "text", "type": "text", "societe": "text", "civilite": "text", "nom": "text", "prenom": "text",
        "email": "text", "telephone": "text", "mobile": "text", "adresse1": "text", "adresse2": "text",
        "code_postal": "text", "ville": "text", "pays": "text", "siret": "text", "tva_intra": "text",
        "famille": "text", "categorie_tarifaire": "text", "actif": "bool"}),
    "tva": ("tva_codes", "code", {
        "code": "text", "taux": "decimal", "libelle": "text", "type": "text", "pays": "text", "actif": "bool"}),
    "unites": ("units", "code", {"code": "text", "libelle": "text", "unece": "text", "actif": "bool"}),
    "pays": ("countries", "code", {"code": "text", "libelle": "text", "ue": "bool"}),
    "reglements": ("payment_methods", "code", {
        "code": "text", "libelle": "text", "condition": "text", "actif": "bool"}),
    "entreprises": ("entreprises", "code", {"code": "text", "libelle": "text", "actif": "bool"}),
    "sites": ("sites", "code", {"code": "text", "libelle": "text", "actif": "bool"}),
    "transporteurs": ("transporteurs", "code", {"code": "text", "libelle": "text", "actif": "bool"}),
    "grilles": ("price_grids", None, {
        "ref": "text", "source": "text", "article": "text", "categorie_tarifaire": "text", "client": "text",
        "qte_min": "decimal", "prix_ht": "decimal", "remise_pct": "decimal", "date_debut": "date",
        "date_fin": "date"}),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "articles": ("code",), "tiers": ("code",), "tva": ("code", "taux"), "unites": ("code",),
    "pays": ("code",), "reglements": ("code",), "grilles": ("article",), "entreprises": ("code",),
    "sites": ("code",), "transporteurs": ("code",),
}

# The engine's field for a reference column, where the names differ (tiers and articles flows of
# econn.reading.headers); « sommeil » is « actif » inverted.
_COLUMN_OF = {"code_gc": "code", "sommeil": "actif"}

MAX_ERRORS_LISTED = 20


@dataclass
class ImportReport:
    """What an import did."""

    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    ignored_columns: list[str] = field(default_factory=list)
    format: str | None = None           # the GC export recognised (econn.reading.formats), e.g. sage100-articles
    notes: list[str] = field(default_factory=list)   # values left out on purpose, in French
    replaced: int = 0                   # rows removed first (``replace``); grilles: backed up in ``backup``
    backup: str | None = None


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict")


def _read_csv_rows(path: Path) -> pd.DataFrame:
    """Read a reference CSV into text columns plus ``_line`` (physical line of each record)."""
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: undecodable bytes ({exc})",
                              f"{path.name} : encodage illisible (ni UTF-8 ni Windows-1252).") from exc
    if "\x00" in text:
        raise ImportFileError(f"{path}: binary content", f"{path.name} : ce n'est pas un fichier texte CSV.")
    sample = text[:65536]
    first = sample.splitlines()[0] if sample.strip() else ""
    delim = max(";\t,|", key=first.count) if first else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for rec in reader:
            if header is None:
                if not any(c.strip() for c in rec):
                    start = reader.line_num + 1
                    continue
                header = rec
                start = reader.line_num + 1
                continue
            if not any(c.strip() for c in rec):
                start = reader.line_num + 1
                continue
            if len(rec) != len(header):
                raise ImportFileError(
                    f"{path}: line {start} has {len(rec)} fields, header has {len(header)}",
                    f"{path.name}, ligne {start} : {len(rec)} champs au lieu de {len(header)}.")
            rows.append(rec)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{path}: {exc}", f"{path.name} : fichier CSV illisible ({exc}).") from exc
    if header is None:
        raise ImportFileError(f"{path}: empty file", f"{path.name} : fichier vide.")
    df = pd.DataFrame(rows, columns=header, dtype="string") if rows else pd.DataFrame(columns=header, dtype="string")
    df["_line"] = pd.Series(lines, dtype="int64")
    return df


def _read_xlsx_rows(path: Path) -> pd.DataFrame:
    check_xlsx(path)  # refuse an .xlsx that expands beyond ECONN_XLSX_MAX_CELLS / _BYTES before openpyxl loads it
    try:
        df = pd.read_excel(path, dtype=str, engine="openpyxl", keep_default_na=False)
    except Exception as exc:  # openpyxl raises many types for a broken zip/xml
        raise ImportFileError(f"{path}: cannot read workbook ({exc})",
                              f"{path.name} : classeur Excel illisible.") from exc
    df = df.astype("string")
    df["_line"] = pd.Series(range(2, len(df) + 2), dtype="int64")
    return df


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a CSV or .xlsx reference file as text columns with a ``_line`` column."""
    p = Path(path)
    if not p.is_file():
        raise ImportFileError(f"{p}: no such file", f"Fichier introuvable : {p}")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx_rows(p)
    return _read_csv_rows(p)


def loadable_fields(kind: str) -> list[str]:
    """The fields of flow ``kind`` (:data:`econn.reading.synonyms.SYNONYMS`) that an import of that kind loads."""
    cols = KINDS[kind][2]
    return [f for f in SYNONYMS[kind] if _COLUMN_OF.get(f, f) in cols]


def _map_columns(kind: str, df: pd.DataFrame, path: Path, source_format: str | None = None,
                 overrides: dict[str, str | None] | None = None,
                 remembered: dict[str, str | None] | None = None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """File header → reference column, by :func:`econn.reading.headers.map_headers` (a recognised GC export's
    mapping, Sage 100 ``AR_Ref``, Gestimum ``ART_CODE``…, after ``--map`` and remembered choices).

    Returns:
        (the renamed columns with ``_line``, headers ignored, notes in French).
    """
    from .formats import get_format, resolve_format

    cols = KINDS[kind][2]
    originals = [h for h in df.columns if h != "_line"]
    headers = [str(h) for h in originals]
    if source_format is not None and kind not in ("articles", "tiers"):
        get_format(source_format, kind)   # no format for tva, unites…: a French error naming the choices
    found = resolve_format(headers, kind, source_format) if kind in ("articles", "tiers") else None
    fmt = found[0] if found else None
    if overrides:
        check_map_headers(overrides, headers, path.name)
    matches = map_headers(headers, kind, remembered=remembered or {}, source_format=fmt, overrides=overrides,
                          fields=loadable_fields(kind))
    mapping: dict[Any, str] = {}
    ignored: list[str] = []
    notes: list[str] = []
    inverted: set[str] = set()
    for original, m in zip(originals, matches, strict=True):
        target = _COLUMN_OF.get(m.field, m.field) if m.field else None
        if target is None or target not in cols or target in mapping.values():
            ignored.append(m.header)
            continue
        mapping[original] = target
        if m.field == "sommeil":
            inverted.add(target)
        if m.origin == "approchant":
            notes.append(f"colonne « {m.header} » lue comme « {m.field} » (orthographe approchante ; "
                         f"--map \"{m.header}=\" pour l'ignorer)")
    missing = [c for c in REQUIRED[kind] if c not in mapping.values()]
    if missing:
        field_of = {c: f for f, c in _COLUMN_OF.items() if f in SYNONYMS[kind]}
        example = field_of.get(missing[0], missing[0])
        raise ImportFileError(
            f"{path}: required column(s) missing for {kind}: {', '.join(missing)}",
            f"{path.name} : colonne(s) obligatoire(s) absente(s) pour « {kind} » : {', '.join(missing)} "
            f'(indiquez laquelle avec --map "Colonne={example}").')
    flag = fmt.semantics.price_ttc_flag if fmt is not None else None
    extra = [flag] if flag in df.columns and "prix_ht" in mapping.values() else []
    out = df[list(mapping) + extra + ["_line"]].rename(columns={**mapping, **{f: "_prix_ttc_flag" for f in extra}})
    out.attrs["inverted"] = inverted
    out.attrs["format"] = fmt
    return out, ignored, notes


def _remembered(workspace: str | os.PathLike[str], connector: str, flow: str) -> dict[str, str | None]:
    """The connector's remembered header choices for ``flow`` (the connector must exist)."""
    from .header_choices import check_connector
    from .headers import remembered_choices

    store.init_store(workspace)
    with store.connect(workspace, read_only=True) as con:
        check_connector(con, connector)
        return remembered_choices(con, connector, flow)


def _sql_value(col: str, typ: str, inverted: bool) -> str:
    q = store.quote_ident(col)
    if typ == "decimal":
        return f"fr_decimal({q})"
    if typ == "date":
        return f"fr_date({q})"
    if typ == "bool":
        return f"(NOT fr_bool({q}))" if inverted else f"fr_bool({q})"
    return f"NULLIF(trim({q}), '')"


def import_reference(workspace: str | os.PathLike[str], kind: str, path: str | os.PathLike[str],
                     *, replace: bool | None = None, source_format: str | None = None,
                     header_map: dict[str, str | None] | None = None,
                     connector: str | None = None,
                     backup_dir: str | os.PathLike[str] | None = None) -> ImportReport:
    """Load a GC export into the workspace; all or nothing.

    Columns are mapped by :func:`econn.reading.headers.map_headers` on the flow named like ``kind``, with
    the fields the import loads (``code_gc`` is the ``code`` column, ``sommeil`` an inverted ``actif``).

    Args:
        workspace: workspace folder (created if absent).
        kind: one of ``articles, tiers, tva, unites, pays, reglements, grilles, entreprises, sites,
            transporteurs``.
        path: CSV (any usual French dialect) or .xlsx file.
        replace: True empties the table first; False adds to it (rows with a known key are updated).
            ``grilles`` has no key: its rules are replaced only when asked (True, after a CSV backup of
            the current rules in ``backup_dir``), added with False, and None refuses the file while the
            workspace holds rules.
        source_format: id of the GC export to apply (:mod:`econn.reading.formats`); default the one
            recognised from the header, if any.
        header_map: explicit header → field choices (``--map``, :func:`econn.reading.headers.parse_map`);
            every header must be a column of the file.
        connector: a connector whose remembered header choices for this flow apply.
        backup_dir: folder of the price rules' backup (default ``<workspace>/sauvegardes``).

    Raises:
        ImportFileError: the file is refused (the message lists the offending lines), or it would replace
            the price rules without ``replace=True``.
        UnknownFormatError: ``source_format`` is not a GC export of this kind.
        HeaderMapError: ``header_map`` names an unknown field or a missing column, or unknown connector.
    """
    if kind not in KINDS:
        raise ImportFileError(f"unknown kind {kind}",
                              f"Type inconnu « {kind} » : choisissez parmi {', '.join(KINDS)}.")
    p = Path(path)
    table, key, cols = KINDS[kind]
    remembered = _remembered(workspace, connector, kind) if connector else None
    df, ignored, notes = _map_columns(kind, read_table(p), p, source_format, header_map, remembered)
    inverted: set[str] = df.attrs.get("inverted", set())
    fmt = df.attrs.get("format")
    present = [c for c in cols if c in df.columns]
    store.init_store(workspace)
    scratch = duckdb.connect()
    try:
        install_macros(scratch)
        scratch.register("raw_src", df)
        errors: list[str] = []
        # A GC export's quirks, in SQL: a price flagged TTC (Sage AR_PrixTTC = 1) is not an HT price; a
        # country written as a name (Sage CT_Pays « France ») becomes its ISO code (distinct values only).
        price = "prix_ht"
        if "_prix_ttc_flag" in df.columns:
            price = "CASE WHEN fr_bool(_prix_ttc_flag) THEN NULL ELSE prix_ht END"
            ttc = [ln for (ln,) in scratch.execute("SELECT _line FROM raw_src WHERE fr_bool(_prix_ttc_flag) "
                                                   "ORDER BY _line").fetchall()]
            if ttc:
                notes.append(f"prix de vente TTC (« {fmt.semantics.price_ttc_flag} » = 1) non repris comme prix HT, "
                             f"ligne(s) {', '.join(map(str, ttc))}")
        country = "pays"
        if fmt is not None and "pays" in fmt.semantics.country_names and "pays" in df.columns:
            from ..mappings import country_code

            names = [v for (v,) in scratch.execute("SELECT DISTINCT trim(pays) FROM raw_src WHERE trim(pays) <> ''")
                     .fetchall()]
            scratch.execute("CREATE TABLE country_names (name VARCHAR, code VARCHAR)")
            scratch.executemany("INSERT INTO country_names VALUES (?, ?)", [(v, country_code(v)) for v in names])
            bad = scratch.execute("""SELECT r._line, r.pays FROM raw_src r JOIN country_names c ON c.name = trim(r.pays)
                                     WHERE c.code IS NULL ORDER BY r._line""").fetchall()
            errors += [f"ligne {ln}, pays : « {v} » pays inconnu" for ln, v in bad]
            country = "(SELECT c.code FROM country_names c WHERE c.name = trim(raw_src.pays))"
        replaced = {"prix_ht": price, "pays": country}
        sel = ", ".join(f"{replaced[c]} AS {c}" if c in replaced and c in df.columns else store.quote_ident(c)
                        for c in df.columns if c != "_prix_ttc_flag")
        scratch.execute(f"CREATE VIEW src AS SELECT {sel} FROM raw_src")
        for c in present:
            typ = cols[c]
            if typ == "text":
                continue
            bad = scratch.execute(
                f"SELECT _line, {store.quote_ident(c)} FROM src WHERE {store.quote_ident(c)} IS NOT NULL "
                f"AND trim({store.quote_ident(c)}) <> '' AND {_sql_value(c, typ, False)} IS NULL ORDER BY _line"
            ).fetchall()
            errors += [f"ligne {ln}, {c} : « {v} » illisible" for ln, v in bad]
        for c in REQUIRED[kind]:
            bad = scratch.execute(
                f"SELECT _line FROM src WHERE {store.quote_ident(c)} IS NULL OR trim({store.quote_ident(c)}) = '' "
                "ORDER BY _line").fetchall()
            errors += [f"ligne {ln} : {c} vide" for (ln,) in bad]
        if key:
            dups = scratch.execute(
                f"SELECT trim({store.quote_ident(key)}) k, list(_line ORDER BY _line) FROM src "
                f"WHERE trim({store.quote_ident(key)}) <> '' GROUP BY k HAVING count(*) > 1 ORDER BY k").fetchall()
            errors += [f"code « {k} » en double, lignes {', '.join(map(str, ls))}" for k, ls in dups]
        if errors:
            shown = errors[:MAX_ERRORS_LISTED]
            more = f" (et {len(errors) - len(shown)} autres)" if len(errors) > len(shown) else ""
            raise ImportFileError(
                f"{p}: {len(errors)} problem(s), nothing imported: " + "; ".join(shown),
                f"{p.name} refusé, rien n'a été importé : " + " ; ".join(shown) + more + ".")
        select = ", ".join(f"{_sql_value(c, cols[c], c in inverted)} AS {store.quote_ident(c)}" for c in present)
        clean = scratch.execute(f"SELECT {select} FROM src ORDER BY _line").df()
    finally:
        scratch.close()
    # Defaults for NULL booleans come from the table's DEFAULT only when the column is absent;
    # a present-but-empty cell keeps the default too.
    collist = ", ".join(store.quote_ident(c) for c in present)
    with store.transaction(workspace) as con:
        install_macros(con)
        con.register("clean", clean)
        defaults = {"actif": "true", "export": "false", "ue": "false"}
        sel = ", ".join(
            f"coalesce({store.quote_ident(c)}, {defaults[c]})" if c in defaults else store.quote_ident(c)
            for c in present)
        before = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        removed, backup = 0, None
        if key is None and replace is None and before:
            raise ImportFileError(
                f"{p}: {before} rows in {table}, neither replace nor append asked",
                f"{p.name} non importé : l'espace contient déjà {before} règle(s) tarifaire(s), sans clé pour les "
                f"mettre à jour. Relancez avec --replace pour les remplacer par les {len(clean)} règle(s) du "
                "fichier (les règles actuelles sont d'abord sauvegardées en CSV), ou avec --append pour les "
                "ajouter aux règles actuelles.")
        if replace:
            if kind == "grilles" and before:
                backup = _backup_grids(con, workspace, backup_dir, p, before, len(clean))
            removed = int(before)
            con.execute(f"DELETE FROM {table}")
            before = 0
        updated = 0
        if key:
            updated = con.execute(
                f"SELECT count(*) FROM clean JOIN {table} t ON t.{key} = clean.{key}").fetchall()[0][0]
            updates = ", ".join(f"{store.quote_ident(c)} = excluded.{store.quote_ident(c)}" for c in present if c != key)
            conflict = f"ON CONFLICT ({key}) DO UPDATE SET {updates}" if updates else f"ON CONFLICT ({key}) DO NOTHING"
            con.execute(f"INSERT INTO {table} ({collist}) SELECT {sel} FROM clean {conflict}")
        else:
            con.execute(f"INSERT INTO {table} ({collist}) SELECT {sel} FROM clean")
        after = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.unregister("clean")
    return ImportReport(kind, str(p), len(clean), after - before, updated, ignored,
                        fmt.id if fmt is not None else None, notes, removed, backup)


def _backup_grids(con: duckdb.DuckDBPyConnection, workspace: str | os.PathLike[str],
                  backup_dir: str | os.PathLike[str] | None, path: Path, before: int, incoming: int) -> str:
    """Back up the price rules a ``--replace`` removes, and say so in the history (as the nettoyage does)."""
    import datetime as dt

    from ..history import add
    from ..store.grid_backup import DEFAULT_FOLDER, BackupError, backup_rules

    now = dt.datetime.now()
    folder = Path(backup_dir) if backup_dir is not None else Path(workspace) / DEFAULT_FOLDER
    try:
        target, _ = backup_rules(con, folder, now=now, motif=f"remplacée par l'import de {path.name}")
    except BackupError as exc:
        raise ImportFileError(exc.args[0], exc.message_fr) from exc
    add(con, "", "action", data_type="fichier", occurred_at=now, reference=str(target),
        message=f"Import des grilles de prix {path.name} : {before} règle(s) remplacée(s) par {incoming}, "
                f"sauvegarde {target.name}")
    return str(target)
