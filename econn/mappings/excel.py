"""Excel round trip of the correspondences: export for editing, import back with validation.

The workbook has one sheet per domain (TVA, Unités, Pays, Règlements, Articles, Tiers), what needs filling
first (the pending files' unmapped values, the stored rows not yet validated, the GC articles sent without
an external code: :mod:`econn.mappings.to_fill`), dropdowns of the active GC values (lists on the hidden
sheet ``_listes``) and a hidden sheet ``_econn`` holding a marker and a format version, so that an import
recognises our own files and touches nothing otherwise. Every text cell is written as text; one that starts like a
formula (``=``, ``+``, ``-``, ``@``, tab, CR) also gets Excel's quote prefix, so a hostile external
value (``=HYPERLINK(...)``) is shown, never executed (CSV/formula injection).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from . import correspondences as cor
from . import to_fill
from .. import store
from ..errors import EconnError
from ..reading.xlsx_guard import check_xlsx
from ..safe_output import starts_like_formula

MARKER = "econn-correspondances"
VERSION = 1
META_SHEET = "_econn"
LISTS_SHEET = "_listes"
SHEETS: dict[str, str] = {"tva": "TVA", "unite": "Unités", "pays": "Pays", "reglement": "Règlements",
                          "article": "Articles", "tiers": "Tiers"}
HEADERS = ["connecteur", "valeur externe", "variante", "valeur GC", "état", "suggestion", "score", "raison"]
_WIDTHS = [12, 34, 12, 16, 13, 16, 7, 70]


class MappingFileError(EconnError):
    """The workbook is unreadable or not an econn correspondence file; nothing was imported."""


@dataclass(frozen=True)
class Refusal:
    """A row the import refused, with its place in the workbook and the French reason."""

    sheet: str
    row: int
    external_value: str
    reason: str


@dataclass(frozen=True)
class Change:
    """A correspondence the import changed."""

    sheet: str
    row: int
    connector: str
    domain: str
    external_value: str
    variant: str
    old_gc: str | None
    new_gc: str | None
    old_state: str | None
    new_state: str


@dataclass
class ImportResult:
    """What an import did: changes applied, rows refused, rows left as they were."""

    changed: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        """True when no row was refused."""
        return not self.refused


def _put_text(ws: Any, row: int, col: int, value: object) -> None:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return
    text = str(value)
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the first character
    if starts_like_formula(text):  # also a look-alike (＝, −, a leading U+200B) a spreadsheet may fold
        cell.quotePrefix = True  # and Excel keeps it text when the user edits the cell


def _shown(gc: str | None, state: str | None) -> tuple[str, str]:
    """(valeur GC, suggestion) as exported: a suggestion is not a GC value until someone accepts it."""
    if state == "suggere":
        return "", gc or ""
    return gc or "", ""


class ExportCounts(dict[str, int]):
    """Rows written per domain, and how many of them are values to fill (:mod:`econn.mappings.to_fill`)."""

    pending: int = 0        # unmapped values of the pending files
    without_code: int = 0   # GC articles sent without an external code


def export_xlsx(workspace: str | os.PathLike[str], path: str | os.PathLike[str],
                connector: str | None = None) -> ExportCounts:
    """Write the correspondences to an .xlsx file; returns the number of rows per domain.

    Each sheet lists first what needs filling: the unmapped values of the pending files (with their best
    suggestion, not stored), then the stored correspondences not yet validated, then (Articles) the GC
    articles sent without an external code, then the validated ones.

    Args:
        workspace: the workspace folder.
        path: the workbook to write (replaced if it exists).
        connector: only this connector's correspondences (default: all).
    """
    df = cor.get(workspace, connector)
    fill = to_fill.rows(workspace, connector)
    with store.connect(workspace, read_only=True) as con:
        lists = {d: cor.gc_values(con, d) for d in SHEETS}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    for j, (domain, values) in enumerate([*lists.items(), ("etat", list(cor.STATES))], start=1):
        lists_ws.cell(row=1, column=j, value=domain)
        for i, v in enumerate(values, start=2):
            _put_text(lists_ws, i, j, v)
    counts = ExportCounts()
    counts.pending = sum(1 for r in fill if r["kind"] == to_fill.PENDING)
    counts.without_code = sum(1 for r in fill if r["kind"] == to_fill.WITHOUT_CODE)
    states_col = get_column_letter(len(lists) + 1)
    for j, (domain, title) in enumerate(SHEETS.items(), start=1):
        ws = wb.create_sheet(title, index=j - 1)
        for c, h in enumerate(HEADERS, start=1):
            ws.cell(row=1, column=c, value=h).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(c)].width = _WIDTHS[c - 1]
        ws.freeze_panes = "A2"
        sub = df[df["domain"] == domain]
        sub = sub.astype(object).where(sub.notna(), None)
        sub = sub.assign(_done=sub["state"] == "valide").sort_values(
            ["_done", "connector", "external_value", "external_variant"], kind="stable")
        stored = [{**r, "suggestion": None} for r in sub.to_dict("records")]
        for r in stored:
            r["gc_value"], r["suggestion"] = _shown(r["gc_value"], r["state"])
        mine = [r for r in fill if r["domain"] == domain]
        ordered = ([r for r in mine if r["kind"] == to_fill.PENDING] + [r for r in stored if not r["_done"]]
                   + [r for r in mine if r["kind"] == to_fill.WITHOUT_CODE] + [r for r in stored if r["_done"]])
        for i, r in enumerate(ordered, start=2):
            for c, v in enumerate([r["connector"], r["external_value"], r["external_variant"], r["gc_value"] or "",
                                   r["state"], r["suggestion"] or ""], start=1):
                _put_text(ws, i, c, v)
            if r["score"] is not None:
                ws.cell(row=i, column=7, value=float(r["score"]))
            _put_text(ws, i, 8, r["reason"])
        counts[domain] = len(ordered)
        last = max(len(ordered) + 200, 1000)  # room for rows the user adds
        col = get_column_letter(j)
        if lists[domain]:
            ref = f"'{LISTS_SHEET}'!${col}$2:${col}${len(lists[domain]) + 1}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True,
                                errorTitle="Valeur GC inconnue", error="Choisissez une valeur de la liste (valeurs actives de la GC).")
            dv.add(f"D2:D{last}")
            ws.add_data_validation(dv)
        dv_state = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${states_col}$2:${states_col}$"
                                  f"{len(cor.STATES) + 1}", allow_blank=True, showErrorMessage=True,
                                  errorTitle="État inconnu",
                                  error="États possibles : " + ", ".join(cor.STATES))
        dv_state.add(f"E2:E{last}")
        ws.add_data_validation(dv_state)
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = MARKER, VERSION
    meta["A2"], meta["B2"] = "connecteur", connector or ""
    lists_ws.sheet_state = "hidden"
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.save(Path(path))
    return counts


def _text(value: object) -> str:
    """A cell as text: numbers typed in Excel (12, 12.0) become "12"; None becomes ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open_ours(path: Path) -> Any:
    try:
        wb = openpyxl.load_workbook(path)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise MappingFileError(f"cannot read {path}: {exc}",
                               f"Impossible de lire {path.name} : ce n'est pas un classeur .xlsx lisible. "
                               "Aucune correspondance n'a été modifiée.") from exc
    meta = wb[META_SHEET] if META_SHEET in wb.sheetnames else None
    if meta is None or meta["A1"].value != MARKER:
        raise MappingFileError(f"{path} is not an econn correspondence workbook",
                               f"{path.name} n'est pas un fichier de correspondances exporté par econn "
                               "(marqueur absent). Aucune correspondance n'a été modifiée.")
    try:
        version = int(meta["B1"].value)
    except (TypeError, ValueError):
        version = VERSION + 1
    if version > VERSION:
        raise MappingFileError(f"{path} has format version {meta['B1'].value}",
                               f"{path.name} vient d'une version plus récente d'econn (format "
                               f"{meta['B1'].value}). Aucune correspondance n'a été modifiée.")
    return wb


