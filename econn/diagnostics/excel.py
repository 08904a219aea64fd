"""Excel report of a diagnostic: summary, findings, and the clusters or cleanup plan when there are some.

The « Résumé » sheet also holds native Excel charts, each drawn from a small table written beside it (figures
from :mod:`econn.diagnostics.chart_data`, the same as the pages' SVG charts): findings per code, duplicate
clusters per size, price-grid anomalies per family, and the reception's documents per status when the result
carries them (``extra["documents"]``).

Every text cell is written as text, and one that starts like a formula (``=``, ``+``, ``-``, ``@``, tab,
CR) also gets Excel's quote prefix (:func:`econn.mappings.excel._put_text`): a hostile value read from a
shop file (``=cmd()``, ``<script>``) is shown literally, never executed.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..errors import EconnError
from ..findings import CATALOGUE, Level
from ..mappings.excel import _put_text
from . import chart_data
from .base import DiagnosticResult

FINDING_HEADERS = ["code", "niveau", "message", "conseil", "sujet", "fichier", "ligne", "document", "colonne",
                   "valeur"]
_FINDING_WIDTHS = [16, 9, 70, 60, 18, 26, 7, 16, 14, 30]
LEVEL_FILLS = {
    Level.SUCCES: PatternFill("solid", fgColor="C6EFCE"),
    Level.ALERTE: PatternFill("solid", fgColor="FFE0B2"),
    Level.ERREUR: PatternFill("solid", fgColor="FFC7CE"),
}
_BOLD = Font(bold=True)
# Chart colours, as on the pages (econn.ui.charts).
LEVEL_COLOURS = {"erreur": "C62828", "alerte": "E07B00", "succès": "2E8540"}
DOCUMENT_COLOURS = {"new": "2E8540", "blocked": "C62828", "waiting": "E07B00", "existing": "78909C",
                    "integrated": "1F5FA8"}
CHART_COLUMN = "G"      # the charts float right of the summary tables
_ROWS_PER_CM = 2        # default rows are 15 pt (≈ 0.53 cm) high


class ReportError(EconnError):
    """The Excel report cannot be written."""


def _table(ws: Any, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    """Header row in bold, frozen, with an autofilter; text through the formula-safe writer."""
    for c, h in enumerate(headers, start=1):
        _put_text(ws, 1, c, h)
        ws.cell(row=1, column=c).font = _BOLD
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1] if c <= len(widths) else 14
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            if isinstance(v, int | float) and not isinstance(v, bool):
                ws.cell(row=r, column=c, value=v)
            else:
                _put_text(ws, r, c, v)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"


def _small_table(ws: Any, row: int, headers: tuple[str, str], rows: list[tuple[str, int]]) -> int:
    """Two columns (label, number) from ``row``, header in bold; returns the last row written."""
    for c, h in enumerate(headers, start=1):
        _put_text(ws, row, c, h)
        ws.cell(row=row, column=c).font = _BOLD
    for r, (label, n) in enumerate(rows, start=row + 1):
        _put_text(ws, r, 1, label)
        ws.cell(row=r, column=2, value=n)
    return row + len(rows)


def _colour_points(series: Any, colours: list[str]) -> None:
    """One fill per bar or slice (level or status colour)."""
    for i, colour in enumerate(colours):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        series.dPt.append(point)


def _bar(ws: Any, title: str, first: int, last: int, value_col: int, *, horizontal: bool,
         colours: list[str] | None = None) -> BarChart:
    """A bar chart of ``value_col`` (header row ``first - 1``) against the labels of column A."""
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.legend = None
    chart.add_data(Reference(ws, min_col=value_col, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 would let Excel hide the axes
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"      # first row on top, as in the table
    chart.y_axis.majorGridlines = None
    if colours:
        _colour_points(chart.series[0], colours)
    chart.height = max(7.5, 0.6 * (last - first + 1) + 3) if horizontal else 7.5
    chart.width = 16
    return chart


def _charts(ws: Any, result: DiagnosticResult, code_header: int, n_codes: int) -> None:
    """The summary's charts, each anchored in column :data:`CHART_COLUMN` below the previous one."""
    placed: list[Any] = []
    row = code_header + n_codes + 2       # first free row under the table of codes
    if n_codes:
        first, last = code_header + 1, code_header + n_codes
        levels = [str(ws.cell(row=r, column=2).value) for r in range(first, last + 1)]
        placed.append(_bar(ws, "Constats par code", first, last, 4, horizontal=True,
                           colours=[LEVEL_COLOURS.get(lv, "1F5FA8") for lv in levels]))
    if result.clusters or result.name in ("doublons-simple", "doublons-complet"):
        sizes = chart_data.cluster_sizes(result.clusters)
        last = _small_table(ws, row, ("taille du groupe", "groupes"),
                            [(s["label"], s["count"]) for s in sizes])
        placed.append(_bar(ws, "Groupes de doublons par taille", row + 1, last, 2, horizontal=False,
                           colours=["6A4C93"] * len(sizes)))
        row = last + 2
    families = chart_data.price_families(result.findings)
    if families:
        last = _small_table(ws, row, ("famille d'anomalie", "constats"),
                            [(f["family"], f["count"]) for f in families])
        placed.append(_bar(ws, "Anomalies des grilles de prix par famille", row + 1, last, 2,
                           horizontal=True))
        row = last + 2
    counts = (result.extra or {}).get("documents")
    if counts:
        shares = chart_data.document_shares(counts)
        last = _small_table(ws, row, ("documents", "nombre"), [(s["label"], s["count"]) for s in shares])
        pie = PieChart()
        pie.title = "Documents du fichier"
        pie.add_data(Reference(ws, min_col=2, min_row=row, max_row=last), titles_from_data=True)
        pie.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=last))
        _colour_points(pie.series[0], [DOCUMENT_COLOURS[s["status"]] for s in shares])
        pie.height, pie.width = 7.5, 12
        placed.append(pie)
    anchor = 1
    for chart in placed:
        ws.add_chart(chart, f"{CHART_COLUMN}{anchor}")
        anchor += int(chart.height * _ROWS_PER_CM) + 2


