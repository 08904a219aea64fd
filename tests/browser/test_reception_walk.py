"""The whole reception of the demo's main CSV file in the browser: analyse, correspondences, homonym, integrate."""

from __future__ import annotations

from .conftest import choose_connector, excel_download, load_pending_file, open_dashboard, screenshot

WAIT = 90000


def _main_file(workspace):  # type: ignore[no-untyped-def]
    folder = workspace / "connecteurs" / "CSV" / "import"
    return sorted(p for p in folder.glob("*.csv"))[0]


def _select(select, wanted) -> None:  # type: ignore[no-untyped-def]
    """Select the first option whose text (ipywidgets writes spaces as no-break spaces) satisfies ``wanted``."""
    labels = select.locator("option").all_text_contents()
    label = next(t for t in labels if wanted(t.replace("\u00a0", " ").strip()))
    select.select_option(label=label)


def _choose(pg, row_text: str, code: str) -> None:  # type: ignore[no-untyped-def]
    """In the modal row of ``row_text``, select the GC value whose label starts with ``code``."""
    row = pg.locator(".econn-corr-row").filter(has=pg.locator(".econn-corr-value", has_text=row_text))
    select = row.locator("select")
    _select(select, lambda t: t == code or t.startswith(f"{code} —"))


def test_walk_the_whole_reception(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    path = _main_file(voila_server.workspace)
    open_dashboard(pg, voila_server, "01_reception.ipynb", ".econn-reception .econn-load", timeout_ms=WAIT)
    choose_connector(pg, "CSV")
    load_pending_file(pg, path.name)
    pg.wait_for_selector(".econn-sample table", state="visible", timeout=WAIT)

    pg.locator("button.econn-analyze").click()
    pg.wait_for_selector(".econn-corr-modal .econn-corr-row", state="visible", timeout=WAIT)
    recap = pg.locator(".econn-recap")
    recap.wait_for(state="visible", timeout=WAIT)
    text = recap.inner_text()
    assert "Nouveau document" in text and "Déjà intégré" in text and "En attente : homonyme" in text
    assert "180,00" in text and "ARRO" in text
    screenshot(pg, "01_reception_recap")

    assert pg.locator(".econn-corr-row").count() == 5
    _choose(pg, "TVA 5,5%", "V1")
    _choose(pg, "Bouteille", "BTL")
    _choose(pg, "Hollande", "NL")
    _choose(pg, "« ARRO »", "ARRO")
    pg.locator("button.econn-corr-ok").click()
    # the analysis runs again: only the unknown SKU is left in the modal
    pg.wait_for_function("() => document.querySelectorAll('.econn-corr-row').length === 1", timeout=WAIT)
    assert "VIN-MEURSAULT-2020" in pg.locator(".econn-corr-modal").inner_text()
    pg.wait_for_function("() => document.querySelector('.econn-messages').innerText"
                         ".includes('4 correspondances enregistrées')", timeout=WAIT)

    _select(pg.locator(".econn-homonym-choice select"), lambda t: t == "Créer un nouveau client")
    pg.locator("button.econn-integrate").click()
    pg.wait_for_selector(".econn-report .econn-report-file", state="visible", timeout=WAIT)
    report = pg.locator(".econn-report").inner_text()
    assert "10 documents intégrés" in report
    assert "CW_0000127_01" in report                        # the homonym, created
    assert "Le fichier reste en .csv : 1 document non intégré" in report
    assert "VIN-MEURSAULT-2020" in report
    assert path.exists()
    assert pg.locator(".econn-integrate-progress").count() == 1

    # findings: filter by code, export to Excel as an in-page download link
    _select(pg.locator(".econn-findings-code select"), lambda t: t == "COR-ART")
    pg.wait_for_function("() => document.querySelector('.econn-findings-table').innerText.includes('VIN-MEURSAULT')"
                         " && !document.querySelector('.econn-findings-table').innerText.includes('FIC-DUPDOC')",
                         timeout=WAIT)
    excel_download(pg, "button.econn-findings-export", ".econn-findings-download", timeout_ms=WAIT)
    problems.assert_clean()