def import_xlsx(workspace: str | os.PathLike[str], path: str | os.PathLike[str], *,
                user: str | None = None) -> ImportResult:
    """Read an exported workbook back and apply the rows that changed, in one transaction.

    Typing a GC value validates the row (état becomes ``valide``); setting état to ``valide`` on a
    suggested row accepts its suggestion; ``aucune``/``a_creer``/``non_verifie`` clear the GC value.
    Rows are checked like :func:`econn.mappings.correspondences.set_mapping` (connector and domain known,
    GC value present and active, state valid); refused rows are reported with sheet, row number
    and French reason, the others are applied. Deleting a row in Excel deletes nothing.

    Raises:
        MappingFileError: unreadable file, or not one of ours (no marker); nothing is changed.
    """
    p = Path(path)
    check_xlsx(p, MappingFileError)  # size guard before openpyxl loads the workbook
    wb = _open_ours(p)
    result = ImportResult()
    who = user or cor._user(None)
    with store.transaction(workspace) as con:
        current = {(c, d, e, v): (g, s, sc, r) for c, d, e, v, g, s, sc, r in con.execute(
            "SELECT connector, domain, external_value, external_variant, gc_value, state, score, reason "
            "FROM correspondences").fetchall()}
        for domain, title in SHEETS.items():
            if title not in wb.sheetnames:
                continue
            ws = wb[title]
            header = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())][: len(HEADERS)]
            if header != HEADERS:
                result.refused.append(Refusal(title, 1, "", "en-têtes modifiés : feuille ignorée "
                                              f"(attendu : {', '.join(HEADERS)})"))
                continue
            seen: dict[tuple[str, str, str], int] = {}
            rows = ws.iter_rows(min_row=2, max_col=len(HEADERS), values_only=True)
            for n, cells in enumerate(rows, start=2):
                vals = [_text(v) for v in cells] + [""] * (len(HEADERS) - len(cells))
                connector, ext, variant, gc_cell, state_cell = vals[:5]
                if not any(vals[:6]):
                    continue
                ext = cells[1] if isinstance(cells[1], str) else ext  # keep a text value byte for byte
                if not ext.strip() and domain == "article" and gc_cell and state_cell in ("", "non_verifie"):
                    result.unchanged += 1   # a GC article without external code, still to fill: nothing to store
                    continue

                def refuse(reason: str, n: int = n, ext: str = ext) -> None:
                    result.refused.append(Refusal(title, n, ext, reason))

                key = (connector, ext, variant)
                if key in seen:
                    refuse(f"ligne en double (déjà vue ligne {seen[key]})")
                    continue
                seen[key] = n
                if not connector:
                    refuse("connecteur vide")
                    continue
                cur = current.get((connector, domain, ext, variant))
                cur_gc, cur_state = (cur[0], cur[1]) if cur else (None, None)
                if cur and (gc_cell, state_cell or cur_state) == (_shown(cur_gc, cur_state)[0], cur_state):
                    result.unchanged += 1
                    continue
                if not cur and not gc_cell and state_cell in ("", "non_verifie"):
                    result.unchanged += 1
                    continue
                state_edited = bool(state_cell) and state_cell != cur_state
                new_state = state_cell or cur_state or ("valide" if gc_cell else "non_verifie")
                new_gc = gc_cell or None
                if new_state not in cor.STATES:
                    refuse(f"état inconnu « {new_state} » (attendu : {', '.join(cor.STATES)})")
                    continue
                if new_gc and (new_state in ("non_verifie", "suggere") or
                               (new_state in ("aucune", "a_creer") and not state_edited)):
                    new_state = "valide"  # typing a GC value is a decision
                if new_state == "valide" and not new_gc and cur_state == "suggere" and cur_gc:
                    new_gc = cur_gc  # état set to valide on a suggestion: accept it
                if new_state == "valide" and not new_gc and cur is None and vals[5]:
                    new_gc = vals[5]  # a pending value's computed suggestion, accepted the same way
                if new_state == "suggere":
                    refuse("l'état « suggere » est réservé aux suggestions calculées par econn")
                    continue
                problem = cor.check_row(con, connector, domain, ext, new_gc, new_state)
                if problem:
                    refuse(problem)
                    continue
                if cur and (new_gc, new_state) == (cur_gc, cur_state):
                    result.unchanged += 1
                    continue
                same = cur is not None and new_gc == cur_gc
                cor.upsert(con, connector, domain, ext, variant, new_gc, new_state, "import",
                           cur[2] if same else None, cur[3] if same else "Saisi dans le fichier Excel", who)
                result.changed.append(Change(title, n, connector, domain, ext, variant, cur_gc, new_gc,
                                             cur_state, new_state))
    return result