def write_report(result: DiagnosticResult, path: str | os.PathLike[str]) -> Path:
    """Write a diagnostic's findings to an ``.xlsx`` workbook (replaced atomically).

    Args:
        result: what a diagnostic returned.
        path: the workbook to write.

    Returns:
        The path written.

    Raises:
        ReportError: the folder is not writable.
    """
    target = Path(path)
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Résumé"
    levels = Counter(f.level for f in result.findings)
    codes = Counter((f.code, f.level) for f in result.findings)
    head: list[list[Any]] = [["diagnostic", result.name], ["date", dt.datetime.now().strftime("%d/%m/%Y %H:%M")],
            ["durée (s)", round(result.seconds, 3)], ["constats", len(result.findings)]]
    head += [[lv.value, levels.get(lv, 0)] for lv in (Level.ERREUR, Level.ALERTE, Level.SUCCES)]
    for r, (k, v) in enumerate(head, start=1):
        _put_text(summary, r, 1, k)
        summary.cell(row=r, column=1).font = _BOLD
        if isinstance(v, int | float):
            summary.cell(row=r, column=2, value=v)
        else:
            _put_text(summary, r, 2, v)
    for r, lv in enumerate((Level.ERREUR, Level.ALERTE, Level.SUCCES), start=5):
        summary.cell(row=r, column=1).fill = LEVEL_FILLS[lv]
    start = len(head) + 2
    for c, h in enumerate(["code", "niveau", "titre", "nombre"], start=1):
        _put_text(summary, start, c, h)
        summary.cell(row=start, column=c).font = _BOLD
    for r, ((code, lv), n) in enumerate(sorted(codes.items(), key=lambda kv: (-kv[0][1].rank, kv[0][0])),
                                        start=start + 1):
        spec = CATALOGUE.get(code)
        for c, v in enumerate([code, lv.value, spec.title if spec else ""], start=1):
            _put_text(summary, r, c, v)
        summary.cell(row=r, column=4, value=n)
        summary.cell(row=r, column=2).fill = LEVEL_FILLS[lv]
    for c, w in enumerate([18, 22, 36, 9], start=1):
        summary.column_dimensions[get_column_letter(c)].width = w
    _charts(summary, result, start, len(codes))

    ws = wb.create_sheet("Constats")
    rows = [[f.code, f.level.value, f.message, f.hint, f.subject, f.source, f.line, f.document, f.column, f.value]
            for f in result.findings]
    _table(ws, FINDING_HEADERS, rows, _FINDING_WIDTHS)
    for r, f in enumerate(result.findings, start=2):
        ws.cell(row=r, column=2).fill = LEVEL_FILLS[f.level]

    if result.clusters:
        ws = wb.create_sheet("Groupes")
        crow = [[c.get("id"), ", ".join(map(str, c.get("members", []))), c.get("score"), c.get("evidence"),
                 c.get("keep"), ", ".join(c.get("codes", []))] for c in result.clusters]
        _table(ws, ["groupe", "membres", "score", "preuves", "à garder (proposition)", "codes"], crow,
               [10, 40, 7, 70, 20, 30])
    plan = result.extra.get("plan") if result.extra else None
    if plan:
        ws = wb.create_sheet("Plan")
        prow = [[e.get("id"), e.get("ref"), e.get("article"), ", ".join(e.get("codes", [])),
                 " ; ".join(e.get("reasons", []))] for e in plan]
        _table(ws, ["id", "règle", "article", "codes", "motif de suppression"], prow, [8, 14, 16, 30, 70])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".econn-", suffix=".xlsx", dir=target.parent)
        os.close(fd)
        wb.save(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise ReportError(f"cannot write {target}: {exc}",
                          f"Impossible d'écrire le rapport Excel {target} : {exc.strerror or exc}.") from exc
    return target
