"""The history page (ERO dashboard), driven without a browser."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import openpyxl
import pytest

from econn import history
from econn.ui.charts import stacked_bars_svg
from econn.ui.history import HistoryPage


@pytest.fixture
def page(demo_workspace: Path) -> HistoryPage:
    return HistoryPage(demo_workspace)


def _ids(p: HistoryPage) -> list[int]:
    return [int(x) for x in re.findall(r'data-id="(\d+)"', p.table.value)]


def test_counts_chart_and_purge_message(page: HistoryPage, demo_workspace: Path) -> None:
    counts = history.counts(demo_workspace)
    assert page.badges["erreur"].description.startswith(str(counts["erreur"]))
    assert page.badges["succès"].description.endswith("succès")
    assert page.chart.value.startswith("<svg") and "<rect" in page.chart.value
    assert re.search(r"\d{2}/\d{2}/\d{4} :", page.chart.value)  # French tooltips
    assert "supprimées (durée de conservation)" in page.messages.children[0].value  # the demo holds rows older than 2 months
    assert 0 < len(_ids(page)) <= 50


def test_level_badge_kind_and_search_filter(page: HistoryPage, demo_workspace: Path) -> None:
    page.badges["erreur"].click()
    assert set(re.findall(r'data-level="([^"]+)"', page.table.value)) == {"erreur"}
    page.badges["erreur"].click()  # second click removes the level filter
    page.kind.value = "envoi"
    assert set(re.findall(r'<td>(Envoi|Réception|Erreur)</td>', page.table.value)) == {"Envoi"}
    page.kind.value = ""
    page.search.value = "ECHANT-PUB"
    page.filter_button.click()
    expected = history.query(demo_workspace, search="ECHANT-PUB")
    assert _ids(page) == [int(i) for i in expected["id"]][:50]
    page.clear_button.click()
    assert page.search.value == "" and page.level is None


def test_table_formats_and_escapes(page: HistoryPage, demo_workspace: Path) -> None:
    entry = history.add(demo_workspace, "CSV", "erreur", "erreur", amount_ttc=1234.56, name="<b>x</b>",
                        message="<script>alert(1)</script>", hint="Créez l'article.")
    page.refresh_table()
    html = page.table.value
    assert f'data-id="{entry}"' in html
    assert "1\u202f234,56\u00a0€" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Créez l&#x27;article." in html
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", html)


def test_close_requires_justification(page: HistoryPage, demo_workspace: Path) -> None:
    entry = page.close_id.options[1][1]
    page.close_id.value = entry
    page.justification.value = "   "
    page.close_button.click()
    assert "justification est obligatoire" in page.messages.children[0].value
    assert history.get_entry(demo_workspace, entry)["state"] == "ouverte"
    page.justification.value = "ressaisi en GC"
    page.close_button.click()
    row = history.get_entry(demo_workspace, entry)
    assert row["state"] == "fermée" and row["justification"] == "ressaisi en GC"
    assert "fermée par" in page.table.value and "ressaisi en GC" in page.table.value
    assert entry not in [v for _, v in page.close_id.options]


def test_export_link_decodes(page: HistoryPage) -> None:
    page.badges["erreur"].click()
    page.export_button.click()
    m = re.search(r'href="data:[^;]+;base64,([^"]+)"', page.download.value)
    assert m
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(m.group(1))))
    sheet = wb.active
    header = [c.value for c in sheet[1]]
    assert "Niveau" in header and "Message" in header
    levels = {r[header.index("Niveau")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert levels == {"erreur"}


def test_chart_escapes_and_handles_empty() -> None:
    import datetime as dt

    svg = stacked_bars_svg([], title="<x>")
    assert svg.startswith("<svg") and "<x>" not in svg
    svg = stacked_bars_svg([{"day": dt.date(2026, 11, 22), "succès": 3, "alerte": 1, "erreur": 0}])
    assert "22/11/2026 : 3 succès, 1 alerte, 0 erreur" in svg
