"""Native Excel charts of the reports, read back with openpyxl from real demo runs.

Each chart's series must point at the summary's cells, and those cells must hold the diagnostic's figures.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.chart import BarChart, PieChart
from openpyxl.utils.cell import range_boundaries

from econn.diagnostics import chart_data, registry
from econn.diagnostics.base import DiagnosticResult
from econn.diagnostics.excel import write_report

TODAY = dt.date(2026, 11, 23)


def _charts(path: Path) -> tuple[Any, list[Any]]:
    ws = openpyxl.load_workbook(path)["Résumé"]
    return ws, list(ws._charts)


def _values(ws: Any, ref: str) -> list[Any]:
    """The cells of a chart reference such as ``'Résumé'!$D$10:$D$24``, top to bottom."""
    sheet, cells = ref.rsplit("!", 1)
    assert sheet.strip("'") == ws.title
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    assert min_col == max_col
    return [ws.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


def _series(ws: Any, chart: Any) -> tuple[list[Any], list[Any]]:
    """(categories, values) of a chart's single series."""
    assert len(chart.series) == 1
    s = chart.series[0]
    cat = s.cat.strRef or s.cat.numRef
    return _values(ws, cat.f), _values(ws, s.val.numRef.f)


def _title(chart: Any) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def _anchor_rows(charts: list[Any]) -> list[int]:
    return [c.anchor._from.row for c in charts]


def test_price_grid_report_charts(demo_template: Path, tmp_path: Path) -> None:
    result = registry.run("grilles-prix", demo_template, today=TODAY)
    ws, charts = _charts(write_report(result, tmp_path / "g.xlsx"))
    assert [type(c) for c in charts] == [BarChart, BarChart]
    per_code, per_family = charts
    assert _title(per_code) == "Constats par code" and per_code.type == "bar"
    codes, counts = _series(ws, per_code)
    drawn: Counter[str] = Counter()
    for code, n in zip(codes, counts, strict=True):
        drawn[code] += n               # one bar per (code, level): PRIX-REM is an erreur and an alerte
    assert drawn == Counter(f.code for f in result.findings)
    assert counts[codes.index("PRIX-COUT")] == 4 and codes.count("PRIX-REM") == 2
    # one colour per bar, the level's: PRIX-COUT is an alerte (orange)
    colours = [p.graphicalProperties.solidFill.srgbClr for p in per_code.series[0].dPt]
    assert len(colours) == len(codes) and colours[codes.index("PRIX-COUT")] == "E07B00"
    assert _title(per_family) == "Anomalies des grilles de prix par famille"
    families, totals = _series(ws, per_family)
    assert families == ["Doublons et conflits", "Dates", "Prix et remises", "Règles orphelines"]
    assert totals == [f["count"] for f in chart_data.price_families(result.findings)]
    assert sum(totals) == len(result.findings)
    rows = _anchor_rows(charts)
    assert rows == sorted(rows) and rows[1] - rows[0] >= per_code.height * 2  # stacked, not overlapping


@pytest.mark.parametrize("name", ["doublons-simple", "doublons-complet"])
def test_duplicate_report_has_cluster_sizes(demo_template: Path, tmp_path: Path, name: str) -> None:
    result = registry.run(name, demo_template)
    assert result.clusters
    ws, charts = _charts(write_report(result, tmp_path / f"{name}.xlsx"))
    sizes = next(c for c in charts if _title(c) == "Groupes de doublons par taille")
    assert sizes.type == "col"
    labels, counts = _series(ws, sizes)
    assert labels == ["2 tiers", "3 tiers", "4 tiers", "5 tiers et plus"]
    expected = Counter(min(len(c["members"]), 5) for c in result.clusters)
    assert counts == [expected.get(n, 0) for n in (2, 3, 4, 5)] and sum(counts) == len(result.clusters)
    assert ws.cell(row=1, column=1).value == "diagnostic"          # the summary itself is unchanged


def test_reception_export_has_the_documents_pie(demo_workspace: Path) -> None:
    from econn.ui.reception import ReceptionPage

    page = ReceptionPage(demo_workspace)
    page.connector.value = "CSV"
    page.file.value = min((demo_workspace / "connecteurs" / "CSV" / "import").glob("*.csv")).name
    page.steps.analyze()
    page.steps.export_findings()
    href = page.steps.download.value.split('href="', 1)[1].split('"', 1)[0]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
    ws = wb["Résumé"]
    pie = next(c for c in ws._charts if isinstance(c, PieChart))
    assert _title(pie) == "Documents du fichier"
    labels, counts = _series(ws, pie)
    got = dict(zip(labels, counts, strict=True))
    want = chart_data.sum_counts(fa.counts() for fa in page.steps.files)
    assert got == {"Intégrables": want["new"], "Bloqués": want["blocked"], "En attente": want["waiting"],
                   "Déjà intégrés": want["existing"]}
    assert got["Intégrables"] == 5 and got["Bloqués"] == 5 and got["En attente"] == 1
    assert any(isinstance(c, BarChart) and _title(c) == "Constats par code" for c in ws._charts)


def test_no_findings_no_chart(tmp_path: Path) -> None:
    ws, charts = _charts(write_report(DiagnosticResult("tva"), tmp_path / "vide.xlsx"))
    assert charts == [] and ws["A4"].value == "constats"
