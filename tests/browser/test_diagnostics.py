"""The diagnostics page in the browser: every diagnostic, a merge, the cleanup plan, the Excel download."""

from __future__ import annotations

import base64
import io

import openpyxl

from econn import store
from econn.ui.diagnostics import CHOICES

from .conftest import excel_download, open_dashboard, run_diagnostic, screenshot

WAIT = 90000




def test_diagnostics_page(page, voila_server) -> None:  # type: ignore[no-untyped-def]
    pg, problems = page
    open_dashboard(pg, voila_server, "03_diagnostics.ipynb", ".econn-diagnostics button.econn-diag-run")
    for label, _name in CHOICES:
        run_diagnostic(pg, label)
        assert pg.locator(".econn-messages .econn-msg-error").count() == 0, pg.locator(".econn-messages").inner_text()

    # a duplicate cluster, side by side, then an explicit merge
    run_diagnostic(pg, "Doublons clients complet")
    pg.wait_for_selector(".econn-cluster-detail .econn-keep", timeout=WAIT)
    assert pg.locator(".econn-cluster-detail tr.econn-diff").count() > 0
    absorbed = pg.locator(".econn-cluster-detail th.econn-absorbed").first.get_attribute("data-code")
    pg.locator("button.econn-merge-accept").click()
    pg.wait_for_function("() => document.querySelector('.econn-messages').innerText.includes('Fusion de clients')",
                         timeout=WAIT)
    actif = store.query_df(voila_server.workspace, "SELECT actif FROM tiers WHERE code = ?", [absorbed]).actif[0]
    assert not actif

    # the nettoyage dry run
    run_diagnostic(pg, "Nettoyage des grilles de prix")
    pg.wait_for_selector(".econn-cleanup-plan tr.econn-plan-row", timeout=WAIT)
    assert pg.locator(".econn-cleanup-plan tr.econn-plan-row").count() >= 6

    # the Excel report
    href = excel_download(pg, "button.econn-diag-excel", ".econn-diag-download", timeout_ms=WAIT)
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
    assert wb.sheetnames
    screenshot(pg, "03_diagnostics")
    problems.assert_clean()
